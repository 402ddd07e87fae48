//! The CardKit error codes the mock answers with (HTTP 400 but for the
//! rate limit), from the error tables of the CardKit API pages.

use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::json;

use crate::bearer::TenantAuthError;
use crate::reply::{self, LogId};

/// A CardKit request Feishu would refuse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum CardError {
    /// 99991661 / 99991663 / 99991677: no usable tenant access token.
    Auth(TenantAuthError),
    /// 10002: `field` is missing or wrong.
    Invalid {
        field: &'static str,
        description: String,
    },
    /// 200740: no such card entity.
    NotFound,
    /// 200750: the entity is over 14 days old.
    Expired,
    /// 200770: the `uuid` was used for another operation.
    UuidConflict,
    /// 200850: streaming ran for ten minutes and ended itself.
    StreamingTimeout,
    /// 200860: the card is over 30 KB.
    TooLarge,
    /// 300301: two components share an `element_id`.
    DuplicateElementId(String),
    /// 300302: `update_multi` is `false`.
    NotShared,
    /// 300303: not Card JSON 2.0.
    NotSchema2,
    /// 300305: more than 200 components.
    TooManyElements,
    /// 300307: the card JSON is empty.
    Empty,
    /// 300309: streaming mode is off.
    StreamingClosed,
    /// 300310: content writes take `markdown` and `plain_text` only.
    NotText(String),
    /// 300311: another app's card.
    NotOwner,
    /// 300312: an update tried to change a component's `tag`.
    TagChanged,
    /// 300313: no component with that `element_id`.
    NoSuchElement(String),
    /// 300317: the `sequence` is not above the card's last one.
    SequenceNotIncreasing,
    /// 99991400: the card's eleventh operation within a second.
    RateLimited,
}

impl From<TenantAuthError> for CardError {
    fn from(e: TenantAuthError) -> Self {
        CardError::Auth(e)
    }
}

impl CardError {
    pub(crate) fn invalid(field: &'static str, description: impl Into<String>) -> Self {
        CardError::Invalid {
            field,
            description: description.into(),
        }
    }

    /// Feishu's code for it.
    pub(crate) fn code(&self) -> u32 {
        match self {
            CardError::Auth(TenantAuthError::Missing) => 99991661,
            CardError::Auth(TenantAuthError::Invalid) => 99991663,
            CardError::Auth(TenantAuthError::Expired) => 99991677,
            CardError::Invalid { .. } => 10002,
            CardError::NotFound => 200740,
            CardError::Expired => 200750,
            CardError::UuidConflict => 200770,
            CardError::StreamingTimeout => 200850,
            CardError::TooLarge => 200860,
            CardError::DuplicateElementId(_) => 300301,
            CardError::NotShared => 300302,
            CardError::NotSchema2 => 300303,
            CardError::TooManyElements => 300305,
            CardError::Empty => 300307,
            CardError::StreamingClosed => 300309,
            CardError::NotText(_) => 300310,
            CardError::NotOwner => 300311,
            CardError::TagChanged => 300312,
            CardError::NoSuchElement(_) => 300313,
            CardError::SequenceNotIncreasing => 300317,
            CardError::RateLimited => 99991400,
        }
    }

    fn message(&self) -> String {
        match self {
            CardError::Auth(_) => String::new(),
            CardError::Invalid { field, description } => format!("invalid {field}: {description}"),
            CardError::NotFound => "card not found".into(),
            CardError::Expired => "card expired".into(),
            CardError::UuidConflict => "uuid was used for another operation".into(),
            CardError::StreamingTimeout => "streaming mode timed out".into(),
            CardError::TooLarge => "card is over 30 KB".into(),
            CardError::DuplicateElementId(id) => format!("duplicate element_id {id}"),
            CardError::NotShared => "update_multi must not be false".into(),
            CardError::NotSchema2 => "only card JSON 2.0 is supported".into(),
            CardError::TooManyElements => "more than 200 components".into(),
            CardError::Empty => "card is empty".into(),
            CardError::StreamingClosed => "streaming mode is closed".into(),
            CardError::NotText(id) => {
                format!("element {id} is not a markdown or plain_text component")
            }
            CardError::NotOwner => "the card belongs to another app".into(),
            CardError::TagChanged => "a component's tag cannot change".into(),
            CardError::NoSuchElement(id) => format!("no element {id}"),
            CardError::SequenceNotIncreasing => {
                "sequence must be greater than the card's last one".into()
            }
            CardError::RateLimited => "request trigger frequency limit".into(),
        }
    }

    /// The error envelope: HTTP 400, or 429 with `x-ogw-ratelimit-reset`
    /// for the rate limit (the per-card window is a second).
    pub(crate) fn reply(&self, log_id: &LogId) -> Response {
        if let CardError::Auth(e) = self {
            return e.reply(log_id);
        }
        let status = match self {
            CardError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            _ => StatusCode::BAD_REQUEST,
        };
        let mut error = json!({ "log_id": log_id.0 });
        if let CardError::Invalid { field, description } = self {
            error["field_violations"] = json!([{ "field": field, "description": description }]);
        }
        let body = json!({ "code": self.code(), "msg": self.message(), "error": error });
        let mut response = reply::json(status, &body);
        if let CardError::RateLimited = self {
            response
                .headers_mut()
                .insert("x-ogw-ratelimit-reset", HeaderValue::from_static("1"));
        }
        response
    }
}
