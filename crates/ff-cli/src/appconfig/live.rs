//! Reading the live document: `--appconfig` and `ff pull`, through ff-runtime's
//! `AppConfigStore` (the AppConfig Data API), so the command reads exactly as an
//! application does.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use aws_config::{BehaviorVersion, SdkConfig};
use ff_runtime::appconfig::{AppConfigLocation, AppConfigStore};
use ff_runtime::{StoreErrorKind, StoreProvider, Value};

use crate::cli::PullArgs;
use crate::cli::Format;
use crate::load::{self, Kind, Loaded};
use crate::{emit, output, summary, Failure};

/// Parses `--appconfig` (a usage error, exit 2, when it is not `APP/ENV/PROFILE`).
pub fn parse_location(text: &str) -> Result<AppConfigLocation, Failure> {
    text.parse()
        .map_err(|e: ff_runtime::appconfig::LocationParseError| {
            Failure::Input(format!("--appconfig: {e}"))
        })
}

/// The name problems of the live document are reported under: `appconfig:APP/ENV/PROFILE`.
pub fn display_name(location: &AppConfigLocation) -> String {
    format!("appconfig:{location}")
}

/// The endpoint variables the AWS SDK reads for AppConfig. Set to an empty string, they make
/// the SDK's endpoint resolver panic ("URL was unset") instead of returning an error.
const ENDPOINT_VARIABLES: [&str; 3] = [
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_APPCONFIGDATA",
    "AWS_ENDPOINT_URL_APPCONFIG",
];

/// Runs one command's AWS work to completion on a new Tokio runtime.
///
/// Nothing may make `ff` panic: the AWS SDK asserts on some configuration (an empty
/// endpoint URL, from the environment or from a profile file), so a panic inside the SDK is
/// caught and reported as an AppConfig failure (exit 1) instead of a crash.
pub fn block_on<T>(work: impl Future<Output = Result<T, Failure>>) -> Result<T, Failure> {
    for variable in ENDPOINT_VARIABLES {
        if std::env::var_os(variable).is_some_and(|value| value.to_string_lossy().trim().is_empty())
        {
            return Err(Failure::Input(format!(
                "{variable} is set but empty: unset it, or set it to the endpoint's URL"
            )));
        }
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            Failure::AppConfig(format!(
                "AWS AppConfig: cannot start the async runtime: {e}"
            ))
        })?;
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| runtime.block_on(work)));
    std::panic::set_hook(hook);
    outcome.unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".to_owned());
        let message = message.lines().next().unwrap_or_default().to_owned();
        Err(Failure::AppConfig(format!(
            "AWS AppConfig: the AWS SDK failed on this configuration: {message} \
             (check the AWS endpoint, region and profile settings)"
        )))
    })
}

/// The standard AWS configuration chain (region, credentials, endpoints from the
/// environment, the profile, SSO, or the instance/task role).
pub async fn sdk_config() -> Result<SdkConfig, Failure> {
    let config = aws_config::load_defaults(BehaviorVersion::latest()).await;
    if config.region().is_none() {
        return Err(Failure::AppConfig(
            "AWS AppConfig: no AWS region is configured: set AWS_REGION (or a region in the AWS profile)"
                .to_owned(),
        ));
    }
    Ok(config)
}

/// The raw document deployed at `location`; any failure is an error (exit 1) naming the
/// AWS error, since a command has no last good document to fall back to.
fn fetch(location: &AppConfigLocation) -> Result<(Arc<Value>, Option<String>), Failure> {
    block_on(async {
        let config = sdk_config().await?;
        let store = AppConfigStore::from_sdk_config(&config, location.clone());
        match store.get_raw_configuration().await {
            Ok(raw) => Ok((raw, store.version_label())),
            Err(e) => Err(Failure::AppConfig(match e.kind {
                StoreErrorKind::Client => format!("{} (access denied)", e.message),
                StoreErrorKind::Configuration => e.message,
            })),
        }
    })
}

/// `--appconfig LOCATION` for eval/enabled/explain. With `--format appconfig` the deployed
/// document is read in AWS AppConfig's own format (what `GetLatestConfiguration` returns
/// for an `AWS.AppConfig.FeatureFlags` profile: the retrieval format).
pub fn load(location: &str, envelope: Option<&str>, format: Format) -> Result<Loaded, Failure> {
    let location = parse_location(location)?;
    let envelope = load::parse_envelope(envelope)?;
    no_envelope_in_appconfig_format(format, envelope.as_ref())?;
    let (raw, label) = fetch(&location)?;
    let name = display_name(&location);
    if format == Format::Appconfig {
        let document = crate::native::from_value(&name, &raw)?;
        let version = label.unwrap_or_else(|| ff_runtime::document::content_version(&raw));
        return Ok(Loaded { name, document, version, kind: Kind::Retrieval });
    }
    let (selected, document) = load::from_value(&name, &raw, envelope.as_ref())?;
    let version = label.unwrap_or_else(|| ff_runtime::document::content_version(&selected));
    Ok(Loaded { name, document, version, kind: Kind::Powertools })
}

/// An envelope selects a Powertools document from a larger one: AppConfig's own format is
/// never wrapped (a usage error, exit 2).
fn no_envelope_in_appconfig_format(format: Format, envelope: Option<&load::EnvelopeArg<'_>>) -> Result<(), Failure> {
    match (format, envelope) {
        (Format::Appconfig, Some(_)) => Err(Failure::Input(
            "--envelope does not apply to AWS AppConfig's feature-flags format (--format appconfig): its documents are never wrapped".to_owned(),
        )),
        _ => Ok(()),
    }
}

/// `ff pull`.
pub fn pull(args: PullArgs) -> Result<(), Failure> {
    let location = parse_location(&args.appconfig)?;
    let envelope = load::parse_envelope(args.envelope.as_deref())?;
    no_envelope_in_appconfig_format(args.format, envelope.as_ref())?;
    let (raw, label) = fetch(&location)?;
    let name = display_name(&location);
    let (selected, document) = match args.format {
        Format::Appconfig => (raw.as_ref().clone(), crate::native::from_value(&name, &raw)?),
        _ => load::from_value(&name, &raw, envelope.as_ref())?,
    };
    let text = output::pretty(&selected);
    match args.output {
        None => emit(text.trim_end_matches('\n')),
        Some(path) => {
            output::write_atomically(&path, text.as_bytes()).map_err(Failure::Input)?;
            let version = label.map(|l| format!(" (version {l})")).unwrap_or_default();
            emit(&format!(
                "{name}{version}: valid: {}: written to {}",
                summary(&document),
                path.display()
            ))
        }
    }
}
