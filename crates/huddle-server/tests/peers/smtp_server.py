"""A real SMTP server for Huddle's mail tests: aiosmtpd (PyPI) with STARTTLS required, so a
message that arrives was sent over TLS. Each message is appended to OUTFILE as one JSON line.

usage: smtp_server.py PORT CERT KEY OUTFILE
Prints "ready" once it accepts connections; runs until its stdin closes.
"""

import email
import email.policy
import json
import ssl
import sys

from aiosmtpd.controller import Controller


class Keep:
    def __init__(self, out):
        self.out = out

    async def handle_DATA(self, server, session, envelope):
        # The text as a mail client shows it (transfer encoding undone), beside the raw data.
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        text = body.get_content() if body is not None else ""
        with open(self.out, "a", encoding="utf-8") as f:
            f.write(
                json.dumps(
                    {
                        "from": envelope.mail_from,
                        "to": envelope.rcpt_tos,
                        "data": envelope.content.decode("utf-8", "replace"),
                        "subject": str(message["subject"]),
                        "text": text,
                    }
                )
                + "\n"
            )
        return "250 OK"


def main():
    port, cert, key, out = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    controller = Controller(
        Keep(out),
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
    )
    controller.start()
    print("ready", flush=True)
    sys.stdin.read()
    controller.stop()


if __name__ == "__main__":
    main()
