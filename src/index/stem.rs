//! English stemming with a memo of recent words.
//!
//! Tantivy's `Stemmer` runs the Snowball algorithm on every token; profiled
//! on a generated archive it was 8% of indexing CPU. Word frequencies in news
//! are steeply skewed, so each tokenizer instance (Tantivy clones one per
//! field and indexing thread) keeps the stems of the words it has seen and
//! runs Snowball only on new ones. The stems are the same as `Stemmer`'s.

use std::collections::HashMap;

use frostem::Algorithm;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Words remembered per tokenizer instance before the memo starts over,
/// bounding its memory to a few megabytes.
const MEMO_WORDS: usize = 50_000;

/// Token filter: English Snowball stems, memoized.
#[derive(Clone, Copy, Debug, Default)]
pub struct MemoStemmer;

impl TokenFilter for MemoStemmer {
    type Tokenizer<T: Tokenizer> = MemoStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> MemoStemmerFilter<T> {
        MemoStemmerFilter {
            inner,
            memo: HashMap::new(),
        }
    }
}

#[derive(Clone)]
pub struct MemoStemmerFilter<T> {
    inner: T,
    memo: HashMap<Box<str>, Box<str>>,
}

impl<T: Tokenizer> Tokenizer for MemoStemmerFilter<T> {
    type TokenStream<'a> = MemoStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.memo.len() > MEMO_WORDS {
            self.memo.clear();
        }
        MemoStemmerStream {
            tail: self.inner.token_stream(text),
            memo: &mut self.memo,
            stemmer: frostem::Stemmer::new(Algorithm::English),
        }
    }
}

pub struct MemoStemmerStream<'a, T> {
    tail: T,
    memo: &'a mut HashMap<Box<str>, Box<str>>,
    stemmer: frostem::Stemmer,
}

impl<T: TokenStream> TokenStream for MemoStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let stem = match self.memo.get(token.text.as_str()) {
            Some(stem) => stem,
            None => {
                let stem: Box<str> = self.stemmer.stem(&token.text).into();
                self.memo.entry(token.text.as_str().into()).or_insert(stem)
            }
        };
        token.text.clear();
        token.text.push_str(stem);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{Language, LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer};

    use super::*;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push(token.text.clone());
        }
        out
    }

    #[test]
    fn stems_like_tantivys_stemmer_whether_memoized_or_not() {
        let text = "Running runners ran; the elections were elected, electing \
                    governments govern governing. Running runners again, cafés";
        let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build();
        let mut memo = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(MemoStemmer)
            .build();
        let expected = tokens(&mut plain, text);
        assert!(expected.contains(&"elect".to_string()));
        // Twice through one instance: the second pass is served by the memo.
        assert_eq!(tokens(&mut memo, text), expected);
        assert_eq!(tokens(&mut memo, text), expected);
    }
}
