//! The handler against a document deployed to MiniStack (a local AWS emulator). Run with
//! `scripts/test-appconfig.sh`; without `FF_MINISTACK_ENDPOINT` these tests say SKIPPED.

use std::time::Duration;

use ff_appconfig_tests::{ministack_or_skip, Probe};
use ff_runtime::appconfig::AppConfigStore;
use lambda_example::{handle, Request, Response, Settings};
use lambda_runtime::{Context, LambdaEvent};

const FLAGS: &str = include_str!("../flags.json");

fn event(customer: &str, tier: Option<&str>, basket: Option<f64>) -> LambdaEvent<Request> {
    let request = Request { customer_id: customer.to_owned(), tier: tier.map(str::to_owned), basket_size: basket };
    LambdaEvent::new(request, Context::default())
}

fn settings(location: &ff_runtime::appconfig::AppConfigLocation, max_age: u64) -> Settings {
    let text = location.to_string();
    let max_age = max_age.to_string();
    Settings::from_vars(|name| match name {
        "FF_APPCONFIG" => Some(text.clone()),
        "FF_MAX_AGE_SECONDS" => Some(max_age.clone()),
        _ => None,
    })
    .unwrap()
}

#[tokio::test]
async fn the_handler_answers_from_the_deployed_document() {
    let ms = ministack_or_skip!("the_handler_answers_from_the_deployed_document");
    let seeded = ms.seed("lambda", FLAGS).await;
    let probe = Probe::new();
    let store = AppConfigStore::from_client(ms.data_client(&probe), seeded.location());
    let flags = settings(&seeded.location(), 45).flags(store).unwrap();

    let premium = handle(&flags, event("c-1", Some("premium"), Some(120.0))).await.unwrap();
    assert_eq!(
        premium,
        Response {
            customer_id: "c-1".into(),
            new_checkout: true,
            discount_level: 10,
            enabled: vec!["new_checkout".into(), "discount_level".into()],
            log_level: Some("INFO".into()),
        }
    );
    let standard = handle(&flags, event("c-2", Some("standard"), Some(20.0))).await.unwrap();
    assert_eq!((standard.new_checkout, standard.discount_level, standard.enabled.len()), (false, 0, 0));
    let anonymous = handle(&flags, event("c-3", None, Some(100.0))).await.unwrap();
    assert_eq!((anonymous.new_checkout, anonymous.discount_level), (false, 10));
    assert_eq!(anonymous.enabled, ["discount_level"]);

    // A warm function: 100 more events, no AppConfig call (2 calls at the first event).
    for i in 0..100 {
        let answer = handle(&flags, event("c", Some("premium"), Some(f64::from(i)))).await.unwrap();
        assert_eq!(answer.discount_level, if i >= 100 { 10 } else { 0 });
    }
    assert_eq!(probe.count(), 2, "{:?}", probe.calls());
}

#[tokio::test]
async fn a_new_deployment_reaches_the_warm_function() {
    let ms = ministack_or_skip!("a_new_deployment_reaches_the_warm_function");
    let seeded = ms.seed("lambda-redeploy", FLAGS).await;
    let probe = Probe::new();
    probe.answer_poll_interval(0);
    let store = AppConfigStore::from_client(ms.data_client(&probe), seeded.location());
    let flags = settings(&seeded.location(), 0).flags(store).unwrap();
    assert!(!handle(&flags, event("c", Some("standard"), None)).await.unwrap().new_checkout);

    seeded.deploy(&FLAGS.replace(r#""default": false"#, r#""default": true"#).replace("INFO", "DEBUG")).await;
    tokio::time::sleep(Duration::from_millis(10)).await;
    let after = handle(&flags, event("c", Some("standard"), None)).await.unwrap();
    assert!(after.new_checkout);
    assert_eq!(after.log_level.as_deref(), Some("DEBUG"));
}

#[tokio::test]
async fn an_unreachable_appconfig_gives_the_defaults() {
    let ms = ministack_or_skip!("an_unreachable_appconfig_gives_the_defaults");
    let location = ff_runtime::appconfig::AppConfigLocation::new("no-such-app", "prod", "features");
    let flags =
        settings(&location, 45).flags(AppConfigStore::from_sdk_config(&ms.sdk_config, location.clone())).unwrap();
    let answer = handle(&flags, event("c", Some("premium"), Some(500.0))).await.unwrap();
    assert_eq!(
        (answer.new_checkout, answer.discount_level, answer.enabled.len(), answer.log_level),
        (false, 0, 0, None)
    );
    assert!(flags.feature_flags().status().last_error.unwrap().contains("ResourceNotFoundException"));
}
