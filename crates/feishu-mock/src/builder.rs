//! [`MockServerBuilder`]: the apps, chats, users, token timing, event
//! delivery and port of a server to start.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::clock::{Clock, SystemClock};
use crate::events::{EventConfig, WebhookTarget, check_url};
use crate::messages::{Chats, DEFAULT_CHATS};
use crate::server::MockServer;
use crate::state::{App, AppKind, Shared};
use crate::tokens::TokenPolicy;

/// Configures a [`MockServer`]; starts with the default apps (see the crate's
/// constants), the groups `oc_mock_general` ("General") and `oc_mock_random`
/// ("Random") with no members yet, a 7200 s token lifetime, a 30 min
/// re-issue threshold, a 30 day refresh token lifetime, Feishu's event
/// delivery timing (3 s timeout; retries after 15 s, 5 min, 1 h and 6 h), no
/// event target, the real clock and an ephemeral port.
pub struct MockServerBuilder {
    apps: HashMap<String, App>,
    /// Checked when the server starts, so a bad id is an error of `start`.
    chats: Vec<(String, String)>,
    users: Vec<(String, String)>,
    members: Vec<(String, String)>,
    event_target: Option<WebhookTarget>,
    policy: TokenPolicy,
    events: EventConfig,
    clock: Arc<dyn Clock>,
    port: u16,
}

impl Default for MockServerBuilder {
    fn default() -> Self {
        let chats = DEFAULT_CHATS
            .iter()
            .map(|&(chat_id, name)| (chat_id.to_owned(), name.to_owned()))
            .collect();
        let builder = MockServerBuilder {
            apps: HashMap::new(),
            chats,
            users: Vec::new(),
            members: Vec::new(),
            event_target: None,
            policy: TokenPolicy {
                lifetime: Duration::from_secs(7200),
                reissue_threshold: Duration::from_secs(30 * 60),
                refresh_lifetime: Duration::from_secs(30 * 24 * 3600),
            },
            events: EventConfig::default(),
            clock: Arc::new(SystemClock),
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
    /// [`MockServer::add_chat`]. A `chat_id` not shaped `oc_…` makes
    /// [`start`](MockServerBuilder::start) fail.
    pub fn chat(mut self, chat_id: &str, name: &str) -> Self {
        self.chats.push((chat_id.to_owned(), name.to_owned()));
        self
    }

    /// Adds a user with a name (renaming them if known); see
    /// [`MockServer::add_user`]. An `open_id` not shaped `ou_…` makes
    /// [`start`](MockServerBuilder::start) fail.
    pub fn user(mut self, open_id: &str, name: &str) -> Self {
        self.users.push((open_id.to_owned(), name.to_owned()));
        self
    }

    /// Makes the user `open_id` a member of the group `chat_id`; see
    /// [`MockServer::add_chat_member`]. A group not added before (by
    /// default or with [`chat`](MockServerBuilder::chat)) makes
    /// [`start`](MockServerBuilder::start) fail.
    ///
    /// ```
    /// let server = feishu_mock::MockServer::builder()
    ///     .chat("oc_team", "Team")
    ///     .user("ou_alice", "Alice")
    ///     .chat_member("oc_team", "ou_alice")
    ///     .start()
    ///     .expect("started");
    /// assert_eq!(server.chats()[2].members, ["ou_alice"]);
    /// ```
    pub fn chat_member(mut self, chat_id: &str, open_id: &str) -> Self {
        self.members.push((chat_id.to_owned(), open_id.to_owned()));
        self
    }

    /// The webhook events go to: what [`MockServer::set_event_target`] sets,
    /// from the start. A URL that is not `http://` makes
    /// [`start`](MockServerBuilder::start) fail.
    pub fn event_target(mut self, target: WebhookTarget) -> Self {
        self.event_target = Some(target);
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

    /// The clock the server judges time by (default [`SystemClock`], the real
    /// one): token, code and refresh-token lifetimes, the re-issue threshold,
    /// the `uuid` dedup window and message times. Give it a
    /// [`ManualClock`](crate::ManualClock) to move time forward in a test
    /// instead of sleeping; event delivery keeps the real clock.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let clock = feishu_mock::ManualClock::new();
    /// let server = feishu_mock::MockServer::builder()
    ///     .token_lifetime(Duration::from_secs(60))
    ///     .clock(clock.clone())
    ///     .start()
    ///     .expect("started");
    /// clock.advance(Duration::from_secs(61)); // every token issued so far has run out
    /// # drop(server);
    /// ```
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
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
    /// [`io::ErrorKind::InvalidInput`] for a chat, user or member id of the
    /// wrong shape, a member of an unknown group, or an event target that is
    /// not an `http://` URL; otherwise, if the port cannot be bound, or the
    /// thread or its runtime cannot start.
    pub fn start(self) -> io::Result<MockServer> {
        let invalid = |problem: String| io::Error::new(io::ErrorKind::InvalidInput, problem);
        let mut chats = Chats::default();
        for (chat_id, name) in &self.chats {
            chats
                .add_group(chat_id, name)
                .map_err(|e| invalid(e.to_string()))?;
        }
        for (open_id, name) in &self.users {
            chats
                .add_user(open_id, name)
                .map_err(|e| invalid(e.to_string()))?;
        }
        for (chat_id, open_id) in &self.members {
            chats
                .add_member(chat_id, open_id)
                .map_err(|e| invalid(e.to_string()))?;
        }
        if let Some(target) = &self.event_target {
            check_url(&target.url).map_err(invalid)?;
        }
        let shared = Shared::new(self.apps, self.policy, chats, self.events, self.clock);
        shared.events.set_target(self.event_target);
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
            .field("chats", &self.chats.len())
            .field("users", &self.users.len())
            .field("members", &self.members.len())
            .field("event_target", &self.event_target.as_ref().map(|t| &t.url))
            .field("token_lifetime", &self.policy.lifetime)
            .field("reissue_threshold", &self.policy.reissue_threshold)
            .field("refresh_token_lifetime", &self.policy.refresh_lifetime)
            .field("redelivery_delays", &self.events.redelivery_delays)
            .field("delivery_timeout", &self.events.timeout)
            .field("port", &self.port)
            .finish()
    }
}
