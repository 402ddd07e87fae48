//! The component endpoints of a card entity:
//!
//! - `POST /open-apis/cardkit/v1/cards/:card_id/elements`: insert
//!   (<https://open.feishu.cn/document/cardkit-v1/card-element/create>);
//! - `PUT …/elements/:element_id`: replace
//!   (<https://open.feishu.cn/document/cardkit-v1/card-element/update>);
//! - `PATCH …/elements/:element_id`: set some properties
//!   (<https://open.feishu.cn/document/cardkit-v1/card-element/patch>);
//! - `DELETE …/elements/:element_id`
//!   (<https://open.feishu.cn/document/cardkit-v1/card-element/delete>);
//! - `PUT …/elements/:element_id/content`: stream text
//!   (<https://open.feishu.cn/document/cardkit-v1/card-element/content>).

use std::sync::Arc;

use axum::Extension;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::Value;

use super::error::CardError;
use super::request::{operate, respond};
use super::store::Change;
use crate::reply::LogId;
use crate::state::Shared;

pub(crate) async fn create(
    State(shared): State<Arc<Shared>>,
    Extension(log_id): Extension<LogId>,
    Path(card_id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = operate(&shared, &headers, &card_id, body, |request| {
        let Value::Array(elements) = request.json_text("elements")? else {
            return Err(CardError::invalid("elements", "must be a JSON array"));
        };
        let target = match request.fields.get("target_element_id") {
            None | Some(Value::Null) => None,
            Some(Value::String(target)) => Some(target.clone()),
            Some(_) => return Err(CardError::invalid("target_element_id", "must be a string")),
        };
        Ok(Change::Insert {
            kind: request.text("type")?.to_owned(),
            target,
            elements,
        })
    });
    respond(result.await, &log_id)
}

pub(crate) async fn update(
    State(shared): State<Arc<Shared>>,
    Extension(log_id): Extension<LogId>,
    Path((card_id, element_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = operate(&shared, &headers, &card_id, body, |request| {
        Ok(Change::UpdateElement {
            element_id,
            element: request.json_text("element")?,
        })
    });
    respond(result.await, &log_id)
}

pub(crate) async fn patch(
    State(shared): State<Arc<Shared>>,
    Extension(log_id): Extension<LogId>,
    Path((card_id, element_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = operate(&shared, &headers, &card_id, body, |request| {
        let Value::Object(partial) = request.json_text("partial_element")? else {
            return Err(CardError::invalid(
                "partial_element",
                "must be a JSON object",
            ));
        };
        Ok(Change::PatchElement {
            element_id,
            partial,
        })
    });
    respond(result.await, &log_id)
}

pub(crate) async fn delete(
    State(shared): State<Arc<Shared>>,
    Extension(log_id): Extension<LogId>,
    Path((card_id, element_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = operate(&shared, &headers, &card_id, body, |_| {
        Ok(Change::DeleteElement { element_id })
    });
    respond(result.await, &log_id)
}

pub(crate) async fn content(
    State(shared): State<Arc<Shared>>,
    Extension(log_id): Extension<LogId>,
    Path((card_id, element_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = operate(&shared, &headers, &card_id, body, |request| {
        Ok(Change::Content {
            element_id,
            content: request.text("content")?.to_owned(),
        })
    });
    respond(result.await, &log_id)
}
