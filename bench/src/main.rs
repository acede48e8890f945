//! Load generators for Huddle's benchmarks; results and the commands that produce them are
//! in bench/RESULTS.md.
//!
//! - `huddle-bench signin URL [CONCURRENCY] [SECONDS]`
//! - `huddle-bench messaging URL [CLIENTS] [RATE] [SECONDS] [GROUP] [SERVER_PID]`
//! - `huddle-bench routing HISTORY.jsonl[.gz] [ROUNDS]`
//! - `huddle-bench lounge-search [POSTS] [QUERIES]`
//! - `huddle-bench alerts URL [RATE] [SECONDS] [PHYSICIANS] [SERVER_PID]`
//! - `huddle-bench insights-seed DATA_DIR [CLINICIANS] [MONTHS]`, then
//!   `huddle-bench insights URL [REQUESTS]` (see bench/insights.sh)

mod alerts;
mod insights;
mod load;
mod lounge;
mod messaging;
mod rng;
mod routing;
mod signin;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("signin") => signin::run(&args[1..]).await,
        Some("messaging") => messaging::run(&args[1..]).await,
        Some("routing") => routing::run(&args[1..]),
        Some("alerts") => alerts::run(&args[1..]).await,
        Some("lounge-search") => lounge::run(&args[1..]).await,
        Some("insights-seed") => insights::seed(&args[1..]).await,
        Some("insights") => insights::run(&args[1..]).await,
        _ => anyhow::bail!(
            "usage: huddle-bench signin|messaging|routing|alerts|lounge-search|insights-seed|insights … …"
        ),
    }
}
