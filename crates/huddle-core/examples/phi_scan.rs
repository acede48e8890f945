//! Runs the lounge's PHI guard over JSON Lines and prints its predictions, or times it.
//!
//! ```text
//! cargo run -p huddle-core --release --example phi_scan -- notes.jsonl > pred.jsonl
//! cargo run -p huddle-core --release --example phi_scan < notes.jsonl > pred.jsonl
//! cargo run -p huddle-core --release --example phi_scan -- --bench
//! cargo run -p huddle-core --release --example phi_scan -- --no-tagger notes.jsonl  # rules only
//! cargo run -p huddle-core --release --example phi_scan -- --no-rules notes.jsonl   # tagger only
//! cargo run -p huddle-core --release --example phi_scan -- --no-judge notes.jsonl   # before the judge
//! cargo run -p huddle-core --release --example phi_scan -- --model tagger.bin --judge judge.bin notes.jsonl
//! ```
//!
//! Input lines are objects with at least `id` and `text`; output lines are
//! `{"id": ..., "spans": [{"start", "end", "type"}]}` with UTF-8 byte offsets.

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::time::Instant;

use huddle_core::lounge::phi::{
    judge_model_override, scan_with, tagger_model_override, Detectors, PhiSpan,
};

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    // Model files to measure instead of the embedded ones.
    model_option(&mut args, "--model", "tagger", tagger_model_override);
    model_option(&mut args, "--judge", "judge", judge_model_override);
    let which = Detectors {
        rules: !args.iter().any(|a| a == "--no-rules"),
        tagger: !args.iter().any(|a| a == "--no-tagger"),
        judge: !args.iter().any(|a| a == "--no-judge"),
    };
    let result = if args.iter().any(|a| a == "--bench") {
        bench(which);
        Ok(())
    } else {
        predict(
            args.iter()
                .find(|a| !a.starts_with("--"))
                .map(String::as_str),
            which,
        )
    };
    if let Err(e) = result {
        eprintln!("phi_scan: {e}");
        std::process::exit(1);
    }
}

/// Takes `option FILE` out of `args` and loads FILE with `load`; exits if it is no model.
fn model_option(args: &mut Vec<String>, option: &str, what: &str, load: fn(Vec<u8>) -> bool) {
    let Some(k) = args.iter().position(|a| a == option) else {
        return;
    };
    let Some(path) = args.get(k + 1).cloned() else {
        eprintln!("phi_scan: {option} needs a file");
        std::process::exit(2);
    };
    if !std::fs::read(&path).map(load).unwrap_or(false) {
        eprintln!("phi_scan: {path}: not a {what} model");
        std::process::exit(1);
    }
    args.drain(k..k + 2);
}

#[derive(serde::Serialize)]
struct Prediction<'a> {
    id: &'a serde_json::Value,
    spans: Vec<PhiSpan>,
}

fn predict(path: Option<&str>, which: Detectors) -> Result<(), String> {
    let input: Box<dyn BufRead> = match path {
        Some(p) if p != "-" => Box::new(BufReader::new(
            std::fs::File::open(p).map_err(|e| format!("{p}: {e}"))?,
        )),
        _ => Box::new(BufReader::new(std::io::stdin())),
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for (n, line) in input.lines().enumerate() {
        let line = line.map_err(|e| format!("line {}: {e}", n + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let record: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| format!("line {}: {e}", n + 1))?;
        let text = record
            .get("text")
            .and_then(|t| t.as_str())
            .ok_or_else(|| format!("line {}: no \"text\" string", n + 1))?;
        let id = record.get("id").unwrap_or(&serde_json::Value::Null);
        let pred = Prediction {
            id,
            spans: scan_with(text, which),
        };
        let json = serde_json::to_string(&pred).map_err(|e| e.to_string())?;
        writeln!(out, "{json}").map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())
}

/// Synthetic clinical text (written for this benchmark, no real patient) with some PHI.
const PARAGRAPHS: &[&str] = &[
    "NURSING PROGRESS NOTE 7P-7A: 78 YO MALE ADMITTED 3/14 FROM WESTFIELD HOSPITAL WITH CHF \
     EXACERBATION. NEURO: A+OX3, MAE, STRENGTH 5/5 BILAT, PERRLA. CV: HR 88-96 SR, NO ECTOPY, \
     BP 110-130/60-70, 2/6 SEM AT LSB. RESP: LS CRACKLES BASES, O2 2L NC SATS 95%. ",
    "Pt is a 92 yo woman s/p fall on 2/27/2024 at her home at 14 Birch Lane in Towson. Daughter \
     Maria Kowalski (410-555-0137) is HCP and was updated by phone. Dr. Patel aware of K 3.2, \
     repleted with KCl 40 mEq PO. Lasix 40 mg IV given with good effect, UO 100-200 cc/hr. ",
    "GI: abd soft, +BS, tolerating clears. Plan: PT/OT eval, f/u echo, goal I/O neg 1L, pain \
     3/10 on tylenol 650 mg q6h. MI in 1998, CABG 2004. ABG 7.36/44/88/25. Family meeting \
     planned for Friday with son John and social work. Transfer to Quartermain 3 when bed. ",
    "Social: lives with wife in Glen Burnie, retired machinist, former smoker 40 pk-yr. Wife's \
     cell 443 555 0199. MRN 00981234. Pacemaker serial PJN223344 interrogated 12/2/2023. \
     Temp 37.4, WBC 11.2, Hct 31.5, plt 210, INR 1.3. Heparin gtt at 900 units/hr per protocol. ",
];

fn bench(which: Detectors) {
    let mut post = String::new();
    let mut i = 0;
    while post.len() < 10_000 {
        if let Some(p) = PARAGRAPHS.get(i % PARAGRAPHS.len()) {
            post.push_str(p);
        }
        i += 1;
    }
    // Warm-up: the dictionaries and regexes are built on first use.
    let first = Instant::now();
    let spans = scan_with(&post, which);
    let cold = first.elapsed();
    let runs = 2000;
    let mut times: Vec<f64> = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        let n = scan_with(std::hint::black_box(&post), which).len();
        std::hint::black_box(n);
        times.push(t.elapsed().as_secs_f64() * 1e6);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| -> f64 {
        let idx = ((times.len() as f64 - 1.0) * p).round() as usize;
        times.get(idx).copied().unwrap_or(f64::NAN)
    };
    println!(
        "post: {} bytes, {} spans flagged; first call (builds dictionaries): {:.1} ms",
        post.len(),
        spans.len(),
        cold.as_secs_f64() * 1e3
    );
    println!(
        "{runs} calls: p50 {:.0} us, p95 {:.0} us, max {:.0} us per call",
        pct(0.5),
        pct(0.95),
        times.last().copied().unwrap_or(f64::NAN)
    );
}
