//! The events methods of [`MockServer`].

use std::sync::{Arc, mpsc};

use serde_json::Value;

use super::delivery::Job;
use super::http::Endpoint;
use super::{DeliveryReport, Tamper, WebhookTarget};
use crate::server::MockServer;

impl MockServer {
    /// Delivers the plaintext event `payload` to `target` as Feishu does, and
    /// blocks until it is delivered or out of retries.
    ///
    /// Each attempt is a `POST` with `Content-Type: application/json` over a
    /// new connection, with the payload as is (the verification token
    /// already inside it: the builders [`message_event`](MockServer::message_event)
    /// and [`app_ticket_event`](MockServer::app_ticket_event) put it there),
    /// encrypted and signed per `target.security` with a fresh timestamp,
    /// nonce, IV and signature. An attempt fails unless the answer is HTTP 200
    /// within the delivery timeout (default 3 s); failures are retried after
    /// the redelivery delays (default Feishu's 15 s, 5 min, 1 h and 6 h: at
    /// most 4 retries). Shorten both with
    /// [`MockServerBuilder::delivery_timeout`](crate::MockServerBuilder::delivery_timeout)
    /// and [`MockServerBuilder::redelivery_delays`](crate::MockServerBuilder::redelivery_delays).
    ///
    /// The delivery runs on the mock's own runtime; the calling thread only
    /// waits. Call it from any plain thread, or from inside a multi-thread
    /// tokio runtime through `tokio::task::spawn_blocking`. Do **not** call it
    /// on the thread of a current-thread runtime (such as a plain
    /// `#[tokio::test]`) that also runs the receiver: the receiver could not
    /// answer while the thread waits, so every attempt would time out.
    ///
    /// # Panics
    ///
    /// If `target.url` is not an `http://` URL.
    ///
    /// ```no_run
    /// use feishu_mock::{EventSecurity, MockServer, WebhookTarget};
    ///
    /// let server = MockServer::start();
    /// let target = WebhookTarget {
    ///     url: "http://127.0.0.1:8080/webhook/event".to_owned(),
    ///     security: EventSecurity::Encrypted {
    ///         encrypt_key: "my encrypt key".to_owned(),
    ///         verification_token: "my token".to_owned(),
    ///     },
    /// };
    /// let event = server.message_event("oc_mock_general", "ou_alice", "hi", "my token");
    /// let report = server.deliver_event(&target, &event);
    /// assert!(report.delivered, "{report:?}");
    /// ```
    pub fn deliver_event(&self, target: &WebhookTarget, payload: &Value) -> DeliveryReport {
        self.deliver_event_with(target, payload, Tamper::None)
    }

    /// [`deliver_event`](MockServer::deliver_event), spoiled by `tamper`
    /// on every attempt.
    ///
    /// # Panics
    ///
    /// If `target.url` is not an `http://` URL.
    pub fn deliver_event_with(
        &self,
        target: &WebhookTarget,
        payload: &Value,
        tamper: Tamper,
    ) -> DeliveryReport {
        let job = Job::new(target, payload.clone(), tamper)
            .unwrap_or_else(|e| panic!("feishu-mock: deliver_event: {e}"));
        let hub = Arc::clone(&self.shared.events);
        let (done, report) = mpsc::channel();
        self.runtime.spawn(async move {
            let _ = done.send(hub.deliver(job).await);
        });
        // The runtime lives as long as `self`, and the task always sends.
        report
            .recv()
            .unwrap_or_else(|_| panic!("feishu-mock: deliver_event: the server thread is gone"))
    }

    /// A v2 `im.message.receive_v1` event (fresh `event_id`, `create_time`
    /// in ms) for a text message from `open_id` in `chat_id`, as Feishu sends
    /// it to the default self-built app; `token` is the verification token to
    /// embed (`header.token`).
    ///
    /// The message is also stored, sent by `open_id` of
    /// `mock_self_built_tenant` (so the bot can reply to its `message_id`).
    /// A group the mock knows gives `chat_type: "group"` (and makes the user
    /// a member); any other chat id is taken as the p2p chat the user opened
    /// with the bot (`chat_type: "p2p"`), which the bot is then in.
    ///
    /// # Panics
    ///
    /// If `open_id` is not shaped `ou_…` or `chat_id` not `oc_…`.
    ///
    /// ```
    /// let server = feishu_mock::MockServer::start();
    /// let event = server.message_event("oc_mock_general", "ou_alice", "hello", "token");
    /// assert_eq!(event["header"]["event_type"], "im.message.receive_v1");
    /// let message_id = event["event"]["message"]["message_id"].as_str();
    /// assert_eq!(Some(server.messages()[0].message_id.as_str()), message_id);
    /// ```
    pub fn message_event(&self, chat_id: &str, open_id: &str, text: &str, token: &str) -> Value {
        self.shared
            .message_event(chat_id, open_id, text, token)
            .unwrap_or_else(|e| panic!("feishu-mock: message_event: {e}"))
    }

    /// A v1 `app_ticket` event carrying the marketplace app's current ticket
    /// (see [`rotate_app_ticket`](MockServer::rotate_app_ticket)), with a
    /// fresh `uuid`; `token` is the verification token to embed.
    ///
    /// # Panics
    ///
    /// If `app_id` is not a marketplace app of this server.
    ///
    /// ```
    /// use feishu_mock::{MARKETPLACE_APP_ID, MARKETPLACE_APP_TICKET, MockServer};
    ///
    /// let server = MockServer::start();
    /// let event = server.app_ticket_event(MARKETPLACE_APP_ID, "token");
    /// assert_eq!(event["event"]["app_ticket"], MARKETPLACE_APP_TICKET);
    /// ```
    pub fn app_ticket_event(&self, app_id: &str, token: &str) -> Value {
        self.shared
            .app_ticket_event(app_id, token)
            .unwrap_or_else(|e| panic!("feishu-mock: app_ticket_event: {e}"))
    }

    /// Where `POST /open-apis/auth/v3/app_ticket/resend` pushes the app's
    /// ticket, as Feishu does: an [`app_ticket_event`](MockServer::app_ticket_event)
    /// with the target's verification token, delivered in the background
    /// (with the usual retries) shortly after the resend answers. `None`
    /// (the default): a resend only answers.
    ///
    /// # Panics
    ///
    /// If the target's URL is not an `http://` URL.
    pub fn set_event_target(&self, target: Option<WebhookTarget>) {
        if let Some(Err(e)) = target.as_ref().map(|t| Endpoint::parse(&t.url)) {
            panic!("feishu-mock: set_event_target: {e}");
        }
        self.shared.events.set_target(target);
    }

    /// Every delivery so far, background ones included, in the order they
    /// finished; one still retrying is not there yet.
    pub fn deliveries(&self) -> Vec<DeliveryReport> {
        self.shared.events.deliveries()
    }
}
