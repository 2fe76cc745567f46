//! One `GET` to the Agent on a fresh connection: [`get`].

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;

use http_body_util::{BodyExt, Empty, Limited};
use hyper::body::Bytes;
use hyper::header::{self, HeaderName, HeaderValue};
use hyper::{Request, StatusCode};
use hyper_util::rt::TokioIo;

/// The largest answer read from the agent: 16 MiB (larger documents are refused, as
/// [`FileStore`](crate::FileStore) refuses larger files).
const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// The header that names the configuration's version in the Agent's answers (AWS AppConfig
/// User Guide, "Retrieving configuration data for applications running in Amazon ECS and
/// Amazon EKS": `Configuration-Version: 1`).
pub(super) const CONFIGURATION_VERSION: &str = "configuration-version";

/// What the Agent answered.
pub(super) struct Answer {
    pub(super) status: StatusCode,
    /// The `Configuration-Version` header, when it is text.
    pub(super) version: Option<String>,
    pub(super) body: Bytes,
}

/// `GET target` (a path with its query) from `host:port` on a new connection, with
/// `headers` besides `Host`, `Accept` and `Connection: close`; the status, the
/// `Configuration-Version` header and the whole body (at most 16 MiB). The error is a
/// message naming the address and the target (never a header's value).
pub(super) async fn get(host: &str, port: u16, target: &str, headers: &[(HeaderName, HeaderValue)]) -> Result<Answer, String> {
    let address = format!("{host}:{port}");
    let stream = tokio::net::TcpStream::connect((host, port))
        .await
        .map_err(|e| format!("cannot connect to the agent at {address}: {e}"))?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake::<_, Empty<Bytes>>(TokioIo::new(stream))
        .await
        .map_err(|e| format!("cannot talk HTTP to the agent at {address}: {e}"))?;
    let mut request = Request::get(target)
        .header(header::HOST, &address)
        .header(header::ACCEPT, "application/json")
        .header(header::CONNECTION, "close")
        .body(Empty::new())
        .map_err(|e| format!("cannot build the request GET {target}: {e}"))?;
    for (name, value) in headers {
        request.headers_mut().append(name.clone(), value.clone());
    }
    let exchange = async move {
        let response = sender.send_request(request).await?;
        let status = response.status();
        let version = response
            .headers()
            .get(CONFIGURATION_VERSION)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty());
        let body = Limited::new(response.into_body(), MAX_BODY_BYTES).collect().await?.to_bytes();
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(Answer { status, version, body })
    };
    // Drive the connection and the exchange together on this task, so that dropping this
    // future (the timeout) closes the socket; nothing is left running.
    let mut exchange = pin!(exchange);
    let mut connection = pin!(connection);
    let mut connection_done = false;
    let answer = poll_fn(|cx| {
        if !connection_done {
            if let Poll::Ready(result) = connection.as_mut().poll(cx) {
                connection_done = true;
                if let Err(e) = result {
                    return Poll::Ready(Err(e.into()));
                }
            }
        }
        exchange.as_mut().poll(cx)
    })
    .await;
    answer.map_err(|e| format!("GET {target} from the agent at {address} failed: {e}"))
}
