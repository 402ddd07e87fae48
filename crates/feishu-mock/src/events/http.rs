//! A one-shot HTTP/1.1 `POST` over hyper's client connection, on the mock's
//! runtime: one fresh connection per attempt, as a webhook sender would.

use axum::body::{Body, to_bytes};
use axum::http::{Request, Uri, header};
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::task::JoinHandle;

/// A receiver's answer larger than this counts as a failed attempt.
const MAX_ANSWER: usize = 1 << 20;

/// The `Content-Type` of every delivery.
const CONTENT_TYPE: &str = "application/json";

/// Where to connect and what to ask for, from an `http://` URL.
#[derive(Clone, Debug)]
pub(crate) struct Endpoint {
    host: String,
    port: u16,
    /// The `Host` header: the URL's authority as written.
    authority: String,
    path: String,
}

impl Endpoint {
    /// Parses `url`; only `http://` URLs with a host are accepted.
    pub(crate) fn parse(url: &str) -> Result<Endpoint, String> {
        let uri: Uri = url
            .parse()
            .map_err(|e| format!("{url:?} is not a URL: {e}"))?;
        if uri.scheme_str() != Some("http") {
            return Err(format!("{url:?}: events go to http:// URLs only"));
        }
        let authority = uri
            .authority()
            .ok_or_else(|| format!("{url:?} has no host"))?;
        let host = authority.host();
        let host = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host);
        Ok(Endpoint {
            host: host.to_owned(),
            port: authority.port_u16().unwrap_or(80),
            authority: authority.as_str().to_owned(),
            path: uri.path_and_query().map_or("/", |p| p.as_str()).to_owned(),
        })
    }
}

/// Aborts the connection task when the exchange ends or is cancelled (by
/// the delivery timeout), so no socket outlives its attempt.
struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// `POST`s `body` with `headers` (plus `Host`, `Content-Type` and
/// `Content-Length`) and returns the status and the whole answer body; an
/// error says why there is no answer. Must run on a tokio runtime.
pub(crate) async fn post(
    endpoint: &Endpoint,
    headers: &[(&'static str, String)],
    body: Vec<u8>,
) -> Result<(u16, Vec<u8>), String> {
    let tcp = TcpStream::connect((endpoint.host.as_str(), endpoint.port))
        .await
        .map_err(|e| format!("connect: {e}"))?;
    let _ = tcp.set_nodelay(true);
    // Canonical case (`X-Lark-Signature`), as Feishu sends it: receivers
    // built on official SDKs look the signature headers up by exact name.
    let (mut sender, connection) = http1::Builder::new()
        .title_case_headers(true)
        .handshake(TokioIo::new(tcp))
        .await
        .map_err(|e| format!("handshake: {e}"))?;
    let _driver = AbortOnDrop(tokio::spawn(async move {
        let _ = connection.await;
    }));
    let mut request = Request::post(endpoint.path.as_str())
        .header(header::HOST, endpoint.authority.as_str())
        .header(header::CONTENT_TYPE, CONTENT_TYPE)
        .header(header::CONTENT_LENGTH, body.len());
    for (name, value) in headers {
        request = request.header(*name, value.as_str());
    }
    let request = request
        .body(Body::from(body))
        .map_err(|e| format!("request: {e}"))?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| format!("no answer: {e}"))?;
    let status = response.status().as_u16();
    let answer = to_bytes(Body::new(response.into_body()), MAX_ANSWER)
        .await
        .map_err(|e| format!("answer body: {e}"))?;
    Ok((status, answer.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_http_urls_only() {
        let endpoint = Endpoint::parse("http://127.0.0.1:8080/webhook/event?x=1").expect("url");
        assert_eq!(endpoint.host, "127.0.0.1");
        assert_eq!(endpoint.port, 8080);
        assert_eq!(endpoint.authority, "127.0.0.1:8080");
        assert_eq!(endpoint.path, "/webhook/event?x=1");
        let bare = Endpoint::parse("http://[::1]").expect("url");
        assert_eq!((bare.host.as_str(), bare.port), ("::1", 80));
        assert_eq!(bare.path, "/");
        assert!(Endpoint::parse("https://example.com/").is_err());
        assert!(Endpoint::parse("/relative").is_err());
        assert!(Endpoint::parse("not a url").is_err());
    }
}
