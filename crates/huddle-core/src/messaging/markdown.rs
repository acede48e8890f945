//! The markdown subset of messages, rendered to HTML that is safe to embed: everything is
//! escaped first, and only these constructs become markup:
//! `**bold**`, `*italic*` or `_italic_`, `` `code` ``, `[text](https://…)` and bare
//! `https://…` links, `- ` bullet lines, and line breaks. No raw HTML, no images, no
//! other URL schemes.

/// Renders a message body.
pub fn render(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut in_list = false;
    for (i, line) in text.lines().enumerate() {
        if let Some(item) = line.strip_prefix("- ") {
            if !in_list {
                out.push_str("<ul>");
                in_list = true;
            }
            out.push_str("<li>");
            inline(item, &mut out);
            out.push_str("</li>");
            continue;
        }
        if in_list {
            out.push_str("</ul>");
            in_list = false;
        } else if i > 0 {
            out.push_str("<br>");
        }
        inline(line, &mut out);
    }
    if in_list {
        out.push_str("</ul>");
    }
    out
}

fn escape_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// A link target we allow: http(s) only, no quotes or spaces.
fn safe_url(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() > 8
        && !url.chars().any(|c| {
            c.is_whitespace() || c == '"' || c == '\'' || c == '<' || c == '>' || c.is_control()
        })
}

fn link(url: &str, text: &str, out: &mut String) {
    out.push_str("<a href=\"");
    escape_into(url, out);
    out.push_str("\" rel=\"noopener noreferrer nofollow\">");
    escape_into(text, out);
    out.push_str("</a>");
}

/// Finds `close` in `chars` from `from`, returning its index.
fn find(chars: &[char], from: usize, close: &[char]) -> Option<usize> {
    (from..chars.len()).find(|&i| chars[i..].starts_with(close))
}

fn inline(line: &str, out: &mut String) {
    let chars: Vec<char> = line.chars().collect();
    let text = |a: usize, b: usize| {
        chars
            .get(a..b)
            .map(|s| s.iter().collect::<String>())
            .unwrap_or_default()
    };
    let mut i = 0;
    while i < chars.len() {
        let rest = &chars[i..];
        // `code`: no formatting inside.
        if rest[0] == '`' {
            if let Some(end) = find(&chars, i + 1, &['`']).filter(|&e| e > i + 1) {
                out.push_str("<code>");
                escape_into(&text(i + 1, end), out);
                out.push_str("</code>");
                i = end + 1;
                continue;
            }
        }
        // **bold**
        if rest.starts_with(&['*', '*']) {
            if let Some(end) = find(&chars, i + 2, &['*', '*']).filter(|&e| e > i + 2) {
                out.push_str("<strong>");
                inline(&text(i + 2, end), out);
                out.push_str("</strong>");
                i = end + 2;
                continue;
            }
        }
        // *italic* or _italic_
        if rest[0] == '*' || rest[0] == '_' {
            let mark = rest[0];
            let word_start = i == 0 || !chars[i - 1].is_alphanumeric();
            if let Some(end) = find(&chars, i + 1, &[mark]).filter(|&e| e > i + 1 && word_start) {
                out.push_str("<em>");
                inline(&text(i + 1, end), out);
                out.push_str("</em>");
                i = end + 1;
                continue;
            }
        }
        // [text](url)
        if rest[0] == '[' {
            if let Some(close) = find(&chars, i + 1, &[']', '(']) {
                if let Some(end) = find(&chars, close + 2, &[')']) {
                    let url = text(close + 2, end);
                    if safe_url(&url) {
                        link(&url, &text(i + 1, close), out);
                        i = end + 1;
                        continue;
                    }
                }
            }
        }
        // bare links
        if rest.starts_with(&['h', 't', 't', 'p']) && (i == 0 || chars[i - 1].is_whitespace()) {
            let end = (i..chars.len())
                .find(|&j| chars[j].is_whitespace())
                .unwrap_or(chars.len());
            let mut url = text(i, end);
            // Sentence punctuation after a link is not part of it.
            let trailing: usize = url
                .chars()
                .rev()
                .take_while(|c| ".,;:!?)".contains(*c))
                .count();
            let keep = url.chars().count() - trailing;
            url = url.chars().take(keep).collect();
            if safe_url(&url) {
                link(&url, &url, out);
                i += keep;
                continue;
            }
        }
        escape_into(&rest[0].to_string(), out);
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_the_subset() {
        assert_eq!(
            render("**K 6.1** is *high*"),
            "<strong>K 6.1</strong> is <em>high</em>"
        );
        assert_eq!(render("run `recheck` now"), "run <code>recheck</code> now");
        assert_eq!(render("line one\nline two"), "line one<br>line two");
        assert_eq!(
            render("To do:\n- redraw\n- call back"),
            "To do:<ul><li>redraw</li><li>call back</li></ul>"
        );
        assert_eq!(
            render("see https://example.org/guide."),
            "see <a href=\"https://example.org/guide\" rel=\"noopener noreferrer nofollow\">https://example.org/guide</a>."
        );
        assert_eq!(
            render("[protocol](https://example.org/p)"),
            "<a href=\"https://example.org/p\" rel=\"noopener noreferrer nofollow\">protocol</a>"
        );
        assert_eq!(render("snake_case_name stays"), "snake_case_name stays");
    }

    #[test]
    fn nothing_else_becomes_markup() {
        assert_eq!(
            render("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            render("[x](javascript:alert(1))"),
            "[x](javascript:alert(1))"
        );
        assert_eq!(render("**<b>**"), "<strong>&lt;b&gt;</strong>");
        assert_eq!(render("`<i>`"), "<code>&lt;i&gt;</code>");
        assert_eq!(render("\" onmouseover=\"x"), "&quot; onmouseover=&quot;x");
        assert_eq!(
            render("https://x\"onclick=\"y"),
            "https://x&quot;onclick=&quot;y"
        );
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
        ] {
            let _ = render(s);
        }
    }
}
