//! `huddle-bench signin URL [CONCURRENCY] [SECONDS]`: registers CONCURRENCY accounts, then
//! signs them in over and over from CONCURRENCY parallel clients for SECONDS, while a probe
//! requests /healthz and an authenticated /api/v1/me every 50 ms. It reports sign-in
//! throughput and latency, and the probes' latency: the question is whether Argon2 work
//! starves everything else.

use std::time::{Duration, Instant};

use serde_json::json;

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(idx).copied().unwrap_or_default()
}

pub fn summary(name: &str, mut samples: Vec<Duration>, errors: usize) -> String {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "| {name} | {} | {errors} | {:.1} | {:.1} | {:.1} | {:.1} |",
        samples.len(),
        ms(percentile(&samples, 0.50)),
        ms(percentile(&samples, 0.95)),
        ms(percentile(&samples, 0.99)),
        ms(samples.last().copied().unwrap_or_default()),
    )
}

pub async fn run(args: &[String]) -> anyhow::Result<()> {
    let Some(url) = args.first() else {
        anyhow::bail!("usage: huddle-bench signin URL [CONCURRENCY] [SECONDS]");
    };
    let concurrency: usize = args.get(1).map_or(Ok(50), |s| s.parse())?;
    let seconds: u64 = args.get(2).map_or(Ok(20), |s| s.parse())?;
    let password = "bench password that is long";
    let client = reqwest::Client::new();

    let run = std::process::id();
    let emails: Vec<String> = (0..concurrency)
        .map(|i| format!("bench{run}-{i}@example.org"))
        .collect();
    for email in &emails {
        let r = client
            .post(format!("{url}/api/v1/auth/register"))
            .json(&json!({ "email": email, "password": password, "display_name": "Bench" }))
            .send()
            .await?;
        anyhow::ensure!(r.status().is_success(), "register {email}: {}", r.status());
    }
    let token: serde_json::Value = client
        .post(format!("{url}/api/v1/auth/tokens"))
        .json(&json!({ "email": emails[0], "password": password, "name": format!("probe{run}") }))
        .send()
        .await?
        .json()
        .await?;
    let token = token["token"].as_str().unwrap_or_default().to_string();

    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut workers = Vec::new();
    for email in emails {
        let client = client.clone();
        let url = url.clone();
        workers.push(tokio::spawn(async move {
            let (mut ok, mut errors) = (Vec::new(), 0usize);
            while Instant::now() < deadline {
                let start = Instant::now();
                let r = client
                    .post(format!("{url}/api/v1/auth/login"))
                    .json(&json!({ "email": email, "password": password }))
                    .send()
                    .await;
                match r {
                    Ok(r) if r.status().is_success() => ok.push(start.elapsed()),
                    _ => errors += 1,
                }
            }
            (ok, errors)
        }));
    }
    let probe = {
        let client = client.clone();
        let url = url.clone();
        tokio::spawn(async move {
            let (mut health, mut me, mut errors) = (Vec::new(), Vec::new(), 0usize);
            while Instant::now() < deadline {
                let start = Instant::now();
                match client.get(format!("{url}/healthz")).send().await {
                    Ok(r) if r.status().is_success() => health.push(start.elapsed()),
                    _ => errors += 1,
                }
                let start = Instant::now();
                match client
                    .get(format!("{url}/api/v1/me"))
                    .bearer_auth(&token)
                    .send()
                    .await
                {
                    Ok(r) if r.status().is_success() => me.push(start.elapsed()),
                    _ => errors += 1,
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            (health, me, errors)
        })
    };
    let (mut signins, mut errors) = (Vec::new(), 0);
    for w in workers {
        let (ok, e) = w.await?;
        signins.extend(ok);
        errors += e;
    }
    let (health, me, probe_errors) = probe.await?;
    println!(
        "{concurrency} concurrent sign-in clients for {seconds} s: {:.1} sign-ins/s",
        signins.len() as f64 / seconds as f64
    );
    println!();
    println!("| requests | count | errors | p50 ms | p95 ms | p99 ms | max ms |");
    println!("|---|---|---|---|---|---|---|");
    println!(
        "{}",
        summary("sign-in (POST /api/v1/auth/login)", signins, errors)
    );
    println!("{}", summary("probe GET /healthz", health, probe_errors));
    println!("{}", summary("probe GET /api/v1/me (Bearer)", me, 0));
    Ok(())
}
