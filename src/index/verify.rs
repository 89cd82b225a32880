//! Reading every byte a search could touch, so that a damaged segment is
//! found by `newsdex check` rather than by a query: every stored document,
//! every fast-field value, every term and its postings.

use std::panic::{AssertUnwindSafe, catch_unwind};

use anyhow::Context;
use tantivy::columnar::{Column, DynamicColumn};
use tantivy::index::SegmentReader;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, TERMINATED, TantivyDocument};

use super::NewsIndex;

/// What reading one segment found.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentReport {
    pub segment: String,
    pub docs: u32,
    /// Why the segment cannot be read, if it cannot.
    pub damage: Option<String>,
}

/// Reads every segment of the last commit in full.
pub fn segments(news: &NewsIndex) -> anyhow::Result<Vec<SegmentReport>> {
    let searcher = news.reader()?.searcher();
    let mut out = Vec::new();
    for segment in searcher.segment_readers() {
        let read = catch_unwind(AssertUnwindSafe(|| read_segment(segment)));
        let damage = match read {
            Ok(Ok(())) => None,
            Ok(Err(err)) => Some(format!("{err:#}")),
            Err(panic) => Some(
                panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "reading it panicked".to_string()),
            ),
        };
        out.push(SegmentReport {
            segment: segment.segment_id().uuid_string(),
            docs: segment.num_docs(),
            damage,
        });
    }
    Ok(out)
}

fn read_segment(segment: &SegmentReader) -> anyhow::Result<()> {
    read_store(segment).context("stored documents")?;
    read_fast_fields(segment).context("fast fields")?;
    read_postings(segment).context("terms")?;
    Ok(())
}

fn read_store(segment: &SegmentReader) -> anyhow::Result<()> {
    let store = segment.get_store_reader(1)?;
    let mut read = 0u32;
    for doc in store.iter::<TantivyDocument>(segment.alive_bitset()) {
        doc?;
        read += 1;
    }
    anyhow::ensure!(
        read == segment.num_docs(),
        "{read} documents stored, {} expected",
        segment.num_docs()
    );
    Ok(())
}

fn read_fast_fields(segment: &SegmentReader) -> anyhow::Result<()> {
    let schema = segment.schema();
    let docs = segment.max_doc();
    for (_, entry) in schema.fields() {
        if !entry.is_fast() {
            continue;
        }
        let handles = segment.fast_fields().dynamic_column_handles(entry.name())?;
        for handle in handles {
            let column = handle.open().with_context(|| entry.name().to_string())?;
            read_column(column, docs).with_context(|| entry.name().to_string())?;
        }
    }
    Ok(())
}

fn read_column(column: DynamicColumn, docs: DocId) -> anyhow::Result<()> {
    fn all<T: PartialOrd + Copy + std::fmt::Debug + Send + Sync + 'static>(
        column: &Column<T>,
        docs: DocId,
    ) {
        for doc in 0..docs {
            column.values_for_doc(doc).for_each(drop);
        }
    }
    match column {
        DynamicColumn::Bool(c) => all(&c, docs),
        DynamicColumn::I64(c) => all(&c, docs),
        DynamicColumn::U64(c) => all(&c, docs),
        DynamicColumn::F64(c) => all(&c, docs),
        DynamicColumn::IpAddr(c) => all(&c, docs),
        DynamicColumn::DateTime(c) => all(&c, docs),
        DynamicColumn::Bytes(c) => {
            let mut bytes = Vec::new();
            for doc in 0..docs {
                for ord in c.term_ords(doc) {
                    anyhow::ensure!(c.ord_to_bytes(ord, &mut bytes)?, "term {ord} missing");
                }
            }
        }
        DynamicColumn::Str(c) => {
            let mut text = String::new();
            for doc in 0..docs {
                for ord in c.term_ords(doc) {
                    anyhow::ensure!(c.ord_to_str(ord, &mut text)?, "term {ord} missing");
                }
            }
        }
    }
    Ok(())
}

fn read_postings(segment: &SegmentReader) -> anyhow::Result<()> {
    let schema = segment.schema();
    for (field, entry) in schema.fields() {
        if !entry.is_indexed() {
            continue;
        }
        let inverted = segment.inverted_index(field)?;
        let mut terms = inverted.terms().stream()?;
        while terms.advance() {
            let info = terms.value().clone();
            let mut postings =
                inverted.read_postings_from_terminfo(&info, IndexRecordOption::Basic)?;
            let mut count = 0u32;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                anyhow::ensure!(
                    doc < segment.max_doc(),
                    "{}: doc {doc} out of range",
                    entry.name()
                );
                count += 1;
                doc = postings.advance();
            }
            anyhow::ensure!(
                count == info.doc_freq,
                "{}: {count} postings, {} expected",
                entry.name(),
                info.doc_freq
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::CommitInfo;
    use crate::index::document::to_document;
    use crate::index::writer::Writer;

    #[test]
    fn reads_a_sound_segment_and_finds_a_truncated_store() {
        let dir = tempfile::tempdir().unwrap();
        let news = NewsIndex::open_or_create(dir.path()).unwrap();
        let mut writer = Writer::open(&news, 1, 64).unwrap();
        for i in 0..50 {
            let article = crate::article::Article {
                title: format!("article number {i}"),
                body: vec!["Oil prices rose in Basra on Monday.".repeat(20)],
                ..Default::default()
            };
            let id = format!("{i:016x}");
            let doc = to_document(&news.fields, &id, &article, &Default::default());
            writer.add(doc).unwrap();
        }
        writer.commit(&CommitInfo::default()).unwrap();
        writer.finish().unwrap();
        let reports = segments(&news).unwrap();
        assert_eq!(reports.len(), 1);
        assert_eq!(reports[0].docs, 50);
        assert_eq!(reports[0].damage, None);

        let store = dir.path().join(format!("{}.store", reports[0].segment));
        let bytes = std::fs::read(&store).unwrap();
        let mut damaged = bytes.clone();
        for b in &mut damaged[8..bytes.len() / 2] {
            *b = !*b;
        }
        std::fs::write(&store, damaged).unwrap();
        let reports = match segments(&NewsIndex::open(dir.path()).unwrap()) {
            Ok(reports) => reports,
            // Damage the reader notices on opening is damage found too.
            Err(_) => return,
        };
        assert!(reports[0].damage.is_some(), "{reports:?}");
    }
}
