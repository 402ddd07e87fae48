//! `POST /open-apis/auth/v3/app_ticket/resend`
//!
//! Ask Feishu to push a fresh `app_ticket` event to a marketplace app now.
//! The ticket never comes back in this response; it arrives as an event.
//! Docs: <https://open.feishu.cn/document/ukTMukTMukTM/ukDNz4SO0MjL5QzM/auth-v3/auth/app_ticket_resend>

use std::borrow::Cow;

use http::Method;

use super::AppCredentials;
use crate::{Body, Endpoint, Error, InvalidRequest, Secret, Shape, TokenKind};

/// A request to resend the `app_ticket` event (marketplace apps only; a
/// self-built app gets code 10016).
#[derive(Clone, Debug)]
pub struct AppTicketResend {
    /// The app id, `cli_…`.
    pub app_id: String,
    /// The app secret.
    pub app_secret: Secret,
}

impl AppTicketResend {
    /// A resend request.
    pub fn new(app_id: impl Into<String>, app_secret: impl Into<Secret>) -> Self {
        Self {
            app_id: app_id.into(),
            app_secret: app_secret.into(),
        }
    }
}

impl Endpoint for AppTicketResend {
    type Output = ();

    fn method(&self) -> Method {
        Method::POST
    }

    fn path(&self) -> Cow<'_, str> {
        Cow::Borrowed("/open-apis/auth/v3/app_ticket/resend")
    }

    fn body(&self) -> Result<Body, InvalidRequest> {
        Body::json(&AppCredentials::new(&self.app_id, &self.app_secret))
    }

    fn token_kind(&self) -> TokenKind {
        TokenKind::None
    }

    // A second resend only triggers a second, identical ticket push.
    fn idempotent(&self) -> bool {
        true
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<(), Error> {
        Shape::Token.check(response)
    }
}
