//! Name keys and display forms: when two spellings are one entity.
//!
//! Owns the comparison key of names (Unicode and case folding, apostrophes,
//! hyphens, Arabic article particles, a transliteration skeleton) and the
//! display form kept for facets. Does not decide which mentions co-refer;
//! that is the pipeline's job (`mod.rs`).

use unicode_normalization::UnicodeNormalization;

/// Arabic article particles dropped from keys ("al-Muhandis" = "Muhandis").
const PARTICLES: &[&str] = &["al", "el", "ad", "ash", "as", "at", "az", "ar", "an", "ul"];

/// Folds one name word to its skeleton: common transliteration pairs to one
/// form, doubled letters to one.
fn skeleton(word: &str, out: &mut String) {
    let word = match word {
        "abdul" | "abdel" | "abdal" | "abdol" | "abd" => "abd",
        "mohammed" | "mohammad" | "muhammed" | "mohamed" | "muhamed" | "mohamad" | "muhammad"
        | "mohammad-" => "muhammad",
        "hizbollah" | "hizballah" | "hizbullah" | "hezbollah" => "hezbollah",
        "mobilization" => "mobilisation",
        "organization" => "organisation",
        _ => word,
    };
    let mut prev = '\0';
    for c in word.chars() {
        if c != prev {
            out.push(c);
        }
        prev = c;
    }
}

/// The comparison key of a name: "Abu Mahdi Al-Muhandis" and
/// "abu mahdi al muhandis" share it; so do "Kata'ib" and "Kataib",
/// "Assaib" and "Asaib", "Abdul" and "Abdel", "Mūsavi" and "Musavi".
pub fn name_key(name: &str) -> String {
    let nfkc: String = name.nfkc().collect();
    let ascii = deunicode::deunicode(&nfkc).to_lowercase();
    let mut cleaned = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        match c {
            '\'' | '`' | '.' => {}
            c if c.is_ascii_alphanumeric() => cleaned.push(c),
            _ => cleaned.push(' '),
        }
    }
    let mut key = String::with_capacity(cleaned.len());
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    for (i, w) in words.iter().enumerate() {
        // A particle is dropped unless it is the whole name.
        if PARTICLES.contains(w) && words.len() > 1 && i + 1 < words.len() {
            continue;
        }
        if !key.is_empty() {
            key.push(' ');
        }
        skeleton(w, &mut key);
    }
    key
}

/// A name word without a leading Arabic article particle: "al-Muhandis",
/// "Al-Muhandis" and "el-Muhandis" become "Muhandis".
pub fn strip_particle(word: &str) -> &str {
    for p in PARTICLES {
        if word.len() > p.len() + 1
            && word.as_bytes()[p.len()] == b'-'
            && word[..p.len()].eq_ignore_ascii_case(p)
        {
            return &word[p.len() + 1..];
        }
    }
    word
}

/// The last word of a key (a surname, "muhandis").
pub fn last_word(key: &str) -> &str {
    key.rsplit(' ').next().unwrap_or(key)
}

/// The display form of a name: whitespace collapsed and Arabic particles inside
/// a name written lower case ("Abu Mahdi Al-Muhandis" → "Abu Mahdi
/// al-Muhandis"), so one entity gets one facet whatever the article's casing.
pub fn display_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for (i, word) in name.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let lower_particle = PARTICLES.iter().find(|p| {
            word.len() > p.len() + 1
                && word.as_bytes()[p.len()] == b'-'
                && word[..p.len()].eq_ignore_ascii_case(p)
        });
        match lower_particle {
            Some(p) if i > 0 => {
                out.push_str(p);
                out.push_str(&word[p.len()..]);
            }
            _ => out.push_str(word),
        }
    }
    out
}

/// A name written in capitals (a headline, a dateline) in the case news
/// text uses: "ADEL ABDEL MAHDI" → "Adel Abdel Mahdi". Short all-capital
/// words stay acronyms when `keep_acronyms` ("IBM", "NATO").
pub fn recase_caps(name: &str, keep_acronyms: bool) -> String {
    if name.chars().any(char::is_lowercase) {
        return name.to_string();
    }
    let mut out = String::with_capacity(name.len());
    for (i, word) in name.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        if keep_acronyms && letters <= 4 {
            out.push_str(word);
            continue;
        }
        let mut start = true;
        for c in word.chars() {
            if start {
                out.extend(c.to_uppercase());
            } else {
                out.extend(c.to_lowercase());
            }
            start = c == '-' || c == '\'' || c == ' ';
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_merge_spelling_variants() {
        assert_eq!(
            name_key("Abu Mahdi Al-Muhandis"),
            name_key("abu mahdi al muhandis")
        );
        assert_eq!(name_key("Kata'ib Hezbollah"), name_key("Kataib Hizbollah"));
        assert_eq!(name_key("Assaib Ahl al-Haq"), name_key("Asa'ib Ahl al-Haq"));
        assert_eq!(name_key("Abdul Mahdi"), name_key("Abdel Mahdi"));
        assert_eq!(name_key("Mūsavi"), name_key("Musavi"));
        assert_eq!(name_key("Hashd Al-Shaabi"), name_key("Hashd al-Shaabi"));
        assert_ne!(
            name_key("Adel Abdel Mahdi"),
            name_key("Abu Mahdi al-Muhandis")
        );
        assert_eq!(last_word(&name_key("Abu Mahdi Al-Muhandis")), "muhandis");
        assert_eq!(name_key("Al-Muhandis"), "muhandis");
        assert_eq!(strip_particle("Al-Muhandis"), "Muhandis");
        assert_eq!(strip_particle("Alan"), "Alan");
    }

    #[test]
    fn capitals_recase_but_acronyms_stay() {
        assert_eq!(recase_caps("ADEL ABDEL-MAHDI", false), "Adel Abdel-Mahdi");
        assert_eq!(recase_caps("REUTERS", true), "Reuters");
        assert_eq!(recase_caps("IBM", true), "IBM");
        assert_eq!(recase_caps("Reagan", false), "Reagan");
    }

    #[test]
    fn display_lowercases_inner_particles() {
        assert_eq!(
            display_name("Abu Mahdi  Al-Muhandis"),
            "Abu Mahdi al-Muhandis"
        );
        assert_eq!(display_name("Al-Qaeda"), "Al-Qaeda");
        assert_eq!(display_name("Alan Smith"), "Alan Smith");
    }
}
