//! JSON Schemas of every machine-readable output, derived from the structs
//! that are serialized, and committed under `schema/` for users' scripts.
//! A test keeps the committed files identical to what the code derives:
//! regenerate them with `NEWSDEX_BLESS=1 cargo test` after changing a struct.

use schemars::{JsonSchema, schema_for};

use crate::commands::alias::AliasList;
use crate::commands::check::Report as CheckReport;
use crate::commands::duplicates::DuplicateList;
use crate::dups::members::Cluster;
use crate::index::build::Summary;
use crate::query::batch::BatchLine;
use crate::query::mentions::ArticleMentions;
use crate::query::{EntityList, Hit, Results, Stats, StoredArticle};

/// `(file name under schema/, schema)` for every output.
pub fn all() -> Vec<(&'static str, serde_json::Value)> {
    fn of<T: JsonSchema>() -> serde_json::Value {
        serde_json::to_value(schema_for!(T)).expect("schema serializes")
    }
    vec![
        ("search-output.schema.json", of::<Results>()),
        ("search-hit.schema.json", of::<Hit>()),
        ("article-output.schema.json", of::<StoredArticle>()),
        ("article-mentions.schema.json", of::<ArticleMentions>()),
        ("index-summary.schema.json", of::<Summary>()),
        ("stats-output.schema.json", of::<Stats>()),
        ("entities-output.schema.json", of::<EntityList>()),
        ("alias-list.schema.json", of::<AliasList>()),
        ("check-output.schema.json", of::<CheckReport>()),
        ("batch-line.schema.json", of::<BatchLine>()),
        ("duplicates-output.schema.json", of::<DuplicateList>()),
        ("cluster-output.schema.json", of::<Cluster>()),
        (
            "export-document.schema.json",
            of::<crate::export::document::ExportDoc>(),
        ),
        ("export-summary.schema.json", of::<crate::export::Summary>()),
    ]
}

#[cfg(test)]
mod tests {
    #[test]
    fn committed_schemas_match_code() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/schema");
        for (name, schema) in super::all() {
            let path = format!("{dir}/{name}");
            let derived = serde_json::to_string_pretty(&schema).unwrap() + "\n";
            if std::env::var_os("NEWSDEX_BLESS").is_some() {
                std::fs::write(&path, &derived).unwrap();
            }
            let committed = std::fs::read_to_string(&path).unwrap_or_default();
            assert_eq!(
                committed, derived,
                "{path} is out of date: NEWSDEX_BLESS=1 cargo test"
            );
        }
    }
}
