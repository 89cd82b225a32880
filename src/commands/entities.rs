//! `newsdex entities`: entity values with article counts — the top values,
//! values matching a name, places inside a place, and the entities that
//! appear beside a given one.

use std::path::Path;

use tantivy::schema::Facet;

use crate::cli::EntitiesArgs;
use crate::exit::Status;
use crate::index::NewsIndex;
use crate::output::{self, Style};
use crate::query::resolve::{EntityType, EntityValue};
use crate::query::{EntityList, Session};

pub fn run(index: &Path, args: EntitiesArgs) -> anyhow::Result<Status> {
    let news = NewsIndex::open(index)?;
    let session = Session::open(&news)?.with_max_depth(args.limits.max_query_depth);
    let list = match list(&session, &args) {
        Ok(list) => list,
        Err(err) => return super::search::name_error(err),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut printer = output::printer(args.format, Style::detect(), &mut out);
    printer.entities(&list)?;
    printer.finish()?;
    Ok(if list.values.is_empty() {
        Status::Partial
    } else {
        Status::Success
    })
}

/// The listing `args` asks for, in one session (the command's or a server
/// request's).
pub fn list(session: &Session, args: &EntitiesArgs) -> anyhow::Result<EntityList> {
    let mut filters = args.filters.to_filters();
    filters.person.extend(args.with_person.iter().cloned());
    filters.place.extend(args.with_place.iter().cloned());
    filters.org.extend(args.with_org.iter().cloned());
    let prepared = session.prepare(&args.query, &filters)?;
    let searcher = &prepared.searcher;
    let articles = searcher.search(&*prepared.query, &tantivy::collector::Count)?;
    let kinds: Vec<EntityType> = args
        .kind
        .map_or_else(|| EntityType::ALL.to_vec(), |k| vec![k]);

    let values = if let Some(text) = &args.matching {
        // Facet value search: by part of a name, counted over the archive.
        let catalog = session.catalog()?;
        let mut found: Vec<EntityValue> = kinds
            .iter()
            .flat_map(|&k| catalog.matching(Some(k), text))
            .collect();
        found.sort_by(|a, b| {
            b.articles
                .cmp(&a.articles)
                .then_with(|| a.name.cmp(&b.name))
        });
        found.truncate(args.top);
        found
    } else if let Some(within) = &args.within {
        let (places, note) = session
            .catalog()?
            .resolve_or_explain(EntityType::Place, within)?;
        if let Some(note) = note {
            eprintln!("newsdex: {note}");
        }
        descendants(
            session,
            &*prepared.query,
            &places[0],
            args.top,
            prepared.filters.main,
        )?
    } else {
        // Co-occurrence leaves out the entities the user filtered by.
        let given: Vec<&EntityValue> = prepared
            .filters
            .persons
            .iter()
            .chain(&prepared.filters.places)
            .chain(&prepared.filters.orgs)
            .collect();
        let roots: Vec<Facet> = kinds.iter().map(|k| k.root()).collect();
        let counter = session.counter(&roots, 1, prepared.filters.main)?;
        let counts = searcher.search(&*prepared.query, &counter)?;
        let mut values = Vec::new();
        for &kind in &kinds {
            let extra = given.iter().filter(|g| g.kind == kind).count();
            // Each type keeps its own top N, in the order the types were asked.
            let top = counts
                .top(&kind.root(), args.top.saturating_add(extra))
                .into_iter()
                .map(|(facet, n)| value_of(kind, &facet, n))
                .filter(|v| !given.iter().any(|g| g.kind == kind && g.path == v.path))
                .map(|v| with_aliases(session.catalog(), v))
                .take(args.top);
            values.extend(top);
        }
        values
    };
    Ok(EntityList {
        query: args.query.clone(),
        filters: prepared.filters,
        articles,
        values,
    })
}

/// Regions and cities inside a place, counted over the matching articles.
fn descendants(
    session: &Session,
    query: &dyn tantivy::query::Query,
    place: &EntityValue,
    top: usize,
    main: bool,
) -> anyhow::Result<Vec<EntityValue>> {
    let parent = [place.facet()];
    // Countries have regions, regions have cities: two levels, in one pass.
    let (regions, cities) = session.searcher().search(
        query,
        &(
            session.counter(&parent, 1, main)?,
            session.counter(&parent, 2, main)?,
        ),
    )?;
    let mut values: Vec<EntityValue> = regions
        .iter()
        .chain(cities.iter())
        .map(|(facet, n)| value_of(EntityType::Place, &facet, n))
        .collect();
    values.sort_by(|a, b| {
        b.articles
            .cmp(&a.articles)
            .then_with(|| a.name.cmp(&b.name))
    });
    values.truncate(top);
    Ok(values)
}

fn value_of(kind: EntityType, facet: &Facet, articles: u64) -> EntityValue {
    let path: Vec<String> = facet
        .to_path()
        .iter()
        .skip(1)
        .map(|s| s.to_string())
        .collect();
    EntityValue::new(kind, path, articles)
}

/// A counted value with the other values merged into it, so a listing
/// shows what "Ronald Reagan" includes.
fn with_aliases(
    catalog: anyhow::Result<&crate::query::resolve::Catalog>,
    mut value: EntityValue,
) -> EntityValue {
    if value.kind != EntityType::Place
        && let Ok(catalog) = catalog
    {
        let words = crate::query::resolve::name_words(&value.name);
        if let Some(first) = words.iter().max_by_key(|w| w.len()) {
            for known in catalog.names().with_word(value.kind, first, false) {
                if known.name == value.name {
                    value.aliases = known.aliases;
                    break;
                }
            }
        }
    }
    value
}
