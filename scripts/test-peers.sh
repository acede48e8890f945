#!/usr/bin/env bash
# The independent protocol peers some tests talk to, in a venv: http_ece and cryptography
# (PyPI) for a Web Push device that decrypts what Huddle sends; aiosmtpd, a real SMTP server
# for mail. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/peers-venv
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c "import http_ece, cryptography, aiosmtpd" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q http-ece==1.2.1 cryptography aiosmtpd==1.4.6
fi
