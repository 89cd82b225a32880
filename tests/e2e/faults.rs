//! The read side under abuse: absurd pages and nesting, failing batch lines,
//! closed pipes, a read-only index and a damaged one. Never exit 101 or a
//! signal; always a message that says what to do.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::OnceLock;

use crate::env::{Run, TestEnv, copy_tree, repo};

/// The bundled sample, indexed with entities (read-only after it is built).
fn env() -> &'static TestEnv {
    static ENV: OnceLock<TestEnv> = OnceLock::new();
    ENV.get_or_init(|| {
        let env = TestEnv::new();
        env.copy(&repo().join("data/sample"), "sample");
        let (run, _) = env.index_archive(&[]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        env
    })
}

#[test]
fn absurd_pages_are_refused_with_a_pointer_to_all() {
    let u64_max = u64::MAX.to_string();
    let half = (1u64 << 63).to_string();
    let cases: [&[&str]; 5] = [
        &["search", "iraq", "--limit", &u64_max],
        &["search", "iraq", "--limit", &half],
        &["search", "iraq", "--offset", &half],
        &[
            "search",
            "iraq",
            "--sort",
            "newest",
            "--limit",
            "1000000000000",
        ],
        &["related", "x", "--limit", &u64_max],
    ];
    for args in cases {
        let run = env().run(args);
        run.assert_no_crash(&args.join(" "));
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("--all"), "{args:?}: {}", run.stderr);
    }
    // Within the cap, a page larger than the index is simply every hit.
    let all = env().search_json(&["", "--limit", "100000"]);
    assert_eq!(all["hits"].as_array().unwrap().len() as u64, all["total"]);
    let past = env().search_json(&["", "--limit", "10", "--offset", "99990"]);
    assert!(past["hits"].as_array().unwrap().is_empty());
    // Huge counts where nothing is allocated from them are fine.
    let run = env().run(&["entities", "--top", &u64_max, "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = env().run(&["search", "", "--facets", "--facet-limit", &u64_max]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn deep_queries_are_refused_before_parsing() {
    let deep = format!("{}iraq{}", "(".repeat(20_000), ")".repeat(20_000));
    for command in ["search", "entities"] {
        let run = env().run(&[command, &deep]);
        run.assert_no_crash(command);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(
            run.stderr.contains("20000 levels") && run.stderr.contains("--max-query-depth 64"),
            "{}",
            run.stderr
        );
    }
    let nots = format!("{}iraq", "NOT ".repeat(20_000));
    let run = env().run(&["search", &nots]);
    run.assert_no_crash("NOT chain");
    assert!(run.stderr.contains("--max-query-depth"), "{}", run.stderr);
    // Raised within its ceiling, deeper queries run.
    let hundred = format!("{}iraq{}", "(".repeat(100), ")".repeat(100));
    let run = env().run(&[
        "search",
        &hundred,
        "--max-query-depth",
        "128",
        "--format",
        "ids",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = env().run(&["search", "iraq", "--max-query-depth", "100000"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("at most 256"), "{}", run.stderr);
}

#[test]
fn a_bad_batch_line_is_reported_and_the_batch_goes_on() {
    let deep = format!("{}iraq{}", "(".repeat(20_000), ")".repeat(20_000));
    let lines = [
        "iraq".to_string(),
        format!(r#"{{"query": "oil", "limit": {}}}"#, u64::MAX),
        deep,
        r#"{"query": "unterminated"#.to_string(),
        "iraq".to_string(),
    ];
    let batch = env().dir.path().join("hostile-batch.txt");
    std::fs::write(&batch, lines.join("\n")).unwrap();
    let run = env().run(&["search", "--batch", batch.to_str().unwrap()]);
    run.assert_no_crash("batch");
    // Some lines failed: the status says so, after running all of them.
    assert_eq!(run.code, 2, "{}", run.stderr);
    let out = run.jsonl();
    assert_eq!(out.len(), 5, "{}", run.stdout);
    for (i, line) in out.iter().enumerate() {
        let failed = line.get("error").is_some();
        assert_eq!(failed, (1..=3).contains(&i), "line {}: {line}", i + 1);
        if failed {
            let at = format!("hostile-batch.txt:{}:", i + 1);
            assert!(line["error"].as_str().unwrap().contains(&at), "{line}");
        }
    }
    assert!(out[4]["total"].as_u64().unwrap() > 0);
    assert!(
        run.stderr.contains("3 batch line(s) failed"),
        "{}",
        run.stderr
    );
    // A batch where every line runs keeps grep's convention.
    std::fs::write(&batch, "iraq\nnosuchwordanywhere\n").unwrap();
    let run = env().run(&["search", "--batch", batch.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// Runs newsdex with its stdout a pipe whose reading end is already closed:
/// every write meets a broken pipe, as with `| head -1` after one line.
fn run_into_closed_pipe(args: &[&str]) -> Run {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    env()
        .command()
        .args(args)
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .expect("run newsdex")
        .into()
}

#[test]
fn a_closed_pipe_is_success() {
    let batch = env().dir.path().join("pipe-batch.txt");
    std::fs::write(&batch, "iraq\n".repeat(50)).unwrap();
    let batch = batch.to_str().unwrap();
    let cases: [&[&str]; 9] = [
        &["stats"],
        &["stats", "--json"],
        &["entities", "--format", "json"],
        &["entities", "--format", "csv"],
        &["search", "", "--format", "json"],
        &["search", "", "--format", "csv"],
        &["search", "", "--all", "--format", "jsonl"],
        &["search", "--batch", batch],
        &["search", "--batch", batch, "--format", "csv"],
    ];
    for args in cases {
        let run = run_into_closed_pipe(args);
        run.assert_no_crash(&args.join(" "));
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(run.stderr.is_empty(), "{args:?}: {}", run.stderr);
    }
}

/// Sets every file and folder under `dir` read-only (or writable again).
fn set_read_only(dir: &Path, read_only: bool) {
    for entry in walk(dir) {
        let mut perms = std::fs::metadata(&entry).unwrap().permissions();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = if entry.is_dir() { 0o755 } else { 0o644 };
            perms.set_mode(if read_only { mode & 0o555 } else { mode });
        }
        #[cfg(not(unix))]
        perms.set_readonly(read_only);
        std::fs::set_permissions(&entry, perms).unwrap();
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut all = vec![dir.to_path_buf()];
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            all.extend(walk(&path));
        } else {
            all.push(path);
        }
    }
    all
}

const NOBODY: [&str; 3] = ["--reuid=65534", "--regid=65534", "--clear-groups"];

#[cfg(unix)]
#[test]
fn a_read_only_index_can_be_searched() {
    let env = TestEnv::new();
    copy_tree(&env_index(), &env.index());
    set_read_only(&env.index(), true);
    // Permissions do not bind root: then run as nobody, with a copy of the
    // binary in the test's own folder so nobody can reach it wherever the
    // checkout lives. Never a silent pass: nobody must reach both.
    let probe = env.index().join("probe");
    let privileged = std::fs::write(&probe, b"").is_ok();
    let _ = std::fs::remove_file(&probe);
    let mut binary = PathBuf::from(env!("CARGO_BIN_EXE_newsdex"));
    if privileged {
        set_mode(env.dir.path(), 0o755);
        let copy = env.dir.path().join("newsdex");
        std::fs::copy(&binary, &copy).expect("copy the binary for nobody");
        set_mode(&copy, 0o755);
        binary = copy;
        let meta = env.index().join("meta.json");
        let reachable = |test: &str, path: &Path| {
            std::process::Command::new("setpriv")
                .args(NOBODY)
                .args(["test", test])
                .arg(path)
                .status()
                .is_ok_and(|s| s.success())
        };
        assert!(
            reachable("-r", &meta) && reachable("-x", &binary),
            "running as root, and `setpriv` cannot run the test as nobody: \
             the read-only index cannot be tested here"
        );
    }
    let run = |args: &[&str]| -> Run {
        let mut cmd = if privileged {
            let mut cmd = std::process::Command::new("setpriv");
            cmd.args(NOBODY).arg(&binary);
            cmd
        } else {
            std::process::Command::new(&binary)
        };
        cmd.arg("--index").arg(env.index()).args(args);
        cmd.env_remove("NEWSDEX_INDEX").env("NO_COLOR", "1");
        cmd.output().expect("run newsdex").into()
    };
    let search = run(&[
        "search",
        "iraq",
        "--format",
        "json",
        "--facets",
        "--histogram",
        "year",
    ]);
    assert_eq!(search.code, 0, "{}", search.stderr);
    let out = search.json();
    assert!(out["total"].as_u64().unwrap() > 0);
    let id = out["hits"][0]["id"].as_str().unwrap().to_string();
    for args in [
        vec!["show", id.as_str()],
        vec!["stats", "--json"],
        vec!["entities", "--type", "place"],
        vec!["related", id.as_str()],
    ] {
        let run = run(&args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    }
    // Writing is refused in one clear sentence.
    let archive = repo().join("data/sample");
    let index = run(&["index", archive.to_str().unwrap(), "--quiet"]);
    assert_eq!(index.code, 2);
    assert!(
        index.stderr.contains("cannot write to index") && !index.stderr.contains("IoError"),
        "{}",
        index.stderr
    );
    set_read_only(&env.index(), false);
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Runs the commands that read fast fields on a copy of the sample index
/// whose `.fast` files went through `damage`; returns how many runs
/// reported the damage (the others read no damaged byte).
fn runs_reporting_damage(damage: impl Fn(&mut Vec<u8>), what: &str) -> usize {
    let env = TestEnv::new();
    copy_tree(&env_index(), &env.index());
    for fast in walk(&env.index())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "fast"))
    {
        let mut bytes = std::fs::read(&fast).unwrap();
        damage(&mut bytes);
        std::fs::write(&fast, bytes).unwrap();
    }
    let mut reported = 0;
    for args in [
        &["search", "iraq", "--facets"][..],
        &["entities"],
        &["stats"],
        &["search", "", "--sort", "newest", "--histogram", "month"],
    ] {
        let run = env.run(args);
        run.assert_no_crash(&format!("{args:?} with {what}"));
        if run.code == 2 {
            assert!(
                run.stderr.starts_with("newsdex: index is damaged: ")
                    && !run.stderr.contains("IoError {"),
                "{args:?} with {what}: {}",
                run.stderr
            );
            reported += 1;
        }
    }
    reported
}

#[test]
fn a_damaged_fast_file_is_reported_not_panicked_on() {
    // Overwritten bytes: Tantivy panics on some (slice, shift and
    // assertion panics in its codecs), returns errors on others.
    let mut reported = 0;
    for offset in [100usize, 1000, 2000, 3000] {
        let overwrite = |bytes: &mut Vec<u8>| {
            let end = bytes.len().min(offset + 64);
            if offset < end {
                bytes[offset..end].fill(0xff);
            }
        };
        reported += runs_reporting_damage(overwrite, &format!("0xff at {offset}"));
    }
    assert!(reported > 0, "no run read a damaged byte");
    // A truncated file fails its footer check in every command.
    let truncate = |bytes: &mut Vec<u8>| bytes.truncate(bytes.len() / 2);
    assert_eq!(runs_reporting_damage(truncate, "half the file"), 4);
}

/// The shared sample index's folder.
fn env_index() -> std::path::PathBuf {
    env().index()
}

#[test]
fn date_bounds_beyond_tantivys_range_do_not_overflow() {
    for (from, to) in [
        ("0001-01-01", "9999-12-31"),
        ("9999", "9999"),
        ("0000", "0001"),
    ] {
        let run = env().run(&["search", "", "--from", from, "--to", to, "--format", "ids"]);
        run.assert_no_crash(&format!("--from {from} --to {to}"));
        // An overflow inside Tantivy would be caught, but as "damaged".
        assert!(!run.stderr.contains("damaged"), "{}", run.stderr);
    }
}
