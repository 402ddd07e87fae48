//! The app a client acts for: its id, its secret and how it gets tokens.

use std::sync::Arc;

use crate::Secret;

/// How an app obtains its tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AppKind {
    /// A self-built ("internal", 企业自建) app: `app_id` + `app_secret` buy
    /// tokens directly, for the one tenant that built it.
    SelfBuilt,
    /// A marketplace (store) app: it needs the `app_ticket` Feishu pushes hourly,
    /// and a `tenant_key` for every tenant that installed it.
    Marketplace,
}

/// An app's credentials.
///
/// ```
/// use feishu_core::{App, AppKind};
///
/// let app = App::self_built("cli_a5d611352af9d00b", "app-secret");
/// assert_eq!(app.kind(), AppKind::SelfBuilt);
/// assert!(!format!("{app:?}").contains("app-secret"));
/// ```
#[derive(Clone, Debug)]
pub struct App {
    app_id: Arc<str>,
    app_secret: Secret,
    kind: AppKind,
}

impl App {
    /// A self-built app.
    pub fn self_built(app_id: impl Into<Arc<str>>, app_secret: impl Into<Secret>) -> Self {
        Self::new(app_id, app_secret, AppKind::SelfBuilt)
    }

    /// A marketplace app.
    pub fn marketplace(app_id: impl Into<Arc<str>>, app_secret: impl Into<Secret>) -> Self {
        Self::new(app_id, app_secret, AppKind::Marketplace)
    }

    /// An app of the given kind.
    pub fn new(app_id: impl Into<Arc<str>>, app_secret: impl Into<Secret>, kind: AppKind) -> Self {
        Self {
            app_id: app_id.into(),
            app_secret: app_secret.into(),
            kind,
        }
    }

    /// The app id, `cli_…`.
    pub fn app_id(&self) -> &str {
        &self.app_id
    }

    /// The app secret.
    pub fn app_secret(&self) -> &Secret {
        &self.app_secret
    }

    /// How the app obtains its tokens.
    pub fn kind(&self) -> AppKind {
        self.kind
    }

    pub(crate) fn shared_id(&self) -> &Arc<str> {
        &self.app_id
    }
}
