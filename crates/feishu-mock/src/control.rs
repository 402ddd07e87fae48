//! The control API: everything [`MockServer`](crate::MockServer)'s methods
//! do, as JSON over HTTP under `/_mock/`, so a bot written in any language
//! can be tested against the `feishu-mock` binary.
//!
//! Requests and answers are JSON objects (an empty body counts as `{}`).
//! Errors are 4xx with `{"error": "<kind>", "message": "<what is wrong>"}`:
//! `bad_request` (400), `not_found` (404), `method_not_allowed` (405),
//! `conflict` (409: no webhook to deliver to) and `payload_too_large` (413);
//! `internal` (500) would be a bug of the mock.
//! These paths are not counted in hits and take no faults. The routes, with
//! curl examples, are in the crate's README.
//!
//! | Route | Does |
//! |---|---|
//! | `GET /_mock` | the apps and this table's routes |
//! | `GET`, `PUT`, `DELETE /_mock/webhook` | the event target |
//! | `POST /_mock/events/message` | a user's message as `im.message.receive_v1`, delivered |
//! | `POST /_mock/events/app_ticket` | an `app_ticket` push, delivered |
//! | `POST /_mock/events` | any event JSON, delivered |
//! | `GET /_mock/deliveries` | every finished delivery |
//! | `GET`, `POST /_mock/chats` | group chats |
//! | `POST /_mock/chats/{chat_id}/members` | add members |
//! | `POST /_mock/chats/{chat_id}/messages` | a user posts (no event) |
//! | `GET`, `POST /_mock/users` | users |
//! | `GET /_mock/messages` | stored messages |
//! | `POST /_mock/messages/{message_id}/read` | a read receipt |
//! | `GET /_mock/uploads` | stored uploads |
//! | `POST /_mock/faults` | queue a fault for a path |
//! | `GET`, `DELETE /_mock/hits` | hit counts, and their reset |
//! | `POST /_mock/oauth/authorize` | an OAuth code, as a user's consent |
//! | `POST /_mock/tokens/revoke` | revoke every access token |
//! | `GET /_mock/tokens/issued` | tokens issued per kind |
//! | `POST /_mock/app_ticket/rotate` | a new `app_ticket` |

mod deliver;
mod faults;
mod world;

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::actions::ActionError;
use crate::reply::{self, MAX_BODY};
use crate::request_body::{self, BodyError};
use crate::state::Shared;

/// Every control path starts with this.
pub(crate) const PREFIX: &str = "/_mock";

/// The routes, as `GET /_mock` lists them.
const ROUTES: [&str; 24] = [
    "GET /_mock",
    "GET /_mock/webhook",
    "PUT /_mock/webhook",
    "DELETE /_mock/webhook",
    "POST /_mock/events/message",
    "POST /_mock/events/app_ticket",
    "POST /_mock/events",
    "GET /_mock/deliveries",
    "GET /_mock/chats",
    "POST /_mock/chats",
    "POST /_mock/chats/{chat_id}/members",
    "POST /_mock/chats/{chat_id}/messages",
    "GET /_mock/users",
    "POST /_mock/users",
    "GET /_mock/messages",
    "POST /_mock/messages/{message_id}/read",
    "GET /_mock/uploads",
    "POST /_mock/faults",
    "GET /_mock/hits",
    "DELETE /_mock/hits",
    "POST /_mock/oauth/authorize",
    "POST /_mock/tokens/revoke",
    "GET /_mock/tokens/issued",
    "POST /_mock/app_ticket/rotate",
];

/// Whether `path` belongs to the control API.
pub(crate) fn is_control_path(path: &str) -> bool {
    path == PREFIX || path.starts_with("/_mock/")
}

/// The control routes; a wrong method gets a JSON 405.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(PREFIX, get(world::index))
        .route(
            "/_mock/webhook",
            get(deliver::get_webhook)
                .put(deliver::put_webhook)
                .delete(deliver::delete_webhook),
        )
        .route("/_mock/events/message", post(deliver::message))
        .route("/_mock/events/app_ticket", post(deliver::app_ticket))
        .route("/_mock/events", post(deliver::event))
        .route("/_mock/deliveries", get(deliver::deliveries))
        .route("/_mock/chats", get(world::chats).post(world::add_chat))
        .route("/_mock/chats/{chat_id}/members", post(world::add_members))
        .route("/_mock/chats/{chat_id}/messages", post(world::post_message))
        .route("/_mock/users", get(world::users).post(world::add_user))
        .route("/_mock/messages", get(world::messages))
        .route("/_mock/messages/{message_id}/read", post(world::mark_read))
        .route("/_mock/uploads", get(world::uploads))
        .route("/_mock/faults", post(faults::inject))
        .route("/_mock/hits", get(world::hits).delete(world::reset_hits))
        .route("/_mock/oauth/authorize", post(world::authorize))
        .route("/_mock/tokens/revoke", post(world::revoke_tokens))
        .route("/_mock/tokens/issued", get(world::tokens_issued))
        .route("/_mock/app_ticket/rotate", post(world::rotate_app_ticket))
        .method_not_allowed_fallback(method_not_allowed)
}

/// The answer for a control path that does not exist.
pub(crate) async fn not_found() -> Response {
    ControlError::new(
        StatusCode::NOT_FOUND,
        "no such control route; GET /_mock lists them",
    )
    .reply()
}

async fn method_not_allowed() -> Response {
    ControlError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "this control route does not take that method; GET /_mock lists them",
    )
    .reply()
}

/// A refused control request: a 4xx and a message for the test's author.
#[derive(Debug)]
pub(crate) struct ControlError {
    status: StatusCode,
    message: String,
}

impl ControlError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub(crate) fn reply(&self) -> Response {
        let kind = match self.status {
            StatusCode::NOT_FOUND => "not_found",
            StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
            StatusCode::CONFLICT => "conflict",
            StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
            StatusCode::INTERNAL_SERVER_ERROR => "internal",
            _ => "bad_request",
        };
        reply::json(
            self.status,
            &json!({ "error": kind, "message": self.message }),
        )
    }
}

impl From<ActionError> for ControlError {
    fn from(e: ActionError) -> Self {
        let status = match e {
            ActionError::Invalid(_) => StatusCode::BAD_REQUEST,
            ActionError::NotFound(_) => StatusCode::NOT_FOUND,
        };
        ControlError::new(status, e.to_string())
    }
}

/// `200` with `body`, or the error.
pub(crate) fn respond(result: Result<Value, ControlError>) -> Response {
    match result {
        Ok(body) => reply::json(StatusCode::OK, &body),
        Err(e) => e.reply(),
    }
}

/// The request body as `T`; an empty body is read as `{}`. serde's message
/// names the field that is missing, unknown or of the wrong type.
pub(crate) async fn body<T: DeserializeOwned>(body: Body) -> Result<T, ControlError> {
    let bytes = match request_body::read(body, MAX_BODY).await {
        Ok(bytes) => bytes,
        Err(BodyError::TooLarge) => {
            return Err(ControlError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the body is over {MAX_BODY} bytes"),
            ));
        }
        Err(BodyError::Broken) => return Err(ControlError::bad_request("the body broke off")),
    };
    let json: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        &bytes
    };
    serde_json::from_slice(json)
        .map_err(|e| ControlError::bad_request(format!("the body is not the JSON expected: {e}")))
}
