//! A request the call sent, taken apart for assertions.

use std::time::Duration;

use feishu_core::Timeout;
use feishu_core::http::{self, Method};
use serde_json::Value;

/// A request the call sent.
#[derive(Clone, Debug)]
pub struct Sent {
    pub method: Method,
    /// The whole URI, query included.
    pub uri: String,
    /// The URI's path.
    pub path: String,
    pub authorization: Option<String>,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    pub timeout: Option<Duration>,
    /// The `Debug` form of the `Step::Send` that carried it.
    pub debug: String,
}

impl Sent {
    pub fn new(request: &http::Request<Vec<u8>>, debug: String) -> Self {
        let header = |name| {
            request
                .headers()
                .get(name)
                .map(|value| value.to_str().expect("a text header").to_owned())
        };
        Self {
            method: request.method().clone(),
            uri: request.uri().to_string(),
            path: request.uri().path().to_owned(),
            authorization: header("authorization"),
            content_type: header("content-type"),
            body: request.body().clone(),
            timeout: request.extensions().get::<Timeout>().map(|t| t.0),
            debug,
        }
    }

    /// The token of `Authorization: Bearer <token>`.
    pub fn bearer(&self) -> Option<&str> {
        self.authorization.as_deref()?.strip_prefix("Bearer ")
    }

    /// The JSON body, or `Null` when there is none.
    pub fn json(&self) -> Value {
        if self.body.is_empty() {
            return Value::Null;
        }
        serde_json::from_slice(&self.body).expect("a JSON request body")
    }

    /// The body's `uuid`, if it has one.
    pub fn uuid(&self) -> Option<String> {
        self.json()
            .get("uuid")
            .map(|uuid| uuid.as_str().expect("the uuid is a JSON string").to_owned())
    }

    /// The same request on the wire: method, URI, token and body bytes (the
    /// timeout shrinks with the deadline, so it is not compared).
    pub fn same_request(&self, other: &Sent) -> bool {
        (&self.method, &self.uri, &self.authorization, &self.body)
            == (&other.method, &other.uri, &other.authorization, &other.body)
    }
}

/// The paths of the requests, in order.
pub fn paths(sent: &[Sent]) -> Vec<&str> {
    sent.iter().map(|s| s.path.as_str()).collect()
}

/// The bearer tokens of the requests to `path`, in order.
pub fn bearers<'a>(sent: &'a [Sent], path: &str) -> Vec<&'a str> {
    sent.iter()
        .filter(|s| s.path == path)
        .map(|s| s.bearer().expect("a bearer token"))
        .collect()
}

/// How many requests went to `path`.
pub fn count(sent: &[Sent], path: &str) -> usize {
    sent.iter().filter(|s| s.path == path).count()
}
