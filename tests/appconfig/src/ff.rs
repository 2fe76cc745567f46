//! Running the `ff` binary (`FF_BIN`) against MiniStack, in a scratch folder of its own.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::{unique, MiniStack, REGION};

/// What one run of `ff` gave.
#[derive(Debug)]
pub struct Run {
    /// The exit status (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Asserts success and returns the single line printed.
    pub fn line(&self) -> &str {
        assert_eq!(self.code, 0, "expected success: {self:#?}");
        assert_eq!(self.stdout.matches('\n').count(), 1, "one line: {self:#?}");
        self.stdout.trim_end_matches('\n')
    }

    fn assert_no_panic(&self) {
        assert!(!self.stderr.contains("panicked"), "{self:#?}");
    }
}

/// The `ff` binary, the environment that points it at MiniStack, and a scratch folder to
/// run it in (removed on drop).
pub struct Ff {
    bin: PathBuf,
    endpoint: String,
    /// The scratch folder, `ff`'s working directory.
    pub dir: PathBuf,
}

impl Ff {
    /// `bin` run against `ms`, in a new scratch folder named after `test`.
    pub fn new(bin: PathBuf, ms: &MiniStack, test: &str) -> Ff {
        let dir = std::env::temp_dir().join(unique(&format!("ff-cli-{test}")));
        std::fs::create_dir_all(&dir).unwrap();
        Ff {
            bin,
            endpoint: ms.endpoint.clone(),
            dir,
        }
    }

    /// Runs `ff ARGS` in the scratch folder, with MiniStack as both AppConfig endpoints
    /// (control plane and data), static test credentials and no AWS profile.
    pub fn run(&self, args: &[&str]) -> Run {
        let output = Command::new(&self.bin)
            .args(args)
            .current_dir(&self.dir)
            .env("AWS_ENDPOINT_URL_APPCONFIGDATA", &self.endpoint)
            .env("AWS_ENDPOINT_URL_APPCONFIG", &self.endpoint)
            .env("AWS_REGION", REGION)
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_CONFIG_FILE", self.dir.join("no-aws-config"))
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                self.dir.join("no-aws-credentials"),
            )
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_SESSION_TOKEN")
            .env_remove("AWS_ENDPOINT_URL")
            .stdin(Stdio::null())
            .output()
            .expect("ff runs");
        let run = Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        };
        run.assert_no_panic();
        run
    }

    /// Writes `name` in the scratch folder; returns its name (ff runs in that folder).
    pub fn write(&self, name: &str, text: &str) -> String {
        std::fs::write(self.dir.join(name), text).unwrap();
        name.to_owned()
    }

    /// Reads `name` from the scratch folder.
    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.join(name)).unwrap()
    }

    /// The files in the scratch folder, sorted.
    pub fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for Ff {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `(version, deployment)`: the numbers in `ff push`'s line, `... version N, deployment M (...)`.
pub fn push_numbers(line: &str) -> (i32, i32) {
    let after = |word: &str| -> i32 {
        let rest = &line[line
            .find(word)
            .unwrap_or_else(|| panic!("no `{word}` in {line:?}"))
            + word.len()..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        digits
            .parse()
            .unwrap_or_else(|_| panic!("no number after `{word}` in {line:?}"))
    };
    (after("version "), after(", deployment "))
}

/// Skips the test (returns) when MiniStack or `FF_BIN` is missing; evaluates to
/// `(MiniStack, Ff)`.
#[macro_export]
macro_rules! ministack_and_ff_or_skip {
    ($test:expr) => {{
        let ms = $crate::ministack_or_skip!($test);
        let Some(bin) = $crate::ff_bin($test) else {
            return;
        };
        let ff = $crate::Ff::new(bin, &ms, $test);
        (ms, ff)
    }};
}
