#!/usr/bin/env bash
# The independent protocol peers some tests talk to, in a venv: http_ece and cryptography
# (PyPI) for a Web Push device that decrypts what Huddle sends; aiosmtpd, a real SMTP server
# for mail; scim2-tester, an independent SCIM 2.0 conformance checker. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/peers-venv
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c "import http_ece, cryptography, aiosmtpd, scim2_tester" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q http-ece==1.2.1 cryptography aiosmtpd==1.4.6 \
    scim2-tester==0.5.2 scim2-client==0.13.2 scim2-models==0.12.3 httpx2==2.17.0
fi
