//! A time limit a query stops at while it runs.
//!
//! Tantivy has no way to interrupt a search, so the limit lives inside the
//! query: [`DeadlineQuery`] wraps a query and its matching stops (the
//! matches end early) once the deadline has passed, in every pass a request
//! makes over the index (top hits, counts, facets, histogram). What the
//! passes then return is incomplete, so a session with a deadline refuses to
//! return it: its searches end in [`TimedOut`].
//!
//! Owns checking the clock while matching; what to answer a cancelled
//! request is the caller's (`serve` answers 504).

use std::time::{Duration, Instant};

use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

/// Matches stepped over between two looks at the clock: reading it costs
/// tens of nanoseconds, stepping over a match a few, so the check stays
/// under a few percent and a pass overruns by well under a millisecond.
const CHECK_EVERY: u32 = 4096;

/// When a request must be done by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    at: Instant,
    limit: Duration,
}

impl Deadline {
    /// `limit` from now.
    pub fn after(limit: Duration) -> Deadline {
        Deadline {
            at: Instant::now() + limit,
            limit,
        }
    }

    pub fn instant(&self) -> Instant {
        self.at
    }

    pub fn passed(&self) -> bool {
        Instant::now() >= self.at
    }

    /// `Err(TimedOut)` once the deadline has passed.
    pub fn check(&self) -> Result<(), TimedOut> {
        if self.passed() {
            Err(TimedOut { limit: self.limit })
        } else {
            Ok(())
        }
    }
}

/// A request stopped at its deadline: its answer would be incomplete.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the request took longer than {} ms and was cancelled; narrow the query",
    limit.as_millis()
)]
pub struct TimedOut {
    pub limit: Duration,
}

/// A query whose matching stops at a deadline.
#[derive(Debug)]
pub struct DeadlineQuery {
    inner: Box<dyn Query>,
    deadline: Deadline,
}

impl DeadlineQuery {
    pub fn new(inner: Box<dyn Query>, deadline: Deadline) -> DeadlineQuery {
        DeadlineQuery { inner, deadline }
    }
}

impl Clone for DeadlineQuery {
    fn clone(&self) -> DeadlineQuery {
        DeadlineQuery {
            inner: self.inner.box_clone(),
            deadline: self.deadline,
        }
    }
}

impl Query for DeadlineQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(DeadlineWeight {
            inner: self.inner.weight(enable_scoring)?,
            deadline: self.deadline,
        }))
    }

    // Snippets highlight the inner query's terms.
    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct DeadlineWeight {
    inner: Box<dyn Weight>,
    deadline: Deadline,
}

impl Weight for DeadlineWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        if self.deadline.passed() {
            return Ok(Box::new(EmptyScorer));
        }
        Ok(Box::new(DeadlineScorer {
            inner: self.inner.scorer(reader, boost)?,
            deadline: self.deadline,
            countdown: CHECK_EVERY,
            stopped: false,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }

    /// The inner query's count (a term's is read from its dictionary, not
    /// counted), checked once per segment.
    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        if self.deadline.passed() {
            return Ok(0);
        }
        self.inner.count(reader)
    }

    /// The inner query's pruned pass (block-WAND for top hits by score):
    /// once the deadline passes, the threshold rises past every score, so
    /// the pass skips the rest of the segment.
    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        if self.deadline.passed() {
            return Ok(());
        }
        let deadline = self.deadline;
        self.inner
            .for_each_pruning(threshold, reader, &mut |doc, score| {
                if deadline.passed() {
                    Score::INFINITY
                } else {
                    callback(doc, score)
                }
            })
    }
}

/// The inner scorer, ending early once the deadline has passed.
struct DeadlineScorer {
    inner: Box<dyn Scorer>,
    deadline: Deadline,
    countdown: u32,
    stopped: bool,
}

impl DeadlineScorer {
    /// Whether to stop now: the clock is read every [`CHECK_EVERY`] steps.
    fn out_of_time(&mut self) -> bool {
        self.countdown -= 1;
        if self.countdown == 0 {
            self.countdown = CHECK_EVERY;
            self.stopped = self.deadline.passed();
        }
        self.stopped
    }
}

impl DocSet for DeadlineScorer {
    fn advance(&mut self) -> DocId {
        if self.stopped || self.out_of_time() {
            return TERMINATED;
        }
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.stopped || self.out_of_time() {
            return TERMINATED;
        }
        self.inner.seek(target)
    }

    fn doc(&self) -> DocId {
        if self.stopped {
            TERMINATED
        } else {
            self.inner.doc()
        }
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for DeadlineScorer {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{AllQuery, TermQuery};
    use tantivy::schema::{IndexRecordOption, STRING, Schema};
    use tantivy::{Index, IndexWriter, TantivyDocument};

    /// An index of `n` documents, all with the word "news", in one segment.
    fn index(n: usize) -> (Index, tantivy::schema::Field) {
        let mut schema = Schema::builder();
        let word = schema.add_text_field("word", STRING);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for _ in 0..n {
            let mut doc = TantivyDocument::default();
            doc.add_text(word, "news");
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        (index, word)
    }

    #[test]
    fn a_query_within_its_deadline_matches_as_without_one() {
        let (index, word) = index(3 * CHECK_EVERY as usize);
        let searcher = index.reader().unwrap().searcher();
        let term = TermQuery::new(
            Term::from_field_text(word, "news"),
            IndexRecordOption::Basic,
        );
        let deadline = Deadline::after(Duration::from_secs(600));
        for inner in [Box::new(term) as Box<dyn Query>, Box::new(AllQuery)] {
            let limited = DeadlineQuery::new(inner.box_clone(), deadline);
            let top = || (Count, TopDocs::with_limit(5).order_by_score());
            assert_eq!(
                searcher.search(&limited, &top()).unwrap(),
                searcher.search(&*inner, &top()).unwrap()
            );
            assert_eq!(
                searcher.search(&limited, &Count).unwrap(),
                3 * CHECK_EVERY as usize
            );
            let mut terms = Vec::new();
            limited.query_terms(&mut |t, _| terms.push(t.clone()));
            let mut expected = Vec::new();
            inner.query_terms(&mut |t, _| expected.push(t.clone()));
            assert_eq!(terms, expected);
        }
        assert!(deadline.check().is_ok());
    }

    #[test]
    fn a_passed_deadline_stops_matching() {
        let (index, _) = index(10);
        let searcher = index.reader().unwrap().searcher();
        let deadline = Deadline::after(Duration::ZERO);
        let limited = DeadlineQuery::new(Box::new(AllQuery), deadline);
        let (count, top) = searcher
            .search(&limited, &(Count, TopDocs::with_limit(5).order_by_score()))
            .unwrap();
        assert_eq!((count, top.len()), (0, 0));
        let err = deadline.check().unwrap_err();
        assert!(err.to_string().contains("cancelled"), "{err}");
    }

    /// A scorer whose deadline passes midway ends at the next check, not
    /// at the end of its matches.
    #[test]
    fn a_deadline_passing_midway_ends_the_matches_at_the_next_check() {
        let (index, _) = index(5 * CHECK_EVERY as usize);
        let searcher = index.reader().unwrap().searcher();
        let segment = &searcher.segment_readers()[0];
        let deadline = Deadline::after(Duration::from_millis(200));
        let weight = DeadlineQuery::new(Box::new(AllQuery), deadline)
            .weight(EnableScoring::disabled_from_searcher(&searcher))
            .unwrap();
        let mut scorer = weight.scorer(segment, 1.0).unwrap();
        for _ in 0..CHECK_EVERY {
            scorer.advance();
        }
        while !deadline.passed() {
            std::thread::sleep(Duration::from_millis(20));
        }
        let mut more = 0;
        while scorer.advance() != TERMINATED {
            more += 1;
        }
        assert!(more < CHECK_EVERY, "{more} matches after the deadline");
        assert_eq!(scorer.doc(), TERMINATED);
    }
}
