//! Turning a saved page's bytes into text: the byte-order mark first, then a
//! charset declared in a `<meta>` tag near the top (or an XHTML page's XML
//! prolog), then UTF-8 when the bytes are valid UTF-8, else Windows-1252
//! (what browsers assume for old Western pages). One exception to the
//! declaration: bytes that are valid UTF-8 with non-ASCII in them are read
//! as UTF-8, as re-saved pages keep a stale declaration. Labels go through
//! the WHATWG table, so `iso-8859-1` and `latin1` decode as Windows-1252, as
//! browsers do.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// How far into the file a `<meta charset>` declaration is looked for. The
/// HTML standard says 1024 bytes; real pages put long scripts and comments
/// first, so look further.
const PRESCAN_BYTES: usize = 8192;

/// Decodes `bytes`, giving the text and the encoding used.
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, &'static Encoding) {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return (text, encoding);
    }
    if let Some(encoding) = declared(bytes) {
        // Pages re-saved by a browser or a tool often come out as UTF-8
        // with their old declaration left in place. Text in another
        // encoding that has non-ASCII bytes is almost never valid UTF-8 by
        // chance, so valid UTF-8 wins over a declaration.
        if encoding != UTF_8
            && !bytes.is_ascii()
            && let Ok(text) = std::str::from_utf8(bytes)
        {
            return (Cow::Borrowed(text), UTF_8);
        }
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        return (text, encoding);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), UTF_8),
        Err(_) => {
            let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
            (text, WINDOWS_1252)
        }
    }
}

/// The encoding a `<meta charset=...>` or `<meta http-equiv="Content-Type"
/// content="...; charset=...">` near the top of the page declares, or the
/// `<?xml ... encoding="..."?>` prolog of an XHTML page.
pub fn declared(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    if let Some(prolog) = trim_start(&lower).strip_prefix(b"<?xml") {
        let end = find(prolog, b"?>").unwrap_or(prolog.len());
        if let Some(encoding) = label_after(&prolog[..end], b"encoding") {
            return Some(encoding);
        }
    }
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"<meta") {
        let start = from + pos + 5;
        let end = find(&lower[start..], b">").map_or(lower.len(), |e| start + e);
        if let Some(encoding) = charset_in_tag(&lower[start..end]) {
            return Some(encoding);
        }
        from = end;
    }
    None
}

/// The charset label inside the attributes of one `<meta` tag, if any.
fn charset_in_tag(tag: &[u8]) -> Option<&'static Encoding> {
    label_after(tag, b"charset")
}

/// The encoding named by `key=label` (quoted or not) in `text`.
fn label_after(text: &[u8], key: &[u8]) -> Option<&'static Encoding> {
    let pos = find(text, key)?;
    let rest = &text[pos + key.len()..];
    let rest = trim_start(rest);
    let rest = trim_start(rest.strip_prefix(b"=")?);
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let len = rest
        .iter()
        .position(|&b| matches!(b, b'"' | b'\'' | b';' | b'/' | b'>') || b.is_ascii_whitespace())
        .unwrap_or(rest.len());
    let encoding = Encoding::for_label(&rest[..len])?;
    // A page that reached us as bytes cannot really be UTF-16 when its
    // declaration is readable as ASCII; the standard says treat it as UTF-8.
    if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
        return Some(UTF_8);
    }
    if encoding == encoding_rs::X_USER_DEFINED {
        return Some(WINDOWS_1252);
    }
    Some(encoding)
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let skip = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[skip..]
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_charset_windows_1252() {
        let page =
            b"<html><head><meta charset=\"windows-1252\"></head><body>caf\xe9 \xa35</body></html>";
        let (text, encoding) = decode(page);
        assert_eq!(encoding, WINDOWS_1252);
        assert!(text.contains("caf\u{e9} \u{a3}5"));
    }

    #[test]
    fn http_equiv_latin1() {
        let page = b"<html><head><META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=ISO-8859-1'></head><body>na\xefve</body></html>";
        let (text, encoding) = decode(page);
        assert_eq!(encoding, WINDOWS_1252);
        assert!(text.contains("na\u{ef}ve"));
    }

    #[test]
    fn xml_prolog_encoding() {
        let page =
            b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<html><p>gar\xe7on</p></html>";
        let (text, encoding) = decode(page);
        assert_eq!(encoding, WINDOWS_1252);
        assert!(text.contains("gar\u{e7}on"));
    }

    #[test]
    fn iso_8859_2_declared() {
        let page = b"<meta charset=iso-8859-2><p>\xb1</p>";
        let (text, encoding) = decode(page);
        assert_eq!(encoding.name(), "ISO-8859-2");
        assert!(text.contains('\u{105}'));
    }

    #[test]
    fn resaved_utf8_page_beats_stale_declaration() {
        let page = "<meta charset=gb2312><p>人工智能 café</p>".as_bytes();
        let (text, encoding) = decode(page);
        assert_eq!(encoding, UTF_8);
        assert!(text.contains("人工智能 café"));
    }

    #[test]
    fn bom_wins_over_meta() {
        let mut page = vec![0xEF, 0xBB, 0xBF];
        page.extend_from_slice("<meta charset=windows-1252><p>é</p>".as_bytes());
        let (text, encoding) = decode(&page);
        assert_eq!(encoding, UTF_8);
        assert!(text.starts_with("<meta") && text.contains('é'));
    }

    #[test]
    fn undeclared_falls_back_to_utf8_then_1252() {
        assert_eq!(decode("<p>é</p>".as_bytes()).1, UTF_8);
        let (text, encoding) = decode(b"<p>\xe9</p>");
        assert_eq!(encoding, WINDOWS_1252);
        assert_eq!(text, "<p>é</p>");
    }
}
