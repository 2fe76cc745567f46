//! Helpers for the integration tests of ff's AppConfig stores:
//!
//! * [`MiniStack`]: a running MiniStack (a local AWS emulator, started by
//!   `scripts/ministack.sh`), seeded through the AppConfig control plane;
//! * [`Probe`]: an AWS SDK interceptor that counts the AppConfig Data calls actually sent,
//!   and can rewrite a poll token or the poll interval the service answers;
//! * [`Script`]: a fake AppConfig Data service on the SDK's `infallible_client_fn`, for
//!   the faults the emulator cannot produce (throttling, expired tokens, access denied);
//! * [`AgentServer`]: a stand-in for the AppConfig Agent on a loopback port: files as its
//!   local development mode serves them, `?flag=`, `Context` headers selecting variants by
//!   rules written in Rust, and the access token;
//! * [`Ff`]: the `ff` binary (`FF_BIN`) run against MiniStack in a scratch folder.
//!
//! Without `FF_MINISTACK_ENDPOINT`, the MiniStack tests are skipped with a message on the
//! terminal (run them with `scripts/test-appconfig.sh`); with `FF_REQUIRE_MINISTACK=1` they
//! fail instead.

use std::collections::VecDeque;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_sdk_appconfig::primitives::Blob;
use aws_sdk_appconfig::types::{DeploymentState, GrowthType, ReplicateTo};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeDeserializationInterceptorContextMut, BeforeSerializationInterceptorContextMut,
    BeforeTransmitInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::retry::RetryConfig;

pub use ff_runtime;

mod agent;
mod ff;
pub use agent::{AgentMode, AgentServer, Recorded, Variant};
pub use ff::{push_numbers, Ff, Run};

/// The region every test uses.
pub const REGION: &str = "us-east-1";

static UNIQUE: AtomicU64 = AtomicU64::new(0);

/// A name no other test uses in this MiniStack: `prefix-PID-N`.
pub fn unique(prefix: &str) -> String {
    format!("{prefix}-{}-{}", std::process::id(), UNIQUE.fetch_add(1, Ordering::Relaxed))
}

/// Writes straight to the terminal: the test harness captures `eprintln!` of passing
/// tests, but not writes to the stderr handle.
pub fn shout(message: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{message}");
    let _ = err.flush();
}

/// The MiniStack endpoint from `FF_MINISTACK_ENDPOINT`. Without it: `None` and a loud
/// "SKIPPED" line naming `test`, or a panic when `FF_REQUIRE_MINISTACK=1`.
pub fn ministack_endpoint(test: &str) -> Option<String> {
    match std::env::var("FF_MINISTACK_ENDPOINT") {
        Ok(endpoint) if !endpoint.trim().is_empty() => Some(endpoint.trim().trim_end_matches('/').to_owned()),
        _ => {
            if std::env::var("FF_REQUIRE_MINISTACK").is_ok_and(|v| v == "1") {
                panic!("{test}: FF_REQUIRE_MINISTACK=1 but FF_MINISTACK_ENDPOINT is not set");
            }
            shout(&format!(
                "\n*** SKIPPED {test}: FF_MINISTACK_ENDPOINT is not set, so this MiniStack test did NOT run.\n\
                 *** Run the AppConfig tests with scripts/test-appconfig.sh (it starts MiniStack).\n"
            ));
            None
        }
    }
}

/// The `ff` binary built with the `appconfig` feature, from `FF_BIN` (set by
/// `scripts/test-appconfig.sh`). Without it: `None` and a loud "SKIPPED" line naming
/// `test`, or a panic when `FF_REQUIRE_MINISTACK=1`. A path that is not a file always panics.
pub fn ff_bin(test: &str) -> Option<PathBuf> {
    match std::env::var_os("FF_BIN") {
        Some(path) if !path.is_empty() => {
            let path = PathBuf::from(path);
            assert!(path.is_file(), "{test}: FF_BIN={} is not a file", path.display());
            Some(path)
        }
        _ => {
            if std::env::var("FF_REQUIRE_MINISTACK").is_ok_and(|v| v == "1") {
                panic!("{test}: FF_REQUIRE_MINISTACK=1 but FF_BIN (the ff binary built with --features appconfig) is not set");
            }
            shout(&format!(
                "\n*** SKIPPED {test}: FF_BIN is not set, so this test of the ff command did NOT run.\n\
                 *** Run it with scripts/test-appconfig.sh (it builds ff with --features appconfig).\n"
            ));
            None
        }
    }
}

/// Waits until deployment `number` of the environment is complete (20 s at most).
pub async fn wait_for_deployment(
    control: &aws_sdk_appconfig::Client,
    application_id: &str,
    environment_id: &str,
    number: i32,
) {
    let started = Instant::now();
    loop {
        let state = control
            .get_deployment()
            .application_id(application_id)
            .environment_id(environment_id)
            .deployment_number(number)
            .send()
            .await
            .expect("GetDeployment");
        if state.state() == Some(&DeploymentState::Complete) {
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "deployment {number} not complete: {:?}", state.state());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Skips the test (returns) when MiniStack is not running; evaluates to a [`MiniStack`].
#[macro_export]
macro_rules! ministack_or_skip {
    ($test:expr) => {
        match $crate::MiniStack::connect($test).await {
            Some(ministack) => ministack,
            None => return,
        }
    };
}

/// A running MiniStack and an AppConfig control-plane client for it.
pub struct MiniStack {
    /// `http://127.0.0.1:PORT`.
    pub endpoint: String,
    /// Region, static test credentials and the endpoint.
    pub sdk_config: SdkConfig,
    /// The AppConfig control plane.
    pub control: aws_sdk_appconfig::Client,
}

impl MiniStack {
    /// Connects to the MiniStack in `FF_MINISTACK_ENDPOINT`; `None` (and a loud message) when
    /// it is not set.
    pub async fn connect(test: &str) -> Option<MiniStack> {
        let endpoint = ministack_endpoint(test)?;
        let sdk_config = aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new(REGION))
            .credentials_provider(Credentials::new("test", "test", None, None, "ff-tests"))
            .endpoint_url(&endpoint)
            .load()
            .await;
        let control = aws_sdk_appconfig::Client::new(&sdk_config);
        Some(MiniStack { endpoint, sdk_config, control })
    }

    /// An AppConfig Data client for MiniStack with `probe` attached (retries off, so the
    /// probe counts one request per call).
    pub fn data_client(&self, probe: &Probe) -> aws_sdk_appconfigdata::Client {
        let config = aws_sdk_appconfigdata::config::Builder::from(&self.sdk_config)
            .interceptor(probe.clone())
            .retry_config(RetryConfig::disabled())
            .build();
        aws_sdk_appconfigdata::Client::from_conf(config)
    }

    /// Creates an application, an environment, a hosted configuration profile and a
    /// deployment strategy with zero duration and zero bake time (names unique to this
    /// run), then deploys `document` to it.
    pub async fn seed(&self, prefix: &str, document: &str) -> Seeded {
        let seeded = self.create(prefix).await;
        seeded.deploy(document).await;
        seeded
    }

    /// As [`MiniStack::seed`], with nothing deployed yet.
    pub async fn create(&self, prefix: &str) -> Seeded {
        self.create_at(&unique(prefix), "prod", "features", &unique("all-at-once")).await
    }

    /// Creates application `application` with environment `environment`, a hosted
    /// configuration profile `profile`, and a deployment strategy named `strategy` with zero
    /// duration and zero bake time (as `examples/infra/appconfig.yaml` creates by default).
    pub async fn create_at(&self, application: &str, environment: &str, profile: &str, strategy: &str) -> Seeded {
        self.create_typed(application, environment, profile, strategy, None).await
    }

    /// As [`MiniStack::create`], with a configuration profile of type
    /// `AWS.AppConfig.FeatureFlags` (AppConfig's own feature-flag format: it stores the
    /// stored document and serves its retrieval format).
    pub async fn create_feature_flags(&self, prefix: &str) -> Seeded {
        self.create_typed(&unique(prefix), "prod", "features", &unique("all-at-once"), Some("AWS.AppConfig.FeatureFlags")).await
    }

    async fn create_typed(&self, application: &str, environment: &str, profile: &str, strategy: &str, profile_type: Option<&str>) -> Seeded {
        let c = &self.control;
        let app = c.create_application().name(application).send().await.expect("CreateApplication");
        let application_id = app.id().expect("application id").to_owned();
        let env = c
            .create_environment()
            .application_id(&application_id)
            .name(environment)
            .send()
            .await
            .expect("CreateEnvironment");
        let created_profile = c
            .create_configuration_profile()
            .application_id(&application_id)
            .name(profile)
            .location_uri("hosted")
            .set_type(profile_type.map(str::to_owned))
            .send()
            .await
            .expect("CreateConfigurationProfile");
        let created_strategy = c
            .create_deployment_strategy()
            .name(strategy)
            .deployment_duration_in_minutes(0)
            .final_bake_time_in_minutes(0)
            .growth_factor(100.0)
            .growth_type(GrowthType::Linear)
            .replicate_to(ReplicateTo::None)
            .send()
            .await
            .expect("CreateDeploymentStrategy");
        Seeded {
            control: c.clone(),
            application: application.to_owned(),
            application_id,
            environment: environment.to_owned(),
            environment_id: env.id().expect("environment id").to_owned(),
            profile: profile.to_owned(),
            profile_id: created_profile.id().expect("profile id").to_owned(),
            strategy: strategy.to_owned(),
            strategy_id: created_strategy.id().expect("strategy id").to_owned(),
            versions: AtomicUsize::new(0),
        }
    }
}

/// What [`MiniStack::seed`] created.
pub struct Seeded {
    control: aws_sdk_appconfig::Client,
    /// The application's name (unique).
    pub application: String,
    /// The application's ID.
    pub application_id: String,
    /// The environment's name (`prod` unless made by [`MiniStack::create_at`]).
    pub environment: String,
    /// The environment's ID.
    pub environment_id: String,
    /// The configuration profile's name (`features` unless made by [`MiniStack::create_at`]).
    pub profile: String,
    /// The configuration profile's ID.
    pub profile_id: String,
    /// The deployment strategy's name.
    pub strategy: String,
    /// The deployment strategy's ID.
    pub strategy_id: String,
    versions: AtomicUsize,
}

impl Seeded {
    /// The location by names: `APPLICATION/ENVIRONMENT/PROFILE`.
    pub fn location(&self) -> ff_runtime::appconfig::AppConfigLocation {
        ff_runtime::appconfig::AppConfigLocation::new(&self.application, &self.environment, &self.profile)
    }

    /// The hosted versions of the profile: (number, content, content type), by number.
    /// (MiniStack does not keep a version's description; a deployment's it does.)
    pub async fn hosted_versions(&self) -> Vec<(i32, String, String)> {
        let list = self
            .control
            .list_hosted_configuration_versions()
            .application_id(&self.application_id)
            .configuration_profile_id(&self.profile_id)
            .send()
            .await
            .expect("ListHostedConfigurationVersions");
        let mut out = Vec::new();
        for summary in list.items() {
            let version = self
                .control
                .get_hosted_configuration_version()
                .application_id(&self.application_id)
                .configuration_profile_id(&self.profile_id)
                .version_number(summary.version_number())
                .send()
                .await
                .expect("GetHostedConfigurationVersion");
            out.push((
                version.version_number(),
                String::from_utf8(version.content().map(|b| b.as_ref().to_vec()).unwrap_or_default()).unwrap(),
                version.content_type().unwrap_or_default().to_owned(),
            ));
        }
        out.sort_by_key(|v| v.0);
        out
    }

    /// How many deployments the environment has had.
    pub async fn deployment_count(&self) -> usize {
        self.control
            .list_deployments()
            .application_id(&self.application_id)
            .environment_id(&self.environment_id)
            .send()
            .await
            .expect("ListDeployments")
            .items()
            .len()
    }

    /// Creates a hosted version of `document` (labelled `v1`, `v2`, ...) and deploys it with
    /// the zero-time strategy; returns once the deployment is complete.
    pub async fn deploy(&self, document: &str) -> String {
        let label = format!("v{}", self.versions.fetch_add(1, Ordering::Relaxed) + 1);
        let version = self
            .control
            .create_hosted_configuration_version()
            .application_id(&self.application_id)
            .configuration_profile_id(&self.profile_id)
            .content_type("application/json")
            .version_label(&label)
            .content(Blob::new(document.as_bytes().to_vec()))
            .send()
            .await
            .expect("CreateHostedConfigurationVersion");
        let deployment = self
            .control
            .start_deployment()
            .application_id(&self.application_id)
            .environment_id(&self.environment_id)
            .configuration_profile_id(&self.profile_id)
            .deployment_strategy_id(&self.strategy_id)
            .configuration_version(version.version_number().to_string())
            .send()
            .await
            .expect("StartDeployment");
        wait_for_deployment(&self.control, &self.application_id, &self.environment_id, deployment.deployment_number())
            .await;
        label
    }
}

/// Which AppConfig Data operation a request is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Call {
    /// `StartConfigurationSession`.
    Start,
    /// `GetLatestConfiguration` with this token.
    Get(String),
}

#[derive(Default)]
struct ProbeState {
    calls: Vec<Call>,
    replace_next_token: Option<String>,
    poll_interval: Option<i32>,
}

/// An interceptor on an AppConfig Data client: records every request sent, and can swap
/// the token of the next `GetLatestConfiguration` or rewrite `Next-Poll-Interval-In-Seconds`.
#[derive(Clone, Default)]
pub struct Probe {
    state: Arc<Mutex<ProbeState>>,
}

impl std::fmt::Debug for Probe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Probe").field("calls", &self.calls()).finish()
    }
}

impl Probe {
    /// A probe that changes nothing.
    pub fn new() -> Probe {
        Probe::default()
    }

    /// Every request sent so far.
    pub fn calls(&self) -> Vec<Call> {
        self.state.lock().unwrap().calls.clone()
    }

    /// How many requests were sent.
    pub fn count(&self) -> usize {
        self.state.lock().unwrap().calls.len()
    }

    /// The tokens sent with `GetLatestConfiguration`, in order.
    pub fn tokens(&self) -> Vec<String> {
        self.calls()
            .into_iter()
            .filter_map(|c| match c {
                Call::Get(token) => Some(token),
                Call::Start => None,
            })
            .collect()
    }

    /// Sends `token` instead of the store's with the next `GetLatestConfiguration`.
    pub fn replace_next_token(&self, token: impl Into<String>) {
        self.state.lock().unwrap().replace_next_token = Some(token.into());
    }

    /// Makes every answer say `Next-Poll-Interval-In-Seconds: seconds` (MiniStack, as AWS,
    /// allows 15 s at least, which would make tests slow).
    pub fn answer_poll_interval(&self, seconds: i32) {
        self.state.lock().unwrap().poll_interval = Some(seconds);
    }
}

impl Intercept for Probe {
    fn name(&self) -> &'static str {
        "ff-tests-probe"
    }

    fn modify_before_serialization(
        &self,
        context: &mut BeforeSerializationInterceptorContextMut<'_>,
        _rc: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        use aws_sdk_appconfigdata::operation::get_latest_configuration::GetLatestConfigurationInput;
        if let Some(input) = context.input_mut().downcast_mut::<GetLatestConfigurationInput>() {
            if let Some(token) = self.state.lock().unwrap().replace_next_token.take() {
                input.configuration_token = Some(token);
            }
        }
        Ok(())
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let call = classify(context.request().uri());
        self.state.lock().unwrap().calls.push(call);
        Ok(())
    }

    fn modify_before_deserialization(
        &self,
        context: &mut BeforeDeserializationInterceptorContextMut<'_>,
        _rc: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let interval = self.state.lock().unwrap().poll_interval;
        if let Some(seconds) = interval {
            let response = context.response_mut();
            if response.headers().contains_key("Next-Poll-Interval-In-Seconds") {
                response.headers_mut().insert("Next-Poll-Interval-In-Seconds", seconds.to_string());
            }
        }
        Ok(())
    }
}

/// `StartConfigurationSession` is `POST /configurationsessions`;
/// `GetLatestConfiguration` is `GET /configuration?configuration_token=...`.
fn classify(uri: &str) -> Call {
    let path_and_query = uri.split_once("://").map_or(uri, |(_, rest)| rest.find('/').map_or("", |i| &rest[i..]));
    if path_and_query.starts_with("/configurationsessions") {
        return Call::Start;
    }
    let token = path_and_query
        .split_once('?')
        .map(|(_, q)| q)
        .unwrap_or("")
        .split('&')
        .find_map(|pair| pair.strip_prefix("configuration_token="))
        .unwrap_or("");
    Call::Get(percent_decode(token))
}

/// Decodes `%XX` escapes (invalid escapes are kept as they are).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| char::from(b).to_digit(16);
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One scripted answer of the fake AppConfig Data service.
#[derive(Clone, Debug)]
pub enum Reply {
    /// `StartConfigurationSession` succeeds with this initial token.
    Session(&'static str),
    /// `GetLatestConfiguration` succeeds: next token, poll interval in seconds, body
    /// (empty: unchanged).
    Config(&'static str, i32, &'static str),
    /// An error: HTTP status, AWS error code, message.
    Error(u16, &'static str, &'static str),
}

/// A fake AppConfig Data service: answers each request with the next [`Reply`] of a script
/// and records the requests. Built on the AWS SDK's `infallible_client_fn` test client.
#[derive(Clone)]
pub struct Script {
    replies: Arc<Mutex<VecDeque<Reply>>>,
    probe: Probe,
}

impl Script {
    /// A service that will give `replies`, in order (then `500 script exhausted`).
    pub fn new(replies: impl IntoIterator<Item = Reply>) -> Script {
        Script { replies: Arc::new(Mutex::new(replies.into_iter().collect())), probe: Probe::new() }
    }

    /// Adds replies at the end of the script.
    pub fn then(&self, replies: impl IntoIterator<Item = Reply>) {
        self.replies.lock().unwrap().extend(replies);
    }

    /// Replies not given yet.
    pub fn remaining(&self) -> usize {
        self.replies.lock().unwrap().len()
    }

    /// The requests received so far.
    pub fn calls(&self) -> Vec<Call> {
        self.probe.calls()
    }

    /// An AppConfig Data client whose HTTP client is this script (retries off, so each reply
    /// is one call).
    pub fn client(&self) -> aws_sdk_appconfigdata::Client {
        self.client_with_retries(RetryConfig::disabled())
    }

    /// As [`Script::client`], with the SDK's retry behaviour `retry`.
    pub fn client_with_retries(&self, retry: RetryConfig) -> aws_sdk_appconfigdata::Client {
        let replies = self.replies.clone();
        let http_client = aws_smithy_http_client::test_util::infallible_client_fn(move |_request| {
            let reply = replies.lock().unwrap().pop_front();
            let builder = http::Response::builder();
            match reply {
                Some(Reply::Session(token)) => builder
                    .status(201)
                    .header("content-type", "application/json")
                    .body(format!(r#"{{"InitialConfigurationToken":"{token}"}}"#))
                    .unwrap(),
                Some(Reply::Config(next, interval, body)) => builder
                    .status(200)
                    .header("content-type", "application/json")
                    .header("next-poll-configuration-token", next)
                    .header("next-poll-interval-in-seconds", interval.to_string())
                    .body(body.to_owned())
                    .unwrap(),
                Some(Reply::Error(status, code, message)) => builder
                    .status(status)
                    .header("content-type", "application/json")
                    .header("x-amzn-errortype", code)
                    .body(format!(r#"{{"message":"{message}"}}"#))
                    .unwrap(),
                None => builder.status(500).body("script exhausted".to_owned()).unwrap(),
            }
        });
        let config = aws_sdk_appconfigdata::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(REGION))
            .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "ff-tests"))
            .http_client(http_client)
            .interceptor(self.probe.clone())
            .retry_config(retry)
            .build();
        aws_sdk_appconfigdata::Client::from_conf(config)
    }
}

