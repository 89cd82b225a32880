//! How many files hold each article id: what tells a new article from a
//! duplicate, and when an article's document must go.
//!
//! The ids held at the last save are one sorted array of numbers (8 bytes an
//! article; counts above one, which only duplicates have, on the side); the
//! ids touched since live in a small map until [`Refs::compact`] folds them
//! in, which the manifest does at every save.

use std::collections::HashMap;

use super::Id;

/// One file being read in this run, as [`Refs::hold`] knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticket(pub(super) std::num::NonZeroU32);

/// How an id's reference count changed.
#[derive(Debug, PartialEq, Eq)]
pub enum IdChange {
    /// No file held it before: index the article.
    New,
    /// Another file already holds it: a duplicate.
    Duplicate,
    /// The same file holds it already: the article twice in one file,
    /// counted once.
    Repeated,
}

/// Who holds one id since the last compaction.
#[derive(Debug, Clone, Copy)]
struct Holders {
    /// Files that hold it.
    files: u32,
    /// The file being read that last took it, if any.
    taken_by: Option<Ticket>,
}

/// The reference counts of every held id.
#[derive(Debug, Default)]
pub struct Refs {
    /// Held at the last compaction, sorted, each once.
    settled: Vec<u64>,
    /// Counts above one of settled ids.
    shared: HashMap<u64, u32>,
    /// Ids whose count changed since (a count of zero: no longer held).
    touched: HashMap<Id, Holders>,
    distinct: usize,
}

impl Refs {
    /// Counts built from every id of every file, in any order, repeats
    /// across files included.
    pub fn from_ids(mut ids: Vec<u64>) -> Refs {
        ids.sort_unstable();
        let mut shared = HashMap::new();
        let mut settled = Vec::with_capacity(ids.len());
        for id in ids {
            if settled.last() == Some(&id) {
                *shared.entry(id).or_insert(1) += 1;
            } else {
                settled.push(id);
            }
        }
        settled.shrink_to_fit();
        Refs {
            distinct: settled.len(),
            settled,
            shared,
            touched: HashMap::new(),
        }
    }

    fn settled_count(&self, id: Id) -> u32 {
        match self.settled.binary_search(&id.0) {
            Ok(_) => self.shared.get(&id.0).copied().unwrap_or(1),
            Err(_) => 0,
        }
    }

    fn holders(&mut self, id: Id) -> &mut Holders {
        let files = match self.touched.contains_key(&id) {
            true => 0,
            false => self.settled_count(id),
        };
        self.touched.entry(id).or_insert(Holders {
            files,
            taken_by: None,
        })
    }

    /// How many files hold `id`.
    pub fn count(&self, id: Id) -> u32 {
        self.touched
            .get(&id)
            .map_or_else(|| self.settled_count(id), |h| h.files)
    }

    /// How many distinct ids some file holds.
    pub fn distinct(&self) -> usize {
        self.distinct
    }

    /// Counts the file with `ticket` as one more holder of `id`; the same
    /// id taken again with the same ticket is [`IdChange::Repeated`].
    pub fn hold(&mut self, id: Id, ticket: Ticket) -> IdChange {
        let holders = self.holders(id);
        if holders.taken_by == Some(ticket) {
            return IdChange::Repeated;
        }
        holders.taken_by = Some(ticket);
        holders.files += 1;
        if holders.files == 1 {
            self.distinct += 1;
            IdChange::New
        } else {
            IdChange::Duplicate
        }
    }

    /// Drops one holder of `id`; whether no file holds it any more.
    pub fn release(&mut self, id: Id) -> bool {
        if self.count(id) == 0 {
            return false;
        }
        let holders = self.holders(id);
        holders.files -= 1;
        if holders.files == 0 {
            self.distinct -= 1;
            return true;
        }
        false
    }

    /// Every held id, each once, in no particular order.
    pub fn ids(&self) -> impl Iterator<Item = Id> + '_ {
        let settled = self
            .settled
            .iter()
            .map(|&id| Id(id))
            .filter(|id| self.touched.get(id).is_none_or(|h| h.files > 0));
        let new = self.touched.iter().filter_map(|(&id, h)| {
            (h.files > 0 && self.settled.binary_search(&id.0).is_err()).then_some(id)
        });
        settled.chain(new)
    }

    /// Folds the ids touched since the last compaction into the sorted
    /// array, forgetting which file took them (call it when no file is
    /// half read).
    pub fn compact(&mut self) {
        if self.touched.is_empty() {
            return;
        }
        let mut touched: Vec<(u64, u32)> = self
            .touched
            .drain()
            .map(|(id, holders)| (id.0, holders.files))
            .collect();
        touched.sort_unstable();
        let old = std::mem::take(&mut self.settled);
        let mut settled = Vec::with_capacity(old.len() + touched.len());
        let mut changes = touched.into_iter().peekable();
        let mut keep = |id: u64, files: u32, settled: &mut Vec<u64>| {
            if files > 1 {
                self.shared.insert(id, files);
            } else {
                self.shared.remove(&id);
            }
            if files > 0 {
                settled.push(id);
            }
        };
        for id in old {
            while let Some(&(changed, files)) = changes.peek()
                && changed < id
            {
                keep(changed, files, &mut settled);
                changes.next();
            }
            match changes.peek() {
                Some(&(changed, files)) if changed == id => {
                    keep(id, files, &mut settled);
                    changes.next();
                }
                _ => settled.push(id),
            }
        }
        for (id, files) in changes {
            keep(id, files, &mut settled);
        }
        settled.shrink_to_fit();
        self.settled = settled;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticket(n: u32) -> Ticket {
        Ticket(std::num::NonZeroU32::new(n).unwrap())
    }

    #[test]
    fn counts_survive_compaction() {
        let mut refs = Refs::from_ids(vec![5, 1, 5, 9]);
        assert_eq!(
            (refs.count(Id(5)), refs.count(Id(1)), refs.distinct()),
            (2, 1, 3)
        );
        assert_eq!(refs.hold(Id(3), ticket(1)), IdChange::New);
        assert_eq!(refs.hold(Id(3), ticket(1)), IdChange::Repeated);
        assert_eq!(refs.hold(Id(9), ticket(1)), IdChange::Duplicate);
        assert!(refs.release(Id(1)));
        assert!(!refs.release(Id(5)));
        assert!(!refs.release(Id(42)));
        let mut before: Vec<u64> = refs.ids().map(|id| id.0).collect();
        before.sort_unstable();
        assert_eq!(before, [3, 5, 9]);
        refs.compact();
        let after: Vec<u64> = refs.ids().map(|id| id.0).collect();
        assert_eq!(after, [3, 5, 9]);
        assert_eq!(
            (refs.count(Id(5)), refs.count(Id(9)), refs.count(Id(1))),
            (1, 2, 0)
        );
        assert_eq!(refs.distinct(), 3);
        // Tickets are forgotten: the next file taking 3 is a duplicate.
        assert_eq!(refs.hold(Id(3), ticket(1)), IdChange::Duplicate);
    }
}
