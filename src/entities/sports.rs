//! Sports pages: clubs, teams and competitions.
//!
//! On a sports page "Barcelona beat Lyon 2-1" names two clubs, not two
//! cities, and "Chelsea" or "Everton" is no person; results tables ("Boston
//! 5 Detroit 3") list teams. A page is recognised from its own words (game
//! vocabulary and scores), never from a section header of one corpus. On
//! such pages known team names are organizations unless they follow a
//! place preposition ("in Barcelona"), cities followed by a score are
//! teams, and competitions ("World Cup", "Davis Cup", "Group C") are none of
//! person, place or organization. Owns the team table
//! (`data/ner/clubs.tsv.gz`, `data/ner/teams.tsv`) and these rules.

use std::collections::HashSet;
use std::io::Read;

use anyhow::Context as _;

use super::gazetteer::{Cat, Ref, SEQ_SEED, seq_hash, word_hash};
use super::passes::{Context, mark};
use super::tagger::Kind;
use super::tokenize::{Token, tokenize};
use super::{Link, Span, is_capitalized};

/// Words of game reports; a page with enough of them (and scores) is a
/// sports page.
const GAME_WORDS: &[&str] = &[
    "soccer",
    "football",
    "rugby",
    "cricket",
    "tennis",
    "golf",
    "baseball",
    "basketball",
    "hockey",
    "league",
    "cup",
    "match",
    "matches",
    "goal",
    "goals",
    "scored",
    "scorer",
    "scorers",
    "striker",
    "midfielder",
    "defender",
    "goalkeeper",
    "coach",
    "innings",
    "wicket",
    "wickets",
    "batsman",
    "bowler",
    "half-time",
    "halftime",
    "penalty",
    "penalties",
    "semi-final",
    "quarter-final",
    "semifinal",
    "quarterfinal",
    "semi-finals",
    "quarter-finals",
    "tournament",
    "championship",
    "championships",
    "squad",
    "teammate",
    "seeded",
    "unbeaten",
    "relegation",
    "touchdown",
    "inning",
    "innings",
    "pitcher",
    "quarterback",
    "referee",
    "olympic",
    "olympics",
    "medal",
    "marathon",
    "prix",
    "slam",
    "racing",
    "birdie",
    "nba",
    "nfl",
    "nhl",
    "fifa",
    "uefa",
    "drew",
    "beat",
    "victory",
    "defeat",
    "champion",
    "champions",
    "player",
    "players",
    "standings",
    "fixtures",
];

/// Last words of the names of competitions and other events ("World Cup",
/// "U.S. Open", "Consumer Electronics Show", "General Election").
const EVENT_HEADS: &[&str] = &[
    "show",
    "election",
    "elections",
    "festival",
    "awards",
    "ceremony",
    "expo",
    "cup",
    "open",
    "championship",
    "championships",
    "olympics",
    "trophy",
    "prix",
    "games",
];

/// Last words of competition names read as such only on sports pages
/// ("Premier League"; elsewhere "Arab League" is a body).
const SPORTS_EVENT_HEADS: &[&str] = &["league", "series", "tour", "masters", "classic"];

/// Competitions named without a head word: none of person, place or
/// organization wherever the tagger read them as a person or an
/// organization (on sports pages also as a place: "at Wimbledon").
const COMPETITIONS: &[&str] = &[
    "Six Nations",
    "Tri Nations",
    "Wimbledon",
    "Roland Garros",
    "Tour de France",
    "Giro d'Italia",
    "Vuelta",
    "Super Bowl",
    "Grand National",
    "Wimbledon Championships",
];

/// Place prepositions: "in Barcelona" is the city even on a sports page.
const PLACE_PREPOSITIONS: &[&str] = &["in", "at", "from", "to", "near"];

static CLUBS_GZ: &[u8] = include_bytes!("../../data/ner/clubs.tsv.gz");
static TEAMS: &str = include_str!("../../data/ner/teams.tsv");

/// Team names as token-sequence hashes, and the game vocabulary.
pub struct Teams {
    /// Full names: hash of the token sequence.
    names: HashSet<u64>,
    /// Every proper prefix of a name.
    prefixes: HashSet<u64>,
    max_len: usize,
    game_words: HashSet<u64>,
    /// [`COMPETITIONS`], as token-sequence hashes.
    competitions: HashSet<u64>,
}

impl Teams {
    /// Loads the compiled-in club and team lists.
    pub fn load() -> anyhow::Result<Teams> {
        let mut clubs = String::new();
        flate2::read::GzDecoder::new(CLUBS_GZ)
            .read_to_string(&mut clubs)
            .context("clubs.tsv.gz")?;
        let mut t = Teams {
            names: HashSet::new(),
            prefixes: HashSet::new(),
            max_len: 1,
            game_words: GAME_WORDS.iter().map(|w| word_hash(w)).collect(),
            competitions: HashSet::new(),
        };
        let mut toks = Vec::new();
        for name in COMPETITIONS {
            toks.clear();
            tokenize(name, &mut toks);
            let hashes: Vec<u64> = toks.iter().map(|t| word_hash(t.text(name))).collect();
            t.competitions.insert(seq_of(&hashes));
        }
        for line in clubs.lines().chain(TEAMS.lines()) {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let (name, aliases) = line.split_once('\t').unwrap_or((line, ""));
            for n in std::iter::once(name).chain(aliases.split('|')) {
                t.add(n.trim(), &mut toks);
            }
        }
        Ok(t)
    }

    fn add(&mut self, name: &str, toks: &mut Vec<Token>) {
        toks.clear();
        tokenize(name, toks);
        if toks.is_empty() {
            return;
        }
        let mut h = SEQ_SEED;
        for (i, tok) in toks.iter().enumerate() {
            h = seq_hash(h, word_hash(tok.text(name)));
            if i + 1 < toks.len() {
                self.prefixes.insert(h);
            }
        }
        self.names.insert(h);
        self.max_len = self.max_len.max(toks.len());
    }

    /// The end of the longest team name starting at `i`.
    fn longest_at(&self, hashes: &[u64], i: usize) -> Option<usize> {
        let mut h = SEQ_SEED;
        let mut best = None;
        for (j, &wh) in hashes.iter().enumerate().skip(i).take(self.max_len) {
            h = seq_hash(h, wh);
            if self.names.contains(&h) {
                best = Some(j + 1);
            }
            if !self.prefixes.contains(&h) {
                break;
            }
        }
        best
    }

    /// Whether the words (folded hashes) are exactly a team's name.
    fn is_name(&self, hashes: &[u64]) -> bool {
        self.names.contains(&seq_of(hashes))
    }

    /// Whether the words (folded hashes) are exactly a competition's name.
    fn is_competition(&self, hashes: &[u64]) -> bool {
        self.competitions.contains(&seq_of(hashes))
    }

    /// Whether a page reads as a game report: game words and scores make up
    /// a noticeable share of it.
    pub fn is_sports_page(&self, words: &[&str], hashes: &[u64]) -> bool {
        let mut cues = 0usize;
        for (w, h) in words.iter().zip(hashes) {
            if self.game_words.contains(h) || is_score(w) {
                cues += 1;
            }
        }
        cues >= 4 && cues * 40 >= words.len()
    }
}

/// The hash of a sequence of folded word hashes, as the team table keys it.
fn seq_of(hashes: &[u64]) -> u64 {
    hashes.iter().fold(SEQ_SEED, |h, &w| seq_hash(h, w))
}

/// "2-1", "6-4", "3-0": a result.
fn is_score(w: &str) -> bool {
    let Some((a, b)) = w.split_once('-') else {
        return false;
    };
    !a.is_empty()
        && !b.is_empty()
        && a.len() <= 3
        && b.len() <= 3
        && a.bytes().all(|c| c.is_ascii_digit())
        && b.bytes().all(|c| c.is_ascii_digit())
}

fn is_number(w: &str) -> bool {
    w.starts_with(|c: char| c.is_ascii_digit())
}

fn one_of(list: &[&str], w: &str) -> bool {
    list.iter().any(|s| w.eq_ignore_ascii_case(s))
}

impl Context<'_> {
    /// Competitions are no person, place or organization: "World Cup",
    /// "Davis Cup", "U.S. Open" anywhere; "Premier League", "Group C" on
    /// sports pages. Lexicon entries ("Arab League") stay.
    pub fn drop_competitions(&self, teams: &Teams, spans: &mut Vec<Span>, sports: bool) {
        let words = self.words;
        spans.retain(|s| {
            if s.link != Link::Own {
                return true;
            }
            let last = words[s.end - 1];
            let multi = s.end - s.start >= 2;
            let event = multi
                && (one_of(EVENT_HEADS, last) || (sports && one_of(SPORTS_EVENT_HEADS, last)));
            // "the Open", "the Games": the head alone, capitalized mid-sentence.
            let lone_head = !multi
                && one_of(EVENT_HEADS, last)
                && !self.starts_sentence(s.start)
                && !last.chars().all(|c| !c.is_lowercase());
            let named = (sports || s.kind != Kind::Loc)
                && teams.is_competition(&self.hashes()[s.start..s.end]);
            if lone_head || named {
                return false;
            }
            let group = sports
                && multi
                && words[s.end - 2] == "Group"
                && last.len() == 1
                && last.chars().all(|c| c.is_ascii_uppercase());
            !(event || group)
        });
    }

    /// A club's name read as a person is the club, on any page ("Chelsea
    /// have signed", "Manchester United's shares"): a name of two or more
    /// words, or one word that is nobody's surname, when the article names
    /// no person in full that it belongs to and no title comes before it.
    pub fn clubs_named_as_persons(&self, teams: &Teams, spans: &mut [Span]) {
        let hashes = self.hashes();
        let mut clubs = Vec::new();
        for (ix, s) in spans.iter_mut().enumerate() {
            let one = s.end == s.start + 1;
            if s.kind == Kind::Per
                && s.link == Link::Own
                && !(one && self.covers(s.start, Cat::Last))
                && !(s.start > 0 && self.covers(s.start - 1, Cat::Title))
                && teams.is_name(&hashes[s.start..s.end])
            {
                s.kind = Kind::Org;
                clubs.push(ix);
            }
        }
        // "United" linked to "Manchester United" follows it.
        for s in spans.iter_mut() {
            if let Link::Span(t) = s.link
                && clubs.contains(&t)
            {
                s.kind = Kind::Org;
            }
        }
    }

    /// On a sports page, known team names are organizations (unless a
    /// place preposition comes first), and a city right before a number in
    /// a results line is a team. National sides keep their country's place
    /// type, as news annotation does.
    pub fn read_teams(&self, teams: &Teams, spans: &mut Vec<Span>, in_span: &mut [bool]) {
        let (words, n, hashes) = (self.words, self.n, &self.hashes);
        let mut i = 0;
        while i < n {
            let after_preposition = i > 0 && one_of(PLACE_PREPOSITIONS, words[i - 1]);
            let Some(e) = (if is_capitalized(words[i]) && !after_preposition {
                teams.longest_at(hashes, i)
            } else {
                None
            }) else {
                i += 1;
                continue;
            };
            // One common word ("Hard", "Bury") is a club only in capitals
            // nobody would write otherwise; leave it.
            let common = e == i + 1 && self.usually_lower(words[i]);
            let country =
                common || self.exact(i, e, |r| matches!(r, Ref::Country(_) | Ref::Demonym(_)));
            let inside = |s: &Span| s.start < e && i < s.end;
            let fits = spans
                .iter()
                .filter(|s| inside(s))
                .all(|s| s.start >= i && s.end <= e && s.link == Link::Own);
            if country || !fits {
                i = e;
                continue;
            }
            spans.retain(|s| !inside(s));
            spans.push(Span {
                start: i,
                end: e,
                kind: Kind::Org,
                link: Link::Own,
            });
            mark(in_span, i, e);
            i = e;
        }
        // Results lines: "Boston 5 Detroit 3".
        for s in spans.iter_mut() {
            if s.kind == Kind::Loc
                && s.link == Link::Own
                && s.end < n
                && is_number(words[s.end])
                && !self.exact(s.start, s.end, |r| {
                    matches!(r, Ref::Country(_) | Ref::Demonym(_) | Ref::Region(_))
                })
            {
                s.kind = Kind::Org;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_recognised() {
        assert!(is_score("2-1"));
        assert!(is_score("6-4"));
        assert!(!is_score("1987-88x"));
        assert!(!is_score("-"));
        assert!(!is_score("well-known"));
    }

    #[test]
    fn team_names_load_and_match_longest() {
        let t = Teams::load().expect("teams");
        let words = ["Manchester", "United", "won"];
        let hashes: Vec<u64> = words.iter().map(|w| word_hash(w)).collect();
        assert_eq!(t.longest_at(&hashes, 0), Some(2));
        assert_eq!(t.longest_at(&hashes, 2), None);
    }
}
