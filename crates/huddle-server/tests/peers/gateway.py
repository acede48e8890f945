"""An organization's paging gateway for Huddle's tests, written apart from Huddle: it checks
each call's Huddle-Signature (HMAC-SHA256 of "<t>.<body>" under the shared secret, hex)
with Python's hmac module, answers 401 to a bad one, and appends each good call to OUTFILE
as one JSON line (delivery id, body). Prints "ready"; runs until its stdin closes.

usage: gateway.py PORT SECRET_HEX OUTFILE
"""

import hashlib
import hmac
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def handler(secret, out):
    class Gateway(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            fields = dict(
                part.split("=", 1)
                for part in self.headers.get("huddle-signature", "").split(",")
                if "=" in part
            )
            expected = hmac.new(
                secret, fields.get("t", "").encode() + b"." + body, hashlib.sha256
            ).hexdigest()
            if not hmac.compare_digest(expected, fields.get("v1", "")):
                self.send_response(401)
                self.end_headers()
                return
            with open(out, "a", encoding="utf-8") as f:
                f.write(
                    json.dumps(
                        {
                            "delivery": self.headers.get("huddle-delivery"),
                            "body": json.loads(body),
                        }
                    )
                    + "\n"
                )
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    return Gateway


def main():
    port, secret, out = int(sys.argv[1]), bytes.fromhex(sys.argv[2]), sys.argv[3]
    server = ThreadingHTTPServer(("127.0.0.1", port), handler(secret, out))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("ready", flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
