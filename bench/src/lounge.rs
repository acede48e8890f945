//! `huddle-bench lounge-search [POSTS] [QUERIES]`: the lounge's full-text search on the
//! embedded SQLite store. Fills a fresh database with synthetic threads and replies (a
//! clinical vocabulary drawn with a Zipf-like skew, so common words match many posts), then
//! times searches as the lounge runs them: one or two words, sometimes filtered by space,
//! tag or kind, 50 results best first.

use std::time::Instant;

use crate::rng::Rng;
use huddle_store::{LoungeStore, NewPost, NewThread, SearchQuery};
use huddle_store_sqlite::SqliteStore;

const WORDS: &[&str] = &[
    "patient",
    "pain",
    "chest",
    "dose",
    "renal",
    "cardiac",
    "imaging",
    "follow",
    "therapy",
    "anticoagulation",
    "apixaban",
    "warfarin",
    "heparin",
    "sepsis",
    "lactate",
    "antibiotic",
    "vancomycin",
    "cefepime",
    "pneumonia",
    "copd",
    "asthma",
    "intubation",
    "ventilator",
    "delirium",
    "haloperidol",
    "stroke",
    "thrombolysis",
    "ct",
    "mri",
    "ultrasound",
    "echo",
    "ejection",
    "fraction",
    "heart",
    "failure",
    "diuretic",
    "furosemide",
    "potassium",
    "sodium",
    "hyponatremia",
    "insulin",
    "diabetes",
    "ketoacidosis",
    "glucose",
    "a1c",
    "hypertension",
    "amlodipine",
    "lisinopril",
    "syncope",
    "arrhythmia",
    "atrial",
    "fibrillation",
    "ablation",
    "pacemaker",
    "troponin",
    "infarction",
    "stent",
    "cath",
    "bleeding",
    "transfusion",
    "hemoglobin",
    "platelets",
    "anemia",
    "iron",
    "oncology",
    "chemotherapy",
    "neutropenia",
    "fever",
    "pediatric",
    "bronchiolitis",
    "vaccine",
    "pregnancy",
    "preeclampsia",
    "magnesium",
    "seizure",
    "levetiracetam",
    "migraine",
    "headache",
    "opioid",
    "buprenorphine",
    "naloxone",
    "withdrawal",
    "alcohol",
    "liver",
    "cirrhosis",
    "ascites",
    "paracentesis",
    "pancreatitis",
    "lipase",
    "appendicitis",
    "surgery",
    "fracture",
    "hip",
    "knee",
    "rehab",
    "physical",
    "falls",
    "dementia",
    "palliative",
    "hospice",
    "goals",
    "family",
    "meeting",
    "consent",
    "capacity",
    "ethics",
    "burnout",
    "inbox",
    "ehr",
    "documentation",
    "scheduling",
    "staffing",
    "night",
    "shift",
    "handoff",
    "pager",
    "call",
    "coverage",
    "billing",
    "coding",
    "prior",
    "authorization",
    "telehealth",
    "clinic",
    "template",
    "guideline",
    "evidence",
    "trial",
    "meta-analysis",
];
const SPACES: &[&str] = &[
    "cardiology",
    "emergency-medicine",
    "hospital-medicine",
    "internal-medicine",
    "critical-care",
    "pediatrics",
    "oncology",
    "neurology",
    "surgery",
    "psychiatry",
    "ask-any-specialty",
    "wellbeing",
    "practice",
];
const KINDS: &[&str] = &["case", "question", "discussion"];

/// Skewed toward the start of the list: the square of a uniform draw.
fn zipfish<'a>(rng: &mut Rng, list: &[&'a str]) -> &'a str {
    let u = (rng.next() % 10_000) as f64 / 10_000.0;
    list[((u * u) * list.len() as f64) as usize % list.len()]
}

fn sentence(rng: &mut Rng, words: usize) -> String {
    (0..words)
        .map(|_| zipfish(rng, WORDS))
        .collect::<Vec<_>>()
        .join(" ")
}

pub async fn run(args: &[String]) -> anyhow::Result<()> {
    let posts: usize = args.first().map_or(Ok(100_000), |s| s.parse())?;
    let queries: usize = args.get(1).map_or(Ok(1_000), |s| s.parse())?;
    let dir = std::env::temp_dir().join(format!("huddle-bench-lounge-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let store = SqliteStore::open(&format!("sqlite://{}", dir.join("huddle.db").display())).await?;
    let author = seed_author(&store).await?;

    // Every run writes the same corpus.
    let mut rng = Rng::new(0x9E37_79B9_7F4A_7C15);
    let started = Instant::now();
    let mut written = 0;
    let mut at = 1_000_000;
    while written < posts {
        at += 1_000;
        let replies = rng.below(8);
        let (thread, _) = store
            .create_thread(NewThread {
                space: SPACES[rng.below(SPACES.len())].into(),
                kind: KINDS[rng.below(KINDS.len())].into(),
                title: sentence(&mut rng, 6),
                tags: format!(
                    ",{},{},",
                    zipfish(&mut rng, WORDS),
                    zipfish(&mut rng, WORDS)
                ),
                opening: NewPost {
                    thread_id: 0,
                    author_id: author,
                    author_group: Some("cardiology".into()),
                    body: {
                        let n = 60 + rng.below(120);
                        sentence(&mut rng, n)
                    },
                    pseudonymous: false,
                    at,
                },
                poll: None,
            })
            .await?;
        written += 1;
        for _ in 0..replies.min(posts - written) {
            at += 10;
            store
                .add_reply(NewPost {
                    thread_id: thread.id,
                    author_id: author,
                    author_group: None,
                    body: {
                        let n = 20 + rng.below(80);
                        sentence(&mut rng, n)
                    },
                    pseudonymous: false,
                    at,
                })
                .await?;
            written += 1;
        }
    }
    let fill = started.elapsed();
    let size = std::fs::metadata(dir.join("huddle.db"))?.len();

    let mut times = Vec::with_capacity(queries);
    let mut found = 0usize;
    for i in 0..queries {
        let words = if rng.below(3) == 0 {
            format!("{} {}", zipfish(&mut rng, WORDS), zipfish(&mut rng, WORDS))
        } else {
            zipfish(&mut rng, WORDS).to_string()
        };
        let q = SearchQuery {
            words,
            space: (i % 3 == 0).then(|| SPACES[rng.below(SPACES.len())].to_string()),
            tag: (i % 5 == 1).then(|| zipfish(&mut rng, WORDS).to_string()),
            kind: (i % 5 == 2).then(|| KINDS[rng.below(KINDS.len())].to_string()),
            limit: 50,
        };
        let t = Instant::now();
        found += store.search(&q).await?.len();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    println!(
        "lounge search on SQLite: {written} posts written in {:.1} s ({:.0} MiB file); \
         {queries} queries, {:.1} results on average",
        fill.as_secs_f64(),
        size as f64 / 1_048_576.0,
        found as f64 / queries as f64
    );
    println!(
        "latency ms: p50 {:.2}  p95 {:.2}  p99 {:.2}  max {:.2}",
        pct(0.50),
        pct(0.95),
        pct(0.99),
        times.last().copied().unwrap_or_default()
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

async fn seed_author(store: &SqliteStore) -> anyhow::Result<i64> {
    use huddle_core::identity::{DisplayName, Email, Role, Roles};
    use huddle_store::{IdentityStore, NewUser};
    let user = store
        .create_user(NewUser {
            email: Email::parse("bench@example.org").map_err(|e| anyhow::anyhow!("{e}"))?,
            display_name: DisplayName::parse("Dr. Bench").map_err(|e| anyhow::anyhow!("{e}"))?,
            password_hash: "$argon2id$v=19$not-a-real-hash".into(),
            roles: Roles::new([Role::Physician]),
            organization_id: None,
            department_id: None,
            created_at: 0,
            email_verified_at: Some(0),
        })
        .await?;
    Ok(user.id)
}
