//! `POST /open-apis/auth/v3/app_access_token/internal` and
//! `POST /open-apis/auth/v3/app_access_token`
//!
//! Get an app access token, for a self-built or a marketplace app.
//! Docs: <https://open.feishu.cn/document/ukTMukTMukTM/ukDNz4SO0MjL5QzM/auth-v3/auth/app_access_token_internal>
//! and <https://open.larksuite.com/document/server-docs/getting-started/api-access-token/auth-v3/app_access_token>

use serde::{Deserialize, Serialize};

use crate::wire::envelope::Coded;
use crate::{Metadata, Secret};

/// A request for an app access token.
///
/// One type for two APIs: [`Endpoint::metadata`](crate::Endpoint::metadata) tells which a value calls.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum AppAccessTokenRequest {
    /// A self-built app trades its `app_id` and `app_secret`.
    SelfBuilt {
        /// The app id, `cli_…`.
        app_id: String,
        /// The app secret.
        #[serde(serialize_with = "crate::secret::expose")]
        app_secret: Secret,
    },
    /// A marketplace app also needs the latest `app_ticket` Feishu pushed to it.
    Marketplace {
        /// The app id, `cli_…`.
        app_id: String,
        /// The app secret.
        #[serde(serialize_with = "crate::secret::expose")]
        app_secret: Secret,
        /// The ticket from the latest `app_ticket` event.
        #[serde(serialize_with = "crate::secret::expose")]
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
    /// Always 0 here: a non-zero code is an [`ParseError::Api`](crate::ParseError::Api).
    #[serde(deserialize_with = "crate::wire::envelope::deserialize_code")]
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

/// `app_access_token/internal`: a self-built app's token.
const SELF_BUILT: Metadata = super::token_api(
    "auth.v3.app_access_token.internal",
    "/open-apis/auth/v3/app_access_token/internal",
    "https://open.feishu.cn/document/ukTMukTMukTM/ukDNz4SO0MjL5QzM/auth-v3/auth/app_access_token_internal",
);

/// `app_access_token`: a marketplace app's token, bought with its ticket.
const MARKETPLACE: Metadata = super::token_api(
    "auth.v3.app_access_token.create",
    "/open-apis/auth/v3/app_access_token",
    "https://open.larksuite.com/document/server-docs/getting-started/api-access-token/auth-v3/app_access_token",
);

super::two_flows!(AppAccessTokenRequest => AppAccessToken, SELF_BUILT, MARKETPLACE);
