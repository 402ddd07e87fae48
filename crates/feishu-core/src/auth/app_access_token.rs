//! `POST /open-apis/auth/v3/app_access_token/internal` and
//! `POST /open-apis/auth/v3/app_access_token`
//!
//! Get an app access token, for a self-built or a marketplace app.
//! Docs: <https://open.feishu.cn/document/ukTMukTMukTM/ukDNz4SO0MjL5QzM/auth-v3/auth/app_access_token_internal>
//! and <https://open.larksuite.com/document/server-docs/getting-started/api-access-token/auth-v3/app_access_token>

use std::borrow::Cow;

use http::Method;
use serde::{Deserialize, Serialize};

use super::AppCredentials;
use crate::envelope::{Coded, decode_token};
use crate::{Body, Endpoint, Error, InvalidRequest, Secret, TokenKind};

/// A request for an app access token.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum AppAccessTokenRequest {
    /// A self-built app trades its `app_id` and `app_secret`.
    SelfBuilt {
        /// The app id, `cli_…`.
        app_id: String,
        /// The app secret.
        app_secret: Secret,
    },
    /// A marketplace app also needs the latest `app_ticket` Feishu pushed to it.
    Marketplace {
        /// The app id, `cli_…`.
        app_id: String,
        /// The app secret.
        app_secret: Secret,
        /// The ticket from the latest `app_ticket` event.
        app_ticket: Secret,
    },
}

impl AppAccessTokenRequest {
    /// A self-built app's request.
    pub fn self_built(app_id: impl Into<String>, app_secret: impl Into<Secret>) -> Self {
        Self::SelfBuilt {
            app_id: app_id.into(),
            app_secret: app_secret.into(),
        }
    }

    /// A marketplace app's request.
    pub fn marketplace(
        app_id: impl Into<String>,
        app_secret: impl Into<Secret>,
        app_ticket: impl Into<Secret>,
    ) -> Self {
        Self::Marketplace {
            app_id: app_id.into(),
            app_secret: app_secret.into(),
            app_ticket: app_ticket.into(),
        }
    }
}

/// An app access token, as the server sent it.
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct AppAccessToken {
    /// The token: `a-…` for marketplace apps, `t-…` for self-built ones.
    #[serde(deserialize_with = "crate::secret::non_empty")]
    pub app_access_token: Secret,
    /// The tenant access token the self-built endpoint returns alongside
    /// (an empty one reads as none).
    #[serde(default, deserialize_with = "crate::secret::empty_as_none")]
    pub tenant_access_token: Option<Secret>,
    /// Seconds it remains valid, counted from the response (at most 7200).
    pub expire: u64,
    /// Always 0 here: a non-zero code is an [`Error::Api`].
    #[serde(deserialize_with = "crate::envelope::deserialize_code")]
    pub code: i64,
    /// The server's message, `ok` or `success`.
    #[serde(default, alias = "message")]
    pub msg: String,
}

impl Coded for AppAccessToken {
    fn code(&self) -> i64 {
        self.code
    }
}

#[derive(Serialize)]
struct MarketplaceBody<'a> {
    #[serde(flatten)]
    credentials: AppCredentials<'a>,
    app_ticket: &'a str,
}

impl Endpoint for AppAccessTokenRequest {
    type Output = AppAccessToken;

    fn method(&self) -> Method {
        Method::POST
    }

    fn path(&self) -> Cow<'_, str> {
        Cow::Borrowed(match self {
            Self::SelfBuilt { .. } => "/open-apis/auth/v3/app_access_token/internal",
            Self::Marketplace { .. } => "/open-apis/auth/v3/app_access_token",
        })
    }

    fn body(&self) -> Result<Body, InvalidRequest> {
        match self {
            Self::SelfBuilt { app_id, app_secret } => {
                Body::json(&AppCredentials::new(app_id, app_secret))
            }
            Self::Marketplace {
                app_id,
                app_secret,
                app_ticket,
            } => Body::json(&MarketplaceBody {
                credentials: AppCredentials::new(app_id, app_secret),
                app_ticket: app_ticket.expose(),
            }),
        }
    }

    fn token_kind(&self) -> TokenKind {
        TokenKind::None
    }

    // Asking for a token twice is harmless: the server returns the same one.
    fn idempotent(&self) -> bool {
        true
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<AppAccessToken, Error> {
        decode_token(response)
    }
}
