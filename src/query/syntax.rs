//! The query language as users write it, on top of Tantivy's grammar:
//! prefix (`blai*`) and fuzzy (`oil~2`) words, dates as `--from` takes
//! them in `published:` ranges, messages that say what is wrong and where,
//! and a readable form of what was understood (JSON `parsed`).
//!
//! Tantivy's grammar parses the string; each leaf becomes a query through
//! Tantivy's parser, except the leaves this module gives a meaning of its
//! own; the boolean structure is built here, with words joined by AND.

use std::fmt::Write as _;

use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, QueryParser};
use tantivy::query_grammar::{
    self, Delimiter, UserInputAst, UserInputBound, UserInputLeaf, UserInputLiteral,
};
use tantivy::schema::{FieldType, Schema};
use tantivy::{Index, Term};

use super::filters;

/// The field dates are searched in.
const DATE_FIELD: &str = "published";
/// Largest edit distance of a fuzzy word (`oil~2`): Tantivy's automata stop there.
const MAX_FUZZY_DISTANCE: u32 = 2;

/// A parsed query and a readable form of it.
pub struct Parsed {
    pub query: Box<dyn Query>,
    /// Lucene notation: `+` must, `-` must not, unmarked: any of them.
    pub readable: String,
}

/// The text fields searched when a word names none, with their boosts.
pub struct Defaults<'a> {
    pub fields: &'a [(tantivy::schema::Field, f32)],
}

/// Why a query cannot be run, in the user's terms.
pub type Reason = String;

/// Parses `text` with `parser` (set up with the default fields and boosts).
pub fn parse(
    index: &Index,
    parser: &QueryParser,
    defaults: &Defaults,
    text: &str,
) -> Result<Parsed, Reason> {
    let ast = query_grammar::parse_query(text).map_err(|_| diagnose(text))?;
    let schema = index.schema();
    check_fields(&schema, &ast)?;
    let ast = dates_in(ast)?;
    let mut readable = String::new();
    render(&ast, &mut readable);
    let query = build(index, parser, defaults, ast)?.unwrap_or_else(|| {
        // Only words the analyzer drops (punctuation): nothing to match.
        Box::new(BooleanQuery::new(Vec::new()))
    });
    Ok(Parsed { query, readable })
}

/// The fields a query may name: every indexed field but the entity facets
/// (those are filtered with `person:`, `place:`, `org:`).
pub fn searchable_fields(schema: &Schema) -> Vec<String> {
    schema
        .fields()
        .filter(|(_, entry)| {
            entry.is_indexed() && !matches!(entry.field_type(), FieldType::Facet(_))
        })
        .map(|(_, entry)| entry.name().to_string())
        .collect()
}

fn check_fields(schema: &Schema, ast: &UserInputAst) -> Result<(), Reason> {
    let field = match ast {
        UserInputAst::Clause(children) => {
            return children
                .iter()
                .try_for_each(|(_, c)| check_fields(schema, c));
        }
        UserInputAst::Boost(inner, _) => return check_fields(schema, inner),
        UserInputAst::Leaf(leaf) => match &**leaf {
            UserInputLeaf::Literal(UserInputLiteral { field_name, .. }) => field_name.as_deref(),
            UserInputLeaf::Range { field, .. }
            | UserInputLeaf::Set { field, .. }
            | UserInputLeaf::Regex { field, .. } => field.as_deref(),
            UserInputLeaf::Exists { field } => Some(field.as_str()),
            UserInputLeaf::All => None,
        },
    };
    let Some(field) = field else { return Ok(()) };
    let known = searchable_fields(schema);
    if known.iter().any(|k| k == field) {
        return Ok(());
    }
    Err(format!(
        "there is no field {field:?}; fields: {}; filters: person, place, org, source, after, before",
        known.join(", ")
    ))
}

/// `published:[1987-03-01 TO 1987-04-01]` and `published:1987-03`: dates as
/// `--from` and `--to` take them, each naming its whole period.
fn dates_in(ast: UserInputAst) -> Result<UserInputAst, Reason> {
    Ok(match ast {
        UserInputAst::Clause(children) => UserInputAst::Clause(
            children
                .into_iter()
                .map(|(occur, child)| Ok((occur, dates_in(child)?)))
                .collect::<Result<_, Reason>>()?,
        ),
        UserInputAst::Boost(inner, boost) => {
            UserInputAst::Boost(Box::new(dates_in(*inner)?), boost)
        }
        UserInputAst::Leaf(leaf) => UserInputAst::Leaf(Box::new(date_leaf(*leaf)?)),
    })
}

fn is_partial_date(text: &str) -> bool {
    filters::period_start(text).is_ok()
}

fn rfc3339(date: chrono::DateTime<chrono::Utc>) -> String {
    date.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn date_leaf(leaf: UserInputLeaf) -> Result<UserInputLeaf, Reason> {
    let bad = |e: filters::DateError| e.to_string();
    match leaf {
        UserInputLeaf::Range {
            field: Some(field),
            lower,
            upper,
        } if field == DATE_FIELD => {
            let lower = match lower {
                UserInputBound::Inclusive(d) if is_partial_date(&d) => {
                    UserInputBound::Inclusive(rfc3339(filters::period_start(&d).map_err(bad)?))
                }
                // After the whole period named.
                UserInputBound::Exclusive(d) if is_partial_date(&d) => {
                    UserInputBound::Inclusive(rfc3339(filters::period_end(&d).map_err(bad)?))
                }
                other => other,
            };
            let upper = match upper {
                // Up to the end of the period named.
                UserInputBound::Inclusive(d) if is_partial_date(&d) => {
                    UserInputBound::Exclusive(rfc3339(filters::period_end(&d).map_err(bad)?))
                }
                UserInputBound::Exclusive(d) if is_partial_date(&d) => {
                    UserInputBound::Exclusive(rfc3339(filters::period_start(&d).map_err(bad)?))
                }
                other => other,
            };
            Ok(UserInputLeaf::Range {
                field: Some(field),
                lower,
                upper,
            })
        }
        UserInputLeaf::Literal(literal)
            if literal.field_name.as_deref() == Some(DATE_FIELD)
                && is_partial_date(&literal.phrase) =>
        {
            Ok(UserInputLeaf::Range {
                field: literal.field_name,
                lower: UserInputBound::Inclusive(rfc3339(
                    filters::period_start(&literal.phrase).map_err(bad)?,
                )),
                upper: UserInputBound::Exclusive(rfc3339(
                    filters::period_end(&literal.phrase).map_err(bad)?,
                )),
            })
        }
        other => Ok(other),
    }
}

/// A word with `*` after it (`blai*`) or `~N` (`oil~2`, `oil~` for 2):
/// Tantivy's grammar reads those marks on quoted phrases only, and keeps
/// them in a bare word.
enum Special {
    Prefix(String),
    Fuzzy(String, u32),
}

fn special(literal: &UserInputLiteral) -> Option<Special> {
    let word = literal.phrase.as_str();
    if word.contains(char::is_whitespace) || word.is_empty() {
        return None;
    }
    if literal.delimiter != Delimiter::None {
        return literal.prefix.then(|| Special::Prefix(word.to_string()));
    }
    if let Some(stem) = word.strip_suffix('*')
        && !stem.is_empty()
        && !stem.contains(['*', '~'])
    {
        return Some(Special::Prefix(stem.to_string()));
    }
    let (stem, distance) = word.rsplit_once('~')?;
    if stem.is_empty() || stem.contains(['*', '~']) {
        return None;
    }
    let distance = match distance {
        "" => MAX_FUZZY_DISTANCE,
        n => n.parse::<u32>().ok()?,
    };
    Some(Special::Fuzzy(
        stem.to_string(),
        distance.min(MAX_FUZZY_DISTANCE),
    ))
}

/// The query of a tree; `None` when it has nothing to match on (words the
/// analyzer drops), so a clause can leave it out.
fn build(
    index: &Index,
    parser: &QueryParser,
    defaults: &Defaults,
    ast: UserInputAst,
) -> Result<Option<Box<dyn Query>>, Reason> {
    match ast {
        UserInputAst::Clause(children) => {
            let mut clauses = Vec::new();
            for (occur, child) in children {
                let Some(query) = build(index, parser, defaults, child)? else {
                    continue;
                };
                let occur = match occur {
                    Some(query_grammar::Occur::Should) => Occur::Should,
                    Some(query_grammar::Occur::MustNot) => Occur::MustNot,
                    // Words are joined by AND unless OR says otherwise.
                    Some(query_grammar::Occur::Must) | None => Occur::Must,
                };
                clauses.push((occur, query));
            }
            Ok((!clauses.is_empty())
                .then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>))
        }
        UserInputAst::Boost(inner, boost) => Ok(build(index, parser, defaults, *inner)?
            .map(|q| Box::new(BoostQuery::new(q, boost.into_inner() as f32)) as Box<dyn Query>)),
        UserInputAst::Leaf(leaf) => match *leaf {
            UserInputLeaf::Literal(literal) if special(&literal).is_some() => {
                let kind = special(&literal).expect("checked");
                word_query(index, defaults, literal.field_name.as_deref(), kind)
            }
            leaf => {
                let query = parser
                    .build_query_from_user_input_ast(UserInputAst::Leaf(Box::new(leaf)))
                    .map_err(|e| e.to_string())?;
                let empty = (*query)
                    .downcast_ref::<BooleanQuery>()
                    .is_some_and(|b| b.clauses().is_empty());
                Ok((!empty).then_some(query))
            }
        },
    }
}

/// A prefix or fuzzy word over its field, or over every default field.
fn word_query(
    index: &Index,
    defaults: &Defaults,
    field_name: Option<&str>,
    kind: Special,
) -> Result<Option<Box<dyn Query>>, Reason> {
    let schema = index.schema();
    let fields: Vec<(tantivy::schema::Field, f32)> = match field_name {
        Some(name) => vec![(schema.get_field(name).map_err(|e| e.to_string())?, 1.0)],
        None => defaults.fields.to_vec(),
    };
    let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (field, boost) in fields {
        let query: Box<dyn Query> = match &kind {
            // The start of a word as indexed: lowercased and accents
            // folded, not stemmed (a stem may be shorter than the prefix).
            Special::Prefix(word) => {
                let prefix = deunicode::deunicode(word).to_lowercase();
                if prefix.is_empty() {
                    continue;
                }
                let term = Term::from_field_text(field, &prefix);
                Box::new(FuzzyTermQuery::new_prefix(term, 0, true))
            }
            // The word as indexed (stemmed), within the distance.
            Special::Fuzzy(word, distance) => {
                let mut analyzer = index
                    .tokenizer_for_field(field)
                    .map_err(|e| e.to_string())?;
                let mut stream = analyzer.token_stream(word);
                let Some(token) = stream.next() else { continue };
                let term = Term::from_field_text(field, &token.text);
                Box::new(FuzzyTermQuery::new(term, *distance as u8, true))
            }
        };
        let query: Box<dyn Query> = if boost == 1.0 {
            query
        } else {
            Box::new(BoostQuery::new(query, boost))
        };
        any.push((Occur::Should, query));
    }
    Ok(match any.len() {
        0 => None,
        1 => any.pop().map(|(_, q)| q),
        _ => Some(Box::new(BooleanQuery::new(any))),
    })
}

/// The tree in Lucene notation, as the user could type it again.
fn render(ast: &UserInputAst, out: &mut String) {
    match ast {
        UserInputAst::Clause(children) => {
            let nested = children.len() > 1;
            let should =
                |o: &Option<query_grammar::Occur>| *o == Some(query_grammar::Occur::Should);
            for (i, (occur, child)) in children.iter().enumerate() {
                if i > 0 {
                    let either = should(occur) && should(&children[i - 1].0);
                    out.push_str(if either { " OR " } else { " " });
                }
                out.push_str(match occur {
                    Some(query_grammar::Occur::MustNot) => "-",
                    Some(query_grammar::Occur::Should) => "",
                    _ => "+",
                });
                let inner = matches!(child, UserInputAst::Clause(c) if c.len() > 1);
                if inner && nested {
                    out.push('(');
                }
                render(child, out);
                if inner && nested {
                    out.push(')');
                }
            }
        }
        UserInputAst::Boost(inner, boost) => {
            out.push('(');
            render(inner, out);
            let _ = write!(out, ")^{}", boost.into_inner());
        }
        UserInputAst::Leaf(leaf) => render_leaf(leaf, out),
    }
}

fn render_leaf(leaf: &UserInputLeaf, out: &mut String) {
    let field = |f: &Option<String>, out: &mut String| {
        if let Some(f) = f {
            out.push_str(f);
            out.push(':');
        }
    };
    match leaf {
        UserInputLeaf::Literal(l) => {
            field(&l.field_name, out);
            let quoted = l.delimiter != Delimiter::None || l.phrase.contains(char::is_whitespace);
            if quoted {
                let _ = write!(out, "\"{}\"", l.phrase);
            } else {
                out.push_str(&l.phrase);
            }
            if l.slop > 0 {
                let _ = write!(out, "~{}", l.slop);
            } else if l.prefix {
                out.push('*');
            }
        }
        UserInputLeaf::Range {
            field: f,
            lower,
            upper,
        } => {
            field(f, out);
            let _ = match lower {
                UserInputBound::Inclusive(v) => write!(out, "[{v}"),
                UserInputBound::Exclusive(v) => write!(out, "{{{v}"),
                UserInputBound::Unbounded => write!(out, "[*"),
            };
            let _ = match upper {
                UserInputBound::Inclusive(v) => write!(out, " TO {v}]"),
                UserInputBound::Exclusive(v) => write!(out, " TO {v}}}"),
                UserInputBound::Unbounded => write!(out, " TO *]"),
            };
        }
        UserInputLeaf::Set { field: f, elements } => {
            field(f, out);
            let _ = write!(out, "IN [{}]", elements.join(" "));
        }
        UserInputLeaf::All => out.push('*'),
        UserInputLeaf::Exists { field: f } => {
            let _ = write!(out, "{f}:*");
        }
        UserInputLeaf::Regex { field: f, pattern } => {
            field(f, out);
            let _ = write!(out, "/{pattern}/");
        }
    }
}

/// What is wrong with a query Tantivy's grammar refuses, and where
/// (positions count characters from 1).
pub fn diagnose(text: &str) -> Reason {
    let mut quote: Option<usize> = None;
    let mut parens: Vec<usize> = Vec::new();
    let mut escaped = false;
    for (n, c) in text.chars().enumerate() {
        let at = n + 1;
        if escaped {
            escaped = false;
            continue;
        }
        if c == '\\' {
            escaped = true;
            continue;
        }
        if quote.is_some() {
            if c == '"' {
                quote = None;
            }
            continue;
        }
        match c {
            '"' => quote = Some(at),
            '(' => parens.push(at),
            ')' if parens.pop().is_none() => {
                return format!("the ')' at character {at} closes no '('");
            }
            _ => {}
        }
    }
    if let Some(at) = quote {
        return format!("the quote at character {at} is never closed: add a '\"' after the phrase");
    }
    if let Some(at) = parens.pop() {
        return format!("the '(' at character {at} is never closed: add a ')'");
    }
    let tokens = tokens(text);
    for (i, (at, token)) in tokens.iter().enumerate() {
        let operator = matches!(*token, "AND" | "OR" | "NOT");
        let before = i.checked_sub(1).map(|j| tokens[j].1);
        let after = tokens.get(i + 1).map(|t| t.1);
        if operator && after.is_none_or(|a| a == ")" || matches!(a, "AND" | "OR")) {
            return format!(
                "{token} at character {at} has nothing after it: write a word after it, or write it in lower case to search for it"
            );
        }
        if matches!(*token, "AND" | "OR")
            && before.is_none_or(|b| b == "(" || matches!(b, "AND" | "OR" | "NOT"))
        {
            return format!(
                "{token} at character {at} has nothing before it: write a word before it, or write it in lower case to search for it"
            );
        }
        if let Some(field) = token.strip_suffix(':')
            && !field.is_empty()
            && after.is_none_or(|a| a == ")")
        {
            return format!(
                "{token} at character {at} has no value: write {field}:word or {field}:\"a phrase\""
            );
        }
    }
    "the query syntax is not understood: put a backslash before a special character (+ - : ( ) [ ] { } ^ \" ~ * !) meant as text, or quote the phrase".to_string()
}

/// Words and parentheses outside quotes, with their positions (characters
/// from 1); a quoted phrase is one token.
fn tokens(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start: Option<(usize, usize)> = None;
    let mut quoted = false;
    for (n, (byte, c)) in text.char_indices().enumerate() {
        if c == '"' {
            quoted = !quoted;
        }
        let breaks = !quoted && (c.is_whitespace() || c == '(' || c == ')');
        if breaks {
            if let Some((at, from)) = start.take() {
                out.push((at, &text[from..byte]));
            }
            if c != ' ' && !c.is_whitespace() {
                out.push((n + 1, &text[byte..byte + 1]));
            }
        } else if start.is_none() {
            start = Some((n + 1, byte));
        }
    }
    if let Some((at, from)) = start {
        out.push((at, &text[from..]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_say_what_and_where() {
        let cases = [
            ("\"unclosed", "quote at character 1 is never closed"),
            ("oil AND", "AND at character 5 has nothing after it"),
            ("AND", "AND at character 1 has nothing after it"),
            ("OR oil", "OR at character 1 has nothing before it"),
            ("title:", "title: at character 1 has no value"),
            ("(oil", "'(' at character 1 is never closed"),
            ("oil)", "')' at character 4 closes no '('"),
        ];
        for (query, expected) in cases {
            let reason = diagnose(query);
            assert!(reason.contains(expected), "{query}: {reason}");
        }
    }

    #[test]
    fn readable_form() {
        let show = |q: &str| {
            let ast = query_grammar::parse_query(q).unwrap();
            let mut out = String::new();
            render(&dates_in(ast).unwrap(), &mut out);
            out
        };
        assert_eq!(show("oil -wheat"), "+oil -wheat");
        assert_eq!(
            show("title:\"state department\" OR blai*"),
            "title:\"state department\" OR blai*"
        );
        assert_eq!(
            show("published:[1987-03-01 TO 1987-04-01]"),
            "published:[1987-03-01T00:00:00Z TO 1987-04-02T00:00:00Z}"
        );
        assert_eq!(
            show("published:1987-03"),
            "published:[1987-03-01T00:00:00Z TO 1987-04-01T00:00:00Z}"
        );
        assert_eq!(show("oil~2"), "oil~2");
    }
}
