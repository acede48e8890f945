//! A person's words as HTML: the one path every user text takes to become markup (messages,
//! lounge posts), and the one escaper for HTML built by hand (the PHI guard's highlights,
//! charts, plain refusal pages).
//!
//! Text is CommonMark (pulldown-cmark, tables and strikethrough on), with three house rules
//! applied to the parsed events before any HTML is written:
//! - a line break is a line break (as people type in a chat box or a text area);
//! - raw HTML is shown as typed, never interpreted (`<b>` reads `<b>`);
//! - bare `http(s)://` addresses become links, as they did in messages;
//! - images become their alt text, so nothing remote loads in a colleague's browser.
//!
//! The HTML is then sanitized by ammonia with [`ALLOWED_TAGS`]: whatever the parser
//! produced, no script, style, event handler, image or non-web link survives, and links
//! carry `rel="nofollow noopener noreferrer"`.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use pulldown_cmark::utils::TextMergeStream;
use pulldown_cmark::{html, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

/// The only elements user text may produce.
pub const ALLOWED_TAGS: [&str; 25] = [
    "a",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Link targets user text may carry.
pub const URL_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

static POLICY: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut policy = ammonia::Builder::default();
    policy
        .tags(ALLOWED_TAGS.into_iter().collect())
        .generic_attributes(HashSet::new())
        .tag_attributes(HashMap::from([
            ("a", HashSet::from(["href"])),
            ("ol", HashSet::from(["start"])),
        ]))
        .url_schemes(URL_SCHEMES.into_iter().collect())
        .link_rel(Some("nofollow noopener noreferrer"));
    policy
});

/// Renders user text (a message, a lounge post) to HTML that is safe to embed.
pub fn render(source: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut events: Vec<Event> = Vec::new();
    let mut in_image = 0usize;
    let mut in_link = 0usize;
    let mut in_code = 0usize;
    // Whether the text before the next event ends a word (a bare link starts a word).
    let mut word_start = true;
    for event in TextMergeStream::new(Parser::new_ext(source, options)) {
        match event {
            // Images become their alt text.
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            // Raw HTML reads as typed: a block of it is a paragraph of text.
            Event::Start(Tag::HtmlBlock) => events.push(Event::Start(Tag::Paragraph)),
            Event::End(TagEnd::HtmlBlock) => {
                while matches!(events.last(), Some(Event::HardBreak)) {
                    events.pop();
                }
                events.push(Event::End(TagEnd::Paragraph));
                word_start = true;
            }
            Event::Html(raw) | Event::InlineHtml(raw) => {
                for (i, line) in raw.split('\n').enumerate() {
                    if i > 0 {
                        events.push(Event::HardBreak);
                    }
                    if !line.is_empty() {
                        events.push(Event::Text(CowStr::from(line.to_string())));
                    }
                }
                word_start = raw.ends_with(char::is_whitespace);
            }
            Event::SoftBreak | Event::HardBreak => {
                events.push(Event::HardBreak);
                word_start = true;
            }
            Event::Text(text) if in_link == 0 && in_code == 0 => {
                let ends_in_space = text.ends_with(char::is_whitespace);
                link_bare_addresses(text, word_start, &mut events);
                word_start = ends_in_space;
            }
            other => {
                match &other {
                    Event::Start(Tag::Link { .. }) => in_link += 1,
                    Event::End(TagEnd::Link) => in_link = in_link.saturating_sub(1),
                    Event::Start(Tag::CodeBlock(_)) => in_code += 1,
                    Event::End(TagEnd::CodeBlock) => in_code = in_code.saturating_sub(1),
                    _ => {}
                }
                word_start = match &other {
                    Event::Text(t) => t.ends_with(char::is_whitespace),
                    Event::Code(_) | Event::End(_) => false,
                    _ => true,
                };
                events.push(other);
            }
        }
    }
    let mut unsafe_html = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut unsafe_html, events.into_iter());
    POLICY.clean(&unsafe_html).to_string()
}

/// A link target for a bare address: http(s) only, no quotes, spaces or angle brackets.
fn bare_address(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() > 8
        && !url.chars().any(|c| {
            c.is_whitespace() || c == '"' || c == '\'' || c == '<' || c == '>' || c.is_control()
        })
}

/// Splits a text event around the bare `http(s)://` addresses that start a word (sentence
/// punctuation after an address is not part of it).
fn link_bare_addresses<'a>(text: CowStr<'a>, word_start: bool, out: &mut Vec<Event<'a>>) {
    let s: &str = &text;
    let mut plain_from = 0;
    let mut at = 0;
    let mut found = false;
    while at < s.len() {
        let rest = &s[at..];
        let starts_word = if at == 0 {
            word_start
        } else {
            s[..at].ends_with(char::is_whitespace)
        };
        if starts_word && (rest.starts_with("https://") || rest.starts_with("http://")) {
            let word = rest.split(char::is_whitespace).next().unwrap_or(rest);
            let url = word.trim_end_matches(|c| ".,;:!?)".contains(c));
            if bare_address(url) {
                if plain_from < at {
                    out.push(Event::Text(CowStr::from(s[plain_from..at].to_string())));
                }
                out.push(Event::Start(Tag::Link {
                    link_type: LinkType::Autolink,
                    dest_url: CowStr::from(url.to_string()),
                    title: CowStr::from(""),
                    id: CowStr::from(""),
                }));
                out.push(Event::Text(CowStr::from(url.to_string())));
                out.push(Event::End(TagEnd::Link));
                at += url.len();
                plain_from = at;
                found = true;
                continue;
            }
        }
        at += rest.chars().next().map_or(1, char::len_utf8);
    }
    if !found {
        out.push(Event::Text(text));
    } else if plain_from < s.len() {
        out.push(Event::Text(CowStr::from(s[plain_from..].to_string())));
    }
}

/// Escapes text for HTML content or a double-quoted attribute value (`&`, `<`, `>`, `"`,
/// `'`): the escaper pulldown-cmark itself writes with, used for every piece of HTML Huddle
/// builds by hand.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    escape_into(text, &mut out);
    out
}

/// [`escape`], appended to `out`.
pub fn escape_into(text: &str, out: &mut String) {
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut *out, text);
}

#[cfg(test)]
mod tests {
    use super::{escape, render};

    /// The markup without pulldown-cmark's layout newlines.
    fn compact(html: &str) -> String {
        html.replace('\n', "")
    }

    #[test]
    fn what_messages_have_always_rendered_still_renders() {
        let r = |s: &str| compact(&render(s));
        assert_eq!(
            r("**K 6.1** is *high*"),
            "<p><strong>K 6.1</strong> is <em>high</em></p>"
        );
        assert_eq!(r("_italic_ too"), "<p><em>italic</em> too</p>");
        assert_eq!(
            r("run `recheck` now"),
            "<p>run <code>recheck</code> now</p>"
        );
        assert_eq!(r("line one\nline two"), "<p>line one<br>line two</p>");
        assert_eq!(
            r("To do:\n- redraw\n- call back"),
            "<p>To do:</p><ul><li>redraw</li><li>call back</li></ul>"
        );
        assert_eq!(
            r("see https://example.org/guide."),
            "<p>see <a href=\"https://example.org/guide\" rel=\"nofollow noopener noreferrer\">https://example.org/guide</a>.</p>"
        );
        assert_eq!(
            r("https://example.org/a_b, then"),
            "<p><a href=\"https://example.org/a_b\" rel=\"nofollow noopener noreferrer\">https://example.org/a_b</a>, then</p>"
        );
        assert_eq!(
            r("[protocol](https://example.org/p)"),
            "<p><a href=\"https://example.org/p\" rel=\"nofollow noopener noreferrer\">protocol</a></p>"
        );
        assert_eq!(r("snake_case_name stays"), "<p>snake_case_name stays</p>");
        assert_eq!(
            r("`https://example.org` in code"),
            "<p><code>https://example.org</code> in code</p>"
        );
        assert_eq!(r("K<5 & Na>130"), "<p>K&lt;5 &amp; Na&gt;130</p>");
    }

    #[test]
    fn lounge_markdown_still_renders() {
        let html =
            render("**Context**\n\n- one\n- two\n\n`dose`\n\n| a | b |\n|---|---|\n| 1 | 2 |");
        assert!(html.contains("<strong>Context</strong>"), "{html}");
        assert!(html.contains("<li>one</li>"), "{html}");
        assert!(html.contains("<code>dose</code>"), "{html}");
        assert!(html.contains("<td>1</td>"), "{html}");
        assert!(render("~~gone~~").contains("<del>gone</del>"));
        assert!(render("```\nlet x = 1;\n```").contains("<pre><code>let x = 1;"));
    }

    #[test]
    fn raw_html_script_and_dangerous_links_are_neutralized() {
        let r = |s: &str| compact(&render(s));
        assert_eq!(
            r("<script>alert(1)</script>"),
            "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
        );
        assert_eq!(r("say <b>hi</b>"), "<p>say &lt;b&gt;hi&lt;/b&gt;</p>");
        let html = render("<p onclick=\"x()\">hi</p>\n\n<style>p{}</style>");
        assert!(
            !html.contains("<p onclick") && !html.contains("<style"),
            "{html}"
        );
        for link in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](data:text/html,hi)",
            "<javascript:alert(1)>",
        ] {
            let html = render(link);
            assert!(!html.to_lowercase().contains("href=\"javascript"), "{html}");
            assert!(!html.contains("href=\"data"), "{html}");
        }
        let html = render("![scan](https://example.org/x.png) [guide](https://example.org)");
        assert!(!html.contains("<img") && !html.contains("x.png"), "{html}");
        assert!(
            html.contains("rel=\"nofollow noopener noreferrer\""),
            "{html}"
        );
        assert_eq!(r("https://x\"onclick=\"y"), "<p>https://x\"onclick=\"y</p>");
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in [
            "",
            "*",
            "**",
            "`",
            "[",
            "[](",
            "[a](",
            "_",
            "h",
            "http",
            "https://",
            "- ",
            "\n\n",
            "é**ü`ö",
            "**a*b**c*",
            "[[[(((",
            "<",
            "<!--",
            "<div>\n\nx",
            "https://é",
            "| a |",
        ] {
            let _ = render(s);
        }
    }

    #[test]
    fn one_escaper() {
        assert_eq!(
            escape("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
    }
}
