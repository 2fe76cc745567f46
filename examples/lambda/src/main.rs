//! The Lambda function: builds the flags once per cold start, then serves events.
//! See the crate documentation of `lambda_example` and `README.md` for deploying it.
// lambda_runtime's service stack nests deeply; the layout of `main`'s future needs more.
#![recursion_limit = "256"]

use ff_runtime::appconfig::AppConfigStore;
use lambda_example::{handle, Settings};
use lambda_runtime::{service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambda_runtime::tracing::init_default_subscriber();
    // Cold start: settings, the AWS configuration chain (execution role, AWS_REGION), the
    // flags, and their first fetch: a document that cannot be read fails the cold start
    // (Lambda reports the init error) instead of serving the compiled-in defaults.
    let settings = Settings::from_vars(|name| std::env::var(name).ok())?;
    let store = AppConfigStore::from_env(settings.location.clone()).await;
    let flags = settings.flags(store)?;
    flags.ready().await?;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<lambda_example::Request>| {
        let flags = flags.clone();
        async move { handle(&flags, event).await.map_err(Error::from) }
    }))
    .await
}
