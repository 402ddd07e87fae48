//! The IM endpoints (`/open-apis/im/v1`), one file per endpoint. Handlers
//! stay thin: messages, chats and uploads are data in [`crate::messages`] and
//! [`crate::uploads`], errors in [`error`], shared request parsing in
//! [`request`].

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

use crate::state::Shared;

mod chat_members;
mod chats;
mod create_message;
mod download;
pub(crate) mod error;
mod form;
mod forward_message;
mod get_message;
mod list_messages;
mod merge_forward;
mod patch_message;
mod push_follow_up;
mod read_users;
mod recall_message;
mod reply_message;
mod request;
mod update_message;
mod upload_file;
mod upload_image;

/// The IM routes.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    const MESSAGE: &str = "/open-apis/im/v1/messages/{message_id}";
    Router::new()
        .route("/open-apis/im/v1/chats", get(chats::list_chats))
        .route(
            "/open-apis/im/v1/chats/{chat_id}/members",
            get(chat_members::chat_members),
        )
        .route(
            "/open-apis/im/v1/messages",
            post(create_message::create_message).get(list_messages::list_messages),
        )
        .route(
            "/open-apis/im/v1/messages/merge_forward",
            post(merge_forward::merge_forward),
        )
        .route(
            MESSAGE,
            get(get_message::get_message)
                .put(update_message::update_message)
                .patch(patch_message::patch_message)
                .delete(recall_message::recall_message),
        )
        .route(
            &format!("{MESSAGE}/reply"),
            post(reply_message::reply_message),
        )
        .route(
            &format!("{MESSAGE}/forward"),
            post(forward_message::forward_message),
        )
        .route(
            &format!("{MESSAGE}/push_follow_up"),
            post(push_follow_up::push_follow_up),
        )
        .route(
            &format!("{MESSAGE}/read_users"),
            get(read_users::read_users),
        )
        .route(
            &format!("{MESSAGE}/resources/{{file_key}}"),
            get(download::message_resource),
        )
        .route("/open-apis/im/v1/images", post(upload_image::upload_image))
        .route(
            "/open-apis/im/v1/images/{image_key}",
            get(download::get_image),
        )
        .route("/open-apis/im/v1/files", post(upload_file::upload_file))
        .route("/open-apis/im/v1/files/{file_key}", get(download::get_file))
}
