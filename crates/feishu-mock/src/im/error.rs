//! The IM error codes (HTTP 400, `230xxx`) the mock answers with.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use crate::reply::{self, LogId};

/// An IM request Feishu would refuse, with what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ImError {
    /// 230001: `field` is missing or wrong; `description` says how.
    InvalidParam {
        field: &'static str,
        description: String,
    },
    /// 230025: the body is over the size limit for its `msg_type`.
    ContentTooLong,
}

impl ImError {
    pub(crate) fn invalid(field: &'static str, description: impl Into<String>) -> ImError {
        ImError::InvalidParam {
            field,
            description: description.into(),
        }
    }

    /// Feishu's HTTP 400 envelope; a bad parameter is also named in
    /// `error.field_violations`.
    pub(crate) fn reply(&self, log_id: &LogId) -> Response {
        match self {
            ImError::InvalidParam { field, description } => {
                let body = json!({
                    "code": 230001,
                    "msg": format!("invalid {field}: {description}"),
                    "error": {
                        "log_id": log_id.0,
                        "field_violations": [{ "field": field, "description": description }],
                    },
                });
                reply::json(StatusCode::BAD_REQUEST, &body)
            }
            ImError::ContentTooLong => {
                reply::error(StatusCode::BAD_REQUEST, 230025, "content too long", log_id)
            }
        }
    }
}
