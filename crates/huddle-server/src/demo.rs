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

/// A week of cardiology from now: the first demo physician on call around the clock, the
/// second on day shifts, so alerts have someone to reach.
async fn schedule(
    state: &AppState,
    organization_id: i64,
    physicians: &[(User, &'static str)],
) -> anyhow::Result<()> {
    use huddle_core::clock::{DAY, HOUR};
    let now = state.now();
    if !state
        .store
        .shifts(organization_id, now, now + HOUR)
        .await?
        .is_empty()
    {
        return Ok(());
    }
    let mut shifts = Vec::new();
    for day in 0..7 {
        let start = now - HOUR + day * DAY;
        if let Some((oncall, _)) = physicians.first() {
            shifts.push(huddle_store::NewShift {
                user_id: oncall.id,
                service: "cardiology".into(),
                role: "oncall".into(),
                starts_at: start,
                ends_at: start + DAY,
            });
        }
        if let Some((day_doc, _)) = physicians.get(1) {
            shifts.push(huddle_store::NewShift {
                user_id: day_doc.id,
                service: "cardiology".into(),
                role: "day".into(),
                starts_at: start,
                ends_at: start + 12 * HOUR,
            });
        }
    }
    state
        .store
        .replace_shifts(organization_id, now - HOUR, now + 7 * DAY, &shifts)
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
    Ok(())
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
