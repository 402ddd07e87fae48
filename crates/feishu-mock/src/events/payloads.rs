//! The plaintext events the mock builds: the v1
//! [`app_ticket` event](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/application-v6/event/app_ticket-events)
//! and the v2 `im.message.receive_v1` event.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use super::crypto::Random;
use crate::StoredMessage;
use crate::ids::{union_id, user_id};

/// A v1 `app_ticket` event carrying `ticket`.
pub(crate) fn app_ticket(random: &Random, app_id: &str, ticket: &str, token: &str) -> Value {
    json!({
        "ts": v1_timestamp(SystemTime::now()),
        "uuid": random.hex32(),
        "token": token,
        "type": "event_callback",
        "event": { "app_id": app_id, "app_ticket": ticket, "type": "app_ticket" },
    })
}

/// A user's message as the bot of `app_id` receives it.
pub(crate) struct Received<'a> {
    pub(crate) app_id: &'a str,
    pub(crate) tenant_key: &'a str,
    /// `group` or `p2p`.
    pub(crate) chat_type: &'a str,
    /// Sent by a user: `sender_id` is an `open_id`.
    pub(crate) message: &'a StoredMessage,
}

/// A v2 `im.message.receive_v1` event with a fresh `event_id`; its
/// `create_time` (in ms) is the message's.
pub(crate) fn message_receive(random: &Random, token: &str, received: &Received<'_>) -> Value {
    let record = received.message;
    let open_id = &record.sender_id;
    let create_time = record.create_time_ms.to_string();
    let mut message = json!({
        "message_id": record.message_id,
        "create_time": create_time,
        "update_time": record.update_time_ms.to_string(),
        "chat_id": record.chat_id,
        "chat_type": received.chat_type,
        "message_type": record.msg_type,
        "content": record.content,
    });
    let optional = [
        ("root_id", &record.root_id),
        ("parent_id", &record.parent_id),
        ("thread_id", &record.thread_id),
    ];
    for (name, value) in optional {
        if let Some(value) = value {
            message[name] = json!(value);
        }
    }
    json!({
        "schema": "2.0",
        "header": {
            "event_id": random.hex32(),
            "event_type": "im.message.receive_v1",
            "create_time": create_time,
            "token": token,
            "app_id": received.app_id,
            "tenant_key": received.tenant_key,
        },
        "event": {
            "sender": {
                "sender_id": {
                    "union_id": union_id(open_id),
                    "user_id": user_id(open_id),
                    "open_id": open_id,
                },
                "sender_type": "user",
                "tenant_key": received.tenant_key,
            },
            "message": message,
        },
    })
}

/// A v1 `ts`: Unix seconds with a seven-digit fraction, `"1502199207.7171419"`.
fn v1_timestamp(now: SystemTime) -> String {
    let since = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    format!("{}.{:07}", since.as_secs(), since.subsec_nanos() / 100)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn v1_timestamps_have_seven_fraction_digits() {
        let at = UNIX_EPOCH + Duration::new(1_502_199_207, 717_141_900);
        assert_eq!(v1_timestamp(at), "1502199207.7171419");
        let round = UNIX_EPOCH + Duration::from_secs(5);
        assert_eq!(v1_timestamp(round), "5.0000000");
    }
}
