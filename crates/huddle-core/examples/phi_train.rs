//! Trains the PHI guard's tagger on the synthetic corpus and writes its model file.
//!
//! ```text
//! cargo run -p huddle-core --release --example phi_gen -- train 1 40000 > train.jsonl
//! cargo run -p huddle-core --release --example phi_train -- train.jsonl \
//!     crates/huddle-core/src/lounge/phi/data/tagger.bin
//! ```
//!
//! Only NAME spans of patients and relatives (not `who: clinician`) and LOCATION spans are
//! learned; the other identifiers are found by the guard's patterns. The same corpus, epochs
//! and seed give the same file.

use std::io::BufRead;

use huddle_core::lounge::phi::tagger_train::{train, Example};

const EPOCHS: usize = 8;
const SEED: u64 = 20;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(input), Some(output)) = (args.first(), args.get(1)) else {
        eprintln!("usage: phi_train TRAIN.jsonl OUT.bin");
        std::process::exit(2);
    };
    let file = match std::fs::File::open(input) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("phi_train: {input}: {e}");
            std::process::exit(1);
        }
    };
    let mut examples = Vec::new();
    for line in std::io::BufReader::new(file).lines() {
        let Ok(line) = line else { break };
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        let Some(text) = v.get("text").and_then(|t| t.as_str()) else {
            continue;
        };
        let mut spans = Vec::new();
        for s in v
            .get("spans")
            .and_then(|s| s.as_array())
            .into_iter()
            .flatten()
        {
            let get = |k: &str| s.get(k).and_then(|x| x.as_u64()).map(|x| x as usize);
            let (Some(start), Some(end)) = (get("start"), get("end")) else {
                continue;
            };
            let tag = match (
                s.get("type").and_then(|x| x.as_str()),
                s.get("who").and_then(|x| x.as_str()),
            ) {
                (Some("NAME"), Some("clinician")) => continue,
                (Some("NAME"), _) => 1,
                (Some("LOCATION"), _) => 2,
                _ => continue,
            };
            spans.push((start, end, tag));
        }
        examples.push(Example {
            text: text.to_string(),
            spans,
        });
    }
    eprintln!("{} examples", examples.len());
    let model = train(&examples, EPOCHS, SEED);
    if let Err(e) = std::fs::write(output, model) {
        eprintln!("phi_train: {output}: {e}");
        std::process::exit(1);
    }
}
