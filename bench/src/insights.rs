//! The insights dashboard at scale.
//!
//! - `huddle-bench insights-seed DATA_DIR [CLINICIANS] [MONTHS]` fills a fresh SQLite data
//!   folder (the one `huddle serve --data DATA_DIR` uses) with an organization of
//!   CLINICIANS synthetic clinicians (default 10,000) in 40 departments, each checking in
//!   every one of the last MONTHS closed months (default 24), 2% of them replaced each month;
//!   routing burden for every physician and month; and a well-being lead account
//!   (`lead@bench.example`, password `bench password that is long`).
//! - `huddle-bench insights URL [REQUESTS]` signs in as that lead and requests the dashboard
//!   page (`GET /insights`) REQUESTS times in a row (default 200), then the drivers page and
//!   the aggregates API: the first request pays for computing the protected tables, the
//!   rest read them from the cache, so the cold request is reported on its own.

use std::time::{Duration, Instant};

use huddle_core::clock::{Clock, SystemClock};
use huddle_core::identity::{DisplayName, Email, NewPassword, Role, Roles};
use huddle_core::insights::{BurdenContribution, Contribution, Period};
use serde_json::json;

use crate::signin::summary;

pub const LEAD: &str = "lead@bench.example";
pub const PASSWORD: &str = "bench password that is long";

struct SplitMix(u64);

impl SplitMix {
    fn unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

const SPECIALTIES: [&str; 8] = [
    "207RC0000X",
    "207P00000X",
    "207R00000X",
    "207Q00000X",
    "208600000X",
    "207L00000X",
    "2084N0400X",
    "208000000X",
];

pub async fn seed(args: &[String]) -> anyhow::Result<()> {
    let Some(dir) = args.first() else {
        anyhow::bail!("usage: huddle-bench insights-seed DATA_DIR [CLINICIANS] [MONTHS]");
    };
    let clinicians: usize = args.get(1).map_or(Ok(10_000), |s| s.parse())?;
    let months: i64 = args.get(2).map_or(Ok(24), |s| s.parse())?;
    let mut config = huddle_server::Config::default();
    config.database.data_dir = Some(dir.into());
    let store = huddle_server::store::open(&config.database.resolved_url()).await?;
    let clock: std::sync::Arc<dyn Clock> = std::sync::Arc::new(SystemClock);
    let state = huddle_server::AppState::new(store.clone(), clock.clone(), config, None)?;
    let org = store
        .create_organization("Bench Health", clock.now())
        .await?;
    let mut departments = Vec::new();
    for i in 0..40 {
        departments.push(
            store
                .create_department(org.id, &format!("Department {i:02}"))
                .await?
                .id,
        );
    }
    let lead = huddle_server::actions::identity::create_account(
        &state,
        Email::parse(LEAD).map_err(|e| anyhow::anyhow!("{e}"))?,
        NewPassword::parse(PASSWORD).map_err(|e| anyhow::anyhow!("{e}"))?,
        DisplayName::parse("Bench Lead").map_err(|e| anyhow::anyhow!("{e}"))?,
        Roles::new([Role::WellbeingLead]),
        Some(org.id),
        None,
    )
    .await
    .map_err(|e| anyhow::anyhow!("{}", e.detail()))?;
    store.set_membership(lead.id, Some(org.id), None).await?;

    let through = Period::of(clock.now()).plus(-1);
    let first = through.plus(-(months - 1));
    let mut rng = SplitMix(7);
    // Each seat (a position in a department) is held by a person; 2% of seats change hands
    // each month.
    let mut holder: Vec<i64> = (0..clinicians as i64).collect();
    let mut next_person = clinicians as i64;
    let started = Instant::now();
    let (mut rows, mut burden_rows) = (0usize, 0usize);
    for m in 0..months {
        let period = first.plus(m);
        let mut contributions = Vec::with_capacity(clinicians);
        let mut burden = Vec::new();
        for (seat, person) in holder.iter_mut().enumerate() {
            if m > 0 && rng.unit() < 0.02 {
                *person = next_person;
                next_person += 1;
            }
            let department = departments[seat % departments.len()];
            let physician = seat % 5 < 3;
            let specialty = if physician {
                SPECIALTIES[(seat / departments.len()) % SPECIALTIES.len()]
            } else {
                ""
            };
            let role = if physician {
                "physician"
            } else if seat % 5 == 3 {
                "nursing"
            } else {
                "clinician"
            };
            let base = 0.3 + (seat % departments.len()) as f64 / 100.0;
            let mut drivers = [0u8; 9];
            for d in drivers.iter_mut() {
                *d = 1 + (rng.unit() * 5.0).min(4.999) as u8;
            }
            contributions.push(Contribution {
                period,
                pseudonym: 1_000_000 + *person,
                department_id: Some(department),
                specialty: specialty.to_string(),
                role: role.to_string(),
                burnout: Some(rng.unit() < base),
                depression: Some(rng.unit() < 0.12),
                anxiety: Some(rng.unit() < 0.1),
                drivers,
            });
            if physician {
                burden.push(BurdenContribution {
                    period,
                    pseudonym: 1_000_000 + *person,
                    department_id: Some(department),
                    specialty: specialty.to_string(),
                    role: role.to_string(),
                    shifts: 12 + (rng.unit() * 8.0) as i64,
                    notifications_per_shift: (rng.unit() * 120.0).round() / 10.0,
                    false_positive_share: (rng.unit() * 100.0).round() / 100.0,
                    after_hours: (rng.unit() * 20.0) as i64,
                    median_ack_s: Some(30 + (rng.unit() * 300.0) as i64),
                });
            }
        }
        rows += contributions.len();
        burden_rows += burden.len();
        store.record_contributions(org.id, &contributions).await?;
        store.save_burden(org.id, period, &burden).await?;
    }
    println!(
        "seeded {rows} contributions and {burden_rows} burden rows ({clinicians} seats, {months} months through {through}, {} people) in {:.1} s",
        next_person,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

pub async fn run(args: &[String]) -> anyhow::Result<()> {
    let Some(url) = args.first() else {
        anyhow::bail!("usage: huddle-bench insights URL [REQUESTS]");
    };
    let requests: usize = args.get(1).map_or(Ok(200), |s| s.parse())?;
    let client = reqwest::Client::builder().cookie_store(true).build()?;
    let r = client
        .post(format!("{url}/api/v1/auth/login"))
        .json(&json!({ "email": LEAD, "password": PASSWORD }))
        .send()
        .await?;
    anyhow::ensure!(r.status().is_success(), "login: {}", r.status());

    let get = |path: String| {
        let client = client.clone();
        async move {
            let t = Instant::now();
            let r = client.get(path).send().await?;
            let ok = r.status().is_success();
            let body = r.text().await?;
            anyhow::Ok((t.elapsed(), ok, body))
        }
    };
    let (cold, ok, body) = get(format!("{url}/insights")).await?;
    anyhow::ensure!(ok && body.contains("<svg"), "the dashboard did not render");
    println!("| requests | count | errors | p50 ms | p95 ms | p99 ms | max ms |");
    println!("|---|---|---|---|---|---|---|");
    println!(
        "| first GET /insights after start (waits for the tables to be computed) | 1 | 0 | {0:.1} | {0:.1} | {0:.1} | {0:.1} |",
        cold.as_secs_f64() * 1000.0
    );
    for (name, path) in [
        ("GET /insights (dashboard, warm)", "/insights".to_string()),
        (
            "GET /insights?metric=driver:workload&group_by=specialty",
            "/insights?metric=driver:workload&group_by=specialty".to_string(),
        ),
        ("GET /insights/drivers", "/insights/drivers".to_string()),
        (
            "GET /api/v1/insights/aggregates?metric=burnout&group_by=department",
            "/api/v1/insights/aggregates?metric=burnout&group_by=department".to_string(),
        ),
    ] {
        let mut samples: Vec<Duration> = Vec::with_capacity(requests);
        let mut errors = 0;
        for _ in 0..requests {
            let (d, ok, _) = get(format!("{url}{path}")).await?;
            samples.push(d);
            errors += usize::from(!ok);
        }
        println!("{}", summary(name, samples, errors));
    }
    Ok(())
}
