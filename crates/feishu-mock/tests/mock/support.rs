//! A tiny blocking HTTP client for the tests.

use std::time::Duration;

use feishu_mock::MockServer;
use serde_json::Value;

pub const TENANT_INTERNAL: &str = "/open-apis/auth/v3/tenant_access_token/internal";
pub const APP_INTERNAL: &str = "/open-apis/auth/v3/app_access_token/internal";
pub const APP_TOKEN: &str = "/open-apis/auth/v3/app_access_token";
pub const TENANT_TOKEN: &str = "/open-apis/auth/v3/tenant_access_token";
pub const TICKET_RESEND: &str = "/open-apis/auth/v3/app_ticket/resend";
pub const CHATS: &str = "/open-apis/im/v1/chats";
pub const OAUTH_TOKEN: &str = "/open-apis/authen/v2/oauth/token";
pub const USER_INFO: &str = "/open-apis/authen/v1/user_info";
pub const MESSAGES: &str = "/open-apis/im/v1/messages";
pub const IMAGES: &str = "/open-apis/im/v1/images";
pub const FILES: &str = "/open-apis/im/v1/files";

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: ureq::http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.body))
    }

    pub fn log_id(&self) -> &str {
        self.header("x-tt-logid").expect("X-Tt-Logid header")
    }

    /// `code`, after checking the JSON content type.
    pub fn code(&self) -> i64 {
        assert_eq!(
            self.header("content-type"),
            Some("application/json; charset=utf-8")
        );
        self.json()["code"].as_i64().expect("integer code")
    }

    /// Asserts a Feishu error envelope with `status` and `code`, whose
    /// `error.log_id` matches the header.
    pub fn assert_error(&self, status: u16, code: i64) {
        assert_eq!(self.status, status, "{self:?}");
        assert_eq!(self.code(), code, "{self:?}");
        assert_eq!(self.json()["error"]["log_id"], self.log_id(), "{self:?}");
    }
}

/// An agent that returns 4xx/5xx as responses and keeps connections alive.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(5)))
        .build()
        .new_agent()
}

pub fn post(server: &MockServer, path: &str, body: &str) -> Reply {
    post_with(&agent(), server, path, body)
}

pub fn post_with(agent: &ureq::Agent, server: &MockServer, path: &str, body: &str) -> Reply {
    let response = agent
        .post(format!("{}{path}", server.url()))
        .header("content-type", "application/json; charset=utf-8")
        .send(body)
        .expect("POST");
    read(response)
}

/// `POST`s `body` with `Authorization: Bearer <bearer>` when given.
pub fn post_bearer(server: &MockServer, path: &str, bearer: Option<&str>, body: &str) -> Reply {
    let mut request = agent()
        .post(format!("{}{path}", server.url()))
        .header("content-type", "application/json; charset=utf-8");
    if let Some(token) = bearer {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    read(request.send(body).expect("POST"))
}

/// Sends `body` as a message to a `receive_id_type`, with a tenant token.
pub fn send_message(
    server: &MockServer,
    token: &str,
    receive_id_type: &str,
    body: &Value,
) -> Reply {
    let path = format!("{MESSAGES}?receive_id_type={receive_id_type}");
    post_bearer(server, &path, Some(token), &body.to_string())
}

/// A text message body for `send_message`.
pub fn text_message(receive_id: &str, text: &str, uuid: Option<&str>) -> Value {
    let mut body = serde_json::json!({
        "receive_id": receive_id,
        "msg_type": "text",
        "content": serde_json::json!({ "text": text }).to_string(),
    });
    if let Some(uuid) = uuid {
        body["uuid"] = uuid.into();
    }
    body
}

pub fn get(server: &MockServer, path: &str, bearer: Option<&str>) -> Reply {
    get_with(&agent(), server, path, bearer)
}

pub fn get_with(
    agent: &ureq::Agent,
    server: &MockServer,
    path: &str,
    bearer: Option<&str>,
) -> Reply {
    let mut request = agent.get(format!("{}{path}", server.url()));
    if let Some(token) = bearer {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    read(request.call().expect("GET"))
}

pub fn read(mut response: ureq::http::Response<ureq::Body>) -> Reply {
    let body = response.body_mut().read_to_string().expect("body");
    Reply {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body,
    }
}

/// A response whose body is kept as bytes (downloads).
#[derive(Debug)]
pub struct BinaryReply {
    pub status: u16,
    pub headers: ureq::http::HeaderMap,
    pub bytes: Vec<u8>,
}

impl BinaryReply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as an error reply, for a download that failed.
    pub fn into_reply(self) -> Reply {
        Reply {
            status: self.status,
            headers: self.headers,
            body: String::from_utf8(self.bytes).expect("UTF-8 error body"),
        }
    }
}

/// A request with any method, `Authorization: Bearer <token>` and an
/// optional JSON body.
pub fn call(
    server: &MockServer,
    method: &str,
    path: &str,
    token: &str,
    body: Option<&Value>,
) -> Reply {
    let request = ureq::http::Request::builder()
        .method(method)
        .uri(format!("{}{path}", server.url()))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json; charset=utf-8")
        .body(body.map(Value::to_string).unwrap_or_default())
        .expect("request");
    read(agent().run(request).expect(method))
}

/// `GET`s `path` and keeps the body as bytes (up to 64 MiB).
pub fn download(server: &MockServer, path: &str, token: &str) -> BinaryReply {
    let mut response = agent()
        .get(format!("{}{path}", server.url()))
        .header("authorization", format!("Bearer {token}"))
        .call()
        .expect("GET");
    let bytes = response
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_vec()
        .expect("body");
    BinaryReply {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        bytes,
    }
}

/// A `multipart/form-data` body: text `fields` first, then the file part
/// `(name, filename, content type, bytes)` if any. Returns the content type
/// (with its boundary) and the body.
pub fn multipart(
    fields: &[(&str, &str)],
    file: Option<(&str, &str, &str, &[u8])>,
) -> (String, Vec<u8>) {
    const BOUNDARY: &str = "----feishu-mock-test-7d8a6e6df762";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((name, filename, content_type, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

/// `POST`s a raw body with a content type and a tenant token.
pub fn post_raw(
    server: &MockServer,
    path: &str,
    token: &str,
    content_type: &str,
    body: &[u8],
) -> Reply {
    let response = agent()
        .post(format!("{}{path}", server.url()))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", content_type)
        .send(body)
        .expect("POST");
    read(response)
}

/// Sends a text message to a chat and returns its `data`.
pub fn send_text(server: &MockServer, token: &str, chat_id: &str, text: &str) -> Value {
    let reply = send_message(server, token, "chat_id", &text_message(chat_id, text, None));
    assert_eq!(reply.code(), 0, "{reply:?}");
    reply.json()["data"].clone()
}

/// The `message_id` of a message object.
pub fn id_of(message: &Value) -> String {
    message["message_id"]
        .as_str()
        .expect("message_id")
        .to_owned()
}

/// A tenant token for the default self-built app.
pub fn self_built_token(server: &MockServer) -> String {
    let body = format!(
        r#"{{"app_id":"{}","app_secret":"{}"}}"#,
        feishu_mock::SELF_BUILT_APP_ID,
        feishu_mock::SELF_BUILT_APP_SECRET
    );
    let reply = post(server, TENANT_INTERNAL, &body);
    assert_eq!(reply.code(), 0, "{reply:?}");
    reply.json()["tenant_access_token"]
        .as_str()
        .expect("token")
        .to_owned()
}

/// An app access token for the default marketplace app.
pub fn marketplace_app_token(server: &MockServer) -> String {
    let body = format!(
        r#"{{"app_id":"{}","app_secret":"{}","app_ticket":"{}"}}"#,
        feishu_mock::MARKETPLACE_APP_ID,
        feishu_mock::MARKETPLACE_APP_SECRET,
        feishu_mock::MARKETPLACE_APP_TICKET
    );
    let reply = post(server, APP_TOKEN, &body);
    assert_eq!(reply.code(), 0, "{reply:?}");
    reply.json()["app_access_token"]
        .as_str()
        .expect("token")
        .to_owned()
}

/// `POST`s `body` to the OAuth token endpoint.
pub fn oauth(server: &MockServer, body: &Value) -> Reply {
    post(server, OAUTH_TOKEN, &body.to_string())
}

/// A code exchange request for the default self-built app.
pub fn code_exchange(code: &str) -> Value {
    serde_json::json!({
        "grant_type": "authorization_code",
        "client_id": feishu_mock::SELF_BUILT_APP_ID,
        "client_secret": feishu_mock::SELF_BUILT_APP_SECRET,
        "code": code,
    })
}

/// A refresh request for the default self-built app.
pub fn refresh(refresh_token: &str) -> Value {
    serde_json::json!({
        "grant_type": "refresh_token",
        "client_id": feishu_mock::SELF_BUILT_APP_ID,
        "client_secret": feishu_mock::SELF_BUILT_APP_SECRET,
        "refresh_token": refresh_token,
    })
}

/// `(access_token, refresh_token)` from a successful OAuth reply.
pub fn user_tokens(reply: &Reply) -> (String, String) {
    assert_eq!(reply.code(), 0, "{reply:?}");
    let body = reply.json();
    let field = |name: &str| body[name].as_str().expect(name).to_owned();
    (field("access_token"), field("refresh_token"))
}

/// A user token pair for `MOCK_USER_OPEN_ID` of the default self-built app.
pub fn authorized_user(server: &MockServer) -> (String, String) {
    let code = server.authorize(
        feishu_mock::SELF_BUILT_APP_ID,
        feishu_mock::MOCK_USER_OPEN_ID,
    );
    user_tokens(&oauth(server, &code_exchange(&code)))
}
