#!/usr/bin/env python3
"""The rules of cvpdf serve, checked over HTTP:
  serve_http.py BIN WORKDIR
Starts servers itself (on 127.0.0.1, ports chosen by the system) and
stops them with SIGINT."""
import http.client
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time

BIN, WORK = sys.argv[1], sys.argv[2]
passed = failed = 0


def check(cond, msg, why=""):
    global passed, failed
    if cond:
        passed += 1
        print(f"ok - {msg}")
    else:
        failed += 1
        print(f"FAIL - {msg}" + (f": {why}" if why else ""))


class Server:
    def __init__(self, cv, *args, env=None):
        self.log = open(os.path.join(WORK, "serve.log"), "w+")
        self.p = subprocess.Popen([BIN, "serve", cv, "--port", "0", *args],
                                  stdout=subprocess.PIPE, stderr=self.log,
                                  text=True, env=env)
        self.url = self.p.stdout.readline().strip()
        m = re.match(r"http://([^/]+):(\d+)/\?token=([0-9a-f]+)$", self.url)
        if not m:
            self.log.seek(0)
            sys.exit(f"FAIL - serve printed {self.url!r}: {self.log.read()}")
        self.host, self.port, self.token = m.group(1), int(m.group(2)), m.group(3)

    def req(self, method, path, body=None, token=True, host=None, headers=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sep = "&" if "?" in path else "?"
        full = path + (f"{sep}token={self.token}" if token is True else
                       f"{sep}token={token}" if token else "")
        h = {"Host": host or f"{self.host}:{self.port}"}
        h.update(headers or {})
        c.request(method, full, body=body, headers=h)
        r = c.getresponse()
        data = r.read()
        c.close()
        return r.status, data

    def render(self, text, **q):
        path = "/render" + ("?" + "&".join(f"{k}={v}" for k, v in q.items()) if q else "")
        st, data = self.req("POST", path, text.encode())
        return st, json.loads(data) if st == 200 else data

    def stop(self):
        self.p.send_signal(signal.SIGINT)
        try:
            rc = self.p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.p.kill()
            rc = None
        self.log.seek(0)
        return rc, self.log.read()


os.makedirs(os.path.join(WORK, "cvdir"))
cv = os.path.join(WORK, "cvdir", "cv.yaml")
shutil.copy("examples/minimal.yaml", cv)
os.chmod(cv, 0o640)
shutil.copy("tests/bibtex/refs.bib", os.path.join(WORK, "refs.bib"))
shutil.copy("tests/bibtex/refs.bib", os.path.join(WORK, "cvdir", "refs.bib"))
text = open(cv).read()

s = Server(cv)
check(s.host == "127.0.0.1", "the default address is 127.0.0.1", s.host)
check(len(s.token) == 32, "the printed address carries a 128-bit token")
# The listening socket, as the kernel lists it: loopback only.
listen = [l.split() for l in open("/proc/net/tcp").read().splitlines()[1:]]
mine = [f[1] for f in listen if f[3] == "0A" and int(f[1].split(":")[1], 16) == s.port]
check(mine == ["0100007F:%04X" % s.port], "it listens on loopback only", str(mine))

# The token and the Host header.
for path in ["/", "/state", "/serve.js", "/cv.pdf", "/page.png?n=1"]:
    st, _ = s.req("GET", path, token=None)
    check(st == 403, f"GET {path} without the token: 403", str(st))
st, _ = s.req("POST", "/render", b"name: X\n", token=None)
check(st == 403, "POST /render without the token: 403", str(st))
st, _ = s.req("POST", "/save?version=0", b"name: X\n", token="0" * 32)
check(st == 403, "POST /save with a wrong token: 403", str(st))
st, _ = s.req("GET", "/state", token=s.token[:-1])
check(st == 403, "a token cut short: 403", str(st))
st, _ = s.req("GET", "/state", host=f"rebound.example:{s.port}")
check(st == 403, "a foreign Host header: 403 (DNS rebinding)", str(st))
st, _ = s.req("GET", "/state", host=f"127.0.0.1:{s.port + 1}")
check(st == 403, "a Host header with another port: 403", str(st))
st, _ = s.req("GET", "/state", host=f"localhost:{s.port}")
check(st == 200, "Host localhost:PORT is served", str(st))
st, data = s.req("GET", "/state")
check(st == 200 and json.loads(data)["disk"]["text"] == text, "/state gives the CV's text")
st, data = s.req("GET", "/")
check(st == 200 and s.token.encode() in data, "the page carries the token into its URLs")

# Only the CV: no other file is served, and a CV naming files outside its
# directory is refused.
for path in ["/cv.yaml", "/../refs.bib", "/refs.bib", "/etc/passwd", "/%2e%2e/refs.bib"]:
    st, _ = s.req("GET", path)
    check(st == 404, f"GET {path}: 404", str(st))
st, r = s.render("name: X\nsections:\n  - type: publications\n    bibtex: ../refs.bib\n")
msg = " ".join(d["message"] for d in r["diags"])
check(not r["ok"] and "CV's directory" in msg, "a BibTeX file outside the CV's directory is refused", msg)
st, r = s.render(f"name: X\nsections:\n  - type: publications\n    bibtex: {WORK}/refs.bib\n")
check(not r["ok"], "a BibTeX file named by its absolute path is refused")
st, r = s.render("name: X\nsections:\n  - type: publications\n    bibtex: refs.bib\n")
check(r["ok"], "a BibTeX file beside the CV is read", json.dumps(r["diags"]))
st, r = s.render("name: X\nlayout: ../../layouts/classic.yaml\n")
check(not r["ok"] and r["diags"] and r["diags"][0]["line"] == 2,
      "a layout file the CV names by path is refused, at its line", json.dumps(r["diags"]))
st, _ = s.req("POST", "/render?layout=../../etc/passwd", text.encode())
check(st == 400, "the layout switch takes only installed layouts", str(st))
st, r = s.render(text, layout="compact")
check(r["ok"], "an installed layout renders")
st, _ = s.req("DELETE", "/state")
check(st == 405, "other methods: 405", str(st))

# Errors come with their line and column.
st, r = s.render(text.replace("headline:", "headlnie:"))
d = r["diags"][0] if r["diags"] else {}
check(not r["ok"] and d.get("line") == 3 and d.get("col") == 1 and "headlnie" in d.get("message", ""),
      "a misspelt field is reported at 3:1", json.dumps(d))
st, r = s.render(text)
check(r["ok"], "the mended CV renders again")

# Clients that go away never stop the server.
for partial in [b"GET /state?token=", b"POST /render?token=%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                b"Content-Length: 100000\r\n\r\nname: X" % (s.token.encode(), s.port)]:
    k = socket.create_connection(("127.0.0.1", s.port))
    k.sendall(partial)
    k.close()
k = socket.create_connection(("127.0.0.1", s.port))
body = text.encode()
k.sendall(b"POST /render?token=%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Length: %d\r\n\r\n"
          % (s.token.encode(), s.port, len(body)) + body)
k.close()  # before the answer
st, r = s.render(text)
check(st == 200 and r["ok"], "clients that disconnect mid-request leave the server serving")
# The request whose client went away may still be rendered, and then it
# replaces the render just answered: wait until the newest render stays.
for _ in range(50):
    time.sleep(0.1)
    st, again = s.render(text)
    if st == 200 and again["ok"] and again["rev"] == r["rev"] + 1:
        r = again
        break
    r = again

# Pages as pictures, and the PDF.
st, data = s.req("GET", f"/page.png?n=1&dpi=40&rev={r['rev']}")
check(st == 200 and data[:8] == b"\x89PNG\r\n\x1a\n", "page 1 comes as a PNG")
st, _ = s.req("GET", "/page.png?n=1&dpi=40&rev=1")
check(st == 410, "a replaced render's page: 410", str(st))
st, _ = s.req("GET", "/page.png?n=9&dpi=40")
check(st == 404, "a page that does not exist: 404", str(st))
st, _ = s.req("GET", "/page.png?n=1&dpi=5000")
check(st == 400, "a resolution out of range: 400", str(st))
st, data = s.req("GET", "/cv.pdf")
check(st == 200 and data.startswith(b"%PDF"), "the PDF is served")

# A render that asks for a page's picture gets it with its answer, and a
# picture the page has already is not sent again.
c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
c.request("POST", f"/render?first=1&dpi=40&token={s.token}", body=text.encode(),
          headers={"Host": f"{s.host}:{s.port}"})
res = c.getresponse()
body, cut = res.read(), res.getheader("X-Render-Length")
c.close()
r = json.loads(body[:int(cut)]) if cut else {}
pic = r.get("picture", {})
check(res.status == 200 and r.get("ok") and pic.get("n") == 1 and pic.get("dpi") == 40 and
      body[int(cut):int(cut) + 8] == b"\x89PNG\r\n\x1a\n",
      "a render asked for page 1 answers with its picture after the JSON", f"{res.status} {cut} {pic}")
st, data = s.req("GET", f"/page.png?n=1&dpi=40&rev={r.get('rev')}")
check(st == 200 and data == body[int(cut or 0):], "GET /page.png gives the same picture")
st, data = s.req("GET", f"/page.png?n=1&dpi=40&rev={r.get('rev')}&have={pic.get('hash')}")
check(st == 204 and data == b"", "a page that has that picture already gets 204", str(st))
st, data = s.req("GET", f"/page.png?n=1&dpi=40&rev={r.get('rev')}&have={'0' * 16}")
check(st == 200 and data[:4] == b"\x89PNG", "one that has another gets the picture")
st, _ = s.req("POST", "/render?first=0&dpi=40", text.encode())
check(st == 400, "a render asked for page 0: 400", str(st))
st, r = s.render(text)
check(st == 200 and r["ok"] and "picture" not in r, "a render asked for no picture answers JSON alone")

# Saving: atomic, permissions kept, nothing else written beside the CV.
new = text.replace("Research Engineer", "Staff Engineer")
st, data = s.req("POST", "/save?version=0", new.encode())
check(st == 200 and open(cv).read() == new, "saving writes the file", data.decode()[:200])
check(stat.S_IMODE(os.stat(cv).st_mode) == 0o640, "saving keeps the file's permissions",
      oct(os.stat(cv).st_mode))
check(sorted(os.listdir(os.path.join(WORK, "cvdir"))) == ["cv.yaml", "refs.bib"],
      "nothing but the CV is written in its directory", str(os.listdir(os.path.join(WORK, "cvdir"))))
version = json.loads(data)["disk"]["version"]
with open(cv, "w") as f:  # another editor
    f.write(new + "# edited elsewhere\n")
for _ in range(50):
    st, data = s.req("GET", "/state")
    if json.loads(data)["disk"]["version"] != version:
        break
    time.sleep(0.1)
check(json.loads(data)["disk"]["text"].endswith("# edited elsewhere\n"),
      "a change made by another program is picked up")
st, _ = s.req("POST", f"/save?version={version}", text.encode())
check(st == 409 and open(cv).read().endswith("elsewhere\n"),
      "saving over a change the page has not seen is refused (409)", str(st))
st, _ = s.req("POST", f"/save?version={version}&force=1", text.encode())
check(st == 200 and open(cv).read() == text, "unless the page insists")
rc, log = s.stop()
check(rc == 0 and "stopped" in log, "SIGINT stops the server cleanly", f"{rc}: {log}")

# Limits: request bodies, and renders under render's limits.
academic = open("examples/academic-cv.yaml").read()
s = Server(cv, "--max-input-bytes", "32K", "--max-pages", "1")
st, _ = s.req("POST", "/render", b"#" * 33000)
check(st == 413, "a body over the limit: 413", str(st))
st, _ = s.req("POST", "/render", b"name: X\n", headers={"Content-Length": "99999999"})
check(st == 413, "a declared length over the limit: 413", str(st))
st, r = s.render(academic)
msg = " ".join(d["message"] for d in r["diags"])
check(not r["ok"] and "at most 1 pages" in msg, "--max-pages holds for the server's renders", msg)
st, r = s.render(text)
check(r["ok"], "and a CV within the limits renders")
rc, log = s.stop()
check(rc == 0, "the second server stops cleanly too", log)

# --safe is honoured: CVPDF_PLUGIN_PATH is read without it, not with it.
bad = os.path.join(WORK, "badplug")
os.makedirs(bad)
open(os.path.join(bad, "bad.so"), "w").write("not a plugin\n")
env = dict(os.environ, CVPDF_PLUGIN_PATH=bad)
for safe in ([], ["--safe"]):
    s = Server(cv, *safe, env=env)
    st, r = s.render(text)
    msg = " ".join(d["message"] for d in r["diags"])
    if safe:
        check(r["ok"], "with --safe, the server's renders ignore CVPDF_PLUGIN_PATH", msg)
    else:
        check(not r["ok"] and "bad.so" in msg, "without it, they read CVPDF_PLUGIN_PATH", msg)
    s.stop()

# The pages drawn come from a quicker PDF than the one offered: the one
# offered is the file `cvpdf render` writes, and the pictures are those of
# `cvpdf render -o X.png`, byte for byte (safe or not: a safe render's PDF
# comes from its child process).
env = dict(os.environ, SOURCE_DATE_EPOCH="0")
shutil.copy("examples/academic-cv.yaml", os.path.join(WORK, "cvdir", "ac.yaml"))
ac = os.path.join(WORK, "cvdir", "ac.yaml")
for safe in ([], ["--safe"]):
    s = Server(ac, *safe, env=env)
    st, r = s.render(academic, layout="modern")
    st, served = s.req("GET", "/cv.pdf?download=1")
    st2, png = s.req("GET", f"/page.png?n=2&dpi=40&download=1&rev={r['rev']}")
    s.stop()
    out = os.path.join(WORK, "ac.pdf")
    subprocess.run([BIN, "render", ac, "--layout", "modern", "-o", out, "-q"], env=env, check=True)
    subprocess.run([BIN, "render", ac, "--layout", "modern", "--dpi", "40", "-o",
                    os.path.join(WORK, "ac.png"), "-q"], env=env, check=True)
    what = " with --safe" if safe else ""
    check(st == 200 and served == open(out, "rb").read(),
          f"the PDF offered is the one cvpdf render writes{what}", f"{st}, {len(served)} bytes")
    check(st2 == 200 and png == open(os.path.join(WORK, "ac-2.png"), "rb").read(),
          f"a page's picture is the one cvpdf render -o X.png draws{what}", str(st2))

# A port in use is refused with a clear message, not another port.
busy = socket.socket()
busy.bind(("127.0.0.1", 0))
busy.listen(1)
p = subprocess.run([BIN, "serve", cv, "--port", str(busy.getsockname()[1])],
                   capture_output=True, text=True, timeout=30)
check(p.returncode == 1 and "cannot listen" in p.stderr, "--port N that is in use: exit 1", p.stderr)
busy.close()

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
