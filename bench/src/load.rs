//! What the messaging and alert load generators share: paced senders, and the server's
//! CPU and memory read from /proc while they run.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub fn proc_rss_mib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: u64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb / 1024)
}

/// utime + stime of a process, in clock ticks.
pub fn proc_cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// What a paced run did.
pub struct Load {
    pub accepted: u64,
    pub errors: u64,
    /// Latency of each accepted request.
    pub times: Vec<Duration>,
    pub secs: f64,
    /// The server's CPU over the run, in % of one core, and its RSS at the end.
    pub cpu_percent: Option<f64>,
    pub rss_mib: Option<u64>,
}

impl Load {
    pub fn print_server(&self) {
        if let Some(cpu) = self.cpu_percent {
            println!("server CPU during the load: {cpu:.0}% of one core");
        }
        if let Some(rss) = self.rss_mib {
            println!("server RSS at the end of the load: {rss} MiB");
        }
    }
}

/// Calls `send(sender, n)` RATE times a second for SECONDS, spread over enough tasks that
/// each has 125 ms per request, so a slow answer lowers the rate only if the server really
/// falls behind. `send` answers whether the request was accepted.
pub async fn paced<F, Fut>(
    rate: u64,
    seconds: u64,
    pid: Option<u32>,
    send: F,
) -> anyhow::Result<Load>
where
    F: Fn(u64, u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = bool> + Send,
{
    let senders = (rate / 8).max(16);
    let interval = Duration::from_micros(1_000_000 * senders / rate.max(1));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let cpu_before = pid.and_then(proc_cpu_ticks);
    let started = Instant::now();
    let send = Arc::new(send);
    let mut tasks = Vec::new();
    for s in 0..senders {
        let send = send.clone();
        tasks.push(tokio::spawn(async move {
            let (mut ok, mut errors, mut times) = (0u64, 0u64, Vec::new());
            let mut tick = tokio::time::interval(interval);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut n = 0u64;
            while Instant::now() < deadline {
                tick.tick().await;
                n += 1;
                let sent = Instant::now();
                if send(s, n).await {
                    ok += 1;
                    times.push(sent.elapsed());
                } else {
                    errors += 1;
                }
            }
            (ok, errors, times)
        }));
    }
    let (mut accepted, mut errors, mut times) = (0, 0, Vec::new());
    for t in tasks {
        let (ok, e, ts) = t.await?;
        accepted += ok;
        errors += e;
        times.extend(ts);
    }
    let secs = started.elapsed().as_secs_f64();
    let ticks_per_sec = 100.0;
    let cpu_percent = match (cpu_before, pid.and_then(proc_cpu_ticks)) {
        (Some(a), Some(b)) => Some((b - a) as f64 / ticks_per_sec / secs * 100.0),
        _ => None,
    };
    Ok(Load {
        accepted,
        errors,
        times,
        secs,
        cpu_percent,
        rss_mib: pid.and_then(proc_rss_mib),
    })
}
