//! The access-token codes the mock's gateway answers with, by name. The mock
//! keeps its own copy of Feishu's codes (it must agree with feishu-core, not
//! borrow from it); the IM, auth/v3 and OAuth codes sit with their error
//! enums.

/// No `Authorization: Bearer …` header, or no `Bearer ` prefix.
pub(crate) const MISSING_ACCESS_TOKEN: u32 = 99991661;
/// The tenant access token is unknown, revoked or not a tenant token.
pub(crate) const TENANT_ACCESS_TOKEN_INVALID: u32 = 99991663;
/// The app access token is unknown or revoked.
pub(crate) const APP_ACCESS_TOKEN_INVALID: u32 = 99991664;
/// The user access token is unknown, expired, revoked or not a user token.
pub(crate) const USER_ACCESS_TOKEN_INVALID: u32 = 99991668;
/// A token that was valid once and has run out.
pub(crate) const ACCESS_TOKEN_EXPIRED: u32 = 99991677;
