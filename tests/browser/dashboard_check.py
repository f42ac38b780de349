#!/usr/bin/env python3
"""Drives the leaders' dashboard in Debian's headless Chromium, as a person
would: signs in (a wrong token first), reads the targets and their health,
filters, opens a target, drills down to a project, looks at the map, and
checks that the page loaded nothing from anywhere but the gateway.

W3C WebDriver through chromedriver, over the standard library only.
Exit status 0 when every check holds; screenshots go to --screenshots.

  dashboard_check.py --base-url http://127.0.0.1:8080 --token T --screenshots DIR
"""
import argparse
import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


class Driver:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.session = None

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read() or b"{}").get("value")
        except urllib.error.HTTPError as error:
            raise RuntimeError(f"{method} {path}: {error.read().decode()[:500]}") from None

    def start(self):
        capabilities = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--window-size=1400,1800",
                         "--lang=zh-CN"],
            },
        }}}
        self.session = self.call("POST", "/session", capabilities)["sessionId"]

    def s(self, path):
        return f"/session/{self.session}{path}"

    def go(self, url):
        self.call("POST", self.s("/url"), {"url": url})

    def find(self, css):
        return self.call("POST", self.s("/element"), {"using": "css selector", "value": css})[ELEMENT]

    def type(self, css, text):
        self.call("POST", self.s(f"/element/{self.find(css)}/value"), {"text": text})

    def click(self, css):
        self.call("POST", self.s(f"/element/{self.find(css)}/click"), {})

    def js(self, script, *args):
        return self.call("POST", self.s("/execute/sync"), {"script": script, "args": list(args)})

    def wait(self, script, what, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            value = self.js(script)
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}")

    def screenshot(self, path):
        with open(path, "wb") as out:
            out.write(base64.b64decode(self.call("GET", self.s("/screenshot"))))

    def quit(self):
        if self.session:
            try:
                self.call("DELETE", self.s(""))
            except Exception:  # the browser may already be gone
                pass


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def check(condition, message):
    if not condition:
        raise AssertionError(message)
    print("ok:", message)


def run(driver, base_url, token, screenshots, unreachable):
    driver.go(base_url + "/")
    driver.wait("return document.readyState === 'complete'", "the page")
    check(driver.js("return document.getElementById('app').hidden"), "nothing is shown before signing in")
    check(driver.js("return document.querySelectorAll('#targets tbody tr').length") == 0,
          "no targets before signing in")

    driver.type("#token", "not-a-token")
    driver.click("#sign-in-form button")
    message = driver.wait("return document.getElementById('sign-in-error').textContent",
                          "the refusal")
    check("令牌无效" in message, f"a wrong token is refused in Chinese: {message}")
    check(driver.js("return document.getElementById('app').hidden"), "still nothing shown")

    driver.type("#token", token)
    driver.click("#sign-in-form button")
    driver.wait("return document.querySelectorAll('#targets tbody tr').length === 62", "62 targets")
    notice = driver.js("return document.getElementById('list-error').textContent")
    if unreachable:
        # A service down: its figures are not shown as the truth.
        check("部分数据暂缺" in notice and unreachable in notice,
              f"the page says which figures are missing: {notice}")
        driver.screenshot(os.path.join(screenshots, "4-partial.png"))
        return
    check(notice == "", f"a whole answer carries no notice: {notice}")
    years = driver.js("return [...document.querySelectorAll('#filter-year option')].map(o => o.value)")
    check(years == ["2024"] and driver.js("return document.getElementById('year-title').textContent") == "2024年",
          f"the catalog's one year is offered and shown: {years}")
    driver.wait("return document.querySelectorAll('#map .project').length > 0", "the map")
    driver.screenshot(os.path.join(screenshots, "1-targets.png"))
    labels = driver.js("return [...document.querySelectorAll('#targets .badge')].map(b => b.textContent)")
    check(len(labels) == 62 and set(labels) <= {"正常", "滞后", "严重滞后", "未知"},
          f"every target shows its health: {sorted(set(labels))}")
    check("正常" in labels and "严重滞后" in labels and "未知" in labels,
          "on pace, far behind and unknown targets are told apart")
    row = driver.js("""return [...document.querySelectorAll('#targets tbody tr')]
        .find(r => r.dataset.name === 'targets/expropriation-signed').textContent""")
    check("590,000" in row and "严重滞后" in row, f"征收签约 shows actual against target: {row}")

    driver.js("const s = document.getElementById('filter-health'); s.value = 'RED';"
              "s.dispatchEvent(new Event('change'))")
    driver.wait("""const rows = document.querySelectorAll('#targets tbody tr');
        return rows.length > 0 && rows.length < 62""", "the RED filter")
    labels = driver.js("return [...document.querySelectorAll('#targets .badge')].map(b => b.textContent)")
    check(set(labels) == {"严重滞后"}, f"the filter keeps only far-behind targets ({len(labels)})")

    driver.js("""[...document.querySelectorAll('#targets tbody tr')]
        .find(r => r.dataset.name === 'targets/expropriation-signed').click()""")
    driver.wait("return !document.getElementById('detail').hidden && "
                "document.querySelectorAll('#contributions li button').length > 0", "the drill-down")
    reason = driver.js("return document.getElementById('detail-reason').textContent")
    check("落后" in reason, f"the detail says why in Chinese: {reason}")
    department = driver.js("return document.getElementById('detail-department').textContent")
    check("责任单位" in department, f"the detail says who answers for it: {department}")
    check(driver.js("return document.querySelectorAll('#trend polyline').length") == 1,
          "the month-end trend is drawn")
    items = driver.js("return [...document.querySelectorAll('#contributions li')].map(l => l.textContent)")
    check(any("projects/erqi" in item for item in items), f"the records behind it: {items}")
    driver.js("document.querySelector('#contributions li button').click()")
    title = driver.wait("return !document.getElementById('record').hidden && "
                        "document.getElementById('record-title').textContent", "the project")
    check(title == "二七片区征收", f"the drill-down reaches the project: {title}")
    driver.screenshot(os.path.join(screenshots, "2-drill-down.png"))

    places = driver.js("return [document.querySelectorAll('#map .project').length,"
                       "document.querySelectorAll('#map .facility').length]")
    check(places == [1, 1], f"the map places the project and the car park: {places}")
    driver.js("document.getElementById('map').scrollIntoView()")
    driver.screenshot(os.path.join(screenshots, "3-map.png"))

    foreign = driver.js("""return performance.getEntriesByType('resource').map(e => e.name)
        .filter(n => !n.startsWith(location.origin))""")
    check(foreign == [], f"nothing loaded from elsewhere: {foreign}")


def sign_in(driver, token, what):
    driver.type("#token", token)
    driver.click("#sign-in-form button")
    driver.wait("return !document.getElementById('app').hidden && "
                "document.querySelectorAll('#targets tbody tr').length === 62", what)


def ticket_rows(driver):
    return driver.js("""return [...document.querySelectorAll('#tickets tbody tr')].map(r => ({
        name: r.dataset.name, lamp: r.dataset.lamp, text: r.textContent,
        steps: [...r.querySelectorAll('button')].map(b => b.dataset.step)}))""")


def step(driver, ticket, method, note=""):
    """Types `note` and clicks the `method` button of `ticket`'s row."""
    driver.js("document.getElementById('ticket-note').value = arguments[0]", note)
    driver.js("""[...document.querySelectorAll('#tickets tbody tr')]
        .find(r => r.dataset.name === arguments[0])
        .querySelector(`button[data-step='${arguments[1]}']`).click()""", ticket, method)


def run_supervision(driver, base_url, editor_token, admin_token, screenshots):
    """A department works a ticket, a leader checks and closes it, reads the
    scorecard and issues a ticket from a target."""
    driver.go(base_url + "/")
    driver.wait("return document.readyState === 'complete'", "the page")
    sign_in(driver, editor_token, "the housing bureau signed in")
    driver.wait("return document.querySelectorAll('#tickets tbody tr').length > 0 || "
                "document.getElementById('list-error').textContent", "the tickets")
    check(driver.js("return document.getElementById('list-error').textContent") == "",
          "the tickets load without an error: " +
          driver.js("return document.getElementById('list-error').textContent"))
    driver.wait("return document.querySelectorAll('#tickets tbody tr').length === 2", "its two tickets")
    rows = {row["name"]: row for row in ticket_rows(driver)}
    check(rows["tickets/flooding"]["lamp"] == "YELLOW",
          f"a ticket due tomorrow shows its yellow lamp: {rows['tickets/flooding']}")
    check(rows["tickets/signing"]["lamp"] == "GREEN" and rows["tickets/signing"]["steps"] == ["accept"],
          f"an issued ticket offers 签收: {rows['tickets/signing']}")
    driver.js("const s = document.getElementById('ticket-lamp'); s.value = 'YELLOW';"
              "s.dispatchEvent(new Event('change'))")
    driver.wait("return document.querySelectorAll('#tickets tbody tr').length === 1", "the YELLOW filter")
    driver.js("const s = document.getElementById('ticket-lamp'); s.value = '';"
              "s.dispatchEvent(new Event('change'))")
    driver.wait("return document.querySelectorAll('#tickets tbody tr').length === 2", "all again")
    step(driver, "tickets/signing", "accept")
    driver.wait("""return [...document.querySelectorAll('#tickets tbody tr')]
        .find(r => r.dataset.name === 'tickets/signing').textContent.includes('办理中')""", "accepted")
    step(driver, "tickets/signing", "respond", "已完成剩余86户签约，附签约台账。")
    driver.wait("""return [...document.querySelectorAll('#tickets tbody tr')]
        .find(r => r.dataset.name === 'tickets/signing').textContent.includes('已反馈待审核')""",
                "responded")
    check(driver.js("return document.getElementById('ticket-error').textContent") == "",
          "the department accepted and responded")
    driver.js("document.getElementById('supervision').scrollIntoView()")
    driver.screenshot(os.path.join(screenshots, "5-department-tickets.png"))
    # The department may not close its own ticket: the page says why.
    step(driver, "tickets/signing", "close", "自己销号")
    error = driver.wait("return document.getElementById('ticket-error').textContent", "the refusal")
    check("未能办理" in error and "issuing" in error, f"closing is the issuer's: {error}")

    driver.click("#sign-out")
    sign_in(driver, admin_token, "the leader signed in")
    driver.wait("""return [...document.querySelectorAll('#tickets tbody tr')]
        .some(r => r.dataset.name === 'tickets/signing')""", "the leader's tickets")
    step(driver, "tickets/signing", "close", "已核实签约台账，予以销号。")
    driver.wait("""return ![...document.querySelectorAll('#tickets tbody tr')]
        .some(r => r.dataset.name === 'tickets/signing')""", "the closed ticket gone from the open list")
    score = driver.wait("""const row = [...document.querySelectorAll('#scorecard tbody tr')]
        .find(r => r.dataset.department === '区住房和城市更新局');
        return row && row.textContent""", "the scorecard")
    # Two received, one accepted and answered on time, that one closed.
    check(score.startswith("1区住房和城市更新局250%50%1"),
          f"the scorecard counts the department's tickets: {score}")
    # One click from a target issues a ticket to its department.
    driver.js("""[...document.querySelectorAll('#targets tbody tr')]
        .find(r => r.dataset.name === 'targets/key-renewal-units').click()""")
    driver.wait("return !document.getElementById('detail').hidden", "the target's detail")
    driver.js("document.getElementById('issue-demand').value = '请报送7个重点城市单元更新进度。'")
    driver.click("#issue-form button")
    result = driver.wait("return document.getElementById('issue-result').textContent", "the issue")
    check("已下发" in result and "区城市更新公司" in result, f"issued to the target's department: {result}")
    driver.wait("""return [...document.querySelectorAll('#tickets tbody tr')]
        .some(r => r.textContent.includes('区城市更新公司'))""", "the new ticket listed")
    driver.js("document.getElementById('supervision').scrollIntoView()")
    driver.screenshot(os.path.join(screenshots, "6-leader-supervision.png"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--screenshots", required=True)
    parser.add_argument("--unreachable", default="",
                        help="a service the test stopped, as the page names it: check the notice")
    parser.add_argument("--supervision", nargs=2, metavar=("EDITOR_TOKEN", "ADMIN_TOKEN"),
                        help="check the supervision flow instead: a department's editor, then a leader")
    args = parser.parse_args()
    os.makedirs(args.screenshots, exist_ok=True)
    port = free_port()
    chromedriver = subprocess.Popen(["chromedriver", f"--port={port}"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    driver = Driver(port)
    try:
        for _ in range(100):
            try:
                driver.call("GET", "/status")
                break
            except Exception:
                time.sleep(0.1)
        driver.start()
        if args.supervision:
            run_supervision(driver, args.base_url, *args.supervision, args.screenshots)
        else:
            run(driver, args.base_url, args.token, args.screenshots, args.unreachable)
        print("dashboard: every check passed")
        return 0
    except AssertionError as failure:
        print("FAILED:", failure)
        try:
            driver.screenshot(os.path.join(args.screenshots, "failure.png"))
        except Exception:
            pass
        return 1
    finally:
        driver.quit()
        chromedriver.terminate()
        chromedriver.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
