//! The parameters of an API request, read from its query string into the
//! same request types the command line builds, with the API's caps.
//!
//! Owns what a URL may ask for; a parameter that cannot be read is a
//! [`BadRequest`] naming it, never a panic or a silent default.

use percent_encoding::percent_decode_str;

use crate::query::filters::Filters;
use crate::query::histogram::Interval;
use crate::query::resolve::EntityType;
use crate::query::results::CountBy;
use crate::query::{Request, Sort};

/// Most hits one API page returns: larger `limit`s are cut to this.
pub const MAX_LIMIT: usize = 100;
/// Deepest `offset` accepted: a page further in is refused (refine the
/// query instead; `newsdex search --all` exports everything).
pub const MAX_OFFSET: usize = 10_000;
/// Most values a facet or entity list returns.
pub const MAX_VALUES: usize = 200;
/// Hits per page when the request does not say.
const DEFAULT_LIMIT: usize = 10;

/// A parameter the API cannot use (HTTP 400).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadRequest(pub String);

/// The decoded `name=value` pairs of a query string, in order.
#[derive(Debug, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// Decodes `a=1&b=x+y&b=%C3%A9`; `+` is a space. Bytes that are not
    /// UTF-8 after decoding are refused.
    pub fn parse(query: &str) -> Result<Params, BadRequest> {
        let mut pairs = Vec::new();
        for part in query.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            pairs.push((decode(name)?, decode(value)?));
        }
        Ok(Params(pairs))
    }

    /// The last value of a parameter (a repeated single parameter: the last wins).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every non-empty value of a repeatable parameter.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(n, v)| n == name && !v.trim().is_empty())
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// A number, `default` when absent or empty.
    pub fn number(&self, name: &str, default: usize) -> Result<usize, BadRequest> {
        match self.get(name).filter(|v| !v.is_empty()) {
            None => Ok(default),
            Some(v) => v.parse().map_err(|_| {
                BadRequest(format!("{name}={v:?} is not a whole number of 0 or more"))
            }),
        }
    }

    /// `1`, `true`, `yes` or an empty value (`?main`) are true.
    pub fn flag(&self, name: &str) -> Result<bool, BadRequest> {
        match self.get(name) {
            None => Ok(false),
            Some("" | "1" | "true" | "yes" | "on") => Ok(true),
            Some("0" | "false" | "no" | "off") => Ok(false),
            Some(v) => Err(BadRequest(format!("{name}={v:?}: write 1 or 0"))),
        }
    }

    /// A value of one of clap's value enums (`sort=newest`, `type=place`).
    pub fn choice<T: clap::ValueEnum>(&self, name: &str) -> Result<Option<T>, BadRequest> {
        match self.get(name).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(v) => T::from_str(v, true).map(Some).map_err(|_| {
                let names: Vec<String> = T::value_variants()
                    .iter()
                    .filter_map(|c| c.to_possible_value().map(|p| p.get_name().to_string()))
                    .collect();
                BadRequest(format!(
                    "{name}={v:?}: expected one of {}",
                    names.join(", ")
                ))
            }),
        }
    }

    /// The filters shared by search, entities and related.
    pub fn filters(&self) -> Result<Filters, BadRequest> {
        let date = |name: &str| self.get(name).filter(|v| !v.is_empty()).map(str::to_string);
        Ok(Filters {
            person: self.all("person"),
            place: self.all("place"),
            org: self.all("org"),
            from: date("from"),
            to: date("to"),
            source: self.all("source"),
            main: self.flag("main")?,
        })
    }

    /// A page: `limit` cut to [`MAX_LIMIT`], `offset` refused past
    /// [`MAX_OFFSET`].
    pub fn page(&self) -> Result<(usize, usize), BadRequest> {
        let limit = self.number("limit", DEFAULT_LIMIT)?.min(MAX_LIMIT);
        let offset = self.number("offset", 0)?;
        if offset > MAX_OFFSET {
            return Err(BadRequest(format!(
                "offset={offset} is past {MAX_OFFSET}, the deepest page the API serves; narrow the \
                 query, or export every match with `newsdex search --all`"
            )));
        }
        Ok((limit, offset))
    }

    /// Which entity types to count: `facets=1` (all three) or a list,
    /// `facets=person,place`.
    pub fn facet_types(&self) -> Result<Vec<EntityType>, BadRequest> {
        let Some(value) = self.get("facets").filter(|v| !v.is_empty()) else {
            return Ok(Vec::new());
        };
        match value {
            "1" | "true" | "yes" | "all" => return Ok(EntityType::ALL.to_vec()),
            "0" | "false" | "no" => return Ok(Vec::new()),
            _ => {}
        }
        value
            .split(',')
            .map(|name| {
                <EntityType as clap::ValueEnum>::from_str(name.trim(), true).map_err(|_| {
                    BadRequest(format!(
                        "facets={value:?}: write 1, or a list of person, place, org"
                    ))
                })
            })
            .collect()
    }

    /// A search request as `newsdex search` would build it.
    pub fn search_request(&self) -> Result<Request, BadRequest> {
        let (limit, offset) = self.page()?;
        Ok(Request {
            query: self.get("q").unwrap_or_default().to_string(),
            filters: self.filters()?,
            limit,
            offset,
            sort: self.choice::<Sort>("sort")?.unwrap_or_default(),
            facets: self.facet_types()?,
            facet_limit: self.number("facet_limit", 10)?.min(MAX_VALUES),
            histogram: self.choice::<Interval>("histogram")?,
            collapse: self.flag("collapse")?,
            count_by: self.choice::<CountBy>("count_by")?.unwrap_or_default(),
        })
    }
}

fn decode(text: &str) -> Result<String, BadRequest> {
    let spaced = text.replace('+', " ");
    percent_decode_str(&spaced)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| BadRequest(format!("{text:?} is not UTF-8 once decoded")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_plus_percent_and_repeats() {
        let p = Params::parse("q=oil+price&person=Ab%C3%BA&person=&place=Iraq&place=Iran").unwrap();
        assert_eq!(p.get("q"), Some("oil price"));
        assert_eq!(p.all("person"), ["Abú"]);
        assert_eq!(p.all("place"), ["Iraq", "Iran"]);
        assert!(Params::parse("q=%FF").is_err());
    }

    #[test]
    fn caps_the_limit_and_refuses_deep_offsets() {
        let r = Params::parse("limit=999999999999")
            .unwrap()
            .search_request()
            .unwrap();
        assert_eq!(r.limit, MAX_LIMIT);
        assert!(Params::parse("offset=10001").unwrap().page().is_err());
        assert!(Params::parse("limit=-1").unwrap().page().is_err());
        assert!(
            Params::parse("limit=99999999999999999999999")
                .unwrap()
                .page()
                .is_err()
        );
    }

    #[test]
    fn reads_choices_and_facet_lists() {
        let r = Params::parse("sort=newest&histogram=month&facets=person,org")
            .unwrap()
            .search_request()
            .unwrap();
        assert_eq!(r.sort, Sort::Newest);
        assert_eq!(r.histogram, Some(Interval::Month));
        assert_eq!(r.facets, [EntityType::Person, EntityType::Org]);
        let err = Params::parse("sort=sideways")
            .unwrap()
            .search_request()
            .unwrap_err();
        assert!(err.0.contains("relevance"), "{err}");
        assert!(
            Params::parse("facets=people")
                .unwrap()
                .facet_types()
                .is_err()
        );
    }
}
