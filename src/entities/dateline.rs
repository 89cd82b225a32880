//! Wire datelines: "CAMBRIDGE, Mass., March 3 -", "SADDLE BROOK, N.J.",
//! "CALGARY, Alberta", "TAUPO, New Zealand", "WASHINGTON".
//!
//! A dateline names the place a story was filed from, written in capitals
//! the tagger reads poorly, often qualified by a U.S. state (in the wire's
//! abbreviations), a Canadian province or a country. The town is resolved
//! inside the named state or country, the state stands when the town is
//! unknown, and nothing in a dateline is a person or an organization. The
//! same abbreviations after "Town," in running text ("Richmond, Va.") are
//! known here too, so no rule reads them as names.

use super::gazetteer::{Gazetteer, Ref};
use super::places::{self, Mention};
use super::{Analysis, DocTokens};

/// Wire (AP) abbreviations of U.S. states and Canadian provinces, written
/// without periods and lower-cased, with the country and full name.
const ABBREVIATIONS: &[(&str, &str, &str)] = &[
    ("ala", "US", "Alabama"),
    ("ariz", "US", "Arizona"),
    ("ark", "US", "Arkansas"),
    ("calif", "US", "California"),
    ("cal", "US", "California"),
    ("colo", "US", "Colorado"),
    ("conn", "US", "Connecticut"),
    ("del", "US", "Delaware"),
    ("dc", "US", "Washington, D.C."),
    ("fla", "US", "Florida"),
    ("ga", "US", "Georgia"),
    ("ill", "US", "Illinois"),
    ("ind", "US", "Indiana"),
    ("kan", "US", "Kansas"),
    ("kans", "US", "Kansas"),
    ("ky", "US", "Kentucky"),
    ("la", "US", "Louisiana"),
    ("md", "US", "Maryland"),
    ("mass", "US", "Massachusetts"),
    ("mich", "US", "Michigan"),
    ("minn", "US", "Minnesota"),
    ("miss", "US", "Mississippi"),
    ("mo", "US", "Missouri"),
    ("mont", "US", "Montana"),
    ("neb", "US", "Nebraska"),
    ("nebr", "US", "Nebraska"),
    ("nev", "US", "Nevada"),
    ("nh", "US", "New Hampshire"),
    ("nj", "US", "New Jersey"),
    ("nm", "US", "New Mexico"),
    ("ny", "US", "New York"),
    ("nc", "US", "North Carolina"),
    ("nd", "US", "North Dakota"),
    ("okla", "US", "Oklahoma"),
    ("ore", "US", "Oregon"),
    ("oreg", "US", "Oregon"),
    ("pa", "US", "Pennsylvania"),
    ("penn", "US", "Pennsylvania"),
    ("ri", "US", "Rhode Island"),
    ("sc", "US", "South Carolina"),
    ("sd", "US", "South Dakota"),
    ("tenn", "US", "Tennessee"),
    ("tex", "US", "Texas"),
    ("vt", "US", "Vermont"),
    ("va", "US", "Virginia"),
    ("wash", "US", "Washington"),
    ("wva", "US", "West Virginia"),
    ("wis", "US", "Wisconsin"),
    ("wisc", "US", "Wisconsin"),
    ("wyo", "US", "Wyoming"),
    ("alta", "CA", "Alberta"),
    ("bc", "CA", "British Columbia"),
    ("man", "CA", "Manitoba"),
    ("nb", "CA", "New Brunswick"),
    ("nfld", "CA", "Newfoundland and Labrador"),
    ("ns", "CA", "Nova Scotia"),
    ("ont", "CA", "Ontario"),
    ("pei", "CA", "Prince Edward Island"),
    ("que", "CA", "Quebec"),
    ("sask", "CA", "Saskatchewan"),
];

/// Two-letter postal codes, read as states only in a dateline.
const POSTAL: &[(&str, &str)] = &[
    ("al", "Alabama"),
    ("ak", "Alaska"),
    ("az", "Arizona"),
    ("ar", "Arkansas"),
    ("ca", "California"),
    ("co", "Colorado"),
    ("ct", "Connecticut"),
    ("de", "Delaware"),
    ("fl", "Florida"),
    ("hi", "Hawaii"),
    ("id", "Idaho"),
    ("il", "Illinois"),
    ("in", "Indiana"),
    ("ia", "Iowa"),
    ("ks", "Kansas"),
    ("me", "Maine"),
    ("ma", "Massachusetts"),
    ("mi", "Michigan"),
    ("mn", "Minnesota"),
    ("ms", "Mississippi"),
    ("mt", "Montana"),
    ("ne", "Nebraska"),
    ("nv", "Nevada"),
    ("oh", "Ohio"),
    ("ok", "Oklahoma"),
    ("or", "Oregon"),
    ("tn", "Tennessee"),
    ("tx", "Texas"),
    ("ut", "Utah"),
    ("wa", "Washington"),
    ("wv", "West Virginia"),
    ("wi", "Wisconsin"),
    ("wy", "Wyoming"),
];

const MONTHS: &[&str] = &[
    "jan",
    "january",
    "feb",
    "february",
    "mar",
    "march",
    "apr",
    "april",
    "may",
    "jun",
    "june",
    "jul",
    "july",
    "aug",
    "august",
    "sep",
    "sept",
    "september",
    "oct",
    "october",
    "nov",
    "november",
    "dec",
    "december",
];

/// Letters of an abbreviation written with or without periods, lower-cased
/// ("N.J." → "nj"); `None` when it is longer than any abbreviation.
fn folded(words: &[&str]) -> Option<String> {
    let mut out = String::new();
    for w in words {
        for c in w.chars().filter(|c| *c != '.') {
            if out.len() >= 6 || !c.is_ascii_alphabetic() {
                return None;
            }
            out.push(c.to_ascii_lowercase());
        }
    }
    Some(out)
}

/// The state or province an abbreviation names: (country ISO code, name).
fn abbreviation(words: &[&str], postal: bool) -> Option<(&'static str, &'static str)> {
    let key = folded(words)?;
    ABBREVIATIONS
        .iter()
        .find(|(a, _, _)| *a == key)
        .map(|&(_, cc, name)| (cc, name))
        .or_else(|| {
            postal
                .then(|| POSTAL.iter().find(|(a, _)| *a == key))
                .flatten()
                .map(|&(_, name)| ("US", name))
        })
}

/// Whether `word` abbreviates a U.S. state or Canadian province, with or
/// without periods ("Pa.", "Wash", "NJ"): callers check the context
/// ("Town, Pa."), since several are also words or names.
pub fn names_a_state(word: &str) -> bool {
    abbreviation(&[word], true).is_some()
}

/// Whether token `i` is a state abbreviation written after a town and a
/// comma ("Richmond, Va.", "SADDLE BROOK, N.J."): a state, never a name.
pub fn is_state_abbreviation_at(words: &[&str], i: usize) -> bool {
    let w = words[i];
    let dotted = w.ends_with('.') || words.get(i + 1) == Some(&".");
    i >= 2
        && words[i - 1] == ","
        && words[i - 2].chars().next().is_some_and(char::is_uppercase)
        && dotted
        && w.chars().next().is_some_and(char::is_uppercase)
        && abbreviation(&[w], false).is_some()
}

fn tokens_of(text: &str) -> Vec<&str> {
    let mut toks = Vec::new();
    super::tokenize::tokenize(text, &mut toks);
    toks.iter().map(|t| t.text(text)).collect()
}

/// A qualifier: a state or province, or a country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Qualifier {
    Region(u32),
    Country(u16),
}

fn qualifier(gaz: &Gazetteer, words: &[&str]) -> Option<Qualifier> {
    let country_ix = |iso: &str| gaz.countries.iter().position(|c| c.iso == iso);
    let mut refs = Vec::new();
    if let Some((cc, name)) = abbreviation(words, true) {
        let country = country_ix(cc)? as u16;
        gaz.lookup(&tokens_of(name), &mut refs);
        return refs.iter().find_map(|r| match *r {
            Ref::Region(ix) if gaz.regions[ix as usize].country == country => {
                Some(Qualifier::Region(ix))
            }
            _ => None,
        });
    }
    let words: Vec<&str> = words.iter().copied().filter(|w| *w != ".").collect();
    gaz.lookup(&words, &mut refs);
    if let Some(c) = refs.iter().find_map(|r| match *r {
        Ref::Country(c) => Some(c),
        _ => None,
    }) {
        return Some(Qualifier::Country(c));
    }
    // A state or province written in full ("Texas", "British Columbia").
    refs.iter().find_map(|r| match *r {
        Ref::Region(ix) => Some(Qualifier::Region(ix)),
        _ => None,
    })
}

fn is_date(words: &[&str]) -> bool {
    words.first().is_some_and(|w| {
        w.chars().next().is_some_and(|c| c.is_ascii_digit())
            || MONTHS
                .iter()
                .any(|m| m.eq_ignore_ascii_case(w.trim_end_matches('.')))
    })
}

/// The place a dateline on tokens `words` names, as a mention.
fn read(gaz: &Gazetteer, words: &[&str]) -> Option<Mention> {
    let mut parts = words.split(|w| *w == ",");
    let town = parts.next().filter(|t| !t.is_empty())?;
    let qual = parts
        .next()
        .filter(|p| !p.is_empty() && !is_date(p))
        .and_then(|p| qualifier(gaz, p));
    let mut cands = Vec::new();
    gaz.lookup(town, &mut cands);
    cands.retain(|r| r.is_place());
    let pinned = |candidates: Vec<Ref>| Mention {
        pinned: true,
        acronym: false,
        ..Mention::new(candidates, town, true)
    };
    let largest = |inside: &dyn Fn(u32) -> bool| {
        cands
            .iter()
            .filter_map(|r| match *r {
                Ref::City(ix) if inside(ix) => Some((gaz.cities[ix as usize].population, *r)),
                _ => None,
            })
            .max_by_key(|(pop, _)| *pop)
            .map(|(_, r)| r)
    };
    match qual {
        Some(Qualifier::Region(reg)) => {
            let city = largest(&|ix| gaz.cities[ix as usize].region == Some(reg));
            Some(pinned(vec![city.unwrap_or(Ref::Region(reg))]))
        }
        Some(Qualifier::Country(c)) => {
            let city = largest(&|ix| gaz.cities[ix as usize].country == c);
            let region = cands.iter().copied().find(|r| match *r {
                Ref::Region(ix) => gaz.regions[ix as usize].country == c,
                _ => false,
            });
            Some(pinned(vec![city.or(region).unwrap_or(Ref::Country(c))]))
        }
        // A town alone: the usual choice among namesakes (capitals and
        // large cities first), exempt from the evidence small towns need.
        None if !cands.is_empty() => Some(pinned(cands)),
        None => None,
    }
}

/// Reads the dateline on document tokens `start..end`: its place becomes
/// the analysis's dateline mention, and no span is left inside it (a
/// dateline names no person or organization). State abbreviations after a
/// town elsewhere in the text lose any span too.
pub fn apply(gaz: &Gazetteer, doc: &DocTokens, a: &mut Analysis, start: usize, end: usize) {
    let words = &doc.words;
    if start < end {
        a.dateline = read(gaz, &words[start..end]);
    }
    let kept: Vec<bool> = a
        .spans
        .iter()
        .map(|s| {
            let in_dateline = s.start < end && start < s.end;
            let abbreviation = s.end == s.start + 1 && is_state_abbreviation_at(words, s.start);
            !in_dateline && !abbreviation
        })
        .collect();
    places::retain_spans(&mut a.spans, &kept);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::load_gazetteer;

    fn path_of(gaz: &Gazetteer, dateline: &str) -> Option<Vec<String>> {
        let words = tokens_of(dateline);
        let m = read(gaz, &words)?;
        places::resolve(gaz, &[m], &[], usize::MAX)
            .into_iter()
            .next()
            .map(|p| p.path)
    }

    #[test]
    fn towns_resolve_inside_their_state_or_country() {
        let gaz = load_gazetteer().unwrap();
        let p = |d| path_of(&gaz, d).map(|p| p.join("/"));
        assert_eq!(
            p("CAMBRIDGE, Mass., March 3 -").as_deref(),
            Some("United States/Massachusetts/Cambridge")
        );
        assert_eq!(
            p("GREENWICH, Conn., March 3 -").as_deref(),
            Some("United States/Connecticut")
        );
        assert_eq!(
            p("SADDLE BROOK, N.J., March 3 -").as_deref(),
            Some("United States/New Jersey")
        );
        assert_eq!(
            p("MINNEAPOLIS, MINN., March 3 -").as_deref(),
            Some("United States/Minnesota/Minneapolis")
        );
        assert_eq!(
            p("WASHINGTON, March 3 -").as_deref(),
            Some("United States/Washington, D.C./Washington")
        );
        assert_eq!(
            p("CALGARY, Alberta, March 3 -").as_deref(),
            Some("Canada/Alberta/Calgary")
        );
        assert_eq!(
            p("LONDON, March 3 -").as_deref(),
            Some("United Kingdom/England/London")
        );
    }

    #[test]
    fn abbreviations_after_a_town_are_states() {
        let words = tokens_of("plants in Richmond, Va., and Pa. Smith");
        let at = |w: &str| words.iter().position(|x| *x == w).unwrap();
        assert!(is_state_abbreviation_at(&words, at("Va")));
        assert!(!is_state_abbreviation_at(&words, at("Pa")));
        assert!(!is_state_abbreviation_at(&words, at("Richmond")));
    }
}
