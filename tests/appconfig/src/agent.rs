//! [`AgentServer`]: a **stand-in** for the AWS AppConfig Agent on a loopback port, for the
//! tests of `AppConfigAgentStore`. It implements only what AWS documents of the Agent's HTTP
//! interface (AWS AppConfig User Guide: "Retrieving configuration data…", "Retrieving basic
//! and multi-variant feature flags", the Agent's `ACCESS_TOKEN` setting, local development
//! mode), and nothing of AWS's rule language: a test writes each variant's rule in Rust.
//!
//! * `GET /applications/A/environments/E/configurations/P` serves the file named `A:E:P`
//!   (or `A:E:P.json`) of its folder, as local development mode does; a missing file is
//!   `404`.
//! * `?flag=KEY` (repeatable) answers that flag of the file (a retrieval-format JSON
//!   object): one flag as its object, several as an object of them; an unknown flag is
//!   `404`.
//! * `Context: key=value` request headers (several headers, or comma-separated entries in
//!   one, split at the first `=`) select the variant of a flag given variants
//!   ([`AgentServer::set_variants`]): the first whose rule accepts the context, else the
//!   last one (the default variant); the flag's object is then the variant's, with
//!   `_variant` naming it (on `?flag=` answers and on whole-profile answers alike).
//! * With a token ([`AgentServer::require_token`]), a request without `Authorization:
//!   Bearer TOKEN` is answered `401 Unauthorized`.
//! * With a version ([`AgentServer::set_version`]), answers carry `Configuration-Version`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value as Json;

use crate::{percent_decode, unique};

/// What the [`AgentServer`] does with the next requests.
#[derive(Clone, Debug)]
pub enum AgentMode {
    /// Serve the files, as the agent's local development mode does.
    Files,
    /// Answer every request with this status and body.
    Status(u16, String),
    /// Wait this long before answering (from the files).
    Slow(Duration),
}

/// The context entries of a request, in the order sent.
pub type ContextEntries = [(String, String)];

/// A rule, written in Rust: whether a variant applies to a context.
type Rule = Arc<dyn Fn(&ContextEntries) -> bool + Send + Sync>;

/// One variant of a multi-variant flag, for [`AgentServer::set_variants`].
#[derive(Clone)]
pub struct Variant {
    name: String,
    /// The flag's object when this variant is chosen: `{"enabled": …, ATTRIBUTE: …}`.
    value: Json,
    /// `None`: the default variant (always applies).
    rule: Option<Rule>,
}

impl Variant {
    /// A variant chosen when `rule` accepts the context.
    pub fn when(name: &str, value: Json, rule: impl Fn(&ContextEntries) -> bool + Send + Sync + 'static) -> Variant {
        Variant { name: name.to_owned(), value, rule: Some(Arc::new(rule)) }
    }

    /// The default variant (the last one).
    pub fn default(name: &str, value: Json) -> Variant {
        Variant { name: name.to_owned(), value, rule: None }
    }
}

/// One request the stand-in received.
#[derive(Clone, Debug, PartialEq)]
pub struct Recorded {
    /// The request target: path and query.
    pub target: String,
    /// The `Authorization` header, when sent.
    pub authorization: Option<String>,
    /// The context entries of its `Context` headers, in order.
    pub context: Vec<(String, String)>,
}

struct AgentState {
    mode: AgentMode,
    paths: Vec<String>,
    requests: Vec<Recorded>,
    token: Option<String>,
    version: Option<String>,
    variants: HashMap<String, Vec<Variant>>,
}

/// The stand-in for the AWS AppConfig Agent (see the module's documentation for what it
/// implements): a loopback HTTP server on a free port, serving the files of a folder.
pub struct AgentServer {
    /// The port it listens on (127.0.0.1).
    pub port: u16,
    /// The folder it serves.
    pub dir: PathBuf,
    state: Arc<Mutex<AgentState>>,
    task: tokio::task::JoinHandle<()>,
}

impl AgentServer {
    /// Starts a server on a free loopback port serving a new empty folder.
    pub async fn start() -> AgentServer {
        let dir = std::env::temp_dir().join(unique("ff-agent"));
        std::fs::create_dir_all(&dir).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(Mutex::new(AgentState {
            mode: AgentMode::Files,
            paths: Vec::new(),
            requests: Vec::new(),
            token: None,
            version: None,
            variants: HashMap::new(),
        }));
        let (task_dir, task_state) = (dir.clone(), state.clone());
        let task = tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else { break };
                let (dir, state) = (task_dir.clone(), task_state.clone());
                tokio::spawn(async move {
                    let _ = serve(socket, &dir, &state).await;
                });
            }
        });
        AgentServer { port, dir, state, task }
    }

    /// Writes the document of `application:environment:profile`.
    pub fn put(&self, application: &str, environment: &str, profile: &str, body: &str) {
        std::fs::write(self.dir.join(format!("{application}:{environment}:{profile}")), body).unwrap();
    }

    /// Changes how the next requests are answered.
    pub fn set_mode(&self, mode: AgentMode) {
        self.state.lock().unwrap().mode = mode;
    }

    /// Requires `Authorization: Bearer TOKEN` (as the Agent's `ACCESS_TOKEN` setting does);
    /// `None`: no token needed.
    pub fn require_token(&self, token: Option<&str>) {
        self.state.lock().unwrap().token = token.map(str::to_owned);
    }

    /// The `Configuration-Version` of the next answers; `None`: no such header.
    pub fn set_version(&self, version: Option<&str>) {
        self.state.lock().unwrap().version = version.map(str::to_owned);
    }

    /// Gives flag `key` (of every profile) these variants, in order, the default last.
    pub fn set_variants(&self, key: &str, variants: Vec<Variant>) {
        self.state.lock().unwrap().variants.insert(key.to_owned(), variants);
    }

    /// The paths requested so far (without their query).
    pub fn paths(&self) -> Vec<String> {
        self.state.lock().unwrap().paths.clone()
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.state.lock().unwrap().requests.clone()
    }
}

impl Drop for AgentServer {
    fn drop(&mut self) {
        self.task.abort();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A parsed request: method, target, headers (names lower-cased).
struct Request {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
}

impl Request {
    fn parse(text: &str) -> Request {
        let mut lines = text.split("\r\n");
        let mut words = lines.next().unwrap_or("").split(' ');
        let (method, target) = (words.next().unwrap_or("").to_owned(), words.next().unwrap_or("").to_owned());
        let headers = lines
            .take_while(|l| !l.is_empty())
            .filter_map(|l| l.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
            .collect();
        Request { method, target, headers }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The context entries: every `Context` header, each split at commas, each entry at its
    /// first `=`.
    fn context(&self) -> Vec<(String, String)> {
        let entries = self.headers.iter().filter(|(n, _)| n == "context").flat_map(|(_, v)| v.split(','));
        entries.filter_map(|e| e.split_once('=')).map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned())).collect()
    }

    /// The path, and the `flag` parameters of the query.
    fn path_and_flags(&self) -> (String, Vec<String>) {
        let (path, query) = self.target.split_once('?').unwrap_or((&self.target, ""));
        let flags = query.split('&').filter_map(|p| p.strip_prefix("flag=")).map(percent_decode).collect();
        (path.to_owned(), flags)
    }
}

async fn serve(mut socket: tokio::net::TcpStream, dir: &Path, state: &Mutex<AgentState>) -> std::io::Result<()> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut bytes = Vec::new();
    let mut buf = [0u8; 1024];
    while !bytes.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = socket.read(&mut buf).await?;
        if n == 0 || bytes.len() > 64 * 1024 {
            return Ok(());
        }
        bytes.extend_from_slice(&buf[..n]);
    }
    let request = Request::parse(&String::from_utf8_lossy(&bytes));
    let (path, flags) = request.path_and_flags();
    let context = request.context();
    let (mode, token, version, variants) = {
        let mut state = state.lock().unwrap();
        state.paths.push(path.clone());
        let authorization = request.header("authorization").map(str::to_owned);
        state.requests.push(Recorded { target: request.target.clone(), authorization, context: context.clone() });
        (state.mode.clone(), state.token.clone(), state.version.clone(), state.variants.clone())
    };
    let authorized = token.is_none_or(|t| request.header("authorization") == Some(&format!("Bearer {t}")));
    let (status, body) = if !authorized {
        (401, "Unauthorized".to_owned())
    } else {
        match mode {
            AgentMode::Status(status, body) => (status, body),
            AgentMode::Slow(delay) => {
                tokio::time::sleep(delay).await;
                from_files(&request.method, &path, dir)
            }
            AgentMode::Files => from_files(&request.method, &path, dir),
        }
    };
    let (status, body) = if status == 200 { select(body, &flags, &context, &variants) } else { (status, body) };
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "Status",
    };
    let version = version.map(|v| format!("configuration-version: {v}\r\n")).unwrap_or_default();
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n{version}content-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    socket.write_all(head.as_bytes()).await?;
    socket.write_all(body.as_bytes()).await?;
    socket.shutdown().await
}

/// The answer for a profile's document: its `flags` when asked, its variants chosen for
/// `context`. A document without variants asked whole is served as it is (byte for byte).
fn select(document: String, flags: &[String], context: &ContextEntries, variants: &HashMap<String, Vec<Variant>>) -> (u16, String) {
    if flags.is_empty() && variants.is_empty() {
        return (200, document);
    }
    let Ok(Json::Object(mut profile)) = serde_json::from_str::<Json>(&document) else {
        return (400, "the configuration is not a feature flag profile".to_owned());
    };
    for (key, flag) in profile.iter_mut() {
        if let Some(variants) = variants.get(key) {
            *flag = choose(variants, context);
        }
    }
    match flags {
        [] => (200, Json::Object(profile).to_string()),
        [one] => match profile.remove(one) {
            Some(flag) => (200, flag.to_string()),
            None => (404, format!("flag {one} not found")),
        },
        several => {
            let mut chosen = serde_json::Map::new();
            for key in several {
                match profile.remove(key) {
                    Some(flag) => chosen.insert(key.clone(), flag),
                    None => return (404, format!("flag {key} not found")),
                };
            }
            (200, Json::Object(chosen).to_string())
        }
    }
}

/// The first variant whose rule accepts `context` (else the last), with `_variant`.
fn choose(variants: &[Variant], context: &ContextEntries) -> Json {
    let chosen = variants.iter().find(|v| v.rule.as_ref().is_none_or(|rule| rule(context))).or(variants.last());
    let Some(variant) = chosen else { return Json::Null };
    let mut value = variant.value.clone();
    if let Json::Object(object) = &mut value {
        object.insert("_variant".to_owned(), Json::String(variant.name.clone()));
    }
    value
}

fn from_files(method: &str, path: &str, dir: &Path) -> (u16, String) {
    if method != "GET" {
        return (405, "method not allowed".to_owned());
    }
    let parts: Vec<&str> = path.split('/').collect();
    let ["", "applications", app, "environments", env, "configurations", profile] = parts[..] else {
        return (404, format!("no route for {path}"));
    };
    let name = format!("{}:{}:{}", percent_decode(app), percent_decode(env), percent_decode(profile));
    for candidate in [name.clone(), format!("{name}.json")] {
        if let Ok(body) = std::fs::read_to_string(dir.join(&candidate)) {
            return (200, body);
        }
    }
    (404, format!("Configuration {name} not found in the local development directory"))
}
