//! Place resolution: a place mention to a GeoNames hierarchy path
//! `[Country, Region, City]`, only as deep as was mentioned; and the rules
//! that decide which place words are mentions of a place at all.
//!
//! Chooses among same-named places with the other places of the article
//! (a city in a mentioned country or region wins), national capitals and
//! population; a small town, or a town matched by an alternate name, needs
//! its country or region named in the article. A place word inside an
//! organization's name ("Hanover Insurance"), an agreement's ("Louvre
//! accord") or a currency's ("Swiss franc") is not a mention of it. Marks a
//! place *main* in its article when it is in the headline, dateline or lead,
//! or mentioned at least twice.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::gazetteer::{Gazetteer, Match, Ref};
use super::tagger::Kind;
use super::{Link, PlaceEntity, Span};

/// A place mention: its gazetteer candidates (empty when unknown).
#[derive(Debug, Clone)]
pub struct Mention {
    pub candidates: Vec<Ref>,
    /// [`Gazetteer::name_key`] of the words mentioned.
    pub key: u64,
    /// In the headline, dateline or lead.
    pub prominent: bool,
    /// A dateline: its candidates need no further evidence (one candidate
    /// when it was read with its state or country).
    pub pinned: bool,
    /// Written in capitals, three letters or fewer ("GAO"): an acronym
    /// more likely than a town.
    pub acronym: bool,
}

impl Mention {
    /// A mention of `words` with its gazetteer candidates.
    pub fn new(candidates: Vec<Ref>, words: &[&str], prominent: bool) -> Mention {
        let acronym = words.len() == 1 && {
            let letters = words[0].chars().filter(|c| c.is_alphabetic()).count();
            letters <= 3 && !words[0].chars().any(char::is_lowercase)
        };
        Mention {
            candidates,
            key: Gazetteer::name_key(words),
            prominent,
            pinned: false,
            acronym,
        }
    }
}

/// A country mentioned by its demonym ("Iraqi officials") at token `at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemonymMention {
    pub country: u16,
    pub at: usize,
}

const COUNTRY_BONUS: f64 = 3.0;
/// A town in a region the article names ("Paris, Texas") beats even a
/// capital of the same name.
const REGION_BONUS: f64 = 6.0;
/// A national capital beats its namesakes ("WASHINGTON" is not the English
/// town, even in a story that names Britain).
const CAPITAL_BONUS: f64 = 4.0;
/// A region's score before bonuses: a region is chosen over a city of
/// about this population.
const REGION_PRIOR: f64 = 13.0;
/// Towns at least this large are known well enough to be named alone.
const WELL_KNOWN: u64 = 100_000;
/// An alternate name ("Peking") is trusted alone only for a city this large.
const WELL_KNOWN_ALIAS: u64 = 1_000_000;
/// A mention is *main* with this many mentions or more (a place counting
/// those of the places inside its country).
pub const MAIN_MENTIONS: u32 = 2;

/// A region is known alone (without its country or a place in it named)
/// only in a country at least this populous ("Texas", "Bavaria", not
/// "Bay" in Somalia or "West Coast" in New Zealand).
const REGION_KNOWN_ALONE: u64 = 60_000_000;
/// A capital is known alone only when its country has this many people
/// (Douglas is the Isle of Man's).
const CAPITAL_KNOWN_ALONE: u64 = 1_000_000;
/// What an alternate name costs against a namesake's own name
/// ("Philadelphia" is Amman's ancient name).
const ALIAS_PENALTY: f64 = 2.0;

/// Whether a city candidate may stand without its country or region named
/// in the article: a large town, or a national capital, under its own name.
fn known_alone(gaz: &Gazetteer, ix: u32, m: &Mention) -> bool {
    let c = &gaz.cities[ix as usize];
    if m.acronym {
        return false;
    }
    if c.key == m.key {
        c.population >= WELL_KNOWN
            || (c.capital && gaz.countries[c.country as usize].population >= CAPITAL_KNOWN_ALONE)
    } else {
        c.population >= WELL_KNOWN_ALIAS
    }
}

fn region_known_alone(gaz: &Gazetteer, ix: u32, m: &Mention) -> bool {
    let reg = &gaz.regions[ix as usize];
    !m.acronym && gaz.countries[reg.country as usize].population >= REGION_KNOWN_ALONE
}

fn choose(
    gaz: &Gazetteer,
    m: &Mention,
    countries: &HashSet<u16>,
    regions: &HashSet<u32>,
) -> Option<Ref> {
    let cands = &m.candidates;
    if let Some(c) = cands.iter().find(|r| matches!(r, Ref::Country(_))) {
        return Some(*c);
    }
    let region_cands: HashSet<u32> = cands
        .iter()
        .filter_map(|r| match r {
            Ref::Region(x) => Some(*x),
            _ => None,
        })
        .collect();
    let mut best: Option<(f64, Ref)> = None;
    for &r in cands {
        let score = match r {
            Ref::City(ix) => {
                let c = &gaz.cities[ix as usize];
                let in_country = countries.contains(&c.country);
                let in_region = c.region.is_some_and(|reg| regions.contains(&reg));
                if !(m.pinned || in_country || in_region || known_alone(gaz, ix, m)) {
                    continue;
                }
                let own_name = c.key == m.key;
                let mut s = (c.population as f64 + 1.0).ln();
                if in_country {
                    s += COUNTRY_BONUS;
                }
                if in_region {
                    s += REGION_BONUS;
                }
                if c.capital && own_name {
                    s += CAPITAL_BONUS;
                }
                if !own_name {
                    s -= ALIAS_PENALTY;
                }
                // "Basra" names the city and its province: the city.
                if c.region.is_some_and(|reg| region_cands.contains(&reg)) {
                    s += 1.0;
                }
                s
            }
            Ref::Region(ix) => {
                let reg = &gaz.regions[ix as usize];
                let in_country = countries.contains(&reg.country);
                if !(m.pinned || in_country || region_known_alone(gaz, ix, m)) {
                    continue;
                }
                // Between same-named regions, the bigger country's.
                let country_pop = gaz.countries[reg.country as usize].population as f64;
                let mut s = REGION_PRIOR + (country_pop + 1.0).ln() / 100.0;
                if in_country {
                    s += COUNTRY_BONUS;
                }
                s
            }
            _ => continue,
        };
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, r));
        }
    }
    best.map(|(_, r)| r)
}

/// The hierarchy path of a place.
pub fn path(gaz: &Gazetteer, r: Ref) -> Option<Vec<String>> {
    match r {
        Ref::Country(c) => Some(vec![gaz.countries[c as usize].name.clone()]),
        Ref::Region(ix) => {
            let reg = &gaz.regions[ix as usize];
            Some(vec![
                gaz.countries[reg.country as usize].name.clone(),
                reg.name.clone(),
            ])
        }
        Ref::City(ix) => {
            let c = &gaz.cities[ix as usize];
            let region = c
                .region
                .map_or_else(|| c.name.clone(), |r| gaz.regions[r as usize].name.clone());
            Some(vec![
                gaz.countries[c.country as usize].name.clone(),
                region,
                c.name.clone(),
            ])
        }
        _ => None,
    }
}

/// Resolves the article's place mentions and demonym mentions into place
/// entities with mention counts, most mentioned first. `prominent_end`: the
/// tokens before it are the headline, dateline and lead.
pub fn resolve(
    gaz: &Gazetteer,
    mentions: &[Mention],
    demonyms: &[DemonymMention],
    prominent_end: usize,
) -> Vec<PlaceEntity> {
    let mut countries: HashSet<u16> = demonyms.iter().map(|d| d.country).collect();
    let mut regions = HashSet::new();
    for m in mentions {
        for r in &m.candidates {
            if let Ref::Country(c) = r {
                countries.insert(*c);
            }
        }
    }
    // The dateline's place, then every place that stands alone, name their
    // country (and region) for the places that need one: "Scotland" in a
    // story filed from Glasgow, "Bay" only where Somalia is named.
    let note = |r: Ref, countries: &mut HashSet<u16>, regions: &mut HashSet<u32>| match r {
        Ref::City(ix) => {
            countries.insert(gaz.cities[ix as usize].country);
            regions.extend(gaz.cities[ix as usize].region);
        }
        Ref::Region(ix) => {
            countries.insert(gaz.regions[ix as usize].country);
            regions.insert(ix);
        }
        _ => {}
    };
    // A dateline's town alone is the best known of its name, whatever
    // else the story names (WASHINGTON in a story about Britain).
    let (no_countries, no_regions) = (HashSet::new(), HashSet::new());
    let mut dateline = Vec::new();
    for m in mentions.iter().filter(|m| m.pinned) {
        let r = choose(gaz, m, &no_countries, &no_regions);
        if let Some(r) = r {
            note(r, &mut countries, &mut regions);
        }
        dateline.push(r);
    }
    let mut dateline = dateline.into_iter();
    // Regions, and towns with no namesake, chosen in a first pass; a town
    // among namesakes ("Paris") must not vouch for its own country.
    let first: Vec<Ref> = mentions
        .iter()
        .filter(|m| !m.pinned)
        .filter_map(|m| match choose(gaz, m, &countries, &regions)? {
            r @ Ref::Region(_) => Some(r),
            r @ Ref::City(_) if m.candidates.len() == 1 => Some(r),
            _ => None,
        })
        .collect();
    for r in first {
        note(r, &mut countries, &mut regions);
    }
    let mut counts: BTreeMap<Vec<String>, (u32, bool)> = BTreeMap::new();
    for m in mentions {
        let chosen = if m.pinned {
            dateline.next().flatten()
        } else {
            choose(gaz, m, &countries, &regions)
        };
        if let Some(p) = chosen.and_then(|r| path(gaz, r)) {
            let e = counts.entry(p).or_default();
            e.0 += 1;
            e.1 |= m.prominent;
        }
    }
    for d in demonyms {
        if let Some(p) = path(gaz, Ref::Country(d.country)) {
            let e = counts.entry(p).or_default();
            e.0 += 1;
            e.1 |= d.at < prominent_end;
        }
    }
    // A country counts the mentions of the places inside it ("Tokyo" and
    // "Japan" make Japan main, and with it the places named in it).
    let mut per_country: HashMap<&str, u32> = HashMap::new();
    for (path, (mentions, _)) in &counts {
        *per_country.entry(path[0].as_str()).or_default() += mentions;
    }
    let rolled_up: HashSet<String> = per_country
        .into_iter()
        .filter(|(_, n)| *n >= MAIN_MENTIONS)
        .map(|(c, _)| c.to_string())
        .collect();
    let mut out: Vec<PlaceEntity> = counts
        .into_iter()
        .map(|(path, (mentions, prominent))| PlaceEntity {
            main: prominent || rolled_up.contains(&path[0]),
            path,
            mentions,
        })
        .collect();
    out.sort_by(|a, b| {
        b.mentions
            .cmp(&a.mentions)
            .then_with(|| a.path.cmp(&b.path))
    });
    out
}

/// Words that end an organization's name ("Hanover Insurance", "Dome
/// Petroleum", "Bank of ..."): a place word before them names the company.
const ORG_HEADS: &[&str] = &[
    "corp",
    "corp.",
    "corporation",
    "inc",
    "inc.",
    "co",
    "co.",
    "cos",
    "company",
    "ltd",
    "ltd.",
    "plc",
    "llc",
    "ag",
    "sa",
    "nv",
    "bv",
    "spa",
    "group",
    "holdings",
    "bank",
    "bancorp",
    "bancshares",
    "banking",
    "insurance",
    "assurance",
    "petroleum",
    "oil",
    "gas",
    "energy",
    "industries",
    "industrial",
    "airlines",
    "airways",
    "motors",
    "steel",
    "mining",
    "mines",
    "resources",
    "electric",
    "electronics",
    "telephone",
    "telecom",
    "chemical",
    "chemicals",
    "trust",
    "savings",
    "securities",
    "investment",
    "investments",
    "financial",
    "capital",
    "partners",
    "properties",
    "land",
    "foods",
    "brewing",
    "breweries",
    "express",
    "fund",
    "aviation",
    "railway",
    "railroad",
    "utilities",
    "power",
    "light",
    "shipping",
    "exchange",
];

/// Words after a place name that make it an agreement's or a negotiation's
/// name ("Louvre accord", "Uruguay round", "Plaza agreement").
const AGREEMENT_WORDS: &[&str] = &[
    "accord",
    "accords",
    "pact",
    "round",
    "agreement",
    "treaty",
    "convention",
];

/// Currency words: "Swiss franc", "U.S. dlrs", "Canadian dollar" name a
/// currency, not a mention of the country. Wider than
/// [`super::companies::is_currency`] ("mark", "cent"): read only after a
/// place word or demonym, where they cannot be a person's name.
const CURRENCY_WORDS: &[&str] = &[
    "dollar",
    "dollars",
    "dlr",
    "dlrs",
    "cent",
    "cents",
    "franc",
    "francs",
    "mark",
    "marks",
    "pound",
    "pounds",
    "sterling",
    "stg",
    "yen",
    "lira",
    "lire",
    "peseta",
    "pesetas",
    "guilder",
    "guilders",
    "crown",
    "crowns",
    "krona",
    "kronor",
    "krone",
    "kroner",
    "rand",
    "peso",
    "pesos",
    "escudo",
    "escudos",
    "schilling",
    "schillings",
    "drachma",
    "drachmas",
    "rupee",
    "rupees",
    "ringgit",
    "rupiah",
    "won",
    "yuan",
    "rouble",
    "roubles",
    "ruble",
    "rubles",
    "cruzado",
    "cruzados",
    "currency",
];

fn is_one_of(word: &str, list: &[&str]) -> bool {
    word.len() <= 12 && list.iter().any(|w| w.eq_ignore_ascii_case(word))
}

fn is_capitalized(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

fn has_lower(w: &str) -> bool {
    w.chars().any(char::is_lowercase)
}

/// The end of the organization name a place word at `start..end` opens,
/// if it opens one: up to three more capitalized words, the last an
/// organization head ("Dome Petroleum", "Hanover Insurance Co").
fn org_name_end(words: &[&str], start: usize, end: usize) -> Option<usize> {
    // In a headline in capitals every word looks like a name: only a legal
    // suffix right after the place word tells ("EDO CORP").
    if !words[start..end].iter().any(|w| has_lower(w)) {
        let next = words.get(end).copied().unwrap_or("");
        return super::companies::is_legal_suffix(next).then_some(end + 1);
    }
    let mut found = None;
    let mut j = end;
    while j < words.len() && j < end + 4 && is_capitalized(words[j]) && has_lower(words[j]) {
        if is_one_of(words[j], ORG_HEADS) {
            found = Some(j + 1);
        } else if found.is_some() {
            break;
        }
        j += 1;
    }
    // "U.S. Securities and Exchange Commission": the name goes on, and its
    // own head decides what it is.
    let end = found?;
    let goes_on = words
        .get(end)
        .is_some_and(|w| matches!(*w, "and" | "&" | "of" | "for"))
        && words.get(end + 1).is_some_and(|w| is_capitalized(w));
    (!goes_on).then_some(end)
}

/// Whether the words after `end` make the preceding place word part of an
/// agreement's or a currency's name.
fn names_agreement_or_currency(words: &[&str], end: usize) -> bool {
    let next = |k: usize| words.get(end + k).copied().unwrap_or("");
    is_one_of(next(0), AGREEMENT_WORDS)
        || is_one_of(next(0), CURRENCY_WORDS)
        // "U.S. 10-year bonds" no; "Hong Kong and U.S. dollars" no: only the
        // word right after, or after a period-split abbreviation's dot.
        || (next(0) == "." && is_one_of(next(1), CURRENCY_WORDS))
}

/// Keeps the spans whose `kept` flag is set, with `Link::Span` targets
/// renumbered; a link to a dropped span becomes the span's own name.
pub fn retain_spans(spans: &mut Vec<Span>, kept: &[bool]) {
    if kept.iter().all(|&k| k) {
        return;
    }
    let mut new_ix = vec![usize::MAX; spans.len()];
    let mut n = 0;
    for (i, &k) in kept.iter().enumerate() {
        if k {
            new_ix[i] = n;
            n += 1;
        }
    }
    let old = std::mem::take(spans);
    for (i, mut s) in old.into_iter().enumerate() {
        if !kept[i] {
            continue;
        }
        if let Link::Span(t) = s.link {
            s.link = match new_ix[t] {
                usize::MAX => Link::Own,
                t => Link::Span(t),
            };
        }
        spans.push(s);
    }
}

/// Place spans that are not mentions of a place: a place word opening an
/// organization's name becomes that organization ("Hanover Insurance");
/// one naming an agreement or a currency ("Louvre accord", "Swiss franc")
/// is dropped. Runs on the final spans of a document.
pub fn drop_non_mentions(words: &[&str], spans: &mut Vec<Span>) {
    let starts: HashMap<usize, usize> = spans
        .iter()
        .enumerate()
        .map(|(i, s)| (s.start, i))
        .collect();
    let mut grow = Vec::new();
    for (ix, s) in spans.iter().enumerate() {
        if s.kind != Kind::Loc {
            continue;
        }
        if let Some(end) = org_name_end(words, s.start, s.end) {
            // The words it takes in must be free, or spans of their own.
            grow.push((ix, end));
        }
    }
    let mut absorbed = HashSet::new();
    for (ix, end) in grow {
        let s = spans[ix];
        let free = (s.end..end).all(|i| {
            !spans
                .iter()
                .any(|o| o.start <= i && i < o.end && !(o.start >= s.end && o.end <= end))
        });
        if !free {
            continue;
        }
        for i in s.end..end {
            if let Some(&o) = starts.get(&i)
                && o != ix
            {
                absorbed.insert(o);
            }
        }
        let sp = &mut spans[ix];
        sp.end = end;
        sp.kind = Kind::Org;
        sp.link = Link::Own;
    }
    let kept: Vec<bool> = spans
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let names_other = s.kind == Kind::Loc && names_agreement_or_currency(words, s.end);
            !(absorbed.contains(&i) || names_other)
        })
        .collect();
    retain_spans(spans, &kept);
}

/// Demonyms outside any name count as mentions of their country, except
/// inside a company's name ("Royal Dutch", "Anglo American", "British
/// Land") or a currency's ("Canadian dollar").
pub fn demonym_mentions(matches: &[Match], spans: &[Span], words: &[&str]) -> Vec<DemonymMention> {
    let mut out = Vec::new();
    for m in matches {
        let Ref::Demonym(country) = m.what else {
            continue;
        };
        if spans.iter().any(|x| x.start < m.end && m.start < x.end) {
            continue;
        }
        if names_agreement_or_currency(words, m.end)
            || org_name_end(words, m.start, m.end).is_some()
        {
            continue;
        }
        // "Royal Dutch", "Anglo American": a capitalized word before the
        // demonym, not opening a sentence, makes it the end of a name.
        let in_name = m.start > 0
            && is_capitalized(words[m.start - 1])
            && has_lower(words[m.start - 1])
            && has_lower(words[m.start])
            && !(m.start == 1 || matches!(words[m.start - 2], "." | "\"" | "'" | "(" | ":" | "-"));
        if in_name
            && !matches
                .iter()
                .any(|o| o.end == m.start && o.what.is_place())
        {
            continue;
        }
        out.push(DemonymMention {
            country,
            at: m.start,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use crate::article::Article;
    use crate::entities::{Entities, Extractor};

    fn ex() -> &'static Extractor {
        static EX: OnceLock<Extractor> = OnceLock::new();
        EX.get_or_init(|| Extractor::load().expect("load extractor"))
    }

    fn extract(title: &str, dateline: Option<&str>, body: &[&str]) -> Entities {
        ex().extract(&Article {
            title: title.to_string(),
            dateline: dateline.map(String::from),
            body: body.iter().map(|p| p.to_string()).collect(),
            ..Default::default()
        })
    }

    fn countries(e: &Entities) -> Vec<&str> {
        let mut v: Vec<&str> = e.places.iter().map(|p| p.path[0].as_str()).collect();
        v.dedup();
        v
    }

    #[test]
    fn continents_are_not_towns() {
        let e = extract(
            "",
            None,
            &["Exports to Africa and Asia rose, while Europe bought less."],
        );
        assert!(e.places.is_empty(), "{e:?}");
    }

    #[test]
    fn historical_names_map_to_successor_states() {
        let e = extract(
            "",
            None,
            &["West German and Soviet officials met in Zaire and Burma."],
        );
        let c = countries(&e);
        for want in [
            "Germany",
            "Russia",
            "Democratic Republic of the Congo",
            "Myanmar",
        ] {
            assert!(c.contains(&want), "{want}: {e:?}");
        }
    }

    #[test]
    fn company_agreement_and_currency_names_are_not_places() {
        let e = extract(
            "",
            None,
            &[
                "Hanover Insurance Co said it would buy the unit for 20 mln U.S. dlrs.",
                "The Swiss franc rose after the Louvre accord, traders said.",
            ],
        );
        assert!(e.places.is_empty(), "{e:?}");
        assert!(
            e.orgs
                .iter()
                .any(|o| o.name.starts_with("Hanover Insurance")),
            "{e:?}"
        );
    }

    #[test]
    fn a_capital_beats_its_namesakes() {
        let e = extract(
            "",
            Some("WASHINGTON, March 3 -"),
            &["Officials from Britain and Canada met on trade."],
        );
        assert!(
            e.places
                .iter()
                .any(|p| p.path.join("/") == "United States/Washington, D.C./Washington"),
            "{e:?}"
        );
    }

    #[test]
    fn main_places_are_in_the_lead_or_repeated() {
        let e = extract(
            "Oil output rises",
            None,
            &[
                "Norway raised its oil output in March, the ministry said.",
                "Output in Denmark was unchanged. Sweden buys oil from Sweden's neighbours.",
                "Exports to Japan rose.",
            ],
        );
        let main = |name: &str| e.places.iter().find(|p| p.path[0] == name).map(|p| p.main);
        assert_eq!(main("Norway"), Some(true), "{e:?}");
        assert_eq!(main("Sweden"), Some(true), "{e:?}");
        assert_eq!(main("Denmark"), Some(false), "{e:?}");
        assert_eq!(main("Japan"), Some(false), "{e:?}");
    }
}
