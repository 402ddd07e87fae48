//! At-least-once delivery: each `event_id` (v2) or `uuid` (v1) is
//! claimed once; a redelivery is acknowledged with 200 and not delivered
//! again. `MemorySeenStore` is bounded by count and by age.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use feishu_core::event::{Delivery, EventError, MemorySeenStore, SeenStore, Webhook};

use crate::*;

const ACK: &[u8] = br#"{"msg":"success"}"#;

#[test]
fn same_v2_event_twice_is_a_duplicate() {
    let webhook = Webhook::token_only(VT);
    let request = post(body("v2_receive.json").as_bytes());
    event(&webhook.handle(&request, now()));
    let id = duplicate(&webhook.handle(&request, at(15)), ACK);
    assert_eq!(id, "5e3702a84e847582be8db7fb73283c02");
}

#[test]
fn same_v1_uuid_twice_is_a_duplicate() {
    let webhook = Webhook::token_only(V1_TOKEN);
    let request = post(body("v1_p2p_chat_create.json").as_bytes());
    event(&webhook.handle(&request, now()));
    let id = duplicate(&webhook.handle(&request, at(300)), ACK);
    assert_eq!(id, "bc447199585340d1f3728d26b1c0297a");
}

#[test]
fn encrypted_redelivery_is_a_duplicate() {
    // A redelivery carries a new signature; the dedup key is the event id.
    let webhook = Webhook::encrypted(EK);
    event(&webhook.handle(&vector("receive_v1").request(), now()));
    let again = sign(EK, vector("receive_v1").body.as_bytes());
    duplicate(&webhook.handle(&again, now()), ACK);
    // And the plain copy of the same event, signed, too.
    duplicate(
        &webhook.handle(&sign(EK, body("v2_receive.json").as_bytes()), now()),
        ACK,
    );
}

#[test]
fn duplicate_card_trigger_is_answered_with_an_empty_object() {
    let webhook = Webhook::encrypted(EK);
    card_action(&webhook.handle(&vector("card_trigger").request(), now()));
    duplicate(
        &webhook.handle(&vector("card_trigger").request(), now()),
        b"{}",
    );
}

#[test]
fn refused_card_trigger_leaves_its_id_unclaimed() {
    let mut json = body_json("card_trigger.json");
    json["event"]["action"]["checked"] = "true".into();
    let request = sign(EK, json.to_string().as_bytes());
    let webhook = Webhook::encrypted(EK);
    assert_rejected(
        &webhook.handle(&request, now()),
        EventError::NotAnEvent,
        400,
    );
    // The redelivery is refused the same way, not acknowledged unseen.
    assert_rejected(
        &webhook.handle(&request, at(15)),
        EventError::NotAnEvent,
        400,
    );
}

#[test]
fn forget_lets_the_event_through_again() {
    let webhook = Webhook::token_only(VT);
    let request = post(body("v2_receive.json").as_bytes());
    event(&webhook.handle(&request, now()));
    webhook.forget("5e3702a84e847582be8db7fb73283c02");
    event(&webhook.handle(&request, at(15)));
    duplicate(&webhook.handle(&request, at(300)), ACK);
}

#[test]
fn clones_share_the_seen_set() {
    let webhook = Webhook::token_only(VT);
    let request = post(body("v2_receive.json").as_bytes());
    event(&webhook.clone().handle(&request, now()));
    duplicate(&webhook.handle(&request, now()), ACK);
}

#[test]
fn the_token_is_checked_before_the_duplicate() {
    // A forged copy of a seen event is refused, not acknowledged: the
    // duplicate answer is no oracle for which ids were seen.
    let webhook = Webhook::token_only(VT);
    event(&webhook.handle(&post(body("v2_receive.json").as_bytes()), now()));
    let mut forged = body_json("v2_receive.json");
    forged["header"]["token"] = "forged".into();
    let handled = webhook.handle(&post(forged.to_string().as_bytes()), now());
    assert_rejected(&handled, EventError::BadToken, 401);
    // The same for a signed one: the signature is checked first.
    let webhook = Webhook::encrypted(EK);
    event(&webhook.handle(&vector("receive_v1").request(), now()));
    let forged = sign("forged key", vector("receive_v1").body.as_bytes());
    assert_rejected(
        &webhook.handle(&forged, now()),
        EventError::BadSignature,
        401,
    );
}

#[test]
fn memory_store_evicts_by_count() {
    let store = MemorySeenStore::new(2, Duration::from_secs(3600));
    assert!(store.claim("a", now()));
    assert!(store.claim("b", at(1)));
    assert!(store.claim("c", at(2)));
    assert!(!store.claim("c", at(3)));
    assert!(store.claim("a", at(4)), "the oldest was evicted");

    // The same, through a webhook.
    let webhook = Webhook::token_only(VT)
        .seen_store(Arc::new(MemorySeenStore::new(2, Duration::from_secs(3600))));
    let names = [
        "v2_receive.json",
        "v2_bot_added.json",
        "v2_bot_deleted.json",
    ];
    for name in names {
        event(&webhook.handle(&post(body(name).as_bytes()), now()));
    }
    duplicate(
        &webhook.handle(&post(body("v2_bot_deleted.json").as_bytes()), now()),
        ACK,
    );
    event(&webhook.handle(&post(body("v2_receive.json").as_bytes()), now()));
}

#[test]
fn memory_store_evicts_by_age() {
    let store = MemorySeenStore::new(100, Duration::from_secs(60));
    assert!(store.claim("a", now()));
    assert!(!store.claim("a", at(60)), "kept for max_age");
    assert!(store.claim("a", at(61)), "expired after max_age");
    assert!(!store.claim("a", at(62)));
}

#[test]
fn default_store_keeps_ids_through_the_redelivery_schedule() {
    // Redeliveries come after 15 s, 5 min, 1 h and 6 h: about 7.1 h in all.
    let webhook = Webhook::token_only(VT);
    let request = post(body("v2_receive.json").as_bytes());
    event(&webhook.handle(&request, now()));
    for offset in [15, 315, 3_915, 25_515, 12 * 3600] {
        duplicate(&webhook.handle(&request, at(offset)), ACK);
    }
}

#[test]
fn released_then_reclaimed_id_stays_seen() {
    let store = MemorySeenStore::new(10, Duration::from_secs(3600));
    assert!(store.claim("a", now()));
    store.release("a");
    assert!(store.claim("a", at(1)));
    assert!(store.claim("b", at(2)));
    assert!(!store.claim("a", at(3)));
    assert!(!store.claim("b", at(3)));
}

#[test]
fn full_store_still_sees_its_oldest_id() {
    let store = MemorySeenStore::new(2, Duration::from_secs(3600));
    assert!(store.claim("a", now()));
    assert!(store.claim("b", at(1)));
    // Two ids in a store of two: both are still seen.
    assert!(
        !store.claim("a", at(2)),
        "a redelivery of the oldest id was claimed"
    );
    assert!(!store.claim("b", at(3)));
}

#[test]
fn duplicate_claim_in_a_full_store_evicts_nothing() {
    let store = MemorySeenStore::new(2, Duration::from_secs(3600));
    assert!(store.claim("a", now()));
    assert!(store.claim("b", at(1)));
    assert!(!store.claim("b", at(2)));
    assert!(!store.claim("a", at(3)), "b's duplicate evicted a");
}

#[test]
fn stale_entry_of_a_released_id_does_not_evict_its_reclaim() {
    let store = MemorySeenStore::new(4, Duration::from_secs(3600));
    assert!(store.claim("a", now()));
    store.release("a");
    assert!(store.claim("a", now()));
    for id in ["b", "c", "d"] {
        assert!(store.claim(id, now()));
    }
    // Evicting the stale ("a", now) entry made room for d; the live a, b, c
    // and d are all kept (the length is the only view that claims nothing).
    assert!(format!("{store:?}").contains("len: 4"), "{store:?}");
}

/// A store that records what the webhook asks of it.
#[derive(Default)]
struct Recording {
    claims: Mutex<Vec<(String, SystemTime)>>,
    releases: Mutex<Vec<String>>,
    answer: bool,
}

impl SeenStore for Recording {
    fn claim(&self, id: &str, now: SystemTime) -> bool {
        self.claims.lock().expect("lock").push((id.to_owned(), now));
        self.answer
    }

    fn release(&self, id: &str) {
        self.releases.lock().expect("lock").push(id.to_owned());
    }
}

#[test]
fn custom_seen_store_is_used() {
    let store = Arc::new(Recording {
        answer: true,
        ..Recording::default()
    });
    let webhook = Webhook::token_only(V1_TOKEN).seen_store(store.clone());
    let request = post(body("v1_p2p_chat_create.json").as_bytes());
    event(&webhook.handle(&request, at(7)));
    event(&webhook.handle(&request, at(8)));
    webhook.forget("bc447199585340d1f3728d26b1c0297a");
    let claims = store.claims.lock().expect("lock").clone();
    let id = "bc447199585340d1f3728d26b1c0297a".to_owned();
    assert_eq!(claims, [(id.clone(), at(7)), (id.clone(), at(8))]);
    assert_eq!(*store.releases.lock().expect("lock"), [id]);

    // A store that has seen everything makes every event a duplicate.
    let seen_all = Arc::new(Recording::default());
    let webhook = Webhook::token_only(V1_TOKEN).seen_store(seen_all);
    duplicate(&webhook.handle(&request, now()), ACK);
}

#[test]
fn refused_requests_never_reach_the_store() {
    let store = Arc::new(Recording {
        answer: true,
        ..Recording::default()
    });
    let webhook = Webhook::token_only(VT).seen_store(store.clone());
    let mut forged = body_json("v2_receive.json");
    forged["header"]["token"] = "forged".into();
    let handled = webhook.handle(&post(forged.to_string().as_bytes()), now());
    assert!(matches!(handled.delivery, Delivery::Rejected(_)));
    // Challenges and old card callbacks have no id to claim either.
    challenge(&webhook.handle(&post(body("url_verification.json").as_bytes()), now()));
    card_action(&webhook.handle(&signed_body("card_legacy").request(), now()));
    assert!(store.claims.lock().expect("lock").is_empty());
}
