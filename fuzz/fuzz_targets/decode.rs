//! The decode layer every file goes through before a reader: gzip
//! (including multi-member streams and a `.gz` name on plain bytes), binary
//! refusal, charset detection (BOMs, UTF-16, Windows-1252 fallback, HTML
//! `<meta charset>`) and format sniffing.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use newsdex::ingest::decode;
use newsdex::ingest::formats::{self, html};

fuzz_target!(|data: &[u8]| {
    // A `.gz` name on bytes that are not gzip is its own error path.
    let _ = decode::decompress(Path::new("archive/x.txt.gz"), data);
    let Ok(raw) = decode::decompress(Path::new("archive/x"), data) else {
        return;
    };
    let _ = formats::detect(Path::new("archive/x.json"), &raw);
    let _ = formats::sniff(&raw);
    let _ = decode::check_binary(&raw);
    let _ = decode::decode_text(&raw);
    let _ = html::charset::decode(&raw);
});
