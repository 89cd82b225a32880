//! Every date parser: crawler and wire strings, dates in archive paths,
//! web page metadata dates, labelled date lines in scraped text, and the
//! `--from`/`--to` periods of the query side.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsdex::ingest::formats::html;
use newsdex::ingest::{clean, dates};
use newsdex::query::filters;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let _ = dates::parse(&input);
    let _ = dates::from_path(&input);
    let _ = html::parse_date(&input);
    let _ = clean::date_line(&input);
    let _ = filters::period_start(&input);
    let _ = filters::period_end(&input);
});
