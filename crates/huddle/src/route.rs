//! `huddle route`: the routing engine off the live path. `protocol` speaks the replay
//! protocol on standard input and output; `simulate` replays an organization's own
//! history and prints what static policy and predictive routing would have cost.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use huddle_core::routing::protocol::Session;
use huddle_core::routing::replay::{replay, Metrics};
use huddle_core::routing::Mode;

/// A line of the simulation report: its name and how to read it off the metrics.
type Row = (&'static str, fn(&Metrics) -> String);

/// Runs the engine as a protocol filter until `{"type":"end"}` or the end of input.
pub fn protocol(mode: Mode) -> anyhow::Result<ExitCode> {
    let stdin = std::io::stdin().lock();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut session = Session::new(mode);
    for line in stdin.lines() {
        let line = line?;
        if let Some(answer) = session.handle(&line)? {
            out.write_all(answer.as_bytes())?;
            out.write_all(b"\n")?;
            // The driver waits for each decision before it sends the next line.
            out.flush()?;
        }
        if session.ended {
            break;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Reads a history (JSON lines, gzip-compressed when the name ends in .gz; `-` for
/// standard input) and prints both engines' metrics side by side.
pub fn simulate(history: &Path) -> anyhow::Result<ExitCode> {
    let reader: Box<dyn Read> = if history == Path::new("-") {
        Box::new(std::io::stdin())
    } else {
        let file = std::fs::File::open(history)
            .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", history.display()))?;
        if history.extension().is_some_and(|e| e == "gz") {
            Box::new(flate2::read::GzDecoder::new(file))
        } else {
            Box::new(file)
        }
    };
    let lines: Vec<String> = BufReader::new(reader).lines().collect::<Result<_, _>>()?;
    let started = std::time::Instant::now();
    let fixed = replay(&lines, Mode::Static)?;
    let learned = replay(&lines, Mode::Predictive)?;
    let rows: [Row; 11] = [
        ("alerts", |m| m.alerts.to_string()),
        ("notifications per shift", |m| {
            format!("{:.2}", m.notifications_per_shift)
        }),
        ("interrupts", |m| m.interrupts.to_string()),
        ("digests", |m| m.digests.to_string()),
        ("false-positive notifications", |m| {
            m.fp_notifications.to_string()
        }),
        ("off-duty notifications", |m| {
            m.offduty_notifications.to_string()
        }),
        ("actionable alerts", |m| m.actionable.to_string()),
        ("late actionable", |m| m.late_actionable.to_string()),
        ("late critical", |m| m.late_critical.to_string()),
        ("policy violations", |m| m.policy_violations.to_string()),
        ("invalid decisions", |m| m.invalid.to_string()),
    ];
    println!("{:<30} {:>14} {:>14}", "", "static policy", "predictive");
    for (name, value) in rows {
        println!("{name:<30} {:>14} {:>14}", value(&fixed), value(&learned));
    }
    let share = learned.fp_notifications as f64 / fixed.fp_notifications.max(1) as f64;
    println!(
        "\npredictive routing sends {:.0}% of static policy's false-positive notifications ({:.1} s)",
        share * 100.0,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
