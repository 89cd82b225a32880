//! The plain-Tantivy baseline: what indexing the same files costs Tantivy
//! alone. Title and body only, the default tokenizer, both stored (newsdex
//! stores them too, for snippets), no cleaning, no dates, no entities, no
//! manifest. The minimal reading of each format is all it does besides.
//!
//! It runs in its own process (`scale baseline ...`), so its peak memory is
//! measured the same way as newsdex's.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use serde::Serialize;
use tantivy::schema::{STORED, Schema, TEXT};
use tantivy::{Index, IndexWriter, TantivyDocument, doc};

#[derive(Debug, Serialize)]
pub struct BaselineSummary {
    pub files: u64,
    pub articles: u64,
    pub bytes: u64,
    pub elapsed_secs: f64,
}

/// Indexes every file under `raw` into a new index at `index_dir`.
pub fn run(
    raw: &Path,
    index_dir: &Path,
    threads: usize,
    memory_mb: usize,
) -> anyhow::Result<BaselineSummary> {
    let started = Instant::now();
    if index_dir.exists() {
        std::fs::remove_dir_all(index_dir)?;
    }
    std::fs::create_dir_all(index_dir)?;
    let mut builder = Schema::builder();
    let title = builder.add_text_field("title", TEXT | STORED);
    let body = builder.add_text_field("body", TEXT | STORED);
    let index = Index::create_in_dir(index_dir, builder.build())?;
    let writer: IndexWriter<TantivyDocument> =
        index.writer_with_num_threads(threads, memory_mb << 20)?;

    let files: Vec<PathBuf> = walkdir::WalkDir::new(raw)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    let counts: anyhow::Result<Vec<(u64, u64)>> = pool.install(|| {
        use rayon::prelude::*;
        files
            .par_iter()
            .map(|path| {
                let bytes = std::fs::read(path).with_context(|| path.display().to_string())?;
                let size = bytes.len() as u64;
                let text = decompress(path, bytes)?;
                let mut n = 0;
                for (t, b) in articles(path, &text)? {
                    writer.add_document(doc!(title => t, body => b))?;
                    n += 1;
                }
                Ok((n, size))
            })
            .collect()
    });
    let counts = counts?;
    let mut writer = writer;
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(BaselineSummary {
        files: counts.len() as u64,
        articles: counts.iter().map(|c| c.0).sum(),
        bytes: counts.iter().map(|c| c.1).sum(),
        elapsed_secs: started.elapsed().as_secs_f64(),
    })
}

fn decompress(path: &Path, bytes: Vec<u8>) -> anyhow::Result<String> {
    let bytes = if path.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::with_capacity(bytes.len() * 4);
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut out)
            .with_context(|| path.display().to_string())?;
        out
    } else {
        bytes
    };
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// (title, body) pairs: first line and the rest for text, `title` and
/// `text` for JSON records.
fn articles(path: &Path, text: &str) -> anyhow::Result<Vec<(String, String)>> {
    let name = path.to_string_lossy();
    let name = name.trim_end_matches(".gz");
    let from_json = |v: &serde_json::Value| {
        let field = |k: &str| v.get(k).and_then(|s| s.as_str()).unwrap_or("").to_string();
        (field("title"), field("text"))
    };
    Ok(if name.ends_with(".jsonl") {
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str::<serde_json::Value>(l).map(|v| from_json(&v)))
            .collect::<Result<_, _>>()?
    } else if name.ends_with(".json") {
        match serde_json::from_str::<serde_json::Value>(text)? {
            serde_json::Value::Array(items) => items.iter().map(from_json).collect(),
            one => vec![from_json(&one)],
        }
    } else {
        let (title, body) = text.split_once('\n').unwrap_or((text, ""));
        vec![(title.to_string(), body.to_string())]
    })
}
