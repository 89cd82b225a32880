//! A test environment: a temporary archive and index, and the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct TestEnv {
    pub dir: tempfile::TempDir,
}

/// What one run of the binary gave.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// Exited by itself with a code (no signal), and not by a panic.
    pub fn assert_no_crash(&self, what: &str) {
        assert!(
            self.code >= 0 && self.code != 101,
            "{what}: exit {} (signal or panic)\n{}",
            self.code,
            self.stderr
        );
        assert!(
            !self.stderr.contains("panicked") && !self.stderr.contains("stack overflow"),
            "{what}: {}",
            self.stderr
        );
    }

    pub fn jsonl(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).expect("JSON line"))
            .collect()
    }
}

impl From<Output> for Run {
    fn from(out: Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

impl TestEnv {
    pub fn new() -> TestEnv {
        TestEnv {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn archive(&self) -> PathBuf {
        self.dir.path().join("archive")
    }

    pub fn index(&self) -> PathBuf {
        self.dir.path().join("index")
    }

    /// Writes a file under the archive.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.archive().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// Copies a file or folder into the archive under `rel`.
    pub fn copy(&self, from: &Path, rel: &str) {
        let to = self.archive().join(rel);
        copy_tree(from, &to);
    }

    pub fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsdex"));
        cmd.arg("--index")
            .arg(self.index())
            .env_remove("NEWSDEX_INDEX")
            .env("NO_COLOR", "1");
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.command()
            .args(args)
            .output()
            .expect("run newsdex")
            .into()
    }

    /// Indexes the archive (or given paths) and returns the JSON summary.
    pub fn index_archive(&self, extra: &[&str]) -> (Run, serde_json::Value) {
        let archive = self.archive();
        let mut args = vec!["index", "--json", "--threads", "2"];
        args.extend_from_slice(extra);
        let run = self
            .command()
            .args(&args)
            .arg(&archive)
            .output()
            .expect("run newsdex")
            .into();
        let run: Run = run;
        let summary = run.json();
        (run, summary)
    }

    pub fn search_json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["search", "--format", "json"];
        all.extend_from_slice(args);
        self.run(&all).json()
    }
}

pub fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap();
    }
}

/// An index, without entities, of fixtures copied into the archive:
/// `(fixture, path in the archive)`.
pub fn indexed_fixtures(files: &[(&str, &str)]) -> TestEnv {
    let env = TestEnv::new();
    for (from, to) in files {
        env.copy(&fixture(from), to);
    }
    let (run, _) = env.index_archive(&["--no-entities"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    env
}

/// The repository's own folder.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(rel: &str) -> PathBuf {
    repo().join("tests/fixtures").join(rel)
}

/// `../shared/<rel>`, for tests marked
/// `#[cfg_attr(not(shared_corpora), ignore = "needs ../shared/")]`: those are
/// reported as ignored on a clone without `../shared/` (see `build.rs`), so
/// when one runs, a missing file is a failure, not a silent pass.
pub fn shared(rel: &str) -> PathBuf {
    let path = repo().join("../shared").join(rel);
    assert!(
        path.exists(),
        "{} is missing from ../shared/",
        path.display()
    );
    path
}

/// Validates a JSON value against a schema committed under `schema/`.
pub fn assert_valid(schema_file: &str, value: &serde_json::Value) {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("schema").join(schema_file)).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("valid schema");
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{schema_file}: {errors:#?}");
}
