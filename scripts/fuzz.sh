#!/usr/bin/env bash
# cargo-fuzz over Huddle's parsers of untrusted input: HL7 v2 (MLLP feeds), FHIR
# CommunicationRequest intake, both markdown renderers and the lounge's PHI guard.
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 600: the 10-minute runs)
# CI runs it for a few seconds per target. Rust's own checks stand in for a sanitizer
# (the code forbids `unsafe`), so targets build without one (-s none), on stable Rust.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${1:-600}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --version 0.13.2
for target in hl7 fhir_intake markdown phi; do
  mkdir -p "corpus/$target"
  echo "fuzz: $target for ${seconds}s" >&2
  cargo fuzz run -s none -O "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1
done
