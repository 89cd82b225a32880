//! How large an input newsdex takes on, so that memory stays bounded
//! whatever a file holds.
//!
//! A file is read whole, so the file limit bounds a worker's memory; it
//! applies on disk and again while a gzip stream expands (a bomb is refused
//! as soon as it passes the limit, before more is allocated). The article
//! limit bounds what one document costs the entity extractor and Tantivy's
//! writer, which takes a document whole. Both are options of `index`
//! (`--max-file-size`, `--max-article-size`) and are listed in the README.

use crate::article::Article;

use super::ReadError;

/// Default of `--max-file-size`, in MB (2^20 bytes).
pub const DEFAULT_MAX_FILE_MB: u64 = 256;
/// Default of `--max-article-size`, in MB (2^20 bytes): the text of a long
/// book, hundreds of times the longest news story.
pub const DEFAULT_MAX_ARTICLE_MB: u64 = 16;

/// The size limits of one indexing run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most bytes of a file, on disk and decompressed.
    pub max_file_bytes: u64,
    /// The most bytes of text in one article (for a page or a text file,
    /// the whole decompressed file).
    pub max_article_bytes: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::from_mb(DEFAULT_MAX_FILE_MB, DEFAULT_MAX_ARTICLE_MB)
    }
}

impl Limits {
    pub fn from_mb(file_mb: u64, article_mb: u64) -> Limits {
        Limits {
            max_file_bytes: file_mb.saturating_mul(1 << 20),
            max_article_bytes: article_mb.saturating_mul(1 << 20),
        }
    }

    /// Refuses a file larger on disk than the limit, before reading it.
    pub fn check_file(&self, size: u64) -> Result<(), ReadError> {
        if size > self.max_file_bytes {
            return Err(ReadError::TooLarge(format!(
                "file is {}, over the {} limit (--max-file-size)",
                mb(size),
                mb(self.max_file_bytes)
            )));
        }
        Ok(())
    }

    /// The error for a gzip stream that expands past the file limit.
    pub fn expands_too_far(&self) -> ReadError {
        ReadError::TooLarge(format!(
            "expands beyond the {} limit (--max-file-size): refusing a likely decompression bomb",
            mb(self.max_file_bytes)
        ))
    }

    /// Refuses an article with more text than the limit.
    pub fn check_article(&self, len: u64) -> Result<(), ReadError> {
        if len > self.max_article_bytes {
            return Err(ReadError::TooLarge(format!(
                "article is {} of text, over the {} limit (--max-article-size)",
                mb(len),
                mb(self.max_article_bytes)
            )));
        }
        Ok(())
    }
}

/// The bytes of text an article holds.
pub fn article_len(article: &Article) -> u64 {
    let parts = article.body.iter().chain(&article.captions);
    (article.title.len() + article.standfirst.len() + parts.map(String::len).sum::<usize>()) as u64
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / f64::from(1 << 20))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_name_their_option() {
        let limits = Limits::from_mb(2, 1);
        assert!(limits.check_file(2 << 20).is_ok());
        let err = limits.check_file((2 << 20) + 1).unwrap_err().to_string();
        assert!(
            err.contains("over the 2.0 MB limit (--max-file-size)"),
            "{err}"
        );
        assert!(limits.check_article(1 << 20).is_ok());
        let err = limits.check_article(3 << 20).unwrap_err().to_string();
        assert_eq!(
            err,
            "article is 3.0 MB of text, over the 1.0 MB limit (--max-article-size)"
        );
    }

    #[test]
    fn article_length_counts_its_text() {
        let article = Article {
            title: "abc".into(),
            standfirst: "de".into(),
            body: vec!["fgh".into(), "i".into()],
            captions: vec!["jk".into()],
            ..Default::default()
        };
        assert_eq!(article_len(&article), 11);
    }
}
