//! A `newsdex serve` started on a free loopback port, and a plain HTTP/1.1
//! client over `TcpStream` (raw request targets, so path tricks reach the
//! server unnormalized).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running server; killed (and reaped) when dropped.
pub struct Served {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
}

impl Served {
    /// Starts `newsdex --index DIR serve --bind 127.0.0.1:0 EXTRA...` and
    /// waits for the address it prints.
    pub fn start(index: &Path, extra: &[&str]) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_newsdex"))
            .arg("--index")
            .arg(index)
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(extra)
            .env_remove("NEWSDEX_INDEX")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start newsdex serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("read the address line");
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.trim().strip_suffix('/'))
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_string();
        Served { child, addr }
    }

    pub fn url(&self, target: &str) -> String {
        format!("http://{}{target}", self.addr)
    }

    /// GET a request target as given.
    pub fn get(&self, target: &str) -> Reply {
        self.send(
            &format!("GET {target} HTTP/1.1\r\nHost: {}\r\n", self.addr),
            b"",
        )
    }

    /// GET a target, expecting JSON with the given status.
    pub fn json(&self, target: &str, status: u16) -> serde_json::Value {
        let reply = self.get(target);
        assert_eq!(reply.status, status, "{target}: {}", reply.body);
        reply.json()
    }

    /// Sends a request head (without the blank line) and a body.
    pub fn send(&self, head: &str, body: &[u8]) -> Reply {
        let mut stream = TcpStream::connect(&self.addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let request = format!("{head}Connection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).expect("send head");
        // The server may answer and close before taking a refused body.
        let _ = stream.write_all(body);
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        Reply::parse(&raw)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A parsed HTTP response.
pub struct Reply {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Reply {
    fn parse(raw: &[u8]) -> Reply {
        let text = String::from_utf8_lossy(raw);
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status line in {head:?}"));
        Reply {
            status,
            head: head.to_string(),
            body: body.to_string(),
        }
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// A JSON error with this status whose message says `what`.
    pub fn assert_error(&self, status: u16, what: &str) {
        assert_eq!(self.status, status, "{}", self.body);
        let message = self.json()["error"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(message.contains(what), "{message:?} does not say {what:?}");
    }
}

/// The sample archive (public-domain press releases) and the format
/// fixtures, indexed with entities: real files for the server to serve.
pub fn sample_index() -> crate::env::TestEnv {
    let env = crate::env::TestEnv::new();
    env.copy(&crate::env::repo().join("data/sample"), "sample");
    env.copy(
        &crate::env::repo().join("tests/fixtures/formats"),
        "formats",
    );
    let (run, _) = env.index_archive(&[]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    env
}
