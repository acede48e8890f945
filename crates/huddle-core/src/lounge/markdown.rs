//! Lounge posts are CommonMark, rendered with pulldown-cmark and then sanitized by ammonia:
//! raw HTML cannot inject script or style, images are dropped (no remote content loads in
//! a colleague's browser), and links open without passing the page or ranking credit.

use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};

/// Renders a post body to HTML that is safe to embed.
pub fn render(source: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut in_image = 0usize;
    // Images become their alt text, so nothing remote is ever fetched.
    let events = Parser::new_ext(source, options).filter_map(|event| match event {
        Event::Start(Tag::Image { .. }) => {
            in_image += 1;
            None
        }
        Event::End(TagEnd::Image) => {
            in_image = in_image.saturating_sub(1);
            None
        }
        other => Some(other),
    });
    let mut unsafe_html = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut unsafe_html, events);
    ammonia::Builder::default()
        .rm_tags(["img"])
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("nofollow noopener noreferrer"))
        .clean(&unsafe_html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn markdown_becomes_markup() {
        let html = render("**Context**\n\n- one\n- two\n\n`dose`");
        assert!(html.contains("<strong>Context</strong>"));
        assert!(html.contains("<li>one</li>"));
        assert!(html.contains("<code>dose</code>"));
    }

    #[test]
    fn scripts_handlers_and_dangerous_urls_are_removed() {
        let html = render(
            "<script>alert(1)</script><p onclick=\"x()\">hi</p>\n\n[x](javascript:alert(1)) <style>p{}</style>",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(!html.contains("href=\"javascript"), "{html}");
        assert!(!html.contains("<style"), "{html}");
    }

    #[test]
    fn images_never_load_and_links_carry_nofollow_noopener() {
        let html = render("![scan](https://example.org/x.png) <img src=\"https://e.org/y.png\"> [guide](https://example.org)");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("x.png"), "{html}");
        assert!(
            html.contains("rel=\"nofollow noopener noreferrer\""),
            "{html}"
        );
    }
}
