//! Near-duplicate signatures: word shingles, MinHash, and LSH bands.
//!
//! An article's text becomes the set of its overlapping runs of
//! [`SHINGLE_WORDS`] words (Unicode words, lowercased; each CJK character is a
//! word, since those scripts put no spaces between words). Two articles are
//! as alike as the Jaccard index of their shingle sets. A MinHash signature
//! of [`HASHES`] values estimates that index from 256 bytes, and its
//! [`BANDS`] bands of [`ROWS`] values, each hashed to one term, find the
//! articles worth comparing: two articles that share a band term are
//! candidates, and an article with Jaccard index 0.4 to another shares a
//! band with it 93% of the time, one with 0.1 only 4% (see the tests).
//!
//! Each shingle is hashed once, to 64 well-mixed bits; the [`HASHES`] hash
//! functions are then one multiply-add each of that hash (odd multipliers,
//! so each is a permutation of the 64-bit values), compared on their high
//! bits. Evaluating a full 64-bit finalizer per function instead cost 280 of
//! the 340 µs a Reuters-sized article took to sign.

use std::collections::HashSet;

/// Words per shingle.
pub const SHINGLE_WORDS: usize = 4;
/// MinHash values per signature.
pub const HASHES: usize = 128;
/// Values per LSH band.
pub const ROWS: usize = 3;
/// LSH bands per signature: as many whole bands as the values hold (42, the
/// last two values are only compared).
pub const BANDS: usize = HASHES / ROWS;
/// Articles with fewer distinct shingles get no signature and never
/// cluster: a few lines of text say too little to call two articles copies.
pub const MIN_SHINGLES: usize = 30;
/// Below this many distinct shingles (in the shorter of two articles) a
/// pair must be more alike than the threshold: a short item written on a
/// house template (a bond issue, a rate table) shares most of its words
/// with every other item on that template.
pub const SHORT_SHINGLES: usize = 150;
/// What a pair of articles the shorter of which has [`MIN_SHINGLES`]
/// shingles must share; the requirement falls linearly to the threshold at
/// [`SHORT_SHINGLES`].
pub const SHORTEST_THRESHOLD: f64 = 0.8;
/// Version of the signature and band layout, stored as the signature's
/// first byte and mixed into every band term: signatures of another
/// version are never compared, and their bands never match.
pub const VERSION: u8 = 2;

/// A MinHash signature: the high 16 bits of each of [`HASHES`] minima, and
/// the number of distinct shingles it was made from. Two values of
/// unrelated sets agree by chance 1 time in 65,536, which costs an
/// estimate nothing measurable and halves the space of 32-bit values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub values: [u16; HASHES],
    /// Distinct shingles of the text (saturating at `u16::MAX`).
    pub shingles: u16,
}

impl Signature {
    /// The signature of an article's text, or `None` when it is too short.
    pub fn of(text: &str) -> Option<Signature> {
        let shingles = shingles(text, SHINGLE_WORDS);
        if shingles.len() < MIN_SHINGLES {
            return None;
        }
        Some(Signature::of_shingles(&shingles))
    }

    /// The signature of a set of shingle hashes (not empty).
    pub fn of_shingles(shingles: &HashSet<u64>) -> Signature {
        let mut minima = [u64::MAX; HASHES];
        for &shingle in shingles {
            for ((min, &a), &b) in minima.iter_mut().zip(&MULTIPLIERS).zip(&ADDENDS) {
                *min = (*min).min(shingle.wrapping_mul(a).wrapping_add(b));
            }
        }
        let mut values = [0u16; HASHES];
        for (value, min) in values.iter_mut().zip(minima) {
            *value = (min >> 48) as u16;
        }
        Signature {
            values,
            shingles: shingles.len().min(usize::from(u16::MAX)) as u16,
        }
    }

    /// The estimated Jaccard index of the two shingle sets: the share of
    /// positions where the signatures agree.
    pub fn similarity(&self, other: &Signature) -> f64 {
        let same = self
            .values
            .iter()
            .zip(&other.values)
            .filter(|(a, b)| a == b)
            .count();
        same as f64 / HASHES as f64
    }

    /// The least similarity for `self` and `other` to be copies, given the
    /// threshold for long articles: higher when the shorter of the two has
    /// under [`SHORT_SHINGLES`] shingles.
    pub fn required(&self, other: &Signature, threshold: f64) -> f64 {
        let n = usize::from(self.shingles.min(other.shingles));
        if n >= SHORT_SHINGLES {
            return threshold;
        }
        let short =
            (n.saturating_sub(MIN_SHINGLES)) as f64 / (SHORT_SHINGLES - MIN_SHINGLES) as f64;
        let at_length = SHORTEST_THRESHOLD + (threshold - SHORTEST_THRESHOLD) * short;
        threshold.max(at_length)
    }

    /// One term per band; articles sharing one are candidates.
    pub fn bands(&self) -> [u64; BANDS] {
        let mut out = [0u64; BANDS];
        for (band, chunk) in self.values.chunks_exact(ROWS).enumerate() {
            let mut packed = 0u64;
            for &value in chunk {
                packed = (packed << 16) | u64::from(value);
            }
            let salt = (band as u64) | (u64::from(VERSION) << 56);
            out[band] = mix(packed ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        }
        out
    }

    /// The bytes stored in the index: the version, the shingle count, the
    /// values (little-endian).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(STORED_LEN);
        out.push(VERSION);
        out.extend_from_slice(&self.shingles.to_le_bytes());
        out.extend(self.values.iter().flat_map(|v| v.to_le_bytes()));
        out
    }

    /// Reads [`Signature::to_bytes`]; `None` for anything else, such as a
    /// signature an earlier version stored.
    pub fn from_bytes(bytes: &[u8]) -> Option<Signature> {
        if bytes.len() != STORED_LEN || bytes[0] != VERSION {
            return None;
        }
        let shingles = u16::from_le_bytes([bytes[1], bytes[2]]);
        let mut values = [0u16; HASHES];
        for (value, pair) in values.iter_mut().zip(bytes[3..].chunks_exact(2)) {
            *value = u16::from_le_bytes([pair[0], pair[1]]);
        }
        Some(Signature { values, shingles })
    }
}

/// Length of [`Signature::to_bytes`].
const STORED_LEN: usize = 3 + HASHES * 2;

/// The hash functions' multipliers (odd) and addends, drawn once from a
/// SplitMix64 sequence so they are fixed across builds.
const MULTIPLIERS: [u64; HASHES] = constants(1);
const ADDENDS: [u64; HASHES] = constants(2);

const fn constants(stream: u64) -> [u64; HASHES] {
    let mut out = [0u64; HASHES];
    let mut i = 0;
    while i < HASHES {
        let x = mix((stream << 32 | i as u64).wrapping_mul(0xA076_1D64_78BD_642F));
        out[i] = if stream == 1 { x | 1 } else { x };
        i += 1;
    }
    out
}

/// The words of a text as near-duplicate detection sees them: Unicode
/// alphanumeric runs, lowercased; each CJK ideograph or kana on its own.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    word_spans(text).map(|span| span.to_lowercase())
}

/// The spans of [`words`], not yet lowercased.
fn word_spans(text: &str) -> impl Iterator<Item = &str> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        loop {
            let (start, c) = chars.next()?;
            if !c.is_alphanumeric() {
                continue;
            }
            if is_cjk(c) {
                return Some(&text[start..start + c.len_utf8()]);
            }
            let mut end = start + c.len_utf8();
            while let Some(&(i, next)) = chars.peek() {
                if !next.is_alphanumeric() || is_cjk(next) {
                    break;
                }
                end = i + next.len_utf8();
                chars.next();
            }
            return Some(&text[start..end]);
        }
    })
}

/// Scripts written without spaces between words.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // hiragana, katakana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0x20000..=0x2FFFF) // supplementary ideographs
}

/// The hashes of the text's runs of `k` words (the whole text when shorter).
pub fn shingles(text: &str, k: usize) -> HashSet<u64> {
    let hashes: Vec<u64> = word_spans(text).map(hash_word).collect();
    let mut out = HashSet::with_capacity(hashes.len());
    if hashes.is_empty() {
        return out;
    }
    for window in hashes.windows(k.min(hashes.len())) {
        let mut h = 0u64;
        for &word in window {
            h = mix(h.rotate_left(21) ^ word);
        }
        out.insert(h);
    }
    out
}

/// The exact Jaccard index of two shingle sets (1 for two empty sets).
pub fn jaccard(a: &HashSet<u64>, b: &HashSet<u64>) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let common = a.intersection(b).count();
    common as f64 / (a.len() + b.len() - common) as f64
}

/// FNV-1a over the lowercased word's bytes, then mixed; lowercases
/// without allocating (ASCII byte by byte, other characters by
/// `char::to_lowercase`, as `str::to_lowercase` does but for the final
/// Greek sigma, which no copy of a story spells both ways).
fn hash_word(word: &str) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    let mut eat = |b: u8| h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    if word.is_ascii() {
        word.bytes().for_each(|b| eat(b.to_ascii_lowercase()));
    } else {
        let mut buf = [0u8; 4];
        for c in word.chars().flat_map(char::to_lowercase) {
            c.encode_utf8(&mut buf).bytes().for_each(&mut eat);
        }
    }
    mix(h)
}

/// The finalizer of SplitMix64: every input bit affects every output bit.
const fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(n: usize, seed: usize) -> String {
        (0..n)
            .map(|i| format!("w{}", (i * 7919 + seed * 104_729) % 100_003))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn words_are_unicode_lowercased_and_cjk_split() {
        let got: Vec<String> = words("Ünïcode, ТЕКСТ—done! 北京市 o'clock 3.5").collect();
        assert_eq!(
            got,
            [
                "ünïcode",
                "текст",
                "done",
                "北",
                "京",
                "市",
                "o",
                "clock",
                "3",
                "5"
            ]
        );
    }

    #[test]
    fn whitespace_and_case_do_not_change_shingles() {
        let a = shingles("The Quick  brown\nfox jumps over", 4);
        let b = shingles("the quick brown fox — jumps   over", 4);
        assert_eq!(a, b);
        assert_eq!(a.len(), 3);
        assert_eq!(shingles("two words", 4).len(), 1);
        assert!(shingles(" ,. ", 4).is_empty());
    }

    #[test]
    fn jaccard_counts_shared_shingles() {
        let a: HashSet<u64> = [1, 2, 3, 4].into();
        let b: HashSet<u64> = [3, 4, 5, 6].into();
        assert!((jaccard(&a, &b) - 2.0 / 6.0).abs() < 1e-12);
        assert_eq!(jaccard(&a, &a), 1.0);
        assert_eq!(jaccard(&HashSet::new(), &HashSet::new()), 1.0);
    }

    #[test]
    fn short_texts_get_no_signature() {
        assert!(Signature::of(&text(MIN_SHINGLES + SHINGLE_WORDS - 2, 1)).is_none());
        assert!(Signature::of(&text(MIN_SHINGLES + SHINGLE_WORDS - 1, 1)).is_some());
    }

    #[test]
    fn estimate_follows_the_exact_index() {
        // Two texts of 400 words sharing the first `shared` of them.
        for shared in [0usize, 100, 200, 300, 360, 400] {
            let a = text(400, 1);
            let tail = text(400 - shared, 2);
            let b = format!("{} {tail}", text(shared, 1));
            let (sa, sb) = (shingles(&a, 4), shingles(&b, 4));
            let exact = jaccard(&sa, &sb);
            let estimate = Signature::of_shingles(&sa).similarity(&Signature::of_shingles(&sb));
            // Four standard deviations of a 128-value estimate at worst.
            assert!(
                (exact - estimate).abs() < 0.18,
                "shared {shared}: exact {exact:.3}, estimate {estimate:.3}"
            );
        }
    }

    #[test]
    fn bytes_round_trip_and_bands_depend_on_position() {
        let sig = Signature::of(&text(200, 3)).unwrap();
        assert_eq!(Signature::from_bytes(&sig.to_bytes()), Some(sig.clone()));
        assert_eq!(Signature::from_bytes(&[1, 2, 3]), None);
        let bands = sig.bands();
        let distinct: HashSet<u64> = bands.iter().copied().collect();
        assert_eq!(distinct.len(), BANDS);
        // The same values in another band are another term.
        let same = Signature {
            values: [7; HASHES],
            shingles: 100,
        }
        .bands();
        assert_ne!(same[0], same[1]);
    }

    #[test]
    fn signatures_of_another_version_are_not_read() {
        let sig = Signature::of(&text(200, 5)).unwrap();
        let mut bytes = sig.to_bytes();
        bytes[0] = VERSION - 1;
        assert_eq!(Signature::from_bytes(&bytes), None);
        // The first version's layout: 128 values, no header.
        assert_eq!(Signature::from_bytes(&[0; HASHES * 2]), None);
    }

    #[test]
    fn short_articles_must_be_more_alike() {
        let with = |n: u16| Signature {
            values: [0; HASHES],
            shingles: n,
        };
        let long = with(400);
        assert_eq!(long.required(&with(SHORT_SHINGLES as u16), 0.4), 0.4);
        assert_eq!(
            long.required(&with(MIN_SHINGLES as u16), 0.4),
            SHORTEST_THRESHOLD
        );
        let middle = long.required(&with(90), 0.4);
        assert!((middle - 0.6).abs() < 1e-9, "{middle}");
        // A threshold above the short-article rule stands.
        assert_eq!(long.required(&with(40), 0.9), 0.9);
    }

    /// The chance that two articles share at least one band, by their
    /// Jaccard index: 1 - (1 - s^ROWS)^BANDS.
    #[test]
    fn banding_catches_alike_pairs_and_rarely_others() {
        let p = |s: f64| 1.0 - (1.0 - s.powi(ROWS as i32)).powi(BANDS as i32);
        assert!(p(0.4) > 0.92, "{}", p(0.4));
        assert!(p(0.1) < 0.05, "{}", p(0.1));
        // And the real thing: a copy with one word in twenty changed
        // shares a band with the original.
        let a = text(300, 4);
        let b: Vec<String> = a
            .split(' ')
            .enumerate()
            .map(|(i, w)| {
                if i % 20 == 0 {
                    format!("x{i}")
                } else {
                    w.into()
                }
            })
            .collect();
        let (sa, sb) = (
            Signature::of(&a).unwrap(),
            Signature::of(&b.join(" ")).unwrap(),
        );
        let shared = sa
            .bands()
            .into_iter()
            .zip(sb.bands())
            .filter(|(x, y)| x == y);
        assert!(shared.count() > 0);
    }
}
