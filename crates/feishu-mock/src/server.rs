//! The running server: its own OS thread and tokio runtime, started by
//! [`MockServerBuilder`], stopped on drop.

use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, mpsc};
use std::thread::{self, JoinHandle};

use axum::Router;
use axum::http::Uri;
use axum::middleware;
use axum::response::Response;
use tokio::net::TcpListener;
use tokio::runtime::Handle;
use tokio::sync::watch;

use crate::builder::MockServerBuilder;
use crate::fault::Fault;
use crate::intercept::intercept;
use crate::messages::{StoredChat, StoredMessage, StoredUser};
use crate::state::Shared;
use crate::tokens::TokenKind;
use crate::uploads::StoredUpload;
use crate::{auth, connection, control, im, oauth, oidc, reply, user_info};

/// A running mock server on `127.0.0.1`; dropping it stops the server.
///
/// ```
/// let server = feishu_mock::MockServer::start();
/// println!("Feishu is at {}", server.url());
/// ```
pub struct MockServer {
    url: String,
    pub(crate) shared: Arc<Shared>,
    /// The server thread's runtime, which also runs event deliveries.
    pub(crate) runtime: Handle,
    stop: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
}

impl MockServer {
    /// Starts a server with the default apps on an ephemeral port.
    ///
    /// # Panics
    ///
    /// If the server cannot start (no port on `127.0.0.1` can be bound, or no
    /// thread can be spawned). Use [`MockServer::builder`] to get the error instead.
    pub fn start() -> MockServer {
        MockServer::builder()
            .start()
            .unwrap_or_else(|e| panic!("feishu-mock: cannot start the server: {e}"))
    }

    /// A builder to add apps or change the port and token timing.
    pub fn builder() -> MockServerBuilder {
        MockServerBuilder::default()
    }

    /// Starts serving `shared` on `127.0.0.1:<port>` from a new thread.
    pub(crate) fn spawn(shared: Shared, port: u16) -> io::Result<MockServer> {
        let shared = Arc::new(shared);
        let app = router(Arc::clone(&shared));
        let (stop, stop_rx) = watch::channel(false);
        let (ready_tx, ready_rx) = mpsc::channel();
        // A thread and runtime of its own, so starting works from sync code and
        // from inside any runtime, even a current-thread one whose test blocks.
        let thread = thread::Builder::new()
            .name("feishu-mock".to_owned())
            .spawn(move || run(port, app, stop_rx, &ready_tx))?;
        let bound = ready_rx.recv();
        let (addr, runtime) = match bound {
            Ok(Ok(bound)) => bound,
            Ok(Err(e)) => {
                let _ = thread.join();
                return Err(e);
            }
            Err(_) => {
                let _ = thread.join();
                return Err(io::Error::other(
                    "feishu-mock: server thread exited before binding",
                ));
            }
        };
        Ok(MockServer {
            url: format!("http://{addr}"),
            shared,
            runtime,
            stop,
            thread: Some(thread),
        })
    }

    /// The base URL, such as `http://127.0.0.1:41234` (no trailing slash).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// How many requests arrived on `path` (without the query), faults included.
    pub fn hits(&self, path: &str) -> usize {
        self.shared.hits(path)
    }

    /// Queues `fault` for `path` (without the query); queued faults answer in
    /// FIFO order, each for its `times` requests.
    ///
    /// Any path works, including ones the mock does not implement, so a test
    /// can script an endpoint's answer.
    pub fn inject(&self, path: &str, fault: Fault) {
        self.shared.inject(path, fault);
    }

    /// The messages sent so far (replies, forwards and user messages
    /// included), oldest first; a request that a `uuid` deduplicated adds
    /// nothing. Recalled messages stay, with `deleted` set.
    ///
    /// ```
    /// let server = feishu_mock::MockServer::start();
    /// assert!(server.messages().is_empty());
    /// ```
    pub fn messages(&self) -> Vec<StoredMessage> {
        self.shared.messages().records()
    }

    /// Adds a group chat the bot is in, or renames it (keeping its
    /// members). Sends, forwards and history requests to chats the mock does
    /// not know get 230002.
    ///
    /// # Panics
    ///
    /// If `chat_id` is not `oc_` and 1 to 64 ASCII letters, digits, `_` or `-`.
    ///
    /// ```
    /// let server = feishu_mock::MockServer::start();
    /// server.add_chat("oc_team", "Team");
    /// ```
    pub fn add_chat(&self, chat_id: &str, name: &str) {
        self.shared
            .add_chat(chat_id, name)
            .unwrap_or_else(|e| panic!("feishu-mock: add_chat: {e}"));
    }

    /// Adds a user, or renames them: the name `GET /open-apis/authen/v1/user_info`
    /// and `GET /open-apis/im/v1/chats/:chat_id/members` show. A user nobody
    /// named is "Mock User"; users also become known by posting.
    ///
    /// # Panics
    ///
    /// If `open_id` is not `ou_` and 1 to 64 ASCII letters, digits, `_` or `-`.
    pub fn add_user(&self, open_id: &str, name: &str) {
        self.shared
            .add_user(open_id, name)
            .unwrap_or_else(|e| panic!("feishu-mock: add_user: {e}"));
    }

    /// Makes the user `open_id` a member of the group `chat_id` (once), and
    /// a known user if they were not. A user who posts in a group (see
    /// [`post_user_message`](MockServer::post_user_message)) joins it too.
    ///
    /// # Panics
    ///
    /// If `open_id` is not shaped `ou_…`, or the bot is in no group `chat_id`.
    ///
    /// ```
    /// let server = feishu_mock::MockServer::start();
    /// server.add_chat("oc_team", "Team");
    /// server.add_chat_member("oc_team", "ou_alice");
    /// assert_eq!(server.chats()[2].members, ["ou_alice"]);
    /// ```
    pub fn add_chat_member(&self, chat_id: &str, open_id: &str) {
        self.shared
            .add_chat_member(chat_id, open_id)
            .unwrap_or_else(|e| panic!("feishu-mock: add_chat_member: {e}"));
    }

    /// The group chats the bot is in, with their members, in the order they
    /// were added (p2p chats are not listed).
    pub fn chats(&self) -> Vec<StoredChat> {
        self.shared.messages().chats().groups().to_vec()
    }

    /// The users the mock knows, in the order they became known.
    pub fn users(&self) -> Vec<StoredUser> {
        self.shared.messages().chats().users().to_vec()
    }

    /// Posts a message from the user `open_id` in `chat_id`, as if they had
    /// typed it, and returns its `message_id`; the bot can then reply to,
    /// forward or read it, but not edit or recall it. `content` is
    /// serialized JSON, as in a send; the sender's tenant is
    /// `mock_self_built_tenant`. In a group, the user becomes a member.
    ///
    /// # Panics
    ///
    /// If `open_id` is not shaped `ou_…`, `content` is not a serialized JSON
    /// object, or the bot is in no chat `chat_id` (a group, or a p2p chat it
    /// has sent to).
    pub fn post_user_message(
        &self,
        chat_id: &str,
        open_id: &str,
        msg_type: &str,
        content: &str,
    ) -> String {
        self.shared
            .post_user_message(chat_id, open_id, msg_type, content)
            .unwrap_or_else(|e| panic!("feishu-mock: post_user_message: {e}"))
    }

    /// Marks `message_id` as read by the user `open_id` (once per user), for
    /// `GET …/messages/:message_id/read_users`.
    ///
    /// # Panics
    ///
    /// If `open_id` is not shaped `ou_…`, or there is no message `message_id`.
    pub fn mark_read(&self, message_id: &str, open_id: &str) {
        self.shared
            .mark_read(message_id, open_id)
            .unwrap_or_else(|e| panic!("feishu-mock: mark_read: {e}"));
    }

    /// The images and files uploaded so far, oldest first.
    ///
    /// ```
    /// let server = feishu_mock::MockServer::start();
    /// assert!(server.uploads().is_empty());
    /// ```
    pub fn uploads(&self) -> Vec<StoredUpload> {
        self.shared.uploads().records()
    }

    /// Sets every hit count back to zero.
    pub fn reset_hits(&self) {
        self.shared.reset_hits();
    }

    /// Invalidates every access token (app, tenant, user) issued so far;
    /// refresh tokens stay valid.
    ///
    /// The next API call with a revoked token gets the matching token-invalid
    /// code (99991663 tenant, 99991664 app, 99991668 user); the next token
    /// request issues a new token, since a revoked one is never handed out again.
    pub fn revoke_tokens(&self) {
        self.shared.tokens().revoke_all();
    }

    /// Simulates a user approving the app in the browser: returns a fresh OAuth
    /// authorization code for (`app_id`, `open_id`), valid 5 minutes, usable once.
    ///
    /// Any `open_id` works (see [`MOCK_USER_OPEN_ID`](crate::MOCK_USER_OPEN_ID)).
    /// The user's tenant is a marketplace app's first tenant, else
    /// `mock_self_built_tenant`. An unknown `app_id` gets a code that no
    /// client can exchange.
    ///
    /// ```
    /// use feishu_mock::{MOCK_USER_OPEN_ID, MockServer, SELF_BUILT_APP_ID};
    ///
    /// let server = MockServer::start();
    /// let code = server.authorize(SELF_BUILT_APP_ID, MOCK_USER_OPEN_ID);
    /// // The client under test posts `code` to /open-apis/authen/v2/oauth/token
    /// // with grant_type=authorization_code and the app's credentials.
    /// assert!(!code.is_empty());
    /// assert_eq!(server.tokens_issued("user"), 0);
    /// ```
    pub fn authorize(&self, app_id: &str, open_id: &str) -> String {
        self.shared.authorize(app_id, open_id, self.shared.now())
    }

    /// Replaces the marketplace app's accepted `app_ticket` and returns the new
    /// one; the old one then gets 10012. Tokens already issued stay valid.
    ///
    /// # Panics
    ///
    /// If `app_id` is not a marketplace app of this server.
    pub fn rotate_app_ticket(&self, app_id: &str) -> String {
        self.shared
            .new_app_ticket(app_id)
            .unwrap_or_else(|e| panic!("feishu-mock: rotate_app_ticket: {e}"))
    }

    /// Number of token requests answered with a token, per kind: `"tenant"`
    /// (both `tenant_access_token` endpoints), `"app"` (both
    /// `app_access_token` endpoints) and `"user"` (OAuth code exchanges and
    /// refreshes). Scripted faults don't count; a re-issued token does.
    ///
    /// # Panics
    ///
    /// If `kind` is none of those three.
    pub fn tokens_issued(&self, kind: &str) -> usize {
        let kind = match kind {
            "tenant" => TokenKind::Tenant,
            "app" => TokenKind::App,
            "user" => TokenKind::User,
            other => panic!(
                "feishu-mock: tokens_issued: unknown kind {other:?} (use \"tenant\", \"app\" or \"user\")"
            ),
        };
        self.shared.issued(kind)
    }
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("url", &self.url)
            .finish()
    }
}

impl Drop for MockServer {
    /// Stops accepting, lets in-flight requests finish for up to a second, and
    /// joins the server thread, so it blocks the caller for at most about a second.
    /// Background event deliveries still retrying are abandoned.
    fn drop(&mut self) {
        self.stop.send_replace(true);
        if let Some(thread) = self.thread.take() {
            // A panic on the server thread already failed whatever it served.
            let _ = thread.join();
        }
    }
}

/// Every route, behind the hit/fault/log-id layer (which the control API
/// passes through); unknown paths get the 404.
fn router(shared: Arc<Shared>) -> Router {
    let spec = crate::spec::fallback();
    Router::new()
        .merge(control::routes())
        .merge(auth::routes())
        .merge(oauth::routes())
        .merge(oidc::routes())
        .merge(user_info::routes())
        .merge(im::routes())
        .merge(crate::cardkit::routes())
        .merge(crate::long_connection::routes())
        // Every other API of the spec, checked and answered from it (also a
        // method the routes above lack on their path); paths it does not know
        // get `not_found`'s answers.
        .fallback(spec.clone())
        .method_not_allowed_fallback(spec)
        .layer(middleware::from_fn_with_state(
            Arc::clone(&shared),
            intercept,
        ))
        .with_state(shared)
}

/// Feishu's plain-text 404, or the control API's JSON one under `/_mock`.
pub(crate) async fn not_found(uri: Uri) -> Response {
    if control::is_control_path(uri.path()) {
        control::not_found().await
    } else {
        reply::not_found().await
    }
}

/// The server thread: a current-thread runtime serving (and delivering
/// events) until told to stop.
fn run(
    port: u16,
    app: Router,
    stop: watch::Receiver<bool>,
    ready: &mpsc::Sender<io::Result<(SocketAddr, Handle)>>,
) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build();
    match runtime {
        Ok(runtime) => runtime.block_on(serve(port, app, stop, ready)),
        Err(e) => {
            let _ = ready.send(Err(e));
        }
    }
    // Dropping the runtime cancels any connection the grace period did not end.
}

async fn serve(
    port: u16,
    app: Router,
    stop: watch::Receiver<bool>,
    ready: &mpsc::Sender<io::Result<(SocketAddr, Handle)>>,
) {
    let listener = match TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await {
        Ok(listener) => listener,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    match listener.local_addr() {
        Ok(addr) => {
            let _ = ready.send(Ok((addr, Handle::current())));
        }
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    }
    connection::serve(listener, app, stop).await;
}
