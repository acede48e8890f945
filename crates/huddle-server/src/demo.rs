//! The demo organization: departments and one account of every role, the physicians
//! already verified, so a first look at Huddle shows everything it does. Seeding is
//! idempotent: running `huddle demo` again reuses what exists.

use huddle_core::audit::AuditAction;
use huddle_core::identity::{
    specialty, DisplayName, Email, LicenseNumber, LicenseState, NewPassword, Npi, Role, Roles,
};
use huddle_store::{Decision, NewVerification, User};
use serde_json::json;

use crate::actions::audit::record;
use crate::actions::identity::create_account;
use crate::state::AppState;

pub const ORGANIZATION: &str = "Riverside Medical Group";
pub const DEPARTMENTS: [&str; 4] = [
    "Cardiology",
    "Emergency Department",
    "Hospital Medicine",
    "Primary Care Clinic",
];

pub struct DemoAccount {
    pub role: Role,
    pub email: &'static str,
    pub password: &'static str,
    pub display_name: &'static str,
    /// Department index in `DEPARTMENTS`, and NUCC code for verified physicians.
    department: Option<usize>,
    specialty: Option<&'static str>,
}

/// Where the demo hospital is: its schedule and pages are in this zone.
pub const TIME_ZONE: &str = "America/New_York";

/// A week of cardiology in the organization's local time: the first demo physician on call
/// around the clock (07:00 to 07:00), the second on day shifts (07:00 to 19:00 local, so
/// they move with daylight saving), from yesterday morning so someone is on call now.
async fn schedule(
    state: &AppState,
    organization_id: i64,
    physicians: &[(User, &'static str)],
) -> anyhow::Result<()> {
    use huddle_core::clock::HOUR;
    use jiff::ToSpan;
    let now = state.now();
    if !state
        .store
        .shifts(organization_id, now, now + HOUR)
        .await?
        .is_empty()
    {
        return Ok(());
    }
    let zone = crate::actions::organizations::organization_zone(state, organization_id)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.detail()))?;
    let today = zone
        .civil(now)
        .ok_or_else(|| anyhow::anyhow!("the clock is out of range"))?
        .date();
    let at = |day: i64, hour: i8| -> anyhow::Result<i64> {
        let date = today.checked_add(day.days())?;
        zone.instant(date.at(hour, 0, 0, 0))
            .ok_or_else(|| anyhow::anyhow!("no such local time"))
    };
    let mut shifts = Vec::new();
    for day in -1..7 {
        let (morning, evening, next_morning) = (at(day, 7)?, at(day, 19)?, at(day + 1, 7)?);
        if let Some((oncall, _)) = physicians.first() {
            shifts.push(huddle_store::NewShift {
                user_id: oncall.id,
                service: "cardiology".into(),
                role: "oncall".into(),
                starts_at: morning,
                ends_at: next_morning,
            });
        }
        if let Some((day_doc, _)) = physicians.get(1) {
            shifts.push(huddle_store::NewShift {
                user_id: day_doc.id,
                service: "cardiology".into(),
                role: "day".into(),
                starts_at: morning,
                ends_at: evening,
            });
        }
    }
    let (from, until) = (at(-1, 7)?, at(7, 7)?);
    state
        .store
        .replace_shifts(organization_id, from, until, &shifts)
        .await?;
    Ok(())
}

/// Demo passwords are printed on start; they protect synthetic data only.
pub const ACCOUNTS: [DemoAccount; 8] = [
    DemoAccount {
        role: Role::Physician,
        email: "dr.okafor@demo.huddle.test",
        password: "demo-physician-okafor",
        display_name: "Dr. Ada Okafor",
        department: Some(0),
        specialty: Some("207RC0000X"),
    },
    DemoAccount {
        role: Role::Physician,
        email: "dr.reyes@demo.huddle.test",
        password: "demo-physician-reyes",
        display_name: "Dr. Mateo Reyes",
        department: Some(1),
        specialty: Some("207P00000X"),
    },
    DemoAccount {
        role: Role::Clinician,
        email: "nurse.patel@demo.huddle.test",
        password: "demo-clinician-patel",
        display_name: "Priya Patel, RN",
        department: Some(2),
        specialty: None,
    },
    DemoAccount {
        role: Role::Verifier,
        email: "verifier@demo.huddle.test",
        password: "demo-verifier-huddle",
        display_name: "Sam Verifier",
        department: None,
        specialty: None,
    },
    DemoAccount {
        role: Role::Moderator,
        email: "moderator@demo.huddle.test",
        password: "demo-moderator-huddle",
        display_name: "Dr. Morgan Moderator",
        department: Some(2),
        specialty: Some("208M00000X"),
    },
    DemoAccount {
        role: Role::OrgAdmin,
        email: "admin@demo.huddle.test",
        password: "demo-orgadmin-huddle",
        display_name: "Olivia Admin",
        department: None,
        specialty: None,
    },
    DemoAccount {
        role: Role::WellbeingLead,
        email: "wellbeing@demo.huddle.test",
        password: "demo-wellbeing-huddle",
        display_name: "Wren Wellbeing",
        department: None,
        specialty: None,
    },
    DemoAccount {
        role: Role::SystemAdmin,
        email: "sysadmin@demo.huddle.test",
        password: "demo-sysadmin-huddle",
        display_name: "Sys Admin",
        department: None,
        specialty: None,
    },
];

/// Synthetic NPIs with valid check digits (none is a real provider's).
const DEMO_NPIS: [&str; 3] = ["1234567893", "1993999998", "1558598797"];

pub async fn seed(state: &AppState) -> anyhow::Result<()> {
    let store = &state.store;
    let org = match store
        .organizations()
        .await?
        .into_iter()
        .find(|o| o.name == ORGANIZATION)
    {
        Some(org) => org,
        None => store.create_organization(ORGANIZATION, state.now()).await?,
    };
    if store.organization_time_zone(org.id).await?.is_none() {
        store
            .set_organization_time_zone(org.id, Some(TIME_ZONE))
            .await?;
    }
    let mut departments = store.departments(org.id).await?;
    for name in DEPARTMENTS {
        if !departments.iter().any(|d| d.name == name) {
            departments.push(store.create_department(org.id, name).await?);
        }
    }
    let mut verifier_id = None;
    let mut physicians: Vec<(User, &'static str)> = Vec::new();
    for account in &ACCOUNTS {
        let email = Email::parse(account.email).map_err(|e| anyhow::anyhow!("{e}"))?;
        let user = match store.user_by_email(&email).await? {
            Some(user) => user,
            None => create_account(
                state,
                email,
                NewPassword::parse(account.password).map_err(|e| anyhow::anyhow!("{e}"))?,
                DisplayName::parse(account.display_name).map_err(|e| anyhow::anyhow!("{e}"))?,
                // An account with a specialty is a physician (the moderator moderates the
                // lounge as a verified hospitalist).
                Roles::new(
                    [account.role]
                        .into_iter()
                        .chain(account.specialty.map(|_| Role::Physician)),
                ),
                None,
                None,
            )
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.detail()))?,
        };
        let department_id = account
            .department
            .and_then(|i| DEPARTMENTS.get(i))
            .and_then(|name| departments.iter().find(|d| d.name == *name))
            .map(|d| d.id);
        store
            .set_membership(user.id, Some(org.id), department_id)
            .await?;
        if account.role == Role::Verifier {
            verifier_id = Some(user.id);
        }
        if let Some(code) = account.specialty {
            physicians.push((user, code));
        }
    }
    let verifier_id = verifier_id.ok_or_else(|| anyhow::anyhow!("the demo has no verifier"))?;
    let clinical: Vec<(User, &'static str)> = physicians
        .iter()
        .filter(|(u, _)| !u.roles.has(Role::Moderator))
        .cloned()
        .collect();
    schedule(state, org.id, &clinical).await?;
    let authors: Vec<(i64, &'static str)> = physicians.iter().map(|(u, c)| (u.id, *c)).collect();
    insights(state, org.id, &departments).await?;
    for ((user, code), npi) in physicians.into_iter().zip(DEMO_NPIS) {
        if store.latest_verification(user.id).await?.is_some() {
            continue;
        }
        let specialty =
            specialty(code).ok_or_else(|| anyhow::anyhow!("unknown specialty {code}"))?;
        let request = store
            .submit_verification(NewVerification {
                user_id: user.id,
                npi: Npi::parse(npi).map_err(|e| anyhow::anyhow!("{e}"))?,
                license_state: LicenseState::parse("MA").map_err(|e| anyhow::anyhow!("{e}"))?,
                license_number: LicenseNumber::parse(&format!("MD-{}", 200_000 + user.id))
                    .map_err(|e| anyhow::anyhow!("{e}"))?,
                specialty,
                submitted_at: state.now(),
            })
            .await?;
        let decision = Decision {
            decided_by: verifier_id,
            approve: true,
            reason: "demo physician".into(),
            at: state.now(),
        };
        store.decide_verification(request.id, &decision).await?;
        record(
            state,
            Some(verifier_id),
            AuditAction::VerificationApproved,
            format!("verification:{}", request.id),
            json!({ "user": user.id, "reason": "demo physician" }),
        )
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.detail()))?;
    }
    lounge(state, &authors).await?;
    alerts(state, org.id).await?;
    Ok(())
}

/// Who the demo has invited: the admin page lists the invitation as waiting.
pub const INVITED: &str = "new.resident@demo.huddle.test";

/// A fresh invitation for `INVITED`, as a link on `base`, to the Internal Medicine department as a physician,
/// replacing any earlier one (only its hash is kept, so a restart cannot show the old
/// link). Returns the link, which the demo prints as it prints its passwords: there is no
/// mailbox behind the address.
pub async fn invitation_link(state: &AppState, base: &str) -> anyhow::Result<Option<String>> {
    let store = &state.store;
    let Some(org) = store
        .organizations()
        .await?
        .into_iter()
        .find(|o| o.name == ORGANIZATION)
    else {
        return Ok(None);
    };
    if store
        .user_by_email(&Email::parse(INVITED).map_err(|e| anyhow::anyhow!("{e}"))?)
        .await?
        .is_some_and(|u| u.organization_id == Some(org.id))
    {
        return Ok(None);
    }
    let department_id = store
        .departments(org.id)
        .await?
        .into_iter()
        .find(|d| d.name == DEPARTMENTS[0])
        .map(|d| d.id);
    let token = crate::auth::secrets::new_secret();
    let now = state.now();
    store
        .create_invitation(huddle_store::NewInvitation {
            organization_id: org.id,
            email: INVITED,
            department_id,
            roles: &Roles::new([Role::Physician]),
            token_hash: &crate::auth::secrets::hash_secret(&token),
            invited_by: None,
            created_at: now,
            expires_at: now + 7 * huddle_core::clock::DAY,
        })
        .await?;
    Ok(Some(format!("{base}/invitations/accept?token={token}")))
}

/// The demo lab feed's credential: printed on start like the demo passwords, and as
/// public, so it guards synthetic data only.
pub const DEMO_FEED_CREDENTIAL: &str = "hki_demo-riverside-core-lab-synthetic-data-only";

/// The core lab registered as a feed (HL7 `RIVLAB^RIVERSIDE`), a few results from it and a
/// nurse's page to cardiology on call, so the alert inbox and the page list are not empty.
async fn alerts(state: &AppState, organization_id: i64) -> anyhow::Result<()> {
    use crate::actions::paging::{self, PageRequest};
    use crate::actions::routing::{route, Incoming, Target};
    use huddle_core::routing::{Priority, Sender};
    let store = &state.store;
    if !store.integrations(organization_id).await?.is_empty() {
        return Ok(());
    }
    let admin = find(state, "admin@demo.huddle.test").await?;
    let feed = store
        .create_integration(huddle_store::NewIntegration {
            organization_id,
            name: "Riverside core lab".into(),
            sources: "lab".into(),
            kinds: "critical_lab,abnormal_lab,inbasket_result".into(),
            addresses: String::new(),
            hl7_application: "RIVLAB".into(),
            hl7_facility: "RIVERSIDE".into(),
            secret_hash: crate::auth::secrets::hash_secret(DEMO_FEED_CREDENTIAL),
            created_by: Some(admin.id),
            created_at: state.now(),
        })
        .await?;
    let results = [
        (
            "RIV-1001",
            "critical_lab",
            Priority::Urgent,
            "Bed 7",
            "Potassium 6.8 mmol/L (HH) (synthetic)",
        ),
        (
            "RIV-1002",
            "abnormal_lab",
            Priority::Routine,
            "Bed 3",
            "Troponin I 0.09 ng/mL (H) (synthetic)",
        ),
        (
            "RIV-1003",
            "inbasket_result",
            Priority::Routine,
            "Clinic 14",
            "Lipid panel resulted, within range (synthetic)",
        ),
    ];
    for (id, category, priority, patient, text) in results {
        route(
            state,
            Incoming {
                organization_id,
                sender: Sender::Integration(feed.id),
                source: "lab".into(),
                source_id: Some(id.into()),
                category: category.into(),
                priority,
                service: "cardiology".into(),
                target: Target::OnCall("cardiology".into()),
                patient: patient.into(),
                text: text.into(),
                callback: String::new(),
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("demo alert: {}", e.detail()))?;
    }
    let nurse = find(state, "nurse.patel@demo.huddle.test").await?;
    if nurse.team.is_empty() {
        store.set_team(nurse.id, "nursing").await?;
    }
    let nurse = find(state, "nurse.patel@demo.huddle.test").await?;
    let principal = crate::auth::Principal {
        user: std::sync::Arc::new(nurse),
        session: None,
        token_id: None,
    };
    paging::page(
        state,
        &principal,
        PageRequest {
            recipient: "oncall:cardiology".into(),
            urgency: "urgent".into(),
            message: "Bed 7 reports chest pressure, ECG on the chart (synthetic)".into(),
            patient: "Bed 7".into(),
            callback: "x4410".into(),
            client_id: Some("demo-page-1".into()),
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("demo page: {}", e.detail()))?;
    Ok(())
}

async fn find(state: &AppState, email: &str) -> anyhow::Result<User> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("{e}"))?;
    state
        .store
        .user_by_email(&email)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the demo has no {email}"))
}

/// A few de-identified lounge threads, so the lounge is not empty on a first look.
async fn lounge(state: &AppState, authors: &[(i64, &'static str)]) -> anyhow::Result<()> {
    use huddle_store::{NewPost, NewThread, ThreadQuery};
    let store = &state.store;
    let any = ThreadQuery {
        limit: 1,
        ..Default::default()
    };
    if !store.threads(&any).await?.is_empty() {
        return Ok(());
    }
    let group = |code: &str| specialty(code).map(|s| s.group.slug().to_string());
    let (Some(&(first, first_code)), Some(&(second, second_code))) =
        (authors.first(), authors.get(1))
    else {
        return Ok(());
    };
    let now = state.now();
    let post = |author: i64, code: &str, body: &str, pseudonymous: bool, at| NewPost {
        thread_id: 0,
        author_id: author,
        author_group: group(code),
        body: body.into(),
        pseudonymous,
        at,
    };
    let threads = [
        (
            "cardiology",
            "question",
            "Anticoagulation after ablation for paroxysmal AF",
            ",af,anticoagulation,",
            post(first, first_code, "After a successful ablation, how long do you keep anticoagulation when CHA2DS2-VASc is 2? Our group is split between 3 months and indefinitely.", false, now - 3 * 3_600_000),
            None,
        ),
        (
            "wellbeing",
            "discussion",
            "Coming back after a hard month",
            "",
            post(second, second_code, "Two deaths on one night shift last month. I am back at work and sleeping badly. How did you get through something like this?", true, now - 2 * 3_600_000),
            None,
        ),
        (
            "practice",
            "discussion",
            "Inbox messages after hours",
            ",inbox,ehr,",
            post(first, first_code, "How does your practice keep patient portal messages from landing on physicians after clinic hours?", false, now - 3_600_000),
            Some(("Who triages portal messages first?".to_string(), vec!["Nurses".to_string(), "Medical assistants".to_string(), "Physicians".to_string()])),
        ),
    ];
    let mut first_thread = None;
    for (space, kind, title, tags, opening, poll) in threads {
        let (thread, _) = store
            .create_thread(NewThread {
                space: space.into(),
                kind: kind.into(),
                title: title.into(),
                tags: tags.into(),
                opening,
                poll,
            })
            .await?;
        first_thread.get_or_insert(thread.id);
    }
    if let Some(thread_id) = first_thread {
        store
            .add_reply(NewPost {
                thread_id,
                ..post(second, second_code, "We stop at 3 months if monitoring shows no recurrence, after a shared decision with the patient.", false, now - 1_800_000)
            })
            .await?;
    }
    Ok(())
}

/// Two years of synthetic, de-identified contributions and routing burden for the demo
/// organization (synthetic people without accounts), and two interventions, so the
/// insights dashboard has something to show. Seeded once.
async fn insights(
    state: &AppState,
    organization_id: i64,
    departments: &[huddle_store::Department],
) -> anyhow::Result<()> {
    use huddle_core::insights::{BurdenContribution, Contribution, Period, DRIVERS};
    let through = crate::actions::insights::closed_through(state);
    let first = through.plus(-23);
    if !state
        .store
        .contributions(organization_id, first, through.plus(1))
        .await?
        .is_empty()
    {
        return Ok(());
    }
    let dept = |name: &str| departments.iter().find(|d| d.name == name).map(|d| d.id);
    // (department, people, physician share, specialty, base burnout, driver profile).
    type Unit = (&'static str, usize, f64, &'static str, f64, [f64; 9]);
    let units: [Unit; 4] = [
        (
            "Cardiology",
            40,
            0.7,
            "207RC0000X",
            0.42,
            [3.6, 4.2, 3.4, 3.1, 3.0, 2.6, 2.7, 3.0, 2.4],
        ),
        (
            "Emergency Department",
            56,
            0.65,
            "207P00000X",
            0.56,
            [4.1, 3.5, 3.2, 4.4, 3.6, 2.9, 3.0, 3.3, 2.6],
        ),
        (
            "Hospital Medicine",
            48,
            0.7,
            "207R00000X",
            0.48,
            [4.4, 3.9, 3.0, 3.6, 3.2, 3.5, 2.9, 3.4, 2.8],
        ),
        (
            "Primary Care Clinic",
            36,
            0.75,
            "207Q00000X",
            0.50,
            [3.9, 4.5, 4.3, 3.2, 3.4, 2.8, 3.1, 3.6, 3.0],
        ),
    ];
    let scribes_start = through.plus(-12);
    let workshop_start = through.plus(-9);
    let mut rng = SplitMix(0x5eed_1eaf);
    let mut contributions = Vec::new();
    let mut burden: Vec<Vec<BurdenContribution>> = vec![Vec::new(); 24];
    let mut person = 0i64;
    for (name, people, physician_share, specialty, base, drivers) in units {
        let department_id = dept(name);
        for i in 0..people {
            person += 1;
            let physician = (i as f64) < people as f64 * physician_share;
            let role = if physician { "physician" } else { "nursing" };
            let specialty = if physician { specialty } else { "" };
            let frailty = rng.unit() * 0.3 - 0.15;
            for m in 0..24 {
                let period: Period = first.plus(m);
                if rng.unit() > 0.78 {
                    continue;
                }
                let mut p_burnout = base + frailty;
                // Scribes in the ED: structural, targets documentation and interruptions,
                // and the effect holds.
                let scribes = name == "Emergency Department" && period >= scribes_start;
                if scribes {
                    p_burnout -= 0.18;
                }
                // An org-wide resilience workshop: an early dip that fades.
                let since = period.months_since(workshop_start);
                if (0..4).contains(&since) {
                    p_burnout -= 0.06;
                }
                let mut scores = [0u8; 9];
                for (k, mean) in drivers.iter().enumerate() {
                    let mut mean = *mean;
                    if scribes && (DRIVERS[k] == "documentation" || DRIVERS[k] == "interruptions") {
                        mean -= 1.0;
                    }
                    scores[k] = (mean + rng.unit() * 2.0 - 1.0).round().clamp(1.0, 5.0) as u8;
                }
                contributions.push(Contribution {
                    period,
                    pseudonym: 9_000_000 + person,
                    department_id,
                    specialty: specialty.to_string(),
                    role: role.to_string(),
                    burnout: Some(rng.unit() < p_burnout.clamp(0.02, 0.95)),
                    depression: Some(rng.unit() < 0.12 + (p_burnout - 0.45) * 0.2),
                    anxiety: Some(rng.unit() < 0.10 + (p_burnout - 0.45) * 0.2),
                    drivers: scores,
                });
                if physician {
                    let load = match name {
                        "Emergency Department" if !scribes => 9.0,
                        "Emergency Department" => 6.5,
                        "Cardiology" => 6.0,
                        "Hospital Medicine" => 7.5,
                        _ => 3.5,
                    };
                    burden[m as usize].push(BurdenContribution {
                        period,
                        pseudonym: 9_000_000 + person,
                        department_id,
                        specialty: specialty.to_string(),
                        role: role.to_string(),
                        shifts: 12 + (rng.unit() * 8.0) as i64,
                        notifications_per_shift: ((load + rng.unit() * 3.0 - 1.5) * 10.0).round()
                            / 10.0,
                        false_positive_share: ((0.25 + rng.unit() * 0.3) * 100.0).round() / 100.0,
                        after_hours: (rng.unit()
                            * if name == "Primary Care Clinic" {
                                30.0
                            } else {
                                12.0
                            }) as i64,
                        median_ack_s: Some(45 + (rng.unit() * 240.0) as i64),
                    });
                }
            }
        }
    }
    state
        .store
        .record_contributions(organization_id, &contributions)
        .await?;
    for (m, rows) in burden.iter().enumerate() {
        state
            .store
            .save_burden(organization_id, first.plus(m as i64), rows)
            .await?;
    }
    if state.store.interventions(organization_id).await?.is_empty() {
        for (name, level, drivers, unit, starts, cost) in [
            (
                "Scribes and an interruption-free charting hour in the ED",
                "structural",
                "documentation,interruptions",
                dept("Emergency Department"),
                scribes_start,
                420_000,
            ),
            (
                "Resilience workshop series",
                "individual",
                "isolation",
                None,
                workshop_start,
                60_000,
            ),
        ] {
            state
                .store
                .create_intervention(huddle_store::NewIntervention {
                    organization_id,
                    name: name.into(),
                    level: level.into(),
                    drivers: drivers.into(),
                    units: unit.map(|u| u.to_string()).unwrap_or_default(),
                    starts,
                    cost,
                    created_by: None,
                    created_at: state.now(),
                })
                .await?;
        }
    }
    state.insights.invalidate();
    Ok(())
}

/// A small deterministic generator, so the demo looks the same every time.
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
