//! What the CardKit handlers share: the app behind the tenant token, the
//! JSON body and its common fields (`sequence`, `uuid`, JSON strings), the
//! time, and the answer.

use std::time::{Duration, UNIX_EPOCH};

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::error::CardError;
use super::store::{Change, Now, Operation};
use crate::bearer;
use crate::reply::{self, LogId, MAX_BODY};
use crate::request_body;
use crate::state::Shared;

/// The longest `uuid`, in characters.
const UUID_MAX_CHARS: usize = 64;

/// A CardKit request, authenticated and read.
pub(crate) struct CardRequest {
    /// The app of the tenant token.
    pub(crate) app_id: String,
    pub(crate) fields: Map<String, Value>,
    pub(crate) now: Now,
}

impl CardRequest {
    /// Checks the tenant token and reads the JSON body (an empty body is
    /// `{}`, as a `DELETE` may have none).
    pub(crate) async fn read(
        shared: &Shared,
        headers: &HeaderMap,
        body: Body,
    ) -> Result<Self, CardError> {
        let key = bearer::tenant(shared, headers, shared.now())?;
        let bytes = request_body::read(body, MAX_BODY)
            .await
            .map_err(|_| CardError::invalid("body", "could not be read"))?;
        let fields = if bytes.iter().all(u8::is_ascii_whitespace) {
            Map::new()
        } else {
            serde_json::from_slice(&bytes)
                .map_err(|_| CardError::invalid("body", "must be a JSON object"))?
        };
        Ok(Self {
            app_id: key.app_id,
            fields,
            now: now(shared),
        })
    }

    /// A required string field.
    pub(crate) fn text(&self, name: &'static str) -> Result<&str, CardError> {
        self.fields
            .get(name)
            .and_then(Value::as_str)
            .ok_or_else(|| CardError::invalid(name, "required, a string"))
    }

    /// A required string field holding JSON.
    pub(crate) fn json_text(&self, name: &'static str) -> Result<Value, CardError> {
        serde_json::from_str(self.text(name)?)
            .map_err(|_| CardError::invalid(name, "must be a string holding JSON"))
    }

    /// `sequence` and `uuid` around `change`.
    pub(crate) fn operation(&self, change: Change) -> Result<Operation, CardError> {
        let sequence = self
            .fields
            .get("sequence")
            .and_then(Value::as_i64)
            .ok_or_else(|| CardError::invalid("sequence", "required, an integer"))?;
        let uuid = match self.fields.get("uuid") {
            None | Some(Value::Null) => None,
            Some(Value::String(uuid)) if (1..=UUID_MAX_CHARS).contains(&uuid.chars().count()) => {
                Some(uuid.clone())
            }
            Some(_) => {
                return Err(CardError::invalid(
                    "uuid",
                    "must be a string of 1 to 64 characters",
                ));
            }
        };
        Ok(Operation {
            change,
            sequence,
            uuid,
        })
    }
}

/// Runs the change `request` makes on `card_id`; answers `{}`.
pub(crate) async fn operate(
    shared: &Shared,
    headers: &HeaderMap,
    card_id: &str,
    body: Body,
    change: impl FnOnce(&CardRequest) -> Result<Change, CardError>,
) -> Result<Value, CardError> {
    let request = CardRequest::read(shared, headers, body).await?;
    // A card that does not exist is told apart before the body is judged.
    if !shared.cards().contains(card_id) {
        return Err(CardError::NotFound);
    }
    let operation = request.operation(change(&request)?)?;
    shared
        .cards()
        .operate(card_id, &request.app_id, operation, request.now)?;
    Ok(json!({}))
}

/// The mock's clock now.
pub(crate) fn now(shared: &Shared) -> Now {
    let moment = shared.moment();
    Now {
        at: moment.now,
        wall: UNIX_EPOCH + Duration::from_millis(moment.unix_ms),
    }
}

/// `{"code":0,"msg":"success","data":…}`, or the error's envelope.
pub(crate) fn respond(result: Result<Value, CardError>, log_id: &LogId) -> Response {
    match result {
        Ok(data) => reply::json(
            StatusCode::OK,
            &json!({ "code": 0, "msg": "success", "data": data }),
        ),
        Err(e) => e.reply(log_id),
    }
}
