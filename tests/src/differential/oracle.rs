//! Running the reference: `scripts/oracle/run` (Powertools for AWS Lambda (Python) 3.37.0 in
//! a venv it creates), one Python process per batch of cases.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use ff_runtime::Value;

/// The reference, as a program that reads a batch of cases on stdin and prints its answers.
#[derive(Clone, Debug)]
pub struct Oracle {
    program: PathBuf,
}

/// The project's oracle script, `scripts/oracle/run`.
pub fn default_program() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scripts/oracle/run")
}

impl Oracle {
    /// The oracle named by `FF_ORACLE`, else `scripts/oracle/run` (which creates its venv on
    /// first use), checked by running an empty batch.
    ///
    /// # Errors
    /// Why the oracle cannot run (no Python, no network for the first install, ...).
    pub fn locate() -> Result<Oracle, String> {
        let program = std::env::var_os("FF_ORACLE").map(PathBuf::from).unwrap_or_else(default_program);
        if !program.exists() {
            return Err(format!("{} does not exist", program.display()));
        }
        let oracle = Oracle { program };
        let probe = oracle.run(r#"{"cases": []}"#)?;
        if probe.get("results").and_then(Value::as_array).is_none() {
            return Err(format!("{} answered an empty batch with {}", oracle.program.display(), probe.to_json()));
        }
        Ok(oracle)
    }

    /// The program run.
    pub fn program(&self) -> &std::path::Path {
        &self.program
    }

    /// Runs one batch (oracle input JSON) and returns its output.
    ///
    /// # Errors
    /// The process could not start, failed, or printed something that is not JSON.
    pub fn run(&self, input: &str) -> Result<Value, String> {
        self.start(input)?.wait()
    }

    /// Starts one batch; [`Pending::wait`] collects the answer (meanwhile the caller can
    /// work: the reference runs in its own process).
    ///
    /// # Errors
    /// The process could not start.
    pub fn start(&self, input: &str) -> Result<Pending, String> {
        let mut child = Command::new(&self.program)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", self.program.display()))?;
        let mut stdin = child.stdin.take().expect("piped stdin");
        let input = input.to_owned();
        // Write from another thread: the oracle prints only after reading everything, but a
        // big batch could still fill both pipes.
        let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
        Ok(Pending { program: self.program.clone(), child, writer })
    }
}

/// A batch the reference is working on.
pub struct Pending {
    program: PathBuf,
    child: std::process::Child,
    writer: std::thread::JoinHandle<std::io::Result<()>>,
}

impl Pending {
    /// Waits for the reference's answer.
    ///
    /// # Errors
    /// The process failed, or printed something that is not JSON.
    pub fn wait(self) -> Result<Value, String> {
        let output = self.child.wait_with_output().map_err(|e| format!("oracle: {e}"))?;
        let written = self.writer.join().expect("writer thread");
        if !output.status.success() {
            return Err(format!(
                "{} failed ({}): {}",
                self.program.display(),
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        written.map_err(|e| format!("writing to the oracle: {e}"))?;
        let text = String::from_utf8(output.stdout).map_err(|e| format!("oracle output is not UTF-8: {e}"))?;
        Value::from_json(&text).map_err(|e| format!("oracle output is not JSON ({e}): {}", &text[..text.len().min(500)]))
    }
}
