//! A disk that fills during an indexing run: the error names the index and
//! says the disk is full, the last commit stays searchable and sound, no
//! file of the failed run is left behind, and the next run completes.
//!
//! The disk is a small tmpfs mounted for the test, so the test needs the
//! right to mount (root, as in CI); `build.rs` compiles it in only where the
//! process has it, and elsewhere it is reported as ignored with the reason.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::env::{Run, TestEnv, fixture, repo};

/// A tmpfs mounted for one test, unmounted when dropped: after a pass, a
/// failed assertion or a panic alike.
struct Tmpfs {
    at: PathBuf,
}

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Tmpfs {
        std::fs::create_dir_all(at).unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .status()
            .is_ok_and(|s| s.success());
        // Compiled in only where mounting is allowed: failing here is loud.
        assert!(mounted, "cannot mount a tmpfs at {}", at.display());
        Tmpfs {
            at: at.to_path_buf(),
        }
    }

    /// Fills the disk, then frees `leave` bytes of it.
    fn fill_leaving(&self, leave: u64) -> PathBuf {
        let path = self.at.join("filler");
        let mut file = std::fs::File::create(&path).unwrap();
        let block = vec![0x5a_u8; 64 << 10];
        let mut written = 0u64;
        loop {
            match file.write(&block) {
                Ok(0) | Err(_) => break,
                Ok(n) => written += n as u64,
            }
        }
        file.set_len(written.saturating_sub(leave)).unwrap();
        path
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let unmounted = Command::new("umount")
            .arg(&self.at)
            .status()
            .is_ok_and(|s| s.success());
        if !unmounted {
            // Busy (a process still inside): detach it now, free it later.
            let _ = Command::new("umount").arg("-l").arg(&self.at).status();
        }
    }
}

fn check(env: &TestEnv) -> (i32, serde_json::Value) {
    let run = env.run(&["check", "--format", "json"]);
    run.assert_no_crash("check");
    (run.code, run.json())
}

fn total(env: &TestEnv) -> u64 {
    env.search_json(&["", "--limit", "1"])["total"]
        .as_u64()
        .expect("a total")
}

#[test]
#[cfg_attr(
    not(can_mount),
    ignore = "mounts a tmpfs: needs the right to mount (CAP_SYS_ADMIN, as root has)"
)]
fn a_full_disk_names_the_index_and_leaves_the_last_commit_sound() {
    // What the whole archive gives on a disk with room.
    let roomy = TestEnv::new();
    roomy.copy(&fixture("formats"), "first");
    roomy.copy(&repo().join("data/sample"), "sample");
    let (run, summary) = roomy.index_archive(&["--no-entities"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected = summary["articles_total"].as_u64().unwrap();

    let env = TestEnv::new();
    // Declared after `env`, so dropped (unmounted) before its folder goes.
    let disk = Tmpfs::mount(&env.dir.path().join("disk"), "8m");
    std::fs::create_dir(disk.at.join("index")).unwrap();
    std::os::unix::fs::symlink(disk.at.join("index"), env.index()).unwrap();
    env.copy(&fixture("formats"), "first");
    let (run, _) = env.index_archive(&["--no-entities"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let committed = total(&env);
    assert!(committed > 0);

    // Room for a commit or two of the sample, not for all of it.
    let filler = disk.fill_leaving(160 << 10);
    env.copy(&repo().join("data/sample"), "sample");
    let run: Run = env
        .command()
        .args([
            "index",
            "--no-entities",
            "--threads",
            "2",
            "--commit-every",
            "3",
        ])
        .arg(env.archive())
        .output()
        .expect("run newsdex")
        .into();
    run.assert_no_crash("index on a full disk");
    assert_eq!(run.code, 2, "{}", run.stderr);
    let said = format!("cannot write to the index {}", env.index().display());
    assert!(
        run.stderr.contains(&said) && run.stderr.contains("(the disk is full)"),
        "{}",
        run.stderr
    );
    // The index is to blame, not the file being read when the disk filled.
    let archive = env.archive().display().to_string();
    assert!(!run.stderr.contains(&archive), "{}", run.stderr);

    // The failed run took its files with it: the last commit is sound as it
    // stands (no stray, every article owned), and searchable.
    let (code, report) = check(&env);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["problems"], serde_json::json!([]), "{report}");
    let after_failure = total(&env);
    assert!(
        (committed..expected).contains(&after_failure),
        "{committed} before, {after_failure} after, {expected} in all"
    );

    // With room again, the next run completes the work.
    std::fs::remove_file(filler).unwrap();
    let (run, summary) = env.index_archive(&["--no-entities"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(summary["articles_total"].as_u64().unwrap(), expected);
    let (code, report) = check(&env);
    assert_eq!(code, 0, "{report}");
    assert_eq!(total(&env), expected);
}
