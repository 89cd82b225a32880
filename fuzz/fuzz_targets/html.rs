//! Saved web pages from raw bytes: binary refusal, charset, the html5ever
//! tree, metadata (title, authors, date, URL, site, language) and the main
//! text extraction.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use newsdex::ingest::formats::html;

fuzz_target!(|data: &[u8]| {
    let _ = html::parse(Path::new("fuzz/page.html"), data);
});
