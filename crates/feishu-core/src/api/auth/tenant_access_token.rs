//! `POST /open-apis/auth/v3/tenant_access_token/internal` and
//! `POST /open-apis/auth/v3/tenant_access_token`
//!
//! Get a tenant access token, for a self-built or a marketplace app.
//! Docs: <https://open.feishu.cn/document/ukTMukTMukTM/ukDNz4SO0MjL5QzM/auth-v3/auth/tenant_access_token_internal>
//! and <https://open.feishu.cn/document/ukTMukTMukTM/ukDNz4SO0MjL5QzM/auth-v3/tenant_access_token/create>

use serde::{Deserialize, Serialize};

use super::non_empty;
use crate::wire::envelope::Coded;
use crate::{InvalidRequest, Metadata, Secret};

/// A request for a tenant access token.
///
/// One type for two APIs: [`Endpoint::metadata`](crate::Endpoint::metadata) tells which a value calls.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum TenantAccessTokenRequest {
    /// A self-built app trades its `app_id` and `app_secret`.
    SelfBuilt {
        /// The app id, `cli_…`.
        app_id: String,
        /// The app secret.
        #[serde(serialize_with = "crate::secret::expose")]
        app_secret: Secret,
    },
    /// A marketplace app trades its app access token for one tenant.
    Marketplace {
        /// The marketplace app access token, `a-…` (not the app id).
        #[serde(serialize_with = "crate::secret::expose")]
        app_access_token: Secret,
        /// The tenant the token is for.
        tenant_key: String,
    },
}

impl TenantAccessTokenRequest {
    /// A self-built app's request.
    pub fn self_built(app_id: impl Into<String>, app_secret: impl Into<Secret>) -> Self {
        Self::SelfBuilt {
            app_id: app_id.into(),
            app_secret: app_secret.into(),
        }
    }

    /// A marketplace app's request for one tenant.
    pub fn marketplace(app_access_token: impl Into<Secret>, tenant_key: impl Into<String>) -> Self {
        Self::Marketplace {
            app_access_token: app_access_token.into(),
            tenant_key: tenant_key.into(),
        }
    }

    /// Picks the flow by the first input's prefix, as open-feishu's
    /// `get_tenant_access_token(input_a, input_b)` does: `cli_…` is a self-built
    /// app id (with its app secret), `a-…` a marketplace app access token (with
    /// a tenant key). Anything else, or an empty input, is refused here, before
    /// any request exists.
    ///
    /// ```
    /// use feishu_core::{Error, InvalidRequest, auth::TenantAccessTokenRequest};
    ///
    /// let request = TenantAccessTokenRequest::from_inputs("cli_a5d611352af9d00b", "secret")?;
    /// assert!(matches!(request, TenantAccessTokenRequest::SelfBuilt { .. }));
    /// let request = TenantAccessTokenRequest::from_inputs("a-6U1SbDiM6XIH2DcTCPyeub", "73658811060f175d")?;
    /// assert!(matches!(request, TenantAccessTokenRequest::Marketplace { .. }));
    /// assert!(matches!(
    ///     TenantAccessTokenRequest::from_inputs("t-whatever", "x"),
    ///     Err(InvalidRequest::UnknownAppKind)
    /// ));
    /// # Ok::<(), InvalidRequest>(())
    /// ```
    pub fn from_inputs(input_a: &str, input_b: &str) -> Result<Self, InvalidRequest> {
        if input_a.starts_with("cli_") {
            non_empty("app_secret", input_b)?;
            Ok(Self::self_built(input_a, input_b))
        } else if input_a.starts_with("a-") {
            non_empty("tenant_key", input_b)?;
            Ok(Self::marketplace(input_a, input_b))
        } else {
            Err(InvalidRequest::UnknownAppKind)
        }
    }
}

/// A tenant access token, as the server sent it.
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct TenantAccessToken {
    /// The token, `t-…`; never empty.
    #[serde(deserialize_with = "crate::secret::non_empty")]
    pub tenant_access_token: Secret,
    /// Seconds it remains valid, counted from the response (at most 7200).
    pub expire: u64,
    /// Always 0 here: a non-zero code is an [`ParseError::Api`](crate::ParseError::Api).
    #[serde(deserialize_with = "crate::wire::envelope::deserialize_code")]
    pub code: i64,
    /// The server's message, `ok` or `success`.
    #[serde(default, alias = "message")]
    pub msg: String,
}

impl Coded for TenantAccessToken {
    fn code(&self) -> i64 {
        self.code
    }
}

/// `tenant_access_token/internal`: a self-built app's token.
const SELF_BUILT: Metadata = super::token_api(
    "auth.v3.tenant_access_token.internal",
    "/open-apis/auth/v3/tenant_access_token/internal",
    "https://open.feishu.cn/document/ukTMukTMukTM/ukDNz4SO0MjL5QzM/auth-v3/auth/tenant_access_token_internal",
);

/// `tenant_access_token`: a marketplace app's token for one tenant.
const MARKETPLACE: Metadata = super::token_api(
    "auth.v3.tenant_access_token.create",
    "/open-apis/auth/v3/tenant_access_token",
    "https://open.feishu.cn/document/ukTMukTMukTM/ukDNz4SO0MjL5QzM/auth-v3/tenant_access_token/create",
);

super::two_flows!(TenantAccessTokenRequest => TenantAccessToken, SELF_BUILT, MARKETPLACE);
