//! Readers of annotated corpora: CoNLL-style columns (CoNLL-2003, WikiGold,
//! re3d; IOB1 or IOB2) and the GMB CSV. Types are mapped to PER/LOC/ORG;
//! everything else (MISC, dates, ...) is dropped.
//!
//! Owns file parsing and the type mapping; does not clean spans for training
//! (`train.rs` does) nor score (`commands/eval_ner.rs`).

use std::path::Path;

use anyhow::Context;

use super::tagger::Kind;

/// One annotated sentence: words and typed spans over them.
#[derive(Debug, Clone, Default)]
pub struct Sentence {
    pub words: Vec<String>,
    pub spans: Vec<(usize, usize, Kind)>,
    /// Part-of-speech tags when the corpus has them (GMB).
    pub pos: Vec<String>,
    /// GMB sentence number (for the held-out split), else 0.
    pub number: u64,
}

/// A document: sentences in order.
pub type Doc = Vec<Sentence>;

/// Maps a corpus type name to ours. GPE and GMB `geo`/`gpe` are places.
pub fn map_type(t: &str) -> Option<Kind> {
    match t.to_ascii_lowercase().as_str() {
        "per" | "person" => Some(Kind::Per),
        "loc" | "location" | "geo" | "gpe" | "place" => Some(Kind::Loc),
        "org" | "organisation" | "organization" => Some(Kind::Org),
        _ => None,
    }
}

/// Builds spans from IOB1/IOB2 tags (`B-X`, `I-X`, `O`): an `I-` tag after a
/// tag of another type opens a span, as IOB1 wants.
fn iob_spans(tags: &[String]) -> Vec<(usize, usize, Kind)> {
    let mut spans = Vec::new();
    let mut open: Option<(usize, String)> = None;
    let mut close = |open: &mut Option<(usize, String)>, end: usize| {
        if let Some((s, t)) = open.take()
            && let Some(k) = map_type(&t)
        {
            spans.push((s, end, k));
        }
    };
    for (i, tag) in tags.iter().enumerate() {
        let (prefix, ty) = match tag.split_once('-') {
            Some((p, t)) if p == "B" || p == "I" => (p, t.to_string()),
            _ => {
                close(&mut open, i);
                continue;
            }
        };
        let continues = prefix == "I" && open.as_ref().is_some_and(|(_, t)| *t == ty);
        if !continues {
            close(&mut open, i);
            open = Some((i, ty));
        }
    }
    close(&mut open, tags.len());
    spans
}

/// Reads a CoNLL-style file: one token per line, the tag in the last column,
/// blank lines between sentences, `-DOCSTART-` lines between documents.
pub fn read_conll(path: &Path) -> anyhow::Result<Vec<Doc>> {
    let bytes = std::fs::read(path).with_context(|| format!("{}", path.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    let mut docs: Vec<Doc> = vec![Vec::new()];
    let mut words = Vec::new();
    let mut tags = Vec::new();
    let flush = |docs: &mut Vec<Doc>, words: &mut Vec<String>, tags: &mut Vec<String>| {
        if !words.is_empty() {
            let spans = iob_spans(tags);
            if let Some(d) = docs.last_mut() {
                d.push(Sentence {
                    words: std::mem::take(words),
                    spans,
                    pos: Vec::new(),
                    number: 0,
                });
            }
            tags.clear();
        }
    };
    for line in text.lines() {
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.is_empty() {
            flush(&mut docs, &mut words, &mut tags);
            continue;
        }
        if cols[0] == "-DOCSTART-" {
            flush(&mut docs, &mut words, &mut tags);
            if docs.last().is_some_and(|d| !d.is_empty()) {
                docs.push(Vec::new());
            }
            continue;
        }
        words.push(cols[0].to_string());
        tags.push(if cols.len() > 1 {
            cols[cols.len() - 1].to_string()
        } else {
            "O".to_string()
        });
    }
    flush(&mut docs, &mut words, &mut tags);
    docs.retain(|d| !d.is_empty());
    Ok(docs)
}

/// Splits one CSV line into fields (RFC 4180 quoting).
fn csv_fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// Reads the GMB CSV (`Sentence #,Word,POS,Tag`, Windows-1252), one
/// sentence per entry, numbered as in the file.
pub fn read_gmb(path: &Path) -> anyhow::Result<Vec<Sentence>> {
    let bytes = std::fs::read(path).with_context(|| format!("{}", path.display()))?;
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
    let mut out: Vec<Sentence> = Vec::new();
    let mut tags: Vec<String> = Vec::new();
    let finish = |out: &mut Vec<Sentence>, tags: &mut Vec<String>| {
        if let Some(s) = out.last_mut()
            && s.spans.is_empty()
            && !tags.is_empty()
        {
            s.spans = iob_spans(tags);
        }
        tags.clear();
    };
    for (n, line) in text.lines().enumerate() {
        if n == 0 || line.is_empty() {
            continue;
        }
        let f = csv_fields(line);
        if f.len() < 4 {
            continue;
        }
        if let Some(num) = f[0].strip_prefix("Sentence:") {
            finish(&mut out, &mut tags);
            out.push(Sentence {
                number: num.trim().parse().unwrap_or(0),
                ..Default::default()
            });
        }
        let Some(s) = out.last_mut() else { continue };
        s.words.push(f[1].clone());
        s.pos.push(f[2].clone());
        tags.push(f[3].clone());
    }
    finish(&mut out, &mut tags);
    Ok(out)
}

/// Whether a GMB sentence belongs to the held-out tenth.
pub fn gmb_heldout(s: &Sentence) -> bool {
    s.number.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iob1_and_iob2_spans() {
        let t = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        // IOB1: I- opens; B- separates two adjacent spans of one type.
        assert_eq!(
            iob_spans(&t(&["I-PER", "I-PER", "B-PER", "O", "I-LOC", "I-MISC"])),
            vec![(0, 2, Kind::Per), (2, 3, Kind::Per), (4, 5, Kind::Loc)]
        );
        assert_eq!(
            iob_spans(&t(&["B-geo", "I-geo", "B-gpe", "B-org", "O"])),
            vec![(0, 2, Kind::Loc), (2, 3, Kind::Loc), (3, 4, Kind::Org)]
        );
    }

    #[test]
    fn csv_quotes() {
        assert_eq!(csv_fields(",\"\"\"\",``,O"), vec!["", "\"", "``", "O"]);
        assert_eq!(
            csv_fields(",\"10,000\",CD,O"),
            vec!["", "10,000", "CD", "O"]
        );
    }
}
