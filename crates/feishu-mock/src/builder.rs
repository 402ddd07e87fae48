//! [`MockServerBuilder`]: the apps, token timing and port of a server to start.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io;
use std::sync::Mutex;
use std::time::Duration;

use crate::events::EventConfig;
use crate::messages::{Chats, DEFAULT_CHATS};
use crate::server::MockServer;
use crate::state::{App, AppKind, Shared};
use crate::tokens::TokenPolicy;

/// Configures a [`MockServer`]; starts with the default apps (see the crate's
/// constants), the groups `oc_mock_general` ("General") and `oc_mock_random`
/// ("Random"), a 7200 s token lifetime, a 30 min re-issue threshold, a 30 day
/// refresh token lifetime, Feishu's event delivery timing (3 s timeout; retries
/// after 15 s, 5 min, 1 h and 6 h) and an ephemeral port.
pub struct MockServerBuilder {
    apps: HashMap<String, App>,
    chats: Chats,
    policy: TokenPolicy,
    events: EventConfig,
    port: u16,
}

impl Default for MockServerBuilder {
    fn default() -> Self {
        let mut chats = Chats::default();
        for (chat_id, name) in DEFAULT_CHATS {
            chats.add_group(chat_id, name);
        }
        let builder = MockServerBuilder {
            apps: HashMap::new(),
            chats,
            policy: TokenPolicy {
                lifetime: Duration::from_secs(7200),
                reissue_threshold: Duration::from_secs(30 * 60),
                refresh_lifetime: Duration::from_secs(30 * 24 * 3600),
            },
            events: EventConfig::default(),
            port: 0,
        };
        builder
            .self_built_app(crate::SELF_BUILT_APP_ID, crate::SELF_BUILT_APP_SECRET)
            .marketplace_app(
                crate::MARKETPLACE_APP_ID,
                crate::MARKETPLACE_APP_SECRET,
                crate::MARKETPLACE_APP_TICKET,
                &[crate::MARKETPLACE_TENANT_KEY],
            )
    }
}

impl MockServerBuilder {
    /// Adds a self-built app (replacing any app with this id). Its tenant key
    /// is `mock_self_built_tenant`.
    pub fn self_built_app(mut self, app_id: &str, app_secret: &str) -> Self {
        let app = App {
            secret: app_secret.to_owned(),
            kind: AppKind::SelfBuilt,
        };
        self.apps.insert(app_id.to_owned(), app);
        self
    }

    /// Adds a marketplace app (replacing any app with this id) that accepts
    /// `app_ticket` and is installed by the tenants in `tenant_keys`.
    pub fn marketplace_app(
        mut self,
        app_id: &str,
        app_secret: &str,
        app_ticket: &str,
        tenant_keys: &[&str],
    ) -> Self {
        let app = App {
            secret: app_secret.to_owned(),
            kind: AppKind::Marketplace {
                app_ticket: Mutex::new(app_ticket.to_owned()),
                tenant_keys: tenant_keys.iter().map(|&key| key.to_owned()).collect(),
            },
        };
        self.apps.insert(app_id.to_owned(), app);
        self
    }

    /// Adds a group chat the bot is in (renaming it if it exists); see
    /// [`MockServer::add_chat`].
    pub fn chat(mut self, chat_id: &str, name: &str) -> Self {
        self.chats.add_group(chat_id, name);
        self
    }

    /// How long a new access token lives, user tokens included (default
    /// 7200 s, Feishu's maximum).
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.policy.lifetime = lifetime;
        self
    }

    /// A token request returns the current token while it has at least this
    /// long left, else a new one (default 30 min, Feishu's rule). With a
    /// lifetime at or below the threshold, every request gets a new token.
    pub fn reissue_threshold(mut self, t: Duration) -> Self {
        self.policy.reissue_threshold = t;
        self
    }

    /// How long an OAuth refresh token lives (default 30 days).
    pub fn refresh_token_lifetime(mut self, d: Duration) -> Self {
        self.policy.refresh_lifetime = d;
        self
    }

    /// The waits before each retry of a failed event delivery; their number
    /// is the number of retries (default Feishu's 15 s, 5 min, 1 h and 6 h).
    /// See [`MockServer::deliver_event`].
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let server = feishu_mock::MockServer::builder()
    ///     .redelivery_delays(vec![Duration::from_millis(10); 2])
    ///     .delivery_timeout(Duration::from_millis(500))
    ///     .start()
    ///     .expect("started");
    /// # drop(server);
    /// ```
    pub fn redelivery_delays(mut self, delays: Vec<Duration>) -> Self {
        self.events.redelivery_delays = delays;
        self
    }

    /// How long a webhook has to answer HTTP 200 before the attempt counts
    /// as failed, connecting included (default 3 s, Feishu's deadline).
    pub fn delivery_timeout(mut self, timeout: Duration) -> Self {
        self.events.timeout = timeout;
        self
    }

    /// The port to listen on (default 0: any free port).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Binds `127.0.0.1:<port>` and starts serving on a new thread; the URL is
    /// live when this returns.
    ///
    /// # Errors
    ///
    /// If the port cannot be bound, or the thread or its runtime cannot start.
    pub fn start(self) -> io::Result<MockServer> {
        let shared = Shared::new(self.apps, self.policy, self.chats, self.events);
        MockServer::spawn(shared, self.port)
    }
}

impl fmt::Debug for MockServerBuilder {
    /// Lists app ids and settings; secrets stay out of logs even for mock apps.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let apps: BTreeMap<_, _> = self
            .apps
            .iter()
            .map(|(id, app)| {
                let kind = match app.kind {
                    AppKind::SelfBuilt => "self-built",
                    AppKind::Marketplace { .. } => "marketplace",
                };
                (id.as_str(), kind)
            })
            .collect();
        f.debug_struct("MockServerBuilder")
            .field("apps", &apps)
            .field("chats", &self.chats.groups().len())
            .field("token_lifetime", &self.policy.lifetime)
            .field("reissue_threshold", &self.policy.reissue_threshold)
            .field("refresh_token_lifetime", &self.policy.refresh_lifetime)
            .field("redelivery_delays", &self.events.redelivery_delays)
            .field("delivery_timeout", &self.events.timeout)
            .field("port", &self.port)
            .finish()
    }
}
