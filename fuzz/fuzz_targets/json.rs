//! JSON articles: one object, an array, a wrapped array, and JSON Lines.
//! Every input goes through both readers, since a crawler's `.json` may hold
//! either shape.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsdex::ingest::formats::json;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let _ = json::parse(&input);
    let _ = json::parse_lines(&input);
});
