//! Trains the PHI guard's tagger and writes its model file.
//!
//! ```text
//! scripts/phi-retrain.sh            # the shipped model, from the commands below
//! cargo run -p huddle-core --release --example phi_gen -- train 1 40000 > train.jsonl
//! cargo run -p huddle-core --release --example phi_train -- train.jsonl \
//!     --repeat 4 bench/phi-train1/posts.jsonl ... \
//!     crates/huddle-core/src/lounge/phi/data/tagger.bin
//! ```
//!
//! Inputs are JSON Lines in the format of the development set; `--repeat N` counts each
//! post of the files after it N times (hand-written posts weigh more than generated ones).
//! Only NAME spans of patients and relatives (not `who: clinician`) and LOCATION spans are
//! learned; the other identifiers are found by the guard's patterns. The same inputs,
//! epochs and seed give the same file.

use huddle_core::lounge::phi::tagger_train::{train, Example};

#[path = "common/posts.rs"]
mod posts;
use posts::Post;

const EPOCHS: usize = 8;
const SEED: u64 = 20;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((output, inputs)) = args.split_last().filter(|(_, inputs)| !inputs.is_empty()) else {
        eprintln!("usage: phi_train [--repeat N] TRAIN.jsonl... OUT.bin");
        std::process::exit(2);
    };
    let mut examples = Vec::new();
    let mut repeat = 1usize;
    let mut inputs = inputs.iter();
    while let Some(input) = inputs.next() {
        if input == "--repeat" {
            repeat = match inputs.next().and_then(|n| n.parse().ok()) {
                Some(n) if n > 0 => n,
                _ => {
                    eprintln!("phi_train: --repeat takes a positive whole number");
                    std::process::exit(2);
                }
            };
            continue;
        }
        let read = match read_examples(input) {
            Ok(read) => read,
            Err(e) => {
                eprintln!("phi_train: {e}");
                std::process::exit(1);
            }
        };
        eprintln!("{input}: {} examples, {repeat} time(s)", read.len());
        for _ in 0..repeat {
            examples.extend(read.iter().cloned());
        }
    }
    eprintln!("{} examples", examples.len());
    let model = train(&examples, EPOCHS, SEED);
    if let Err(e) = std::fs::write(output, model) {
        eprintln!("phi_train: {output}: {e}");
        std::process::exit(1);
    }
}

/// The posts of one JSON Lines file, with the spans the tagger learns: names of patients
/// and relatives, and places.
fn read_examples(input: &str) -> Result<Vec<Example>, String> {
    Ok(posts::read::<Post>(input)?
        .into_iter()
        .map(|post| {
            let spans = post
                .spans
                .iter()
                .filter_map(|l| match l.kind.as_str() {
                    "NAME" if !l.clinician() => Some((l.start, l.end, 1)),
                    "LOCATION" => Some((l.start, l.end, 2)),
                    _ => None,
                })
                .collect();
            Example {
                text: post.text,
                spans,
            }
        })
        .collect())
}
