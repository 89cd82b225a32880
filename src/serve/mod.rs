//! `newsdex serve`: the page and the JSON API over one open index.
//!
//! A small pool of HTTP threads reads requests (tiny_http: blocking, no
//! async runtime, which suits a read-only server whose work is CPU-bound
//! Tantivy searches); API calls run on a fixed pool of query workers. A call
//! that takes longer than the request time limit is cancelled (its matching
//! stops, [`crate::query::deadline`]) and answered with 504; one that finds
//! every worker busy and the queue full, with 503. The server never writes
//! the index.
//!
//! Owns HTTP: methods, sizes, headers, time limits. Routing and statuses of
//! the API are [`api`], the embedded page [`assets`], the index's lifecycle
//! [`view`].

pub mod api;
pub mod assets;
pub mod params;
pub mod view;

use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use crossbeam_channel::{Receiver, Sender, TrySendError, bounded};
use socket2::{Domain, Protocol, Socket, Type};
use tiny_http::{Header, Method, Request, Response, Server};

use crate::query::deadline::{Deadline, TimedOut};
use api::Reply;
use view::IndexView;

/// Longest request target (path and query) accepted.
pub const MAX_URL_BYTES: usize = 8 * 1024;
/// Largest request body accepted: the API takes none.
pub const MAX_BODY_BYTES: usize = 1024;
/// API requests waiting for a worker before new ones are turned away.
const QUEUE: usize = 64;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    pub bind: SocketAddr,
    /// Query workers (searches running at once).
    pub workers: usize,
    /// Longest an API request may take before it is cancelled (504).
    pub timeout: Duration,
}

/// One API request handed to a query worker.
struct Job {
    path: String,
    query: String,
    deadline: Deadline,
    reply: Sender<Reply>,
}

/// Listens on `config.bind` and serves until the process ends. `ready` gets
/// the address actually bound (port 0 picks a free one).
pub fn run(index: &Path, config: &Config, ready: impl FnOnce(SocketAddr)) -> anyhow::Result<()> {
    let listener =
        listen(config.bind).with_context(|| format!("cannot listen on {}", config.bind))?;
    let server = Server::from_listener(listener, None)
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.bind))?;
    let bound = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| anyhow::anyhow!("{} is not an IP address", config.bind))?;
    let server = Arc::new(server);
    let view = Arc::new(IndexView::new(index));
    let (jobs, queue) = bounded::<Job>(QUEUE);
    for _ in 0..config.workers.max(1) {
        let (view, queue) = (Arc::clone(&view), queue.clone());
        std::thread::spawn(move || work(&view, &queue));
    }
    ready(bound);
    // Readers wait on the network and on workers: a few per worker keeps
    // the workers busy while slow clients send their requests.
    let readers = (config.workers.max(1) * 4).max(8);
    let handles: Vec<_> = (0..readers)
        .map(|_| {
            let (server, jobs, timeout) = (Arc::clone(&server), jobs.clone(), config.timeout);
            let loopback = bound.ip().is_loopback();
            std::thread::spawn(move || {
                while let Ok(request) = server.recv() {
                    respond(request, &jobs, timeout, loopback);
                }
            })
        })
        .collect();
    for handle in handles {
        let _ = handle.join();
    }
    Ok(())
}

/// A listening socket whose connections send each write at once.
/// tiny_http writes a response's head and body apart; with Nagle's
/// algorithm on, the body waits for the client to acknowledge the head, and
/// a client that delays its acknowledgement (Linux: up to 40 ms) holds every
/// kept-alive response that long. Accepted sockets inherit `TCP_NODELAY`
/// from the listener on Linux, and tiny_http offers no hook per connection.
fn listen(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    // As std's `TcpListener::bind` does: a restarted server may bind at once.
    socket.set_reuse_address(true)?;
    socket.set_tcp_nodelay(true)?;
    socket.bind(&addr.into())?;
    socket.listen(1024)?;
    Ok(socket.into())
}

fn work(view: &IndexView, queue: &Receiver<Job>) {
    while let Ok(job) = queue.recv() {
        // Out of time while queued: the requester has been answered 504.
        if job.deadline.passed() {
            continue;
        }
        let _ = job
            .reply
            .send(api::handle(view, &job.path, &job.query, job.deadline));
    }
}

/// Answers one request; a client gone away is not an error worth a line.
fn respond(mut request: Request, jobs: &Sender<Job>, timeout: Duration, loopback: bool) {
    let url = request.url().to_string();
    let (status, body, content_type) = if loopback && !local_host(&request) {
        json(Reply::error(
            403,
            "the Host header names no local address: a loopback server answers only pages \
             loaded from localhost (this refuses DNS rebinding)",
        ))
    } else if !matches!(request.method(), Method::Get | Method::Head) {
        json(Reply::error(405, "only GET and HEAD are served"))
    } else if request.body_length().is_some_and(|n| n > MAX_BODY_BYTES) {
        json(Reply::error(
            413,
            "request body too large: the API takes none",
        ))
    } else if url.len() > MAX_URL_BYTES {
        json(Reply::error(
            414,
            &format!("request target longer than {MAX_URL_BYTES} bytes"),
        ))
    } else {
        let (path, query) = url.split_once('?').unwrap_or((url.as_str(), ""));
        match path.strip_prefix("/api/") {
            Some(api_path) => json(call(jobs, api_path, query, timeout)),
            None => match assets::get(path) {
                Some(asset) => (200, asset.body.as_bytes().to_vec(), asset.content_type),
                None => json(Reply::error(404, &format!("nothing at {path}"))),
            },
        }
    };
    // Drain a small body so the connection stays usable.
    let mut body_left = std::io::Read::take(request.as_reader(), MAX_BODY_BYTES as u64);
    let _ = std::io::copy(&mut body_left, &mut std::io::sink());
    // Content-Length rather than chunks: every body is whole in memory.
    let mut response = Response::from_data(body)
        .with_status_code(status)
        .with_chunked_threshold(usize::MAX);
    for (name, value) in [
        ("Content-Type", content_type),
        ("X-Content-Type-Options", "nosniff"),
        ("Cache-Control", "no-store"),
        (
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
        ),
        ("Referrer-Policy", "no-referrer"),
    ] {
        if let Ok(header) = Header::from_bytes(name, value) {
            response.add_header(header);
        }
    }
    let _ = request.respond(response);
}

/// Whether the request names this machine in its Host header. A web page
/// elsewhere can point a name of its own at 127.0.0.1 and have the browser
/// read a loopback server; its requests carry that name.
fn local_host(request: &Request) -> bool {
    let Some(host) = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str().to_ascii_lowercase())
    else {
        // HTTP/1.0 clients may send none: no browser among them.
        return true;
    };
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host.split(':').next().unwrap_or_default(),
    };
    name == "localhost"
        || name.ends_with(".localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn json(reply: Reply) -> (u16, Vec<u8>, &'static str) {
    (reply.status, reply.body, "application/json")
}

/// Runs an API request on a worker, within the time limit (counted from
/// here, so time in the queue counts too).
fn call(jobs: &Sender<Job>, path: &str, query: &str, timeout: Duration) -> Reply {
    let deadline = Deadline::after(timeout);
    let (reply, answer) = bounded(1);
    let job = Job {
        path: path.to_string(),
        query: query.to_string(),
        deadline,
        reply,
    };
    match jobs.try_send(job) {
        Ok(()) => {}
        Err(TrySendError::Full(_)) => {
            return Reply::error(503, "the server is busy: every query worker is taken");
        }
        Err(TrySendError::Disconnected(_)) => {
            return Reply::error(503, "the query workers have stopped");
        }
    }
    // The worker stops matching at the same deadline and its late answer
    // is dropped.
    answer
        .recv_deadline(deadline.instant())
        .unwrap_or_else(|_| Reply::error(504, &TimedOut { limit: timeout }.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The listener's `TCP_NODELAY` must reach the connections it accepts
    /// (Linux copies it; tiny_http sets nothing per connection).
    #[test]
    fn accepted_connections_send_without_delay() {
        let listener = listen("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = listener.local_addr().unwrap();
        let _client = std::net::TcpStream::connect(addr).unwrap();
        let (accepted, _) = listener.accept().unwrap();
        assert!(accepted.nodelay().unwrap());
    }
}
