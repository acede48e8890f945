//! Insights: leaders only, the aggregates contract, check-ins feeding de-identified
//! aggregates, and adversarial query sequences (API and CSV) that try to recover one
//! person by differencing and fail.

use std::collections::{BTreeMap, BTreeSet};

use huddle_core::clock::{Clock, DAY};
use huddle_core::identity::Role;
use huddle_core::insights::{Contribution, Period};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::*;

const CARDIO: &str = "207RC0000X";
const IM: &str = "207R00000X";

struct Org {
    id: i64,
    depts: Vec<i64>,
    lead: String,
}

/// An organization with departments, a well-being lead (returns their token).
async fn org(app: &TestApp, name: &str, depts: &[&str]) -> Org {
    let store = &app.state().store;
    let org = store
        .create_organization(name, app.clock.now())
        .await
        .unwrap();
    let mut ids = Vec::new();
    for d in depts {
        ids.push(store.create_department(org.id, d).await.unwrap().id);
    }
    let email = format!("lead@{}.example", name.to_lowercase().replace(' ', ""));
    let lead = app.user(&email, &[Role::WellbeingLead]).await;
    store
        .set_membership(lead, Some(org.id), None)
        .await
        .unwrap();
    Org {
        id: org.id,
        depts: ids,
        lead: app.token(&email).await,
    }
}

fn closed(app: &TestApp) -> Period {
    Period::of(app.clock.now()).plus(-1)
}

fn person(period: Period, who: i64, dept: i64, specialty: &str, burnout: bool) -> Contribution {
    Contribution {
        period,
        pseudonym: who,
        department_id: Some(dept),
        specialty: specialty.into(),
        role: "physician".into(),
        burnout: Some(burnout),
        depression: Some(false),
        anxiety: Some(false),
        drivers: Contribution::parse_drivers("workload=4,documentation=3"),
    }
}

async fn seed(app: &TestApp, org: i64, rows: &[Contribution]) {
    app.state()
        .store
        .record_contributions(org, rows)
        .await
        .unwrap();
    app.state().insights.invalidate();
}

async fn get_json(token: &str, app: &TestApp, path: &str) -> Value {
    let r = bearer(token, Method::GET, &app.url(path), None).await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    r.json().await.unwrap()
}

/// Rows as the CSV export gives them: group → (n, value, suppressed).
async fn get_csv(
    token: &str,
    app: &TestApp,
    query: &str,
) -> BTreeMap<String, (Option<u64>, Option<f64>, bool)> {
    let r = bearer(
        token,
        Method::GET,
        &app.url(&format!("/api/v1/insights/aggregates.csv?{query}")),
        None,
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = r.text().await.unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("group,n,value,suppressed"));
    lines
        .map(|l| {
            let f: Vec<&str> = l.rsplitn(4, ',').collect();
            (
                f[3].trim_matches('"').to_string(),
                (f[2].parse().ok(), f[1].parse().ok(), f[0] == "true"),
            )
        })
        .collect()
}

async fn get_rows(
    token: &str,
    app: &TestApp,
    query: &str,
) -> BTreeMap<String, (Option<u64>, Option<f64>, bool)> {
    let body = get_json(token, app, &format!("/api/v1/insights/aggregates?{query}")).await;
    body.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["group"].as_str().unwrap().to_string(),
                (
                    r["n"].as_u64(),
                    r["value"].as_f64(),
                    r["suppressed"] == true,
                ),
            )
        })
        .collect()
}

#[tokio::test]
async fn only_wellbeing_leads_and_org_admins_see_insights() {
    let app = spawn_app().await;
    let o = org(&app, "Gate Clinic", &["Medicine"]).await;
    let admin = app.user("admin@gate.example", &[Role::OrgAdmin]).await;
    app.state()
        .store
        .set_membership(admin, Some(o.id), None)
        .await
        .unwrap();
    let admin = app.token("admin@gate.example").await;
    let routes = [
        (
            Method::GET,
            "/api/v1/insights/aggregates?metric=burnout&group_by=department",
        ),
        (
            Method::GET,
            "/api/v1/insights/aggregates.csv?metric=burnout&group_by=role",
        ),
        (Method::GET, "/api/v1/insights/trend?metric=participation"),
        (Method::GET, "/api/v1/insights/drivers"),
        (Method::GET, "/api/v1/insights/interventions"),
        (Method::POST, "/api/v1/insights/interventions"),
        (Method::DELETE, "/api/v1/insights/interventions/1"),
        (Method::GET, "/api/v1/insights/turnover"),
    ];
    let body = json!({ "name": "Scribes", "level": "structural", "starts": "2026-01" });
    for (i, role) in [
        Role::Physician,
        Role::Clinician,
        Role::Verifier,
        Role::Moderator,
        Role::SystemAdmin,
    ]
    .into_iter()
    .enumerate()
    {
        let email = format!("other{i}@gate.example");
        let id = app.user(&email, &[role]).await;
        app.state()
            .store
            .set_membership(id, Some(o.id), Some(o.depts[0]))
            .await
            .unwrap();
        let token = app.token(&email).await;
        for (m, path) in &routes {
            let r = bearer(&token, m.clone(), &app.url(path), Some(body.clone())).await;
            assert_problem(r, StatusCode::FORBIDDEN, None).await;
        }
        let b = Browser::login(&app, &email).await;
        for page in [
            "/insights",
            "/insights/drivers",
            "/insights/interventions",
            "/insights/turnover",
        ] {
            let r = b.send(Method::GET, &app.url(page), None).await;
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{role:?} {page}");
        }
    }
    for (m, path) in &routes {
        let r = Browser::new().send(m.clone(), &app.url(path), None).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    for token in [&o.lead, &admin] {
        for path in [
            "/api/v1/insights/aggregates?metric=burnout&group_by=department",
            "/api/v1/insights/trend",
            "/api/v1/insights/drivers",
            "/api/v1/insights/interventions",
            "/api/v1/insights/turnover",
        ] {
            get_json(token, &app, path).await;
        }
    }
    // Every view is audited, naming what was asked and never a person.
    let audit = app.state().store.recent_audit(500).await.unwrap();
    let viewed: Vec<_> = audit
        .iter()
        .filter(|e| e.action == "insights_viewed")
        .collect();
    assert!(!viewed.is_empty());
    assert!(viewed
        .iter()
        .all(|e| e.actor_id.is_some() && e.target.starts_with("organization:")));
}

#[tokio::test]
async fn the_aggregates_contract_in_json_and_csv() {
    let app = spawn_app().await;
    let o = org(&app, "Contract Clinic", &["Cardiology", "Medicine"]).await;
    let p = closed(&app);
    let mut rows = Vec::new();
    for i in 0..12 {
        rows.push(person(p, i, o.depts[0], CARDIO, i % 3 == 0));
    }
    for i in 100..103 {
        rows.push(person(p, i, o.depts[1], IM, true));
    }
    seed(&app, o.id, &rows).await;
    let q = format!("metric=burnout&group_by=department&period={p}");
    let body = get_json(&o.lead, &app, &format!("/api/v1/insights/aggregates?{q}")).await;
    let arr = body.as_array().unwrap();
    assert_eq!(arr.len(), 2);
    for r in arr {
        let keys: BTreeSet<&str> = r.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        assert_eq!(keys, BTreeSet::from(["group", "n", "value", "suppressed"]));
        if r["suppressed"] == true {
            assert!(r["n"].is_null() && r["value"].is_null());
        } else {
            assert!(r["n"].is_u64() && r["value"].is_f64());
        }
    }
    let json_rows = get_rows(&o.lead, &app, &q).await;
    // Medicine has 3: suppressed; Cardiology's 12 would then give the 3 by subtraction
    // from the total, so it is suppressed too (complementary).
    assert_eq!(json_rows["Medicine"], (None, None, true));
    assert_eq!(json_rows["Cardiology"], (None, None, true));
    let org_rows = get_rows(
        &o.lead,
        &app,
        &format!("metric=burnout&group_by=organization&period={p}"),
    )
    .await;
    assert_eq!(
        org_rows["Whole organization"],
        (Some(15), Some(0.47), false)
    );
    assert_eq!(get_csv(&o.lead, &app, &q).await, json_rows);
    // Participation, the screens, a driver and routing's burden all answer.
    for metric in [
        "participation",
        "depression_positive",
        "anxiety_positive",
        "driver:workload",
        "notifications_per_shift",
        "false_positive_share",
        "after_hours_notifications",
        "time_to_acknowledge",
    ] {
        get_rows(
            &o.lead,
            &app,
            &format!("metric={metric}&group_by=role&period={p}"),
        )
        .await;
    }
    let driver = get_rows(
        &o.lead,
        &app,
        &format!("metric=driver:workload&group_by=organization&period={p}"),
    )
    .await;
    assert_eq!(driver["Whole organization"], (Some(15), Some(4.0), false));
    // Bad input names the field; the current month is never published.
    for (query, field) in [
        ("metric=phq9_item9", "metric"),
        ("metric=self_harm", "metric"),
        ("group_by=person", "group_by"),
        ("period=2026-13", "period"),
    ] {
        let r = bearer(
            &o.lead,
            Method::GET,
            &app.url(&format!("/api/v1/insights/aggregates?{query}")),
            None,
        )
        .await;
        assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some(field)).await;
    }
    let r = bearer(
        &o.lead,
        Method::GET,
        &app.url("/api/v1/insights/aggregates?bogus=1"),
        None,
    )
    .await;
    assert_problem(r, StatusCode::BAD_REQUEST, Some("query")).await;
    let now = Period::of(app.clock.now());
    let r = bearer(
        &o.lead,
        Method::GET,
        &app.url(&format!("/api/v1/insights/aggregates?period={now}")),
        None,
    )
    .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("period")).await;
}

/// A QuestionnaireResponse answering every scored item with `score`.
fn response(instrument: &str, score: i64, checkin: &str) -> Value {
    let inst = huddle_core::wellbeing::instrument(instrument).unwrap();
    let items: Vec<Value> = inst
        .items
        .iter()
        .filter(|i| i.required)
        .map(|i| json!({ "linkId": i.link_id, "answer": [{ "valueInteger": score }] }))
        .collect();
    json!({
        "resourceType": "QuestionnaireResponse",
        "questionnaire": format!("Questionnaire/{instrument}"),
        "status": "completed",
        "identifier": { "value": checkin },
        "item": items,
    })
}

#[tokio::test]
async fn check_ins_reach_leaders_only_as_de_identified_aggregates() {
    let app = spawn_app().await;
    let o = org(&app, "Live Clinic", &["Hospital Medicine"]).await;
    for i in 0..6 {
        let email = format!("doc{i}@live.example");
        let id = app.user(&email, &[Role::Physician]).await;
        app.state()
            .store
            .set_membership(id, Some(o.id), Some(o.depts[0]))
            .await
            .unwrap();
        let b = Browser::login(&app, &email).await;
        let checkin = format!("c{i}");
        // Burnout for the first four; PHQ-9 with item 9 for one person.
        for (inst, score) in [
            ("burnout-single-item", if i < 4 { 4 } else { 1 }),
            ("phq-2", 0),
            ("gad-2", 0),
            ("work-pulse", 5),
        ] {
            let r = b
                .send(
                    Method::POST,
                    &app.url("/fhir/QuestionnaireResponse"),
                    Some(response(inst, score, &checkin)),
                )
                .await;
            assert!(r.status().is_success(), "{inst}: {}", r.status());
        }
        if i == 0 {
            let r = b
                .send(
                    Method::POST,
                    &app.url("/fhir/QuestionnaireResponse"),
                    Some(response("phq-9", 3, &checkin)),
                )
                .await;
            assert!(r.status().is_success());
        }
    }
    // This month is not published yet: the dashboard cannot be watched filling up.
    let now = Period::of(app.clock.now());
    let r = bearer(
        &o.lead,
        Method::GET,
        &app.url(&format!("/api/v1/insights/aggregates?period={now}")),
        None,
    )
    .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("period")).await;
    // Next month, last month is.
    app.clock.advance(32 * DAY);
    let q = format!("group_by=organization&period={now}");
    let burnout = get_rows(&o.lead, &app, &format!("metric=burnout&{q}")).await;
    assert_eq!(burnout["Whole organization"], (Some(5), Some(0.67), false));
    let participation = get_rows(&o.lead, &app, &format!("metric=participation&{q}")).await;
    assert_eq!(participation["Whole organization"].0, Some(5));
    let workload = get_rows(&o.lead, &app, &format!("metric=driver:workload&{q}")).await;
    assert_eq!(workload["Whole organization"], (Some(5), Some(5.0), false));
    // Six people are below the screens' threshold of ten.
    let depression = get_rows(&o.lead, &app, &format!("metric=depression_positive&{q}")).await;
    assert_eq!(depression["Whole organization"], (None, None, true));

    // The stored contributions carry no user id and nothing of item 9.
    let rows = app
        .state()
        .store
        .contributions(o.id, now, now.plus(1))
        .await
        .unwrap();
    assert_eq!(rows.len(), 6, "one row per person and month");
    for r in &rows {
        assert!(
            r.pseudonym > 1000 || r.pseudonym < -1000,
            "a keyed hash, not an id"
        );
    }
    assert_eq!(
        rows.iter().filter(|r| r.depression == Some(true)).count(),
        1
    );
}

/// The attacker: every published row of every grouping and month, via the API and the
/// CSV export; the oracle (this test knows who is in each group) checks that no two
/// published rows — nor a total minus its published siblings — differ by 1 to k−1 people.
async fn attack(
    app: &TestApp,
    token: &str,
    metric: &str,
    periods: &[Period],
    members: &BTreeMap<(Period, String, String), BTreeSet<i64>>,
    k: usize,
) {
    let mut released: Vec<(String, BTreeSet<i64>)> = Vec::new();
    for p in periods {
        for g in ["organization", "department", "specialty", "role"] {
            let q = format!("metric={metric}&group_by={g}&period={p}");
            let rows = get_rows(token, app, &q).await;
            assert_eq!(get_csv(token, app, &q).await, rows, "CSV and JSON agree");
            // The same question asked again gets the same answer.
            assert_eq!(get_rows(token, app, &q).await, rows);
            let total: BTreeSet<i64> = members
                .iter()
                .filter(|((pp, gg, _), _)| pp == p && gg == "organization")
                .flat_map(|(_, s)| s.iter().copied())
                .collect();
            let mut hidden = total.clone();
            for (group, (_, _, suppressed)) in &rows {
                let set = members
                    .get(&(*p, g.to_string(), group.clone()))
                    .cloned()
                    .unwrap_or_default();
                if !suppressed {
                    assert!(
                        set.len() >= k,
                        "{p} {g} {group} published with {}",
                        set.len()
                    );
                    for s in &set {
                        hidden.remove(s);
                    }
                    released.push((format!("{p} {g} {group}"), set));
                }
            }
            let org_published = get_rows(
                token,
                app,
                &format!("metric={metric}&group_by=organization&period={p}"),
            )
            .await
            .values()
            .any(|r| !r.2);
            if org_published && !hidden.is_empty() && g != "organization" {
                released.push((format!("{p} {g} remainder"), hidden));
            }
        }
    }
    for (i, (a_name, a)) in released.iter().enumerate() {
        if a.len() < k {
            panic!("{a_name} isolates {} people", a.len());
        }
        for (b_name, b) in &released[i + 1..] {
            let d = a.symmetric_difference(b).count();
            assert!(
                d == 0 || d >= k,
                "{a_name} minus {b_name} isolates {d} people"
            );
        }
    }
}

#[tokio::test]
async fn differencing_a_department_of_eleven_then_ten_does_not_reveal_who_left() {
    let app = spawn_app().await;
    let o = org(&app, "Churn Clinic", &["Cardiology", "Medicine"]).await;
    let (jan, feb) = (closed(&app).plus(-1), closed(&app));
    let mut rows = Vec::new();
    let mut members: BTreeMap<(Period, String, String), BTreeSet<i64>> = BTreeMap::new();
    let mut add = |rows: &mut Vec<Contribution>, c: Contribution, dept: &str| {
        for (g, name) in [
            ("organization", "Whole organization".to_string()),
            ("department", dept.to_string()),
            (
                "specialty",
                if c.specialty == CARDIO {
                    "Cardiovascular Disease Physician".into()
                } else {
                    "Internal Medicine Physician".to_string()
                },
            ),
            ("role", "physician".into()),
        ] {
            members
                .entry((c.period, g.into(), name))
                .or_default()
                .insert(c.pseudonym);
        }
        rows.push(c);
    };
    // Cardiology: 11 in January; in February the same people but person 10, who was
    // burned out, has left. Medicine: a crowd that changes month to month.
    for i in 0..11 {
        add(
            &mut rows,
            person(jan, i, o.depts[0], CARDIO, i == 10 || i < 3),
            "Cardiology",
        );
    }
    for i in 0..10 {
        add(
            &mut rows,
            person(feb, i, o.depts[0], CARDIO, i < 3),
            "Cardiology",
        );
    }
    for i in 100..130 {
        add(
            &mut rows,
            person(jan, i, o.depts[1], IM, i % 2 == 0),
            "Medicine",
        );
    }
    for i in 115..145 {
        add(
            &mut rows,
            person(feb, i, o.depts[1], IM, i % 2 == 0),
            "Medicine",
        );
    }
    seed(&app, o.id, &rows).await;

    // The naive attack: Cardiology in January minus Cardiology in February.
    let q = |p: Period| format!("metric=burnout&group_by=department&period={p}");
    let before = get_rows(&o.lead, &app, &q(jan)).await;
    let after = get_rows(&o.lead, &app, &q(feb)).await;
    assert!(!before["Cardiology"].2, "January is published");
    assert!(
        after["Cardiology"].2,
        "February would reveal the leaver: suppressed"
    );
    assert_eq!(before["Cardiology"].0, Some(10), "11 reads as 10");
    let csv_after = get_csv(&o.lead, &app, &q(feb)).await;
    assert_eq!(csv_after["Cardiology"], (None, None, true));
    // The same attack through the specialty and role groupings, and every other pair.
    attack(&app, &o.lead, "burnout", &[jan, feb], &members, 5).await;
    attack(&app, &o.lead, "participation", &[jan, feb], &members, 5).await;
}

#[tokio::test]
async fn department_minus_specialty_does_not_reveal_one_person() {
    let app = spawn_app().await;
    let o = org(&app, "Overlap Clinic", &["Cardiology", "Medicine"]).await;
    let p = closed(&app);
    let mut rows = Vec::new();
    let mut members: BTreeMap<(Period, String, String), BTreeSet<i64>> = BTreeMap::new();
    let mut add = |c: Contribution, dept: &str, spec: &str| {
        for (g, name) in [
            ("organization", "Whole organization"),
            ("department", dept),
            ("specialty", spec),
            ("role", "physician"),
        ] {
            members
                .entry((c.period, g.into(), name.into()))
                .or_default()
                .insert(c.pseudonym);
        }
        rows.push(c);
    };
    // Cardiology department: ten cardiologists and one internist (who is burned out).
    for i in 0..10 {
        add(
            person(p, i, o.depts[0], CARDIO, false),
            "Cardiology",
            "Cardiovascular Disease Physician",
        );
    }
    add(
        person(p, 10, o.depts[0], IM, true),
        "Cardiology",
        "Internal Medicine Physician",
    );
    for i in 100..140 {
        add(
            person(p, i, o.depts[1], IM, i % 2 == 0),
            "Medicine",
            "Internal Medicine Physician",
        );
    }
    seed(&app, o.id, &rows).await;
    // Ask in either order: the answers do not depend on what was asked before.
    let spec_first = get_rows(
        &o.lead,
        &app,
        &format!("metric=burnout&group_by=specialty&period={p}"),
    )
    .await;
    let dept = get_rows(
        &o.lead,
        &app,
        &format!("metric=burnout&group_by=department&period={p}"),
    )
    .await;
    let spec_again = get_rows(
        &o.lead,
        &app,
        &format!("metric=burnout&group_by=specialty&period={p}"),
    )
    .await;
    assert_eq!(spec_first, spec_again);
    let dept_shown = !dept["Cardiology"].2;
    let spec_shown = !spec_first["Cardiovascular Disease Physician"].2;
    assert!(
        !(dept_shown && spec_shown),
        "department minus specialty would isolate one person"
    );
    attack(&app, &o.lead, "burnout", &[p], &members, 5).await;
    attack(&app, &o.lead, "depression_positive", &[p], &members, 10).await;
}

#[tokio::test]
async fn interventions_are_registered_and_evaluated() {
    let app = spawn_app().await;
    let o = org(&app, "Change Clinic", &["Cardiology", "Medicine"]).await;
    let through = closed(&app);
    let start = through.plus(-12);
    let mut rows = Vec::new();
    // 40 physicians a month in Cardiology, 60% burned out before, 30% after.
    for m in -15..=0 {
        let p = through.plus(m);
        let after = p >= start;
        for i in 0..40 {
            let burned = if after { i % 10 < 3 } else { i % 10 < 6 };
            let mut c = person(p, m * 1000 + i, o.depts[0], CARDIO, burned);
            c.drivers = Contribution::parse_drivers("documentation=5,workload=3,isolation=2");
            rows.push(c);
        }
        for i in 0..40 {
            rows.push(person(
                p,
                500_000 + m * 1000 + i,
                o.depts[1],
                IM,
                i % 2 == 0,
            ));
        }
    }
    seed(&app, o.id, &rows).await;
    let r = bearer(
        &o.lead,
        Method::POST,
        &app.url("/api/v1/insights/interventions"),
        Some(json!({
            "name": "Scribes in clinic",
            "level": "structural",
            "drivers": ["documentation"],
            "units": [o.depts[0]],
            "starts": start.to_string(),
            "cost": 250000
        })),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let made: Value = r.json().await.unwrap();
    assert_eq!(made["evaluation"]["verdict"], "durable");
    assert_eq!(
        made["evaluation"]["comparisons"].as_array().unwrap().len(),
        3
    );
    let c = &made["evaluation"]["comparisons"][0];
    assert!(c["ci_high"].as_f64().unwrap() < 0.0, "{c}");
    assert_eq!(made["fit"], "fits");
    assert_eq!(made["unit_top_drivers"][0], "documentation");
    assert!(made["targets"].as_str().unwrap().contains("structural"));
    let list = get_json(&o.lead, &app, "/api/v1/insights/interventions").await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    for (body, field) in [
        (
            json!({ "name": "", "level": "structural", "starts": "2026-01" }),
            "name",
        ),
        (
            json!({ "name": "x", "level": "yoga", "starts": "2026-01" }),
            "level",
        ),
        (
            json!({ "name": "x", "level": "individual", "drivers": ["sleep"], "starts": "2026-01" }),
            "drivers",
        ),
        (
            json!({ "name": "x", "level": "individual", "units": [999999], "starts": "2026-01" }),
            "units",
        ),
        (
            json!({ "name": "x", "level": "individual", "starts": "January" }),
            "starts",
        ),
    ] {
        let r = bearer(
            &o.lead,
            Method::POST,
            &app.url("/api/v1/insights/interventions"),
            Some(body),
        )
        .await;
        assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some(field)).await;
    }
    let id = made["id"].as_i64().unwrap();
    let r = bearer(
        &o.lead,
        Method::DELETE,
        &app.url(&format!("/api/v1/insights/interventions/{id}")),
        None,
    )
    .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = bearer(
        &o.lead,
        Method::DELETE,
        &app.url(&format!("/api/v1/insights/interventions/{id}")),
        None,
    )
    .await;
    assert_problem(r, StatusCode::NOT_FOUND, None).await;
}

#[tokio::test]
async fn the_turnover_calculator_uses_cited_defaults_and_the_units_own_rate() {
    let app = spawn_app().await;
    let o = org(&app, "Cost Clinic", &["Medicine"]).await;
    let body = get_json(&o.lead, &app, "/api/v1/insights/turnover").await;
    assert_eq!(body["inputs"]["burnout_rate"], 0.54);
    assert_eq!(body["inputs"]["replacement_cost_low"], 500000.0);
    assert_eq!(body["inputs"]["cost_per_physician"], 7600.0);
    assert!(body["sources"][0].as_str().unwrap().contains("Shanafelt"));
    let body = get_json(
        &o.lead,
        &app,
        "/api/v1/insights/turnover?physicians=450&burnout_rate=0.5&burnout_drop=0.1&program_cost=1000000",
    )
    .await;
    let e = &body["estimate"];
    assert!(e["savings_low"].as_f64().unwrap() > 0.0);
    assert!(e["roi_low"].is_f64());
    // The organization's own published burnout rate becomes the default.
    let p = closed(&app);
    let rows: Vec<Contribution> = (0..20)
        .map(|i| person(p, i, o.depts[0], IM, i < 5))
        .collect();
    seed(&app, o.id, &rows).await;
    let body = get_json(&o.lead, &app, "/api/v1/insights/turnover").await;
    assert_eq!(body["inputs"]["burnout_rate"], 0.25);
    let r = bearer(
        &o.lead,
        Method::GET,
        &app.url("/api/v1/insights/turnover?relative_risk=0.2"),
        None,
    )
    .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("relative_risk")).await;
}

#[tokio::test]
async fn pages_show_charts_with_group_sizes_and_forms_need_the_csrf_token() {
    let app = spawn_app().await;
    let o = org(&app, "Page Clinic", &["Cardiology", "Medicine"]).await;
    let through = closed(&app);
    let mut rows = Vec::new();
    for m in -5..=0 {
        for i in 0..30 {
            rows.push(person(
                through.plus(m),
                m * 100 + i,
                o.depts[0],
                CARDIO,
                i % 3 == 0,
            ));
        }
        for i in 0..8 {
            rows.push(person(
                through.plus(m),
                10_000 + m * 100 + i,
                o.depts[1],
                IM,
                true,
            ));
        }
    }
    seed(&app, o.id, &rows).await;
    let b = Browser::login(&app, "lead@pageclinic.example").await;
    let page = b.send(Method::GET, &app.url("/insights"), None).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("<svg") && html.contains("polyline"),
        "a trend chart"
    );
    assert!(
        html.contains("n ≈ 35") || html.contains("n ≈ 30"),
        "sizes are stated"
    );
    assert!(html.contains("suppressed"));
    assert!(html.contains("/api/v1/insights/aggregates.csv?metric=burnout"));
    for path in [
        "/insights?metric=driver:documentation&group_by=specialty",
        "/insights?metric=nonsense",
        "/insights/drivers",
        "/insights/interventions",
        "/insights/turnover?physicians=450&burnout_drop=0.1",
        "/insights/turnover?physicians=abc",
    ] {
        let r = b.send(Method::GET, &app.url(path), None).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let html = r.text().await.unwrap();
        assert!(!html.contains("phq9-9"), "{path}");
    }
    // The CSV link works with the session cookie.
    let csv = b
        .send(
            Method::GET,
            &app.url("/api/v1/insights/aggregates.csv?metric=burnout&group_by=department"),
            None,
        )
        .await;
    assert_eq!(csv.status(), StatusCode::OK);
    // Registering through the form: without the token it is refused.
    let form = [
        ("name", "Team documentation days"),
        ("level", "structural"),
        ("driver_documentation", "on"),
        ("starts", "2026-01"),
        ("cost", "$12,000"),
    ];
    let refused = Browser::new()
        .client
        .post(app.url("/insights/interventions"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_ne!(refused.status(), StatusCode::SEE_OTHER);
    let no_token = b
        .client
        .post(app.url("/insights/interventions"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(no_token.status(), StatusCode::FORBIDDEN);
    let mut with_token = form.to_vec();
    let csrf = b.csrf.clone().unwrap();
    with_token.push(("csrf_token", csrf.as_str()));
    let ok = b
        .client
        .post(app.url("/insights/interventions"))
        .form(&with_token)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    let list = b
        .send(Method::GET, &app.url("/insights/interventions"), None)
        .await
        .text()
        .await
        .unwrap();
    assert!(list.contains("Team documentation days") && list.contains("$12,000"));
}
