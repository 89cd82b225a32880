//! The sequence tagger: hashed features and a greedy averaged-perceptron
//! decoder over BILOU labels for persons, places and organizations.
//!
//! Owns the feature templates (shared with training in `train.rs`), the model
//! file format and decoding. Features are hashed straight into a fixed table
//! of rows (one weight per label), so a token costs a few dozen row additions
//! and no allocation: all buffers live in a reusable [`Scratch`].

use std::collections::HashSet;
use std::hash::BuildHasherDefault;
use std::io::{Read, Write};
use std::ops::Range;

use anyhow::{Context, bail};

use super::gazetteer::{Cat, Gazetteer, IdHasher, Match, N_CATS, word_hash};

/// Entity kinds the tagger labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Per = 0,
    Loc = 1,
    Org = 2,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Per, Kind::Loc, Kind::Org];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Per => "PER",
            Kind::Loc => "LOC",
            Kind::Org => "ORG",
        }
    }

    fn from_index(i: u8) -> Kind {
        match i {
            0 => Kind::Per,
            1 => Kind::Loc,
            _ => Kind::Org,
        }
    }
}

/// Labels: 0 is O; then B, I, L, U for each kind.
pub const N_LABELS: usize = 13;
pub const O: u8 = 0;
const B: u8 = 1;
const I: u8 = 2;
const L: u8 = 3;
const U: u8 = 4;

pub fn label(kind: Kind, part: u8) -> u8 {
    1 + 4 * kind as u8 + (part - 1)
}

const fn part(label: u8) -> u8 {
    if label == O { 0 } else { (label - 1) % 4 + 1 }
}

fn kind_of(label: u8) -> Kind {
    Kind::from_index((label - 1) / 4)
}

/// Whether `next` may follow `prev` in a BILOU sequence.
const fn valid(prev: u8, next: u8) -> bool {
    let open = matches!(part(prev), B | I);
    match part(next) {
        0 | B | U => !open,
        // Same kind: labels 1-4 are persons, 5-8 places, 9-12 organizations.
        _ => open && (prev - 1) / 4 == (next - 1) / 4,
    }
}

/// [`valid`] for every pair, looked up by the decoder's inner loop.
const VALID: [[bool; N_LABELS]; N_LABELS] = {
    let mut table = [[false; N_LABELS]; N_LABELS];
    let mut prev = 0;
    while prev < N_LABELS {
        let mut next = 0;
        while next < N_LABELS {
            table[prev][next] = valid(prev as u8, next as u8);
            next += 1;
        }
        prev += 1;
    }
    table
};

/// Converts typed spans to BILOU labels.
pub fn spans_to_labels(n: usize, spans: &[(usize, usize, Kind)], out: &mut Vec<u8>) {
    out.clear();
    out.resize(n, O);
    for &(s, e, k) in spans {
        if e == s + 1 {
            out[s] = label(k, U);
        } else {
            out[s] = label(k, B);
            for l in &mut out[s + 1..e - 1] {
                *l = label(k, I);
            }
            out[e - 1] = label(k, L);
        }
    }
}

/// Converts BILOU labels to typed spans (appending).
pub fn labels_to_spans(labels: &[u8], offset: usize, out: &mut Vec<(usize, usize, Kind)>) {
    let mut start = None;
    for (i, &l) in labels.iter().enumerate() {
        match part(l) {
            U => out.push((offset + i, offset + i + 1, kind_of(l))),
            B => start = Some(i),
            L => {
                if let Some(s) = start.take() {
                    out.push((offset + s, offset + i + 1, kind_of(l)));
                }
            }
            I => {}
            _ => start = None,
        }
    }
}

pub type HashSet64 = HashSet<u64, BuildHasherDefault<IdHasher>>;

// Feature templates.
const T_BIAS: u64 = 1;
/// A word's block: the rows of its identity features, consecutive so that
/// one word's rows share cache lines (the slots are [`W`] to [`PREV_W`]).
const T_WORD: u64 = 2;
const T_WM1W: u64 = 7;
const T_WWP1: u64 = 8;
const T_SHAPE: u64 = 9;
const T_SS: u64 = 10;
const T_SSM1: u64 = 11;
const T_SSP1: u64 = 12;
const T_SS3: u64 = 13;
const T_PRE: u64 = 14;
const T_SUF: u64 = 18;
const T_FIRST_SS: u64 = 23;
const T_GAZ: u64 = 24;
const T_GAZM1: u64 = 25;
const T_GAZP1: u64 = 26;
const T_CAPS: u64 = 27;
const T_USUALLY_LOWER: u64 = 28;
const T_PREV: u64 = 29;
const T_PREV_SS: u64 = 32;
const T_TITLE_M1: u64 = 33;
const T_WM1_SS: u64 = 34;

#[inline]
fn fh(template: u64, v: u64, mask: u32) -> u32 {
    let x = (v ^ template.wrapping_mul(0x9e37_79b9_7f4a_7c15)).wrapping_mul(0xff51_afd7_ed55_8ccd);
    let x = x ^ (x >> 31);
    (x.wrapping_mul(0xc4ce_b9fe_1a85_ec53) >> 32) as u32 & mask
}

/// `v[i]`, or `before`/`after` for positions outside the sentence.
#[inline]
fn padded<T: Copy>(v: &[T], i: isize, before: T, after: T) -> T {
    match usize::try_from(i) {
        Err(_) => before,
        Ok(i) => v.get(i).copied().unwrap_or(after),
    }
}

/// Rows of a word's block: the word at the token (`W`), one and two before
/// (`WM1`, `WM2`), one and two after (`WP1`, `WP2`), then one row per previous
/// label (`PREV_W + label`).
const W: u32 = 0;
const WM1: u32 = 1;
const WP1: u32 = 2;
const WM2: u32 = 3;
const WP2: u32 = 4;
const PREV_W: u32 = 5;

#[inline]
fn mix(a: u64, b: u64) -> u64 {
    (a.rotate_left(17) ^ b).wrapping_mul(0x2545_f491_4f6c_dd1d)
}

/// How to read letter case when computing shapes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CaseMode {
    AsWritten,
    /// An all-caps sentence: read a usually-lower-case word as lower case and
    /// any other as Title case.
    Lower,
    Title,
}

/// Word shape (first 8 classes) and short shape (runs collapsed), hashed.
fn shapes(word: &str, mode: CaseMode) -> (u64, u64) {
    let mut full: u64 = 7;
    let mut short: u64 = 11;
    let mut last = 0u8;
    for (n, c) in word.chars().enumerate() {
        let class = if c.is_alphabetic() {
            let upper = match mode {
                CaseMode::AsWritten => c.is_uppercase(),
                CaseMode::Lower => false,
                CaseMode::Title => n == 0,
            };
            if upper { b'X' } else { b'x' }
        } else if c.is_ascii_digit() {
            b'd'
        } else if c.is_ascii() {
            c as u8
        } else {
            b'o'
        };
        if n < 8 {
            full = mix(full, u64::from(class));
        }
        if class != last {
            short = mix(short, u64::from(class));
            last = class;
        }
    }
    (full, short)
}

/// Per-sentence buffers, reused across sentences and documents.
#[derive(Default)]
pub struct Scratch {
    hashes: Vec<u64>,
    /// Each word's block (first row), and the block of its short shape.
    blocks: Vec<u32>,
    shape_blocks: Vec<u32>,
    shape: Vec<u64>,
    short: Vec<u64>,
    gaz: Vec<u64>,
    matches: Vec<Match>,
    /// Static feature rows, `offs[i]..offs[i+1]` for token `i`.
    pub feats: Vec<u32>,
    pub offs: Vec<u32>,
    /// Punctuation no name runs through ("Lithuania - Danius Gleveckas").
    breaker: Vec<bool>,
    /// The words whose features are computed (see [`Model::tag`]).
    wanted: Vec<bool>,
    /// The stretches of the sentence [`Model::tag`] decodes.
    stretches: Vec<(usize, usize)>,
    lattice: Lattice,
}

/// Whether a token ends any name it follows: a dash, comma, colon,
/// semicolon, bracket, bar or slash standing alone.
fn is_breaker(word: &str) -> bool {
    matches!(
        word,
        "-" | "–" | "—" | "--" | "," | ";" | ":" | "(" | ")" | "[" | "]" | "|" | "/"
    )
}

/// Sentences longer than this many words leave buffers that
/// [`Scratch::trim`] frees (the lattice takes about 700 bytes a word).
const KEEP_WORDS: usize = 4096;

impl Scratch {
    /// Frees the buffers if a very long sentence grew them, so a thread does
    /// not hold on to them.
    pub fn trim(&mut self) {
        if self.hashes.capacity() > KEEP_WORDS {
            *self = Scratch::default();
        }
    }

    /// The gazetteer matches of the last sentence featurized.
    pub fn matches(&self) -> &[Match] {
        &self.matches
    }
}

/// Feature extraction, shared by decoding and training.
pub struct Featurizer {
    pub bits: u32,
    mask: u32,
    /// First row of the previous-label features.
    prev_block: u32,
    /// Words usually written lower case (for case restoration and a feature).
    pub lower: HashSet64,
}

/// Whether a sentence is written in capitals (a headline, a dateline).
pub fn all_caps(words: &[&str]) -> bool {
    let mut caps = 0;
    let mut other = 0;
    for w in words {
        let (letters, lower) = letters_and_lower(w);
        if letters < 2 {
            continue;
        }
        if lower {
            other += 1;
        } else {
            caps += 1;
        }
    }
    caps >= 2 && caps > 3 * other
}

/// Whether a sentence is a headline in title case ("Rocket Attack on Camp
/// Hurriya"): no lower-case word longer than a function word, and at least
/// two words after the first that are usually lower case written
/// capitalized. Case says as little about names there as in capitals, so it
/// is read like capitals.
pub fn title_case(words: &[&str], hashes: &[u64], lower: &HashSet64) -> bool {
    if words.len() > 25 {
        return false;
    }
    let mut common = 0;
    for (i, (w, h)) in words.iter().zip(hashes).enumerate() {
        let Some(c) = w.chars().next() else {
            continue;
        };
        if c.is_lowercase() {
            if w.len() > 4 {
                return false;
            }
        } else if c.is_uppercase() && i > 0 && lower.contains(h) {
            common += 1;
        }
    }
    common >= 2
}

/// How many letters a word has and whether any is lower case, in one pass
/// (bytes for ASCII words, the common case).
fn letters_and_lower(w: &str) -> (usize, bool) {
    if w.is_ascii() {
        w.bytes().fold((0, false), |(n, lower), b| {
            (
                n + usize::from(b.is_ascii_alphabetic()),
                lower || b.is_ascii_lowercase(),
            )
        })
    } else {
        w.chars().fold((0, false), |(n, lower), c| {
            (
                n + usize::from(c.is_alphabetic()),
                lower || c.is_lowercase(),
            )
        })
    }
}

impl Featurizer {
    pub fn new(bits: u32, lower: HashSet64) -> Featurizer {
        let mask = (1u32 << bits) - 1;
        Featurizer {
            bits,
            mask,
            prev_block: fh(T_PREV, 0, mask),
            lower,
        }
    }

    /// Fills `s.feats`/`s.offs` with the static features of each word.
    pub fn features(&self, gaz: &Gazetteer, words: &[&str], s: &mut Scratch) {
        s.wanted.clear();
        s.wanted.resize(words.len(), true);
        self.features_of_wanted(gaz, words, s);
    }

    /// Fills `s.feats`/`s.offs` with the static features of the words
    /// `s.wanted` marks (the others get none). The sentence-wide inputs
    /// (hashes, shapes, gazetteer matches) are computed for every word, so a
    /// wanted word's features are the same as when all are wanted.
    fn features_of_wanted(&self, gaz: &Gazetteer, words: &[&str], s: &mut Scratch) {
        let n = words.len();
        let m = self.mask;
        s.hashes.clear();
        s.hashes.extend(words.iter().map(|w| word_hash(w)));
        let caps = all_caps(words) || title_case(words, &s.hashes, &self.lower);
        s.shape.clear();
        s.short.clear();
        for (w, &h) in words.iter().zip(&s.hashes) {
            let mode = if !caps {
                CaseMode::AsWritten
            } else if self.lower.contains(&h) {
                CaseMode::Lower
            } else {
                CaseMode::Title
            };
            let (f, sh) = shapes(w, mode);
            s.shape.push(f);
            s.short.push(sh);
        }
        s.blocks.clear();
        s.blocks.extend(s.hashes.iter().map(|&h| fh(T_WORD, h, m)));
        s.shape_blocks.clear();
        s.shape_blocks
            .extend(s.short.iter().map(|&h| fh(T_PREV_SS, h, m)));
        s.breaker.clear();
        s.breaker.extend(words.iter().map(|w| is_breaker(w)));
        s.gaz.clear();
        s.gaz.resize(n, 0);
        s.matches.clear();
        gaz.find(words, &s.hashes, &mut s.matches);
        for mt in &s.matches {
            let c = mt.what.cat() as u64 * 4;
            if mt.end == mt.start + 1 {
                s.gaz[mt.start] |= 1 << (c + 3);
            } else {
                s.gaz[mt.start] |= 1 << c;
                for g in &mut s.gaz[mt.start + 1..mt.end - 1] {
                    *g |= 1 << (c + 1);
                }
                s.gaz[mt.end - 1] |= 1 << (c + 2);
            }
        }
        s.feats.clear();
        s.offs.clear();
        s.offs.push(0);
        const BOS: u64 = 0x5eed;
        const EOS: u64 = 0xe05;
        let (bos_block, eos_block) = (fh(T_WORD, BOS, m), fh(T_WORD, EOS, m));
        let row =
            |i: isize, slot: u32| padded(&s.blocks, i, bos_block, eos_block).wrapping_add(slot) & m;
        let wh = |i: isize| padded(&s.hashes, i, BOS, EOS);
        let ss = |i: isize| padded(&s.short, i, BOS, EOS);
        let title_bits = 0xfu64 << (Cat::Title as u64 * 4);
        #[allow(clippy::needless_range_loop)]
        for i in 0..n {
            if !s.wanted[i] {
                s.offs.push(s.feats.len() as u32);
                continue;
            }
            let ii = i as isize;
            let f = &mut s.feats;
            let w = s.hashes[i];
            f.push(fh(T_BIAS, 0, m));
            f.push(row(ii, W));
            f.push(row(ii - 1, WM1));
            f.push(row(ii + 1, WP1));
            f.push(row(ii - 2, WM2));
            f.push(row(ii + 2, WP2));
            f.push(fh(T_WM1W, mix(wh(ii - 1), w), m));
            f.push(fh(T_WWP1, mix(w, wh(ii + 1)), m));
            f.push(fh(T_SHAPE, s.shape[i], m));
            f.push(fh(T_SS, s.short[i], m));
            f.push(fh(T_SSM1, ss(ii - 1), m));
            f.push(fh(T_SSP1, ss(ii + 1), m));
            f.push(fh(T_SS3, mix(mix(ss(ii - 1), s.short[i]), ss(ii + 1)), m));
            f.push(fh(T_WM1_SS, mix(wh(ii - 1), s.short[i]), m));
            // Affixes of the folded word.
            let mut pre: u64 = 3;
            for (k, c) in words[i].chars().take(3).enumerate() {
                pre = mix(pre, u64::from(c.to_ascii_lowercase()));
                f.push(fh(T_PRE + k as u64, pre, m));
            }
            let mut suf: u64 = 5;
            for (k, c) in words[i].chars().rev().take(4).enumerate() {
                suf = mix(suf, u64::from(c.to_ascii_lowercase()));
                f.push(fh(T_SUF + k as u64, suf, m));
            }
            if i == 0 {
                f.push(fh(T_FIRST_SS, s.short[i], m));
            }
            if caps {
                f.push(fh(T_CAPS, s.short[i], m));
            }
            let upper_initial = words[i].chars().next().is_some_and(char::is_uppercase);
            if upper_initial && self.lower.contains(&w) {
                f.push(fh(T_USUALLY_LOWER, u64::from(i == 0), m));
            }
            let g = s.gaz[i];
            let mut bits = g;
            while bits != 0 {
                let b = bits.trailing_zeros() as u64;
                f.push(fh(T_GAZ, b, m));
                bits &= bits - 1;
            }
            for (t, gg) in [
                (T_GAZM1, if i > 0 { s.gaz[i - 1] } else { 0 }),
                (T_GAZP1, s.gaz.get(i + 1).copied().unwrap_or(0)),
            ] {
                for c in 0..N_CATS as u64 {
                    if gg & (0xf << (c * 4)) != 0 {
                        f.push(fh(t, c, m));
                    }
                }
            }
            if i > 0 && s.gaz[i - 1] & title_bits != 0 {
                f.push(fh(T_TITLE_M1, s.short[i], m));
            }
            s.offs.push(f.len() as u32);
        }
    }

    /// The features that depend on the previous label: the label alone, with
    /// the word, and with the word's short shape. Each is a block of rows,
    /// one per previous label, so the 13 rows a token needs are consecutive.
    #[inline]
    pub fn dynamic(&self, s: &Scratch, i: usize, prev: u8) -> [u32; 3] {
        let m = self.mask;
        let p = u32::from(prev);
        [
            self.prev_block.wrapping_add(p) & m,
            s.blocks[i].wrapping_add(PREV_W + p) & m,
            s.shape_blocks[i].wrapping_add(p) & m,
        ]
    }
}

/// Weights as a flat table of rows, one weight per label.
pub trait Weights {
    /// Adds the rows of `feats`, in order, to `scores`.
    fn add_rows(&self, feats: &[u32], scores: &mut [f32; N_LABELS]);
}

impl Weights for [f32] {
    #[inline]
    fn add_rows(&self, feats: &[u32], scores: &mut [f32; N_LABELS]) {
        for &f in feats {
            let row = &self[f as usize * N_LABELS..(f as usize + 1) * N_LABELS];
            for (sc, &w) in scores.iter_mut().zip(row) {
                *sc += w;
            }
        }
    }
}

impl Weights for [i16] {
    /// Sums in integers and converts once: the same scores to the bit as
    /// adding each row in `f32`, since every partial sum is an integer far
    /// below 2^24 (at most a few dozen rows of at most 2^15).
    #[inline]
    fn add_rows(&self, feats: &[u32], scores: &mut [f32; N_LABELS]) {
        let mut sum = [0i32; N_LABELS];
        for &f in feats {
            let row = &self[f as usize * N_LABELS..(f as usize + 1) * N_LABELS];
            for (acc, &w) in sum.iter_mut().zip(row) {
                *acc += i32::from(w);
            }
        }
        for (sc, acc) in scores.iter_mut().zip(sum) {
            *sc += acc as f32;
        }
    }
}

/// Buffers of the Viterbi decoder.
#[derive(Default)]
pub struct Lattice {
    /// Emission scores: the static features' rows summed, per token.
    emission: Vec<[f32; N_LABELS]>,
    /// Transition scores: the dynamic features' rows summed, per token and
    /// previous label.
    transition: Vec<[[f32; N_LABELS]; N_LABELS]>,
    delta: Vec<[f32; N_LABELS]>,
    back: Vec<[u8; N_LABELS]>,
}

impl Lattice {
    /// Sums every weight row the sentence needs before decoding. The rows
    /// are scattered over a table of megabytes, so nearly every one is a cache
    /// miss; gathered in tight loops with no decoding in between, the loads
    /// overlap instead of waiting one by one. The additions happen in the same
    /// order as a token-by-token decoder would make them, so scores (and
    /// labels) are the same to the bit.
    fn gather<W: Weights + ?Sized>(
        &mut self,
        feats: &Featurizer,
        w: &W,
        s: &Scratch,
        tokens: Range<usize>,
    ) {
        let n = tokens.len();
        self.emission.clear();
        self.emission.resize(n, [0.0; N_LABELS]);
        for (i, em) in tokens.clone().zip(self.emission.iter_mut()) {
            w.add_rows(&s.feats[s.offs[i] as usize..s.offs[i + 1] as usize], em);
        }
        self.transition.clear();
        self.transition.resize(n, [[0.0; N_LABELS]; N_LABELS]);
        for (i, tr) in tokens.clone().zip(self.transition.iter_mut()) {
            // The first token only follows the sentence start (O).
            let prevs: &[u8] = if i == tokens.start { &[O] } else { &ALL_LABELS };
            for &p in prevs {
                w.add_rows(&feats.dynamic(s, i, p), &mut tr[p as usize]);
            }
        }
    }
}

/// First-order Viterbi decoding over BILOU labels with the transitions that
/// BILOU allows; the features of `s` must be computed. With `break_at_punct`
/// no name runs through a lone dash, comma, colon or bracket (used when
/// extracting; training leaves the corpora's few such spans reachable, which
/// measured better: CoNLL dev 0.774 against 0.756).
pub fn viterbi<W: Weights + ?Sized>(
    feats: &Featurizer,
    w: &W,
    s: &Scratch,
    n: usize,
    break_at_punct: bool,
    lat: &mut Lattice,
    out: &mut Vec<u8>,
) {
    out.clear();
    if n == 0 {
        return;
    }
    out.resize(n, O);
    decode(feats, w, s, 0..n, false, break_at_punct, lat, out);
}

/// [`viterbi`] over the words `tokens` of the sentence, as if the word before
/// them were labelled O; with `ends_outside`, the last of them is held to O.
/// Writes the labels of `tokens` into `out`.
#[allow(clippy::too_many_arguments)]
fn decode<W: Weights + ?Sized>(
    feats: &Featurizer,
    w: &W,
    s: &Scratch,
    tokens: Range<usize>,
    ends_outside: bool,
    break_at_punct: bool,
    lat: &mut Lattice,
    out: &mut [u8],
) {
    let n = tokens.len();
    if n == 0 {
        return;
    }
    lat.gather(feats, w, s, tokens.clone());
    lat.delta.clear();
    lat.back.clear();
    for k in 0..n {
        let i = tokens.start + k;
        let em = &lat.emission[k];
        let mut delta = [f32::NEG_INFINITY; N_LABELS];
        let mut back = [0u8; N_LABELS];
        let prevs: &[u8] = if k == 0 { &[O] } else { &ALL_LABELS };
        let only_o = (break_at_punct && s.breaker[i]) || (ends_outside && k == n - 1);
        let labels = if only_o { 1 } else { N_LABELS };
        for &p in prevs {
            let base = if k == 0 {
                0.0
            } else {
                lat.delta[k - 1][p as usize]
            };
            if base == f32::NEG_INFINITY {
                continue;
            }
            let tr = &lat.transition[k][p as usize];
            let allowed = &VALID[p as usize];
            for l in (0..labels).filter(|&l| allowed[l]) {
                let v = base + tr[l] + em[l];
                if v > delta[l] {
                    delta[l] = v;
                    back[l] = p;
                }
            }
        }
        lat.delta.push(delta);
        lat.back.push(back);
    }
    // The sentence must end outside a span or on its last token.
    let last = &lat.delta[n - 1];
    let mut best = O;
    for l in 0..N_LABELS as u8 {
        if !matches!(part(l), B | I) && last[l as usize] > last[best as usize] {
            best = l;
        }
    }
    let mut l = best;
    for k in (0..n).rev() {
        out[tokens.start + k] = l;
        l = lat.back[k][l as usize];
    }
}

const ALL_LABELS: [u8; N_LABELS] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

/// The trained model: quantized weights, one row of [`N_LABELS`] per bucket.
pub struct Model {
    pub feats: Featurizer,
    weights: Vec<i16>,
}

const MAGIC: &[u8; 8] = b"NDXNER02";

impl Model {
    /// Writes a model from averaged float weights (gzip).
    pub fn save(
        path: &std::path::Path,
        bits: u32,
        lower: &HashSet64,
        weights: &[f32],
    ) -> anyhow::Result<()> {
        let max = weights.iter().fold(0f32, |a, &w| a.max(w.abs())).max(1e-9);
        let scale = 32767.0 / max;
        let mut raw = Vec::with_capacity(weights.len() * 2 + lower.len() * 8 + 32);
        raw.extend_from_slice(MAGIC);
        raw.extend_from_slice(&bits.to_le_bytes());
        let mut lw: Vec<u64> = lower.iter().copied().collect();
        lw.sort_unstable();
        raw.extend_from_slice(&(lw.len() as u32).to_le_bytes());
        for h in lw {
            raw.extend_from_slice(&h.to_le_bytes());
        }
        for &w in weights {
            raw.extend_from_slice(&((w * scale).round() as i16).to_le_bytes());
        }
        let file = std::fs::File::create(path).with_context(|| format!("{}", path.display()))?;
        let mut gz = flate2::GzBuilder::new()
            .mtime(0)
            .write(file, flate2::Compression::default());
        gz.write_all(&raw)?;
        gz.finish()?;
        Ok(())
    }

    pub fn load(gz: &[u8]) -> anyhow::Result<Model> {
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(gz)
            .read_to_end(&mut raw)
            .context("model: bad gzip")?;
        if raw.len() < 16 || &raw[..8] != MAGIC {
            bail!("model: not a newsdex NER model");
        }
        let u32_at = |i: usize| u32::from_le_bytes(raw[i..i + 4].try_into().unwrap_or([0; 4]));
        let bits = u32_at(8);
        let n_lower = u32_at(12) as usize;
        let mut pos = 16;
        let mut lower = HashSet64::default();
        lower.reserve(n_lower);
        for _ in 0..n_lower {
            let b: [u8; 8] = raw
                .get(pos..pos + 8)
                .and_then(|s| s.try_into().ok())
                .context("model: truncated")?;
            lower.insert(u64::from_le_bytes(b));
            pos += 8;
        }
        let n = (1usize << bits) * N_LABELS;
        let body = raw
            .get(pos..pos + 2 * n)
            .context("model: truncated weights")?;
        let weights = body
            .chunks_exact(2)
            .map(|c| i16::from_le_bytes([c[0], c[1]]))
            .collect();
        Ok(Model {
            feats: Featurizer::new(bits, lower),
            weights,
        })
    }

    /// Tags one sentence, writing one label per word to `out`.
    ///
    /// Only the stretches of the sentence that could hold a name are decoded:
    /// the words with a capital letter or a leading digit and [`CONTEXT`]
    /// words either side. Every other word is labelled O without being
    /// scored; a stretch is decoded as if preceded by an O and with the word
    /// after it held to O, so where the whole-sentence decoder labels those
    /// words O (lower-case running text, nearly always) the labels are the
    /// same, at a fraction of the work.
    pub fn tag(&self, gaz: &Gazetteer, words: &[&str], s: &mut Scratch, out: &mut Vec<u8>) {
        out.clear();
        if words.is_empty() {
            return;
        }
        let n = words.len();
        name_stretches(words, &mut s.stretches);
        s.wanted.clear();
        s.wanted.resize(n, false);
        for &(a, b) in &s.stretches {
            // The word after a stretch is scored too, held to O.
            s.wanted[a..(b + 1).min(n)].fill(true);
        }
        self.feats.features_of_wanted(gaz, words, s);
        out.resize(n, O);
        let mut lat = std::mem::take(&mut s.lattice);
        for &(a, b) in &s.stretches {
            let ends_outside = b < n;
            let end = if ends_outside { b + 1 } else { b };
            decode(
                &self.feats,
                &self.weights[..],
                s,
                a..end,
                ends_outside,
                true,
                &mut lat,
                out,
            );
        }
        s.lattice = lat;
    }
}

/// Words either side of a possible name word that are decoded with it.
const CONTEXT: usize = 2;

/// Whether a word could be part of a name on its own evidence: it has a
/// capital letter ("Smith", "al-Sadr", "U.S.") or opens with a digit ("3M").
fn could_name(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_digit())
        || if word.is_ascii() {
            word.bytes().any(|b| b.is_ascii_uppercase())
        } else {
            word.chars().any(char::is_uppercase)
        }
}

/// The stretches `(start, end)` of a sentence within [`CONTEXT`] words of a
/// word that [`could_name`], merged when they touch or are one word apart
/// (the word between would be scored anyway, held to O).
fn name_stretches(words: &[&str], out: &mut Vec<(usize, usize)>) {
    out.clear();
    let n = words.len();
    for (i, w) in words.iter().enumerate() {
        if !could_name(w) {
            continue;
        }
        let (a, b) = (i.saturating_sub(CONTEXT), (i + CONTEXT + 1).min(n));
        match out.last_mut() {
            Some(last) if a <= last.1 + 1 => last.1 = b,
            _ => out.push((a, b)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bilou_round_trip() {
        let spans = vec![(0, 2, Kind::Per), (3, 4, Kind::Loc), (5, 8, Kind::Org)];
        let mut labels = Vec::new();
        spans_to_labels(9, &spans, &mut labels);
        let mut back = Vec::new();
        labels_to_spans(&labels, 0, &mut back);
        assert_eq!(back, spans);
        assert!(valid(label(Kind::Per, B), label(Kind::Per, L)));
        assert!(!valid(label(Kind::Per, B), label(Kind::Org, L)));
        assert!(!valid(O, label(Kind::Per, I)));
    }

    #[test]
    fn stretches_cover_words_that_could_name_and_their_context() {
        let words = [
            "the", "talks", "in", "Geneva", "ended", "without", "a", "deal", "on", "tuesday",
            "said", "the", "UN",
        ];
        let mut out = Vec::new();
        name_stretches(&words, &mut out);
        assert_eq!(out, vec![(1, 6), (10, 13)]);
        name_stretches(&["prices", "rose", "3.5", "pct"], &mut out);
        assert_eq!(out, vec![(0, 4)]);
        name_stretches(&["no", "names", "in", "this", "one"], &mut out);
        assert!(out.is_empty());
    }

    /// Decoding only the stretches gives the whole-sentence decoder's labels
    /// where that decoder leaves the words between them O.
    #[test]
    fn tagging_stretches_matches_tagging_whole_sentences() {
        let gaz = super::super::load_gazetteer().unwrap();
        let model = Model::load(super::super::MODEL_GZ).unwrap();
        let sentences = [
            "officials said on monday that the talks between the two sides would resume \
             next week in Geneva , where Jean-Pierre Lacroix of the United Nations met them",
            "the company , which was founded in 1990 and is based in Chicago , said its \
             shares rose after Goldman Sachs raised its forecast for the year",
            "BAGHDAD ( Reuters ) - Iraqi Prime Minister Mustafa al-Kadhimi said on \
             tuesday that the attacks had been carried out by the group",
        ];
        let (mut s, mut lat) = (Scratch::default(), Lattice::default());
        for sentence in sentences {
            let words: Vec<&str> = sentence.split_whitespace().collect();
            let mut stretches = Vec::new();
            model.tag(&gaz, &words, &mut s, &mut stretches);
            model.feats.features(&gaz, &words, &mut s);
            let mut whole = Vec::new();
            let weights = &model.weights[..];
            viterbi(
                &model.feats,
                weights,
                &s,
                words.len(),
                true,
                &mut lat,
                &mut whole,
            );
            assert_eq!(stretches, whole, "{sentence}");
            assert!(whole.iter().any(|&l| l != O), "{sentence}");
            let mut within = Vec::new();
            name_stretches(&words, &mut within);
            assert!(within.iter().map(|(a, b)| b - a).sum::<usize>() < words.len());
        }
    }

    #[test]
    fn detects_all_caps_sentences() {
        assert!(all_caps(&[
            "CRICKET",
            "-",
            "LEICESTERSHIRE",
            "TAKE",
            "OVER"
        ]));
        assert!(!all_caps(&["The", "US", "said", "NATO", "would"]));
    }
}
