//! `huddle-bench messaging URL[,URL…] [CLIENTS] [RATE] [SECONDS] [GROUP] [PID[,PID…]]`: registers
//! CLIENTS people, puts them in group conversations of GROUP members, connects one live
//! WebSocket per person, then sends RATE messages a second for SECONDS through the API,
//! each from a member of a random group. It reports accepted messages a second, the send
//! latency (until the 2xx: the message is committed), the send→receive latency over every
//! delivery, and the servers' RSS (over time) and CPU when their PIDs are given. With
//! several nodes, sockets and senders take the nodes in turn, so most deliveries cross
//! from one node to another.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::{json, Value};
use tokio::sync::Semaphore;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;

use crate::load::{paced, Nodes};
use crate::rng::Rng;
use crate::signin::summary;

/// The part of a live event the generator reads, borrowed from the frame: parsing every
/// delivery into a `serde_json::Value` cost the shared CPU more than the server's JSON.
#[derive(serde::Deserialize)]
struct Event<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    #[serde(borrow)]
    message: Option<Sent<'a>>,
}

#[derive(serde::Deserialize)]
struct Sent<'a> {
    body: &'a str,
}

struct Person {
    id: i64,
    token: String,
}

pub async fn run(args: &[String]) -> anyhow::Result<()> {
    let Some(urls) = args.first() else {
        anyhow::bail!(
            "usage: huddle-bench messaging URL[,URL…] [CLIENTS] [RATE] [SECONDS] [GROUP] [PID[,PID…]]"
        );
    };
    let clients: usize = args.get(1).map_or(Ok(1000), |s| s.parse())?;
    let rate: u64 = args.get(2).map_or(Ok(500), |s| s.parse())?;
    let seconds: u64 = args.get(3).map_or(Ok(20), |s| s.parse())?;
    let group: usize = args.get(4).map_or(Ok(8), |s| s.parse())?;
    let nodes = Arc::new(Nodes::parse(urls, args.get(5))?);
    // Setting up goes to the first node: every node serves the same database.
    let url = nodes.url(0).to_string();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .build()?;
    let run = std::process::id();

    // People: registration and a token each (two Argon2 operations per person).
    let setup = Instant::now();
    let permits = Arc::new(Semaphore::new(16));
    let mut tasks = Vec::new();
    for i in 0..clients {
        let (http, url, permits) = (http.clone(), url.clone(), permits.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = permits.acquire().await?;
            let email = format!("bench{run}-{i}@example.org");
            let password = "bench password that is long";
            http.post(format!("{url}/api/v1/auth/register"))
                .json(&json!({ "email": email, "password": password, "display_name": format!("Bench {i}") }))
                .send()
                .await?
                .error_for_status()?;
            let token: Value = http
                .post(format!("{url}/api/v1/auth/tokens"))
                .json(&json!({ "email": email, "password": password, "name": "bench" }))
                .send()
                .await?
                .json()
                .await?;
            // Sign-up answers the same for every address; the id comes from the account.
            let me: Value = http
                .get(format!("{url}/api/v1/me"))
                .bearer_auth(token["token"].as_str().unwrap_or_default())
                .send()
                .await?
                .json()
                .await?;
            Ok::<_, anyhow::Error>(Person {
                id: me["id"].as_i64().unwrap_or_default(),
                token: token["token"].as_str().unwrap_or_default().to_string(),
            })
        }));
    }
    let mut people = Vec::with_capacity(clients);
    for t in tasks {
        people.push(t.await??);
    }
    // Groups of GROUP people; each group's first member creates it.
    let mut groups: Vec<(i64, Vec<usize>)> = Vec::new();
    for chunk in (0..people.len()).collect::<Vec<_>>().chunks(group) {
        let Some(&first) = chunk.first() else {
            continue;
        };
        let members: Vec<i64> = chunk.iter().skip(1).map(|&i| people[i].id).collect();
        let created: Value = http
            .post(format!("{url}/api/v1/conversations"))
            .bearer_auth(&people[first].token)
            .json(&json!({ "kind": "group", "members": members, "name": "bench" }))
            .send()
            .await?
            .json()
            .await?;
        groups.push((created["id"].as_i64().unwrap_or_default(), chunk.to_vec()));
    }
    println!(
        "setup: {} people, {} groups of {group}, in {:.0} s",
        people.len(),
        groups.len(),
        setup.elapsed().as_secs_f64()
    );

    // One live socket per person.
    let start = Instant::now();
    let latencies = Arc::new(Mutex::new(Vec::<Duration>::new()));
    let delivered = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let connect_permits = Arc::new(Semaphore::new(200));
    let connected = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let mut sockets = Vec::new();
    for (i, p) in people.iter().enumerate() {
        let (latencies, delivered, stop, permits) = (
            latencies.clone(),
            delivered.clone(),
            stop.clone(),
            connect_permits.clone(),
        );
        let (connected, failed) = (connected.clone(), failed.clone());
        let address = format!(
            "{}/api/v1/live?token={}",
            nodes.url(i).replace("http://", "ws://"),
            p.token
        );
        sockets.push(tokio::spawn(async move {
            let opened = {
                let _permit = permits.acquire().await?;
                // 4 KiB buffers as on the server: tungstenite's 128 KiB default, zeroed
                // per socket, cost more CPU than the frames.
                let config = WebSocketConfig::default()
                    .read_buffer_size(4 * 1024)
                    .write_buffer_size(0);
                tokio_tungstenite::connect_async_with_config(&address, Some(config), true).await
            };
            let mut ws = match opened {
                Ok((ws, _)) => {
                    connected.fetch_add(1, Ordering::Relaxed);
                    ws
                }
                Err(e) => {
                    failed.fetch_add(1, Ordering::Relaxed);
                    return Err(e.into());
                }
            };
            let mut mine = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let Ok(next) = tokio::time::timeout(Duration::from_millis(500), ws.next()).await
                else {
                    continue;
                };
                let Some(Ok(Message::Text(text))) = next else {
                    if next.is_none() {
                        break;
                    } else {
                        continue;
                    }
                };
                let Ok(event) = serde_json::from_str::<Event>(&text) else {
                    continue;
                };
                if event.kind != "message.created" {
                    continue;
                }
                if let Some(sent_us) = event
                    .message
                    .and_then(|m| m.body.strip_prefix("t="))
                    .and_then(|t| t.parse::<u64>().ok())
                {
                    let now_us = start.elapsed().as_micros() as u64;
                    mine.push(Duration::from_micros(now_us.saturating_sub(sent_us)));
                    delivered.fetch_add(1, Ordering::Relaxed);
                }
            }
            if let Ok(mut all) = latencies.lock() {
                all.extend(mine);
            }
            Ok::<_, anyhow::Error>(())
        }));
    }
    // Wait until every socket is connected (or failed).
    let connected_at = Instant::now();
    let total = people.len() as u64;
    while connected.load(Ordering::Relaxed) + failed.load(Ordering::Relaxed) < total {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if connected_at.elapsed() > Duration::from_secs(300) {
            anyhow::bail!("sockets did not connect within 5 minutes");
        }
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    println!(
        "{} sockets connected in {:.1} s ({} failed)",
        connected.load(Ordering::Relaxed),
        connected_at.elapsed().as_secs_f64(),
        failed.load(Ordering::Relaxed)
    );
    if let Some(rss) = nodes.rss_mib() {
        println!(
            "server RSS with all sockets connected, idle: {rss} MiB ({} node(s))",
            nodes.count()
        );
    }

    // Senders: each message from a random member of a random group.
    let groups = Arc::new(groups);
    let people = Arc::new(people);
    let senders_nodes = nodes.clone();
    let load = paced(rate, seconds, &nodes, move |s, n| {
        let (http, groups, people) = (http.clone(), groups.clone(), people.clone());
        let url = senders_nodes.url(s as usize).to_string();
        async move {
            // A fixed, well-spread choice per (sender, request).
            let mut rng = Rng::new(
                (s + 1).wrapping_mul(0xD1B5_4A32_D192_ED03) ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15),
            );
            let (conversation, members) = &groups[rng.below(groups.len())];
            let sender = &people[members[rng.below(members.len())]];
            let body = format!("t={}", start.elapsed().as_micros());
            http.post(format!(
                "{url}/api/v1/conversations/{conversation}/messages"
            ))
            .bearer_auth(&sender.token)
            .json(&json!({ "body": body, "client_msg_id": format!("s{s}-{n}") }))
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
    println!(
        "{accepted} of {} messages offered were accepted in {load_secs:.1} s: {:.0} messages/s (offered: a Poisson stream averaging {rate}/s); {} deliveries to live sockets ({:.0}/s)",
        accepted + errors,
        accepted as f64 / load_secs,
        delivered.load(Ordering::Relaxed),
        delivered.load(Ordering::Relaxed) as f64 / load_secs
    );
    load.print_server();
    println!();
    println!("| measure | count | errors | p50 ms | p95 ms | p99 ms | max ms |");
    println!("|---|---|---|---|---|---|---|");
    println!(
        "{}",
        summary(
            "send (POST … /messages until 2xx)",
            load.times,
            errors as usize
        )
    );
    println!(
        "{}",
        summary("send → receive on a live socket", deliveries, 0)
    );
    Ok(())
}
