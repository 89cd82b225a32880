//! `newsdex serve`'s JSON API through a real HTTP client: the same answers
//! as the command line's JSON, errors as JSON with fitting statuses, and
//! commits of a concurrent `newsdex index` picked up without a restart.

use std::time::{Duration, Instant};

use crate::env::{TestEnv, assert_valid, repo};
use crate::http::{Served, sample_index};

fn cli_json(env: &TestEnv, args: &[&str]) -> serde_json::Value {
    let run = env.run(args);
    assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    run.json()
}

#[test]
fn api_answers_as_the_cli_prints() {
    let env = sample_index();
    let server = Served::start(&env.index(), &[]);

    let api = server.json(
        "/api/search?q=syria&place=Syria&facets=1&histogram=month&limit=5&sort=newest",
        200,
    );
    let cli = cli_json(
        &env,
        &[
            "search",
            "syria",
            "--place",
            "Syria",
            "--facets",
            "--histogram",
            "month",
            "--limit",
            "5",
            "--sort",
            "newest",
            "--format",
            "json",
        ],
    );
    assert_eq!(api, cli);
    assert_valid("search-output.schema.json", &api);
    assert!(api["total"].as_u64().unwrap() >= 2, "{api}");
    assert!(!api["facets"]["person"].as_array().unwrap().is_empty());

    let id = api["hits"][0]["id"].as_str().unwrap().to_string();
    let article = server.json(&format!("/api/article/{id}"), 200);
    assert_eq!(article, cli_json(&env, &["show", &id, "--format", "json"]));
    assert_valid("article-output.schema.json", &article);

    let related = server.json(&format!("/api/related/{id}?limit=3"), 200);
    assert_eq!(
        related,
        cli_json(&env, &["related", &id, "--limit", "3", "--format", "json"])
    );

    let places = server.json("/api/entities?type=place&top=5", 200);
    assert_eq!(
        places,
        cli_json(
            &env,
            &[
                "entities", "--type", "place", "--top", "5", "--format", "json"
            ]
        )
    );
    assert_valid("entities-output.schema.json", &places);
    let within = server.json("/api/entities?type=place&within=Syria&q=syria", 200);
    assert_eq!(
        within,
        cli_json(
            &env,
            &[
                "entities", "syria", "--type", "place", "--within", "Syria", "--format", "json"
            ]
        )
    );

    let stats = server.json("/api/stats", 200);
    assert_eq!(stats, cli_json(&env, &["stats", "--json"]));
    assert_valid("stats-output.schema.json", &stats);
}

#[test]
fn article_mentions_point_at_the_entities_in_the_text() {
    let env = sample_index();
    let server = Served::start(&env.index(), &[]);
    let hits = server.json("/api/search?q=syria&limit=5", 200);
    let id = hits["hits"][0]["id"].as_str().unwrap();
    let article = server.json(&format!("/api/article/{id}"), 200);
    let marks = server.json(&format!("/api/article/{id}/mentions"), 200);
    let mentions = marks["mentions"].as_array().unwrap();
    assert!(!mentions.is_empty(), "{marks}");
    let mut kinds = std::collections::BTreeSet::new();
    for m in mentions {
        let text = article[m["field"].as_str().unwrap()].as_str().unwrap();
        let (start, end) = (
            m["start"].as_u64().unwrap() as usize,
            m["end"].as_u64().unwrap() as usize,
        );
        let marked = &text[start..end];
        let value = m["value"].as_str().unwrap();
        let kind = m["type"].as_str().unwrap();
        kinds.insert(kind.to_string());
        // The value is one of the article's own, and the marked words name it.
        let list = article[format!("{kind}s")].as_array().unwrap();
        assert!(
            list.iter().any(|v| v == value) || kind == "place",
            "{value} not among {list:?}"
        );
        let last = value.rsplit(" / ").next().unwrap().to_lowercase();
        assert!(
            last.contains(&marked.to_lowercase()) || marked.to_lowercase().contains(&last),
            "{marked:?} marked as {value}"
        );
    }
    assert!(kinds.contains("place"), "{kinds:?}");
}

#[test]
fn bad_requests_get_json_errors_never_a_crash() {
    let env = sample_index();
    let server = Served::start(&env.index(), &[]);
    let error = |target: &str, status: u16| -> String {
        let reply = server.get(target);
        assert_eq!(reply.status, status, "{target}: {}", reply.body);
        let body = reply.json();
        assert_eq!(body["status"], status, "{target}");
        body["error"].as_str().unwrap().to_string()
    };
    assert!(error("/api/search?q=(((", 400).contains("cannot understand the query"));
    assert!(error("/api/search?q=oil&from=2019-13", 400).contains("cannot read the date"));
    assert!(error("/api/search?sort=sideways", 400).contains("relevance"));
    assert!(error("/api/search?offset=99999", 400).contains("offset"));
    assert!(error("/api/search?limit=-3", 400).contains("limit"));
    assert!(error("/api/search?q=%FF%FE", 400).contains("UTF-8"));
    assert!(error("/api/search?histogram=week", 400).contains("month"));
    let deep = format!("/api/search?q={}x{}", "(".repeat(300), ")".repeat(300));
    assert!(error(&deep, 400).contains("levels deep"));
    error("/api/search?person=Nobody+Atall", 400);
    error("/api/article/0000000000000000", 404);
    error("/api/related/0000000000000000", 404);
    error("/api/article/0000000000000000/mentions", 404);
    error(&format!("/api/article/{}", "a".repeat(300)), 404);
    error("/api/nothing", 404);
    // Huge limits are capped, not refused.
    let capped = server.json("/api/search?limit=99999999999", 200);
    assert_eq!(capped["limit"], 100);
    // No file outside the embedded page, however the path is spelled.
    for target in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/app.js/../../Cargo.toml",
        "/..%2fCargo.toml",
        "/src/serve/web/app.js",
    ] {
        let reply = server.get(target);
        assert_eq!(reply.status, 404, "{target}");
        assert!(!reply.body.contains("[package]"), "{target}");
    }
    // Methods, bodies and targets beyond the caps.
    let head = |method: &str, extra: &str| {
        format!("{method} /api/stats HTTP/1.1\r\nHost: localhost\r\n{extra}")
    };
    assert_eq!(
        server
            .send(&head("POST", "Content-Length: 2\r\n"), b"{}")
            .status,
        405
    );
    assert_eq!(server.send(&head("DELETE", ""), b"").status, 405);
    let big = vec![b'x'; 64 * 1024];
    let reply = server.send(
        &head("GET", &format!("Content-Length: {}\r\n", big.len())),
        &big,
    );
    assert_eq!(reply.status, 413);
    let long = format!("/api/search?q={}", "a".repeat(10_000));
    assert_eq!(server.get(&long).status, 414);
    // A page of another site resolving its own name to 127.0.0.1 is refused.
    let rebound = server.send(
        "GET /api/stats HTTP/1.1\r\nHost: evil.example:7878\r\n",
        b"",
    );
    rebound.assert_error(403, "Host");
    let local = server.send("GET /api/stats HTTP/1.1\r\nHost: localhost:7878\r\n", b"");
    assert_eq!(local.status, 200, "{}", local.body);
    // Still serving after all that.
    server.json("/api/stats", 200);
    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("/app.js"), "{}", page.body);
    assert!(page.head.to_lowercase().contains("content-security-policy"));
}

#[test]
fn waits_for_an_index_and_follows_new_commits() {
    let env = TestEnv::new();
    env.copy(
        &repo().join("tests/fixtures/formats/articles.jsonl"),
        "one.jsonl",
    );
    let server = Served::start(&env.index(), &[]);
    server.get("/api/stats").assert_error(503, "no index");

    let (run, first) = env.index_archive(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let first = first["articles_total"].as_u64().unwrap();
    assert!(first > 0);
    assert_eq!(articles_eventually(&server, first), first);

    // A second run adds articles; the running server sees them.
    env.copy(
        &repo().join("tests/fixtures/formats/articles.json"),
        "two.json",
    );
    let (run, second) = env.index_archive(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let second = second["articles_total"].as_u64().unwrap();
    assert!(second > first, "{first} → {second}");
    assert_eq!(articles_eventually(&server, second), second);
}

/// The article count `stats` reports once it is `want` (Tantivy reloads
/// within a second of a commit), or the last seen after 15 s.
fn articles_eventually(server: &Served, want: u64) -> u64 {
    let start = Instant::now();
    loop {
        let reply = server.get("/api/stats");
        let seen = (reply.status == 200).then(|| reply.json()["articles"].as_u64().unwrap());
        if seen == Some(want) || start.elapsed() > Duration::from_secs(15) {
            return seen.unwrap_or(0);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_request_past_the_time_limit_is_cancelled_with_504() {
    let env = sample_index();
    let server = Served::start(&env.index(), &["--timeout-ms", "1"]);
    server
        .get("/api/search?q=syria&facets=1&histogram=day&limit=100")
        .assert_error(504, "was cancelled");
}

#[test]
fn binding_beyond_loopback_warns_of_no_authentication() {
    let env = TestEnv::new();
    let out = env
        .command()
        .args(["serve", "--bind", "0.0.0.0:0", "--timeout-ms", "1"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start serve");
    let mut child = out;
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stderr.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(line.contains("no authentication"), "{line}");
}

#[test]
fn openapi_describes_every_endpoint_and_its_answer() {
    let env = sample_index();
    let server = Served::start(&env.index(), &[]);
    let openapi: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo().join("schema/openapi.json")).unwrap())
            .unwrap();
    let id = server.json("/api/search?q=syria&limit=1", 200)["hits"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let paths = openapi["paths"].as_object().unwrap();
    let mut described: Vec<&str> = paths.keys().map(String::as_str).collect();
    described.sort_unstable();
    assert_eq!(
        described,
        [
            "/api/article/{id}",
            "/api/article/{id}/mentions",
            "/api/entities",
            "/api/related/{id}",
            "/api/search",
            "/api/stats",
        ]
    );
    for (path, item) in paths {
        let answer = server.json(&path.replace("{id}", &id), 200);
        let schema =
            item["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
                .as_str()
                .unwrap_or_else(|| panic!("{path}: no response schema"));
        assert_valid(schema, &answer);
    }
}
