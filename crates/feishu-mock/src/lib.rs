//! A fake Feishu / Lark Open Platform server on `127.0.0.1`, for tests and for
//! trying a bot offline.
//!
//! The server runs on its own OS thread with its own tokio runtime, so it can be
//! started from plain sync code or from inside any tokio runtime, and it stops
//! when the [`MockServer`] is dropped. The `feishu-mock` binary serves the same
//! thing to bots in any language, driven through the control API below; the
//! [README](https://github.com/feishu-rs/feishu-rs/tree/main/crates/feishu-mock#readme)
//! documents it with curl examples and a Python bot tested against it.
//!
//! It speaks the parts of the protocol a client needs to prove its plumbing:
//!
//! - the five `auth/v3` endpoints (self-built and marketplace app tokens, tenant
//!   tokens, `app_ticket/resend`), with Feishu's flat bodies, error codes and the
//!   30-minute re-issue rule;
//! - the OAuth user token endpoints `POST /open-apis/authen/v2/oauth/token`
//!   and `POST /oauth/v3/token` (the accounts host's, which is the mock's
//!   own URL): code exchange and refresh-token rotation, with Feishu's 200xx
//!   error codes, fed by [`MockServer::authorize`] in place of a browser;
//!   and the legacy `POST /open-apis/authen/v1/oidc/access_token` and
//!   `…/oidc/refresh_access_token`, which take an app access token and
//!   answer `data`-wrapped;
//! - `GET /open-apis/authen/v1/user_info`, which checks a user access token;
//! - `GET /open-apis/im/v1/chats`, which checks `Authorization: Bearer <tenant token>`
//!   and tells an expired token (99991677) from an invalid one (99991663),
//!   and lists the group chats (`oc_mock_general`, `oc_mock_random`, and any
//!   added with [`MockServer::add_chat`]); `GET …/chats/:chat_id/members`
//!   lists a group's members ([`MockServer::add_chat_member`], and users who
//!   posted) with their names ([`MockServer::add_user`]);
//! - the IM message API under `/open-apis/im/v1`, all with a tenant token:
//!   send, reply (in a thread or not), edit, patch a card, recall, get,
//!   history of a chat or thread with real paging, forward, merge-forward,
//!   read receipts and follow-up bubbles (`push_follow_up`), with Feishu's
//!   `230xxx` errors, size limits (230025) and `uuid` dedup (a repeated
//!   `uuid` within an hour gets the first message back); see
//!   [`MockServer::messages`], [`MockServer::post_user_message`] and
//!   [`MockServer::mark_read`];
//! - CardKit (`/open-apis/cardkit/v1`: card entities, their settings, full
//!   and batch updates, components, streamed content, `id_convert`) and the
//!   delayed card update, with each card's `sequence`, streaming mode,
//!   10-operations-a-second limit and `uuid` dedup, and card entities sent
//!   as messages or replies; [`MockServer::card`] shows a card's JSON and
//!   every write, [`MockServer::card_action_event`] and
//!   [`MockServer::deliver_card_action`] play a user's click;
//! - image and file uploads (`multipart/form-data`, up to 10 and 30 MiB) and
//!   binary downloads, by key or from a message, with `Content-Disposition`
//!   names in both ASCII and RFC 5987 form; see [`MockServer::uploads`];
//! - events pushed to a webhook as Feishu does ([`MockServer::deliver_event`]):
//!   encrypted (AES-256-CBC) and signed (`X-Lark-Signature`) or token-only,
//!   answered within a timeout or retried on Feishu's redelivery schedule,
//!   optionally [`Tamper`]ed with; builders for `im.message.receive_v1`
//!   ([`MockServer::message_event`]) and `app_ticket` events, which
//!   `app_ticket/resend` also pushes ([`MockServer::set_event_target`]);
//! - the [long connection](long_connection)'s gateway: `POST
//!   /callback/ws/endpoint` and the WebSocket it points to, with events
//!   pushed ([`MockServer::push_event`]) in parts and gzipped on request,
//!   ACKs recorded ([`MockServer::acks`]), redelivery, drops, pongs with new
//!   settings and refused upgrades;
//! - a plain-text 404 for any other path;
//! - an `X-Tt-Logid` header on every response, repeated as `error.log_id` in
//!   JSON error bodies. Header names go out in canonical case (`X-Tt-Logid`,
//!   `Content-Type`, `X-Lark-Signature`), as Feishu sends them, since some
//!   official SDKs look them up by exact spelling.
//!
//! Scripted [`Fault`]s (a status, a body, a delay, an answer lost after the
//! request was handled, a connection closed unanswered or cut mid-body) can be
//! queued per path, also for paths the mock does not implement, and
//! [`MockServer::hits`] counts requests.
//! [`MockServer::revoke_tokens`] and [`MockServer::rotate_app_ticket`] pull the
//! credentials out from under a client, and [`MockServer::tokens_issued`] counts
//! the tokens it fetched. A [`ManualClock`] given to
//! [`MockServerBuilder::clock`] lets a test move the mock's time forward, so
//! tokens expire and grants lapse without sleeping.
//!
//! # The control API
//!
//! Everything above that a test does through [`MockServer`]'s methods, it can
//! also do as JSON over HTTP under `/_mock/` (`GET /_mock` lists the routes):
//! set the webhook, deliver a user's message, an `app_ticket` or any event
//! and get the delivery report, create chats, users and members, post user
//! messages and read receipts, list messages, uploads and deliveries, queue
//! faults, read and reset hits, mint OAuth codes, revoke tokens, rotate
//! tickets and count issued tokens. Errors are 4xx JSON
//! `{"error": kind, "message": …}`; control requests are not counted as hits
//! and take no faults.
//!
//! # IM errors
//!
//! Every IM error is HTTP 400 with a JSON envelope and `error.log_id`:
//!
//! | Code | When |
//! |---|---|
//! | 230001 | a missing or bad parameter (named in `error.field_violations`): an unknown `message_id`, a `page_size` out of range, a `page_token` not issued for the same query, a `receive_id` of the wrong shape (`open_id`s are `ou_…`), `follow_ups` empty or without `content` |
//! | 230002 | a chat the mock does not know (send, forward, history, members) |
//! | 230011 | a recalled message: a second recall; reply, edit, patch, forward, read receipts, follow-ups or resources of it |
//! | 230017 | downloading another app's upload by key |
//! | 230019 | an unknown thread (forward to `thread_id`, thread history) |
//! | 230025 | a body over 150 KB, or 30 KB for `post` and `interactive` (also a card patch) |
//! | 230027 | editing, patching, recalling, reading receipts of or pushing follow-ups under a message the bot did not send |
//! | 230054 | editing anything but `text` and `post`, patching anything but `interactive` |
//! | 234001 | a bad upload (not `multipart/form-data`, a bad or missing field, an empty file, not an image) or resource `type` |
//! | 234003 | an unknown upload key, or one the message does not carry in its content |
//! | 234006 | an image over 10 MiB or a file over 30 MiB |
//!
//! Where Feishu's behaviour is not pinned down, the mock does this: a
//! recalled message stays in history and `GET`, `deleted: true`, with the body
//! `{"text":"This message was recalled"}`; chat history leaves out replies
//! inside threads (list the thread for those); inside a thread, a reply's
//! `parent_id` is the thread's root; a merge-forward answers
//! `{message, invalid_message_id_list}` and its content is the fixed
//! `Merged and Forwarded Message`; a `post` reads back without its locale
//! wrapper; `uuid`s dedup per app and per operation (send, reply, forward,
//! merge-forward); follow-ups replace the ones pushed before and leave the
//! message's content and `update_time` alone; a p2p chat lists no members.
//!
//! # Example
//!
//! ```
//! use feishu_mock::{Fault, MockServer};
//!
//! let server = MockServer::start();
//! let path = "/open-apis/auth/v3/tenant_access_token/internal";
//! server.inject(path, Fault::status(503));
//! // The next request to `path` gets an empty 503, the one after it a token.
//! assert_eq!(server.hits(path), 0);
//! assert!(server.url().starts_with("http://127.0.0.1:"));
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod actions;
mod auth;
mod bearer;
mod builder;
mod cardkit;
mod clock;
mod codes;
mod connection;
mod control;
mod events;
mod fault;
mod ids;
mod im;
mod intercept;
pub mod long_connection;
mod messages;
mod multipart;
mod oauth;
mod oidc;
mod pagination;
mod query;
mod reply;
mod request_body;
mod server;
mod spec;
mod state;
mod tokens;
mod uploads;
mod user_info;
mod users;

pub use builder::MockServerBuilder;
pub use cardkit::{CardWrite, StoredCard};
pub use clock::{Clock, ManualClock, SystemClock};
pub use events::{DeliveryAttempt, DeliveryReport, EventSecurity, Tamper, WebhookTarget};
pub use fault::Fault;
pub use messages::{StoredChat, StoredMessage, StoredUser};
pub use server::MockServer;
pub use uploads::{StoredUpload, UploadKind};

/// `app_id` of the self-built app every mock server knows.
pub const SELF_BUILT_APP_ID: &str = "cli_mock_self_built";
/// `app_secret` of the default self-built app.
pub const SELF_BUILT_APP_SECRET: &str = "mock-self-built-secret";
/// `app_id` of the marketplace (store) app every mock server knows.
pub const MARKETPLACE_APP_ID: &str = "cli_mock_marketplace";
/// `app_secret` of the default marketplace app.
pub const MARKETPLACE_APP_SECRET: &str = "mock-marketplace-secret";
/// The `app_ticket` the default marketplace app accepts.
pub const MARKETPLACE_APP_TICKET: &str = "mock-app-ticket";
/// The one tenant that installed the default marketplace app.
pub const MARKETPLACE_TENANT_KEY: &str = "mock_tenant_1";
/// The `open_id` of the user the examples authorize; any `open_id` may be
/// passed to [`MockServer::authorize`], though.
pub const MOCK_USER_OPEN_ID: &str = "ou_mock_user";
