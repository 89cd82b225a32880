//! The index schema: which fields exist, how each is tokenized, and which are
//! stored (shown in results) or fast (sorted, filtered, aggregated on).
//!
//! `schema/index-schema.json` is the committed description of this schema and
//! a test keeps the two identical; `schema/README.md` explains each field.

use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, FacetOptions, Field, INDEXED, IndexRecordOption, STORED,
    STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
    TokenizerManager,
};

use super::stem::MemoStemmer;

/// Tokenizer for prose: words, lowercased, ASCII-folded ("Mūsavi" → "musavi"),
/// English-stemmed, positions kept for phrase queries.
pub const NEWS_TOKENIZER: &str = "news";
/// Tokenizer for short exact values (source, language): the whole value,
/// lowercased and ASCII-folded, so filters are case-insensitive.
pub const KEYWORD_TOKENIZER: &str = "keyword";

/// Every field of the index, resolved once.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub path: Field,
    pub record: Field,
    pub format: Field,
    pub url: Field,
    pub source: Field,
    pub title: Field,
    pub standfirst: Field,
    pub body: Field,
    pub captions: Field,
    pub authors: Field,
    pub dateline: Field,
    pub published: Field,
    pub language: Field,
    pub words: Field,
    pub tags: Field,
    pub not_article: Field,
    pub entity: Field,
    pub entities: Field,
    pub mentions: Field,
    pub main_entity: Field,
    pub dup_signature: Field,
    pub dup_bands: Field,
    pub cluster: Field,
}

fn news_text(stored: bool) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(NEWS_TOKENIZER)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let options = TextOptions::default().set_indexing_options(indexing);
    if stored {
        options.set_stored()
    } else {
        options
    }
}

fn keyword() -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(KEYWORD_TOKENIZER)
        .set_index_option(IndexRecordOption::Basic);
    TextOptions::default()
        .set_indexing_options(indexing)
        .set_stored()
        .set_fast(KEYWORD_TOKENIZER)
}

/// Builds the schema. Field order is part of the on-disk format: append only.
pub fn build() -> Schema {
    let mut builder = Schema::builder();
    // Exact-match identifiers: raw terms for lookup and deletion, fast for
    // grouping and for reading ids without touching the doc store.
    builder.add_text_field("id", STRING | STORED | FAST);
    builder.add_text_field("path", STRING | STORED | FAST);
    builder.add_u64_field("record", STORED);
    builder.add_text_field("format", STRING | STORED | FAST);
    builder.add_text_field("url", STRING | STORED);
    builder.add_text_field("source", keyword());
    builder.add_text_field("title", news_text(true));
    builder.add_text_field("standfirst", news_text(true));
    builder.add_text_field("body", news_text(true));
    builder.add_text_field("captions", news_text(true));
    builder.add_text_field("authors", news_text(true));
    builder.add_text_field("dateline", news_text(true));
    builder.add_date_field(
        "published",
        DateOptions::default()
            .set_indexed()
            .set_stored()
            .set_fast()
            .set_precision(DateTimePrecision::Seconds),
    );
    builder.add_text_field("language", keyword());
    builder.add_u64_field("words", STORED | FAST);
    builder.add_text_field("tags", STRING | STORED);
    builder.add_bool_field("not_article", INDEXED | STORED);
    // Entity facets: `/person/<name>`, `/place/<Country>/<Region>/<City>`,
    // `/org/<name>`. One field, so a facet count asks for `/person` and a
    // place filter on `/place/Iraq` includes every place under it.
    builder.add_facet_field("entity", STORED);
    // Entity names as searchable text (`entities:muhandis`).
    builder.add_text_field("entities", news_text(false));
    // Per-entity mention counts as JSON, for salience in results.
    builder.add_text_field("mentions", STORED);
    // The entities an article is about (named in its headline, dateline or
    // lead, or mentioned twice), same paths as `entity`: `--main` filters
    // and counts on this field instead.
    builder.add_facet_field("main_entity", FacetOptions::default());
    // Near-duplicates (`crate::dups`): the MinHash signature, read when a
    // new article's band terms find this one; the band terms; and the
    // cluster id, fast for collapsing and counting, indexed to find the
    // members. Not stored: a cluster id names whichever copy came first,
    // which is no part of the article's own content.
    builder.add_bytes_field(crate::dups::SIGNATURE_FIELD, FAST);
    builder.add_u64_field(crate::dups::BANDS_FIELD, INDEXED);
    builder.add_u64_field(crate::dups::CLUSTER_FIELD, INDEXED | FAST);
    builder.build()
}

impl Fields {
    /// Resolves the fields of a schema built by [`build`].
    pub fn new(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |name: &str| schema.get_field(name);
        Ok(Fields {
            id: f("id")?,
            path: f("path")?,
            record: f("record")?,
            format: f("format")?,
            url: f("url")?,
            source: f("source")?,
            title: f("title")?,
            standfirst: f("standfirst")?,
            body: f("body")?,
            captions: f("captions")?,
            authors: f("authors")?,
            dateline: f("dateline")?,
            published: f("published")?,
            language: f("language")?,
            words: f("words")?,
            tags: f("tags")?,
            not_article: f("not_article")?,
            entity: f("entity")?,
            entities: f("entities")?,
            mentions: f("mentions")?,
            main_entity: f("main_entity")?,
            dup_signature: f(crate::dups::SIGNATURE_FIELD)?,
            dup_bands: f(crate::dups::BANDS_FIELD)?,
            cluster: f(crate::dups::CLUSTER_FIELD)?,
        })
    }
}

/// Registers the tokenizers the schema names. Every open of the index, for
/// reading or writing, must call this.
pub fn register_tokenizers(manager: &TokenizerManager) {
    let news = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(MemoStemmer)
        .build();
    manager.register(NEWS_TOKENIZER, news);
    let keyword = TextAnalyzer::builder(RawTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    manager.register(KEYWORD_TOKENIZER, keyword);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed description in `schema/` must be the schema the code
    /// builds: regenerate it with `NEWSDEX_BLESS=1 cargo test` after a change.
    #[test]
    fn committed_schema_matches_code() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/index-schema.json");
        let built = serde_json::to_string_pretty(&build()).unwrap() + "\n";
        if std::env::var_os("NEWSDEX_BLESS").is_some() {
            std::fs::write(path, &built).unwrap();
        }
        let committed = std::fs::read_to_string(path).unwrap();
        assert_eq!(committed, built, "schema/index-schema.json is out of date");
    }

    #[test]
    fn news_tokenizer_folds_and_stems() {
        let manager = TokenizerManager::default();
        register_tokenizers(&manager);
        let mut analyzer = manager.get(NEWS_TOKENIZER).unwrap();
        let mut stream = analyzer.token_stream("Mūsavi warned the Airstrikes");
        let mut tokens = Vec::new();
        while let Some(token) = stream.next() {
            tokens.push(token.text.clone());
        }
        assert_eq!(tokens, ["musavi", "warn", "the", "airstrik"]);
    }
}
