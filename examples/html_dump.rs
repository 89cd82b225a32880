//! Reads one saved web page and prints the article newsdex takes from it,
//! as JSON: `cargo run --example html_dump -- page.html`.

use std::io::Write;
use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let Some(path) = std::env::args_os().nth(1).map(PathBuf::from) else {
        anyhow::bail!("usage: html_dump PAGE.html");
    };
    let bytes = std::fs::read(&path)?;
    let article = newsdex::ingest::formats::html::parse(&path, &bytes)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &article)?;
    // A closed pipe (`| head`) is not an error worth a message.
    let _ = writeln!(out);
    Ok(())
}
