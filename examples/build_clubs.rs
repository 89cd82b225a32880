//! Derives `data/ner/clubs.tsv.gz` (football clubs and their other names)
//! from openfootball's `clubs` data set, public domain (CC0 1.0).
//!
//! `cargo run --release --example build_clubs -- ../shared/gazetteer-sources/openfootball-clubs data/ner`
//!
//! Input lines (`*.clubs.txt`): a club line `Arsenal FC, 1886, @ Emirates
//! Stadium, London` (the name is the text before the first comma), then
//! alias lines `  | Arsenal | FC Arsenal`; `#` starts a comment, `=` a
//! country heading. Output: `name<TAB>alias|alias`, the display name being
//! the shortest alias that is the name without its "FC"/"AFC" form.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

fn club_files(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("{}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            club_files(&path, out)?;
        } else if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.ends_with(".clubs.txt"))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// A name without the club's legal form: "Arsenal FC" → "Arsenal".
fn short(name: &str) -> String {
    let words: Vec<&str> = name
        .split_whitespace()
        .filter(|w| !matches!(*w, "FC" | "AFC" | "F.C." | "SC" | "CF" | "FK" | "SK"))
        .collect();
    words.join(" ")
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [src, dest] = args.as_slice() else {
        anyhow::bail!("usage: build_clubs SOURCE_DIR DEST_DIR");
    };
    let mut files = Vec::new();
    club_files(Path::new(src), &mut files)?;
    files.sort();
    let mut clubs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for path in &files {
        let text = std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
        let mut current: Option<String> = None;
        for raw in text.lines() {
            let line = raw.split('#').next().unwrap_or("");
            if line.trim().is_empty() || line.trim_start().starts_with('=') {
                continue;
            }
            let trimmed = line.trim();
            if let Some(aliases) = trimmed.strip_prefix('|') {
                if let Some(name) = &current {
                    let list = clubs.entry(name.clone()).or_default();
                    for a in aliases.split('|').map(str::trim).filter(|a| a.len() >= 3) {
                        list.push(a.to_string());
                    }
                }
                continue;
            }
            if raw.starts_with([' ', '\t']) {
                continue;
            }
            let name = trimmed.split(',').next().unwrap_or("").trim().to_string();
            if name.len() < 3 {
                current = None;
                continue;
            }
            clubs.entry(name.clone()).or_default();
            current = Some(name);
        }
    }
    let out_path = Path::new(dest).join("clubs.tsv.gz");
    let file = std::fs::File::create(&out_path)?;
    let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::best());
    writeln!(
        gz,
        "# Football clubs from openfootball/clubs (CC0 1.0), built by examples/build_clubs.rs"
    )?;
    for (name, aliases) in &clubs {
        let display = short(name);
        let mut all: Vec<String> = aliases.iter().map(|a| short(a)).collect();
        all.push(name.clone());
        all.extend(aliases.iter().cloned());
        all.retain(|a| a.len() >= 3 && *a != display);
        all.sort();
        all.dedup();
        writeln!(gz, "{display}\t{}", all.join("|"))?;
    }
    gz.finish()?;
    eprintln!(
        "{} clubs from {} files -> {}",
        clubs.len(),
        files.len(),
        out_path.display()
    );
    Ok(())
}
