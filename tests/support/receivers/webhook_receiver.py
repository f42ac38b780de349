#!/usr/bin/env python3
"""A webhook receiver for the notification tests: records every POST it gets
(path, query, headers, body) as one JSON line, and can fail the first N
requests or answer slowly, as a real group robot sometimes does.

Prints "listening PORT" once it listens."""
import argparse
import http.server
import json
import threading

parser = argparse.ArgumentParser()
parser.add_argument("--record", required=True, help="file the requests are appended to")
parser.add_argument("--fail_first", type=int, default=0, help="answer 500 to this many first")
parser.add_argument("--delay_ms", type=int, default=0, help="wait this long before answering")
args = parser.parse_args()
lock = threading.Lock()
seen = {"count": 0}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if args.delay_ms:
            threading.Event().wait(args.delay_ms / 1000)
        with lock:
            seen["count"] += 1
            failing = seen["count"] <= args.fail_first
            if not failing:
                path, _, query = self.path.partition("?")
                record = {"path": path, "query": query,
                          "headers": {k.lower(): v for k, v in self.headers.items()},
                          "body": body.decode("utf-8")}
                with open(args.record, "a", encoding="utf-8") as out:
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
        answer = b'{"errcode":1,"errmsg":"busy"}' if failing else b'{"errcode":0,"errmsg":"ok"}'
        self.send_response(500 if failing else 200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *unused):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print("listening", server.server_address[1], flush=True)
server.serve_forever()
