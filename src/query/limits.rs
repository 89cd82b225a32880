//! What a query may ask for, checked before any of it reaches Tantivy.
//!
//! Tantivy sizes its top-N buffers from `limit + offset` (so a huge limit
//! overflows or aborts on allocation) and its query parser recurses once per
//! nesting level (so thousands of `(` overflow the stack). Both are refused
//! here with a message saying what to do instead.

/// Most hits one page may reach (`--limit` plus `--offset`): a page is held
/// in memory with its snippets; `--all` streams any number of hits instead.
pub const MAX_PAGE: usize = 100_000;

/// Deepest nesting a query may have unless `--max-query-depth` says
/// otherwise: far beyond any query a person writes, far below what
/// overflows the parser's stack (thousands of levels in a debug build).
pub const DEFAULT_MAX_QUERY_DEPTH: usize = 64;

/// Highest `--max-query-depth` accepted: deeper queries would risk the stack
/// of Tantivy's parser and query tree whatever the user asks (500 levels
/// of `(a AND ` run in a debug build's 8 MB main stack; 1000 do not).
pub const MAX_QUERY_DEPTH_CEILING: usize = 256;

/// A request beyond what newsdex will run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LimitError {
    #[error(
        "--limit {limit} with --offset {offset} reaches past hit {MAX_PAGE}, the most one page \
         holds; page with smaller numbers, or stream every match with --all"
    )]
    Page { limit: usize, offset: usize },
    #[error(
        "the query nests {depth} levels deep (parentheses and NOT), more than --max-query-depth \
         {max}"
    )]
    Depth { depth: usize, max: usize },
}

/// Refuses pages that reach past [`MAX_PAGE`] (however the sum overflows).
pub fn check_page(limit: usize, offset: usize) -> Result<(), LimitError> {
    match limit.checked_add(offset) {
        Some(end) if end <= MAX_PAGE => Ok(()),
        _ => Err(LimitError::Page { limit, offset }),
    }
}

/// Refuses queries nested deeper than `max`.
pub fn check_depth(query: &str, max: usize) -> Result<(), LimitError> {
    let depth = nesting_depth(query);
    if depth > max {
        return Err(LimitError::Depth { depth, max });
    }
    Ok(())
}

/// An upper bound of how deep Tantivy's parser will recurse on `query`:
/// each open `(` is a level, and so is each `NOT` of a chain (`NOT NOT x`,
/// `NOT (NOT (x))`). Quotes are not honoured, on purpose: brackets inside a
/// phrase count too, so no disagreement with the parser about where a phrase
/// ends can hide a level from this count.
pub fn nesting_depth(query: &str) -> usize {
    // Depth to return to at each `)`.
    let mut open: Vec<usize> = Vec::new();
    let (mut depth, mut chain, mut deepest) = (0usize, 0usize, 0usize);
    let mut word = String::new();
    // A word ends: a NOT lengthens the chain, anything else ends it.
    fn end_word(word: &mut String, chain: &mut usize, depth: usize, deepest: &mut usize) {
        if word.is_empty() {
            return;
        }
        if word == "NOT" {
            *chain += 1;
            *deepest = (*deepest).max(depth + *chain);
        } else {
            *chain = 0;
        }
        word.clear();
    }
    for c in query.chars() {
        match c {
            '(' => {
                end_word(&mut word, &mut chain, depth, &mut deepest);
                open.push(depth);
                depth += chain + 1;
                chain = 0;
                deepest = deepest.max(depth);
            }
            ')' => {
                end_word(&mut word, &mut chain, depth, &mut deepest);
                depth = open.pop().unwrap_or(0);
                chain = 0;
            }
            c if c.is_whitespace() => end_word(&mut word, &mut chain, depth, &mut deepest),
            // Only "NOT" matters; other words need not be kept whole.
            c if word.len() < 3 => word.push(c),
            _ => word.push('x'),
        }
    }
    end_word(&mut word, &mut chain, depth, &mut deepest);
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_brackets_and_not_chains() {
        assert_eq!(nesting_depth(""), 0);
        assert_eq!(nesting_depth("oil AND wheat"), 0);
        assert_eq!(nesting_depth("(oil OR gas) AND (wheat)"), 1);
        assert_eq!(nesting_depth("((a))"), 2);
        assert_eq!(nesting_depth("NOT a"), 1);
        assert_eq!(nesting_depth("NOT NOT NOT a"), 3);
        // Separate NOTs do not nest.
        assert_eq!(nesting_depth("a NOT b NOT c NOT d"), 1);
        assert_eq!(nesting_depth("NOT (NOT (a))"), 4);
        assert_eq!(nesting_depth("NOTE NOTHING"), 0);
        // Unbalanced brackets never underflow.
        assert_eq!(nesting_depth(")))((("), 3);
        // Brackets in phrases count (an upper bound, never an undercount).
        assert_eq!(nesting_depth("\"((\""), 2);
        let deep = format!("{}a{}", "(".repeat(20_000), ")".repeat(20_000));
        assert_eq!(nesting_depth(&deep), 20_000);
    }

    #[test]
    fn depth_check_names_both_numbers() {
        assert!(check_depth("((a))", 2).is_ok());
        let err = check_depth("(((a)))", 2).unwrap_err().to_string();
        assert!(
            err.contains("3 levels") && err.contains("--max-query-depth 2"),
            "{err}"
        );
    }

    #[test]
    fn pages_are_capped_without_overflow() {
        assert!(check_page(10, 0).is_ok());
        assert!(check_page(MAX_PAGE, 0).is_ok());
        assert!(check_page(MAX_PAGE - 5, 5).is_ok());
        assert!(check_page(MAX_PAGE, 1).is_err());
        assert!(check_page(usize::MAX, 0).is_err());
        assert!(check_page(1, usize::MAX).is_err());
        assert!(check_page(usize::MAX, usize::MAX).is_err());
        let err = check_page(usize::MAX, 0).unwrap_err().to_string();
        assert!(err.contains("--all"), "{err}");
    }
}
