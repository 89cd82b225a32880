//! The JSON API: one function per endpoint, each a thin call into the same
//! query code and result types as the command line, so a response is
//! exactly what `newsdex ... --format json` prints.
//!
//! Owns routing and HTTP statuses; parameters are read by [`super::params`].

use serde::Serialize;

use super::params::{BadRequest, MAX_VALUES, Params};
use super::view::{IndexView, Opened, Snapshot};
use crate::cli::{EntitiesArgs, FilterArgs, OutputFormat, QueryLimitArgs};
use crate::index::IndexError;
use crate::index::damage;
use crate::query::deadline::{Deadline, TimedOut};
use crate::query::filters::DateError;
use crate::query::limits::LimitError;
use crate::query::resolve::NameError;
use crate::query::{QueryError, Session};

/// Longest article id accepted in a path.
const MAX_ID_LEN: usize = 256;

/// An HTTP answer: status and JSON body.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(status: u16, value: &impl Serialize) -> Reply {
        match serde_json::to_vec(value) {
            Ok(body) => Reply { status, body },
            Err(err) => Reply::error(500, &format!("cannot write the answer: {err}")),
        }
    }

    /// `{"error": "...", "status": N}`.
    pub fn error(status: u16, message: &str) -> Reply {
        let body = serde_json::json!({ "error": message, "status": status });
        Reply {
            status,
            body: body.to_string().into_bytes(),
        }
    }
}

/// What went wrong with a request, as an HTTP status and a message.
enum Failure {
    NotFound(String),
    Other(anyhow::Error),
}

impl From<anyhow::Error> for Failure {
    fn from(err: anyhow::Error) -> Failure {
        Failure::Other(err)
    }
}

impl From<BadRequest> for Failure {
    fn from(err: BadRequest) -> Failure {
        Failure::Other(err.into())
    }
}

type Answer = Result<Reply, Failure>;

/// Answers one API request (`path` below `/api/`, its query string), its
/// matching stopped at `deadline` (504). A panic inside the query code is
/// caught and reported as damage (503), never a dead worker.
pub fn handle(view: &IndexView, path: &str, query: &str, deadline: Deadline) -> Reply {
    let answer = damage::guard(view.dir(), || Ok(route(view, path, query, deadline)));
    let answer = match answer {
        Ok(answer) => answer,
        Err(err) => Err(Failure::Other(err)),
    };
    match answer {
        Ok(reply) => reply,
        Err(Failure::NotFound(message)) => Reply::error(404, &message),
        Err(Failure::Other(err)) => {
            let status = status_of(&err);
            if status == 503 {
                // Open afresh next time: the index may be rebuilt meanwhile.
                view.reset();
            }
            Reply::error(status, &format!("{err:#}"))
        }
    }
}

fn route(view: &IndexView, path: &str, query: &str, deadline: Deadline) -> Answer {
    let params = Params::parse(query)?;
    let segments: Vec<&str> = path.split('/').collect();
    let in_session =
        |f: &dyn Fn(&Session, (&Opened, &Snapshot)) -> Answer| with_session(view, deadline, f);
    match segments.as_slice() {
        ["search"] => in_session(&|s, _| search(s, &params)),
        ["article", id] => in_session(&|s, _| article(s, &decode_id(id)?)),
        ["article", id, "mentions"] => in_session(&|s, _| mentions(s, &decode_id(id)?)),
        ["related", id] => in_session(&|s, _| related(s, &decode_id(id)?, &params)),
        ["entities"] => in_session(&|s, _| entities(s, &params)),
        ["stats"] => in_session(&|_, (opened, snapshot)| {
            let stats = crate::commands::stats::collect_in(&opened.news, &snapshot.searcher)?;
            Ok(Reply::json(200, &stats))
        }),
        _ => Err(Failure::NotFound(format!(
            "no API endpoint /api/{path}; see schema/openapi.json"
        ))),
    }
}

/// Runs `f` in a session on the current commit; an answer finished past
/// the deadline is not given (the matching stopped there, so it may be
/// incomplete).
fn with_session(
    view: &IndexView,
    deadline: Deadline,
    f: &dyn Fn(&Session, (&Opened, &Snapshot)) -> Answer,
) -> Answer {
    let opened = view.opened()?;
    let snapshot = opened.snapshot()?;
    let session = opened.session(&snapshot).with_deadline(deadline);
    let answer = f(&session, (&opened, &snapshot))?;
    session.within_deadline().map_err(anyhow::Error::from)?;
    Ok(answer)
}

fn decode_id(segment: &str) -> Result<String, Failure> {
    let id = Params::parse(&format!("id={segment}"))?
        .get("id")
        .unwrap_or_default()
        .to_string();
    if id.is_empty() || id.len() > MAX_ID_LEN {
        return Err(Failure::NotFound(format!("no article with id {id:?}")));
    }
    Ok(id)
}

fn search(session: &Session, params: &Params) -> Answer {
    let request = params.search_request()?;
    Ok(Reply::json(200, &session.search(&request)?))
}

fn article(session: &Session, id: &str) -> Answer {
    match session.article(id)? {
        Some(article) => Ok(Reply::json(200, &article)),
        None => Err(Failure::NotFound(format!("no article with id {id}"))),
    }
}

fn mentions(session: &Session, id: &str) -> Answer {
    match session.article(id)? {
        Some(article) => Ok(Reply::json(200, &session.mentions(&article)?)),
        None => Err(Failure::NotFound(format!("no article with id {id}"))),
    }
}

fn related(session: &Session, id: &str, params: &Params) -> Answer {
    let (limit, _) = params.page()?;
    match session.related(id, &params.filters()?, limit)? {
        Some(results) => Ok(Reply::json(200, &results)),
        None => Err(Failure::NotFound(format!("no article with id {id}"))),
    }
}

fn entities(session: &Session, params: &Params) -> Answer {
    let filters = params.filters()?;
    let args = EntitiesArgs {
        query: params.get("q").unwrap_or_default().to_string(),
        filters: FilterArgs {
            person: filters.person,
            place: filters.place,
            org: filters.org,
            from: filters.from,
            to: filters.to,
            source: filters.source,
            main: filters.main,
        },
        kind: params.choice("type")?,
        top: params.number("top", 20)?.min(MAX_VALUES),
        matching: params
            .get("match")
            .filter(|v| !v.is_empty())
            .map(str::to_string),
        within: params
            .get("within")
            .filter(|v| !v.is_empty())
            .map(str::to_string),
        with_person: params.all("with_person"),
        with_place: params.all("with_place"),
        with_org: params.all("with_org"),
        limits: QueryLimitArgs {
            max_query_depth: crate::query::limits::DEFAULT_MAX_QUERY_DEPTH,
        },
        format: OutputFormat::Json,
    };
    let list = crate::commands::entities::list(session, &args)?;
    Ok(Reply::json(200, &list))
}

/// The status an error deserves: the request's fault (400), the index's
/// (503: missing, damaged, unreadable), the time limit's (504), or ours
/// (500).
fn status_of(err: &anyhow::Error) -> u16 {
    for cause in err.chain() {
        if cause.is::<TimedOut>() {
            return 504;
        }
        if cause.is::<BadRequest>()
            || cause.is::<QueryError>()
            || cause.is::<LimitError>()
            || cause.is::<DateError>()
            || cause.is::<NameError>()
        {
            return 400;
        }
        if cause.is::<IndexError>() || cause.is::<tantivy::TantivyError>() {
            return 503;
        }
    }
    500
}
