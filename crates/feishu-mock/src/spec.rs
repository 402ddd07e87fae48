//! Every API of the spec, served: the routes written by hand keep priority,
//! and whatever they do not answer lands here. A request is checked against
//! the spec (method and path, token kind, required query and body fields,
//! their types and enums); a wrong one gets Feishu's error envelope with a
//! non-zero code and the `X-Tt-Logid` the interceptor adds. A right one is
//! answered with a value shaped like the API's `data` schema, or, for the
//! stateful families (contacts, group chats and their members, Bitable
//! records), from their stores.
//!
//! The spec is `spec/apis.json`, written by feishu-codegen from
//! `spec/feishu-apis.json` and embedded at build time.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};

use crate::bearer;
use crate::bearer::TenantAuthError;
use crate::reply::{self, LogId, MAX_BODY};
use crate::state::Shared;
use crate::tokens::{Rejection, TokenKind};

mod bitable;
mod catalogue;
mod chat;
mod contact;
mod sample;
mod validate;

pub(crate) use catalogue::Catalogue;

/// Feishu's code for a request whose fields fail validation.
pub(crate) const FIELD_VALIDATION_FAILED: u32 = 99992402;

/// The stores of the stateful families, one set per server.
#[derive(Default)]
pub(crate) struct Stores {
    bitable: bitable::Records,
    contact: contact::Directory,
}

/// A checked request, as the stateful handlers see it.
pub(crate) struct Call<'a> {
    /// The API's id.
    pub(crate) id: &'a str,
    /// The path's `:name` values, in template order.
    pub(crate) params: Vec<(&'a str, String)>,
    /// The query, decoded.
    pub(crate) query: Vec<(String, String)>,
    /// The JSON body (`Null` when there is none).
    pub(crate) body: Value,
}

impl Call<'_> {
    /// A path parameter.
    pub(crate) fn param(&self, name: &str) -> &str {
        self.params
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, v)| v)
    }

    /// A query parameter.
    pub(crate) fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What a stateful handler answers: `data`, or an error code and message.
pub(crate) type Answer = Result<Value, (u32, String)>;

type Fallback = Pin<Box<dyn Future<Output = Response> + Send>>;

/// The fallback handler, with its own stores.
pub(crate) fn fallback()
-> impl Fn(State<Arc<Shared>>, Request) -> Fallback + Clone + Send + Sync + 'static {
    let stores = Arc::new(Mutex::new(Stores::default()));
    move |State(shared): State<Arc<Shared>>, request: Request| {
        let stores = Arc::clone(&stores);
        Box::pin(async move { serve(&shared, &stores, request).await })
    }
}

async fn serve(shared: &Shared, stores: &Mutex<Stores>, request: Request) -> Response {
    let log_id = request
        .extensions()
        .get::<LogId>()
        .cloned()
        .unwrap_or(LogId(String::new()));
    let path = request.uri().path().to_owned();
    let catalogue = Catalogue::get();
    let Some(api) = catalogue.find(request.method().as_str(), &path) else {
        if catalogue.knows_path(&path) {
            return reply::with_content_type(
                StatusCode::METHOD_NOT_ALLOWED,
                "text/plain; charset=utf-8",
                "",
            );
        }
        return crate::server::not_found(request.uri().clone()).await;
    };
    if let Some(refusal) = refuse_token(shared, api, request.headers(), &log_id) {
        return refusal;
    }
    // The tenant the chat answers name, as the IM routes do.
    let tenant_key = bearer::tenant(shared, request.headers(), shared.now())
        .map(|key| key.tenant_key)
        .unwrap_or_default();
    let query = request.uri().query().map(decode_query).unwrap_or_default();
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let Ok(bytes) = to_bytes(request.into_body(), MAX_BODY).await else {
        return invalid(&log_id, "the body is too large or broken".into());
    };
    let body = match validate::request(api, catalogue, &query, &content_type, &bytes) {
        Ok(body) => body,
        Err(problem) => return invalid(&log_id, problem),
    };
    let call = Call {
        id: &api.id,
        params: catalogue::params(&api.path, &path),
        query,
        body,
    };
    if api.download {
        return reply::with_content_type(
            StatusCode::OK,
            "application/octet-stream",
            b"mock file".to_vec(),
        );
    }
    let answer = {
        let mut stores = stores.lock().unwrap_or_else(PoisonError::into_inner);
        let stores = &mut *stores;
        stores
            .bitable
            .answer(&call)
            .or_else(|| stores.contact.answer(&call))
    };
    let answer = answer.or_else(|| {
        let mut messages = shared.messages();
        chat::answer(messages.chats_mut(), &shared.ids, &tenant_key, &call)
    });
    match answer {
        Some(Ok(data)) => reply::json(
            StatusCode::OK,
            &json!({ "code": 0, "msg": "success", "data": data }),
        ),
        Some(Err((code, msg))) => reply::error(StatusCode::BAD_REQUEST, code, &msg, &log_id),
        None => {
            let data = api
                .response
                .as_ref()
                .map_or(json!({}), |r| sample::value(r, catalogue, 0));
            reply::json(
                StatusCode::OK,
                &json!({ "code": 0, "msg": "success", "data": data }),
            )
        }
    }
}

/// A `field validation failed` answer naming what is wrong.
fn invalid(log_id: &LogId, problem: String) -> Response {
    reply::error(
        StatusCode::BAD_REQUEST,
        FIELD_VALIDATION_FAILED,
        &format!("field validation failed: {problem}"),
        log_id,
    )
}

/// The answer to a request without a live token of a kind the API
/// accepts; `None` when it has one.
fn refuse_token(
    shared: &Shared,
    api: &catalogue::Api,
    headers: &axum::http::HeaderMap,
    log_id: &LogId,
) -> Option<Response> {
    if api.tokens.is_empty() {
        return None;
    }
    let Some(token) = bearer::bearer_token(headers) else {
        return Some(bearer::missing_token(log_id));
    };
    let now = shared.now();
    let tokens = shared.tokens();
    let mut expired = false;
    let mut usable = |kind| match tokens.lookup(token, kind, now) {
        Ok(_) => true,
        Err(rejection) => {
            expired |= rejection == Rejection::Expired;
            false
        }
    };
    let accepted = api.tokens.iter().any(|kind| match kind.as_str() {
        // A self-built app's app token is a tenant token.
        "app" => usable(TokenKind::App) || usable(TokenKind::Tenant),
        "user" => usable(TokenKind::User),
        _ => usable(TokenKind::Tenant),
    });
    if accepted {
        return None;
    }
    // As the IM routes answer: a token that ran out is expired, one the
    // mock never issued is invalid; a live token of another kind is told
    // which kinds the API takes.
    if expired {
        return Some(TenantAuthError::Expired.reply(log_id));
    }
    let known = [TokenKind::Tenant, TokenKind::App, TokenKind::User]
        .into_iter()
        .any(|kind| tokens.lookup(token, kind, now).is_ok());
    if !known && api.tokens.iter().any(|t| t == "tenant") {
        return Some(TenantAuthError::Invalid.reply(log_id));
    }
    let code = if api.tokens.iter().any(|t| t == "tenant") {
        crate::codes::TENANT_ACCESS_TOKEN_INVALID
    } else if api.tokens.iter().any(|t| t == "user") {
        crate::codes::USER_ACCESS_TOKEN_INVALID
    } else {
        crate::codes::APP_ACCESS_TOKEN_INVALID
    };
    let kinds = api.tokens.join(" or ");
    Some(reply::error(
        StatusCode::BAD_REQUEST,
        code,
        &format!("Invalid access token for authorization: this API takes a {kinds} access token"),
        log_id,
    ))
}

fn decode_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let s = s.replace('+', " ");
    percent_encoding::percent_decode_str(&s)
        .decode_utf8_lossy()
        .into_owned()
}

/// One page of `items`: `page_size` (default 20, at most 500) from the
/// offset the `page_token` carries; the next token while more follow, an
/// empty one on the last page, as Feishu answers.
pub(crate) fn page(items: Vec<Value>, call: &Call<'_>) -> Answer {
    let size = call
        .query("page_size")
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(20)
        .clamp(1, 500);
    let start = match call.query("page_token").filter(|t| !t.is_empty()) {
        None => 0,
        Some(token) => token
            .strip_prefix("pt-")
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|&n| n <= items.len())
            .ok_or((
                FIELD_VALIDATION_FAILED,
                format!("field validation failed: unknown page_token `{token}`"),
            ))?,
    };
    let total = items.len();
    let end = (start + size).min(total);
    let has_more = end < total;
    let page_token = if has_more {
        format!("pt-{end}")
    } else {
        String::new()
    };
    Ok(json!({
        "items": items[start..end],
        "has_more": has_more,
        "page_token": page_token,
        "total": total,
    }))
}
