//! Prints the entities of plain-text articles (title on the first line, then
//! paragraphs) as JSON, one line per file.
//!
//! `cargo run --release --example extract_entities -- FILE...`

use newsdex::article::Article;
use newsdex::entities::Extractor;

fn main() -> anyhow::Result<()> {
    let ex = Extractor::load()?;
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path)?;
        let text = String::from_utf8_lossy(&bytes);
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        let article = Article {
            path: path.clone(),
            title: lines.next().unwrap_or_default().to_string(),
            body: lines.map(str::to_string).collect(),
            ..Default::default()
        };
        let e = ex.extract(&article);
        println!("{}", serde_json::json!({ "path": path, "entities": e }));
    }
    Ok(())
}
