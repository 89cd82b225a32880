//! A hostile query corpus: thousands of strings built from grammar fragments
//! (unbalanced quotes and brackets, deep nesting, huge numbers, field names,
//! ranges with junk, unicode, control characters, long strings) with extreme
//! options. None may panic or abort, and every error must read as a message.
//!
//! The bulk runs in-process through the library calls the binary makes
//! (search, count, stream, and every printer), each under `catch_unwind`;
//! all strings also run through the real binary as one batch, and a smaller
//! set as single commands with extreme options.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;

use newsdex::cli::OutputFormat;
use newsdex::index::NewsIndex;
use newsdex::output::{self, Style};
use newsdex::query::filters::Filters;
use newsdex::query::histogram::Interval;
use newsdex::query::resolve::EntityType;
use newsdex::query::{CountBy, Request, Session, Sort};

use crate::env::{TestEnv, fixture, repo};

/// How many generated strings the corpus holds (besides the fixed ones).
const GENERATED: usize = 2_000;

/// The seed article and the bundled sample, indexed with entities.
fn env() -> &'static TestEnv {
    static ENV: OnceLock<TestEnv> = OnceLock::new();
    ENV.get_or_init(|| {
        let env = TestEnv::new();
        env.copy(&fixture("seed/iraq-us-airstrikes.txt"), "seed/a.txt");
        env.copy(&repo().join("data/sample"), "sample");
        let (run, _) = env.index_archive(&[]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        env
    })
}

/// splitmix64: a fixed seed gives the same corpus on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "iraq",
    "oil",
    "Kerry",
    "airstrike",
    "muhandis",
    "a",
    "*",
    "a*",
    "?",
    "Ïraq",
    "伊拉克",
    "العراق",
    "😀",
    "e\u{301}",
    "\u{202e}rtl",
    "\u{feff}",
    "\u{200b}",
    "\u{0}",
    "\u{7}",
    "\u{1b}[31m",
    "\u{7f}",
    "\u{fffd}",
    "NaN",
    "inf",
    "-0",
    "1e999",
    "0x1f",
    "_",
    "%s%n",
    "'; DROP TABLE",
    "<script>",
    "AND",
    "OR",
    "NOT",
    "TO",
    "IN",
    "and",
    "not",
];

const NUMBERS: &[&str] = &[
    "0",
    "-1",
    "18446744073709551615",
    "18446744073709551616",
    "9223372036854775808",
    "-9223372036854775809",
    "340282366920938463463374607431768211456",
    "1e308",
    "1e-400",
    "4294967296",
    "00000000000000000000001",
    "3.14159",
    "-0.0",
];

const FIELDS: &[&str] = &[
    "title",
    "body",
    "standfirst",
    "captions",
    "published",
    "id",
    "path",
    "record",
    "entities",
    "tags",
    "source",
    "format",
    "language",
    "authors",
    "dateline",
    "url",
    "nosuchfield",
    "person",
    "place",
    "org",
    "after",
    "before",
    "since",
    "from",
    "to",
    "",
];

const DATES: &[&str] = &[
    "2019",
    "2019-06",
    "2019-06-30",
    "0000",
    "0001-01-01",
    "9999-12-31",
    "99999",
    "2019-13",
    "2019-02-30",
    "-1",
    "1e9",
    "2019-06-30T25:61:61Z",
    "junk",
    "",
    "1987-03-01T00:00:00Z",
    "18446744073709551616",
];

const PUNCTUATION: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "\"",
    "'",
    "\\",
    "\\\\",
    "+",
    "-",
    "^",
    "^2",
    "^1e308",
    "^-1",
    "~",
    "~2",
    "~4294967296",
    ":",
    "::",
    "/",
    "/re.*/",
    "!",
    "&&",
    "||",
    "*:*",
    " TO ",
    "IN [",
    "\t",
    "\u{3000}",
];

/// One hostile string: a few fragments glued together, or a family built
/// for one kind of trouble.
fn hostile(rng: &mut Rng) -> String {
    match rng.below(10) {
        // Deep nesting around the default limit and far past it.
        0 => {
            let depth = *rng.pick(&[10, 63, 64, 65, 200, 257, 5_000]);
            let (open, close) = *rng.pick(&[("(", ")"), ("NOT ", ""), ("NOT (", ")"), ("+(", ")")]);
            let inner = rng.pick(WORDS);
            let closing = if rng.below(3) == 0 { 0 } else { depth };
            format!("{}{inner}{}", open.repeat(depth), close.repeat(closing))
        }
        // Ranges with junk bounds.
        1 => {
            let (open, close) =
                *rng.pick(&[("[", "]"), ("{", "}"), ("[", "}"), ("{", "]"), ("[", "")]);
            let bound = |rng: &mut Rng| match rng.below(3) {
                0 => rng.pick(DATES).to_string(),
                1 => rng.pick(NUMBERS).to_string(),
                _ => rng.pick(WORDS).to_string(),
            };
            let (low, high) = (bound(rng), bound(rng));
            format!("{}:{open}{low} TO {high}{close}", rng.pick(FIELDS))
        }
        // In-query filters with hostile values.
        2 => {
            let key = rng.pick(&[
                "person", "place", "org", "source", "after", "before", "since", "from", "to",
            ]);
            let value = match rng.below(3) {
                0 => rng.pick(DATES).to_string(),
                1 => format!("\"{}", rng.pick(WORDS)),
                _ => rng.pick(WORDS).to_string(),
            };
            format!("{key}:{value} {}", rng.pick(WORDS))
        }
        // Long strings.
        3 => {
            let unit = rng.pick(&["a", "é", "(a) ", "\"", "x:y ", "*", "\u{1f600}", " OR "]);
            unit.repeat(*rng.pick(&[100, 1_000, 3_000]))
        }
        // Control characters and every byte below 0x20.
        4 => (0..rng.below(40))
            .map(|_| char::from(rng.below(0x20) as u8))
            .chain("iraq".chars())
            .collect(),
        // Fragments glued with or without spaces.
        _ => {
            let mut text = String::new();
            for _ in 0..1 + rng.below(7) {
                let fragment = match rng.below(5) {
                    0 => format!("{}:", rng.pick(FIELDS)),
                    1 => rng.pick(NUMBERS).to_string(),
                    2 => rng.pick(PUNCTUATION).to_string(),
                    _ => rng.pick(WORDS).to_string(),
                };
                text.push_str(&fragment);
                if rng.below(3) > 0 {
                    text.push(' ');
                }
            }
            text
        }
    }
}

/// The fixed cases from the issue, then the generated ones.
fn corpus() -> Vec<String> {
    let mut all: Vec<String> = [
        format!("{}iraq{}", "(".repeat(20_000), ")".repeat(20_000)),
        "NOT ".repeat(20_000) + "iraq",
        "\"unterminated phrase".to_string(),
        "((((".to_string(),
        "))))".to_string(),
        "published:[2019 TO junk]".to_string(),
        "title:".to_string(),
        ":".to_string(),
        String::new(),
    ]
    .into();
    let mut rng = Rng(0x006e_6577_7364_6578);
    all.extend((0..GENERATED).map(|_| hostile(&mut rng)));
    all
}

/// Options with extreme values, drawn per query.
fn request(rng: &mut Rng, query: &str) -> Request {
    let huge = [0, 1, 10, 99_999, 100_000, 100_001, usize::MAX, 1 << 63];
    let name = |rng: &mut Rng| match rng.below(3) {
        0 => rng.pick(WORDS).to_string(),
        1 => rng.pick(PUNCTUATION).to_string(),
        _ => "x".repeat(*rng.pick(&[1, 300])),
    };
    let mut filters = Filters::default();
    for _ in 0..rng.below(3) {
        match rng.below(6) {
            0 => filters.person.push(name(rng)),
            1 => filters.place.push(name(rng)),
            2 => filters.org.push(name(rng)),
            3 => filters.source.push(name(rng)),
            4 => filters.from = Some(rng.pick(DATES).to_string()),
            _ => filters.to = Some(rng.pick(DATES).to_string()),
        }
    }
    Request {
        query: query.to_string(),
        filters,
        limit: *rng.pick(&huge),
        offset: *rng.pick(&huge),
        sort: *rng.pick(&[Sort::Relevance, Sort::Newest, Sort::Oldest]),
        facets: if rng.below(2) == 0 {
            EntityType::ALL.to_vec()
        } else {
            Vec::new()
        },
        facet_limit: *rng.pick(&huge),
        histogram: *rng.pick(&[
            None,
            Some(Interval::Year),
            Some(Interval::Month),
            Some(Interval::Day),
        ]),
        collapse: rng.below(2) == 0,
        count_by: *rng.pick(&[CountBy::Article, CountBy::Cluster]),
    }
}

const FORMATS: [OutputFormat; 6] = [
    OutputFormat::Text,
    OutputFormat::Json,
    OutputFormat::Jsonl,
    OutputFormat::Csv,
    OutputFormat::Tsv,
    OutputFormat::Ids,
];

/// Why an error message would not help a user, if it would not.
fn unclear(message: &str, input: &str) -> Option<&'static str> {
    // What the user typed may be echoed back: judge the rest.
    let own = message
        .replace(&format!("{input:?}"), "")
        .replace(input, "");
    if own.trim().is_empty() {
        return Some("empty");
    }
    if own.contains("panicked") || own.contains("RUST_BACKTRACE") {
        return Some("a panic");
    }
    for dump in [
        "IoError {",
        "Os {",
        "Custom {",
        "kind: ",
        "ParseIntError",
        "ParseFloatError",
    ] {
        if own.contains(dump) {
            return Some("a debug dump");
        }
    }
    if own.starts_with("index is damaged") {
        return Some("a healthy index reported as damaged");
    }
    None
}

/// Runs one request through everything the binary would do with it.
fn exercise(session: &Session, request: &Request, failures: &mut Vec<String>) {
    let style = Style {
        color: true,
        terminal: true,
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| -> Vec<anyhow::Error> {
        let mut errors = Vec::new();
        match session.search(request) {
            Ok(results) => {
                for format in FORMATS {
                    let mut sink = Vec::new();
                    let mut printer = output::printer(format, style, &mut sink);
                    if let Err(e) = printer.search(&results).and_then(|()| printer.finish()) {
                        errors.push(e);
                    }
                }
            }
            Err(e) => errors.push(e),
        }
        if let Err(e) = session.count(&request.query, &request.filters) {
            errors.push(e);
        }
        errors
    }));
    let shown: String = request.query.chars().take(80).collect();
    match outcome {
        Err(_) => failures.push(format!("panic on {shown:?} with {:?}", summary(request))),
        Ok(errors) => {
            for e in errors {
                let message = format!("{e:#}");
                if let Some(why) = unclear(&message, &request.query) {
                    let message: String = message.chars().take(300).collect();
                    failures.push(format!("{why} for {shown:?}: {message}"));
                }
            }
        }
    }
}

fn summary(request: &Request) -> String {
    format!(
        "limit {} offset {} sort {:?} facets {} facet_limit {} histogram {:?} filters {:?}",
        request.limit,
        request.offset,
        request.sort,
        request.facets.len(),
        request.facet_limit,
        request.histogram,
        request.filters
    )
}

#[test]
fn hostile_queries_in_process_never_panic() {
    let news = NewsIndex::open(&env().index()).unwrap();
    let session = Session::open(&news).unwrap();
    let mut rng = Rng(7);
    let mut failures = Vec::new();
    let corpus = corpus();
    assert!(corpus.len() >= 2_000);
    for query in &corpus {
        let request = request(&mut rng, query);
        exercise(&session, &request, &mut failures);
    }
    // Streaming every match, for a sample.
    for query in corpus.iter().step_by(20) {
        let request = request(&mut rng, query);
        let streamed = catch_unwind(AssertUnwindSafe(|| {
            session.search_all(&request, |hit| {
                serde_json::to_string(&hit)?;
                Ok(())
            })
        }));
        if streamed.is_err() {
            let shown: String = query.chars().take(80).collect();
            failures.push(format!("panic streaming {shown:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} queries failed:\n{}",
        failures.len(),
        corpus.len(),
        failures[..failures.len().min(30)].join("\n")
    );
}

/// What a run of the binary must never do: die by a signal or a panic, or
/// call a healthy index damaged.
fn assert_clean_exit(run: &crate::env::Run, what: &str) {
    run.assert_no_crash(what);
    assert!(
        (0..=2).contains(&run.code) && !run.stderr.contains("index is damaged"),
        "{what}: exit {}\n{}",
        run.code,
        run.stderr
    );
    if run.code == 2 {
        assert!(
            run.stderr.starts_with("newsdex: ") || run.stderr.starts_with("error: "),
            "{what}: {}",
            run.stderr
        );
    }
}

#[test]
fn hostile_batch_through_the_binary_runs_every_line() {
    // A line is one query: line breaks become spaces.
    let lines: Vec<String> = corpus()
        .iter()
        .step_by(4)
        .map(|q| q.replace(['\n', '\r'], " "))
        .collect();
    let batch = env().dir.path().join("hostile.txt");
    std::fs::write(&batch, lines.join("\n")).unwrap();
    let run = env().run(&["search", "--batch", batch.to_str().unwrap()]);
    assert_clean_exit(&run, "batch");
    let expected = lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .count();
    let out = run.jsonl();
    assert_eq!(out.len(), expected, "every line gets a result or an error");
    for line in &out {
        if let Some(error) = line.get("error").and_then(|e| e.as_str()) {
            let query = line["query"].as_str().unwrap_or_default();
            assert!(unclear(error, query).is_none(), "{error}");
        }
    }
}

#[test]
fn hostile_commands_through_the_binary_exit_cleanly() {
    let mut rng = Rng(11);
    let corpus = corpus();
    let numbers = [
        "0",
        "1",
        "99999",
        "100001",
        "18446744073709551615",
        "18446744073709551616",
        "-1",
        "1e3",
        "",
    ];
    let formats = ["text", "json", "jsonl", "csv", "tsv", "ids"];
    for query in corpus.iter().step_by(25) {
        let query = query.replace('\0', " ");
        let mut args: Vec<String> = vec!["search".into(), "--".into()];
        let mut options: Vec<String> = Vec::new();
        for _ in 0..rng.below(6) {
            match rng.below(12) {
                0 => options.extend(["--limit".into(), rng.pick(&numbers).to_string()]),
                1 => options.extend(["--offset".into(), rng.pick(&numbers).to_string()]),
                2 => options.extend([
                    "--sort".into(),
                    rng.pick(&["newest", "oldest", "relevance", "sideways"])
                        .to_string(),
                ]),
                3 => options.push("--facets".into()),
                4 => options.extend(["--facet-limit".into(), rng.pick(&numbers).to_string()]),
                5 => options.extend([
                    "--histogram".into(),
                    rng.pick(&["year", "month", "day"]).to_string(),
                ]),
                6 => options.extend(["--format".into(), rng.pick(&formats).to_string()]),
                7 => options.push(rng.pick(&["--all", "--count"]).to_string()),
                8 => options.extend([
                    "--max-query-depth".into(),
                    rng.pick(&["0", "1", "64", "256", "257", "18446744073709551616"])
                        .to_string(),
                ]),
                9 => options.extend([
                    rng.pick(&["--from", "--to"]).to_string(),
                    rng.pick(DATES).to_string(),
                ]),
                10 => options.extend([
                    rng.pick(&["--person", "--place", "--org", "--source"])
                        .to_string(),
                    rng.pick(WORDS).replace('\0', ""),
                ]),
                _ => options.extend([
                    "--facet".into(),
                    rng.pick(&["person", "place", "org", "thing"]).to_string(),
                ]),
            }
        }
        // Options first, then the query after `--` so a leading '-' is a query.
        args.splice(1..1, options);
        args.push(query.clone());
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = env().run(&argv);
        let shown: String = format!("{argv:?}").chars().take(200).collect();
        assert_clean_exit(&run, &shown);
        // Entities over the same query, with extreme counts and names.
        let top = rng.pick(&numbers).to_string();
        let matching = rng.pick(WORDS).replace('\0', "");
        let mut args = vec!["entities", "--top", &top, "--match", &matching];
        if rng.below(2) == 0 {
            args.extend(["--within", "Ïraq ((("]);
        }
        args.extend(["--", &query]);
        let run = env().run(&args);
        assert_clean_exit(
            &run,
            &format!("{args:?}").chars().take(200).collect::<String>(),
        );
    }
}
