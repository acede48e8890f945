//! The contract every backend must keep, run against SQLite always and against PostgreSQL
//! when `HUDDLE_TEST_DATABASE_URL` is set. A backend's tests call
//! `huddle_store::conformance_suite!(make_store)`, where `make_store` is an async fn that
//! returns `Option<Arc<dyn Store>>` on a fresh, migrated database (`None` skips).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use huddle_core::audit::{verify_chain, AuditAction, GENESIS_HASH};
use huddle_core::identity::{
    specialty, DisplayName, Email, LicenseNumber, LicenseState, Npi, Role, Roles,
    VerificationStatus,
};

use crate::{
    Decision, NewAuditEvent, NewSealedResponse, NewUser, NewVerification, NppesRecord, Resource,
    Session, Store, StoreError,
};
use crate::{NewConversation, NewMessage, WrappedKey};
use huddle_core::keys::KeyOwner;

/// The suite, listed once. `conformance_suite!(make_store)` makes one `#[tokio::test]` of
/// each test for a backend, plus `every_conformance_test_is_listed`, which fails when a
/// `pub async fn` of this file (every one is a test) is missing from the list; a listed
/// name that is not a function here does not compile. So a test cannot be forgotten.
#[macro_export]
macro_rules! conformance_suite {
    ($make:path) => {
        $crate::conformance_suite!(@list run $make);
    };
    // The list itself: handed to `@run` (the tests) or `@names` (their names).
    (@list $($how:tt)*) => {
        $crate::conformance_suite! {@$($how)*;
            organizations_and_departments,
            users_have_unique_emails,
            roles_membership_and_password_change,
            time_zones_of_organizations_and_people,
            login_failures_lock_at_threshold,
            totp_step_is_never_accepted_twice,
            sessions_expire_and_sign_out_everywhere,
            api_tokens_belong_to_their_owner,
            verification_requests_follow_the_review_flow,
            nppes_records_upsert_by_npi,
            audit_log_is_a_gapless_chain_under_concurrency,
            wellbeing_data_belongs_to_its_owner_and_erases_completely,
            resource_hub_lists_searches_and_scopes_by_organization,
            conversations_number_messages_without_gaps_or_duplicates,
            inbox_read_positions_and_channels,
            edits_deletions_and_retention,
            jobs_run_once_per_period_and_keys_rewrap,
            status_is_stored,
            push_subscriptions_belong_to_their_device_and_owner,
            passkey_ceremonies_are_taken_once_and_expire,
            passkeys_are_unique_per_credential_and_removed_by_their_owner,
            alerts_are_stored_once_answered_and_escalated_once,
            alerts_with_a_reused_id_are_kept_and_flagged,
            unconfirmed_interrupts_escalate_and_receipts_are_recorded_once,
            the_outbox_sends_each_item_once_and_keeps_failures,
            invitations_work_once_and_only_the_newest,
            mailed_links_work_once_for_their_purpose_and_reclaim_only_unproven_accounts,
            integrations_are_found_by_credential_and_hl7_sender_until_revoked,
            shifts_and_policy_versions,
            lounge_threads_replies_votes_and_notifications,
            lounge_search_finds_visible_posts_with_filters,
            lounge_moderation_is_recorded,
            insights_contributions_merge_per_month_and_interventions_are_scoped,
            scim_credentials_are_found_by_hash_until_revoked,
            scim_users_and_groups_are_kept_per_organization,
            sso_connections_own_their_domains,
            sso_attempts_are_taken_once_before_they_expire
        }
    };
    (@names; $($name:ident),*) => {
        [$(stringify!($name)),*]
    };
    (@run $make:path; $($name:ident),*) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let Some(store) = $make().await else {
                    eprintln!("skipped: no database configured for this backend");
                    return;
                };
                $crate::conformance::$name(store).await;
            }
        )*

        #[test]
        fn every_conformance_test_is_listed() {
            let unlisted = $crate::conformance::unlisted(&[$(stringify!($name)),*]);
            assert!(
                unlisted.is_empty(),
                "tests in huddle-store/src/conformance.rs missing from `conformance_suite!`: {unlisted:?}"
            );
        }
    };
}

/// The tests of this file (its `pub async fn`s) whose names are not in `listed`.
pub fn unlisted(listed: &[&str]) -> Vec<&'static str> {
    tests_in(include_str!("conformance.rs"))
        .filter(|name| !listed.contains(name))
        .collect()
}

/// The names of the `pub async fn`s in a source text.
fn tests_in(source: &str) -> impl Iterator<Item = &str> {
    source.lines().filter_map(|line| {
        let rest = line.strip_prefix("pub async fn ")?;
        rest.split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .next()
    })
}

fn new_user(email: &str) -> NewUser {
    NewUser {
        email: Email::parse(email).unwrap(),
        display_name: DisplayName::parse("Dr. Test Person").unwrap(),
        password_hash: "$argon2id$v=19$not-a-real-hash".into(),
        roles: Roles::new([Role::Physician]),
        organization_id: None,
        department_id: None,
        created_at: 1_000,
        email_verified_at: Some(1_000),
    }
}

pub async fn organizations_and_departments(store: Arc<dyn Store>) {
    let org = store
        .create_organization("Riverside Medical Group", 5)
        .await
        .unwrap();
    assert_eq!(org.name, "Riverside Medical Group");
    assert!(matches!(
        store
            .create_organization("Riverside Medical Group", 6)
            .await,
        Err(StoreError::Conflict("organization"))
    ));
    let other = store
        .create_organization("Lakeside Clinic", 7)
        .await
        .unwrap();
    let names: Vec<_> = store
        .organizations()
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.name)
        .collect();
    assert_eq!(names, vec!["Lakeside Clinic", "Riverside Medical Group"]);

    let cardio = store.create_department(org.id, "Cardiology").await.unwrap();
    store.create_department(org.id, "Emergency").await.unwrap();
    assert!(matches!(
        store.create_department(org.id, "Cardiology").await,
        Err(StoreError::Conflict("department"))
    ));
    // The same name is fine in another organization.
    store
        .create_department(other.id, "Cardiology")
        .await
        .unwrap();
    let depts: Vec<_> = store
        .departments(org.id)
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.name)
        .collect();
    assert_eq!(depts, vec!["Cardiology", "Emergency"]);
    assert_eq!(store.department(cardio.id).await.unwrap(), Some(cardio));
    assert_eq!(store.organization(org.id).await.unwrap(), Some(org));
    assert_eq!(store.organization(999_999).await.unwrap(), None);
}

pub async fn users_have_unique_emails(store: Arc<dyn Store>) {
    let user = store
        .create_user(new_user("ada@example.org"))
        .await
        .unwrap();
    assert_eq!(user.email, "ada@example.org");
    assert!(user.roles.has(Role::Physician));
    assert!(!user.mfa_enabled());
    assert!(matches!(
        store.create_user(new_user("ADA@example.org")).await,
        Err(StoreError::Conflict("email"))
    ));
    let found = store
        .user_by_email(&Email::parse("Ada@Example.org").unwrap())
        .await
        .unwrap();
    assert_eq!(found, Some(user.clone()));
    assert_eq!(store.user(user.id).await.unwrap(), Some(user));
    assert_eq!(store.user(424_242).await.unwrap(), None);
}

pub async fn time_zones_of_organizations_and_people(store: Arc<dyn Store>) {
    let org = store
        .create_organization("Eastside Clinic", 1)
        .await
        .unwrap();
    let user = store
        .create_user(NewUser {
            organization_id: Some(org.id),
            ..new_user("tz@example.org")
        })
        .await
        .unwrap();
    let loner = store
        .create_user(new_user("tz2@example.org"))
        .await
        .unwrap();
    // Nothing set: both unset (UTC and "my organization's").
    assert_eq!(store.time_zones(user.id).await.unwrap(), (None, None));
    assert_eq!(store.organization_time_zone(org.id).await.unwrap(), None);
    store
        .set_organization_time_zone(org.id, Some("America/New_York"))
        .await
        .unwrap();
    assert_eq!(
        store
            .organization_time_zone(org.id)
            .await
            .unwrap()
            .as_deref(),
        Some("America/New_York")
    );
    store
        .set_user_time_zone(user.id, Some("Europe/Paris"))
        .await
        .unwrap();
    assert_eq!(
        store.time_zones(user.id).await.unwrap(),
        (Some("Europe/Paris".into()), Some("America/New_York".into()))
    );
    store.set_user_time_zone(user.id, None).await.unwrap();
    assert_eq!(
        store.time_zones(user.id).await.unwrap(),
        (None, Some("America/New_York".into()))
    );
    // No organization, unknown people and organizations.
    assert_eq!(store.time_zones(loner.id).await.unwrap(), (None, None));
    assert_eq!(store.time_zones(424_242).await.unwrap(), (None, None));
    assert_eq!(store.organization_time_zone(424_242).await.unwrap(), None);
    assert!(matches!(
        store.set_user_time_zone(424_242, Some("UTC")).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.set_organization_time_zone(424_242, None).await,
        Err(StoreError::NotFound)
    ));
    // Other records are untouched.
    assert_eq!(store.user(user.id).await.unwrap(), Some(user));
}

pub async fn roles_membership_and_password_change(store: Arc<dyn Store>) {
    let org = store.create_organization("Harbor Health", 1).await.unwrap();
    let dept = store
        .create_department(org.id, "Hospital medicine")
        .await
        .unwrap();
    let user = store
        .create_user(new_user("grace@example.org"))
        .await
        .unwrap();
    let roles = Roles::new([Role::Physician, Role::Verifier]);
    store.set_roles(user.id, &roles).await.unwrap();
    store
        .set_membership(user.id, Some(org.id), Some(dept.id))
        .await
        .unwrap();
    store
        .set_password_hash(user.id, "$argon2id$new")
        .await
        .unwrap();
    let user = store.user(user.id).await.unwrap().unwrap();
    assert_eq!(user.roles, roles);
    assert_eq!(
        (user.organization_id, user.department_id),
        (Some(org.id), Some(dept.id))
    );
    assert_eq!(user.password_hash, "$argon2id$new");
    let members = store.users_in_organization(org.id).await.unwrap();
    assert_eq!(members.len(), 1);
    assert!(matches!(
        store.set_roles(9_999_999, &roles).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn login_failures_lock_at_threshold(store: Arc<dyn Store>) {
    let user = store
        .create_user(new_user("lock@example.org"))
        .await
        .unwrap();
    let first = store
        .record_login_failure(user.id, 10_000, 3, 60_000)
        .await
        .unwrap();
    assert_eq!((first.failed_logins, first.locked_until), (1, None));
    let second = store
        .record_login_failure(user.id, 11_000, 3, 60_000)
        .await
        .unwrap();
    assert_eq!((second.failed_logins, second.locked_until), (2, None));
    let third = store
        .record_login_failure(user.id, 12_000, 3, 60_000)
        .await
        .unwrap();
    assert_eq!(third.locked_until, Some(72_000));
    let stored = store.user(user.id).await.unwrap().unwrap();
    assert_eq!(stored.locked_until, Some(72_000));
    store.record_login_success(user.id).await.unwrap();
    let stored = store.user(user.id).await.unwrap().unwrap();
    assert_eq!((stored.failed_logins, stored.locked_until), (0, None));
}

pub async fn totp_step_is_never_accepted_twice(store: Arc<dyn Store>) {
    let user = store
        .create_user(new_user("totp@example.org"))
        .await
        .unwrap();
    assert!(
        !store.accept_totp_step(user.id, 100).await.unwrap(),
        "no secret, no step"
    );
    store
        .set_totp_secret(user.id, Some("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"))
        .await
        .unwrap();
    assert!(store.accept_totp_step(user.id, 100).await.unwrap());
    assert!(
        !store.accept_totp_step(user.id, 100).await.unwrap(),
        "replayed code"
    );
    assert!(
        !store.accept_totp_step(user.id, 99).await.unwrap(),
        "older code"
    );
    assert!(store.accept_totp_step(user.id, 101).await.unwrap());
    // Parallel submissions of one code: exactly one wins.
    let mut handles = Vec::new();
    for _ in 0..8 {
        let s = store.clone();
        let id = user.id;
        handles.push(tokio::spawn(async move {
            s.accept_totp_step(id, 102).await.unwrap()
        }));
    }
    let mut accepted = 0;
    for h in handles {
        if h.await.unwrap() {
            accepted += 1;
        }
    }
    assert_eq!(accepted, 1);
    store.set_totp_secret(user.id, None).await.unwrap();
    assert!(!store.user(user.id).await.unwrap().unwrap().mfa_enabled());
}

pub async fn sessions_expire_and_sign_out_everywhere(store: Arc<dyn Store>) {
    let user = store
        .create_user(new_user("sess@example.org"))
        .await
        .unwrap();
    let mk = |id: &str, at: i64| Session {
        id_hash: id.into(),
        user_id: user.id,
        csrf_token: format!("csrf-{id}"),
        created_at: at,
        last_seen_at: at,
        mfa_pending: false,
        expires_at: (id == "c").then_some(at + 5_000),
    };
    store.create_session(&mk("a", 1_000)).await.unwrap();
    store.create_session(&mk("b", 2_000)).await.unwrap();
    store.create_session(&mk("c", 3_000)).await.unwrap();
    assert_eq!(store.session("a").await.unwrap(), Some(mk("a", 1_000)));
    assert_eq!(store.session("c").await.unwrap(), Some(mk("c", 3_000)));
    store.touch_session("a", 9_000).await.unwrap();
    assert_eq!(
        store.session("a").await.unwrap().unwrap().last_seen_at,
        9_000
    );
    // Idle: b was last seen at 2000; a (touched) and c were seen later.
    assert_eq!(store.delete_expired_sessions(2_500, 0).await.unwrap(), 1);
    assert!(store.session("b").await.unwrap().is_none());
    // Absolute: a was created at 1000, however recently it was used.
    assert_eq!(store.delete_expired_sessions(0, 1_500).await.unwrap(), 1);
    assert!(store.session("a").await.unwrap().is_none());
    store.create_session(&mk("d", 9_500)).await.unwrap();
    store.create_session(&mk("e", 9_600)).await.unwrap();
    assert_eq!(
        store
            .delete_user_sessions(user.id, Some("c"))
            .await
            .unwrap(),
        2
    );
    assert!(store.session("c").await.unwrap().is_some());
    store.delete_session("c").await.unwrap();
    assert!(store.session("c").await.unwrap().is_none());
}

pub async fn api_tokens_belong_to_their_owner(store: Arc<dyn Store>) {
    let owner = store
        .create_user(new_user("owner@example.org"))
        .await
        .unwrap();
    let other = store
        .create_user(new_user("other@example.org"))
        .await
        .unwrap();
    let token = store
        .create_api_token(owner.id, "laptop", "hash-1", 50)
        .await
        .unwrap();
    assert!(matches!(
        store
            .create_api_token(owner.id, "laptop", "hash-2", 51)
            .await,
        Err(StoreError::Conflict("token name"))
    ));
    store
        .create_api_token(other.id, "laptop", "hash-3", 52)
        .await
        .unwrap();
    let (found, found_owner) = store.api_token_owner("hash-1").await.unwrap().unwrap();
    assert_eq!(found, token);
    assert_eq!(found_owner, owner);
    assert!(store.api_token_owner("hash-9").await.unwrap().is_none());
    store.touch_api_token(token.id, 77).await.unwrap();
    assert_eq!(
        store.api_tokens(owner.id).await.unwrap()[0].last_used_at,
        Some(77)
    );
    assert!(
        !store.revoke_api_token(other.id, token.id).await.unwrap(),
        "not theirs"
    );
    assert!(store.revoke_api_token(owner.id, token.id).await.unwrap());
    assert!(store.api_token_owner("hash-1").await.unwrap().is_none());
}

fn submission(user_id: i64, license: &str, at: i64) -> NewVerification {
    NewVerification {
        user_id,
        npi: Npi::parse("1234567893").unwrap(),
        license_state: LicenseState::parse("MA").unwrap(),
        license_number: LicenseNumber::parse(license).unwrap(),
        specialty: specialty("207RC0000X").unwrap(),
        submitted_at: at,
    }
}

pub async fn verification_requests_follow_the_review_flow(store: Arc<dyn Store>) {
    let doc = store
        .create_user(new_user("doc@example.org"))
        .await
        .unwrap();
    let verifier = store
        .create_user(new_user("verifier@example.org"))
        .await
        .unwrap();
    assert!(store.latest_verification(doc.id).await.unwrap().is_none());

    let first = store
        .submit_verification(submission(doc.id, "MD-1", 100))
        .await
        .unwrap();
    assert_eq!(first.status, VerificationStatus::Pending);
    let second = store
        .submit_verification(submission(doc.id, "MD-2", 200))
        .await
        .unwrap();
    assert_eq!(
        store.verification(first.id).await.unwrap().unwrap().status,
        VerificationStatus::Superseded
    );
    let queue = store.pending_verifications(50).await.unwrap();
    assert_eq!(
        queue.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![second.id]
    );

    let approve = Decision {
        decided_by: verifier.id,
        approve: true,
        reason: "NPPES match".into(),
        at: 300,
    };
    let decided = store
        .decide_verification(second.id, &approve)
        .await
        .unwrap();
    assert_eq!(decided.status, VerificationStatus::Verified);
    assert_eq!(decided.decided_by, Some(verifier.id));
    assert_eq!(decided.reason.as_deref(), Some("NPPES match"));
    assert!(matches!(
        store.decide_verification(second.id, &approve).await,
        Err(StoreError::InvalidState(_))
    ));
    assert!(matches!(
        store.decide_verification(first.id, &approve).await,
        Err(StoreError::InvalidState(_))
    ));
    assert!(matches!(
        store.decide_verification(987_654, &approve).await,
        Err(StoreError::NotFound)
    ));
    assert!(store.pending_verifications(50).await.unwrap().is_empty());

    // A licence change sends the physician back to review.
    let third = store
        .submit_verification(submission(doc.id, "MD-3", 400))
        .await
        .unwrap();
    let latest = store.latest_verification(doc.id).await.unwrap().unwrap();
    assert_eq!(
        (latest.id, latest.status),
        (third.id, VerificationStatus::Pending)
    );
    let reject = Decision {
        decided_by: verifier.id,
        approve: false,
        reason: "licence not found".into(),
        at: 500,
    };
    assert_eq!(
        store
            .decide_verification(third.id, &reject)
            .await
            .unwrap()
            .status,
        VerificationStatus::Rejected
    );
}

pub async fn nppes_records_upsert_by_npi(store: Arc<dyn Store>) {
    let rec = |last: &str| NppesRecord {
        npi: "1234567893".into(),
        entity_type: 1,
        last_name: last.into(),
        first_name: "ADA".into(),
        licenses: "MA:MD-1".into(),
        taxonomy_codes: "207RC0000X".into(),
    };
    assert_eq!(
        store
            .upsert_nppes_records(&[rec("LOVELACE")])
            .await
            .unwrap(),
        1
    );
    store.upsert_nppes_records(&[rec("BYRON")]).await.unwrap();
    assert_eq!(
        store.nppes_record("1234567893").await.unwrap(),
        Some(rec("BYRON"))
    );
    assert_eq!(store.nppes_record("1993999998").await.unwrap(), None);
}

pub async fn audit_log_is_a_gapless_chain_under_concurrency(store: Arc<dyn Store>) {
    assert_eq!(
        store.audit_head().await.unwrap(),
        (0, GENESIS_HASH.to_string())
    );
    let event = |i: i64| NewAuditEvent {
        at: 1_000 + i,
        actor_id: Some(i),
        action: AuditAction::SignIn,
        target: format!("user:{i}"),
        detail: serde_json::json!({ "ip": "127.0.0.1" }),
    };
    let first = store.append_audit(event(0)).await.unwrap();
    assert_eq!((first.seq, first.prev_hash.as_str()), (1, GENESIS_HASH));
    let mut handles = Vec::new();
    for i in 1..=24 {
        let s = store.clone();
        handles.push(tokio::spawn(async move {
            s.append_audit(event(i)).await.unwrap()
        }));
    }
    // Batches (the server's group commit) interleave with single appends and keep the chain.
    for b in 0..2 {
        let s = store.clone();
        handles.push(tokio::spawn(async move {
            let batch = s
                .append_audit_batch((0..3).map(|i| event(100 + b * 3 + i)).collect())
                .await
                .unwrap();
            assert_eq!(batch[1].seq, batch[0].seq + 1);
            assert_eq!(batch[2].prev_hash, batch[1].hash);
            batch.into_iter().next().unwrap()
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
    let entries = store.audit_entries(0, 1_000).await.unwrap();
    assert_eq!(entries.len(), 31);
    let (head_seq, head_hash) = store.audit_head().await.unwrap();
    assert_eq!(head_seq, 31);
    let verified = verify_chain(
        &entries,
        GENESIS_HASH.to_string(),
        1,
        Some((head_seq, &head_hash)),
    );
    assert_eq!(verified.map(|(last, _)| last), Ok(31));
    let page = store.audit_entries(20, 3).await.unwrap();
    assert_eq!(
        page.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![21, 22, 23]
    );
    assert_eq!(store.recent_audit(2).await.unwrap()[0].seq, 31);
}

pub async fn wellbeing_data_belongs_to_its_owner_and_erases_completely(store: Arc<dyn Store>) {
    let me = store.create_user(new_user("me@example.org")).await.unwrap();
    let other = store
        .create_user(new_user("other@example.org"))
        .await
        .unwrap();
    assert_eq!(
        store.wrapped_key(KeyOwner::Person(me.id)).await.unwrap(),
        None
    );
    let key = store
        .create_wrapped_key(KeyOwner::Person(me.id), b"wrapped-1", 10)
        .await
        .unwrap();
    assert_eq!(key, b"wrapped-1");
    // A second first-check-in racing the first gets the key already stored.
    assert_eq!(
        store
            .create_wrapped_key(KeyOwner::Person(me.id), b"wrapped-2", 11)
            .await
            .unwrap(),
        b"wrapped-1"
    );
    store
        .create_wrapped_key(KeyOwner::Person(other.id), b"theirs", 12)
        .await
        .unwrap();

    let sealed = |user_id: i64, at: i64, bytes: &[u8]| NewSealedResponse {
        user_id,
        organization_id: None,
        department_id: None,
        checkin_id: "c1".into(),
        submitted_at: at,
        sealed: bytes.to_vec(),
    };
    let second = store
        .save_response(sealed(me.id, 200, b"\x01second"))
        .await
        .unwrap();
    let first = store
        .save_response(sealed(me.id, 100, b"\x01first"))
        .await
        .unwrap();
    let theirs = store
        .save_response(sealed(other.id, 150, b"\x01theirs"))
        .await
        .unwrap();
    let mine: Vec<i64> = store
        .responses(me.id)
        .await
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(mine, vec![first.id, second.id]);
    assert_eq!(
        store.response(me.id, first.id).await.unwrap(),
        Some(first.clone())
    );
    assert_eq!(
        store.response(me.id, theirs.id).await.unwrap(),
        None,
        "not mine"
    );

    store.set_reminder_days(me.id, Some(14)).await.unwrap();
    assert_eq!(store.reminder_days(me.id).await.unwrap(), Some(14));
    store.set_reminder_days(me.id, Some(7)).await.unwrap();
    assert_eq!(store.reminder_days(me.id).await.unwrap(), Some(7));

    assert_eq!(store.erase_wellbeing_data(me.id).await.unwrap(), 2);
    assert!(store.responses(me.id).await.unwrap().is_empty());
    assert_eq!(
        store.wrapped_key(KeyOwner::Person(me.id)).await.unwrap(),
        None
    );
    assert_eq!(store.reminder_days(me.id).await.unwrap(), None);
    assert_eq!(
        store.responses(other.id).await.unwrap().len(),
        1,
        "others keep theirs"
    );
    assert_eq!(
        store
            .wrapped_key(KeyOwner::Person(other.id))
            .await
            .unwrap()
            .as_deref(),
        Some(&b"theirs"[..])
    );
}

fn resource(slug: &str, title: &str, body: &str, org: Option<i64>) -> Resource {
    Resource {
        id: 0,
        organization_id: org,
        slug: slug.into(),
        title: title.into(),
        body: body.into(),
        contact: String::new(),
        url: String::new(),
        kind: "guide".into(),
        level: "organizational".into(),
        drivers: "documentation".into(),
        audience: "leader".into(),
    }
}

pub async fn resource_hub_lists_searches_and_scopes_by_organization(store: Arc<dyn Store>) {
    let mine = store.create_organization("Mine", 0).await.unwrap();
    let theirs = store.create_organization("Theirs", 0).await.unwrap();
    let curated = [
        resource(
            "doc-burden",
            "Cutting documentation burden",
            "Scribes, inbox triage and note templates",
            None,
        ),
        resource("peer", "Peer support", "Colleagues trained to listen", None),
    ];
    store.upsert_curated_resources(&curated).await.unwrap();
    let mut renamed = curated.clone();
    renamed[1].title = "Peer support programs".into();
    store.upsert_curated_resources(&renamed).await.unwrap();
    let local = store
        .add_resource(&resource(
            "",
            "Our EAP",
            "Confidential counselling for staff, 24/7",
            Some(mine.id),
        ))
        .await
        .unwrap();
    store
        .add_resource(&resource(
            "",
            "Their EAP",
            "Counselling elsewhere",
            Some(theirs.id),
        ))
        .await
        .unwrap();

    let titles: Vec<String> = store
        .resources(Some(mine.id))
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.title)
        .collect();
    assert_eq!(titles.len(), 3, "{titles:?}");
    assert!(
        titles.contains(&"Peer support programs".to_string()),
        "upsert updates by slug"
    );
    assert!(!titles.contains(&"Their EAP".to_string()));
    assert_eq!(
        store.resources(None).await.unwrap().len(),
        2,
        "curated only"
    );

    let found: Vec<String> = store
        .search_resources(Some(mine.id), "counselling")
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.title)
        .collect();
    assert_eq!(found, vec!["Our EAP"]);
    let found = store
        .search_resources(Some(mine.id), "documentation templates")
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].slug, "doc-burden");
    for odd in [
        "\"AND OR (*",
        "",
        "   ",
        "NEAR(",
        "'; DROP TABLE resources; --",
    ] {
        assert!(
            store.search_resources(Some(mine.id), odd).await.is_ok(),
            "{odd:?}"
        );
    }
    assert!(
        !store.delete_resource(theirs.id, local.id).await.unwrap(),
        "not theirs to delete"
    );
    assert!(store.delete_resource(mine.id, local.id).await.unwrap());
    assert!(store
        .search_resources(Some(mine.id), "counselling")
        .await
        .unwrap()
        .is_empty());

    assert_eq!(store.urgent_contact(mine.id).await.unwrap(), None);
    store
        .set_urgent_contact(mine.id, Some("Employee health: 555-0100"))
        .await
        .unwrap();
    assert_eq!(
        store.urgent_contact(mine.id).await.unwrap().as_deref(),
        Some("Employee health: 555-0100")
    );
}

fn conversation(kind: &str, by: i64, members: &[i64], org: Option<i64>) -> NewConversation {
    NewConversation {
        organization_id: org,
        kind: kind.into(),
        name: format!("{kind} chat"),
        private: false,
        created_by: by,
        members: members.to_vec(),
        direct_key: None,
        patient_sealed: None,
        team: String::new(),
        at: 100,
    }
}

fn message(conversation_id: i64, sender_id: i64, client: &str) -> NewMessage {
    NewMessage {
        conversation_id,
        sender_id,
        client_msg_id: client.into(),
        sealed: format!("\x01sealed {client}").into_bytes(),
        reply_to: None,
        mentions: String::new(),
        at: 200,
    }
}

pub async fn conversations_number_messages_without_gaps_or_duplicates(store: Arc<dyn Store>) {
    let a = store.create_user(new_user("a@example.org")).await.unwrap();
    let b = store.create_user(new_user("b@example.org")).await.unwrap();
    let mut direct = conversation("direct", a.id, &[a.id, b.id], None);
    direct.direct_key = Some(format!("{}:{}", a.id, b.id));
    let dm = store.create_conversation(direct.clone()).await.unwrap();
    assert!(matches!(
        store.create_conversation(direct).await,
        Err(StoreError::Conflict("direct conversation"))
    ));
    assert_eq!(
        store
            .direct_conversation(&format!("{}:{}", a.id, b.id))
            .await
            .unwrap()
            .map(|c| c.id),
        Some(dm.id)
    );
    assert_eq!(store.members(dm.id).await.unwrap().len(), 2);
    let mut pair = vec![a.id, b.id];
    pair.sort_unstable();
    assert_eq!(
        store.audience(dm.id).await.unwrap(),
        Some(crate::Audience {
            organization_id: dm.organization_id,
            members: pair,
        })
    );
    assert_eq!(store.audience(dm.id + 1000).await.unwrap(), None);

    let (first, new) = store
        .append_message(message(dm.id, a.id, "m1"))
        .await
        .unwrap();
    assert!(new);
    assert_eq!(first.seq, 1);
    let (again, new) = store
        .append_message(message(dm.id, a.id, "m1"))
        .await
        .unwrap();
    assert!(!new, "a retry returns the stored message");
    assert_eq!(again, first);
    let (second, _) = store
        .append_message(message(dm.id, b.id, "m1"))
        .await
        .unwrap();
    assert_eq!(second.seq, 2, "another sender's m1 is another message");
    assert!(matches!(
        store.append_message(message(dm.id + 1000, a.id, "x")).await,
        Err(StoreError::NotFound)
    ));
    let after = store.conversation(dm.id).await.unwrap().unwrap();
    assert_eq!(after.last_seq, 2, "the conversation knows its last number");
    let sender = store.member(dm.id, b.id).await.unwrap().unwrap();
    assert_eq!(sender.last_read_seq, 2, "a sender has read what they sent");

    // Concurrent senders: every message gets its own number, none skipped.
    let mut handles = Vec::new();
    for i in 0..12 {
        let s = store.clone();
        let (conv, sender) = (dm.id, if i % 2 == 0 { a.id } else { b.id });
        handles.push(tokio::spawn(async move {
            s.append_message(message(conv, sender, &format!("c{i}")))
                .await
                .unwrap()
        }));
    }
    // Concurrent retries of one message: stored once.
    for _ in 0..6 {
        let s = store.clone();
        let (conv, sender) = (dm.id, a.id);
        handles.push(tokio::spawn(async move {
            s.append_message(message(conv, sender, "retry"))
                .await
                .unwrap()
        }));
    }
    let mut created = 0;
    for h in handles {
        if h.await.unwrap().1 {
            created += 1;
        }
    }
    assert_eq!(created, 13);
    let all = store.messages(dm.id, 0, 100).await.unwrap();
    assert_eq!(
        all.iter().map(|m| m.seq).collect::<Vec<_>>(),
        (1..=15).collect::<Vec<_>>()
    );
    assert_eq!(all.iter().filter(|m| m.client_msg_id == "retry").count(), 1);
    let page = store.messages(dm.id, 3, 2).await.unwrap();
    assert_eq!(page.iter().map(|m| m.seq).collect::<Vec<_>>(), vec![4, 5]);
    assert_eq!(
        store.conversation(dm.id).await.unwrap().unwrap().last_seq,
        15
    );
    assert!(matches!(
        store.append_message(message(987_654, a.id, "x")).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn inbox_read_positions_and_channels(store: Arc<dyn Store>) {
    let org = store.create_organization("Chat Clinic", 0).await.unwrap();
    let a = store.create_user(new_user("a@example.org")).await.unwrap();
    let b = store.create_user(new_user("b@example.org")).await.unwrap();
    let group = store
        .create_conversation(conversation("group", a.id, &[a.id, b.id], Some(org.id)))
        .await
        .unwrap();
    let channel = store
        .create_conversation(conversation("channel", a.id, &[a.id], Some(org.id)))
        .await
        .unwrap();
    let mut private = conversation("channel", a.id, &[a.id], Some(org.id));
    private.private = true;
    private.name = "leadership".into();
    store.create_conversation(private).await.unwrap();
    assert_eq!(
        store
            .open_channels(org.id)
            .await
            .unwrap()
            .iter()
            .map(|c| c.id)
            .collect::<Vec<_>>(),
        vec![channel.id]
    );

    for i in 0..3 {
        store
            .append_message(message(group.id, a.id, &format!("g{i}")))
            .await
            .unwrap();
    }
    let inbox = store.inbox(b.id).await.unwrap();
    assert_eq!(inbox.len(), 1);
    let (conv, me) = &inbox[0];
    assert_eq!((conv.last_seq, me.last_read_seq), (3, 0), "three unread");
    store.mark_read(group.id, b.id, 2).await.unwrap();
    store.mark_read(group.id, b.id, 1).await.unwrap();
    store.mark_read(group.id, b.id, 99).await.unwrap();
    assert_eq!(
        store
            .member(group.id, b.id)
            .await
            .unwrap()
            .unwrap()
            .last_read_seq,
        2,
        "forward only, never past the end"
    );
    assert_eq!(
        store
            .member(group.id, a.id)
            .await
            .unwrap()
            .unwrap()
            .last_read_seq,
        3,
        "senders have read their own"
    );
    // Most recent activity first.
    let inbox = store.inbox(a.id).await.unwrap();
    assert_eq!(inbox[0].0.id, group.id);

    store.add_member(channel.id, b.id, 300).await.unwrap();
    store.add_member(channel.id, b.id, 301).await.unwrap();
    assert_eq!(store.members(channel.id).await.unwrap().len(), 2);
    assert!(store.remove_member(channel.id, b.id).await.unwrap());
    assert!(store.member(channel.id, b.id).await.unwrap().is_none());

    assert_eq!(
        store.wrapped_key(KeyOwner::Organization(1)).await.unwrap(),
        None
    );
    assert_eq!(
        store
            .create_wrapped_key(KeyOwner::Organization(1), b"k1", 5)
            .await
            .unwrap(),
        b"k1"
    );
    assert_eq!(
        store
            .create_wrapped_key(KeyOwner::Organization(1), b"k2", 6)
            .await
            .unwrap(),
        b"k1"
    );
}

pub async fn edits_deletions_and_retention(store: Arc<dyn Store>) {
    let org = store.create_organization("Keep Clinic", 0).await.unwrap();
    let a = store.create_user(new_user("a@example.org")).await.unwrap();
    let b = store.create_user(new_user("b@example.org")).await.unwrap();
    let c = store
        .create_conversation(conversation("group", a.id, &[a.id, b.id], Some(org.id)))
        .await
        .unwrap();
    let (m, _) = store
        .append_message(message(c.id, a.id, "e1"))
        .await
        .unwrap();
    assert!(
        matches!(
            store.edit_message(m.id, b.id, b"\x01x", 300).await,
            Err(StoreError::NotFound)
        ),
        "only the sender edits"
    );
    let edited = store
        .edit_message(m.id, a.id, b"\x01edited", 300)
        .await
        .unwrap();
    assert_eq!(
        (edited.sealed.as_slice(), edited.edited_at, edited.seq),
        (&b"\x01edited"[..], Some(300), m.seq)
    );
    let deleted = store.delete_message(m.id, a.id, 400).await.unwrap();
    assert!(deleted.sealed.is_empty());
    assert_eq!(deleted.deleted_at, Some(400));
    assert!(matches!(
        store.edit_message(m.id, a.id, b"\x01again", 500).await,
        Err(StoreError::InvalidState(_))
    ));

    // Retention: bodies older than the cut-off go; newer ones stay.
    let mut old = message(c.id, b.id, "old");
    old.at = 1_000;
    let mut new = message(c.id, b.id, "new");
    new.at = 9_000;
    let (old, _) = store.append_message(old).await.unwrap();
    let (new, _) = store.append_message(new).await.unwrap();
    store.set_retention_days(org.id, Some(30)).await.unwrap();
    assert_eq!(
        store.retention_policies().await.unwrap(),
        vec![(org.id, 30)]
    );
    assert_eq!(
        store
            .purge_messages_before(org.id, 5_000, 10_000)
            .await
            .unwrap(),
        2,
        "e1 (200) and old (1000)"
    );
    let old = store.message(old.id).await.unwrap().unwrap();
    assert!(old.sealed.is_empty() && old.purged_at == Some(10_000));
    assert_eq!(
        store.message(new.id).await.unwrap().unwrap().sealed,
        b"\x01sealed new"
    );
    assert_eq!(
        store
            .purge_messages_before(org.id, 5_000, 11_000)
            .await
            .unwrap(),
        0,
        "idempotent"
    );
    store.set_retention_days(org.id, None).await.unwrap();
    assert!(store.retention_policies().await.unwrap().is_empty());
}

pub async fn jobs_run_once_per_period_and_keys_rewrap(store: Arc<dyn Store>) {
    let hour = 3_600_000;
    assert!(store
        .claim_job("retention", 10 * hour, hour, 60_000)
        .await
        .unwrap());
    assert!(
        !store
            .claim_job("retention", 10 * hour + 1, hour, 60_000)
            .await
            .unwrap(),
        "held and not due"
    );
    assert!(
        !store
            .claim_job("retention", 10 * hour + 30 * 60_000, hour, 60_000)
            .await
            .unwrap(),
        "not due yet"
    );
    assert!(store
        .claim_job("retention", 11 * hour, hour, 60_000)
        .await
        .unwrap());
    // Several nodes at once: exactly one wins.
    let mut handles = Vec::new();
    for _ in 0..6 {
        let s = store.clone();
        handles.push(tokio::spawn(async move {
            s.claim_job("digest", 5 * hour, hour, 60_000).await.unwrap()
        }));
    }
    let mut won = 0;
    for h in handles {
        if h.await.unwrap() {
            won += 1;
        }
    }
    assert_eq!(won, 1);

    let u = store.create_user(new_user("k@example.org")).await.unwrap();
    store
        .create_wrapped_key(KeyOwner::Organization(1), b"old-data", 1)
        .await
        .unwrap();
    store
        .create_wrapped_key(KeyOwner::Person(u.id), b"old-wellbeing", 1)
        .await
        .unwrap();
    let keys = store.wrapped_keys().await.unwrap();
    assert_eq!(keys.len(), 2);
    let rewrapped: Vec<WrappedKey> = keys
        .iter()
        .map(|k| WrappedKey {
            owner: k.owner,
            wrapped: [b"new-".as_slice(), &k.wrapped].concat(),
        })
        .collect();
    store.replace_wrapped_keys(&rewrapped).await.unwrap();
    assert_eq!(
        store
            .wrapped_key(KeyOwner::Organization(1))
            .await
            .unwrap()
            .unwrap(),
        b"new-old-data"
    );
    assert_eq!(
        store
            .wrapped_key(KeyOwner::Person(u.id))
            .await
            .unwrap()
            .unwrap(),
        b"new-old-wellbeing"
    );
    // A key that does not exist fails the whole replacement.
    let bogus = [
        WrappedKey {
            owner: KeyOwner::Organization(1),
            wrapped: b"x".to_vec(),
        },
        WrappedKey {
            owner: KeyOwner::Pseudonyms(99),
            wrapped: b"y".to_vec(),
        },
    ];
    assert!(store.replace_wrapped_keys(&bogus).await.is_err());
    assert_eq!(
        store
            .wrapped_key(KeyOwner::Organization(1))
            .await
            .unwrap()
            .unwrap(),
        b"new-old-data",
        "all or nothing"
    );
}

pub async fn status_is_stored(store: Arc<dyn Store>) {
    let org = store.create_organization("Team Clinic", 0).await.unwrap();
    let lead = store
        .create_user(new_user("lead@example.org"))
        .await
        .unwrap();
    let mut desk = conversation("channel", lead.id, &[lead.id], Some(org.id));
    desk.team = "front_desk".into();
    let desk = store.create_conversation(desk).await.unwrap();
    store
        .create_conversation(conversation("channel", lead.id, &[lead.id], Some(org.id)))
        .await
        .unwrap();
    let found = store.team_channels(org.id, "front_desk").await.unwrap();
    assert_eq!(
        found
            .iter()
            .map(|c| (c.id, c.team.as_str()))
            .collect::<Vec<_>>(),
        vec![(desk.id, "front_desk")]
    );
    store.set_team(lead.id, "nursing").await.unwrap();
    assert_eq!(store.user(lead.id).await.unwrap().unwrap().team, "nursing");

    let u = store.create_user(new_user("s@example.org")).await.unwrap();
    assert_eq!(u.status, "available");
    store
        .set_status(u.id, "busy", "In the cath lab until 3 pm")
        .await
        .unwrap();
    let u = store.user(u.id).await.unwrap().unwrap();
    assert_eq!(
        (u.status.as_str(), u.status_message.as_str()),
        ("busy", "In the cath lab until 3 pm")
    );
}

pub async fn push_subscriptions_belong_to_their_device_and_owner(store: Arc<dyn Store>) {
    let a = store
        .create_user(new_user("push-a@example.org"))
        .await
        .unwrap();
    let b = store
        .create_user(new_user("push-b@example.org"))
        .await
        .unwrap();
    let device = |user_id: i64, endpoint: &str, label: &str| crate::NewPushSubscription {
        user_id,
        endpoint: endpoint.into(),
        p256dh: "BPublicKey".into(),
        auth: "secret".into(),
        label: label.into(),
        created_at: 5,
    };
    let phone = store
        .save_push_subscription(device(a.id, "https://push.example/1", "phone"))
        .await
        .unwrap();
    store
        .save_push_subscription(device(a.id, "https://push.example/2", "ward PC"))
        .await
        .unwrap();
    assert_eq!(store.push_subscriptions(a.id).await.unwrap().len(), 2);
    // The same endpoint again, now signed in as b: it is b's device, once.
    store
        .save_push_subscription(device(b.id, "https://push.example/1", "shared phone"))
        .await
        .unwrap();
    assert_eq!(store.push_subscriptions(a.id).await.unwrap().len(), 1);
    assert_eq!(
        store.push_subscriptions(b.id).await.unwrap()[0].label,
        "shared phone"
    );
    // Only its owner removes it.
    let pc = store.push_subscriptions(a.id).await.unwrap()[0].id;
    assert!(!store.delete_push_subscription(b.id, pc).await.unwrap());
    store.push_sent(pc, 9).await.unwrap();
    assert_eq!(
        store.push_subscriptions(a.id).await.unwrap()[0].last_sent_at,
        Some(9)
    );
    assert!(store.delete_push_subscription(a.id, pc).await.unwrap());
    // A push service's "gone" removes it whoever it belonged to.
    store.forget_push_endpoint(&phone.endpoint).await.unwrap();
    assert!(store.push_subscriptions(b.id).await.unwrap().is_empty());
}

pub async fn passkey_ceremonies_are_taken_once_and_expire(store: Arc<dyn Store>) {
    let a = store
        .create_user(new_user("ceremony@example.org"))
        .await
        .unwrap();
    let ceremony = |id: &str, user_id: Option<i64>, expires_at: i64| crate::PasskeyCeremony {
        id_hash: id.into(),
        kind: "register".into(),
        user_id,
        state: "{\"challenge\":1}".into(),
        expires_at,
    };
    store
        .begin_passkey_ceremony(&ceremony("one", Some(a.id), 100), 10)
        .await
        .unwrap();
    store
        .begin_passkey_ceremony(&ceremony("anonymous", None, 100), 10)
        .await
        .unwrap();
    // Taken once, as it was kept.
    let taken = store.take_passkey_ceremony("one", 50).await.unwrap();
    assert_eq!(taken, Some(ceremony("one", Some(a.id), 100)));
    assert_eq!(store.take_passkey_ceremony("one", 50).await.unwrap(), None);
    assert_eq!(
        store.take_passkey_ceremony("unknown", 50).await.unwrap(),
        None
    );
    // Expired: never returned, and gone after.
    assert_eq!(
        store.take_passkey_ceremony("anonymous", 100).await.unwrap(),
        None
    );
    // Beginning another drops the expired ones.
    store
        .begin_passkey_ceremony(&ceremony("old", None, 20), 10)
        .await
        .unwrap();
    store
        .begin_passkey_ceremony(&ceremony("new", None, 200), 30)
        .await
        .unwrap();
    assert_eq!(store.take_passkey_ceremony("old", 15).await.unwrap(), None);
    assert!(store
        .take_passkey_ceremony("new", 30)
        .await
        .unwrap()
        .is_some());
}

pub async fn passkeys_are_unique_per_credential_and_removed_by_their_owner(store: Arc<dyn Store>) {
    let a = store
        .create_user(new_user("passkey-a@example.org"))
        .await
        .unwrap();
    let b = store
        .create_user(new_user("passkey-b@example.org"))
        .await
        .unwrap();
    let passkey = |user_id: i64, credential_id: &str, name: &str| crate::NewPasskey {
        user_id,
        credential_id: credential_id.into(),
        user_handle: format!("handle-{user_id}"),
        name: name.into(),
        credential: "{\"counter\":0}".into(),
        created_at: 7,
    };
    let laptop = store
        .add_passkey(passkey(a.id, "cred-1", "laptop"))
        .await
        .unwrap();
    assert_eq!(laptop.name, "laptop");
    assert_eq!(laptop.last_used_at, None);
    store
        .add_passkey(passkey(a.id, "cred-2", "phone"))
        .await
        .unwrap();
    // One account per credential.
    assert!(matches!(
        store.add_passkey(passkey(b.id, "cred-1", "stolen")).await,
        Err(StoreError::Conflict(_))
    ));
    let names: Vec<_> = store
        .passkeys(a.id)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, ["laptop", "phone"]);
    assert!(store.passkeys(b.id).await.unwrap().is_empty());
    // Found by credential; a use updates the credential and when.
    let found = store
        .passkey_by_credential("cred-1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found, laptop);
    store
        .passkey_used(laptop.id, "{\"counter\":3}", 40)
        .await
        .unwrap();
    let used = store
        .passkey_by_credential("cred-1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(used.credential, "{\"counter\":3}");
    assert_eq!(used.last_used_at, Some(40));
    assert_eq!(store.passkey_by_credential("cred-9").await.unwrap(), None);
    // Only its owner removes it.
    assert!(!store.remove_passkey(b.id, laptop.id).await.unwrap());
    assert!(store.remove_passkey(a.id, laptop.id).await.unwrap());
    assert!(!store.remove_passkey(a.id, laptop.id).await.unwrap());
    assert_eq!(store.passkey_by_credential("cred-1").await.unwrap(), None);
    assert_eq!(store.passkeys(a.id).await.unwrap().len(), 1);

    // An account whose address was never proved, reclaimed by the address's owner: the
    // stranger's passkeys go with the stranger's password.
    let unproven = store
        .create_user(NewUser {
            email_verified_at: None,
            ..new_user("passkey-squatter@example.org")
        })
        .await
        .unwrap();
    store
        .add_passkey(passkey(unproven.id, "cred-3", "squatter's"))
        .await
        .unwrap();
    assert!(store
        .reclaim_unverified_account(unproven.id, "Dr. Owner", "new-hash", 50)
        .await
        .unwrap());
    assert!(store.passkeys(unproven.id).await.unwrap().is_empty());
}

fn new_alert(org: i64, source_id: &str, to: i64, delivery: &str, at: i64) -> crate::NewAlert {
    crate::NewAlert {
        organization_id: org,
        sender: "integration:1".into(),
        source: "lab".into(),
        source_id: source_id.into(),
        content_hash: "same-content".into(),
        category: "critical_lab".into(),
        priority: "urgent".into(),
        service: "medicine".into(),
        recipient: format!("user:{to}"),
        sealed: vec![1, 2, 3],
        received_at: at,
        delivered_to: to,
        delivery: delivery.into(),
        deliver_at: at,
        reason: "{}".into(),
        escalate_at: (delivery == "interrupt").then_some(at + 300_000),
        confirm_by: None,
    }
}

pub async fn unconfirmed_interrupts_escalate_and_receipts_are_recorded_once(store: Arc<dyn Store>) {
    use crate::{NewNotification, Receipt, ReceiptKind};
    let org = store
        .create_organization("Reach Hospital", 0)
        .await
        .unwrap();
    let a = store.create_user(new_user("ra@example.org")).await.unwrap();
    let b = store.create_user(new_user("rb@example.org")).await.unwrap();
    let mut new = new_alert(org.id, "R1", a.id, "interrupt", 1000);
    new.escalate_at = Some(1_000_000);
    let (alert, _) = store.create_alert(new).await.unwrap();
    // Not confirmed by 121 s: due before its ladder says.
    store
        .expect_delivery(alert.id, a.id, 121_000)
        .await
        .unwrap();
    assert!(store.due_escalations(120_000, 10).await.unwrap().is_empty());
    let due = store.due_escalations(122_000, 10).await.unwrap();
    assert_eq!(due.iter().map(|x| x.id).collect::<Vec<_>>(), vec![alert.id]);
    // A receipt from someone else does nothing; the holder's clears the deadline, and the
    // timeline gets one line per device and kind however often it is said.
    let receipt = |user_id, kind, device, at| Receipt {
        alert_id: alert.id,
        user_id,
        kind,
        notification: None,
        device,
        at,
    };
    store
        .record_receipt(receipt(b.id, ReceiptKind::Delivered, "tablet", 1500))
        .await
        .unwrap();
    assert_eq!(store.due_escalations(122_000, 10).await.unwrap().len(), 1);
    let n = store
        .issue_notification(NewNotification {
            capability_hash: "hash-1",
            alert_id: alert.id,
            user_id: a.id,
            device: "phone",
            sent_at: 1000,
            expires_at: 50_000,
        })
        .await
        .unwrap();
    let mut first = receipt(a.id, ReceiptKind::Delivered, "phone", 2000);
    first.notification = Some(n);
    assert!(store.record_receipt(first.clone()).await.unwrap());
    assert!(!store.record_receipt(first).await.unwrap());
    assert!(store.due_escalations(122_000, 10).await.unwrap().is_empty());
    let found = store
        .notification_by_capability("hash-1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((found.id, found.delivered_at), (n, Some(2000)));
    assert!(store
        .notification_by_capability("nope")
        .await
        .unwrap()
        .is_none());
    // Its one action: once, and not after it expires.
    assert!(store.use_notification(n, 3000).await.unwrap());
    assert!(!store.use_notification(n, 3001).await.unwrap());
    let later = store
        .issue_notification(NewNotification {
            capability_hash: "hash-2",
            alert_id: alert.id,
            user_id: a.id,
            device: "phone",
            sent_at: 1000,
            expires_at: 50_000,
        })
        .await
        .unwrap();
    assert!(!store.use_notification(later, 50_000).await.unwrap());
    // An escalation clears the old holder's deadline; the new holder gets their own.
    store
        .expect_delivery(alert.id, a.id, 200_000)
        .await
        .unwrap();
    assert!(store
        .escalate_alert(alert.id, 0, a.id, b.id, 201_000, None)
        .await
        .unwrap());
    assert!(store.due_escalations(900_000, 10).await.unwrap().is_empty());
    store
        .expect_delivery(alert.id, a.id, 300_000)
        .await
        .unwrap();
    assert!(
        store.due_escalations(900_000, 10).await.unwrap().is_empty(),
        "only the holder's deadline counts"
    );
    store
        .note_alert_event(alert.id, 201_000, "unconfirmed", a.id, "")
        .await
        .unwrap();
    let kinds: Vec<String> = store
        .alert_events(alert.id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            "received",
            "routed",
            "delivered",
            "delivered",
            "escalated",
            "unconfirmed"
        ]
    );
}

pub async fn the_outbox_sends_each_item_once_and_keeps_failures(store: Arc<dyn Store>) {
    use crate::NewOutbound;
    use huddle_core::routing::{Preferences, QuietHours};
    let org = store
        .create_organization("Outbox Hospital", 0)
        .await
        .unwrap();
    let new = |due_at, dedupe_key| NewOutbound {
        channel: "push",
        organization_id: Some(org.id),
        destination: "user:1",
        body: "{}",
        created_at: 10,
        due_at,
        dedupe_key,
    };
    let digest = store
        .enqueue_outbound(new(1000, Some("digest:1:1000")))
        .await
        .unwrap();
    assert!(digest.is_some());
    assert_eq!(
        store
            .enqueue_outbound(new(1000, Some("digest:1:1000")))
            .await
            .unwrap(),
        None,
        "the same digest is queued once"
    );
    let now = store
        .enqueue_outbound(new(10, None))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        store
            .due_outbound(500, 10)
            .await
            .unwrap()
            .iter()
            .map(|o| o.id)
            .collect::<Vec<_>>(),
        vec![now]
    );
    // Two nodes try to take it: one does.
    assert!(store.claim_outbound(now, 10, 60_010).await.unwrap());
    assert!(!store.claim_outbound(now, 10, 60_010).await.unwrap());
    assert!(store.due_outbound(500, 10).await.unwrap().is_empty());
    store
        .outbound_failed(now, 600, Some(10_600), "refused")
        .await
        .unwrap();
    let kept = store.outbound(now).await.unwrap().unwrap();
    assert_eq!(
        (
            kept.attempts,
            kept.next_attempt_at,
            kept.last_error.as_str(),
            kept.sent_at
        ),
        (1, 10_600, "refused", None)
    );
    store.outbound_sent(now, 11_000).await.unwrap();
    assert_eq!(
        store.outbound(now).await.unwrap().unwrap().body,
        "",
        "a sent item's body (a mail's link) is not kept"
    );
    let digest = digest.unwrap();
    store
        .outbound_failed(digest, 12_000, None, "gone")
        .await
        .unwrap();
    assert!(store.due_outbound(i64::MAX, 10).await.unwrap().is_empty());
    assert_eq!(
        store.outbound(digest).await.unwrap().unwrap().failed_at,
        Some(12_000)
    );

    store
        .set_gateway(org.id, Some("https://sms.example/x"), 1)
        .await
        .unwrap();
    assert_eq!(
        store.gateway(org.id).await.unwrap().as_deref(),
        Some("https://sms.example/x")
    );
    store.set_gateway(org.id, None, 2).await.unwrap();
    assert_eq!(store.gateway(org.id).await.unwrap(), None);

    let user = store
        .create_user(new_user("quiet@example.org"))
        .await
        .unwrap();
    assert_eq!(
        store.preferences(user.id).await.unwrap(),
        Preferences::default()
    );
    let quiet = Preferences {
        push_messages: false,
        quiet: Some(QuietHours::parse("22:00", "07:00").unwrap()),
        email_digests: true,
    };
    store.set_preferences(user.id, quiet).await.unwrap();
    assert_eq!(store.preferences(user.id).await.unwrap(), quiet);
}

pub async fn alerts_are_stored_once_answered_and_escalated_once(store: Arc<dyn Store>) {
    let org = store
        .create_organization("Routing Hospital", 0)
        .await
        .unwrap();
    let a = store.create_user(new_user("a@example.org")).await.unwrap();
    let b = store.create_user(new_user("b@example.org")).await.unwrap();

    let (first, created) = store
        .create_alert(new_alert(org.id, "K1", a.id, "interrupt", 1000))
        .await
        .unwrap();
    assert_eq!(created, crate::Intake::New);
    let (again, created) = store
        .create_alert(new_alert(org.id, "K1", a.id, "interrupt", 2000))
        .await
        .unwrap();
    assert_eq!(
        created,
        crate::Intake::Duplicate,
        "a sender's retry is the same alert"
    );
    assert_eq!(again.id, first.id);
    assert_eq!(first.state, "open");

    // A digest for later is not in the inbox yet, and is a pending digest.
    let mut later = new_alert(org.id, "K2", a.id, "queue", 1000);
    later.deliver_at = 3_600_000;
    later.escalate_at = None;
    store.create_alert(later).await.unwrap();
    assert_eq!(store.alert_inbox(a.id, 5000, 50).await.unwrap().len(), 1);
    assert_eq!(store.upcoming_digests(a.id, 5000).await.unwrap().len(), 1);
    assert_eq!(
        store.pending_digests(org.id, 5000).await.unwrap(),
        vec![(a.id, 3_600_000)]
    );

    // Escalation happens once, whoever asks twice.
    let due = store.due_escalations(400_000, 10).await.unwrap();
    assert_eq!(due.iter().map(|x| x.id).collect::<Vec<_>>(), vec![first.id]);
    assert!(store
        .escalate_alert(first.id, 0, a.id, b.id, 400_000, Some(1_300_000))
        .await
        .unwrap());
    assert!(!store
        .escalate_alert(first.id, 0, a.id, b.id, 400_000, Some(1_300_000))
        .await
        .unwrap());
    let moved = store.alert(first.id).await.unwrap().unwrap();
    assert_eq!((moved.delivered_to, moved.escalation_step), (b.id, 1));
    // The first physician keeps it in their inbox; the backup has it too.
    assert!(store
        .alert_inbox(a.id, 500_000, 50)
        .await
        .unwrap()
        .iter()
        .any(|x| x.id == first.id));
    assert!(store
        .alert_inbox(b.id, 500_000, 50)
        .await
        .unwrap()
        .iter()
        .any(|x| x.id == first.id));

    // Only the physician it reached can answer; answering stops escalation.
    assert!(matches!(
        store
            .answer_alert(first.id, a.id, "acted", None, 500_000)
            .await,
        Err(StoreError::NotFound)
    ));
    let answered = store
        .answer_alert(first.id, b.id, "dismissed", Some("later"), 500_000)
        .await
        .unwrap();
    assert_eq!(answered.state, "dismissed");
    assert_eq!(answered.correction.as_deref(), Some("later"));
    assert_eq!(answered.escalate_at, None);
    assert!(store
        .due_escalations(9_000_000, 10)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(store.answered_alerts(org.id, 0).await.unwrap().len(), 1);

    // The timeline tells it in order, once each.
    let timeline: Vec<(String, Option<i64>, Option<i64>)> = store
        .alert_events(first.id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.kind, e.from_user, e.to_user))
        .collect();
    assert_eq!(
        timeline,
        vec![
            ("received".into(), None, None),
            ("routed".into(), None, Some(a.id)),
            ("escalated".into(), Some(a.id), Some(b.id)),
            ("answered".into(), None, None),
        ]
    );
}

pub async fn alerts_with_a_reused_id_are_kept_and_flagged(store: Arc<dyn Store>) {
    let org = store
        .create_organization("Reuse Hospital", 0)
        .await
        .unwrap();
    let a = store.create_user(new_user("r@example.org")).await.unwrap();
    let (first, _) = store
        .create_alert(new_alert(org.id, "MSG1", a.id, "interrupt", 1000))
        .await
        .unwrap();
    // The same id with other content: stored, and flagged as a conflict with the first.
    let mut other = new_alert(org.id, "MSG1", a.id, "interrupt", 2000);
    other.content_hash = "other-content".into();
    let (second, intake) = store.create_alert(other.clone()).await.unwrap();
    assert_eq!(intake, crate::Intake::Conflict { of: first.id });
    assert_ne!(second.id, first.id);
    assert_eq!(second.conflict_of, Some(first.id));
    let kinds: Vec<String> = store
        .alert_events(second.id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds, ["received", "conflict", "routed"]);
    // Its own retry is a duplicate of it, not of the first.
    let (again, intake) = store.create_alert(other).await.unwrap();
    assert_eq!((again.id, intake), (second.id, crate::Intake::Duplicate));
    // Another sender's same id is its own alert, no conflict.
    let mut elsewhere = new_alert(org.id, "MSG1", a.id, "interrupt", 3000);
    elsewhere.sender = "integration:2".into();
    let (third, intake) = store.create_alert(elsewhere).await.unwrap();
    assert_eq!(intake, crate::Intake::New);
    assert_eq!(third.conflict_of, None);
    // What a person sent, newest first.
    let mut page = new_alert(org.id, "P1", a.id, "interrupt", 4000);
    page.sender = "user:99".into();
    store.create_alert(page).await.unwrap();
    let sent = store.sent_alerts("user:99", 0, 10).await.unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].source_id, "P1");
}

pub async fn integrations_are_found_by_credential_and_hl7_sender_until_revoked(
    store: Arc<dyn Store>,
) {
    let org = store.create_organization("Feed Hospital", 0).await.unwrap();
    let other = store
        .create_organization("Other Hospital", 0)
        .await
        .unwrap();
    let lab = |org: i64, name: &str, secret: &str| crate::NewIntegration {
        organization_id: org,
        name: name.into(),
        sources: "lab".into(),
        kinds: "critical_lab,abnormal_lab".into(),
        addresses: "10.0.0.0/8".into(),
        hl7_application: "LABSYS".into(),
        hl7_facility: "MAIN".into(),
        secret_hash: secret.into(),
        created_by: None,
        created_at: 10,
    };
    let made = store
        .create_integration(lab(org.id, "Core lab", "h1"))
        .await
        .unwrap();
    assert_eq!(made.name, "Core lab");
    assert_eq!(
        store.integration(made.id).await.unwrap(),
        Some(made.clone())
    );
    // One live integration per HL7 sender in the whole instance, one name per organization.
    assert!(matches!(
        store
            .create_integration(lab(other.id, "Their lab", "h2"))
            .await,
        Err(StoreError::Conflict(_))
    ));
    let mut renamed = lab(org.id, "Core lab", "h3");
    renamed.hl7_application = String::new();
    assert!(matches!(
        store.create_integration(renamed).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        store
            .integration_by_secret("h1")
            .await
            .unwrap()
            .map(|i| i.id),
        Some(made.id)
    );
    assert_eq!(
        store
            .integration_for_hl7("LABSYS", "MAIN")
            .await
            .unwrap()
            .map(|i| i.id),
        Some(made.id)
    );
    assert!(store
        .integration_for_hl7("LABSYS", "ANNEX")
        .await
        .unwrap()
        .is_none());
    store.touch_integration(made.id, 20).await.unwrap();
    // Only its own organization revokes it; revoked, it is found no more.
    assert!(!store
        .revoke_integration(other.id, made.id, 30)
        .await
        .unwrap());
    assert!(store.revoke_integration(org.id, made.id, 30).await.unwrap());
    assert!(!store.revoke_integration(org.id, made.id, 31).await.unwrap());
    assert!(store.integration_by_secret("h1").await.unwrap().is_none());
    assert!(store
        .integration_for_hl7("LABSYS", "MAIN")
        .await
        .unwrap()
        .is_none());
    let listed = store.integrations(org.id).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].revoked_at, Some(30));
    assert_eq!(listed[0].last_used_at, Some(20));
    // With the old one revoked, the HL7 sender can be registered again.
    store
        .create_integration(lab(other.id, "Their lab", "h4"))
        .await
        .unwrap();
}

pub async fn shifts_and_policy_versions(store: Arc<dyn Store>) {
    let org = store
        .create_organization("Shift Hospital", 0)
        .await
        .unwrap();
    let a = store.create_user(new_user("s1@example.org")).await.unwrap();
    let shift = |start: i64, end: i64| crate::NewShift {
        user_id: a.id,
        service: "cardiology".into(),
        role: "oncall".into(),
        starts_at: start,
        ends_at: end,
    };
    store
        .replace_shifts(
            org.id,
            0,
            100_000,
            &[shift(0, 50_000), shift(60_000, 90_000)],
        )
        .await
        .unwrap();
    assert_eq!(store.shifts(org.id, 0, 100_000).await.unwrap().len(), 2);
    // A new import of the window replaces it.
    store
        .replace_shifts(org.id, 0, 100_000, &[shift(10_000, 20_000)])
        .await
        .unwrap();
    let now = store.shifts(org.id, 0, 100_000).await.unwrap();
    assert_eq!(now.len(), 1);
    assert_eq!((now[0].starts_at, now[0].role.as_str()), (10_000, "oncall"));
    assert!(store
        .shifts(org.id, 20_000, 30_000)
        .await
        .unwrap()
        .is_empty());

    assert!(store.current_policy(org.id).await.unwrap().is_none());
    store
        .save_policy(org.id, "{\"v\":1}", Some(a.id), 1)
        .await
        .unwrap();
    let second = store
        .save_policy(org.id, "{\"v\":2}", Some(a.id), 2)
        .await
        .unwrap();
    assert_eq!(second.version, 2);
    assert_eq!(
        store.current_policy(org.id).await.unwrap().unwrap().policy,
        "{\"v\":2}"
    );
    assert_eq!(store.policy_versions(org.id).await.unwrap().len(), 2);
}

async fn lounge_thread(
    store: &Arc<dyn Store>,
    author: i64,
    space: &str,
    kind: &str,
    title: &str,
    body: &str,
    tags: &str,
) -> (crate::Thread, crate::Post) {
    store
        .create_thread(crate::NewThread {
            space: space.into(),
            kind: kind.into(),
            title: title.into(),
            tags: tags.into(),
            opening: crate::NewPost {
                thread_id: 0,
                author_id: author,
                author_group: Some("cardiology".into()),
                body: body.into(),
                pseudonymous: false,
                at: 10_000,
            },
            poll: None,
        })
        .await
        .unwrap()
}

fn reply(thread_id: i64, author_id: i64, body: &str, at: i64) -> crate::NewPost {
    crate::NewPost {
        thread_id,
        author_id,
        author_group: None,
        body: body.into(),
        pseudonymous: true,
        at,
    }
}

pub async fn lounge_threads_replies_votes_and_notifications(store: Arc<dyn Store>) {
    let asker = store
        .create_user(new_user("asker@example.org"))
        .await
        .unwrap()
        .id;
    let answerer = store
        .create_user(new_user("answerer@example.org"))
        .await
        .unwrap()
        .id;
    let (thread, opening) = store
        .create_thread(crate::NewThread {
            space: "cardiology".into(),
            kind: "question".into(),
            title: "Anticoagulation after ablation".into(),
            tags: ",af,".into(),
            opening: crate::NewPost {
                thread_id: 0,
                author_id: asker,
                author_group: Some("cardiology".into()),
                body: "How long do you continue?".into(),
                pseudonymous: false,
                at: 10_000,
            },
            poll: Some((
                "Your default?".into(),
                vec!["3 months".into(), "Lifelong".into()],
            )),
        })
        .await
        .unwrap();
    assert!(opening.opening);
    assert_eq!(opening.thread_id, thread.id);
    assert!(store.is_following(thread.id, asker).await.unwrap());

    let answer = store
        .add_reply(reply(
            thread.id,
            answerer,
            "Three months, then CHA2DS2-VASc.",
            20_000,
        ))
        .await
        .unwrap();
    assert!(answer.pseudonymous && !answer.opening);
    let t = store.thread(thread.id).await.unwrap().unwrap();
    assert_eq!((t.reply_count, t.last_activity_at), (1, 20_000));
    // The asker follows the thread, so the reply notifies them and not its own author.
    let n = store.notifications(asker, 10).await.unwrap();
    assert_eq!(n.len(), 1);
    assert_eq!(
        (n[0].kind.as_str(), n[0].post_id, n[0].title.as_str()),
        ("reply", answer.id, "Anticoagulation after ablation")
    );
    assert!(store.notifications(answerer, 10).await.unwrap().is_empty());
    assert_eq!(
        store.mark_notifications_read(asker, 30_000).await.unwrap(),
        1
    );
    assert_eq!(
        store.notifications(asker, 10).await.unwrap()[0].read_at,
        Some(30_000)
    );

    assert!(store.vote_helpful(answer.id, asker).await.unwrap());
    assert!(
        !store.vote_helpful(answer.id, asker).await.unwrap(),
        "one vote per physician"
    );
    assert_eq!(store.post(answer.id).await.unwrap().unwrap().helpful, 1);
    store
        .accept_answer(thread.id, answer.id, 40_000)
        .await
        .unwrap();
    assert_eq!(
        store
            .thread(thread.id)
            .await
            .unwrap()
            .unwrap()
            .accepted_post_id,
        Some(answer.id)
    );
    assert_eq!(
        store.notifications(answerer, 10).await.unwrap()[0].kind,
        "accepted"
    );

    let edited = store
        .edit_post(answer.id, "Three months.", "Three months.", 50_000)
        .await
        .unwrap();
    assert_eq!(
        (edited.body.as_str(), edited.edited_at),
        ("Three months.", Some(50_000))
    );
    let history = store.post_edits(answer.id).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].body, "Three months, then CHA2DS2-VASc.");

    store.vote_poll(thread.id, asker, 1).await.unwrap();
    store.vote_poll(thread.id, answerer, 1).await.unwrap();
    store.vote_poll(thread.id, answerer, 0).await.unwrap();
    let poll = store.poll(thread.id, answerer).await.unwrap().unwrap();
    assert_eq!((poll.counts, poll.mine), (vec![1, 1], Some(0)));
    assert!(matches!(
        store.vote_poll(opening.id + 999, asker, 0).await,
        Err(StoreError::NotFound)
    ));

    store
        .set_bookmark(thread.id, answerer, true, 60_000)
        .await
        .unwrap();
    store
        .set_bookmark(thread.id, answerer, true, 60_001)
        .await
        .unwrap();
    assert_eq!(store.bookmarks(answerer).await.unwrap().len(), 1);
    store
        .set_bookmark(thread.id, answerer, false, 0)
        .await
        .unwrap();
    assert!(!store.is_bookmarked(thread.id, answerer).await.unwrap());
    store.set_follow(thread.id, asker, false).await.unwrap();
    assert!(!store.is_following(thread.id, asker).await.unwrap());

    assert_eq!(store.posts_since(answerer, 0).await.unwrap(), 1);
    assert_eq!(store.posts_since(answerer, 20_001).await.unwrap(), 0);

    store.set_thread_locked(thread.id, true).await.unwrap();
    assert!(matches!(
        store
            .add_reply(reply(thread.id, asker, "late", 70_000))
            .await,
        Err(StoreError::InvalidState(_))
    ));
    assert!(matches!(
        store.add_reply(reply(thread.id + 99, asker, "x", 1)).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(store.posts(thread.id).await.unwrap().len(), 2);
}

pub async fn lounge_search_finds_visible_posts_with_filters(store: Arc<dyn Store>) {
    let doc = store
        .create_user(new_user("searcher@example.org"))
        .await
        .unwrap()
        .id;
    let (af, _) = lounge_thread(
        &store,
        doc,
        "cardiology",
        "question",
        "Apixaban dosing in CKD",
        "Renal function matters.",
        ",af,ckd,",
    )
    .await;
    let (_, _) = lounge_thread(
        &store,
        doc,
        "emergency-medicine",
        "discussion",
        "Night shift staffing",
        "Boarding in the department.",
        "",
    )
    .await;
    let r = store
        .add_reply(reply(
            af.id,
            doc,
            "We reduce apixaban at creatinine above 1.5.",
            11_000,
        ))
        .await
        .unwrap();

    let search = |words: &str, space: Option<&str>, tag: Option<&str>, kind: Option<&str>| {
        let store = store.clone();
        let q = crate::SearchQuery {
            words: words.into(),
            space: space.map(Into::into),
            tag: tag.map(Into::into),
            kind: kind.map(Into::into),
            limit: 20,
        };
        async move { store.search(&q).await.unwrap() }
    };
    // The title is found through the opening post, a reply by its body.
    assert_eq!(search("apixaban", None, None, None).await.len(), 2);
    assert_eq!(
        search("staffing", None, None, None).await[0].space,
        "emergency-medicine"
    );
    assert_eq!(
        search("apixaban", Some("emergency-medicine"), None, None)
            .await
            .len(),
        0
    );
    assert_eq!(
        search("apixaban", None, Some("ckd"), Some("question"))
            .await
            .len(),
        2
    );
    assert_eq!(search("apixaban", None, Some("c"), None).await.len(), 0);
    assert_eq!(
        search("apixaban", None, None, Some("discussion"))
            .await
            .len(),
        0
    );
    // Odd input is words, not query syntax.
    assert!(search("\"NEAR( OR * ) :", None, None, None)
        .await
        .is_empty());

    store.set_post_state(r.id, "hidden").await.unwrap();
    assert_eq!(
        search("creatinine", None, None, None).await.len(),
        0,
        "hidden posts are not found"
    );
    store
        .edit_post(r.id, "Dose by weight.", "Dose by weight.", 12_000)
        .await
        .unwrap();
    store.set_post_state(r.id, "visible").await.unwrap();
    assert_eq!(
        search("creatinine", None, None, None).await.len(),
        0,
        "an edit replaces the indexed text"
    );
    assert_eq!(search("weight", None, None, None).await.len(), 1);

    let listed = store
        .threads(&crate::ThreadQuery {
            space: Some("cardiology".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    let unanswered = store
        .threads(&crate::ThreadQuery {
            sort: huddle_core::lounge::Sort::Unanswered,
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        unanswered.is_empty(),
        "the question has a reply and the other thread is a discussion"
    );
}

pub async fn lounge_moderation_is_recorded(store: Arc<dyn Store>) {
    let doc = store
        .create_user(new_user("reported@example.org"))
        .await
        .unwrap()
        .id;
    let moderator = store
        .create_user(new_user("moderator@example.org"))
        .await
        .unwrap()
        .id;
    let (thread, post) = lounge_thread(
        &store,
        doc,
        "practice",
        "discussion",
        "Inbox overload",
        "Too many messages.",
        "",
    )
    .await;
    let report = store
        .report_post(crate::NewReport {
            post_id: post.id,
            reporter_id: moderator,
            reason: "spam".into(),
            note: "".into(),
            at: 1,
        })
        .await
        .unwrap();
    assert_eq!((report.thread_id, report.resolved_at), (thread.id, None));
    assert_eq!(store.open_reports(10).await.unwrap().len(), 1);
    assert_eq!(
        store
            .resolve_reports(post.id, moderator, "hide_post", 2)
            .await
            .unwrap(),
        1
    );
    assert!(store.open_reports(10).await.unwrap().is_empty());
    store.set_post_state(post.id, "removed").await.unwrap();
    assert!(
        store
            .threads(&crate::ThreadQuery {
                limit: 10,
                ..Default::default()
            })
            .await
            .unwrap()
            .is_empty(),
        "a thread whose opening post is removed leaves the lists"
    );
    assert!(matches!(
        store.set_post_state(post.id + 99, "hidden").await,
        Err(StoreError::NotFound)
    ));

    let s = store
        .add_sanction(crate::Sanction {
            id: 0,
            user_id: doc,
            kind: "suspension".into(),
            reason: "repeated PHI".into(),
            until_at: Some(1_000),
            lifted_at: None,
            by_id: moderator,
            created_at: 3,
        })
        .await
        .unwrap();
    assert_eq!(s.until_at, Some(1_000));
    assert_eq!(store.lift_suspensions(doc, 4).await.unwrap(), 1);
    assert_eq!(store.sanctions(doc).await.unwrap()[0].lifted_at, Some(4));
    let logged = store
        .log_moderation(crate::ModLogEntry {
            id: 0,
            action: "hide_post".into(),
            target: format!("post {}", post.id),
            reason: "spam".into(),
            moderator_id: moderator,
            created_at: 5,
        })
        .await
        .unwrap();
    assert_eq!(store.moderation_log(10).await.unwrap(), vec![logged]);
}

pub async fn insights_contributions_merge_per_month_and_interventions_are_scoped(
    store: Arc<dyn Store>,
) {
    use huddle_core::insights::{BurdenContribution, Contribution, Period};

    use crate::NewIntervention;

    let org = store.create_organization("Insights Org", 1).await.unwrap();
    let other = store.create_organization("Other Org", 1).await.unwrap();
    let dept = store.create_department(org.id, "Cardiology").await.unwrap();
    let jan = Period::parse("2026-01").unwrap();
    let feb = jan.plus(1);
    let base = Contribution {
        period: jan,
        pseudonym: 42,
        department_id: Some(dept.id),
        specialty: "207RC0000X".into(),
        role: "physician".into(),
        burnout: Some(true),
        depression: Some(false),
        anxiety: None,
        drivers: Contribution::parse_drivers("workload=4,documentation=5"),
    };
    store.record_contribution(org.id, &base).await.unwrap();
    // A later instrument of the same month fills in what was missing, keeps the rest.
    store
        .record_contribution(
            org.id,
            &Contribution {
                burnout: None,
                depression: Some(true),
                anxiety: Some(false),
                drivers: [0; 9],
                ..base.clone()
            },
        )
        .await
        .unwrap();
    store
        .record_contributions(
            org.id,
            &[
                Contribution {
                    period: feb,
                    ..base.clone()
                },
                Contribution {
                    pseudonym: 7,
                    ..base.clone()
                },
            ],
        )
        .await
        .unwrap();
    store.record_contribution(other.id, &base).await.unwrap();
    let rows = store.contributions(org.id, jan, feb).await.unwrap();
    assert_eq!(rows.len(), 2, "one row per person per month");
    let merged = rows.iter().find(|r| r.pseudonym == 42).unwrap();
    assert_eq!(merged.burnout, Some(true));
    assert_eq!(merged.depression, Some(true));
    assert_eq!(merged.anxiety, Some(false));
    assert_eq!(merged.drivers_text(), "workload=4,documentation=5");
    assert_eq!(
        store
            .contributions(org.id, jan, feb.plus(1))
            .await
            .unwrap()
            .len(),
        3
    );

    // Burden: a month is replaced as a whole and remembered as computed.
    let burden = BurdenContribution {
        period: jan,
        pseudonym: 42,
        department_id: Some(dept.id),
        specialty: String::new(),
        role: "physician".into(),
        shifts: 10,
        notifications_per_shift: 3.5,
        false_positive_share: 0.25,
        after_hours: 4,
        median_ack_s: Some(90),
    };
    store
        .save_burden(org.id, jan, std::slice::from_ref(&burden))
        .await
        .unwrap();
    store
        .save_burden(
            org.id,
            jan,
            &[
                burden.clone(),
                BurdenContribution {
                    pseudonym: 9,
                    median_ack_s: None,
                    ..burden.clone()
                },
            ],
        )
        .await
        .unwrap();
    assert_eq!(store.burden(org.id, jan, feb).await.unwrap().len(), 2);
    assert_eq!(store.burden_periods(org.id).await.unwrap(), vec![jan]);
    assert!(store.burden_periods(other.id).await.unwrap().is_empty());

    // Headcount sees current members with their groups.
    let mut u = new_user("insights-hc@example.org");
    u.organization_id = Some(org.id);
    u.department_id = Some(dept.id);
    store.create_user(u).await.unwrap();
    let hc = store.headcount(org.id).await.unwrap();
    assert_eq!(hc.len(), 1);
    assert_eq!(hc[0].department_id, Some(dept.id));
    assert!(hc[0].roles.has(Role::Physician));

    let new = NewIntervention {
        organization_id: org.id,
        name: "Scribes in clinic".into(),
        level: "structural".into(),
        drivers: "documentation".into(),
        units: dept.id.to_string(),
        starts: jan,
        cost: 120_000,
        created_by: None,
        created_at: 5,
    };
    let made = store.create_intervention(new.clone()).await.unwrap();
    assert_eq!(made.name, "Scribes in clinic");
    assert_eq!(made.starts, jan);
    assert_eq!(
        store.interventions(org.id).await.unwrap(),
        vec![made.clone()]
    );
    assert!(store.interventions(other.id).await.unwrap().is_empty());
    assert!(!store.delete_intervention(other.id, made.id).await.unwrap());
    assert!(store.delete_intervention(org.id, made.id).await.unwrap());
    assert!(store.interventions(org.id).await.unwrap().is_empty());
}

pub async fn sso_connections_own_their_domains(store: Arc<dyn Store>) {
    let org = store.create_organization("Riverside", 1).await.unwrap();
    let other = store.create_organization("Lakeside", 1).await.unwrap();
    assert_eq!(store.sso_connection(org.id).await.unwrap(), None);
    let mut connection = crate::SsoConnection {
        organization_id: org.id,
        issuer: "https://login.riverside.example".into(),
        client_id: "huddle".into(),
        client_secret_sealed: vec![1, 2, 3],
        email_claim: "email".into(),
        domains: vec![
            "clinic.riverside.example".into(),
            "riverside.example".into(),
        ],
        sso_only: false,
        updated_at: 10,
    };
    store.save_sso_connection(&connection).await.unwrap();
    assert_eq!(
        store.sso_connection(org.id).await.unwrap().as_ref(),
        Some(&connection)
    );
    assert_eq!(
        store
            .sso_connection_for_domain("riverside.example")
            .await
            .unwrap()
            .map(|c| c.organization_id),
        Some(org.id)
    );
    assert_eq!(
        store
            .sso_connection_for_domain("lakeside.example")
            .await
            .unwrap(),
        None
    );
    // Saving again replaces everything, domains included.
    connection.domains = vec!["riverside.example".into()];
    connection.sso_only = true;
    connection.client_secret_sealed = vec![4];
    store.save_sso_connection(&connection).await.unwrap();
    assert_eq!(
        store.sso_connection(org.id).await.unwrap().as_ref(),
        Some(&connection)
    );
    assert_eq!(
        store
            .sso_connection_for_domain("clinic.riverside.example")
            .await
            .unwrap(),
        None
    );
    // A domain belongs to one organization; the refused save changes nothing.
    let theirs = crate::SsoConnection {
        organization_id: other.id,
        domains: vec!["lakeside.example".into(), "riverside.example".into()],
        ..connection.clone()
    };
    assert!(matches!(
        store.save_sso_connection(&theirs).await,
        Err(StoreError::Conflict("email domain"))
    ));
    assert_eq!(store.sso_connection(other.id).await.unwrap(), None);
    // Accounts of another organization in a domain make it not this one's alone.
    let mut member = new_user("ana@lakeside.example");
    member.organization_id = Some(other.id);
    store.create_user(member).await.unwrap();
    store
        .create_user(new_user("loner@riverside.example"))
        .await
        .unwrap();
    assert!(store
        .domain_has_outside_accounts("lakeside.example", org.id)
        .await
        .unwrap());
    assert!(!store
        .domain_has_outside_accounts("lakeside.example", other.id)
        .await
        .unwrap());
    assert!(!store
        .domain_has_outside_accounts("side.example", org.id)
        .await
        .unwrap());
    assert!(!store
        .domain_has_outside_accounts("riverside.example", org.id)
        .await
        .unwrap());
    assert!(store.remove_sso_connection(org.id).await.unwrap());
    assert!(!store.remove_sso_connection(org.id).await.unwrap());
    assert_eq!(
        store
            .sso_connection_for_domain("riverside.example")
            .await
            .unwrap(),
        None
    );
}

pub async fn sso_attempts_are_taken_once_before_they_expire(store: Arc<dyn Store>) {
    let org = store.create_organization("Riverside", 1).await.unwrap();
    let attempt = |state: &str, expires_at| crate::SsoAttempt {
        state_hash: state.into(),
        organization_id: org.id,
        nonce: format!("nonce-{state}"),
        pkce_verifier: format!("verifier-{state}"),
        redirect_uri: "https://huddle.example/auth/sso/callback".into(),
        next: Some("/messages".into()),
        expires_at,
    };
    store
        .create_sso_attempt(&attempt("a", 1_000))
        .await
        .unwrap();
    store
        .create_sso_attempt(&attempt("b", 1_000))
        .await
        .unwrap();
    store
        .create_sso_attempt(&attempt("c", 5_000))
        .await
        .unwrap();
    assert!(matches!(
        store.create_sso_attempt(&attempt("a", 1_000)).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        store.take_sso_attempt("a", 900).await.unwrap(),
        Some(attempt("a", 1_000))
    );
    assert_eq!(store.take_sso_attempt("a", 900).await.unwrap(), None);
    // Expired: gone, and not handed out.
    assert_eq!(store.take_sso_attempt("b", 1_001).await.unwrap(), None);
    assert_eq!(store.take_sso_attempt("b", 900).await.unwrap(), None);
    assert_eq!(store.take_sso_attempt("unknown", 0).await.unwrap(), None);
    store
        .create_sso_attempt(&attempt("d", 2_000))
        .await
        .unwrap();
    assert_eq!(store.delete_expired_sso_attempts(3_000).await.unwrap(), 1);
    assert!(store.take_sso_attempt("c", 3_000).await.unwrap().is_some());
}

pub async fn invitations_work_once_and_only_the_newest(store: Arc<dyn Store>) {
    use crate::NewInvitation;
    let org = store.create_organization("Invite Clinic", 0).await.unwrap();
    let dept = store.create_department(org.id, "Cardiology").await.unwrap();
    let admin = store
        .create_user(new_user("admin@invite.example"))
        .await
        .unwrap();
    let roles = Roles::new([Role::Clinician]);
    let new = |token: &'static str, at| NewInvitation {
        organization_id: org.id,
        email: "hire@invite.example",
        department_id: Some(dept.id),
        roles: &roles,
        token_hash: token,
        invited_by: Some(admin.id),
        created_at: at,
        expires_at: at + 1_000,
    };
    let first = store.create_invitation(new("hash-1", 100)).await.unwrap();
    assert_eq!(first.email, "hire@invite.example");
    assert_eq!(first.roles, roles);
    assert_eq!(first.department_id, Some(dept.id));
    assert_eq!(
        store.invitation_by_token("hash-1").await.unwrap(),
        Some(first.clone())
    );
    assert_eq!(store.invitation_by_token("nope").await.unwrap(), None);
    // A second invitation to the same address retires the first.
    let second = store.create_invitation(new("hash-2", 200)).await.unwrap();
    let retired = store.invitation(first.id).await.unwrap().unwrap();
    assert_eq!(retired.revoked_at, Some(200));
    let hire = store
        .create_user(new_user("hire@invite.example"))
        .await
        .unwrap();
    assert!(!store
        .accept_invitation(first.id, hire.id, 300)
        .await
        .unwrap());
    // Not after it expires.
    assert!(!store
        .accept_invitation(second.id, hire.id, 1_200)
        .await
        .unwrap());
    // Once, before then.
    assert!(store
        .accept_invitation(second.id, hire.id, 300)
        .await
        .unwrap());
    assert!(!store
        .accept_invitation(second.id, hire.id, 301)
        .await
        .unwrap());
    assert!(!store.revoke_invitation(second.id, 400).await.unwrap());
    let accepted = store.invitation(second.id).await.unwrap().unwrap();
    assert_eq!(
        (accepted.accepted_at, accepted.accepted_by),
        (Some(300), Some(hire.id))
    );
    let third = store.create_invitation(new("hash-3", 500)).await.unwrap();
    assert!(store.revoke_invitation(third.id, 600).await.unwrap());
    assert!(!store
        .accept_invitation(third.id, hire.id, 700)
        .await
        .unwrap());
    let listed: Vec<i64> = store
        .invitations(org.id, 10)
        .await
        .unwrap()
        .iter()
        .map(|i| i.id)
        .collect();
    assert_eq!(listed, vec![third.id, second.id, first.id]);
}

pub async fn mailed_links_work_once_for_their_purpose_and_reclaim_only_unproven_accounts(
    store: Arc<dyn Store>,
) {
    use crate::LinkPurpose::{ResetPassword, VerifyEmail};
    let unproven = store
        .create_user(NewUser {
            email_verified_at: None,
            ..new_user("unproven@links.example")
        })
        .await
        .unwrap();
    let to = "unproven@links.example";
    store
        .create_email_link("v1", unproven.id, VerifyEmail, to, 10, 1_000)
        .await
        .unwrap();
    assert!(store.email_link_valid("v1", VerifyEmail, 20).await.unwrap());
    assert!(!store
        .email_link_valid("v1", ResetPassword, 20)
        .await
        .unwrap());
    // A newer link of the same purpose retires the older one.
    store
        .create_email_link("v2", unproven.id, VerifyEmail, to, 30, 1_000)
        .await
        .unwrap();
    assert_eq!(
        store.use_email_link("v1", VerifyEmail, 40).await.unwrap(),
        None
    );
    assert_eq!(
        store.use_email_link("v2", ResetPassword, 40).await.unwrap(),
        None,
        "a link does only what it was sent for"
    );
    assert_eq!(
        store
            .use_email_link("v2", VerifyEmail, 1_000)
            .await
            .unwrap(),
        None
    );
    let used = store.use_email_link("v2", VerifyEmail, 40).await.unwrap();
    assert_eq!(
        used,
        Some(crate::UsedLink {
            user_id: unproven.id,
            email: to.into()
        })
    );
    assert_eq!(
        store.use_email_link("v2", VerifyEmail, 41).await.unwrap(),
        None
    );
    assert!(!store.email_link_valid("v2", VerifyEmail, 41).await.unwrap());

    // The address's owner takes over an account a stranger opened with it, once.
    store
        .create_session(&crate::Session {
            id_hash: "stranger-session".into(),
            user_id: unproven.id,
            csrf_token: "t".into(),
            created_at: 1,
            last_seen_at: 1,
            mfa_pending: false,
            expires_at: None,
        })
        .await
        .unwrap();
    assert!(store
        .reclaim_unverified_account(unproven.id, "Dr. Real Owner", "new-hash", 50)
        .await
        .unwrap());
    let owned = store.user(unproven.id).await.unwrap().unwrap();
    assert_eq!(
        (
            owned.display_name.as_str(),
            owned.password_hash.as_str(),
            owned.email_verified_at
        ),
        ("Dr. Real Owner", "new-hash", Some(50))
    );
    assert_eq!(store.session("stranger-session").await.unwrap(), None);
    assert!(!store
        .reclaim_unverified_account(unproven.id, "Someone else", "x", 60)
        .await
        .unwrap());
    store.set_email_verified(unproven.id, 70).await.unwrap();
    assert_eq!(
        store
            .user(unproven.id)
            .await
            .unwrap()
            .unwrap()
            .email_verified_at,
        Some(50),
        "the first proof stays"
    );
}

pub async fn scim_credentials_are_found_by_hash_until_revoked(store: Arc<dyn Store>) {
    use crate::NewScimCredential;
    let org = store.create_organization("Directory A", 1).await.unwrap();
    let other = store.create_organization("Directory B", 1).await.unwrap();
    let new = |name: &str, hash: &str, organization_id: i64| NewScimCredential {
        organization_id,
        name: name.into(),
        secret_hash: hash.into(),
        created_by: None,
        created_at: 5,
    };
    let made = store
        .create_scim_credential(new("Entra ID", "hash-a", org.id))
        .await
        .unwrap();
    assert!(matches!(
        store
            .create_scim_credential(new("again", "hash-a", org.id))
            .await,
        Err(StoreError::Conflict(_))
    ));
    let found = store.scim_credential_by_secret("hash-a").await.unwrap();
    assert_eq!(found.as_ref().map(|c| c.id), Some(made.id));
    store.touch_scim_credential(made.id, 9).await.unwrap();
    let listed = store.scim_credentials(org.id).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].last_used_at, Some(9));
    assert!(store.scim_credentials(other.id).await.unwrap().is_empty());
    // Another organization cannot revoke it; its own can, once.
    assert!(!store
        .revoke_scim_credential(other.id, made.id, 10)
        .await
        .unwrap());
    assert!(store
        .revoke_scim_credential(org.id, made.id, 10)
        .await
        .unwrap());
    assert!(!store
        .revoke_scim_credential(org.id, made.id, 11)
        .await
        .unwrap());
    assert!(store
        .scim_credential_by_secret("hash-a")
        .await
        .unwrap()
        .is_none());
    let listed = store.scim_credentials(org.id).await.unwrap();
    assert_eq!(listed[0].revoked_at, Some(10));
}

pub async fn scim_users_and_groups_are_kept_per_organization(store: Arc<dyn Store>) {
    use crate::{NewScimGroup, ScimUser};
    let org = store.create_organization("Directory C", 1).await.unwrap();
    let other = store.create_organization("Directory D", 1).await.unwrap();
    let dept = store.create_department(org.id, "Cardiology").await.unwrap();
    let mut member = new_user("scim.member@example.test");
    member.organization_id = Some(org.id);
    let member = store.create_user(member).await.unwrap();
    let record = ScimUser {
        user_id: member.id,
        organization_id: org.id,
        user_name: "scim.member@example.test".into(),
        display_name: None,
        external_id: Some("ext-1".into()),
        given_name: Some("Ada".into()),
        family_name: None,
        created_at: 2,
        last_modified: 2,
    };
    store.save_scim_user(&record).await.unwrap();
    let changed = ScimUser {
        display_name: Some("Dr. Ada".into()),
        family_name: Some("Okafor".into()),
        last_modified: 3,
        ..record.clone()
    };
    store.save_scim_user(&changed).await.unwrap();
    assert_eq!(store.scim_user(member.id).await.unwrap(), Some(changed));
    assert_eq!(store.scim_users(org.id).await.unwrap().len(), 1);
    assert!(store.scim_users(other.id).await.unwrap().is_empty());
    store
        .set_display_name(member.id, "Ada Okafor")
        .await
        .unwrap();
    assert_eq!(
        store.user(member.id).await.unwrap().unwrap().display_name,
        "Ada Okafor"
    );

    let new_group = |name: &str, organization_id: i64| NewScimGroup {
        organization_id,
        display_name: name.into(),
        external_id: None,
        created_at: 4,
    };
    let group = store
        .create_scim_group(new_group("Cardiologists", org.id))
        .await
        .unwrap();
    assert!(matches!(
        store
            .create_scim_group(new_group("Cardiologists", org.id))
            .await,
        Err(StoreError::Conflict(_))
    ));
    // The same name in another organization is another group.
    store
        .create_scim_group(new_group("Cardiologists", other.id))
        .await
        .unwrap();
    assert!(store
        .scim_group(other.id, group.id)
        .await
        .unwrap()
        .is_none());
    assert!(store
        .map_scim_group(org.id, group.id, Some(dept.id), "physician")
        .await
        .unwrap());
    assert!(!store
        .map_scim_group(other.id, group.id, None, "")
        .await
        .unwrap());
    let mut renamed = store.scim_group(org.id, group.id).await.unwrap().unwrap();
    assert_eq!(renamed.department_id, Some(dept.id));
    assert_eq!(renamed.roles, "physician");
    renamed.display_name = "Cardiology".into();
    renamed.last_modified = 6;
    store.update_scim_group(&renamed).await.unwrap();
    assert_eq!(
        store.scim_group(org.id, group.id).await.unwrap(),
        Some(renamed.clone())
    );

    store
        .set_scim_group_members(group.id, &[member.id])
        .await
        .unwrap();
    assert_eq!(
        store.scim_group_members(group.id).await.unwrap(),
        vec![member.id]
    );
    assert_eq!(
        store.scim_groups_of(member.id).await.unwrap(),
        vec![renamed]
    );
    store.set_scim_group_members(group.id, &[]).await.unwrap();
    assert!(store.scim_groups_of(member.id).await.unwrap().is_empty());

    // Forgetting a member takes them out of every group too.
    store
        .set_scim_group_members(group.id, &[member.id])
        .await
        .unwrap();
    store.forget_scim_user(member.id).await.unwrap();
    assert!(store.scim_user(member.id).await.unwrap().is_none());
    assert!(store.scim_group_members(group.id).await.unwrap().is_empty());

    assert!(!store.delete_scim_group(other.id, group.id).await.unwrap());
    assert!(store.delete_scim_group(org.id, group.id).await.unwrap());
    assert!(store.scim_group(org.id, group.id).await.unwrap().is_none());
    assert_eq!(store.scim_groups(org.id).await.unwrap().len(), 0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_names_every_test_of_this_file() {
        let listed = crate::conformance_suite!(@list names);
        assert_eq!(unlisted(&listed), Vec::<&str>::new());
        // Not vacuous: with nothing listed, every test is reported.
        let mut all = unlisted(&[]);
        all.sort_unstable();
        let mut expected = listed.to_vec();
        expected.sort_unstable();
        assert_eq!(all, expected);
    }

    #[test]
    fn a_test_left_off_the_list_is_reported() {
        let source = "pub async fn listed(store: Arc<dyn Store>) {}\n\
                      pub async fn forgotten(store: Arc<dyn Store>) {}\n\
                      async fn helper() {}\n";
        let missing: Vec<_> = tests_in(source).filter(|n| *n != "listed").collect();
        assert_eq!(missing, ["forgotten"]);
    }
}
