//! Servers: anything that answers a [`Sent`] request with an [`Answer`]. A
//! closure routes by path; a [`Script`] expects an exact sequence of requests
//! and fails the test on any other.

use std::collections::VecDeque;
use std::thread;

use feishu_core::http::Method;
use serde_json::{Value, json};

use super::{APP_ID, APP_SECRET, Answer, CHATS, Sent, TENANT_TOKEN_INTERNAL};

/// Answers the requests of a call.
pub trait Server {
    fn answer(&mut self, request: &Sent) -> Answer;
}

impl<F: FnMut(&Sent) -> Answer> Server for F {
    fn answer(&mut self, request: &Sent) -> Answer {
        self(request)
    }
}

/// What a scripted request must look like.
pub struct Expect {
    method: Method,
    path: &'static str,
    /// `None`: no `Authorization` header at all.
    bearer: Option<String>,
    /// The exact JSON body, sent as `application/json; charset=utf-8`.
    body: Option<Value>,
}

impl Expect {
    /// A GET without `Authorization`.
    pub fn get(path: &'static str) -> Self {
        Self {
            method: Method::GET,
            path,
            bearer: None,
            body: None,
        }
    }

    /// A token endpoint's request: POST, a JSON body, no `Authorization`.
    pub fn token_request(path: &'static str, body: Value) -> Self {
        Self {
            method: Method::POST,
            body: Some(body),
            ..Self::get(path)
        }
    }

    /// An API request: GET, with `Authorization: Bearer <token>`.
    pub fn api(path: &'static str, token: &str) -> Self {
        Self {
            bearer: Some(token.to_owned()),
            ..Self::get(path)
        }
    }

    fn check(&self, n: usize, sent: &Sent) {
        assert_eq!(
            (&sent.method, sent.path.as_str()),
            (&self.method, self.path),
            "request #{n}: {sent:#?}"
        );
        let expected = self.bearer.as_ref().map(|token| format!("Bearer {token}"));
        assert_eq!(
            sent.authorization, expected,
            "request #{n} to {}: Authorization",
            sent.path
        );
        if let Some(body) = &self.body {
            assert_eq!(&sent.json(), body, "request #{n} to {}: body", sent.path);
            assert_eq!(
                sent.content_type.as_deref(),
                Some("application/json; charset=utf-8"),
                "request #{n} to {}: Content-Type",
                sent.path
            );
        }
    }
}

/// `POST …/tenant_access_token/internal` with the app's credentials.
pub fn tenant_token_request() -> Expect {
    Expect::token_request(TENANT_TOKEN_INTERNAL, app_credentials())
}

/// `GET /open-apis/im/v1/chats` with this tenant token.
pub fn chats_with(token: &str) -> Expect {
    Expect::api(CHATS, token)
}

/// `{"app_id": …, "app_secret": …}`.
pub fn app_credentials() -> Value {
    json!({"app_id": APP_ID, "app_secret": APP_SECRET})
}

/// A server that expects exactly these requests, in this order, and answers
/// each with its answer. Dropping it checks that every request came.
pub struct Script {
    steps: VecDeque<(Expect, Answer)>,
    n: usize,
}

pub fn script(steps: impl IntoIterator<Item = (Expect, Answer)>) -> Script {
    Script {
        steps: steps.into_iter().collect(),
        n: 0,
    }
}

impl Server for Script {
    fn answer(&mut self, request: &Sent) -> Answer {
        self.n += 1;
        let Some((expect, answer)) = self.steps.pop_front() else {
            panic!("request #{} was not in the script: {request:#?}", self.n);
        };
        expect.check(self.n, request);
        answer
    }
}

impl Drop for Script {
    fn drop(&mut self) {
        if !thread::panicking() {
            let missing: Vec<_> = self.steps.iter().map(|(e, _)| e.path).collect();
            assert!(missing.is_empty(), "the call never sent {missing:?}");
        }
    }
}
