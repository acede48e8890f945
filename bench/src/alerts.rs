//! `huddle-bench alerts URL[,URL…] [RATE] [SECONDS] [PHYSICIANS] [PID[,PID…]]`: the routing live
//! path. The accounts come from bench/alerts.sh (`bench-admin@example.org` administers the
//! organization; `bench-p{i}@example.org` are its physicians). The administrator imports a
//! schedule with every physician on call and registers a lab feed, each physician holds a
//! live WebSocket, and alerts (critical results, which always interrupt) arrive at RATE a
//! second through POST /api/v1/alerts with the feed's integration credential. It reports intake latency (until the 2xx: stored and routed) and
//! intake → interrupt on the physician's socket. With several nodes, sockets and senders
//! take the nodes in turn.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use huddle_core::clock::{format_rfc3339, Clock, SystemClock, HOUR};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use crate::load::{paced, Nodes};
use crate::signin::summary;

pub const PASSWORD: &str = "bench password that is long";

async fn token(http: &reqwest::Client, url: &str, email: &str) -> anyhow::Result<String> {
    let v: Value = http
        .post(format!("{url}/api/v1/auth/tokens"))
        .json(&json!({ "email": email, "password": PASSWORD, "name": "bench" }))
        .send()
        .await?
        .json()
        .await?;
    v["token"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| anyhow::anyhow!("no token for {email}: {v}"))
}

pub async fn run(args: &[String]) -> anyhow::Result<()> {
    let Some(urls) = args.first() else {
        anyhow::bail!(
            "usage: huddle-bench alerts URL[,URL…] [RATE] [SECONDS] [PHYSICIANS] [PID[,PID…]]"
        );
    };
    let rate: u64 = args.get(1).map_or(Ok(500), |s| s.parse())?;
    let seconds: u64 = args.get(2).map_or(Ok(30), |s| s.parse())?;
    let physicians: usize = args.get(3).map_or(Ok(40), |s| s.parse())?;
    let nodes = Arc::new(Nodes::parse(urls, args.get(4))?);
    let url = nodes.url(0).to_string();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .build()?;

    let admin = token(&http, &url, "bench-admin@example.org").await?;
    let me: Value = http
        .get(format!("{url}/api/v1/me"))
        .bearer_auth(&admin)
        .send()
        .await?
        .json()
        .await?;
    let org = me["organization_id"]
        .as_i64()
        .ok_or_else(|| anyhow::anyhow!("the admin has no organization: {me}"))?;
    // Alerts come in as a hospital's feed sends them: with its own integration credential.
    let registered: Value = http
        .post(format!("{url}/api/v1/organizations/{org}/integrations"))
        .bearer_auth(&admin)
        .json(&json!({ "name": "Bench lab", "sources": "lab", "kinds": "critical_lab" }))
        .send()
        .await?
        .json()
        .await?;
    let feed = registered["credential"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("no feed credential: {registered}"))?
        .to_string();
    let mut docs = Vec::new();
    for i in 0..physicians {
        let email = format!("bench-p{i}@example.org");
        let t = token(&http, &url, &email).await?;
        let me: Value = http
            .get(format!("{url}/api/v1/me"))
            .bearer_auth(&t)
            .send()
            .await?
            .json()
            .await?;
        docs.push((
            me["id"].as_i64().unwrap_or_default(),
            t,
            format!("svc{}", i % 4),
            email,
        ));
    }
    let now = SystemClock.now();
    let mut csv = String::from("email,service,role,start,end\n");
    for (_, _, service, email) in &docs {
        csv.push_str(&format!(
            "{email},{service},oncall,{},{}\n",
            format_rfc3339(now - HOUR),
            format_rfc3339(now + 11 * HOUR)
        ));
    }
    let r = http
        .post(format!("{url}/api/v1/organizations/{org}/shifts"))
        .bearer_auth(&admin)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await?;
    anyhow::ensure!(r.status().is_success(), "shift import: {}", r.text().await?);

    let start = Instant::now();
    let latencies = Arc::new(Mutex::new(Vec::<Duration>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut sockets = Vec::new();
    for (i, (_, t, _, _)) in docs.iter().enumerate() {
        let ws_base = nodes.url(i).replace("http://", "ws://");
        let (ws, _) =
            tokio_tungstenite::connect_async(format!("{ws_base}/api/v1/live?token={t}")).await?;
        let (latencies, stop) = (latencies.clone(), stop.clone());
        sockets.push(tokio::spawn(async move {
            let mut ws = ws;
            let mut mine = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let Ok(Some(Ok(Message::Text(text)))) =
                    tokio::time::timeout(Duration::from_millis(500), ws.next()).await
                else {
                    continue;
                };
                let Ok(event) = serde_json::from_str::<Value>(&text) else {
                    continue;
                };
                if event["type"] != "alert.interrupt" {
                    continue;
                }
                if let Some(sent) = event["alert"]["text"]
                    .as_str()
                    .and_then(|b| b.strip_prefix("t="))
                    .and_then(|t| t.parse::<u64>().ok())
                {
                    mine.push(Duration::from_micros(
                        (start.elapsed().as_micros() as u64).saturating_sub(sent),
                    ));
                }
            }
            if let Ok(mut all) = latencies.lock() {
                all.extend(mine);
            }
        }));
    }
    println!("{} physicians on call with a live socket each", docs.len());
    if let Some(rss) = nodes.rss_mib() {
        println!("server RSS before the load: {rss} MiB");
    }

    let docs = Arc::new(docs);
    let senders_nodes = nodes.clone();
    let load = paced(rate, seconds, &nodes, move |s, n| {
        let (http, docs, feed) = (http.clone(), docs.clone(), feed.clone());
        let url = senders_nodes.url(s as usize).to_string();
        async move {
            let (id, _, service, _) = &docs[((s * 7919 + n) % docs.len() as u64) as usize];
            http.post(format!("{url}/api/v1/alerts"))
                .bearer_auth(&feed)
                .json(&json!({
                    "source": "lab", "source_id": format!("b{s}-{n}"), "category": "critical_lab",
                    "priority": "urgent", "service": service, "recipient": id.to_string(),
                    "patient": "SYN-BENCH", "text": format!("t={}", start.elapsed().as_micros()),
                }))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
        }
    })
    .await?;
    let (accepted, errors, load_secs) = (load.accepted, load.errors, load.secs);
    tokio::time::sleep(Duration::from_secs(2)).await;
    stop.store(true, Ordering::Relaxed);
    for s in sockets {
        let _ = s.await;
    }
    let deliveries = latencies.lock().map(|l| l.clone()).unwrap_or_default();
    println!();
    println!("{accepted} of {} alerts offered were accepted in {load_secs:.1} s: {:.0} alerts/s (offered: a Poisson stream averaging {rate}/s); {} interrupts delivered live", accepted + errors, accepted as f64 / load_secs, deliveries.len());
    load.print_server();
    println!();
    println!("| measure | count | errors | p50 ms | p95 ms | p99 ms | max ms |");
    println!("|---|---|---|---|---|---|---|");
    println!(
        "{}",
        summary(
            "intake (POST /api/v1/alerts until 2xx)",
            load.times,
            errors as usize
        )
    );
    println!(
        "{}",
        summary(
            "intake → interrupt on the physician's socket",
            deliveries,
            0
        )
    );
    Ok(())
}
