//! AWS AppConfig: `--appconfig APP/ENV/PROFILE` for eval/enabled/explain, `ff pull` and
//! `ff push`. Built with the `appconfig` feature; without it every entry point is an input
//! error (exit 2) that says how to install ff with the feature.

use crate::cli::{Format, PullArgs, PushArgs};
use crate::input::Stdin;
use crate::load::Loaded;
use crate::Failure;

#[cfg(feature = "appconfig")]
mod live;
#[cfg(feature = "appconfig")]
mod push;

/// Reads and validates the document deployed at `location` (`APP/ENV/PROFILE`), through
/// `envelope`.
#[cfg(feature = "appconfig")]
pub fn load(location: &str, envelope: Option<&str>, format: Format) -> Result<Loaded, Failure> {
    live::load(location, envelope, format)
}

/// Checks `--appconfig` before anything is read: a usage error (exit 2) when it is not
/// `APP/ENV/PROFILE`.
#[cfg(feature = "appconfig")]
pub fn check(location: &str) -> Result<(), Failure> {
    live::parse_location(location).map(drop)
}

/// `ff pull`.
#[cfg(feature = "appconfig")]
pub fn pull(args: PullArgs) -> Result<(), Failure> {
    live::pull(args)
}

/// `ff push`.
#[cfg(feature = "appconfig")]
pub fn push(args: PushArgs, stdin: &mut Stdin) -> Result<(), Failure> {
    push::push(args, stdin)
}

/// Why `--appconfig`, `ff pull` and `ff push` do nothing in this build.
#[cfg(not(feature = "appconfig"))]
fn not_built(what: &str) -> Failure {
    Failure::Input(format!(
        "{what} needs ff built with the `appconfig` feature (AWS AppConfig through the AWS SDK), \
         and this ff was built without it. Install it from ff's repository with: \
         cargo install --locked --path crates/ff-cli --features appconfig"
    ))
}

#[cfg(not(feature = "appconfig"))]
pub fn check(_location: &str) -> Result<(), Failure> {
    Err(not_built("--appconfig"))
}

#[cfg(not(feature = "appconfig"))]
pub fn load(_location: &str, _envelope: Option<&str>, _format: Format) -> Result<Loaded, Failure> {
    Err(not_built("--appconfig"))
}

#[cfg(not(feature = "appconfig"))]
pub fn pull(_args: PullArgs) -> Result<(), Failure> {
    Err(not_built("ff pull"))
}

#[cfg(not(feature = "appconfig"))]
pub fn push(_args: PushArgs, _stdin: &mut Stdin) -> Result<(), Failure> {
    Err(not_built("ff push"))
}
