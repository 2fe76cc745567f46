//! `ff push`: validate a document, create a hosted configuration version of it and deploy
//! it, through the AppConfig control plane (`aws-sdk-appconfig`).
//!
//! Both formats: a Powertools document goes to a freeform profile (`AWS.Freeform`), a stored
//! `AWS.AppConfig.FeatureFlags` document to a profile of that type, which AppConfig serves
//! in its retrieval format. A document pushed to a profile of the other kind is refused
//! before anything is created.

use std::fmt::Display;

use aws_sdk_appconfig::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_appconfig::primitives::Blob;
use aws_sdk_appconfig::Client;
use ff_runtime::appconfig::AppConfigLocation;
use ff_runtime::native;
use ff_runtime::Value;

use super::live;
use crate::cli::PushArgs;
use crate::input::{self, Stdin};
use crate::{emit, load, Failure};

/// The strategy AWS predefines for deploying at once (then a 10-minute bake).
pub const DEFAULT_STRATEGY: &str = "AppConfig.AllAtOnce";

/// The profile type that holds AppConfig's own feature-flag format, not Powertools documents.
const APPCONFIG_FEATURE_FLAGS_TYPE: &str = "AWS.AppConfig.FeatureFlags";

/// One control-plane resource: its ID and how it is named in messages.
struct Resolved {
    id: String,
    name: String,
}

pub fn push(args: PushArgs, stdin: &mut Stdin) -> Result<(), Failure> {
    // Everything the user typed first, then the document: nothing is sent unless it is valid.
    let location = live::parse_location(&args.appconfig)?;
    let envelope = load::parse_envelope(args.envelope.as_deref())?;
    if args
        .strategy
        .as_deref()
        .is_some_and(|s| s.trim().is_empty())
    {
        return Err(Failure::Input(
            "--strategy: expected a deployment strategy's name or ID".to_owned(),
        ));
    }
    let name = input::display_name(&args.file);
    let bytes = input::read_source(&args.file, "FILE", stdin)?;
    let format = validate(&name, &bytes, envelope.as_ref())?;

    let strategy = args.strategy.as_deref().unwrap_or(DEFAULT_STRATEGY);
    let description = args.description.as_deref();
    let line = live::block_on(async {
        let config = live::sdk_config().await?;
        let pusher = Pusher {
            client: Client::new(&config),
            location: &location,
            format,
        };
        pusher.push(bytes, strategy, description).await
    })?;
    emit(&format!("pushed {name} to {location}: {line}"))
}

/// The two document formats a profile can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    /// A Powertools document, for a freeform profile.
    Powertools,
    /// A stored `AWS.AppConfig.FeatureFlags` document, for a profile of that type.
    AppConfigFeatureFlags,
}

/// Validates the document as what it is (a stored `AWS.AppConfig.FeatureFlags` document, or
/// a Powertools document through the envelope); returns its format. An envelope selects a
/// Powertools document from a larger one, so it has no meaning for AppConfig's format.
fn validate(name: &str, bytes: &[u8], envelope: Option<&load::EnvelopeArg<'_>>) -> Result<Format, Failure> {
    let text = std::str::from_utf8(bytes).unwrap_or_default();
    let stored = Value::from_json(text).is_ok_and(|value| native::is_stored_document(&value));
    if !stored {
        load::from_bytes(name, bytes.to_vec(), envelope)?;
        return Ok(Format::Powertools);
    }
    if envelope.is_some() {
        return Err(Failure::Input(format!(
            "--envelope: {name} is a stored {APPCONFIG_FEATURE_FLAGS_TYPE} document, which AppConfig \
             serves whole; an envelope selects a Powertools document from a larger one"
        )));
    }
    native::parse_stored(text).map_err(|e| Failure::Invalid {
        name: name.to_owned(),
        lines: e.with_source_name(name.to_owned()).lines(),
        note: None,
    })?;
    Ok(Format::AppConfigFeatureFlags)
}

struct Pusher<'a> {
    client: Client,
    location: &'a AppConfigLocation,
    format: Format,
}

impl Pusher<'_> {
    /// Resolves the names, creates the version, starts the deployment; returns the
    /// `version N, deployment M (...)` part of the report.
    async fn push(
        &self,
        bytes: Vec<u8>,
        strategy: &str,
        description: Option<&str>,
    ) -> Result<String, Failure> {
        let application = self.application().await?;
        let environment = self.environment(&application).await?;
        let profile = self.profile(&application).await?;
        let strategy = self.strategy(strategy).await?;

        let version = self
            .client
            .create_hosted_configuration_version()
            .application_id(&application.id)
            .configuration_profile_id(&profile.id)
            .content_type("application/json")
            .content(Blob::new(bytes))
            .set_description(description.map(str::to_owned))
            .send()
            .await
            .map_err(|e| self.aws_error("CreateHostedConfigurationVersion", e))?;
        let number = version.version_number();
        let deployment = self
            .client
            .start_deployment()
            .application_id(&application.id)
            .environment_id(&environment.id)
            .configuration_profile_id(&profile.id)
            .deployment_strategy_id(&strategy.id)
            .configuration_version(number.to_string())
            .set_description(description.map(str::to_owned))
            .send()
            .await
            .map_err(|e| match self.aws_error("StartDeployment", e) {
                Failure::AppConfig(message) => Failure::AppConfig(format!(
                    "{message} (hosted configuration version {number} was created, but not deployed)"
                )),
                other => other,
            })?;
        let state = deployment
            .state()
            .map(|s| format!(", {}", s.as_str()))
            .unwrap_or_default();
        Ok(format!(
            "version {number}, deployment {} (strategy {}{state})",
            deployment.deployment_number(),
            strategy.name
        ))
    }

    async fn application(&self) -> Result<Resolved, Failure> {
        let wanted = &self.location.application;
        match self
            .client
            .get_application()
            .application_id(wanted)
            .send()
            .await
        {
            Ok(app) => {
                return Ok(Resolved {
                    id: id(app.id(), wanted),
                    name: app.name().unwrap_or(wanted).to_owned(),
                })
            }
            Err(e) if !is_unknown_id(&e) => return Err(self.aws_error("GetApplication", e)),
            Err(_) => {}
        }
        let mut found = Vec::new();
        let mut stream = self
            .client
            .list_applications()
            .into_paginator()
            .items()
            .send();
        while let Some(item) = stream.next().await {
            let item = item.map_err(|e| self.aws_error("ListApplications", e))?;
            found.push((
                item.id().unwrap_or_default().to_owned(),
                item.name().unwrap_or_default().to_owned(),
            ));
        }
        self.by_name("application", wanted, found)
    }

    async fn environment(&self, application: &Resolved) -> Result<Resolved, Failure> {
        let wanted = &self.location.environment;
        match self
            .client
            .get_environment()
            .application_id(&application.id)
            .environment_id(wanted)
            .send()
            .await
        {
            Ok(env) => {
                return Ok(Resolved {
                    id: id(env.id(), wanted),
                    name: env.name().unwrap_or(wanted).to_owned(),
                })
            }
            Err(e) if !is_unknown_id(&e) => return Err(self.aws_error("GetEnvironment", e)),
            Err(_) => {}
        }
        let mut found = Vec::new();
        let mut stream = self
            .client
            .list_environments()
            .application_id(&application.id)
            .into_paginator()
            .items()
            .send();
        while let Some(item) = stream.next().await {
            let item = item.map_err(|e| self.aws_error("ListEnvironments", e))?;
            found.push((
                item.id().unwrap_or_default().to_owned(),
                item.name().unwrap_or_default().to_owned(),
            ));
        }
        self.by_name(
            &format!("environment of application `{}`", application.name),
            wanted,
            found,
        )
    }

    async fn profile(&self, application: &Resolved) -> Result<Resolved, Failure> {
        let wanted = &self.location.profile;
        let what = format!(
            "configuration profile of application `{}`",
            application.name
        );
        let got = self
            .client
            .get_configuration_profile()
            .application_id(&application.id)
            .configuration_profile_id(wanted)
            .send()
            .await;
        let (resolved, location_uri, kind) = match got {
            Ok(p) => (
                Resolved {
                    id: id(p.id(), wanted),
                    name: p.name().unwrap_or(wanted).to_owned(),
                },
                p.location_uri().map(str::to_owned),
                p.r#type().map(str::to_owned),
            ),
            Err(e) if !is_unknown_id(&e) => {
                return Err(self.aws_error("GetConfigurationProfile", e))
            }
            Err(_) => {
                let mut found = Vec::new();
                let mut details = Vec::new();
                let mut stream = self
                    .client
                    .list_configuration_profiles()
                    .application_id(&application.id)
                    .into_paginator()
                    .items()
                    .send();
                while let Some(item) = stream.next().await {
                    let item = item.map_err(|e| self.aws_error("ListConfigurationProfiles", e))?;
                    found.push((
                        item.id().unwrap_or_default().to_owned(),
                        item.name().unwrap_or_default().to_owned(),
                    ));
                    details.push((
                        item.location_uri().map(str::to_owned),
                        item.r#type().map(str::to_owned),
                    ));
                }
                let resolved = self.by_name(&what, wanted, found.clone())?;
                let at = found
                    .iter()
                    .position(|(id, _)| *id == resolved.id)
                    .unwrap_or(0);
                let (location_uri, kind) = details.swap_remove(at);
                (resolved, location_uri, kind)
            }
        };
        if let Some(uri) = location_uri.filter(|uri| uri != "hosted") {
            return Err(self.failure(format!(
                "configuration profile `{}` is not hosted by AppConfig (its LocationUri is `{uri}`): \
                 ff push creates hosted configuration versions only",
                resolved.name
            )));
        }
        let native_profile = kind.as_deref() == Some(APPCONFIG_FEATURE_FLAGS_TYPE);
        match (self.format, native_profile) {
            (Format::Powertools, true) => Err(self.failure(format!(
                "configuration profile `{}` is of type {APPCONFIG_FEATURE_FLAGS_TYPE}, which holds AppConfig's own \
                 feature-flag format; Powertools documents go in a freeform profile (AWS.Freeform)",
                resolved.name
            ))),
            (Format::AppConfigFeatureFlags, false) => Err(self.failure(format!(
                "configuration profile `{}` is of type {}, not {APPCONFIG_FEATURE_FLAGS_TYPE}: it would serve the \
                 stored document as it is, not AppConfig's retrieval format; push it to a profile of type \
                 {APPCONFIG_FEATURE_FLAGS_TYPE}",
                resolved.name,
                kind.as_deref().unwrap_or("AWS.Freeform")
            ))),
            _ => Ok(resolved),
        }
    }

    async fn strategy(&self, wanted: &str) -> Result<Resolved, Failure> {
        match self
            .client
            .get_deployment_strategy()
            .deployment_strategy_id(wanted)
            .send()
            .await
        {
            Ok(s) => {
                return Ok(Resolved {
                    id: id(s.id(), wanted),
                    name: s.name().unwrap_or(wanted).to_owned(),
                })
            }
            Err(e) if !is_unknown_id(&e) => return Err(self.aws_error("GetDeploymentStrategy", e)),
            Err(_) => {}
        }
        let mut found = Vec::new();
        let mut stream = self
            .client
            .list_deployment_strategies()
            .into_paginator()
            .items()
            .send();
        while let Some(item) = stream.next().await {
            let item = item.map_err(|e| self.aws_error("ListDeploymentStrategies", e))?;
            found.push((
                item.id().unwrap_or_default().to_owned(),
                item.name().unwrap_or_default().to_owned(),
            ));
        }
        self.by_name("deployment strategy", wanted, found)
    }

    /// The one resource named `wanted` among `found` (`(id, name)` pairs).
    fn by_name(
        &self,
        what: &str,
        wanted: &str,
        found: Vec<(String, String)>,
    ) -> Result<Resolved, Failure> {
        let matches: Vec<&(String, String)> =
            found.iter().filter(|(_, name)| name == wanted).collect();
        match matches[..] {
            [(id, name)] => Ok(Resolved {
                id: id.clone(),
                name: name.clone(),
            }),
            [] => {
                const SHOWN: usize = 10;
                let names: Vec<String> = found
                    .iter()
                    .take(SHOWN)
                    .map(|(_, name)| format!("`{name}`"))
                    .collect();
                let known = match found.len() {
                    0 => " (there are none)".to_owned(),
                    n if n > SHOWN => format!(" (there are {n}: {}, ...)", names.join(", ")),
                    n => format!(
                        " (there {} {n}: {})",
                        if n == 1 { "is" } else { "are" },
                        names.join(", ")
                    ),
                };
                Err(self.failure(format!("no {what} has the name or ID `{wanted}`{known}")))
            }
            _ => {
                let ids: Vec<&str> = matches.iter().map(|(id, _)| id.as_str()).collect();
                Err(self.failure(format!(
                    "{} {what}s are named `{wanted}` (IDs {}): give the ID instead",
                    matches.len(),
                    ids.join(", ")
                )))
            }
        }
    }

    fn failure(&self, message: impl Display) -> Failure {
        Failure::AppConfig(format!("AppConfig push to {}: {message}", self.location))
    }

    /// `AppConfig push to APP/ENV/PROFILE: OPERATION failed: CODE: message`, or the SDK's
    /// account of a failure without a service answer (network, credentials, timeout).
    fn aws_error<E>(&self, operation: &str, err: SdkError<E>) -> Failure
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        match (err.as_service_error(), err.code()) {
            (Some(_), Some(code)) => self.failure(format!(
                "{operation} failed: {code}: {}",
                err.message().unwrap_or("(no message)")
            )),
            _ => self.failure(format!("{operation} failed: {}", DisplayErrorContext(&err))),
        }
    }
}

/// Whether a Get by ID failed because the identifier is not an existing ID (so it may be a
/// name): `ResourceNotFoundException`, or `BadRequestException` for text that cannot be an ID.
fn is_unknown_id<E: ProvideErrorMetadata>(err: &SdkError<E>) -> bool {
    err.as_service_error().is_some()
        && matches!(
            err.code(),
            Some("ResourceNotFoundException" | "BadRequestException")
        )
}

fn id(id: Option<&str>, wanted: &str) -> String {
    id.unwrap_or(wanted).to_owned()
}
