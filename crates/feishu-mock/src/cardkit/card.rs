//! The card entity endpoints:
//!
//! - `POST /open-apis/cardkit/v1/cards`: create
//!   (<https://open.feishu.cn/document/cardkit-v1/card/create>);
//! - `PUT /open-apis/cardkit/v1/cards/:card_id`: replace
//!   (<https://open.feishu.cn/document/cardkit-v1/card/update>);
//! - `PATCH /open-apis/cardkit/v1/cards/:card_id/settings`
//!   (<https://open.feishu.cn/document/cardkit-v1/card/settings>);
//! - `POST /open-apis/cardkit/v1/cards/:card_id/batch_update`
//!   (<https://open.feishu.cn/document/cardkit-v1/card/batch_update>);
//! - `POST /open-apis/cardkit/v1/cards/id_convert`: the card of a message
//!   (<https://open.feishu.cn/document/cardkit-v1/card/id_convert>).

use std::sync::Arc;

use axum::Extension;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{Value, json};

use super::error::CardError;
use super::request::{CardRequest, operate, respond};
use super::store::Change;
use crate::reply::LogId;
use crate::state::Shared;

/// The card JSON of a `{type: "card_json", data}` pair. The mock renders
/// no templates: `type: "template"` is refused.
fn card_json(pair: &Value) -> Result<Value, CardError> {
    match pair["type"].as_str() {
        Some("card_json") => {}
        Some("template") => {
            return Err(CardError::invalid("type", "the mock takes card_json only"));
        }
        _ => return Err(CardError::invalid("type", "must be card_json or template")),
    }
    let data = pair["data"].as_str().ok_or(CardError::invalid(
        "data",
        "required, a string of card JSON",
    ))?;
    if data.trim().is_empty() {
        return Err(CardError::Empty);
    }
    serde_json::from_str(data).map_err(|_| CardError::invalid("data", "must be card JSON"))
}

/// A fresh 19-digit card id, like `7355372766134157313`.
fn card_id(shared: &Shared) -> String {
    let token = shared.ids.token("");
    let n = u64::from_str_radix(token.get(..16).unwrap_or("0"), 16).unwrap_or(0);
    format!("7{:018}", n % 1_000_000_000_000_000_000)
}

pub(crate) async fn create(
    State(shared): State<Arc<Shared>>,
    Extension(log_id): Extension<LogId>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = async {
        let request = CardRequest::read(&shared, &headers, body).await?;
        let card = card_json(&Value::Object(request.fields.clone()))?;
        let mut cards = shared.cards();
        let mut id = card_id(&shared);
        while cards.contains(&id) {
            id = card_id(&shared);
        }
        cards.create(id.clone(), &request.app_id, card, request.now)?;
        Ok(json!({ "card_id": id }))
    };
    respond(result.await, &log_id)
}

pub(crate) async fn update(
    State(shared): State<Arc<Shared>>,
    Extension(log_id): Extension<LogId>,
    Path(card_id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = operate(&shared, &headers, &card_id, body, |request| {
        let pair = request
            .fields
            .get("card")
            .ok_or(CardError::invalid("card", "required"))?;
        Ok(Change::Replace(card_json(pair)?))
    });
    respond(result.await, &log_id)
}

pub(crate) async fn settings(
    State(shared): State<Arc<Shared>>,
    Extension(log_id): Extension<LogId>,
    Path(card_id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = operate(&shared, &headers, &card_id, body, |request| {
        Ok(Change::Settings(request.json_text("settings")?))
    });
    respond(result.await, &log_id)
}

pub(crate) async fn batch_update(
    State(shared): State<Arc<Shared>>,
    Extension(log_id): Extension<LogId>,
    Path(card_id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = operate(&shared, &headers, &card_id, body, |request| {
        match request.json_text("actions")? {
            Value::Array(actions) if !actions.is_empty() => Ok(Change::Batch(actions)),
            _ => Err(CardError::invalid(
                "actions",
                "must be a non-empty JSON array",
            )),
        }
    });
    respond(result.await, &log_id)
}

pub(crate) async fn id_convert(
    State(shared): State<Arc<Shared>>,
    Extension(log_id): Extension<LogId>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = async {
        let request = CardRequest::read(&shared, &headers, body).await?;
        let message_id = request.text("message_id")?;
        let cards = shared.cards();
        let card_id = cards.card_of(message_id).ok_or(CardError::NotFound)?;
        Ok(json!({ "card_id": card_id }))
    };
    respond(result.await, &log_id)
}
