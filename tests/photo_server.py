#!/usr/bin/env python3
"""A web server for tests/photo_url.sh: python's http.server serving DIR
on 127.0.0.1 at a port the system picks, which it prints as its first
line, plus a few addresses a plain file server lacks:
  /redirect/NAME   302 to /NAME
  /loop            302 to itself, for ever
  /to-ftp          302 to an ftp:// address
  /big             11 MiB that begin as a JPEG, without a Content-Length
  /slow            the start of a JPEG, then nothing for 30 s
Every request is logged on standard error, as http.server does.
  photo_server.py DIR"""
import functools
import http.server
import sys
import time


class Handler(http.server.SimpleHTTPRequestHandler):
    def redirect(self, where):
        self.send_response(302)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        if self.path.startswith("/redirect/"):
            return self.redirect("/" + self.path[len("/redirect/"):])
        if self.path == "/loop":
            return self.redirect("/loop")
        if self.path == "/to-ftp":
            return self.redirect("ftp://127.0.0.1/me.jpg")
        if self.path == "/big":
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            chunk = b"\xff\xd8\xff\xe0" + bytes(65532)
            try:
                for _ in range(11 * 16):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading, as it should
            return None
        if self.path == "/slow":
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"\xff\xd8\xff\xe0")
            self.wfile.flush()
            time.sleep(30)
            return None
        return super().do_GET()


def main():
    handler = functools.partial(Handler, directory=sys.argv[1])
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True  # a sleeping /slow does not hold up exit
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
