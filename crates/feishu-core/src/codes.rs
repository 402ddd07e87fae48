//! Feishu's error codes, by name: the `code` of an [`ApiError`](crate::ApiError).
//!
//! Each constant is one code this crate acts on or that its tests meet; the
//! slices are the sets the call machine judges by. The meanings are Feishu's:
//! the [generic error codes](https://open.feishu.cn/document/server-docs/api-call-guide/generic-error-code),
//! the [rate limits](https://open.feishu.cn/document/server-docs/api-call-guide/frequency-control),
//! the [OAuth token endpoint](https://open.feishu.cn/document/authentication-management/access-token/get-user-access-token)
//! and the IM API pages.
//!
//! ```
//! # use feishu_core::codes;
//! let code = 99991400;
//! assert!(codes::RATE_LIMITED.contains(&code));
//! assert_eq!(code, codes::REQUEST_TRIGGER_FREQUENCY_LIMIT);
//! ```

// ------------------------------------------------------------- access tokens

/// No `Authorization: Bearer …` header, or one without the `Bearer ` prefix.
pub const MISSING_ACCESS_TOKEN: i64 = 99991661;
/// The tenant access token is invalid, expired or not accepted by this API.
pub const TENANT_ACCESS_TOKEN_INVALID: i64 = 99991663;
/// The app access token is invalid or expired.
pub const APP_ACCESS_TOKEN_INVALID: i64 = 99991664;
/// The user access token is invalid, expired or not accepted by this API.
pub const USER_ACCESS_TOKEN_INVALID: i64 = 99991668;
/// The token is malformed: it starts with neither `t-` nor `u-`.
pub const ACCESS_TOKEN_INVALID: i64 = 99991671;
/// The token was valid once and has expired.
pub const ACCESS_TOKEN_EXPIRED: i64 = 99991677;

/// The token sent is no good: drop the cached one, fetch (or refresh) a new
/// one and repeat the call, once.
pub const TOKEN_INVALID: &[i64] = &[
    MISSING_ACCESS_TOKEN,
    TENANT_ACCESS_TOKEN_INVALID,
    APP_ACCESS_TOKEN_INVALID,
    USER_ACCESS_TOKEN_INVALID,
    ACCESS_TOKEN_INVALID,
    ACCESS_TOKEN_EXPIRED,
];

// --------------------------------------------------------------- rate limits

/// "request trigger frequency limit": the gateway's rate limit, under HTTP 429
/// or (older APIs) 400, with the wait in `x-ogw-ratelimit-reset`.
pub const REQUEST_TRIGGER_FREQUENCY_LIMIT: i64 = 99991400;
/// Messages sent too fast (also a custom bot's limit, e.g. at the :00/:30 peaks).
pub const MESSAGE_RATE_LIMITED: i64 = 11232;
/// Too many messages into one chat.
pub const CHAT_RATE_LIMITED: i64 = 11233;
/// Internal send rate limit.
pub const INTERNAL_SEND_RATE_LIMITED: i64 = 11247;
/// This API method is rate limited.
pub const METHOD_RATE_LIMITED: i64 = 1000004;
/// This app is rate limited.
pub const APP_RATE_LIMITED: i64 = 1000005;
/// An IM API's rate limit (HTTP 400).
pub const IM_RATE_LIMITED: i64 = 230020;

/// "Too many requests": the request was not processed, so any request may be
/// repeated after the wait.
pub const RATE_LIMITED: &[i64] = &[
    REQUEST_TRIGGER_FREQUENCY_LIMIT,
    MESSAGE_RATE_LIMITED,
    CHAT_RATE_LIMITED,
    INTERNAL_SEND_RATE_LIMITED,
    METHOD_RATE_LIMITED,
    APP_RATE_LIMITED,
    IM_RATE_LIMITED,
];

// ------------------------------------------------------------- server faults

/// "internal error": try again later.
pub const INTERNAL_ERROR: i64 = 1500;
/// An internal error that asks the caller to reduce its QPS.
pub const INTERNAL_ERROR_REDUCE_QPS: i64 = 5000;
/// An internal server error.
pub const INTERNAL_SERVER_ERROR: i64 = 10101;
/// "get tenant access token failed": the token service failed; back off and retry.
pub const GET_TENANT_ACCESS_TOKEN_FAILED: i64 = 10013;
/// OAuth `server_error` (HTTP 500): "An unexpected server error occurred".
pub const OAUTH_SERVER_ERROR: i64 = 20050;
/// OAuth `temporarily_unavailable` (HTTP 503).
pub const OAUTH_TEMPORARILY_UNAVAILABLE: i64 = 20072;

/// A server-side fault worth another try, for requests safe to repeat: the
/// request may have been processed.
pub const SERVER_FAULT: &[i64] = &[
    INTERNAL_ERROR,
    INTERNAL_ERROR_REDUCE_QPS,
    INTERNAL_SERVER_ERROR,
    GET_TENANT_ACCESS_TOKEN_FAILED,
    OAUTH_SERVER_ERROR,
    OAUTH_TEMPORARILY_UNAVAILABLE,
];

// --------------------------------------------------- app credentials, ticket

/// "invalid param": a bad request to a token endpoint, e.g. an unknown
/// `app_id` (answered under HTTP 200).
pub const INVALID_PARAM: i64 = 10003;
/// "get app access token failed": the `app_ticket` is invalid; ask Feishu to
/// push a new one (`app_ticket/resend`).
pub const APP_TICKET_INVALID: i64 = 10012;
/// "app secret invalid": a wrong `app_secret`.
pub const APP_SECRET_INVALID: i64 = 10014;
/// "resend app ticket failed": only marketplace (store) apps get app tickets.
pub const RESEND_APP_TICKET_FAILED: i64 = 10016;

// ------------------------------------------------------- OAuth refresh token

/// The refresh token is invalid (only tokens the v2/v3 endpoint issued are accepted).
pub const REFRESH_TOKEN_INVALID: i64 = 20026;
/// The refresh token has expired.
pub const REFRESH_TOKEN_EXPIRED: i64 = 20037;
/// The refresh token was revoked.
pub const REFRESH_TOKEN_REVOKED: i64 = 20064;
/// "The refresh token has been used": refresh tokens rotate and work once.
pub const REFRESH_TOKEN_ALREADY_USED: i64 = 20073;
/// Refreshing is disabled in the app's security settings.
pub const REFRESH_TOKEN_DISABLED: i64 = 20074;

/// A refresh token that can never work again: the user must authorize anew.
pub const REFRESH_TOKEN_DEAD: &[i64] = &[
    REFRESH_TOKEN_INVALID,
    REFRESH_TOKEN_EXPIRED,
    REFRESH_TOKEN_REVOKED,
    REFRESH_TOKEN_ALREADY_USED,
    REFRESH_TOKEN_DISABLED,
];

// ---------------------------------------------------------------- permission

/// The caller's IP is not in the app's IP whitelist.
pub const IP_NOT_IN_WHITELIST: i64 = 99991401;
/// "Access denied": the app lacks a scope the API needs; `permission_violations`
/// names them.
pub const ACCESS_DENIED: i64 = 99991672;
/// The token lacks the permission this API needs.
pub const TOKEN_NO_PERMISSION: i64 = 99991676;
/// "Unauthorized": the user access token lacks a privilege; the user must
/// authorize again with the listed scopes.
pub const UNAUTHORIZED: i64 = 99991679;

// ------------------------------------------------- instant messaging (HTTP 400)

/// An invalid IM parameter (e.g. an unknown `message_id`); `field_violations`
/// names it.
pub const IM_INVALID_PARAMETER: i64 = 230001;
/// The bot is not in the chat.
pub const BOT_NOT_IN_CHAT: i64 = 230002;
/// The message was recalled.
pub const MESSAGE_RECALLED: i64 = 230011;
/// The bot is not the owner of the resource (another app uploaded it).
pub const BOT_NOT_RESOURCE_OWNER: i64 = 230017;
/// The topic (thread) does not exist.
pub const TOPIC_NOT_FOUND: i64 = 230019;
/// "content too long": the body is over the limit of its `msg_type`.
pub const CONTENT_TOO_LONG: i64 = 230025;
/// "Lack of necessary permissions", e.g. editing another sender's message.
pub const LACK_OF_NECESSARY_PERMISSIONS: i64 = 230027;
/// The operation is not supported for this message type.
pub const UNSUPPORTED_MESSAGE_TYPE: i64 = 230054;
/// The upload's type does not match the `msg_type` it is sent as.
pub const FILE_TYPE_MISMATCH: i64 = 230055;
/// An invalid upload or resource request.
pub const INVALID_FILE_PARAM: i64 = 234001;
/// "File not found": no such resource for this app or message.
pub const FILE_NOT_FOUND: i64 = 234003;
/// "The file size exceeds the limit" of its kind.
pub const FILE_SIZE_EXCEEDS_LIMIT: i64 = 234006;
