//! Trains the PHI guard's judge and writes its model file.
//!
//! ```text
//! scripts/phi-retrain.sh     # the shipped models, tagger and judge
//! cargo run -p huddle-core --release --example phi_judge_train -- \
//!     posts.jsonl flagged.jsonl [posts2.jsonl flagged2.jsonl ...] judge.bin
//! ```
//!
//! Inputs come in pairs: labelled posts (JSON Lines in the format of the development set)
//! and what the guard flagged in them before the judge (`phi_scan --no-judge`, with a
//! tagger that never saw those posts). A flagged span is a patient's when it overlaps a
//! labelled span that is not a clinician's name; one that overlaps only a clinician's name
//! is not learned from. The same inputs give the same file.

use std::collections::HashMap;

use huddle_core::lounge::phi::judge_train::{train, Example};
use huddle_core::lounge::phi::PhiSpan;

#[path = "common/posts.rs"]
mod posts;
use posts::{Labelled, Post};

const EPOCHS: usize = 10;
const SEED: u64 = 7;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((output, inputs)) = args
        .split_last()
        .filter(|(_, inputs)| !inputs.is_empty() && inputs.len() % 2 == 0)
    else {
        eprintln!("usage: phi_judge_train POSTS.jsonl FLAGGED.jsonl [...] OUT.bin");
        std::process::exit(2);
    };
    let mut examples = Vec::new();
    for pair in inputs.chunks_exact(2) {
        let (posts, flagged) = (&pair[0], &pair[1]);
        match read_pair(posts, flagged) {
            Ok(mut read) => {
                eprintln!("{posts}: {} posts", read.len());
                examples.append(&mut read);
            }
            Err(e) => {
                eprintln!("phi_judge_train: {e}");
                std::process::exit(1);
            }
        }
    }
    let model = train(&examples, EPOCHS, SEED);
    if let Err(e) = std::fs::write(output, model) {
        eprintln!("phi_judge_train: {output}: {e}");
        std::process::exit(1);
    }
}

#[derive(serde::Deserialize)]
struct Flagged {
    id: serde_json::Value,
    spans: Vec<PhiSpan>,
}

fn read_pair(posts: &str, flagged: &str) -> Result<Vec<Example>, String> {
    let mut by_id: HashMap<String, Vec<PhiSpan>> = posts::read::<Flagged>(flagged)?
        .into_iter()
        .map(|f| (f.id.to_string(), f.spans))
        .collect();
    let mut out = Vec::new();
    for post in posts::read::<Post>(posts)? {
        let spans = by_id
            .remove(&post.id.to_string())
            .ok_or_else(|| format!("{flagged}: nothing for post {}", post.id))?;
        let overlaps = |s: &PhiSpan, l: &Labelled| l.start < s.end && s.start < l.end;
        let labels = spans
            .iter()
            .map(|s| {
                let patients = post.spans.iter().any(|l| overlaps(s, l) && !l.clinician());
                let clinicians = post.spans.iter().any(|l| overlaps(s, l));
                if patients {
                    Some(true)
                } else if clinicians {
                    None
                } else {
                    Some(false)
                }
            })
            .collect();
        let has_phi = post.spans.iter().any(|l| !l.clinician());
        out.push(Example {
            text: post.text,
            spans,
            labels,
            has_phi,
        });
    }
    Ok(out)
}
