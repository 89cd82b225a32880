//! How much a copy differs from its cluster's representative, in words.

use std::collections::HashMap;

use super::signature::words;

/// Words a copy has that the representative lacks, and the reverse,
/// counted as multisets of words (order is not compared: a reordered
/// paragraph is neither added nor removed).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WordChange {
    pub added: u64,
    pub removed: u64,
}

/// Word counts of a text, as near-duplicate detection reads words.
pub fn bag(text: &str) -> HashMap<String, i64> {
    let mut counts = HashMap::new();
    for word in words(text) {
        *counts.entry(word).or_insert(0) += 1;
    }
    counts
}

/// The change from `base` to `copy`.
pub fn change(base: &HashMap<String, i64>, copy: &HashMap<String, i64>) -> WordChange {
    let mut out = WordChange::default();
    for (word, &n) in copy {
        let had = base.get(word).copied().unwrap_or(0);
        out.added += (n - had).max(0) as u64;
    }
    for (word, &n) in base {
        let has = copy.get(word).copied().unwrap_or(0);
        out.removed += (n - has).max(0) as u64;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_added_and_removed_words() {
        let base = bag("The minister said the talks would resume on Monday.");
        let copy = bag("The minister said on Tuesday the talks would resume, officials said.");
        // "tuesday", "officials", "said" added; "monday" removed.
        assert_eq!(
            change(&base, &copy),
            WordChange {
                added: 3,
                removed: 1
            }
        );
        assert_eq!(change(&base, &base), WordChange::default());
        let reordered = bag("Monday the talks would resume on. The minister said");
        assert_eq!(change(&base, &reordered), WordChange::default());
    }
}
