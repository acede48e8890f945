#!/usr/bin/env bash
# The Debian packages Huddle's build and tests need beyond Rust, installed when missing:
# OpenSSL's headers and pkg-config (the `ece` crate behind Web Push encryption links
# OpenSSL), the openssl command (test certificates for TLS and MLLP over TLS) and Python's
# venv (the independent protocol peers, scripts/test-peers.sh). Idempotent.
set -euo pipefail
missing=()
pkg-config --exists openssl 2>/dev/null || missing+=(libssl-dev pkg-config)
command -v openssl >/dev/null || missing+=(openssl)
python3 -c "import venv, ensurepip" 2>/dev/null || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}"
fi
