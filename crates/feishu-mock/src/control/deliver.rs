//! The webhook target and event deliveries of the control API.
//!
//! A delivery request answers once the event is delivered or out of
//! retries, with the report: every attempt's status, answer and timing. It
//! runs on the server's runtime while other requests are served, so a bot
//! can call the Open API from inside its webhook handler.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{ControlError, body, respond};
use crate::events::{DeliveryReport, EventSecurity, Job, Tamper, WebhookTarget, check_url};
use crate::state::Shared;

/// A webhook target as JSON: no `encrypt_key` means plain, unsigned bodies.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Webhook {
    url: String,
    verification_token: String,
    #[serde(default)]
    encrypt_key: Option<String>,
}

impl Webhook {
    fn into_target(self) -> Result<WebhookTarget, ControlError> {
        check_url(&self.url).map_err(ControlError::bad_request)?;
        let security = match self.encrypt_key {
            Some(encrypt_key) if !encrypt_key.is_empty() => EventSecurity::Encrypted {
                encrypt_key,
                verification_token: self.verification_token,
            },
            _ => EventSecurity::TokenOnly {
                verification_token: self.verification_token,
            },
        };
        Ok(WebhookTarget {
            url: self.url,
            security,
        })
    }
}

/// [`Tamper`] as JSON: `"none"`, `"body"`, `"unsigned"`,
/// `{"timestamp": -600}` or `{"wrong_key": "…"}`.
#[derive(Deserialize, Default)]
#[serde(rename_all = "snake_case")]
enum TamperJson {
    #[default]
    None,
    Body,
    Unsigned,
    Timestamp(i64),
    WrongKey(String),
}

impl From<TamperJson> for Tamper {
    fn from(tamper: TamperJson) -> Self {
        match tamper {
            TamperJson::None => Tamper::None,
            TamperJson::Body => Tamper::Body,
            TamperJson::Unsigned => Tamper::Unsigned,
            TamperJson::Timestamp(offset) => Tamper::Timestamp(offset),
            TamperJson::WrongKey(key) => Tamper::WrongKey(key),
        }
    }
}

/// `GET /_mock/webhook`: the target's URL and whether bodies are encrypted;
/// the keys stay out of the answer, as secrets stay out of logs.
pub(super) async fn get_webhook(State(shared): State<Arc<Shared>>) -> Response {
    let body = match shared.events.target() {
        None => json!({ "url": null }),
        Some(target) => json!({
            "url": target.url,
            "encrypted": matches!(target.security, EventSecurity::Encrypted { .. }),
        }),
    };
    respond(Ok(body))
}

/// `PUT /_mock/webhook` `{url, verification_token, encrypt_key?}`.
pub(super) async fn put_webhook(State(shared): State<Arc<Shared>>, request: Body) -> Response {
    let result = async {
        let target = body::<Webhook>(request).await?.into_target()?;
        shared.events.set_target(Some(target));
        Ok(json!({}))
    };
    respond(result.await)
}

/// `DELETE /_mock/webhook`: events go nowhere, and `app_ticket/resend` only answers.
pub(super) async fn delete_webhook(State(shared): State<Arc<Shared>>) -> Response {
    shared.events.set_target(None);
    respond(Ok(json!({})))
}

/// `GET /_mock/deliveries`: every finished delivery, background ones
/// (`app_ticket/resend` pushes) included.
pub(super) async fn deliveries(State(shared): State<Arc<Shared>>) -> Response {
    let reports: Vec<Value> = shared.events.deliveries().iter().map(report).collect();
    respond(Ok(json!({ "deliveries": reports })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MessageRequest {
    chat_id: String,
    open_id: String,
    text: String,
    #[serde(default)]
    webhook: Option<Webhook>,
    #[serde(default)]
    tamper: TamperJson,
}

/// `POST /_mock/events/message` `{chat_id, open_id, text}`: stores the
/// user's message and delivers its `im.message.receive_v1` event; the
/// report carries the new `message_id`.
pub(super) async fn message(State(shared): State<Arc<Shared>>, request: Body) -> Response {
    let result = async {
        let request: MessageRequest = body(request).await?;
        let target = target(&shared, request.webhook)?;
        let token = target.security.verification_token().to_owned();
        let event =
            shared.message_event(&request.chat_id, &request.open_id, &request.text, &token)?;
        let message_id = event["event"]["message"]["message_id"].clone();
        let mut answer = deliver(&shared, &target, event, request.tamper.into()).await?;
        answer["message_id"] = message_id;
        Ok(answer)
    };
    respond(result.await)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AppTicketRequest {
    #[serde(default = "marketplace_app")]
    app_id: String,
    #[serde(default)]
    webhook: Option<Webhook>,
    #[serde(default)]
    tamper: TamperJson,
}

fn marketplace_app() -> String {
    crate::MARKETPLACE_APP_ID.to_owned()
}

/// `POST /_mock/events/app_ticket` `{app_id?}`: delivers the marketplace
/// app's current ticket (default: the default marketplace app).
pub(super) async fn app_ticket(State(shared): State<Arc<Shared>>, request: Body) -> Response {
    let result = async {
        let request: AppTicketRequest = body(request).await?;
        let target = target(&shared, request.webhook)?;
        let token = target.security.verification_token().to_owned();
        let event = shared.app_ticket_event(&request.app_id, &token)?;
        deliver(&shared, &target, event, request.tamper.into()).await
    };
    respond(result.await)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventRequest {
    event: Value,
    #[serde(default)]
    webhook: Option<Webhook>,
    #[serde(default)]
    tamper: TamperJson,
}

/// `POST /_mock/events` `{event}`: delivers `event`, a plaintext event
/// (the verification token inside it is the caller's to set), as is.
pub(super) async fn event(State(shared): State<Arc<Shared>>, request: Body) -> Response {
    let result = async {
        let request: EventRequest = body(request).await?;
        if !request.event.is_object() {
            return Err(ControlError::bad_request("event must be a JSON object"));
        }
        let target = target(&shared, request.webhook)?;
        deliver(&shared, &target, request.event, request.tamper.into()).await
    };
    respond(result.await)
}

/// The request's own webhook, else the configured one (409 without either).
fn target(shared: &Shared, webhook: Option<Webhook>) -> Result<WebhookTarget, ControlError> {
    match webhook {
        Some(webhook) => webhook.into_target(),
        None => shared.events.target().ok_or_else(|| {
            ControlError::new(
                StatusCode::CONFLICT,
                "no webhook to deliver to: PUT /_mock/webhook, start with --webhook, \
                 or give \"webhook\" in the request",
            )
        }),
    }
}

async fn deliver(
    shared: &Shared,
    target: &WebhookTarget,
    payload: Value,
    tamper: Tamper,
) -> Result<Value, ControlError> {
    let job = Job::new(target, payload, tamper).map_err(ControlError::bad_request)?;
    // A task of its own, so a caller that hangs up does not cut the delivery
    // short: it finishes and is logged, as one from the Rust API is.
    let delivery = tokio::spawn(Arc::clone(&shared.events).deliver(job));
    let report = delivery.await.map_err(|e| {
        ControlError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the delivery did not finish: {e}"),
        )
    })?;
    Ok(self::report(&report))
}

/// A [`DeliveryReport`] as JSON; bodies as (lossy) UTF-8 text.
fn report(report: &DeliveryReport) -> Value {
    let attempts: Vec<Value> = report
        .attempts
        .iter()
        .map(|attempt| {
            json!({
                "status": attempt.status,
                "body": String::from_utf8_lossy(&attempt.body),
                "elapsed_ms": u64::try_from(attempt.elapsed.as_millis()).unwrap_or(u64::MAX),
                "sent_body": String::from_utf8_lossy(&attempt.sent_body),
                "error": attempt.error,
            })
        })
        .collect();
    json!({
        "delivered": report.delivered,
        "url": report.url,
        "payload": report.payload,
        "attempts": attempts,
    })
}
