//! Plain-text articles: structure (title, standfirst, body) and the line
//! cleaning behind it (furniture, captions, bylines, date lines, repeats).
//! Any bytes, read as UTF-8 with replacement characters, must give an
//! article or an error, never a panic, in time linear in the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsdex::ingest::formats::text;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let _ = text::parse(&input);
});
