//! CSV and TSV: one row per hit, a header row first, list fields joined by `; `.

use std::io::Write;

use crate::query::Results;

const HEADER: [&str; 12] = [
    "rank", "id", "score", "date", "title", "source", "path", "record", "url", "persons", "places",
    "orgs",
];

pub fn search(results: &Results, delimiter: u8, out: &mut dyn Write) -> anyhow::Result<()> {
    let quoting = if delimiter == b'\t' {
        csv::QuoteStyle::Never
    } else {
        csv::QuoteStyle::Necessary
    };
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .quote_style(quoting)
        .from_writer(out);
    writer.write_record(HEADER)?;
    for (i, hit) in results.hits.iter().enumerate() {
        let clean = |s: &str| {
            if delimiter == b'\t' {
                s.replace(['\t', '\n'], " ")
            } else {
                s.to_string()
            }
        };
        writer.write_record([
            (results.offset + i + 1).to_string(),
            hit.id.clone(),
            format!("{:.4}", hit.score),
            hit.date
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            clean(&hit.title),
            clean(hit.source.as_deref().unwrap_or_default()),
            clean(&hit.path),
            hit.record.map(|r| r.to_string()).unwrap_or_default(),
            hit.url.clone().unwrap_or_default(),
            clean(&hit.persons.join("; ")),
            clean(&hit.places.join("; ")),
            clean(&hit.orgs.join("; ")),
        ])?;
    }
    writer.flush()?;
    Ok(())
}
