//! The IM error codes (HTTP 400, `230xxx` for messages, `234xxx` for
//! resources) the mock answers with, and the auth errors IM handlers share.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use crate::bearer::TenantAuthError;
use crate::reply::{self, LogId};

/// 230002 and its message: the bot is not in that chat. The IM routes and
/// the spec-served chat APIs answer it alike.
pub(crate) const BOT_NOT_IN_CHAT: (u32, &str) = (230002, "Bot/User can NOT be out of the chat.");

/// An IM request Feishu would refuse, with what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ImError {
    /// 99991661 / 99991663 / 99991677: no usable tenant access token.
    Auth(TenantAuthError),
    /// 230001: `field` is missing or wrong; `description` says how. Also an
    /// unknown `message_id`, `page_size` or `page_token`.
    InvalidParam {
        field: &'static str,
        description: String,
    },
    /// 230002: the bot is not in that chat (the mock knows no chat with that id).
    BotNotInChat,
    /// 230011: the message was recalled.
    Recalled,
    /// 230017: the upload exists, but another app uploaded it.
    NotResourceOwner,
    /// 230019: no thread (topic) with that id.
    ThreadNotFound,
    /// 230025: the body is over the size limit for its `msg_type`.
    ContentTooLong,
    /// 230027: the bot may only edit, recall or read receipts of its own messages.
    NotOwnMessage,
    /// 230054: the operation does not apply to this `msg_type`.
    UnsupportedMsgType,
    /// 234001: a bad upload or resource request; `field` says which part.
    InvalidFile {
        field: &'static str,
        description: String,
    },
    /// 234003: no such resource for this app or message.
    FileNotFound,
    /// 234006: the file is over the size limit of its kind.
    FileTooLarge,
}

impl From<TenantAuthError> for ImError {
    fn from(e: TenantAuthError) -> Self {
        ImError::Auth(e)
    }
}

impl ImError {
    pub(crate) fn invalid(field: &'static str, description: impl Into<String>) -> ImError {
        ImError::InvalidParam {
            field,
            description: description.into(),
        }
    }

    pub(crate) fn invalid_file(field: &'static str, description: impl Into<String>) -> ImError {
        ImError::InvalidFile {
            field,
            description: description.into(),
        }
    }

    /// 230001 for a `message_id` the mock never issued.
    pub(crate) fn unknown_message() -> ImError {
        ImError::invalid("message_id", "no such message")
    }

    /// Feishu's HTTP 400 envelope; a bad parameter is also named in
    /// `error.field_violations`.
    pub(crate) fn reply(&self, log_id: &LogId) -> Response {
        let (code, msg) = match self {
            ImError::Auth(e) => return e.reply(log_id),
            ImError::InvalidParam { field, description } => {
                return field_violation(230001, field, description, log_id);
            }
            ImError::InvalidFile { field, description } => {
                return field_violation(234001, field, description, log_id);
            }
            ImError::BotNotInChat => BOT_NOT_IN_CHAT,
            ImError::Recalled => (230011, "The message was recalled."),
            ImError::NotResourceOwner => (230017, "Bot is NOT the owner of the resource."),
            ImError::ThreadNotFound => (230019, "The topic does not exist."),
            ImError::ContentTooLong => (230025, "content too long"),
            ImError::NotOwnMessage => (
                230027,
                "Lack of necessary permissions: the bot can only operate on its own messages.",
            ),
            ImError::UnsupportedMsgType => (
                230054,
                "This operation is not supported for this message type.",
            ),
            ImError::FileNotFound => (234003, "File not found."),
            ImError::FileTooLarge => (234006, "The file size exceeds the limit."),
        };
        reply::error(StatusCode::BAD_REQUEST, code, msg, log_id)
    }
}

fn field_violation(code: u32, field: &str, description: &str, log_id: &LogId) -> Response {
    let body = json!({
        "code": code,
        "msg": format!("invalid {field}: {description}"),
        "error": {
            "log_id": log_id.0,
            "field_violations": [{ "field": field, "description": description }],
        },
    });
    reply::json(StatusCode::BAD_REQUEST, &body)
}
