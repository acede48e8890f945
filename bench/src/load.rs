//! What the messaging and alert load generators share: the nodes under test, paced
//! senders, and the servers' CPU and memory read from /proc while they run.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::rng::Rng;

/// The servers under load: `URL[,URL…]` and, optionally, their process ids `PID[,PID…]`.
/// With several nodes, live sockets and senders are spread over them in turn.
pub struct Nodes {
    urls: Vec<String>,
    pids: Vec<u32>,
}

impl Nodes {
    pub fn parse(urls: &str, pids: Option<&String>) -> anyhow::Result<Nodes> {
        let urls: Vec<String> = urls.split(',').map(str::to_string).collect();
        let pids = match pids {
            Some(p) => p
                .split(',')
                .map(str::parse)
                .collect::<Result<Vec<u32>, _>>()?,
            None => Vec::new(),
        };
        Ok(Nodes { urls, pids })
    }

    /// The node for the i-th socket or request.
    pub fn url(&self, i: usize) -> &str {
        &self.urls[i % self.urls.len()]
    }

    pub fn count(&self) -> usize {
        self.urls.len()
    }

    /// Resident memory of all nodes together.
    pub fn rss_mib(&self) -> Option<u64> {
        sum(&self.pids, proc_rss_mib)
    }

    fn cpu_ticks(&self) -> Option<u64> {
        sum(&self.pids, proc_cpu_ticks)
    }
}

/// The whole machine's (busy, total) clock ticks over all cores, from /proc/stat: with
/// everything on one machine, how close to saturation a run was.
fn machine_ticks() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let ticks: Vec<u64> = stat
        .lines()
        .next()?
        .split_whitespace()
        .skip(1)
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    // user nice system idle iowait irq softirq steal (guest time is inside user)
    let total: u64 = ticks.iter().take(8).sum();
    let idle = ticks.get(3)? + ticks.get(4)?;
    Some((total - idle, total))
}

/// Percent of one core used between two readings of `ticks`.
fn cpu_percent(before: Option<u64>, after: Option<u64>, secs: f64) -> Option<f64> {
    let ticks_per_sec = 100.0;
    match (before, after) {
        (Some(a), Some(b)) => Some(b.saturating_sub(a) as f64 / ticks_per_sec / secs * 100.0),
        _ => None,
    }
}

fn sum(pids: &[u32], read: fn(u32) -> Option<u64>) -> Option<u64> {
    if pids.is_empty() {
        return None;
    }
    pids.iter().map(|&p| read(p)).sum()
}

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
    /// The servers' CPU over the run, in % of one core, and their RSS at the end.
    pub cpu_percent: Option<f64>,
    /// The load generator's own CPU, in % of one core, and the whole machine's busy share.
    pub generator_cpu_percent: Option<f64>,
    pub machine_busy_percent: Option<f64>,
    pub rss_mib: Option<u64>,
    /// (seconds since the start, RSS MiB, messages accepted in the interval before).
    pub samples: Vec<(u64, u64, u64)>,
}

impl Load {
    pub fn print_server(&self) {
        if let Some(cpu) = self.cpu_percent {
            println!("server CPU during the load: {cpu:.0}% of one core");
        }
        if let (Some(own), Some(busy)) = (self.generator_cpu_percent, self.machine_busy_percent) {
            println!(
                "load generator CPU: {own:.0}% of one core; machine busy: {busy:.0}% of {} cores",
                std::thread::available_parallelism().map_or(1, usize::from)
            );
        }
        if let Some(rss) = self.rss_mib {
            println!("server RSS at the end of the load: {rss} MiB");
        }
        if self.samples.len() > 2 {
            println!("server RSS over time (s: MiB, accepted/s in the interval before):");
            let mut before = 0;
            for &(at, rss, accepted) in &self.samples {
                let rate = accepted as f64 / (at - before).max(1) as f64;
                println!("  {at:>5} s: {rss:>5} MiB  {rate:>6.0}/s");
                before = at;
            }
        }
    }
}

/// Calls `send(sender, n)` RATE times a second for SECONDS, spread over enough senders that
/// each sends 8 a second on average, so a slow answer lowers the rate only if the server
/// really falls behind. Each sender waits an exponentially distributed time between
/// requests, so together they arrive as independent clients' would: a Poisson stream at
/// RATE a second. (Until 2026-12-03 the senders ticked together, every 125 ms, and each
/// tick brought all of them at once: the last request of a burst waited for the others.)
/// `send` answers whether the request was accepted. The servers' RSS is sampled twenty
/// times over the run (every 5 s at least), to show growth in a soak.
pub async fn paced<F, Fut>(rate: u64, seconds: u64, nodes: &Nodes, send: F) -> anyhow::Result<Load>
where
    F: Fn(u64, u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = bool> + Send,
{
    let senders = (rate / 8).max(16);
    let mean_gap = Duration::from_micros(1_000_000 * senders / rate.max(1));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let cpu_before = nodes.cpu_ticks();
    let own_before = proc_cpu_ticks(std::process::id());
    let machine_before = machine_ticks();
    let started = Instant::now();
    let send = Arc::new(send);
    let accepted_so_far = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for s in 0..senders {
        let (send, accepted_so_far) = (send.clone(), accepted_so_far.clone());
        tasks.push(tokio::spawn(async move {
            let (mut ok, mut errors, mut times) = (0u64, 0u64, Vec::new());
            // A fixed, well-spread seed per sender, so runs repeat.
            let mut gaps =
                Rng::new(0x9E37_79B9_7F4A_7C15 ^ (s + 1).wrapping_mul(0xD1B5_4A32_D192_ED03));
            let mut due = tokio::time::Instant::now() + gaps.exponential(mean_gap);
            let mut n = 0u64;
            while due.into_std() < deadline {
                tokio::time::sleep_until(due).await;
                n += 1;
                let sent = Instant::now();
                if send(s, n).await {
                    ok += 1;
                    accepted_so_far.fetch_add(1, Ordering::Relaxed);
                    times.push(sent.elapsed());
                } else {
                    errors += 1;
                }
                // A sender whose answer came after its next request was due sends at once.
                due = (due + gaps.exponential(mean_gap)).max(tokio::time::Instant::now());
            }
            (ok, errors, times)
        }));
    }
    let every = Duration::from_secs((seconds / 20).max(5));
    let mut samples = Vec::new();
    let mut counted = 0;
    while Instant::now() + every <= deadline {
        tokio::time::sleep(every).await;
        let total = accepted_so_far.load(Ordering::Relaxed);
        if let Some(rss) = nodes.rss_mib() {
            samples.push((started.elapsed().as_secs(), rss, total - counted));
        }
        counted = total;
    }
    let (mut accepted, mut errors, mut times) = (0, 0, Vec::new());
    for t in tasks {
        let (ok, e, ts) = t.await?;
        accepted += ok;
        errors += e;
        times.extend(ts);
    }
    let secs = started.elapsed().as_secs_f64();
    let machine_busy_percent = match (machine_before, machine_ticks()) {
        (Some((busy0, total0)), Some((busy1, total1))) if total1 > total0 => {
            Some(busy1.saturating_sub(busy0) as f64 / (total1 - total0) as f64 * 100.0)
        }
        _ => None,
    };
    Ok(Load {
        accepted,
        errors,
        times,
        secs,
        cpu_percent: cpu_percent(cpu_before, nodes.cpu_ticks(), secs),
        generator_cpu_percent: cpu_percent(own_before, proc_cpu_ticks(std::process::id()), secs),
        machine_busy_percent,
        rss_mib: nodes.rss_mib(),
        samples,
    })
}
