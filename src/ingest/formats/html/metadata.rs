//! The page's metadata, best source first: JSON-LD `NewsArticle`/`Article`,
//! then Open Graph, `article:` and other `<meta>` tags, then the page itself
//! (`<time datetime>`, canonical link, `<title>` with the site name taken
//! off, `<html lang>`).
//!
//! This module reads metadata only; the main text is `extract`'s job, and so
//! is the byline element in the page, as only the walk that finds the
//! article knows which bylines belong to comments.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use scraper::Html;
use serde_json::Value;

use super::normalize;

/// What the page says about itself.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Metadata {
    pub title: String,
    pub authors: Vec<String>,
    pub published: Option<DateTime<Utc>>,
    pub url: Option<String>,
    pub source: Option<String>,
    pub language: Option<String>,
    pub description: Option<String>,
    /// JSON-LD or `og:type` says the page is an article.
    pub declares_article: bool,
}

/// Schema.org types that are articles (or close enough to carry a headline,
/// an author and a date).
const ARTICLE_TYPES: &[&str] = &[
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "askpublicnewsarticle",
    "blogposting",
    "liveblogposting",
    "socialmediaposting",
    "techarticle",
    "scholarlyarticle",
    "report",
];

/// The fields gathered in one pass over the page, before choosing.
#[derive(Default)]
struct Gathered {
    ld: LdArticle,
    /// `<meta>` name/property/itemprop (lowercased) and content, in page order.
    metas: Vec<(String, String)>,
    canonical: Option<String>,
    lang: Option<String>,
    title_tag: Option<String>,
    time_datetime: Option<String>,
    headings: Vec<String>,
}

#[derive(Default)]
struct LdArticle {
    found: bool,
    headline: Option<String>,
    name: Option<String>,
    authors: Vec<String>,
    published: Option<String>,
    publisher: Option<String>,
    url: Option<String>,
    language: Option<String>,
    description: Option<String>,
}

/// Reads the metadata of a parsed page.
pub fn read(doc: &Html) -> Metadata {
    let g = gather(doc);
    let meta = |keys: &[&str]| -> Option<String> {
        keys.iter().find_map(|key| {
            g.metas
                .iter()
                .find(|(k, v)| k == key && !v.is_empty())
                .map(|(_, v)| v.clone())
        })
    };

    let site_name = meta(&["og:site_name", "application-name"]).or_else(|| g.ld.publisher.clone());
    // A JSON-LD "name" that is the publisher's is not the headline.
    let is_site = |t: &String| {
        [site_name.as_deref(), g.ld.publisher.as_deref()]
            .into_iter()
            .flatten()
            .any(|s| fold(s) == fold(t))
    };

    let ld_title = match (&g.ld.headline, &g.ld.name) {
        (Some(h), Some(n)) if h != n => {
            // Pick the one that looks like the page title, as the two are
            // sometimes the headline and the site's name.
            let tag = g.title_tag.as_deref().unwrap_or("");
            if similarity(n, tag) > similarity(h, tag) {
                Some(n.clone())
            } else {
                Some(h.clone())
            }
        }
        (Some(h), _) => Some(h.clone()),
        (None, Some(n)) => Some(n.clone()),
        (None, None) => None,
    }
    .filter(|t| !is_site(t));
    let title = ld_title
        .or_else(|| {
            meta(&[
                "dc:title",
                "dc.title",
                "dcterm:title",
                "dcterms.title",
                "og:title",
                "weibo:article:title",
                "weibo:webpage:title",
                "title",
                "twitter:title",
                "parsely-title",
            ])
        })
        .map(|t| normalize(&t))
        .filter(|t| !t.is_empty())
        .or_else(|| {
            g.title_tag
                .as_deref()
                .map(|t| title_without_site(t, site_name.as_deref(), &g.headings))
        })
        .unwrap_or_default();

    let mut authors = g.ld.authors.clone();
    if authors.is_empty() {
        // Every value of the first key present: pages list co-authors as
        // repeated `DC.Creator` tags.
        for key in [
            "dc:creator",
            "dc.creator",
            "dcterm:creator",
            "dcterms.creator",
            "author",
            "parsely-author",
            "article:author",
            "og:article:author",
            "byl",
            "sailthru.author",
        ] {
            for (_, v) in g
                .metas
                .iter()
                .filter(|(k, v)| k == key && !looks_like_url(v))
            {
                authors.extend(split_authors(v));
            }
            if !authors.is_empty() {
                break;
            }
        }
    }

    let published =
        g.ld.published
            .iter()
            .cloned()
            .chain(meta(&[
                "article:published_time",
                "article:published",
                "datepublished",
                "og:published_time",
                "parsely-pub-date",
                "sailthru.date",
                "dc.date",
                "dc.date.issued",
                "dcterms.created",
                "pubdate",
                "publish-date",
                "date",
            ]))
            .chain(g.time_datetime.clone())
            .find_map(|s| parse_date(&s));

    let url = g
        .canonical
        .clone()
        .or_else(|| meta(&["og:url", "twitter:url"]))
        .or_else(|| g.ld.url.clone())
        .filter(|u| u.starts_with("http"));
    let source = site_name
        .map(|s| normalize(&s))
        .filter(|s| !s.is_empty())
        .or_else(|| url.as_deref().and_then(host));
    let language = g
        .lang
        .clone()
        .or_else(|| meta(&["content-language", "og:locale", "language"]))
        .or_else(|| g.ld.language.clone())
        .and_then(|l| language_code(&l));
    let description =
        g.ld.description
            .clone()
            .or_else(|| meta(&["description", "og:description", "twitter:description"]))
            .map(|d| normalize(&d));
    let declares_article =
        g.ld.found || meta(&["og:type"]).is_some_and(|t| t.eq_ignore_ascii_case("article"));

    Metadata {
        title,
        authors,
        published,
        url,
        source,
        language,
        description,
        declares_article,
    }
}

/// One pass over the elements, collecting every candidate source.
fn gather(doc: &Html) -> Gathered {
    let mut g = Gathered::default();
    let root = doc.root_element();
    if let Some(lang) = root.attr("lang").or_else(|| root.attr("xml:lang")) {
        g.lang = Some(lang.to_string());
    }
    let mut in_body_title_seen = false;
    for el in root.descendent_elements() {
        let e = el.value();
        match e.name() {
            "meta" => {
                let key = e
                    .attr("property")
                    .or_else(|| e.attr("name"))
                    .or_else(|| e.attr("itemprop"))
                    .or_else(|| e.attr("http-equiv"));
                if let (Some(key), Some(content)) = (key, e.attr("content")) {
                    // `property` may hold several space-separated names.
                    for k in key.split_whitespace() {
                        g.metas
                            .push((k.to_ascii_lowercase(), content.trim().to_string()));
                    }
                }
            }
            "link" => {
                let rel = e.attr("rel").unwrap_or("");
                if g.canonical.is_none()
                    && rel
                        .split_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("canonical"))
                    && let Some(href) = e.attr("href")
                {
                    g.canonical = Some(href.trim().to_string());
                }
            }
            "title" if g.title_tag.is_none() && !in_body_title_seen => {
                // The document title, not an SVG <title> in the body.
                if el.ancestors().any(|a| {
                    a.value()
                        .as_element()
                        .is_some_and(|p| p.name() == "svg" || p.name() == "body")
                }) {
                    in_body_title_seen = true;
                    continue;
                }
                let t = normalize(&el.text().collect::<String>());
                if !t.is_empty() {
                    g.title_tag = Some(t);
                }
            }
            "script"
                if e.attr("type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")) =>
            {
                let text: String = el.text().collect();
                read_json_ld(&text, &mut g.ld);
            }
            "time" => {
                if g.time_datetime.is_none()
                    && let Some(dt) = e.attr("datetime")
                {
                    g.time_datetime = Some(dt.to_string());
                }
            }
            "h1" | "h2" if g.headings.len() < 32 => {
                let t = normalize(&el.text().collect::<String>());
                if !t.is_empty() {
                    g.headings.push(t);
                }
            }
            _ => {}
        }
    }
    g
}

/// Parses one JSON-LD block and keeps the first article object in it.
fn read_json_ld(text: &str, ld: &mut LdArticle) {
    if ld.found {
        return;
    }
    let text = text
        .trim()
        .trim_start_matches("<![CDATA[")
        .trim_end_matches("]]>")
        .trim();
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return;
    };
    if let Some(obj) = find_article(&value, 0) {
        ld.found = true;
        ld.headline = str_field(obj, "headline");
        ld.name = str_field(obj, "name");
        ld.published = str_field(obj, "datePublished").or_else(|| str_field(obj, "dateCreated"));
        ld.authors = people(obj.get("author").or_else(|| obj.get("creator")));
        ld.publisher = obj.get("publisher").and_then(name_of);
        ld.url = str_field(obj, "url").or_else(|| match obj.get("mainEntityOfPage") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Object(m)) => m.get("@id").and_then(Value::as_str).map(str::to_string),
            _ => None,
        });
        ld.language = str_field(obj, "inLanguage");
        ld.description = str_field(obj, "description");
    }
}

/// The first object of an article type in a JSON-LD value: the value itself,
/// an array item or an `@graph` member.
fn find_article(value: &Value, depth: usize) -> Option<&serde_json::Map<String, Value>> {
    if depth > 8 {
        return None;
    }
    match value {
        Value::Array(items) => items.iter().find_map(|v| find_article(v, depth + 1)),
        Value::Object(obj) => {
            let is_article = match obj.get("@type") {
                Some(Value::String(t)) => is_article_type(t),
                Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).any(is_article_type),
                _ => false,
            };
            if is_article {
                return Some(obj);
            }
            obj.get("@graph")
                .or_else(|| obj.get("mainEntity"))
                .and_then(|g| find_article(g, depth + 1))
        }
        _ => None,
    }
}

fn is_article_type(t: &str) -> bool {
    let t = t.rsplit('/').next().unwrap_or(t).to_ascii_lowercase();
    ARTICLE_TYPES.contains(&t.as_str())
}

fn str_field(obj: &serde_json::Map<String, Value>, key: &str) -> Option<String> {
    match obj.get(key)? {
        Value::String(s) => Some(normalize(&decode_entities(s))).filter(|s| !s.is_empty()),
        Value::Array(items) => items
            .iter()
            .find_map(Value::as_str)
            .map(|s| normalize(&decode_entities(s))),
        _ => None,
    }
}

/// Author names from a JSON-LD `author`: a string, a Person/Organization
/// object, or an array of either.
fn people(value: Option<&Value>) -> Vec<String> {
    let mut out = Vec::new();
    match value {
        Some(Value::Array(items)) => {
            for item in items {
                if let Some(n) = name_of(item) {
                    out.push(n);
                }
            }
        }
        Some(v) => {
            if let Some(n) = name_of(v) {
                out.push(n);
            }
        }
        None => {}
    }
    out.retain(|n| !n.is_empty() && !looks_like_url(n));
    out.dedup();
    out
}

fn name_of(value: &Value) -> Option<String> {
    let s = match value {
        Value::String(s) => s.as_str(),
        Value::Object(obj) => obj.get("name").and_then(Value::as_str)?,
        _ => return None,
    };
    Some(normalize(&decode_entities(s))).filter(|s| !s.is_empty())
}

/// JSON-LD written by templates often carries HTML entities in its strings.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#039;", "'")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", " ")
}

fn looks_like_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://") || s.starts_with("www.")
}

/// Splits a byline into names: "By A, B and C" gives three.
pub fn split_authors(byline: &str) -> Vec<String> {
    let b = normalize(byline);
    let b = strip_by(&b);
    b.split([',', ';', '|'])
        .flat_map(|part| part.split(" and "))
        .map(|s| strip_by(s.trim()).trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn strip_by(s: &str) -> &str {
    for prefix in ["By ", "by ", "BY ", "Written by ", "Von ", "Par "] {
        if let Some(rest) = s.strip_prefix(prefix) {
            return rest;
        }
    }
    s
}

/// The `<title>` without the site's name: separators split it into parts;
/// a part equal to the site name is dropped; otherwise the parts matching a
/// heading on the page are kept; otherwise the last part goes when what
/// remains still reads as a headline (three words or more).
pub fn title_without_site(title: &str, site: Option<&str>, headings: &[String]) -> String {
    let title = normalize(title);
    let parts = split_title(&title);
    if parts.len() < 2 {
        return title;
    }
    let same = |a: &str, b: &str| fold(a) == fold(b);
    if let Some(site) = site {
        let kept: Vec<&str> = parts.iter().copied().filter(|p| !same(p, site)).collect();
        if !kept.is_empty() && kept.len() < parts.len() {
            return join_parts(&title, &kept);
        }
    }
    // A heading that is the title's leading parts (not its last part alone,
    // which is where sites put their name).
    for h in headings {
        let key = fold(h);
        if key.is_empty() {
            continue;
        }
        for end in 1..parts.len() {
            if fold(&join_parts(&title, &parts[..end])) == key {
                return join_parts(&title, &parts[..end]);
            }
        }
    }
    let first = join_parts(&title, &parts[..parts.len() - 1]);
    if first.split_whitespace().count() >= 3 {
        return first;
    }
    let rest = join_parts(&title, &parts[1..]);
    if rest.split_whitespace().count() >= 3 {
        return rest;
    }
    title
}

/// Splits a title on " | ", " - ", " – ", " — ", " » ", " · ", " • ",
/// " :: ", " / ".
fn split_title(title: &str) -> Vec<&str> {
    const SEPARATORS: &[&str] = &[
        " | ",
        " - ",
        " \u{2013} ",
        " \u{2014} ",
        " \u{bb} ",
        " \u{b7} ",
        " \u{2022} ",
        " :: ",
        " / ",
        " \\ ",
    ];
    let mut parts = vec![title];
    for sep in SEPARATORS {
        parts = parts.into_iter().flat_map(|p| p.split(sep)).collect();
    }
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// Rejoins adjacent title parts with the text between them in the original.
fn join_parts(title: &str, parts: &[&str]) -> String {
    match (parts.first(), parts.last()) {
        (Some(first), Some(last)) => {
            let start = first.as_ptr() as usize - title.as_ptr() as usize;
            let end = last.as_ptr() as usize - title.as_ptr() as usize + last.len();
            if start <= end && end <= title.len() && parts.len() > 1 {
                let contiguous = parts
                    .windows(2)
                    .all(|w| (w[0].as_ptr() as usize) < (w[1].as_ptr() as usize));
                if contiguous {
                    return title[start..end].to_string();
                }
            }
            parts.join(" ")
        }
        _ => String::new(),
    }
}

/// Lowercase alphanumerics only, to compare titles and names.
pub fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Share of `a`'s words found in `b`.
fn similarity(a: &str, b: &str) -> f64 {
    let b_words: Vec<String> = b.split_whitespace().map(fold).collect();
    let a_words: Vec<String> = a.split_whitespace().map(fold).collect();
    if a_words.is_empty() {
        return 0.0;
    }
    let hits = a_words.iter().filter(|w| b_words.contains(w)).count();
    hits as f64 / a_words.len() as f64
}

/// The host of an absolute URL, without `www.`.
fn host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#', ':']).next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// "en-GB", "en_US", "EN" → "en"; anything not a two- or three-letter
/// primary tag gives `None`.
fn language_code(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    (matches!(primary.len(), 2 | 3) && primary.chars().all(|c| c.is_ascii_alphabetic()))
        .then_some(primary)
}

/// Parses the date forms pages use: RFC 3339 with or without a colon in the
/// offset or fractional seconds, RFC 2822, and naive date-times and dates
/// (read as UTC).
pub fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.with_timezone(&Utc));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(s, fmt) {
            return Some(dt.with_timezone(&Utc));
        }
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(s) {
        return Some(dt.with_timezone(&Utc));
    }
    let naive = s.trim_end_matches('Z');
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(naive, fmt) {
            return Some(dt.and_utc());
        }
    }
    let date_part = s.get(..10).unwrap_or(s);
    for fmt in ["%Y-%m-%d", "%Y/%m/%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(date_part, fmt) {
            return d.and_hms_opt(0, 0, 0).map(|dt| dt.and_utc());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_page_forms() {
        let want = |s: &str| parse_date(s).map(|d| d.to_rfc3339());
        assert_eq!(
            want("2021-11-01T10:52:50+0100").as_deref(),
            Some("2021-11-01T09:52:50+00:00")
        );
        assert_eq!(
            want("2015-07-10T09:53:00-04:00").as_deref(),
            Some("2015-07-10T13:53:00+00:00")
        );
        assert_eq!(
            want("2018-04-05T06:00").as_deref(),
            Some("2018-04-05T06:00:00+00:00")
        );
        assert_eq!(
            want("2017-11-03 03:01:00.000000").as_deref(),
            Some("2017-11-03T03:01:00+00:00")
        );
        assert_eq!(
            want("2024-06-25").as_deref(),
            Some("2024-06-25T00:00:00+00:00")
        );
        assert_eq!(
            want("Tue, 1 Jul 2003 10:52:37 +0200").as_deref(),
            Some("2003-07-01T08:52:37+00:00")
        );
        assert_eq!(want("yesterday"), None);
    }

    #[test]
    fn title_site_name_goes() {
        let h = Vec::new();
        assert_eq!(
            title_without_site(
                "Storm closes the bridge | Daily Planet",
                Some("Daily Planet"),
                &h
            ),
            "Storm closes the bridge"
        );
        assert_eq!(
            title_without_site(
                "Daily Planet - Storm closes the bridge",
                Some("Daily Planet"),
                &h
            ),
            "Storm closes the bridge"
        );
        assert_eq!(
            title_without_site("Storm closes the bridge – Planet", None, &h),
            "Storm closes the bridge"
        );
        let h = vec!["Storm - the bridge closes".to_string()];
        assert_eq!(
            title_without_site("Storm - the bridge closes | Planet", None, &h),
            "Storm - the bridge closes"
        );
        assert_eq!(
            title_without_site("Just a title", None, &[]),
            "Just a title"
        );
        assert_eq!(
            title_without_site("Tides turn early this year \u{b7} Harbour Notes", None, &[]),
            "Tides turn early this year"
        );
    }

    #[test]
    fn bylines_split() {
        assert_eq!(
            split_authors("By Ann Lee and Bo Chen"),
            vec!["Ann Lee", "Bo Chen"]
        );
        assert_eq!(
            split_authors("Ann Lee, Bo Chen"),
            vec!["Ann Lee", "Bo Chen"]
        );
    }

    #[test]
    fn language_tags() {
        assert_eq!(language_code("en-GB").as_deref(), Some("en"));
        assert_eq!(language_code("fr_FR").as_deref(), Some("fr"));
        assert_eq!(language_code("x"), None);
    }
}
