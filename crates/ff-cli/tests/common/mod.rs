//! Running the real `ff` binary.
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// What one run of `ff` gave.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Asserts success and returns the single line printed.
    pub fn line(&self) -> &str {
        assert_eq!(self.code, 0, "expected success: {self:?}");
        assert!(
            self.stdout.ends_with('\n') && self.stdout.matches('\n').count() == 1,
            "one line: {self:?}"
        );
        self.stdout.trim_end_matches('\n')
    }
}

/// Runs `ff ARGS` with no stdin.
pub fn ff<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_ff"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("ff runs");
    Run::from(output)
}

/// Runs `ff ARGS` with no stdin, without the inherited `AWS_*` variables, and with the
/// environment variables `envs` set.
pub fn ff_env<S: AsRef<std::ffi::OsStr>>(args: &[S], envs: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ff"));
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("AWS_") {
            command.env_remove(name);
        }
    }
    let output = command
        .args(args)
        .envs(envs.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("ff runs");
    Run::from(output)
}

/// Runs `ff ARGS` with `input` on stdin.
pub fn ff_stdin<S: AsRef<std::ffi::OsStr>>(args: &[S], input: &[u8]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ff"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ff runs");
    {
        let mut stdin = child.stdin.take().expect("stdin is piped");
        // ff may exit before reading everything (usage errors): ignore a closed pipe.
        let _ = stdin.write_all(input);
    }
    Run::from(child.wait_with_output().expect("ff finishes"))
}

/// A fresh scratch directory for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("ff-cli")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Writes `text` to `dir/name` and returns the path as a string.
pub fn write(dir: &std::path::Path, name: &str, text: impl AsRef<[u8]>) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write fixture");
    path.to_str().expect("utf-8 path").to_owned()
}
