//! `POST /open-apis/interactive/v1/card/update`
//!
//! Replaces the card of a card action's message with its card-update token
//! (30 minutes, two uses, a card of at most 30 KB).
//! Docs: <https://open.feishu.cn/document/ukTMukTMukTM/uMDO1YjLzgTN24yM4UjN>

use std::sync::Arc;

use axum::Extension;
use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{Value, json};

use super::error::CardError;
use super::request::{CardRequest, respond};
use super::tree::MAX_CARD_BYTES;
use crate::reply::LogId;
use crate::state::Shared;

pub(crate) async fn delay_update(
    State(shared): State<Arc<Shared>>,
    Extension(log_id): Extension<LogId>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = async {
        let request = CardRequest::read(&shared, &headers, body).await?;
        let token = request.text("token")?.to_owned();
        let card = match request.fields.get("card") {
            Some(card @ Value::Object(_)) => card.clone(),
            _ => return Err(CardError::invalid("card", "required, a card object")),
        };
        if card.to_string().len() > MAX_CARD_BYTES {
            return Err(CardError::TooLarge);
        }
        let message_id = shared.cards().spend_token(&token, request.now)?;
        shared
            .show_card(&message_id, card, "card.delay_update")
            .map_err(|e| CardError::invalid("token", e.to_string()))?;
        Ok(json!({}))
    };
    respond(result.await, &log_id)
}
