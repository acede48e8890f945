//! The `huddle` command as an operator uses it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should panic

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

fn huddle(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_huddle"))
        .args(args)
        .env_remove("HUDDLE_CONFIG")
        .output()
        .expect("run huddle")
}

fn huddle_with_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_huddle"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn huddle");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn temp_dir() -> PathBuf {
    static N: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "huddle-cli-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn create_admin(data: &str, email: &str) -> Output {
    huddle_with_stdin(
        &[
            "admin",
            "--data",
            data,
            "create-user",
            "--email",
            email,
            "--name",
            "Sys Admin",
            "--role",
            "system_admin",
            "--password-stdin",
        ],
        "a long enough password\n",
    )
}

#[test]
fn migrate_and_create_user() {
    let dir = temp_dir();
    let data = dir.to_str().unwrap();
    let out = huddle(&["migrate", "--data", data]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(dir.join("huddle.db").exists());
    let out = create_admin(data, "root@example.org");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("with roles [system_admin]"));
    let again = create_admin(data, "root@example.org");
    assert!(!again.status.success());
    assert!(
        text(&again.stderr).contains("already exists"),
        "{}",
        text(&again.stderr)
    );
    let bad_role = huddle(&[
        "admin",
        "--data",
        data,
        "create-user",
        "--email",
        "x@example.org",
        "--name",
        "X",
        "--role",
        "wizard",
    ]);
    assert!(!bad_role.status.success());
    assert!(text(&bad_role.stderr).contains("unknown role `wizard`"));
    // Without --password-stdin a strong password is generated and shown once.
    let out = huddle(&[
        "admin",
        "--data",
        data,
        "create-user",
        "--email",
        "gen@example.org",
        "--name",
        "Gen",
    ]);
    assert!(text(&out.stdout)
        .lines()
        .any(|l| l.starts_with("password: ") && l.len() > 30));
}

#[test]
fn unknown_configuration_keys_are_refused_by_name() {
    let dir = temp_dir();
    let file = dir.join("huddle.toml");
    std::fs::write(&file, "[server]\nprot = 9000\n").unwrap();
    let out = huddle(&[
        "migrate",
        "--config",
        file.to_str().unwrap(),
        "--data",
        dir.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("huddle.toml") && err.contains("unknown field `prot`"),
        "{err}"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_huddle"))
        .args(["migrate", "--data", dir.to_str().unwrap()])
        .env("HUDDLE_SESION__IDLE_TIMEOUT_MINUTES", "5")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("HUDDLE_SESION__IDLE_TIMEOUT_MINUTES"),
        "{}",
        text(&out.stderr)
    );
}

async fn tamper(db: &Path, sql: &str) {
    use sqlx::Connection;
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    sqlx::raw_sql(
        "DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
}

fn audited_copy() -> PathBuf {
    let dir = temp_dir();
    let data = dir.to_str().unwrap();
    for i in 0..4 {
        assert!(create_admin(data, &format!("admin{i}@example.org"))
            .status
            .success());
    }
    dir
}

#[tokio::test]
async fn audit_verify_names_the_first_edited_deleted_or_reordered_entry() {
    let dir = audited_copy();
    let data = dir.to_str().unwrap();
    let out = huddle(&["audit", "--data", data, "verify"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("audit log intact: 4 entries"));

    tamper(
        &dir.join("huddle.db"),
        "UPDATE audit_log SET detail = '{\"roles\":\"physician\"}' WHERE seq = 2",
    )
    .await;
    let out = huddle(&["audit", "--data", data, "verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("entry 2"),
        "{}",
        text(&out.stderr)
    );

    let dir = audited_copy();
    tamper(
        &dir.join("huddle.db"),
        "DELETE FROM audit_log WHERE seq = 3",
    )
    .await;
    let out = huddle(&["audit", "--data", dir.to_str().unwrap(), "verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("entry 4"),
        "{}",
        text(&out.stderr)
    );

    let dir = audited_copy();
    tamper(
        &dir.join("huddle.db"),
        "DELETE FROM audit_log WHERE seq = 4",
    )
    .await;
    let out = huddle(&["audit", "--data", dir.to_str().unwrap(), "verify"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "deleting the newest entry is caught"
    );

    let dir = audited_copy();
    tamper(
        &dir.join("huddle.db"),
        "UPDATE audit_log SET seq = -2 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = -2;",
    )
    .await;
    let out = huddle(&["audit", "--data", dir.to_str().unwrap(), "verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("entry 2"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn nppes_extract_imports() {
    let dir = temp_dir();
    let csv = dir.join("npidata_pfile_test.csv");
    std::fs::write(
        &csv,
        "\"NPI\",\"Entity Type Code\",\"Provider Last Name (Legal Name)\",\"Provider First Name\",\"Healthcare Provider Taxonomy Code_1\",\"Provider License Number_1\",\"Provider License Number State Code_1\"\n\
         \"1234567893\",\"1\",\"OKAFOR\",\"ADA\",\"207RC0000X\",\"MD-1\",\"MA\"\n\
         \"1993999998\",\"1\",\"REYES\",\"MATEO\",\"207P00000X\",\"MD-2\",\"NY\"\n",
    )
    .unwrap();
    let out = huddle(&[
        "admin",
        "--data",
        dir.to_str().unwrap(),
        "import-nppes",
        csv.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("imported 2 NPPES records"));
    std::fs::write(&csv, "\"NPI\",\"Name\"\n").unwrap();
    let out = huddle(&[
        "admin",
        "--data",
        dir.to_str().unwrap(),
        "import-nppes",
        csv.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("Entity Type Code"));
}

#[test]
fn demo_prints_one_login_per_role_and_serves() {
    let dir = temp_dir();
    let mut child = Command::new(env!("CARGO_BIN_EXE_huddle"))
        .args(["demo", "--data", dir.to_str().unwrap(), "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let lines: Vec<String> = BufReader::new(stdout)
        .lines()
        .take(9)
        .map(|l| l.unwrap())
        .collect();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        lines[0].starts_with("Huddle demo: http://127.0.0.1:"),
        "{lines:?}"
    );
    let roles: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.split(' ').nth(1).unwrap())
        .collect();
    for role in [
        "physician",
        "clinician",
        "verifier",
        "moderator",
        "org_admin",
        "wellbeing_lead",
        "system_admin",
    ] {
        assert!(roles.contains(&role), "{role} missing from {lines:?}");
    }
    for line in &lines[1..] {
        let parts: Vec<&str> = line.split(' ').collect();
        assert_eq!(parts.len(), 4, "login: ROLE EMAIL PASSWORD — {line}");
        assert_eq!(parts[0], "login:");
    }
}

#[test]
fn postgres_deployments_migrate_by_url() {
    let Ok(url) = std::env::var("HUDDLE_TEST_DATABASE_URL") else {
        eprintln!("skipped: HUDDLE_TEST_DATABASE_URL is not set");
        return;
    };
    let out = huddle(&["migrate", "--database-url", &url]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("postgres"));
    let bad = huddle(&["migrate", "--database-url", "mysql://nowhere"]);
    assert!(text(&bad.stderr).contains("sqlite:// or postgres://"));
}

/// A small synthetic history: two physicians of one service, a day and an on-call shift,
/// and alerts of a critical and a batchable kind, each with its truth.
fn history() -> String {
    let mut lines = vec![
        r#"{"type":"scenario","name":"t","start":0,"end":172800,"policy":{"critical_lab":{"max_delay_s":210},"abnormal_lab":{"max_delay_s":6300}}}"#.to_string(),
        r#"{"type":"physician","id":"p1","service":"medicine","joined":0}"#.to_string(),
        r#"{"type":"physician","id":"p2","service":"medicine","joined":0}"#.to_string(),
        r#"{"type":"shift","physician":"p1","service":"medicine","role":"day","start":0,"end":43200}"#.to_string(),
        r#"{"type":"shift","physician":"p2","service":"medicine","role":"oncall","start":43200,"end":86400}"#.to_string(),
    ];
    for i in 0..40 {
        let (category, actionable) = if i % 4 == 0 {
            ("critical_lab", true)
        } else {
            ("abnormal_lab", i % 3 == 0)
        };
        lines.push(format!(
            r#"{{"type":"alert","id":"a{i}","time":{},"source":"lab","category":"{category}","sender_priority":"routine","service":"medicine","patient":"pt1","recipient":"oncall:medicine","truth":{{"actionable":{actionable},"deadline_s":20000,"latency_s":60,"outcome":"{}","handler":"p1"}}}}"#,
            i * 2000,
            if actionable { "acted" } else { "dismissed" }
        ));
    }
    lines.join("\n") + "\n"
}

#[test]
fn route_protocol_answers_every_alert_and_critical_ones_interrupt() {
    let mut input = history();
    input.push_str("{\"type\":\"end\"}\n");
    let out = huddle_with_stdin(&["route", "protocol"], &input);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let decisions: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(decisions.len(), 40);
    for (i, d) in decisions.iter().enumerate() {
        assert_eq!(d["alert"], format!("a{i}"));
        if i % 4 == 0 {
            assert_eq!(d["deliver"], "interrupt", "{d}");
        }
        assert!(d["reason"].as_str().is_some_and(|r| !r.is_empty()));
    }

    let bad = huddle_with_stdin(&["route", "protocol"], "{\"type\":\"shift\"}\n");
    assert!(!bad.status.success());
    assert!(
        text(&bad.stderr).contains("line 1"),
        "{}",
        text(&bad.stderr)
    );
}

#[test]
fn route_simulate_compares_static_policy_and_predictive_routing() {
    let dir = temp_dir();
    let path = dir.join("history.jsonl");
    std::fs::write(&path, history()).unwrap();
    let out = huddle(&["route", "simulate", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = text(&out.stdout);
    assert!(report.contains("static policy"), "{report}");
    let row = |name: &str| -> Vec<String> {
        let line = report.lines().find(|l| l.starts_with(name)).unwrap();
        line[name.len()..]
            .split_whitespace()
            .map(str::to_string)
            .collect()
    };
    assert_eq!(row("alerts"), ["40", "40"]);
    assert_eq!(row("invalid decisions"), ["0", "0"]);
    assert_eq!(row("policy violations"), ["0", "0"]);
    assert_eq!(
        row("interrupts")[0],
        "10",
        "static policy interrupts the critical results only"
    );

    let missing = huddle(&[
        "route",
        "simulate",
        dir.join("nope.jsonl").to_str().unwrap(),
    ]);
    assert!(!missing.status.success());
    assert!(text(&missing.stderr).contains("cannot open"));
}

#[test]
fn backup_and_restore_round_trip_a_sqlite_deployment() {
    let dir = temp_dir();
    let data = dir.join("data");
    let data = data.to_str().unwrap();
    assert!(create_admin(data, "kept@example.org").status.success());
    let copy = dir.join("huddle-backup.sqlite3");
    let out = huddle(&["backup", "--data", data, copy.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("master key"),
        "the operator is reminded of the key"
    );
    let again = huddle(&["backup", "--data", data, copy.to_str().unwrap()]);
    assert!(!again.status.success(), "a backup never overwrites");

    // After the backup: another account, then a restore brings back the earlier state.
    assert!(create_admin(data, "later@example.org").status.success());
    let out = huddle(&["restore", "--data", data, copy.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(huddle(&["audit", "--data", data, "verify"])
        .status
        .success());
    assert!(
        !create_admin(data, "kept@example.org").status.success(),
        "the backed-up account is back"
    );
    assert!(
        create_admin(data, "later@example.org").status.success(),
        "the later one is gone"
    );

    let junk = dir.join("junk.sqlite3");
    std::fs::write(&junk, "not a database").unwrap();
    let out = huddle(&["restore", "--data", data, junk.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("not a SQLite database"),
        "{}",
        text(&out.stderr)
    );
}
