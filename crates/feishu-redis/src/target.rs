//! A Redis to connect to, named in logs and `Debug` by its address only.

use std::fmt;

use redis::{Client, IntoConnectionInfo};

/// A Redis URL that does not parse.
#[derive(Debug, thiserror::Error)]
#[error("invalid Redis URL: {kind}")]
pub struct InvalidUrl {
    kind: String,
}

/// The Redis a store uses: its client (never printed: the URL may hold a
/// password) and its address.
#[derive(Clone)]
pub(crate) struct Target {
    pub(crate) client: Client,
    /// `host:port`, for logs.
    pub(crate) address: String,
}

impl Target {
    pub(crate) fn open(url: impl IntoConnectionInfo) -> Result<Self, InvalidUrl> {
        // The parse error's text may quote the URL, password and all: only
        // its kind is kept.
        let info = url.into_connection_info().map_err(|error| InvalidUrl {
            kind: format!("{:?}", error.kind()),
        })?;
        let address = info.addr().to_string();
        let client = Client::open(info).map_err(|error| InvalidUrl {
            kind: format!("{:?}", error.kind()),
        })?;
        Ok(Self { client, address })
    }
}

impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Redis").field(&self.address).finish()
    }
}
