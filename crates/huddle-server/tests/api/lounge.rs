//! The lounge over the API: who gets in, the PHI guard, answers, pseudonyms, moderation.

use huddle_core::identity::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{assert_problem, spawn_app, Browser, TestApp};

const CARDIOLOGY: &str = "207RC0000X";

async fn json_of(r: reqwest::Response) -> Value {
    r.json().await.unwrap()
}

async fn audit_actions(app: &TestApp) -> Vec<(String, String)> {
    app.state()
        .store
        .recent_audit(200)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.detail))
        .collect()
}

#[tokio::test]
async fn only_verified_physicians_enter_the_lounge() {
    let app = spawn_app().await;
    app.verified_physician("cardio@example.org", CARDIOLOGY, &[])
        .await;
    app.user("unverified@example.org", &[Role::Physician]).await;
    app.user("admin@example.org", &[Role::OrgAdmin, Role::SystemAdmin])
        .await;
    app.user("nurse@example.org", &[Role::Clinician]).await;
    app.user("mod@example.org", &[Role::Moderator]).await;

    let doc = Browser::login(&app, "cardio@example.org").await;
    let r = doc
        .send(Method::GET, &app.url("/api/v1/lounge/spaces"), None)
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let spaces = json_of(r).await;
    assert!(spaces
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["slug"] == "cardiology"));
    assert!(spaces
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["slug"] == "wellbeing" && s["pseudonymous_by_default"] == true));

    for email in [
        "unverified@example.org",
        "admin@example.org",
        "nurse@example.org",
        "mod@example.org",
    ] {
        let b = Browser::login(&app, email).await;
        for (method, path, body) in [
            (Method::GET, "/api/v1/lounge/spaces", None),
            (Method::GET, "/api/v1/lounge/threads", None),
            (Method::GET, "/api/v1/lounge/search?q=af", None),
            (
                Method::POST,
                "/api/v1/lounge/phi-check",
                Some(json!({ "text": "hi" })),
            ),
            (
                Method::POST,
                "/api/v1/lounge/threads",
                Some(
                    json!({ "space": "cardiology", "kind": "discussion", "title": "Hello there", "body": "x" }),
                ),
            ),
            (Method::GET, "/api/v1/lounge/moderation/log", None),
        ] {
            let r = b.send(method.clone(), &app.url(path), body).await;
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{email} {method} {path}");
        }
        let page = b.client.get(app.url("/lounge")).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::FORBIDDEN, "{email} /lounge");
    }
}

#[tokio::test]
async fn the_phi_guard_flags_with_byte_offsets_and_blocks_until_fixed_or_overridden() {
    let app = spawn_app().await;
    app.verified_physician("cardio@example.org", CARDIOLOGY, &[])
        .await;
    let doc = Browser::login(&app, "cardio@example.org").await;

    let text = "Café: MRN 48213377, seen by Dr. Osei.";
    let r = doc
        .send(
            Method::POST,
            &app.url("/api/v1/lounge/phi-check"),
            Some(json!({ "text": text })),
        )
        .await;
    let spans = json_of(r).await["spans"].as_array().unwrap().clone();
    let mrn = spans
        .iter()
        .find(|s| s["type"] == "MRN")
        .expect("the MRN is flagged");
    let (start, end) = (
        mrn["start"].as_u64().unwrap() as usize,
        mrn["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(
        &text.as_bytes()[start..end],
        b"48213377",
        "offsets count UTF-8 bytes"
    );
    assert!(
        !spans.iter().any(|s| s["type"] == "NAME"),
        "a clinician after Dr. is not patient PHI: {spans:?}"
    );

    let draft = json!({
        "space": "cardiology", "kind": "case", "title": "Syncope in a young athlete",
        "case": { "context": "Patient John Carter, MRN 48213377, collapsed on 03/14/2025.", "question": "Next test?" },
    });
    let body = assert_problem(
        doc.send(
            Method::POST,
            &app.url("/api/v1/lounge/threads"),
            Some(draft.clone()),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("body"),
    )
    .await;
    assert!(body["detail"]
        .as_str()
        .unwrap()
        .contains("may identify a patient"));
    // Where the guard found them, by kind and offset, and never the text itself.
    let flags = body["phi"]
        .as_array()
        .expect("the spans come with the problem");
    assert!(
        flags
            .iter()
            .any(|f| f["field"] == "body" && f["type"] == "MRN"),
        "{flags:?}"
    );
    for f in flags {
        assert!(f["start"].as_u64().unwrap() < f["end"].as_u64().unwrap());
        assert!(f.get("text").is_none());
    }
    let whole = body.to_string();
    assert!(
        !whole.contains("48213377") && !whole.contains("Carter"),
        "the problem never repeats the flagged text: {whole}"
    );
    let listed = json_of(
        doc.send(Method::GET, &app.url("/api/v1/lounge/threads"), None)
            .await,
    )
    .await;
    assert_eq!(listed.as_array().unwrap().len(), 0, "nothing was published");

    // The author fixes the draft: it publishes.
    let fixed = json!({
        "space": "cardiology", "kind": "case", "title": "Syncope in a young athlete",
        "tags": "syncope, sports",
        "case": { "context": "A man in his 20s collapsed during a match.", "question": "Next test?", "tried": "ECG normal." },
    });
    let r = doc
        .send(
            Method::POST,
            &app.url("/api/v1/lounge/threads"),
            Some(fixed),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let created = json_of(r).await;
    assert_eq!(created["thread"]["tags"], json!(["syncope", "sports"]));
    assert!(created["posts"][0]["html"]
        .as_str()
        .unwrap()
        .contains("<strong>Context</strong>"));

    // A false positive is published with a reason, audited without the flagged text.
    let r = doc
        .send(
            Method::POST,
            &app.url("/api/v1/lounge/threads"),
            Some(json!({
                "space": "practice", "kind": "discussion", "title": "Clinic phone tree",
                "body": "Our scheduling line is 617-555-0142; how do you route refills?",
                "phi_override": "this is the clinic's public number, not a patient's",
            })),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let audits = audit_actions(&app).await;
    let (_, detail) = audits
        .iter()
        .find(|(a, _)| a == "lounge_phi_override")
        .expect("override audited");
    assert!(
        detail.contains("phone") || detail.contains("PHONE"),
        "{detail}"
    );
    assert!(
        !detail.contains("617-555-0142"),
        "the audit never holds the flagged text"
    );
}

#[tokio::test]
async fn questions_get_answers_that_the_author_accepts_and_pseudonyms_hide_names() {
    let app = spawn_app().await;
    app.verified_physician("asker@example.org", CARDIOLOGY, &[])
        .await;
    app.verified_physician("er@example.org", "207P00000X", &[])
        .await;
    let asker = Browser::login(&app, "asker@example.org").await;
    let er = Browser::login(&app, "er@example.org").await;

    let r = asker
        .send(
            Method::POST,
            &app.url("/api/v1/lounge/threads"),
            Some(json!({
                "space": "ask-any-specialty", "kind": "question", "title": "Chest pain pathway overnight",
                "body": "How does your department triage?",
                "poll": { "question": "Who reads the first ECG?", "options": ["ED", "Cardiology"] },
            })),
        )
        .await;
    let thread = json_of(r).await;
    let id = thread["thread"]["id"].as_i64().unwrap();
    assert_eq!(thread["posts"][0]["author"], "Dr. asker@example.org");
    assert_eq!(thread["posts"][0]["badge"], "Cardiology");

    let reply = json_of(
        er.send(
            Method::POST,
            &app.url(&format!("/api/v1/lounge/threads/{id}/replies")),
            Some(json!({ "body": "Triage nurse flags, ED reads within ten minutes.", "pseudonymous": true })),
        )
        .await,
    )
    .await;
    assert_eq!(reply["author"], "Verified emergency physician");
    let reply_id = reply["id"].as_i64().unwrap();

    // Only the thread's author accepts; the answerer is notified.
    let accept = app.url(&format!("/api/v1/lounge/posts/{reply_id}/accept"));
    assert_eq!(
        er.send(Method::POST, &accept, None).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        asker.send(Method::POST, &accept, None).await.status(),
        StatusCode::OK
    );
    let t = json_of(
        asker
            .send(
                Method::GET,
                &app.url(&format!("/api/v1/lounge/threads/{id}")),
                None,
            )
            .await,
    )
    .await;
    assert_eq!(t["thread"]["accepted_post_id"], reply_id);
    assert_eq!(t["posts"][1]["accepted"], true);
    let notes = json_of(
        er.send(Method::GET, &app.url("/api/v1/lounge/notifications"), None)
            .await,
    )
    .await;
    assert_eq!(notes[0]["kind"], "accepted");
    let asker_notes = json_of(
        asker
            .send(Method::GET, &app.url("/api/v1/lounge/notifications"), None)
            .await,
    )
    .await;
    assert_eq!(
        asker_notes[0]["kind"], "reply",
        "the asker follows the thread"
    );

    // Helpful votes: once per physician, never for yourself.
    let helpful = app.url(&format!("/api/v1/lounge/posts/{reply_id}/helpful"));
    assert_eq!(
        json_of(asker.send(Method::POST, &helpful, None).await).await["ok"],
        true
    );
    assert_eq!(
        json_of(asker.send(Method::POST, &helpful, None).await).await["ok"],
        false
    );
    assert_eq!(
        er.send(Method::POST, &helpful, None).await.status(),
        StatusCode::CONFLICT
    );

    // The poll counts one choice per physician.
    let poll = app.url(&format!("/api/v1/lounge/threads/{id}/poll"));
    json_of(
        er.send(Method::POST, &poll, Some(json!({ "choice": 0 })))
            .await,
    )
    .await;
    let p = json_of(
        asker
            .send(Method::POST, &poll, Some(json!({ "choice": 0 })))
            .await,
    )
    .await;
    assert_eq!(p["counts"], json!([2, 0]));
    assert_problem(
        asker
            .send(Method::POST, &poll, Some(json!({ "choice": 5 })))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("choice"),
    )
    .await;

    // Edits keep their history.
    let edit = app.url(&format!("/api/v1/lounge/posts/{reply_id}"));
    assert_eq!(
        asker
            .send(Method::PATCH, &edit, Some(json!({ "body": "mine now" })))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        er.send(
            Method::PATCH,
            &edit,
            Some(json!({ "body": "ED reads within 10 minutes." }))
        )
        .await
        .status(),
        StatusCode::OK
    );
    let history = json_of(
        er.send(
            Method::GET,
            &app.url(&format!("/api/v1/lounge/posts/{reply_id}/history")),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(
        history[0]["body"],
        "Triage nurse flags, ED reads within ten minutes."
    );

    // Search finds the thread by its title and filters by kind.
    let hits = json_of(
        asker
            .send(
                Method::GET,
                &app.url("/api/v1/lounge/search?q=pathway&kind=question"),
                None,
            )
            .await,
    )
    .await;
    assert_eq!(hits[0]["thread_id"], id);
    let none = json_of(
        asker
            .send(
                Method::GET,
                &app.url("/api/v1/lounge/search?q=pathway&kind=case"),
                None,
            )
            .await,
    )
    .await;
    assert_eq!(none.as_array().unwrap().len(), 0);
    assert_problem(
        asker
            .send(
                Method::GET,
                &app.url("/api/v1/lounge/search?q=x&space=astrology"),
                None,
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("space"),
    )
    .await;

    // The well-being space is pseudonymous unless the author chooses otherwise.
    let w = json_of(
        er.send(
            Method::POST,
            &app.url("/api/v1/lounge/threads"),
            Some(json!({ "space": "wellbeing", "kind": "discussion", "title": "Coming back after leave", "body": "How did you ease in?" })),
        )
        .await,
    )
    .await;
    assert_eq!(w["posts"][0]["author"], "Verified emergency physician");
    assert_eq!(w["posts"][0]["pseudonymous"], true);
}

#[tokio::test]
async fn moderators_act_through_a_public_log_and_reveal_authors_only_with_an_audited_reason() {
    let app = spawn_app().await;
    app.verified_physician("author@example.org", CARDIOLOGY, &[])
        .await;
    app.verified_physician("reader@example.org", CARDIOLOGY, &[])
        .await;
    app.verified_physician("mod@example.org", "207R00000X", &[Role::Moderator])
        .await;
    let author = Browser::login(&app, "author@example.org").await;
    let reader = Browser::login(&app, "reader@example.org").await;
    let moderator = Browser::login(&app, "mod@example.org").await;

    let t = json_of(
        author
            .send(
                Method::POST,
                &app.url("/api/v1/lounge/threads"),
                Some(json!({ "space": "wellbeing", "kind": "discussion", "title": "Buy my course", "body": "Discount code inside." })),
            )
            .await,
    )
    .await;
    let thread_id = t["thread"]["id"].as_i64().unwrap();
    let post_id = t["posts"][0]["id"].as_i64().unwrap();

    let r = reader
        .send(
            Method::POST,
            &app.url(&format!("/api/v1/lounge/posts/{post_id}/report")),
            Some(json!({ "reason": "spam", "note": "advertising" })),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_problem(
        reader
            .send(
                Method::POST,
                &app.url(&format!("/api/v1/lounge/posts/{post_id}/report")),
                Some(json!({ "reason": "boring" })),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("reason"),
    )
    .await;

    // The queue and the actions are for moderators only.
    assert_eq!(
        reader
            .send(
                Method::GET,
                &app.url("/api/v1/lounge/moderation/reports"),
                None
            )
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let queue = json_of(
        moderator
            .send(
                Method::GET,
                &app.url("/api/v1/lounge/moderation/reports"),
                None,
            )
            .await,
    )
    .await;
    assert_eq!(queue[0]["post_id"], post_id);
    let actions_url = app.url("/api/v1/lounge/moderation/actions");
    let act = |body: Value| moderator.send(Method::POST, &actions_url, Some(body));
    assert_eq!(
        reader
            .send(
                Method::POST,
                &app.url("/api/v1/lounge/moderation/actions"),
                Some(json!({ "action": "hide_post", "post_id": post_id, "reason": "spam" }))
            )
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_problem(
        act(json!({ "action": "hide_post", "post_id": post_id, "reason": "" })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("reason"),
    )
    .await;
    assert_problem(
        act(json!({ "action": "hide_post", "post_id": post_id, "reason": "spam from John Carter at 617-555-0142" })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("reason"),
    )
    .await;
    assert_eq!(
        act(json!({ "action": "hide_post", "post_id": post_id, "reason": "advertising" }))
            .await
            .status(),
        StatusCode::CREATED
    );
    assert_eq!(
        act(json!({ "action": "lock_thread", "thread_id": thread_id, "reason": "advertising" }))
            .await
            .status(),
        StatusCode::CREATED
    );
    assert!(json_of(
        moderator
            .send(
                Method::GET,
                &app.url("/api/v1/lounge/moderation/reports"),
                None
            )
            .await
    )
    .await
    .as_array()
    .unwrap()
    .is_empty());

    // Members see that the post was hidden, not what it said; the thread takes no replies.
    let seen = json_of(
        reader
            .send(
                Method::GET,
                &app.url(&format!("/api/v1/lounge/threads/{thread_id}")),
                None,
            )
            .await,
    )
    .await;
    assert_eq!(
        (
            seen["posts"][0]["state"].as_str(),
            seen["posts"][0]["body"].as_str()
        ),
        (Some("hidden"), Some(""))
    );
    let r = reader
        .send(
            Method::POST,
            &app.url(&format!("/api/v1/lounge/threads/{thread_id}/replies")),
            Some(json!({ "body": "me too" })),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);

    // The public log says what and why, never who.
    let log = json_of(
        reader
            .send(Method::GET, &app.url("/api/v1/lounge/moderation/log"), None)
            .await,
    )
    .await;
    let text = log.to_string();
    assert!(text.contains("hide_post") && text.contains("lock_thread"));
    assert!(!text.contains("author@example.org") && !text.contains("Discount"));

    // Revealing the pseudonymous author: moderators only, with a reason, audited.
    let reveal = app.url(&format!("/api/v1/lounge/posts/{post_id}/reveal"));
    assert_eq!(
        reader
            .send(Method::POST, &reveal, Some(json!({ "reason": "curious" })))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_problem(
        moderator
            .send(Method::POST, &reveal, Some(json!({ "reason": "" })))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("reason"),
    )
    .await;
    assert!(!audit_actions(&app)
        .await
        .iter()
        .any(|(a, _)| a == "lounge_identity_revealed"));
    let who = json_of(
        moderator
            .send(
                Method::POST,
                &reveal,
                Some(json!({ "reason": "repeated advertising" })),
            )
            .await,
    )
    .await;
    assert_eq!(who["email"], "author@example.org");
    let audits = audit_actions(&app).await;
    let (_, detail) = audits
        .iter()
        .find(|(a, _)| a == "lounge_identity_revealed")
        .expect("reveal audited");
    assert!(detail.contains("repeated advertising"));

    // A suspension stops posting until it is lifted.
    assert_eq!(act(json!({ "action": "suspend", "post_id": post_id, "reason": "repeated advertising", "days": 7 })).await.status(), StatusCode::CREATED);
    let threads_url = app.url("/api/v1/lounge/threads");
    let draft = json!({ "space": "practice", "kind": "discussion", "title": "Scheduling templates", "body": "Share yours?" });
    let post = || author.send(Method::POST, &threads_url, Some(draft.clone()));
    let refused = assert_problem(post().await, StatusCode::FORBIDDEN, None).await;
    assert!(refused["detail"].as_str().unwrap().contains("suspended"));
    assert_eq!(
        act(json!({ "action": "unsuspend", "post_id": post_id, "reason": "appeal accepted" }))
            .await
            .status(),
        StatusCode::CREATED
    );
    assert_eq!(post().await.status(), StatusCode::CREATED);
}
