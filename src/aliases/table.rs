//! The user's edits and the automatic table combined into one question:
//! what does this indexed value stand for? A user edit always wins.

use std::collections::{HashMap, HashSet};

use crate::aliases::edits::{Action, Edit};
use crate::query::resolve::{EntityType, name_words};

/// The forgiving key of a name: its words folded and sorted (for places,
/// each part's words, parts joined by `/`), so "REAGAN" and "Reagan", or
/// "Iraq/Basra" and "Iraq / Basra", are one key.
pub fn key(kind: EntityType, name: &str) -> String {
    key_of_path(kind, &path_of(kind, name))
}

fn key_of_path(kind: EntityType, path: &[String]) -> String {
    if kind == EntityType::Place {
        path.iter()
            .map(|p| name_words(p).join(" "))
            .collect::<Vec<_>>()
            .join("/")
    } else {
        let mut words = name_words(&path.join(" "));
        words.sort_unstable();
        words.join(" ")
    }
}

/// A display name as a facet path: places split on `/`.
pub fn path_of(kind: EntityType, name: &str) -> Vec<String> {
    if kind == EntityType::Place {
        name.split('/')
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect()
    } else {
        vec![name.trim().to_string()]
    }
}

/// The user's edits form a cycle.
#[derive(Debug, thiserror::Error)]
#[error("merge cycle: {}", .0.join(" → "))]
pub struct CycleError(pub Vec<String>);

/// Edits indexed by the key of the value they apply to.
#[derive(Debug, Default)]
pub struct AliasTable {
    user: HashMap<(EntityType, String), Edit>,
    /// Keys the user merged or renamed something into: the automatic table
    /// never moves them away.
    user_targets: HashSet<(EntityType, String)>,
    auto: HashMap<(EntityType, String), String>,
}

/// Longest chain followed; cycles are refused on load, this guards the rest.
const MAX_STEPS: usize = 32;

impl AliasTable {
    /// Combines user edits (later lines win over earlier ones for the same
    /// value) with the automatic merges.
    pub fn new(user: &[Edit], auto: &[Edit]) -> Result<AliasTable, CycleError> {
        let mut table = AliasTable::default();
        for edit in user {
            let k = (edit.kind, key(edit.kind, &edit.value));
            if let Some(target) = &edit.target {
                table
                    .user_targets
                    .insert((edit.kind, key(edit.kind, target)));
            }
            table.user.insert(k, edit.clone());
        }
        for edit in auto {
            if let (Action::Merge, Some(target)) = (edit.action, &edit.target) {
                table
                    .auto
                    .insert((edit.kind, key(edit.kind, &edit.value)), target.clone());
            }
        }
        table.check_cycles()?;
        Ok(table)
    }

    pub fn is_empty(&self) -> bool {
        self.user.is_empty() && self.auto.is_empty()
    }

    /// The user edit for a value, if any.
    pub fn user_edit(&self, kind: EntityType, name: &str) -> Option<&Edit> {
        self.user.get(&(kind, key(kind, name)))
    }

    fn check_cycles(&self) -> Result<(), CycleError> {
        for (kind, start) in self.user.keys() {
            let mut seen = vec![start.clone()];
            let mut names = Vec::new();
            let mut current = start.clone();
            while let Some(edit) = self.user.get(&(*kind, current.clone())) {
                let Some(target) = &edit.target else { break };
                names.push(edit.value.clone());
                let next = key(*kind, target);
                if next == current {
                    break;
                }
                if seen.contains(&next) {
                    names.push(target.clone());
                    return Err(CycleError(names));
                }
                seen.push(next.clone());
                current = next;
            }
        }
        Ok(())
    }

    /// What an indexed value stands for: `None` when dropped, otherwise the
    /// path of its canonical value (itself when nothing applies).
    pub fn canonical(&self, kind: EntityType, path: &[String]) -> Option<Vec<String>> {
        let mut current = path.to_vec();
        let mut seen = HashSet::new();
        'steps: for _ in 0..MAX_STEPS {
            let k = key_of_path(kind, &current);
            if !seen.insert(k.clone()) {
                break;
            }
            if let Some(edit) = self.user.get(&(kind, k.clone())) {
                match edit.action {
                    Action::Drop => return None,
                    Action::Keep => return Some(current),
                    Action::Merge | Action::Rename => {
                        current = path_of(kind, edit.target.as_deref().unwrap_or(""));
                        continue;
                    }
                }
            }
            // A place edit covers the places inside it ("Burma" → "Myanmar"
            // moves "Burma / Yangon" too).
            if kind == EntityType::Place {
                for len in (1..current.len()).rev() {
                    let prefix = key_of_path(kind, &current[..len]);
                    if let Some(edit) = self.user.get(&(kind, prefix)) {
                        match edit.action {
                            Action::Drop => return None,
                            Action::Keep => break,
                            Action::Merge | Action::Rename => {
                                let mut moved = path_of(kind, edit.target.as_deref().unwrap_or(""));
                                moved.extend_from_slice(&current[len..]);
                                current = moved;
                                continue 'steps;
                            }
                        }
                    }
                }
            }
            if !self.user_targets.contains(&(kind, k.clone()))
                && let Some(target) = self.auto.get(&(kind, k))
            {
                current = path_of(kind, target);
                continue;
            }
            return Some(current);
        }
        Some(current)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(action: Action, kind: EntityType, value: &str, target: Option<&str>) -> Edit {
        Edit::new(action, kind, value, target)
    }

    fn p(s: &str) -> Vec<String> {
        vec![s.to_string()]
    }

    #[test]
    fn user_edits_win_and_chains_are_followed() {
        use Action::*;
        use EntityType::*;
        let auto = [
            edit(Merge, Person, "Reagan", Some("Ronald Reagan")),
            edit(Merge, Person, "Bush", Some("George W Bush")),
            edit(Merge, Org, "US Treasury", Some("Treasury")),
        ];
        let user = [
            edit(Keep, Person, "bush", None),
            edit(
                Rename,
                Person,
                "Ronald Reagan",
                Some("Ronald Wilson Reagan"),
            ),
            edit(Drop, Org, "treasury", None),
            edit(Rename, Place, "Burma", Some("Myanmar")),
        ];
        let t = AliasTable::new(&user, &auto).unwrap();
        assert_eq!(
            t.canonical(Person, &p("REAGAN")),
            Some(p("Ronald Wilson Reagan"))
        );
        assert_eq!(t.canonical(Person, &p("Bush")), Some(p("Bush")));
        assert_eq!(
            t.canonical(Org, &p("U.S. Treasury")),
            Some(p("U.S. Treasury"))
        );
        assert_eq!(t.canonical(Org, &p("US Treasury")), None);
        let yangon = vec!["Burma".to_string(), "Yangon".to_string()];
        assert_eq!(
            t.canonical(Place, &yangon),
            Some(vec!["Myanmar".to_string(), "Yangon".to_string()])
        );
        assert_eq!(t.canonical(Person, &p("Tony Blair")), Some(p("Tony Blair")));
    }

    #[test]
    fn cycles_are_refused_and_auto_never_undoes_a_user_merge() {
        use Action::*;
        use EntityType::*;
        let user = [
            edit(Merge, Person, "A", Some("B")),
            edit(Merge, Person, "B", Some("C")),
            edit(Merge, Person, "c", Some("a")),
        ];
        let err = AliasTable::new(&user, &[]).unwrap_err();
        assert!(err.to_string().starts_with("merge cycle:"), "{err}");
        let user = [edit(Merge, Person, "Ronald Reagan", Some("Reagan"))];
        let auto = [edit(Merge, Person, "Reagan", Some("Ronald Reagan"))];
        let t = AliasTable::new(&user, &auto).unwrap();
        assert_eq!(t.canonical(Person, &p("Ronald Reagan")), Some(p("Reagan")));
        assert_eq!(t.canonical(Person, &p("Reagan")), Some(p("Reagan")));
    }
}
