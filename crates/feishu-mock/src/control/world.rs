//! The control routes over the mock's world: apps, chats, users and members,
//! user messages and read receipts, what was stored, hits, and credentials.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{ControlError, ROUTES, body, respond};
use crate::messages::{StoredChat, StoredMessage, StoredUser};
use crate::query::Query;
use crate::state::{AppKind, Shared};
use crate::tokens::TokenKind;
use crate::uploads::{StoredUpload, UploadKind};

/// `GET /_mock`: the apps (ids and kinds; no secrets) and the routes.
pub(super) async fn index(State(shared): State<Arc<Shared>>) -> Response {
    let mut apps: Vec<Value> = shared
        .apps
        .iter()
        .map(|(app_id, app)| match &app.kind {
            AppKind::SelfBuilt => json!({ "app_id": app_id, "kind": "self_built" }),
            AppKind::Marketplace { tenant_keys, .. } => json!({
                "app_id": app_id, "kind": "marketplace", "tenant_keys": tenant_keys,
            }),
        })
        .collect();
    apps.sort_by(|a, b| a["app_id"].as_str().cmp(&b["app_id"].as_str()));
    let routes: Vec<&str> = ROUTES
        .iter()
        .chain(&crate::cardkit::CONTROL_ROUTES)
        .chain(&crate::long_connection::CONTROL_ROUTES)
        .copied()
        .collect();
    respond(Ok(json!({ "apps": apps, "routes": routes })))
}

fn chat_json(chat: &StoredChat) -> Value {
    json!({ "chat_id": chat.chat_id, "name": chat.name, "members": chat.members })
}

fn user_json(user: &StoredUser) -> Value {
    json!({ "open_id": user.open_id, "name": user.name })
}

/// `GET /_mock/chats`: the groups with their members.
pub(super) async fn chats(State(shared): State<Arc<Shared>>) -> Response {
    let chats: Vec<Value> = shared
        .messages()
        .chats()
        .groups()
        .iter()
        .map(chat_json)
        .collect();
    respond(Ok(json!({ "chats": chats })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewChat {
    chat_id: String,
    name: String,
    #[serde(default)]
    members: Vec<String>,
}

/// `POST /_mock/chats` `{chat_id, name, members?}`: adds (or renames) a
/// group and adds its members.
pub(super) async fn add_chat(State(shared): State<Arc<Shared>>, request: Body) -> Response {
    let result = async {
        let request: NewChat = body(request).await?;
        // Every id is checked before anything changes.
        for open_id in &request.members {
            crate::ids::check_open_id(open_id).map_err(ControlError::bad_request)?;
        }
        shared.add_chat(&request.chat_id, &request.name)?;
        for open_id in &request.members {
            shared.add_chat_member(&request.chat_id, open_id)?;
        }
        chat(&shared, &request.chat_id)
    };
    respond(result.await)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewMembers {
    open_ids: Vec<String>,
}

/// `POST /_mock/chats/{chat_id}/members` `{open_ids}`.
pub(super) async fn add_members(
    State(shared): State<Arc<Shared>>,
    Path(chat_id): Path<String>,
    request: Body,
) -> Response {
    let result = async {
        let request: NewMembers = body(request).await?;
        for open_id in &request.open_ids {
            crate::ids::check_open_id(open_id).map_err(ControlError::bad_request)?;
        }
        for open_id in &request.open_ids {
            shared.add_chat_member(&chat_id, open_id)?;
        }
        chat(&shared, &chat_id)
    };
    respond(result.await)
}

fn chat(shared: &Shared, chat_id: &str) -> Result<Value, ControlError> {
    let messages = shared.messages();
    let chat = messages.chats().group(chat_id).ok_or_else(|| {
        ControlError::from(crate::actions::ActionError::NotFound(format!(
            "no group chat {chat_id:?}"
        )))
    })?;
    Ok(chat_json(chat))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UserMessage {
    open_id: String,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    msg_type: Option<String>,
    #[serde(default)]
    content: Option<String>,
}

/// `POST /_mock/chats/{chat_id}/messages` `{open_id, text}` or
/// `{open_id, msg_type, content}`: the user posts; no event is delivered.
pub(super) async fn post_message(
    State(shared): State<Arc<Shared>>,
    Path(chat_id): Path<String>,
    request: Body,
) -> Response {
    let result = async {
        let request: UserMessage = body(request).await?;
        let (msg_type, content) = match (request.text, request.msg_type, request.content) {
            (Some(text), None, None) => ("text".to_owned(), json!({ "text": text }).to_string()),
            (None, Some(msg_type), Some(content)) => (msg_type, content),
            _ => {
                return Err(ControlError::bad_request(
                    "give either \"text\", or \"msg_type\" and \"content\"",
                ));
            }
        };
        let message_id =
            shared.post_user_message(&chat_id, &request.open_id, &msg_type, &content)?;
        Ok(json!({ "message_id": message_id }))
    };
    respond(result.await)
}

/// `GET /_mock/users`.
pub(super) async fn users(State(shared): State<Arc<Shared>>) -> Response {
    let users: Vec<Value> = shared
        .messages()
        .chats()
        .users()
        .iter()
        .map(user_json)
        .collect();
    respond(Ok(json!({ "users": users })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewUser {
    open_id: String,
    name: String,
}

/// `POST /_mock/users` `{open_id, name}`: adds or renames a user.
pub(super) async fn add_user(State(shared): State<Arc<Shared>>, request: Body) -> Response {
    let result = async {
        let request: NewUser = body(request).await?;
        shared.add_user(&request.open_id, &request.name)?;
        Ok(json!({ "open_id": request.open_id, "name": request.name }))
    };
    respond(result.await)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Reader {
    open_id: String,
}

/// `POST /_mock/messages/{message_id}/read` `{open_id}`.
pub(super) async fn mark_read(
    State(shared): State<Arc<Shared>>,
    Path(message_id): Path<String>,
    request: Body,
) -> Response {
    let result = async {
        let request: Reader = body(request).await?;
        shared.mark_read(&message_id, &request.open_id)?;
        Ok(json!({}))
    };
    respond(result.await)
}

fn message_json(message: &StoredMessage) -> Value {
    json!({
        "message_id": message.message_id,
        "receive_id": message.receive_id,
        "receive_id_type": message.receive_id_type,
        "msg_type": message.msg_type,
        "content": message.content,
        "uuid": message.uuid,
        "chat_id": message.chat_id,
        "root_id": message.root_id,
        "parent_id": message.parent_id,
        "thread_id": message.thread_id,
        "sender_id": message.sender_id,
        "create_time_ms": message.create_time_ms,
        "update_time_ms": message.update_time_ms,
        "deleted": message.deleted,
        "updated": message.updated,
        "follow_ups": message.follow_ups,
    })
}

/// `GET /_mock/messages`: every stored message, oldest first.
pub(super) async fn messages(State(shared): State<Arc<Shared>>) -> Response {
    let messages: Vec<Value> = shared
        .messages()
        .records()
        .iter()
        .map(message_json)
        .collect();
    respond(Ok(json!({ "messages": messages })))
}

fn upload_json(upload: &StoredUpload) -> Value {
    let kind = match upload.kind {
        UploadKind::Image => "image",
        UploadKind::File => "file",
    };
    json!({
        "key": upload.key,
        "kind": kind,
        "upload_type": upload.upload_type,
        "file_name": upload.file_name,
        "content_type": upload.content_type,
        "len": upload.len,
        "duration_ms": upload.duration_ms,
        "app_id": upload.app_id,
    })
}

/// `GET /_mock/uploads`: every stored upload, oldest first (without bytes).
pub(super) async fn uploads(State(shared): State<Arc<Shared>>) -> Response {
    let uploads: Vec<Value> = shared.uploads().records().iter().map(upload_json).collect();
    respond(Ok(json!({ "uploads": uploads })))
}

/// `GET /_mock/hits`: `{"hits": {path: n}}`; with `?path=…`, `{path, hits}`.
pub(super) async fn hits(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let query = Query::parse(uri.query());
    let body = match query.get("path") {
        Some(path) => json!({ "path": path, "hits": shared.hits(path) }),
        None => json!({ "hits": shared.all_hits() }),
    };
    respond(Ok(body))
}

/// `DELETE /_mock/hits`: every count back to zero.
pub(super) async fn reset_hits(State(shared): State<Arc<Shared>>) -> Response {
    shared.reset_hits();
    respond(Ok(json!({})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Consent {
    #[serde(default = "self_built_app")]
    app_id: String,
    #[serde(default = "mock_user")]
    open_id: String,
}

fn self_built_app() -> String {
    crate::SELF_BUILT_APP_ID.to_owned()
}

fn mock_user() -> String {
    crate::MOCK_USER_OPEN_ID.to_owned()
}

/// `POST /_mock/oauth/authorize` `{app_id?, open_id?}`: the code a browser
/// would bring back to the redirect URI (default: the self-built app and
/// `ou_mock_user`).
pub(super) async fn authorize(State(shared): State<Arc<Shared>>, request: Body) -> Response {
    let result = async {
        let request: Consent = body(request).await?;
        if !shared.apps.contains_key(&request.app_id) {
            return Err(ControlError::from(crate::actions::ActionError::NotFound(
                format!("no app {:?}", request.app_id),
            )));
        }
        let code = shared.authorization_code(&request.app_id, &request.open_id)?;
        Ok(json!({ "code": code }))
    };
    respond(result.await)
}

/// `POST /_mock/tokens/revoke`: every access token issued so far stops working.
pub(super) async fn revoke_tokens(State(shared): State<Arc<Shared>>) -> Response {
    shared.tokens().revoke_all();
    respond(Ok(json!({})))
}

/// `GET /_mock/tokens/issued`: `{tenant, app, user}`.
pub(super) async fn tokens_issued(State(shared): State<Arc<Shared>>) -> Response {
    respond(Ok(json!({
        "tenant": shared.issued(TokenKind::Tenant),
        "app": shared.issued(TokenKind::App),
        "user": shared.issued(TokenKind::User),
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TicketRequest {
    #[serde(default = "marketplace_app")]
    app_id: String,
}

fn marketplace_app() -> String {
    crate::MARKETPLACE_APP_ID.to_owned()
}

/// `POST /_mock/app_ticket/rotate` `{app_id?}`: a new ticket for the
/// marketplace app; the old one then gets 10012.
pub(super) async fn rotate_app_ticket(
    State(shared): State<Arc<Shared>>,
    request: Body,
) -> Response {
    let result = async {
        let request: TicketRequest = body(request).await?;
        let app_ticket = shared.new_app_ticket(&request.app_id)?;
        Ok(json!({ "app_id": request.app_id, "app_ticket": app_ticket }))
    };
    respond(result.await)
}
