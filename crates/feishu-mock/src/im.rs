//! The IM endpoints (`/open-apis/im/v1`), one file per endpoint, named
//! after its Feishu doc page (`message/create.rs` for `im-v1/message/create`).
//! Handlers stay thin: messages, chats and uploads are data in
//! [`crate::messages`] and [`crate::uploads`], errors in [`error`], shared
//! request parsing in [`request`], upload forms in [`form`] and the
//! download answer in [`download`].

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

use crate::state::Shared;

mod chat_members;
mod download;
pub(crate) mod error;
mod file;
mod form;
mod image;
mod message;
mod message_resource;
mod request;

/// The IM routes.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    const MESSAGE: &str = "/open-apis/im/v1/messages/{message_id}";
    Router::new()
        .route(
            "/open-apis/im/v1/chats/{chat_id}/members",
            get(chat_members::get::chat_members),
        )
        .route(
            "/open-apis/im/v1/messages",
            post(message::create::create_message).get(message::list::list_messages),
        )
        .route(
            "/open-apis/im/v1/messages/merge_forward",
            post(message::merge_forward::merge_forward),
        )
        .route(
            MESSAGE,
            get(message::get::get_message)
                .put(message::update::update_message)
                .patch(message::patch::patch_message)
                .delete(message::delete::recall_message),
        )
        .route(
            &format!("{MESSAGE}/reply"),
            post(message::reply::reply_message),
        )
        .route(
            &format!("{MESSAGE}/forward"),
            post(message::forward::forward_message),
        )
        .route(
            &format!("{MESSAGE}/push_follow_up"),
            post(message::push_follow_up::push_follow_up),
        )
        .route(
            &format!("{MESSAGE}/read_users"),
            get(message::read_users::read_users),
        )
        .route(
            &format!("{MESSAGE}/resources/{{file_key}}"),
            get(message_resource::get::message_resource),
        )
        .route("/open-apis/im/v1/images", post(image::create::upload_image))
        .route(
            "/open-apis/im/v1/images/{image_key}",
            get(image::get::get_image),
        )
        .route("/open-apis/im/v1/files", post(file::create::upload_file))
        .route(
            "/open-apis/im/v1/files/{file_key}",
            get(file::get::get_file),
        )
}
