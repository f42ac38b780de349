#!/usr/bin/env python3
"""An SMTP sink for the notification tests: speaks enough SMTP (RFC 5321)
for a client to hand it mail, and records each message (envelope and data)
as one JSON line. Prints "listening PORT" once it listens."""
import argparse
import json
import socketserver
import threading

parser = argparse.ArgumentParser()
parser.add_argument("--record", required=True, help="file the messages are appended to")
args = parser.parse_args()
lock = threading.Lock()


class Session(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write((line + "\r\n").encode())

    def handle(self):
        self.reply("220 sink ESMTP")
        sender, recipients = "", []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 sink")
            elif verb == "MAIL":
                sender, recipients = command[10:].strip(), []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command[8:].strip())
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 end with <CRLF>.<CRLF>")
                data = []
                while True:
                    chunk = self.rfile.readline()
                    if not chunk or chunk in (b".\r\n", b".\n"):
                        break
                    data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                with lock, open(args.record, "a", encoding="utf-8") as out:
                    out.write(json.dumps({"from": sender, "to": recipients,
                                          "data": b"".join(data).decode("utf-8")},
                                         ensure_ascii=False) + "\n")
                self.reply("250 OK queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            else:
                self.reply("502 not implemented")


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


server = Server(("127.0.0.1", 0), Session)
print("listening", server.server_address[1], flush=True)
server.serve_forever()
