//! The IM endpoints (`/open-apis/im/v1`), one file per endpoint. Handlers
//! stay thin: messages are data in [`crate::messages`], errors in [`error`].

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

use crate::state::Shared;

mod chats;
mod create_message;
mod error;

/// The IM routes.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/open-apis/im/v1/chats", get(chats::list_chats))
        .route(
            "/open-apis/im/v1/messages",
            post(create_message::create_message),
        )
}
