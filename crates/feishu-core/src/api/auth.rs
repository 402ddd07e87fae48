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

/// The facts of an auth/v3 token API: a flat JSON answer, no token needed,
/// safe to repeat (asking twice returns the same token).
const fn token_api(id: &'static str, path: &'static str, doc: &'static str) -> crate::Metadata {
    crate::Metadata {
        id,
        method: http::Method::POST,
        host: crate::Host::Open,
        path,
        tokens: &[],
        body: crate::BodyKind::Json,
        shape: crate::Shape::Token,
        paginated: false,
        dedup: false,
        doc,
    }
}

/// The `Endpoint` of a request type that serves both flows of one token (a
/// `SelfBuilt` and a `Marketplace` variant), each its own API: the value
/// tells which, the type serialises itself, the answer is the flat token.
macro_rules! two_flows {
    ($request:ty => $output:ty, $self_built:expr, $marketplace:expr) => {
        impl crate::Endpoint for $request {
            type Output = $output;
            const METADATA: crate::Metadata = $self_built;

            fn metadata(&self) -> crate::Metadata {
                match self {
                    Self::SelfBuilt { .. } => $self_built,
                    Self::Marketplace { .. } => $marketplace,
                }
            }

            fn body(&self) -> Result<crate::Body, crate::InvalidRequest> {
                crate::Body::json(self)
            }

            // Asking for a token twice is harmless: the server returns the
            // same one.
            fn idempotent(&self) -> bool {
                true
            }

            fn parse(
                &self,
                response: http::Response<Vec<u8>>,
            ) -> Result<$output, crate::ParseError> {
                crate::wire::envelope::decode_token(response)
            }
        }
    };
}
use two_flows;

/// Refuses an empty credential before any request exists.
fn non_empty(field: &'static str, value: &str) -> Result<(), InvalidRequest> {
    if value.trim().is_empty() {
        return Err(InvalidRequest::empty(field));
    }
    Ok(())
}
