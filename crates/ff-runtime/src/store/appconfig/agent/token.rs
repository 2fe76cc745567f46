//! [`AccessToken`]: the Agent's access token, kept out of logs, `Debug` output and error
//! messages.

use std::fmt;

use hyper::header::HeaderValue;

/// The token sent as `Authorization: Bearer TOKEN` to an Agent started with its
/// `ACCESS_TOKEN` setting. `Debug` prints `AccessToken(***)`; the header value is marked
/// sensitive (HTTP/2 encoders and hyper's own `Debug` leave it out).
#[derive(Clone)]
pub(super) struct AccessToken {
    /// The header value, or why the token cannot be one.
    header: Result<HeaderValue, &'static str>,
    /// The token itself, to remove it from the text of an answer (never shown).
    text: String,
}

impl AccessToken {
    pub(super) fn new(token: String) -> AccessToken {
        let header = if token.is_empty() {
            Err("the access token is empty")
        } else {
            match HeaderValue::from_str(&format!("Bearer {token}")) {
                Ok(mut header) => {
                    header.set_sensitive(true);
                    Ok(header)
                }
                Err(_) => Err("the access token cannot be sent in an HTTP header (it holds a control character)"),
            }
        };
        AccessToken { header, text: token }
    }

    /// The `Authorization` header's value, or why there is none (a message without the token).
    pub(super) fn header(&self) -> Result<&HeaderValue, &'static str> {
        self.header.as_ref().map_err(|e| *e)
    }

    /// `text` with every occurrence of the token replaced by `***`.
    pub(super) fn redact(&self, text: &str) -> String {
        if self.text.is_empty() {
            text.to_owned()
        } else {
            text.replace(&self.text, "***")
        }
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_never_shown() {
        let token = AccessToken::new("s3cr3t-t0ken".to_owned());
        assert_eq!(format!("{token:?}"), "AccessToken(***)");
        let header = token.header().unwrap();
        assert!(header.is_sensitive());
        assert!(!format!("{header:?}").contains("s3cr3t"), "{header:?}");
        assert_eq!(header.as_bytes(), b"Bearer s3cr3t-t0ken");
        assert_eq!(token.redact("denied: s3cr3t-t0ken is not s3cr3t-t0ken!"), "denied: *** is not ***!");
    }

    #[test]
    fn tokens_that_cannot_be_sent_are_refused_without_being_shown() {
        for bad in ["", "line\nbreak", "del\u{7f}"] {
            let message = AccessToken::new(bad.to_owned()).header().unwrap_err();
            assert!(!bad.is_empty() || message.contains("empty"), "{message}");
            assert!(bad.is_empty() || !message.contains(bad), "{message}");
        }
    }
}
