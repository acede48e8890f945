#!/usr/bin/env bash
# Retrains the lounge PHI guard's tagger and writes its model file
# (crates/huddle-core/src/lounge/phi/data/tagger.bin). Deterministic: the same generator,
# seed, word lists and hand-written sets give the same bytes.
#
# Trained on: the synthetic corpus of examples/phi_gen.rs (seed 1, 40,000 posts) and,
# weighted four times, the hand-written sets that are no longer holdouts (bench/phi-written
# to phi-written8, bench/phi-train1 to phi-train8). Never on ../shared/phi/dev.jsonl, and
# never on the holdouts bench/phi-written9 to phi-written12.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
cargo build -p huddle-core --release --example phi_gen --example phi_train
corpus="$(mktemp)"
trap 'rm -f "$corpus"' EXIT
"$CARGO_TARGET_DIR/release/examples/phi_gen" train 1 40000 > "$corpus"
hand=()
for set in phi-written phi-written2 phi-written3 phi-written4 phi-written5 phi-written6 \
    phi-written7 phi-written8 phi-train1 phi-train2 phi-train3 phi-train4 phi-train5 \
    phi-train6 phi-train7 phi-train8; do
    hand+=("bench/$set/posts.jsonl")
done
"$CARGO_TARGET_DIR/release/examples/phi_train" "$corpus" --repeat 4 "${hand[@]}" \
    "${1:-crates/huddle-core/src/lounge/phi/data/tagger.bin}"
