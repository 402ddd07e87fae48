//! The control routes of CardKit: the cards with their history, and card
//! action events to deliver with `POST /_mock/events`.

use std::sync::Arc;
use std::time::UNIX_EPOCH;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::record::{CardWrite, StoredCard};
use crate::control::{ControlError, body, respond};
use crate::state::Shared;

fn write_json(write: &CardWrite) -> Value {
    let at_ms = write
        .at
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    json!({
        "operation": write.operation,
        "at_ms": u64::try_from(at_ms).unwrap_or(u64::MAX),
        "sequence": write.sequence,
        "uuid": write.uuid,
        "element_id": write.element_id,
        "content": write.content,
        "code": write.code,
        "replay": write.replay,
        "extends": write.extends,
    })
}

fn card_json(card: &StoredCard) -> Value {
    json!({
        "card_id": card.card_id,
        "app_id": card.app_id,
        "card": card.card,
        "sequence": card.sequence,
        "streaming": card.streaming,
        "message_id": card.message_id,
        "writes": card.writes.iter().map(write_json).collect::<Vec<_>>(),
    })
}

/// `GET /_mock/cards`: every card entity, oldest first.
pub(crate) async fn cards(State(shared): State<Arc<Shared>>) -> Response {
    let cards: Vec<Value> = shared.cards().cards().iter().map(card_json).collect();
    respond(Ok(json!({ "cards": cards })))
}

/// `GET /_mock/cards/{card_id}`: one card, its JSON now and its writes.
pub(crate) async fn card(
    State(shared): State<Arc<Shared>>,
    Path(card_id): Path<String>,
) -> Response {
    let card = shared.cards().card(&card_id);
    respond(
        card.as_ref()
            .map(card_json)
            .ok_or_else(|| ControlError::new(StatusCode::NOT_FOUND, format!("no card {card_id}"))),
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionRequest {
    message_id: String,
    open_id: String,
    #[serde(default)]
    value: Value,
    verification_token: String,
}

/// `POST /_mock/cards/action_event` `{message_id, open_id, value?,
/// verification_token}`: a `card.action.trigger` event to deliver with
/// `POST /_mock/events` (its `event.token` is a fresh card-update token).
pub(crate) async fn action_event(State(shared): State<Arc<Shared>>, request: Body) -> Response {
    let result = async {
        let request: ActionRequest = body(request).await?;
        let event = shared.card_action_event(
            &request.message_id,
            &request.open_id,
            &request.value,
            &request.verification_token,
        )?;
        Ok(json!({ "event": event }))
    };
    respond(result.await)
}
