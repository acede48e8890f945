//! User text becomes HTML through one path (`huddle_core::markup`): a message and a lounge
//! post written the same way render the same, and nothing in either can run script.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::*;

const CARDIOLOGY: &str = "207RC0000X";

/// Everything the old message subset knew, and what must never become markup.
const TEXT: &str = "**Echo** first, *then* _stress_ `ETT`\n\
see https://example.org/guide.\n\
- redraw\n\
- call back\n\n\
[protocol](https://example.org/p) <script>alert(1)</script> <b>raw</b> [x](javascript:alert(1))";

#[tokio::test]
async fn a_message_and_a_lounge_post_render_through_the_one_markup_path() {
    let app = spawn_app().await;
    let store = &app.state().store;
    let org = store.create_organization("Practice", 0).await.unwrap().id;
    let a = app
        .verified_physician("a@example.org", CARDIOLOGY, &[])
        .await;
    let b = app
        .verified_physician("b@example.org", CARDIOLOGY, &[])
        .await;
    for id in [a, b] {
        store.set_membership(id, Some(org), None).await.unwrap();
    }
    let doc = Browser::login(&app, "a@example.org").await;

    let r = doc
        .send(
            Method::POST,
            &app.url("/api/v1/conversations"),
            Some(json!({ "kind": "direct", "members": [b] })),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let conversation = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let r = doc
        .send(
            Method::POST,
            &app.url(&format!("/api/v1/conversations/{conversation}/messages")),
            Some(json!({ "body": TEXT, "client_msg_id": "markup-1" })),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let list: Value = doc
        .send(
            Method::GET,
            &app.url(&format!(
                "/api/v1/conversations/{conversation}/messages?after=0"
            )),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    let message = list[0]["html"].as_str().unwrap().to_string();

    let r = doc
        .send(
            Method::POST,
            &app.url("/api/v1/lounge/threads"),
            Some(json!({
                "space": "cardiology", "kind": "discussion", "title": "Markup in the lounge",
                "body": TEXT,
                // The guard may read the example addresses as personal ones.
                "phi_override": "example addresses in a rendering test, no patient",
            })),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let post = r.json::<Value>().await.unwrap()["posts"][0]["html"]
        .as_str()
        .unwrap()
        .to_string();

    assert_eq!(message, post, "one path for both");
    assert_eq!(message, huddle_core::markup::render(TEXT));
    for shown in [
        "<strong>Echo</strong>",
        "<em>then</em>",
        "<em>stress</em>",
        "<code>ETT</code>",
        "<br>",
        "<a href=\"https://example.org/guide\" rel=\"nofollow noopener noreferrer\">https://example.org/guide</a>.",
        "<li>redraw</li>",
        "<a href=\"https://example.org/p\" rel=\"nofollow noopener noreferrer\">protocol</a>",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "&lt;b&gt;raw&lt;/b&gt;",
    ] {
        assert!(message.contains(shown), "{shown} in {message}");
    }
    assert!(!message.contains("<script"), "{message}");
    assert!(!message.contains("<b>"), "{message}");
    assert!(!message.contains("href=\"javascript"), "{message}");

    // The conversation page shows the same markup the API returned.
    let page = doc
        .client
        .get(app.url(&format!("/messages/{conversation}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(&message), "{page}");
}
