//! Reads the files named on the command line and prints each article as one
//! JSON line (and each unreadable file or record on stderr): the ingest
//! stage on its own, for checking what a reader makes of an input.
//! With `--count`, prints only how many articles and errors came out and how
//! long reading took.
//!
//! ```text
//! cargo run --example read_articles -- data/sample/centcom/press-releases.json
//! cargo run --release --example read_articles -- --count archive/*.sgm
//! ```

use std::path::Path;
use std::time::Instant;

fn main() {
    let mut count_only = false;
    let mut files = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--count" => count_only = true,
            _ => files.push(arg),
        }
    }
    let start = Instant::now();
    let (mut articles, mut errors) = (0usize, 0usize);
    for file in &files {
        match newsdex::ingest::read_file(Path::new(file)) {
            Ok(read) => {
                articles += read.articles.len();
                errors += read.errors.len();
                if count_only {
                    continue;
                }
                for article in &read.articles {
                    match serde_json::to_string(article) {
                        Ok(line) => println!("{line}"),
                        Err(e) => eprintln!("{file}: {e}"),
                    }
                }
                for error in &read.errors {
                    eprintln!("{file}:{}: {}", error.location, error.message);
                }
            }
            Err(e) => {
                errors += 1;
                if !count_only {
                    eprintln!("{file}: {e}");
                }
            }
        }
    }
    if count_only {
        println!(
            "{} files, {articles} articles, {errors} errors in {:.3}s",
            files.len(),
            start.elapsed().as_secs_f64()
        );
    }
}
