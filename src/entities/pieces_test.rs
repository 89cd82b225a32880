//! Texts longer than one analysis piece: linear work, and spans of every
//! piece kept with their links.

use super::{Extractor, MAX_ANALYSED_TOKENS};
use crate::article::Article;

#[test]
fn a_text_of_many_pieces_keeps_every_piece_s_names() {
    let ex = Extractor::load().expect("load extractor");
    // 26 tokens; one line with no break but its sentence ends.
    let story = "Prime Minister Adel Abdel Mahdi met Abu Mahdi al-Muhandis in Baghdad. \
                 Mahdi said the talks went well. Al-Muhandis did not comment. ";
    let copies = 3 * MAX_ANALYSED_TOKENS / 26;
    let article = Article {
        body: vec![story.repeat(copies)],
        ..Default::default()
    };
    let e = ex.extract(&article);
    let mentions = |name: &str| {
        e.persons
            .iter()
            .find(|p| p.name == name)
            .map_or(0, |p| p.mentions as usize)
    };
    // Each copy names both men twice; a cut between pieces may separate a
    // surname from its full name (at most once per cut).
    for name in ["Adel Abdel Mahdi", "Abu Mahdi al-Muhandis"] {
        let m = mentions(name);
        assert!((2 * copies - 3..=2 * copies).contains(&m), "{name}: {m}");
    }
    let baghdad = e
        .places
        .iter()
        .find(|p| p.path.last().is_some_and(|l| l == "Baghdad"))
        .expect("Baghdad");
    assert_eq!(baghdad.mentions as usize, copies);
}

#[test]
fn a_line_without_sentence_ends_is_tagged_in_bounded_sentences() {
    let ex = Extractor::load().expect("load extractor");
    let story = "officials in Baghdad said Abu Mahdi al-Muhandis would visit and ";
    let copies = 2 * MAX_ANALYSED_TOKENS / 10;
    let article = Article {
        body: vec![story.repeat(copies)],
        ..Default::default()
    };
    let e = ex.extract(&article);
    let baghdad = e
        .places
        .iter()
        .find(|p| p.path.last().is_some_and(|l| l == "Baghdad"))
        .expect("Baghdad");
    // A forced sentence cut may split a name; nearly every copy counts.
    assert!(baghdad.mentions as usize >= copies * 9 / 10, "{e:?}");
}
