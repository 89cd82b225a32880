//! A cap on how deep a page's elements nest, applied before html5ever sees
//! the page.
//!
//! html5ever checks, for each opening tag, whether elements are "in scope" by
//! walking the stack of open elements, so its work grows with the square of
//! the nesting depth: a 2 MB page of 200,000 nested `<div>`s took minutes.
//! Real pages nest a few dozen deep. Past [`MAX_DEPTH`], opening tags (and as
//! many closing tags) are dropped here in one linear pass; the text between
//! them stays, so the page reads the same with fewer wrappers.

use std::borrow::Cow;

/// The deepest nesting kept.
pub const MAX_DEPTH: usize = 256;

/// Elements that never hold others.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];

/// Elements whose end tag may be left out: the parser closes them itself,
/// so they do not count as nesting (`<p>` after `<p>`, `<li>` after `<li>`).
const SELF_CLOSING_BY_PARSER: &[&str] = &[
    "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "rb", "rt", "rp", "rtc",
    "thead", "tbody", "tfoot", "caption", "colgroup", "html", "head", "body",
];

/// Elements whose content is raw text, read up to their closing tag.
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
];

/// The page with the tags nested deeper than [`MAX_DEPTH`] removed; the page
/// itself (no copy) when nothing nests that deep.
pub fn cap_depth(html: &str) -> Cow<'_, str> {
    let b = html.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut depth = 0usize;
    let mut dropped = 0usize;
    let mut i = 0;
    while let Some(at) = memchr::memchr(b'<', &b[i..]) {
        let start = i + at;
        let rest = &b[start..];
        if rest.starts_with(b"<!--") {
            i = find(b, start + 4, b"-->").map_or(b.len(), |e| e + 3);
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            i = memchr::memchr(b'>', &b[start..]).map_or(b.len(), |e| start + e + 1);
            continue;
        }
        let closing = rest.get(1) == Some(&b'/');
        let name_start = start + 1 + usize::from(closing);
        let name_len = b[name_start..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b':'))
            .count();
        if name_len == 0 || !b[name_start].is_ascii_alphabetic() {
            i = start + 1;
            continue;
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        let end = tag_end(b, name_start + name_len);
        let self_closed = !closing && end >= 2 && b[end - 2] == b'/';
        let nests = !VOID.contains(&name.as_str())
            && !SELF_CLOSING_BY_PARSER.contains(&name.as_str())
            && !self_closed;
        let mut drop = false;
        if nests && closing {
            if dropped > 0 {
                dropped -= 1;
                drop = true;
            } else {
                depth = depth.saturating_sub(1);
            }
        } else if nests {
            if depth >= MAX_DEPTH {
                dropped += 1;
                drop = true;
            } else {
                depth += 1;
            }
        }
        if drop {
            let out = out.get_or_insert_with(|| String::with_capacity(html.len()));
            out.push_str(&html[copied..start]);
            copied = end;
        }
        i = end;
        if !closing && RAW_TEXT.contains(&name.as_str()) {
            // Skip to the closing tag: "<div>" inside a script is text.
            let close = format!("</{name}");
            i = find_ascii_ci(b, i, close.as_bytes()).unwrap_or(b.len());
        }
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut out) => {
            out.push_str(&html[copied..]);
            Cow::Owned(out)
        }
    }
}

/// Just past the `>` closing a tag whose name ends at `from`, stepping over
/// quoted attribute values (`title="a > b"`).
fn tag_end(b: &[u8], from: usize) -> usize {
    let mut quote = None;
    for (k, &c) in b[from..].iter().enumerate() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(c),
            (None, b'>') => return from + k + 1,
            _ => {}
        }
    }
    b.len()
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

fn find_ascii_ci(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The deepest nesting of `<div>`s in a page.
    fn div_depth(html: &str) -> usize {
        let (mut depth, mut max) = (0usize, 0usize);
        for piece in html.split('<') {
            if piece.starts_with("div") {
                depth += 1;
                max = max.max(depth);
            } else if piece.starts_with("/div") {
                depth -= 1;
            }
        }
        max
    }

    #[test]
    fn ordinary_pages_pass_untouched() {
        let page = "<!DOCTYPE html><html><head><title>a <div> b</title>\
                    <script>if (a<b) { x = '<div>'; }</script></head><body>\
                    <!-- <div><div> --><div class=\"a>b\"><p>One<p>Two<br>\
                    <img src=x /><ul><li>a<li>b</ul></div></body></html>";
        assert!(matches!(cap_depth(page), Cow::Borrowed(_)));
    }

    #[test]
    fn deep_nesting_is_cut_at_the_cap_and_the_text_kept() {
        let n = 10 * MAX_DEPTH;
        let page = format!(
            "<html><body>{}<p>Deep text.</p>{}</body></html>",
            "<div>".repeat(n),
            "</div>".repeat(n)
        );
        let capped = cap_depth(&page);
        assert_eq!(div_depth(&capped), MAX_DEPTH);
        assert_eq!(capped.matches("<div>").count(), MAX_DEPTH);
        assert_eq!(capped.matches("</div>").count(), MAX_DEPTH);
        assert!(capped.contains("<p>Deep text.</p>"));
    }

    #[test]
    fn text_between_dropped_tags_stays() {
        let n = MAX_DEPTH + 3;
        let page: String =
            (0..n).map(|i| format!("<span>w{i} ")).collect::<String>() + &"</span>".repeat(n);
        let capped = cap_depth(&page);
        for i in 0..n {
            assert!(capped.contains(&format!("w{i} ")), "w{i}");
        }
        assert_eq!(capped.matches("<span>").count(), MAX_DEPTH);
    }
}
