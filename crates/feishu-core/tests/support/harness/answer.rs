//! What the server (or the transport) does with one request, and the canned
//! answers: the samples of Feishu's token pages and error codes.

use std::time::SystemTime;

use feishu_core::http;
use feishu_core::{Call, Endpoint, TransportError, TransportErrorKind, codes};
use serde_json::{Value, json};

use super::LOG_ID;

/// One answer, kept as a description so it can be given many times.
#[derive(Clone, Debug)]
pub enum Answer {
    Http {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// The transport failed with this kind.
    Fail(TransportErrorKind),
}

impl Answer {
    /// Adds a response header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        if let Self::Http { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }

    /// Adds `x-ogw-ratelimit-reset: <secs>`.
    pub fn reset(self, secs: u64) -> Self {
        self.header("x-ogw-ratelimit-reset", secs.to_string())
    }

    /// The response, or `None` for a transport failure.
    pub fn response(&self) -> Option<http::Response<Vec<u8>>> {
        let Self::Http {
            status,
            headers,
            body,
        } = self
        else {
            return None;
        };
        let mut builder = http::Response::builder().status(*status);
        for (name, value) in headers {
            builder = builder.header(name, value);
        }
        Some(builder.body(body.clone()).expect("a valid response"))
    }

    /// Hands the answer to the call at `now`.
    pub fn deliver<E: Endpoint>(&self, call: &mut Call<'_, E>, now: SystemTime) {
        match (self, self.response()) {
            (_, Some(response)) => call.on_response(response, now),
            (Self::Fail(kind), None) => call.on_transport_error(
                TransportError::new(*kind, "scripted transport failure"),
                now,
            ),
            (Self::Http { .. }, None) => unreachable!("an HTTP answer has a response"),
        }
    }
}

impl From<http::Response<Vec<u8>>> for Answer {
    fn from(response: http::Response<Vec<u8>>) -> Self {
        let (parts, body) = response.into_parts();
        let headers = parts
            .headers
            .iter()
            .map(|(name, value)| {
                let value = value.to_str().expect("a text header");
                (name.as_str().to_owned(), value.to_owned())
            })
            .collect();
        Self::Http {
            status: parts.status.as_u16(),
            headers,
            body,
        }
    }
}

/// Hands an answer to the call.
pub fn feed<E: Endpoint>(call: &mut Call<'_, E>, answer: Answer, now: SystemTime) {
    answer.deliver(call, now);
}

/// A JSON body under `status`.
pub fn json(status: u16, body: Value) -> Answer {
    Answer::Http {
        status,
        headers: vec![(
            "content-type".to_owned(),
            "application/json; charset=utf-8".to_owned(),
        )],
        body: body.to_string().into_bytes(),
    }
}

/// A JSON answer, with a log id as Feishu sends one.
pub fn json_reply(status: u16, body: Value) -> Answer {
    json(status, body).header("x-tt-logid", LOG_ID)
}

/// The response of [`json_reply`].
pub fn json_response(status: u16, body: Value) -> http::Response<Vec<u8>> {
    json_reply(status, body).response().expect("an HTTP answer")
}

/// `{"code":0,"msg":"success","data":…}`.
pub fn data(data: Value) -> Answer {
    json_reply(200, json!({"code": 0, "msg": "success", "data": data}))
}

/// `{"code":…,"msg":…}` under `status`, with a log id.
pub fn failure(status: u16, code: i64, msg: &str) -> Answer {
    json_reply(status, json!({"code": code, "msg": msg}))
}

/// `{"code":code,"msg":"scripted failure"}` under `status`, no log id.
pub fn code(status: u16, code: i64) -> Answer {
    json(status, json!({"code": code, "msg": "scripted failure"}))
}

/// The invalid tenant token answer: HTTP 400 with its code and Feishu's msg.
pub fn tenant_token_invalid() -> Answer {
    failure(
        400,
        codes::TENANT_ACCESS_TOKEN_INVALID,
        "Invalid access token for authorization. Please make a request with token attached",
    )
}

/// The rate-limit answer of Feishu's rate-limit guide: 429, the gateway's
/// code and `x-ogw-ratelimit-reset`.
pub fn rate_limited(reset: u64) -> Answer {
    json(
        429,
        json!({"code": codes::REQUEST_TRIGGER_FREQUENCY_LIMIT, "msg": "request trigger frequency limit"}),
    )
    .header("x-ogw-ratelimit-limit", "100")
    .reset(reset)
}

/// A gateway's HTML error page.
pub fn html(status: u16) -> Answer {
    Answer::Http {
        status,
        headers: vec![("content-type".to_owned(), "text/html".to_owned())],
        body: format!("<html><body><h1>{status} Error</h1><hr>nginx</body></html>").into_bytes(),
    }
}

/// No body at all.
pub fn empty(status: u16) -> Answer {
    Answer::Http {
        status,
        headers: Vec::new(),
        body: Vec::new(),
    }
}

/// A plain-text body (a wrong path's 404).
pub fn text(status: u16, body: &str) -> Answer {
    Answer::Http {
        status,
        headers: vec![("content-type".to_owned(), "text/plain".to_owned())],
        body: body.as_bytes().to_vec(),
    }
}

/// Success, with a `data` both a raw endpoint and `SendMessage` can read.
pub fn ok() -> Answer {
    json(
        200,
        json!({"code": 0, "msg": "success", "data": {
            "message_id": "om_dc13264520392913993dd051dba21dcf",
            "msg_type": "text",
            "chat_id": super::CHAT_ID,
            "create_time": "1700000000000",
        }}),
    )
}

/// The self-built tenant token answer (`tenant_access_token/internal`).
pub fn tenant_token(token: &str, expire: u64) -> Answer {
    json_reply(
        200,
        json!({"code": 0, "msg": "ok", "tenant_access_token": token, "expire": expire}),
    )
}

/// The self-built app token answer, which carries both tokens.
pub fn app_token_internal(app_token: &str, tenant_token: &str, expire: u64) -> Answer {
    json_reply(
        200,
        json!({"app_access_token": app_token, "code": 0, "expire": expire, "msg": "ok", "tenant_access_token": tenant_token}),
    )
}

/// The marketplace app token answer (`app_access_token`).
pub fn app_token(token: &str, expire: u64) -> Answer {
    json_reply(
        200,
        json!({"code": 0, "msg": "success", "app_access_token": token, "expire": expire}),
    )
}

/// The marketplace tenant token answer (`tenant_access_token`).
pub fn store_tenant_token(token: &str, expire: u64) -> Answer {
    json_reply(
        200,
        json!({"code": 0, "msg": "success", "tenant_access_token": token, "expire": expire}),
    )
}

/// The `app_ticket/resend` answer.
pub fn ticket_resent() -> Answer {
    json_reply(200, json!({"code": 0, "msg": "success"}))
}

/// The flat OAuth token answer.
pub fn user_tokens(access: &str, refresh: &str, expires_in: u64) -> Answer {
    json_reply(200, user_token_body(access, Some(refresh), expires_in))
}

pub fn user_token_body(access: &str, refresh: Option<&str>, expires_in: u64) -> Value {
    let mut body = json!({
        "code": 0,
        "access_token": access,
        "expires_in": expires_in,
        "scope": "auth:user.id:read offline_access task:task:read user_profile",
        "token_type": "Bearer",
    });
    if let Some(refresh) = refresh {
        body["refresh_token"] = json!(refresh);
        body["refresh_token_expires_in"] = json!(604800);
    }
    body
}

/// The transport failed with this kind.
pub fn transport(kind: TransportErrorKind) -> Answer {
    Answer::Fail(kind)
}
