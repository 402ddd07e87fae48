//! Mock-delivered events through the pipeline over real HTTP.

use std::time::Duration;

use feishu_core::event::{Delivery, EventError, EventKind, Webhook};
use feishu_core::im::content::ReceivedContent;
use feishu_mock::{EventSecurity, MockServer, Tamper, WebhookTarget};

use crate::server::Server;

const ENCRYPT_KEY: &str = "kudryavtsev-test-encrypt-key";
const TOKEN: &str = "41a9425ea7df4536a7623e38fa321bae";

fn encrypted(url: &str) -> WebhookTarget {
    WebhookTarget {
        url: url.to_owned(),
        security: EventSecurity::Encrypted {
            encrypt_key: ENCRYPT_KEY.to_owned(),
            verification_token: TOKEN.to_owned(),
        },
    }
}

fn encrypted_webhook() -> Webhook {
    Webhook::encrypted(ENCRYPT_KEY).verification_token(TOKEN)
}

fn only_event(deliveries: Vec<Delivery>) -> feishu_core::event::Event {
    match <[Delivery; 1]>::try_from(deliveries) {
        Ok([Delivery::Event(event)]) => *event,
        Ok([other]) => panic!("expected an event, got {other:?}"),
        Err(all) => panic!("expected one delivery, got {all:?}"),
    }
}

#[test]
fn an_encrypted_message_event_arrives_typed() {
    let mock = MockServer::start();
    let server = Server::start(encrypted_webhook());
    let event = mock.message_event("oc_mock_general", "ou_mock_user", "hello bot", TOKEN);
    let report = mock.deliver_event(&encrypted(&server.url), &event);
    assert!(report.delivered, "{report:?}");
    assert_eq!(report.attempts.len(), 1);

    let event = only_event(server.seen.take());
    assert_eq!(event.event_type, "im.message.receive_v1");
    let EventKind::MessageReceived(received) = event.kind else {
        panic!("expected a typed message, got {:?}", event.kind);
    };
    assert_eq!(received.message.chat_id, "oc_mock_general");
    assert_eq!(
        received.sender.sender_id.open_id.as_deref(),
        Some("ou_mock_user")
    );
    assert_eq!(
        received.message.content(),
        ReceivedContent::Text {
            text: "hello bot".into()
        }
    );
}

#[test]
fn a_token_only_message_event_arrives_typed() {
    let mock = MockServer::start();
    let server = Server::start(Webhook::token_only(TOKEN));
    let target = WebhookTarget {
        url: server.url.clone(),
        security: EventSecurity::TokenOnly {
            verification_token: TOKEN.to_owned(),
        },
    };
    let event = mock.message_event("oc_mock_general", "ou_mock_user", "plain", TOKEN);
    assert!(mock.deliver_event(&target, &event).delivered);
    let event = only_event(server.seen.take());
    assert!(matches!(event.kind, EventKind::MessageReceived(_)));
}

/// Each spoiled delivery is refused with its status, and nothing is delivered.
#[test]
fn forged_and_replayed_deliveries_are_refused() {
    let cases = [
        (Tamper::Body, 401, EventError::BadSignature),
        (
            Tamper::Timestamp(-600),
            401,
            EventError::StaleTimestamp {
                skew: Duration::ZERO,
            },
        ),
        (
            Tamper::WrongKey("not-the-key".into()),
            401,
            EventError::BadSignature,
        ),
        (Tamper::Unsigned, 401, EventError::MissingSignature),
    ];
    let mock = MockServer::builder()
        .redelivery_delays(Vec::new())
        .start()
        .expect("a mock");
    let server = Server::start(encrypted_webhook());
    for (tamper, status, expected) in cases {
        let event = mock.message_event("oc_mock_general", "ou_mock_user", "forged", TOKEN);
        let report = mock.deliver_event_with(&encrypted(&server.url), &event, tamper.clone());
        assert!(!report.delivered, "{tamper:?}");
        assert_eq!(report.attempts[0].status, Some(status), "{tamper:?}");
        let deliveries = server.seen.take();
        assert!(
            matches!(
                deliveries.as_slice(),
                [Delivery::Rejected(error)] if std::mem::discriminant(error) == std::mem::discriminant(&expected)
            ),
            "{tamper:?}: {deliveries:?}"
        );
    }
}

/// The receiver answers the first delivery too late; the mock redelivers,
/// and the pipeline hands the event over once.
#[test]
fn a_redelivered_event_is_seen_once() {
    let mock = MockServer::builder()
        .delivery_timeout(Duration::from_millis(300))
        .redelivery_delays(vec![Duration::from_millis(50)])
        .start()
        .expect("a mock");
    let server = Server::start_slow_once(encrypted_webhook(), Some(Duration::from_millis(800)));
    let event = mock.message_event("oc_mock_general", "ou_mock_user", "twice", TOKEN);
    let report = mock.deliver_event(&encrypted(&server.url), &event);
    assert!(report.delivered);
    assert_eq!(report.attempts.len(), 2, "{report:?}");

    let deliveries = server.seen.take();
    assert_eq!(deliveries.len(), 2);
    assert!(matches!(deliveries[0], Delivery::Event(_)));
    assert!(matches!(deliveries[1], Delivery::Duplicate { .. }));
}
