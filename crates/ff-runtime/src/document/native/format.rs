//! [`DocumentFormat`]: which format a store serves, for the cache.

use super::to_powertools;
use crate::document::Document;
use crate::error::SchemaError;
use crate::value::Value;

/// The format of the documents a store serves (`FeatureFlagsBuilder::format`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DocumentFormat {
    /// The Powertools feature-flags document (the default).
    #[default]
    Powertools,
    /// AWS AppConfig's own `AWS.AppConfig.FeatureFlags` format: the retrieval format that
    /// `GetLatestConfiguration` and the AppConfig Agent return, or a stored document (a
    /// file kept next to the code). Each fetched value goes through [`to_powertools`]: each
    /// flag is a feature whose value is the flag's object `{"enabled": .., ATTR: ..}`.
    AppConfigFeatureFlags,
}

impl DocumentFormat {
    /// Validates and compiles a fetched value of this format.
    ///
    /// # Errors
    /// [`SchemaError`] with every problem: [`Document::from_value`]'s for a Powertools
    /// document, [`to_powertools`]'s for an AppConfig one.
    pub fn compile(self, value: &Value) -> Result<Document, SchemaError> {
        match self {
            DocumentFormat::Powertools => Document::from_value(value),
            DocumentFormat::AppConfigFeatureFlags => Document::from_value(&to_powertools(value)?),
        }
    }
}
