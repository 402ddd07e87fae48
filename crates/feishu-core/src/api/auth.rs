//! App and tenant access tokens (auth/v3), the app_ticket resend, and user
//! access tokens (OAuth 2.0).
//!
//! Self-built apps trade `app_id` + `app_secret` directly; marketplace (store)
//! apps need the hourly `app_ticket` for an app access token, then a tenant
//! token per `tenant_key`. Every response here is flat: the fields sit beside
//! `code` and `msg` ([`Shape::Token`](crate::Shape::Token)).

mod app_access_token;
mod app_ticket;
mod oauth;
mod tenant_access_token;

pub use app_access_token::{AppAccessToken, AppAccessTokenRequest};
pub use app_ticket::AppTicketResend;
pub use oauth::{UserAccessToken, UserAccessTokenRequest, authorize_url};
pub use tenant_access_token::{TenantAccessToken, TenantAccessTokenRequest};

use crate::InvalidRequest;

/// Refuses an empty credential before any request exists.
fn non_empty(field: &'static str, value: &str) -> Result<(), InvalidRequest> {
    if value.trim().is_empty() {
        return Err(InvalidRequest::empty(field));
    }
    Ok(())
}
