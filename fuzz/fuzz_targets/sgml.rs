//! Reuters-21578 SGML newswire: records, fields, numeric entities and
//! unterminated records.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsdex::ingest::formats::sgml;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let _ = sgml::parse(&input);
    let _ = sgml::decode_entities(&input);
});
