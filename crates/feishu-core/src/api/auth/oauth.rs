//! `POST {accounts}/oauth/v3/token`, and the authorize page URL
//!
//! User access tokens through OAuth 2.0: send the user to the authorize page,
//! exchange the code it returns, refresh before expiry. Refresh tokens rotate:
//! each works once. v3 is the version Feishu recommends and the official SDK
//! uses: the same bodies as the deprecated `/open-apis/authen/v2/oauth/token`
//! on the accounts host, with PKCE checked strictly (a `code_verifier`
//! without a `code_challenge` is refused).
//! Docs: <https://open.feishu.cn/document/authentication-management/access-token/obtain-oauth-code>
//! and <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/authentication-management/access-token/get-user-access-token-v3>

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::{App, Config, Secret, Shape, endpoint, segment};

/// The URL of the page where a user approves the app:
/// `{accounts}/open-apis/authen/v1/authorize?client_id=…&response_type=code&…`.
///
/// `scopes` are joined with spaces; ask for `offline_access` to get a refresh
/// token. `state` comes back unchanged on the redirect: use it against CSRF.
///
/// ```
/// use feishu_core::{Config, auth::authorize_url};
///
/// let url = authorize_url(&Config::feishu(), "cli_a5d611352af9d00b",
///     "https://example.com/api/oauth/callback", &["contact:contact", "offline_access"], "RANDOMSTRING");
/// assert_eq!(url, "https://accounts.feishu.cn/open-apis/authen/v1/authorize?client_id=cli_a5d611352af9d00b\
///     &response_type=code&redirect_uri=https%3A%2F%2Fexample.com%2Fapi%2Foauth%2Fcallback\
///     &scope=contact%3Acontact%20offline_access&state=RANDOMSTRING");
/// ```
pub fn authorize_url(
    config: &Config,
    app_id: &str,
    redirect_uri: &str,
    scopes: &[&str],
    state: &str,
) -> String {
    let mut url = format!(
        "{}/open-apis/authen/v1/authorize?client_id={}&response_type=code&redirect_uri={}",
        config.accounts_url(),
        segment(app_id),
        segment(redirect_uri),
    );
    // Writing into a String cannot fail.
    if !scopes.is_empty() {
        let _ = write!(url, "&scope={}", segment(&scopes.join(" ")));
    }
    if !state.is_empty() {
        let _ = write!(url, "&state={}", segment(state));
    }
    url
}

/// A request for a user access token: the code exchange or the refresh.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "grant_type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum UserAccessTokenRequest {
    /// Exchange the code the authorize page returned (valid 5 min, once).
    AuthorizationCode {
        /// The app id.
        client_id: String,
        /// The app secret.
        #[serde(serialize_with = "crate::secret::expose")]
        client_secret: Secret,
        /// The code from the redirect.
        #[serde(serialize_with = "crate::secret::expose")]
        code: Secret,
        /// The redirect URI the code was issued for, if one was sent.
        #[serde(skip_serializing_if = "Option::is_none")]
        redirect_uri: Option<String>,
        /// The PKCE verifier, if the authorize URL carried a challenge.
        #[serde(
            skip_serializing_if = "Option::is_none",
            serialize_with = "expose_optional"
        )]
        code_verifier: Option<Secret>,
    },
    /// Trade a refresh token for new tokens; the old refresh token dies.
    RefreshToken {
        /// The app id.
        client_id: String,
        /// The app secret.
        #[serde(serialize_with = "crate::secret::expose")]
        client_secret: Secret,
        /// The refresh token.
        #[serde(serialize_with = "crate::secret::expose")]
        refresh_token: Secret,
    },
}

fn expose_optional<S: serde::Serializer>(
    secret: &Option<Secret>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match secret {
        Some(secret) => crate::secret::expose(secret, serializer),
        None => serializer.serialize_none(),
    }
}

impl UserAccessTokenRequest {
    /// Exchanges an authorization code.
    pub fn authorization_code(
        app: &App,
        code: impl Into<Secret>,
        redirect_uri: Option<&str>,
    ) -> Self {
        Self::AuthorizationCode {
            client_id: app.app_id().to_owned(),
            client_secret: app.app_secret().clone(),
            code: code.into(),
            redirect_uri: redirect_uri.map(str::to_owned),
            code_verifier: None,
        }
    }

    /// Refreshes with a refresh token.
    pub fn refresh_token(app: &App, refresh_token: Secret) -> Self {
        Self::RefreshToken {
            client_id: app.app_id().to_owned(),
            client_secret: app.app_secret().clone(),
            refresh_token,
        }
    }
}

/// A user access token, as the server sent it.
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct UserAccessToken {
    /// The access token (a JWT, or `u-…` on older endpoints).
    #[serde(deserialize_with = "crate::secret::non_empty")]
    pub access_token: Secret,
    /// Seconds it remains valid.
    pub expires_in: u64,
    /// The refresh token, present when `offline_access` was granted (an
    /// empty one reads as none).
    #[serde(default, deserialize_with = "crate::secret::empty_as_none")]
    pub refresh_token: Option<Secret>,
    /// Seconds the refresh token remains valid.
    pub refresh_token_expires_in: Option<u64>,
    /// The granted scopes, space-separated.
    #[serde(default)]
    pub scope: String,
    /// Always `Bearer`.
    #[serde(default)]
    pub token_type: String,
}

endpoint! {
    UserAccessTokenRequest => UserAccessToken {
        id: "authen.v3.oauth.token",
        method: POST,
        host: Accounts,
        path: "/oauth/v3/token",
        tokens: [],
        body: json,
        shape: token(|_: &UserAccessTokenRequest, response| Shape::Token.decode(response)),
        // Codes and refresh tokens work once: a repeat would fail, or worse,
        // burn the rotated refresh token.
        idempotent: false,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/authentication-management/access-token/get-user-access-token-v3",
    }
}
