//! `newsdex check` and the index's recovery from a lost manifest, stray files
//! and documents the manifest does not know.

use crate::env::{TestEnv, assert_valid};

fn article(n: usize) -> String {
    format!("Headline number {n}\n\nThe council met on Monday to discuss item {n} of the budget.\n")
}

/// An archive of `n` plain-text articles, indexed.
fn indexed(n: usize) -> TestEnv {
    let env = TestEnv::new();
    for i in 0..n {
        env.write(&format!("a{i:02}.txt"), article(i));
    }
    let (run, _) = env.index_archive(&["--no-entities"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    env
}

fn check(env: &TestEnv, extra: &[&str]) -> (i32, serde_json::Value) {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(extra);
    let run = env.run(&args);
    let report = run.json();
    assert_valid("check-output.schema.json", &report);
    (run.code, report)
}

fn manifests(env: &TestEnv) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(env.index())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("newsdex-manifest-"))
        .collect()
}

#[test]
fn a_sound_index_checks_clean() {
    let env = indexed(5);
    let (code, report) = check(&env, &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["articles"], 5);
    assert_eq!(report["problems"].as_array().unwrap().len(), 0);
    let text = env.run(&["check"]);
    assert!(
        text.stdout.contains("ok: index and manifest agree"),
        "{}",
        text.stdout
    );
}

#[test]
fn check_of_no_index_exits_2() {
    let env = TestEnv::new();
    let run = env.run(&["check"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("cannot check"), "{}", run.stderr);
}

#[test]
fn a_deleted_manifest_is_rebuilt_and_every_file_replaced() {
    let env = indexed(4);
    for path in manifests(&env) {
        std::fs::remove_file(path).unwrap();
    }
    let (code, report) = check(&env, &[]);
    assert_eq!(code, 1);
    assert_eq!(report["problems"][0]["kind"], "manifest");

    // Change one file while the manifest is gone: its old version must go.
    env.write("a00.txt", article(100));
    let (run, summary) = env.index_archive(&["--no-entities"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("rebuilt it from the 4 articles"),
        "{}",
        run.stderr
    );
    assert_eq!(summary["articles_total"], 4);
    assert_eq!(env.search_json(&["100"])["total"], 1);
    assert_eq!(env.search_json(&["\"item 0 of\""])["total"], 0);
    assert_eq!(check(&env, &[]).0, 0);
    // And the run after is incremental again.
    let (_, summary) = env.index_archive(&["--no-entities"]);
    assert_eq!(summary["files_unchanged"], 4);
}

#[test]
fn check_repair_rebuilds_a_corrupt_manifest_and_removes_strays() {
    let env = indexed(3);
    for path in manifests(&env) {
        std::fs::write(path, "{ not json").unwrap();
    }
    let stray = env.index().join("0123456789abcdef0123456789abcdef.store");
    std::fs::write(&stray, "left by a crash").unwrap();
    let unknown = env.index().join("notes.txt");
    std::fs::write(&unknown, "mine").unwrap();
    let (code, report) = check(&env, &[]);
    assert_eq!(code, 1);
    let kinds: Vec<&str> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["manifest", "stray", "stray"], "{report}");

    let (code, report) = check(&env, &["--repair"]);
    assert_eq!(report["repaired"], true);
    // A file newsdex did not write is reported, never removed.
    assert_eq!(code, 1, "{report}");
    assert!(!stray.exists());
    assert!(unknown.exists());
    std::fs::remove_file(&unknown).unwrap();
    let (code, report) = check(&env, &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["articles"], 3);
    let (run, summary) = env.index_archive(&["--no-entities"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(summary["articles_total"], 3);
}

#[test]
fn index_sweeps_what_a_killed_run_left() {
    let env = indexed(2);
    let tmp = env.index().join("newsdex-manifest-000099.json.tmp");
    std::fs::write(&tmp, "half a manifest").unwrap();
    let (run, _) = env.index_archive(&["--no-entities"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!tmp.exists());
    assert_eq!(check(&env, &[]).0, 0);
}

/// An index written before the manifest moved to a sorted file named a JSON
/// manifest in its commit: the next run converts it, reads nothing again,
/// and commits the new format.
#[test]
fn a_json_manifest_of_an_older_release_is_converted() {
    let env = indexed(3);
    let current = manifests(&env);
    assert_eq!(current.len(), 1, "{current:?}");
    let tsv = &current[0];
    let name = tsv.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.ends_with(".tsv"), "{name}");
    // The same entries as main's JSON format wrote them.
    let text = std::fs::read_to_string(tsv).unwrap();
    let mut files = serde_json::Map::new();
    for line in text.lines().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        let ids: Vec<&str> = fields[3].split(' ').filter(|s| !s.is_empty()).collect();
        files.insert(
            fields[0].to_string(),
            serde_json::json!({
                "size": fields[1].parse::<u64>().unwrap(),
                "mtime": fields[2].parse::<i128>().unwrap(),
                "ids": ids,
            }),
        );
    }
    assert_eq!(files.len(), 3);
    let json_name = name.replace(".tsv", ".json");
    let legacy = serde_json::json!({ "generation": 1, "files": files });
    std::fs::write(env.index().join(&json_name), legacy.to_string()).unwrap();
    std::fs::remove_file(tsv).unwrap();
    let meta = env.index().join("meta.json");
    let text = std::fs::read_to_string(&meta).unwrap();
    assert!(text.contains(&name));
    std::fs::write(&meta, text.replace(&name, &json_name)).unwrap();
    assert_eq!(check(&env, &[]).0, 0);

    let (run, summary) = env.index_archive(&["--no-entities"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(summary["files_unchanged"], 3, "{summary}");
    assert_eq!(summary["files_read"], 0, "{summary}");
    assert_eq!(summary["articles_total"], 3);
    let after = manifests(&env);
    assert_eq!(after.len(), 1, "{after:?}");
    assert!(after[0].to_string_lossy().ends_with(".tsv"), "{after:?}");
    assert_eq!(check(&env, &[]).0, 0);
}
