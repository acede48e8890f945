//! The one path user text takes to HTML (`huddle_core::markup`: pulldown-cmark + ammonia),
//! for messages and lounge posts alike. Any text: no panic, and no script, image,
//! `javascript:` link or event handler in the markup (text is escaped, so every `<` left in
//! the output opens a tag).
#![no_main]

use huddle_core::markup;
use libfuzzer_sys::fuzz_target;

/// The tags of the HTML, lower-cased: from each `<` to the next `>`.
fn tags(html: &str) -> Vec<String> {
    html.split('<')
        .skip(1)
        .map(|rest| rest.split('>').next().unwrap_or("").to_ascii_lowercase())
        .collect()
}

/// An attribute named `on…`: an event handler.
fn has_handler(tag: &str) -> bool {
    tag.split(|c: char| c.is_whitespace() || c == '/')
        .skip(1)
        .any(|attr| attr.starts_with("on") && attr.contains('='))
}

fuzz_target!(|text: &str| {
    let html = markup::render(text);
    for tag in tags(&html) {
        assert!(
            !tag.starts_with("script") && !tag.starts_with("img"),
            "{html}"
        );
        assert!(!tag.contains("javascript:"), "{html}");
        assert!(!has_handler(&tag), "{html}");
    }
});
