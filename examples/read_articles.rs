//! Reads the files named on the command line and prints each article as one
//! JSON line (and each unreadable file or record on stderr): the ingest
//! stage on its own, for checking what a reader makes of an input.
//!
//! ```text
//! cargo run --example read_articles -- data/sample/sample.jsonl
//! ```

use std::path::Path;

fn main() {
    for arg in std::env::args().skip(1) {
        match newsdex::ingest::read_file(Path::new(&arg)) {
            Ok(read) => {
                for article in &read.articles {
                    match serde_json::to_string(article) {
                        Ok(line) => println!("{line}"),
                        Err(e) => eprintln!("{arg}: {e}"),
                    }
                }
                for error in &read.errors {
                    eprintln!("{arg}:{}: {}", error.location, error.message);
                }
            }
            Err(e) => eprintln!("{arg}: {e}"),
        }
    }
}
