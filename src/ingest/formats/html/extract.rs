//! Main-text extraction in the spirit of reader modes.
//!
//! One walk over the page's body cuts its text into blocks (paragraphs,
//! headings, list items, cells, text runs in containers) and sums, for every
//! element, the text and link text below it. Paragraph-like blocks then score
//! their parent and grandparents by length and commas; markup cues
//! (`class`/`id` words such as article/content against comment/share/sidebar)
//! raise or lower an element's score, and link density lowers it. The best
//! element, with those of its siblings that score close to it, holds the
//! article: its blocks are kept in order, minus sub-containers that look like
//! boilerplate (link-heavy, cue words, forms). Figure captions come out apart.
//!
//! When skipping furniture by its cue words on the first walk leaves under
//! 500 characters, a second walk keeps everything and the longer result wins
//! (a page whose wrapper has "comments" in its class).
//!
//! Everything is linear in the page size: element statistics are summed on
//! the way up the one walk, scores reach five ancestors at most, and one
//! top-down pass places every block inside or outside the article.
//!
//! This module owns the body text; titles, dates and authors are `metadata`'s.

use std::collections::{HashMap, HashSet};

use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node};

use super::metadata::fold;
use super::normalize;

/// What the page's main text is.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Extracted {
    pub standfirst: String,
    pub body: Vec<String>,
    pub captions: Vec<String>,
    /// The page reads as an article: enough long paragraphs in one place.
    pub readerable: bool,
    /// The text of the first byline element met outside page furniture.
    pub byline: Option<String>,
    /// The extractor judged the page is no article (its best part was a
    /// sliver of its prose), whatever the page says about itself.
    pub sliver: bool,
}

/// Elements dropped with everything inside them.
#[rustfmt::skip]
fn is_dropped_tag(tag: &str) -> bool {
    matches!(
        tag,
        "script" | "style" | "noscript" | "template" | "nav" | "aside" | "footer"
            | "iframe" | "svg" | "canvas" | "button" | "select" | "input" | "textarea"
            | "object" | "embed" | "video" | "audio" | "map" | "dialog" | "head" | "link"
            | "meta" | "label" | "option"
    )
}

/// Elements that start a new block of text.
#[rustfmt::skip]
fn is_block_tag(tag: &str) -> bool {
    matches!(
        tag,
        "address" | "article" | "blockquote" | "body" | "center" | "dd" | "details"
            | "div" | "dl" | "dt" | "fieldset" | "figcaption" | "figure" | "form" | "h1"
            | "h2" | "h3" | "h4" | "h5" | "h6" | "header" | "hgroup" | "hr" | "li"
            | "main" | "ol" | "p" | "pre" | "section" | "summary" | "table" | "tbody"
            | "thead" | "tfoot" | "tr" | "td" | "th" | "ul" | "caption" | "html" | "menu"
    )
}

/// ARIA roles of page furniture.
#[rustfmt::skip]
const DROPPED_ROLES: &[&str] = &[
    "navigation", "menu", "menubar", "complementary", "alert", "alertdialog", "dialog",
    "contentinfo", "search",
];

/// Cue words in `class`/`id` that mark the article.
const POSITIVE: &[&str] = &[
    "article", "content", "story", "body", "main", "post", "entry", "hentry", "text", "blog",
    "column",
];

/// Cue words that mark furniture around the article.
#[rustfmt::skip]
const NEGATIVE: &[&str] = &[
    "comment", "share", "sharing", "social", "nav", "menu", "footer", "sidebar", "related",
    "promo", "cookie", "consent", "gdpr", "subscribe", "newsletter", "signup", "advert",
    "sponsor", "banner", "breadcrumb", "pagination", "pager", "popup", "modal", "widget",
    "masthead", "outbrain", "taboola", "recommend", "trending", "popular", "shoutbox",
    "combx", "disqus", "login", "skyscraper", "community", "remark", "replies", "rss",
    "agegate", "supplemental", "tags", "ad", "ads", "hidden", "print", "byline", "toolbar",
];

/// Negative cues a positive word does not excuse ("article-comments" are
/// still comments).
#[rustfmt::skip]
const STRONG_NEGATIVE: &[&str] = &[
    "comment", "social", "cookie", "consent", "gdpr", "subscribe", "newsletter", "signup",
    "outbrain", "taboola", "related", "recommend", "promo", "popup", "modal", "breadcrumb",
    "sponsor", "advert", "disqus", "trending",
];

/// Cue words of furniture skipped on the first walk unless a positive word
/// is there too. Narrower than [`NEGATIVE`]: "share" or "tags" in an id
/// ("sharing-with-a-team") lowers a score but is no reason to skip.
#[rustfmt::skip]
const UNLIKELY: &[&str] = &[
    "comment", "social", "nav", "menu", "footer", "foot", "sidebar", "related", "promo",
    "cookie", "consent", "gdpr", "subscribe", "newsletter", "signup", "advert", "sponsor",
    "banner", "breadcrumb", "pagination", "pager", "popup", "modal", "masthead", "outbrain",
    "taboola", "recommend", "trending", "shoutbox", "combx", "disqus", "skyscraper",
    "community", "remark", "replies", "rss", "agegate", "supplemental", "ad", "ads",
    "header", "extra", "legends",
];

/// Cue words of a summary paragraph under the headline.
#[rustfmt::skip]
const STANDFIRST: &[&str] = &[
    "standfirst", "dek", "deck", "summary", "lede", "lead", "intro", "subtitle", "subhead",
    "teaser", "excerpt", "description", "abstract", "strapline", "kicker",
];

/// One element of the body, with the sums of the text below it.
struct El<'a> {
    tag: &'a str,
    parent: Option<usize>,
    first_child: Option<usize>,
    next_sibling: Option<usize>,
    last_child: Option<usize>,
    class: &'a str,
    /// Markup cue weight: +25 article-like, -25 furniture-like.
    weight: f64,
    strong_negative: bool,
    caption: bool,
    standfirst_cue: bool,
    text_len: usize,
    link_len: usize,
    commas: usize,
    p_count: usize,
    img_count: usize,
    input_count: usize,
    /// Children holding some text.
    text_children: usize,
    score: f64,
    scored: bool,
    included: bool,
    is_link: bool,
}

/// A run of text between block boundaries.
struct Block {
    owner: usize,
    text: String,
    len: usize,
    link_len: usize,
}

/// Options of one walk: the first one skips unlikely furniture by its cue
/// words; when that leaves too little, a second walk keeps everything.
#[derive(Clone, Copy)]
struct Pass {
    skip_unlikely: bool,
}

/// Extracts the main text of a page. `title` and `authors` (from the
/// metadata) let the headline and byline be dropped from the body.
pub fn extract(doc: &Html, title: &str, authors: &[String]) -> Extracted {
    let first = run(
        doc,
        title,
        authors,
        Pass {
            skip_unlikely: true,
        },
    );
    if chars(&first) >= 500 {
        return first;
    }
    let second = run(
        doc,
        title,
        authors,
        Pass {
            skip_unlikely: false,
        },
    );
    if chars(&second) > chars(&first) {
        second
    } else {
        first
    }
}

/// Bytes of body text, to compare two walks' results.
fn chars(e: &Extracted) -> usize {
    e.body.iter().map(|p| p.len()).sum::<usize>() + e.standfirst.len()
}

/// One walk and what it gives.
fn run(doc: &Html, title: &str, authors: &[String], pass: Pass) -> Extracted {
    let (mut els, blocks, byline) = walk(doc, pass);
    if els.is_empty() {
        return Extracted::default();
    }
    let mut out = choose(&mut els, &blocks, title, authors);
    out.byline = byline;
    out
}

/// Scores the elements, picks the article's and gathers its blocks.
fn choose(els: &mut [El<'_>], blocks: &[Block], title: &str, authors: &[String]) -> Extracted {
    score(els, blocks);
    let readerable = readerable(els, blocks);
    let Some((top, best)) = pick_top(els) else {
        return fallback(els, blocks, title, readerable);
    };
    include_siblings(els, top);
    include_twins(els, best);
    let mut out = assemble(els, blocks, title, authors);
    out.readerable = readerable;
    // A page whose chosen part is a sliver of its prose (a front page of
    // teasers) is no article: index what prose it has instead.
    let kept: usize = out.body.iter().map(|p| p.len()).sum();
    let prose: usize = blocks
        .iter()
        .filter(|b| b.link_len * 2 <= b.len)
        .map(|b| b.text.len())
        .sum();
    if out.body.is_empty() {
        return fallback(els, blocks, title, readerable);
    }
    if kept < 300 && prose > 3000 {
        let mut all = fallback(els, blocks, title, false);
        all.sliver = true;
        return all;
    }
    out
}

/// When no element stands out, keep every block that is not mostly links.
fn fallback(els: &[El<'_>], blocks: &[Block], title: &str, readerable: bool) -> Extracted {
    let mut out = Extracted {
        readerable,
        ..Default::default()
    };
    let mut seen: HashSet<&str> = HashSet::new();
    let title_key = fold(title);
    for b in blocks {
        if b.link_len * 2 > b.len || fold(&b.text) == title_key {
            continue;
        }
        if !seen.insert(&b.text) && b.len < 40 {
            continue;
        }
        if is_caption(els, b.owner) {
            out.captions.push(b.text.clone());
        } else {
            out.body.push(b.text.clone());
        }
    }
    out
}

/// The walk: elements with their text sums, and the blocks in page order.
fn walk<'a>(doc: &'a Html, pass: Pass) -> (Vec<El<'a>>, Vec<Block>, Option<String>) {
    let root = doc
        .root_element()
        .descendent_elements()
        .find(|e| e.value().name() == "body")
        .unwrap_or_else(|| doc.root_element());

    let mut els: Vec<El<'a>> = Vec::new();
    let mut blocks: Vec<Block> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    // Open block-level elements: the innermost one owns the text being read.
    let mut block_stack: Vec<usize> = Vec::new();
    let mut skip_depth = 0usize;
    let mut link_depth = 0usize;
    let mut buf = String::new();
    let mut buf_link = 0usize;
    let mut br_pending = false;
    let mut byline: Option<String> = None;
    let mut cue_cache: HashMap<&str, Cues> = HashMap::new();

    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(e) => {
                    if skip_depth > 0 {
                        skip_depth += 1;
                        continue;
                    }
                    let tag = e.name();
                    let class = e.attr("class").unwrap_or("");
                    let id = e.attr("id").unwrap_or("");
                    // Pages repeat their class names: read each once.
                    let cues = if id.is_empty() {
                        *cue_cache.entry(class).or_insert_with(|| cues(class, ""))
                    } else {
                        cues(class, id)
                    };
                    if is_byline_element(e, cues)
                        && let Some(el) = ElementRef::wrap(node)
                        && let Some(text) = short_text(el, 100)
                    {
                        // The byline is metadata, not body text.
                        byline.get_or_insert(text);
                        skip_depth = 1;
                        continue;
                    }
                    if is_dropped(tag, e, node, cues, pass) {
                        skip_depth = 1;
                        continue;
                    }
                    let is_block = is_block_tag(tag);
                    if is_block {
                        if let Some(&owner) = block_stack.last() {
                            flush(&mut buf, &mut buf_link, owner, &mut blocks, &mut els);
                        }
                        br_pending = false;
                    }
                    if tag == "br" {
                        if br_pending {
                            if let Some(&owner) = block_stack.last() {
                                flush(&mut buf, &mut buf_link, owner, &mut blocks, &mut els);
                            }
                            br_pending = false;
                        } else {
                            buf.push(' ');
                            br_pending = true;
                        }
                    }
                    let idx = els.len();
                    let parent = stack.last().copied();
                    let el = new_el(tag, class, cues, parent);
                    els.push(el);
                    if let Some(p) = parent {
                        match els[p].last_child {
                            Some(last) => els[last].next_sibling = Some(idx),
                            None => els[p].first_child = Some(idx),
                        }
                        els[p].last_child = Some(idx);
                    }
                    stack.push(idx);
                    if is_block {
                        block_stack.push(idx);
                    }
                    if tag == "a"
                        && !e
                            .attr("href")
                            .is_some_and(|h| h.trim_start().starts_with("javascript:"))
                    {
                        els[idx].is_link = true;
                        link_depth += 1;
                    }
                }
                Node::Text(t) => {
                    if skip_depth > 0 || stack.is_empty() {
                        continue;
                    }
                    let text: &str = t;
                    if link_depth > 0 {
                        buf_link += text.chars().filter(|c| !c.is_whitespace()).count();
                    }
                    if br_pending && !text.trim().is_empty() {
                        br_pending = false;
                    }
                    buf.push_str(text);
                }
                _ => {}
            },
            Edge::Close(node) => {
                let Node::Element(e) = node.value() else {
                    continue;
                };
                if skip_depth > 0 {
                    skip_depth -= 1;
                    continue;
                }
                let Some(idx) = stack.pop() else {
                    continue;
                };
                let tag = e.name();
                if is_block_tag(tag) {
                    flush(&mut buf, &mut buf_link, idx, &mut blocks, &mut els);
                    block_stack.pop();
                    br_pending = false;
                }
                if els[idx].is_link {
                    link_depth = link_depth.saturating_sub(1);
                }
                if let Some(p) = els[idx].parent {
                    let (t, l, c, pc, ic, inc) = {
                        let c = &els[idx];
                        (
                            c.text_len,
                            c.link_len,
                            c.commas,
                            c.p_count,
                            c.img_count,
                            c.input_count,
                        )
                    };
                    let parent = &mut els[p];
                    parent.text_len += t;
                    parent.link_len += l;
                    parent.commas += c;
                    parent.p_count += pc;
                    parent.img_count += ic;
                    parent.input_count += inc;
                    if t > 0 {
                        parent.text_children += 1;
                    }
                }
            }
        }
    }
    if let Some(&owner) = block_stack.first() {
        flush(&mut buf, &mut buf_link, owner, &mut blocks, &mut els);
    }
    (els, blocks, byline)
}

/// The normalised text of an element when it is non-empty and shorter than
/// `max` characters; stops reading as soon as it is too long.
fn short_text(el: ElementRef<'_>, max: usize) -> Option<String> {
    let mut raw = String::new();
    for t in el.text() {
        raw.push_str(t);
        if raw.len() > max * 8 {
            return None;
        }
    }
    let text = normalize(&raw);
    let n = text.chars().count();
    (n > 0 && n < max).then_some(text)
}

fn new_el<'a>(tag: &'a str, class: &'a str, cues: Cues, parent: Option<usize>) -> El<'a> {
    let mut weight = 0.0;
    if cues.positive {
        weight += 25.0;
    }
    if cues.negative {
        weight -= 25.0;
    }
    El {
        tag,
        parent,
        first_child: None,
        next_sibling: None,
        last_child: None,
        class,
        weight,
        strong_negative: cues.strong_negative,
        caption: cues.caption || tag == "figcaption" || tag == "caption",
        standfirst_cue: cues.standfirst,
        text_len: 0,
        link_len: 0,
        commas: 0,
        p_count: usize::from(tag == "p"),
        img_count: usize::from(tag == "img"),
        input_count: usize::from(tag == "input"),
        text_children: 0,
        score: 0.0,
        scored: false,
        included: false,
        is_link: false,
    }
}

/// Ends the current text run: normalised, it becomes a block owned by
/// `owner`, and its length counts towards `owner`'s sums.
fn flush(
    buf: &mut String,
    buf_link: &mut usize,
    owner: usize,
    blocks: &mut Vec<Block>,
    els: &mut [El<'_>],
) {
    if buf.trim().is_empty() {
        buf.clear();
        *buf_link = 0;
        return;
    }
    let text = normalize(buf);
    buf.clear();
    let len = text.chars().filter(|c| !c.is_whitespace()).count();
    let link_len = (*buf_link).min(len);
    *buf_link = 0;
    if len == 0 {
        return;
    }
    let commas = text
        .chars()
        .filter(|&c| matches!(c, ',' | '\u{ff0c}' | '\u{3001}' | '\u{060c}'))
        .count();
    let el = &mut els[owner];
    el.text_len += len;
    el.link_len += link_len;
    el.commas += commas;
    blocks.push(Block {
        owner,
        text,
        len,
        link_len,
    });
}

/// Whether an element goes with everything inside it.
fn is_dropped(
    tag: &str,
    e: &scraper::node::Element,
    node: ego_tree::NodeRef<'_, Node>,
    cues: Cues,
    pass: Pass,
) -> bool {
    if is_dropped_tag(tag) {
        return true;
    }
    if e.attr("hidden").is_some() || e.attr("aria-hidden").is_some_and(|v| v.trim() == "true") {
        return true;
    }
    if let Some(style) = e.attr("style") {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if style.contains("display:none") || style.contains("visibility:hidden") {
            return true;
        }
    }
    if let Some(role) = e.attr("role")
        && DROPPED_ROLES.contains(&role.trim().to_ascii_lowercase().as_str())
    {
        return true;
    }
    if tag == "form" && !form_holds_article(node) {
        return true;
    }
    pass.skip_unlikely
        && cues.unlikely
        && !matches!(tag, "body" | "html" | "article" | "main" | "a")
}

/// Some sites wrap the whole page in one `<form>`: keep a form that holds an
/// article or several paragraphs. Forms do not nest, so this looks at each
/// part of the page once at most.
fn form_holds_article(node: ego_tree::NodeRef<'_, Node>) -> bool {
    let mut paragraphs = 0;
    for d in node.descendants() {
        if let Node::Element(e) = d.value() {
            match e.name() {
                "article" | "main" => return true,
                "p" => {
                    paragraphs += 1;
                    if paragraphs >= 3 {
                        return true;
                    }
                }
                _ => {}
            }
        }
    }
    false
}

/// What an element's `class` and `id` say about it.
#[derive(Debug, Default, Clone, Copy)]
struct Cues {
    positive: bool,
    negative: bool,
    strong_negative: bool,
    /// Furniture to skip on the first walk: a strong negative word, or an
    /// unlikely one with no positive word.
    unlikely: bool,
    caption: bool,
    standfirst: bool,
    byline: bool,
}

/// An element that holds the author's name by markup: `rel="author"`,
/// `itemprop="author"` or a byline class.
fn is_byline_element(e: &scraper::node::Element, cues: Cues) -> bool {
    if matches!(e.name(), "body" | "html" | "article" | "main") {
        return false;
    }
    cues.byline
        || e.attr("rel")
            .is_some_and(|r| r.eq_ignore_ascii_case("author"))
        || e.attr("itemprop").is_some_and(|p| p.contains("author"))
}

/// Reads the cue words of `class` and `id`: lowercase runs of letters and
/// digits.
fn cues(class: &str, id: &str) -> Cues {
    if class.is_empty() && id.is_empty() {
        return Cues::default();
    }
    let mut lower = String::with_capacity(class.len() + id.len() + 1);
    lower.push_str(class);
    lower.push(' ');
    lower.push_str(id);
    lower.make_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let positive = matches_any(&words, POSITIVE);
    let strong_negative = matches_any(&words, STRONG_NEGATIVE);
    Cues {
        positive,
        negative: matches_any(&words, NEGATIVE),
        strong_negative,
        unlikely: strong_negative || (matches_any(&words, UNLIKELY) && !positive),
        caption: words.iter().any(|w| w.contains("caption")),
        standfirst: matches_any(&words, STANDFIRST),
        byline: words.iter().any(|w| {
            ["byline", "author", "dateline", "writtenby"]
                .iter()
                .any(|b| w.contains(b))
        }),
    }
}

/// A cue word matches a word of the list exactly, or as the start or end of
/// a compound ("commentlist", "leftsidebar") when the list word is long
/// enough not to match by chance.
fn matches_any(words: &[&str], list: &[&str]) -> bool {
    words.iter().any(|w| {
        list.iter().any(|l| {
            w == l
                || (l.len() >= 5 && (w.starts_with(l) || w.ends_with(l)))
                || (l.len() >= 6 && w.contains(l))
        })
    })
}

/// Paragraph-like blocks score their container and its ancestors.
fn score(els: &mut [El<'_>], blocks: &[Block]) {
    for b in blocks {
        if b.len < 25 {
            continue;
        }
        let owner_tag = els[b.owner].tag;
        let start = match owner_tag {
            "p" | "pre" | "td" | "blockquote" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                els[b.owner].parent
            }
            "li" if b.link_len * 2 < b.len => els[b.owner].parent,
            "div" | "section" | "article" | "main" | "body" | "center" | "form" => Some(b.owner),
            _ => continue,
        };
        let content =
            1.0 + b.text.matches(',').count() as f64 + (b.len as f64 / 100.0).floor().min(3.0);
        let mut level = 0usize;
        let mut cur = start;
        while let Some(i) = cur {
            if level > 4 {
                break;
            }
            if !els[i].scored {
                els[i].scored = true;
                els[i].score = initial_score(&els[i]);
            }
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                n => n as f64 * 3.0,
            };
            els[i].score += content / divider;
            level += 1;
            cur = els[i].parent;
        }
    }
}

fn initial_score(el: &El<'_>) -> f64 {
    let tag_bonus = match el.tag {
        "div" | "article" | "main" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    };
    tag_bonus + el.weight
}

fn link_density(el: &El<'_>) -> f64 {
    if el.text_len == 0 {
        0.0
    } else {
        el.link_len as f64 / el.text_len as f64
    }
}

fn final_score(el: &El<'_>) -> f64 {
    el.score * (1.0 - link_density(el))
}

/// The element holding the article: the best scored one, moved up to a
/// common ancestor when several near-equals share it, and up through
/// wrappers that hold nothing else; with it, the best scored element itself.
fn pick_top(els: &[El<'_>]) -> Option<(usize, usize)> {
    let mut ranked: Vec<(usize, f64)> = els
        .iter()
        .enumerate()
        .filter(|(_, e)| e.scored)
        .map(|(i, e)| (i, final_score(e)))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let &(mut top, top_score) = ranked.first()?;
    let best = top;
    if top_score <= 0.0 {
        return None;
    }
    let close: Vec<usize> = ranked
        .iter()
        .skip(1)
        .take(4)
        .filter(|(_, s)| *s >= 0.75 * top_score)
        .map(|(i, _)| *i)
        .collect();
    if close.len() >= 3 {
        // How many of the close ones each ancestor holds: one walk up from
        // each, so deep pages cost their depth, not its square.
        let mut holds: HashMap<usize, usize> = HashMap::new();
        for &c in &close {
            let mut cur = Some(c);
            while let Some(i) = cur {
                *holds.entry(i).or_insert(0) += 1;
                cur = els[i].parent;
            }
        }
        let mut anc = els[top].parent;
        while let Some(a) = anc {
            if els[a].tag == "body" {
                break;
            }
            if holds.get(&a).copied().unwrap_or(0) >= 3 {
                top = a;
                break;
            }
            anc = els[a].parent;
        }
    }
    // Climb while an ancestor scores close to what was left behind and more
    // than it: the article was split into several scored parts.
    let threshold = final_score(&els[top]) / 3.0;
    let mut last = final_score(&els[top]);
    let mut anc = els[top].parent;
    while let Some(a) = anc {
        if matches!(els[a].tag, "body" | "html") {
            break;
        }
        if els[a].scored {
            // Link density counts here too: a wrapper that only adds a
            // stream of teasers gains score and links together.
            let score = final_score(&els[a]);
            if score < threshold {
                break;
            }
            if score > last {
                top = a;
                break;
            }
            last = score;
        }
        anc = els[a].parent;
    }
    while let Some(p) = els[top].parent {
        if els[p].tag == "body" || els[p].tag == "html" || els[p].text_children != 1 {
            break;
        }
        top = p;
    }
    Some((top, best))
}

/// Marks the top element and those siblings that look like more of the same
/// article (a good score, or a plain paragraph with few links).
fn include_siblings(els: &mut [El<'_>], top: usize) {
    els[top].included = true;
    let Some(parent) = els[top].parent else {
        return;
    };
    let top_score = final_score(&els[top]);
    let threshold = (top_score * 0.2).max(10.0);
    let top_class = els[top].class;
    let mut cur = els[parent].first_child;
    while let Some(s) = cur {
        cur = els[s].next_sibling;
        if s == top {
            continue;
        }
        let el = &els[s];
        if el.text_len == 0 {
            continue;
        }
        let mut bonus = 0.0;
        if !top_class.is_empty() && el.class == top_class {
            bonus += top_score * 0.2;
        }
        let ld = link_density(el);
        let keep = (el.scored && final_score(el) + bonus >= threshold)
            || (el.tag == "figure" && ld < 0.5)
            || (el.tag == "p"
                && ((el.text_len > 80 && ld < 0.25) || (el.text_len > 20 && ld == 0.0)));
        if keep {
            els[s].included = true;
        }
    }
}

/// Pages that cut the article into sections between figures or pull quotes
/// repeat the body's container markup: elements of the top one's tag and
/// class that score well hold more of the same article.
fn include_twins(els: &mut [El<'_>], top: usize) {
    let (tag, class) = (els[top].tag, els[top].class);
    if class.trim().is_empty() {
        return;
    }
    let threshold = (final_score(&els[top]) * 0.2).max(10.0);
    for (i, el) in els.iter_mut().enumerate() {
        if i != top
            && el.scored
            && el.tag == tag
            && el.class == class
            && link_density(el) < 0.25
            && final_score(el) >= threshold
        {
            el.included = true;
        }
    }
}

/// Whether a container inside the article is furniture: cue words, a form
/// of inputs, or mostly links, unless it has the commas of real prose.
fn is_boilerplate(el: &El<'_>) -> bool {
    if el.strong_negative {
        return true;
    }
    if !matches!(el.tag, "div" | "ul" | "ol" | "table" | "form" | "fieldset") {
        return false;
    }
    if el.weight + if el.scored { el.score } else { 0.0 } < 0.0 {
        return true;
    }
    if el.commas >= 10 {
        return false;
    }
    let ld = link_density(el);
    let is_list = matches!(el.tag, "ul" | "ol" | "dl");
    if el.input_count > el.p_count / 3 {
        return true;
    }
    if !is_list && ld > 0.0 && el.text_len < 25 && (el.img_count == 0 || el.img_count > 2) {
        return true;
    }
    if el.weight < 25.0 && ld > 0.33 {
        return true;
    }
    el.weight >= 25.0 && ld > 0.5
}

fn is_caption(els: &[El<'_>], owner: usize) -> bool {
    let mut cur = Some(owner);
    let mut hops = 0;
    while let Some(i) = cur {
        if els[i].caption {
            return true;
        }
        if els[i].included || hops >= 3 {
            return false;
        }
        hops += 1;
        cur = els[i].parent;
    }
    false
}

/// Where an element stands relative to the chosen article elements.
#[derive(Debug, Clone, Copy)]
enum Place {
    Outside,
    /// Inside the article, below furniture.
    Dropped,
    /// Inside the article; `standfirst_hops` counts the steps up to the
    /// nearest element with a standfirst cue.
    Kept {
        standfirst_hops: u8,
    },
}

/// Every element's [`Place`], in one pass from the top (elements come in
/// document order, parents first). An element's place is that of the
/// nearest chosen element above it, or outside; a furniture container on
/// the way drops what is below it.
fn places(els: &[El<'_>]) -> Vec<Place> {
    let mut out: Vec<Place> = Vec::with_capacity(els.len());
    for el in els {
        let above = el.parent.map_or(Place::Outside, |p| out[p]);
        let hops = |above: u8| {
            if el.standfirst_cue {
                0
            } else {
                above.saturating_add(1)
            }
        };
        let place = if el.included {
            Place::Kept {
                standfirst_hops: hops(u8::MAX - 1),
            }
        } else {
            match above {
                Place::Outside => Place::Outside,
                Place::Dropped => Place::Dropped,
                Place::Kept { .. } if is_boilerplate(el) => Place::Dropped,
                Place::Kept { standfirst_hops } => Place::Kept {
                    standfirst_hops: hops(standfirst_hops),
                },
            }
        };
        out.push(place);
    }
    out
}

/// The blocks of the chosen elements, in order, without furniture, the
/// headline and the byline.
fn assemble(els: &[El<'_>], blocks: &[Block], title: &str, authors: &[String]) -> Extracted {
    let mut out = Extracted::default();
    let places = places(els);
    let mut seen: HashSet<&str> = HashSet::new();
    let title_key = fold(title);
    let author_keys: Vec<String> = authors
        .iter()
        .map(|a| fold(a))
        .filter(|a| !a.is_empty())
        .collect();
    for b in blocks {
        let Place::Kept { standfirst_hops } = places[b.owner] else {
            continue;
        };
        let standfirst = standfirst_hops < 3;
        // Short repeats are labels ("Advertisement", "Share"); a long
        // paragraph can really come twice and stays.
        if !seen.insert(&b.text) && b.len < 40 {
            continue;
        }
        let owner_tag = els[b.owner].tag;
        if b.len <= 300 && !title_key.is_empty() && fold(&b.text) == title_key {
            continue;
        }
        if b.len < 100 && is_byline(&b.text, &author_keys) {
            continue;
        }
        if b.link_len * 10 > b.len * 9
            && b.len < 40
            && !matches!(owner_tag, "li" | "td" | "h2" | "h3" | "h4" | "h5" | "h6")
        {
            // A lone link ("Read more", "Next story") between paragraphs.
            continue;
        }
        if is_caption(els, b.owner) {
            out.captions.push(b.text.clone());
        } else if standfirst
            && out.standfirst.is_empty()
            && out.body.len() < 3
            && (40..=600).contains(&b.len)
            && !owner_tag.starts_with('h')
        {
            out.standfirst = b.text.clone();
        } else {
            out.body.push(b.text.clone());
        }
    }
    out
}

fn is_byline(text: &str, author_keys: &[String]) -> bool {
    if author_keys.is_empty() {
        return false;
    }
    let key = fold(text);
    let key = key.strip_prefix("by").unwrap_or(&key);
    author_keys.iter().any(|a| key == a) || key == author_keys.concat()
}

/// Reader modes offer themselves when a page has enough long paragraphs:
/// the sum over paragraphs past 140 characters of the square root of the
/// excess must pass 20.
fn readerable(els: &[El<'_>], blocks: &[Block]) -> bool {
    let mut total = 0.0;
    for b in blocks {
        if !matches!(
            els[b.owner].tag,
            "p" | "pre" | "div" | "section" | "article" | "blockquote"
        ) {
            continue;
        }
        let len = b.text.chars().count();
        if len >= 140 {
            total += ((len - 140) as f64).sqrt();
            if total > 20.0 {
                return true;
            }
        }
    }
    false
}
