//! Decryption and `encrypt`, against the official vector and the openssl
//! vectors; every malformed ciphertext is a typed `EventError` (400), reached
//! through a valid signature so the decrypt step runs.

use feishu_core::event::{EventError, EventKind, Webhook, encrypt};
use serde_json::Value;

use crate::*;

const OFFICIAL: &str = "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=";
const OFFICIAL_IV: [u8; 16] = [
    0x3f, 0x7e, 0xf0, 0xf9, 0x56, 0x48, 0x98, 0xd8, 0x0f, 0x10, 0xed, 0x51, 0x06, 0x12, 0x7a, 0x46,
];

#[test]
fn official_vector_encrypts_to_the_table_value() {
    assert_eq!(encrypt("test key", OFFICIAL_IV, b"hello world"), OFFICIAL);
    // openssl agrees with the table, and ends the block in five 0x05.
    let official = vector("official");
    assert_eq!(official.encrypt, OFFICIAL);
    assert_eq!(official.iv(), OFFICIAL_IV);
    assert_eq!(official.last_block, "68656c6c6f20776f726c640505050505");
}

#[test]
fn official_vector_decrypts_through_the_pipeline() {
    // "hello world" decrypts (no crypto error) and is then refused as not JSON.
    let official = vector("official");
    let handled = Webhook::encrypted("test key").handle(&official.request(), now());
    assert_rejected(&handled, EventError::InvalidJson, 400);

    // The same body signed for a different key fails its padding instead (as
    // `openssl enc -d` with SHA-256("tesT key") does: "bad decrypt"), so the
    // InvalidJson above really came from a successful decryption.
    let other = sign("tesT key", official.body.as_bytes());
    let handled = Webhook::encrypted("tesT key").handle(&other, now());
    assert_rejected(&handled, EventError::BadPadding, 400);
}

#[test]
fn encrypt_matches_openssl_for_every_vector() {
    for v in vectors() {
        let ours = encrypt(&v.encrypt_key, v.iv(), v.plaintext().as_bytes());
        assert_eq!(ours, v.encrypt, "{}", v.name);
    }
}

#[test]
fn every_openssl_vector_decrypts_through_the_pipeline() {
    for v in vectors() {
        let handled = Webhook::encrypted(v.encrypt_key.as_str()).handle(&v.request(), now());
        let plaintext = v.plaintext();
        if plaintext.is_empty() || v.name == "official" {
            assert_rejected(&handled, EventError::InvalidJson, 400);
            continue;
        }
        let json: Value = serde_json::from_str(plaintext).expect("JSON");
        if json["type"] == "url_verification" {
            assert_eq!(challenge(&handled), json["challenge"], "{}", v.name);
        } else if json["header"]["event_type"] == "card.action.trigger" {
            let action = card_action(&handled);
            let context = &json["event"]["context"];
            assert_eq!(
                action.open_message_id.as_deref(),
                context["open_message_id"].as_str()
            );
        } else {
            let event = event(&handled);
            let header = &json["header"];
            assert_eq!(
                event.event_id.as_deref(),
                header["event_id"].as_str(),
                "{}",
                v.name
            );
            assert_eq!(event.event_type, header["event_type"], "{}", v.name);
            assert_eq!(event.create_time.as_deref(), header["create_time"].as_str());
            if let EventKind::Unknown { raw, .. } = &event.kind {
                assert_eq!(raw, &json["event"], "{}", v.name);
            }
        }
    }
}

#[test]
fn full_padding_block_is_stripped() {
    // Plaintexts of 0, 96 and 65,536 bytes: openssl appended sixteen 0x10.
    for name in ["empty", "block_96", "big_64k"] {
        let v = vector(name);
        assert_eq!(v.last_block, "10".repeat(16), "{name}");
        assert_eq!(v.plaintext().len() % 16, 0, "{name}");
    }
    for name in ["block_96", "big_64k"] {
        let v = vector(name);
        let handled = Webhook::encrypted(EK).handle(&v.request(), now());
        let json: Value = serde_json::from_str(v.plaintext()).expect("JSON");
        assert_eq!(challenge(&handled), json["challenge"], "{name}");
    }
    let handled = Webhook::encrypted(EK).handle(&vector("empty").request(), now());
    assert_rejected(&handled, EventError::InvalidJson, 400);
}

#[test]
fn sixty_four_kib_plaintext_decrypts_exactly() {
    let v = vector("big_64k");
    assert_eq!(v.plaintext().len(), 65536);
    let handled = Webhook::encrypted(EK)
        .verification_token(VT)
        .handle(&v.request(), now());
    let answer = challenge(&handled);
    assert_eq!(answer.len(), 65536 - 85);
    assert!(answer.starts_with("0123456789abcdef0123"));
    assert!(answer.ends_with("0123456789a"));
}

#[test]
fn unicode_encrypt_key_is_hashed_as_utf8() {
    let v = vector("unicode_key");
    assert_eq!(v.encrypt_key, "密钥🔑 key");
    let handled = Webhook::encrypted(v.encrypt_key.as_str()).handle(&v.request(), now());
    let EventKind::Unknown { raw, .. } = &event(&handled).kind else {
        panic!("an unknown type stays raw");
    };
    assert_eq!(
        raw["text"],
        "飞书 Lark 🚀 «ünïcødé» \u{0} \"quoted\" \\ back"
    );
    assert_eq!(raw["emoji"], "👍🏽");
}

/// The failure vector `name`, through `Webhook::encrypted(EK)`.
fn decrypting(name: &str) -> feishu_core::event::Handled {
    Webhook::encrypted(EK).handle(&failure(name).request(), now())
}

#[test]
fn bad_base64_is_bad_base64() {
    for name in ["bad_base64", "unpadded_base64", "url_safe_base64"] {
        assert_rejected(&decrypting(name), EventError::BadBase64, 400);
    }
}

#[test]
fn input_shorter_than_iv_and_one_block_is_bad_length() {
    let cases = [("empty_encrypt", 0), ("iv_only", 16), ("short_31", 31)];
    for (name, len) in cases {
        assert_rejected(&decrypting(name), EventError::BadCiphertextLength(len), 400);
    }
}

#[test]
fn input_not_iv_plus_whole_blocks_is_bad_length() {
    for (name, len) in [("not_whole_blocks_36", 36), ("not_whole_blocks_47", 47)] {
        assert_rejected(&decrypting(name), EventError::BadCiphertextLength(len), 400);
    }
}

#[test]
fn flipped_last_ciphertext_byte_is_bad_padding() {
    assert_rejected(
        &decrypting("flipped_last_ct_byte"),
        EventError::BadPadding,
        400,
    );
}

#[test]
fn flipped_iv_byte_breaks_the_single_block_padding() {
    // "hello world" + 05×5: flipping the IV's last bit makes the last byte
    // 0x04 while the four before it stay 0x05.
    assert_rejected(
        &decrypting("flipped_iv_last_byte"),
        EventError::BadPadding,
        400,
    );
}

#[test]
fn disagreeing_pad_bytes_are_bad_padding() {
    // The block ends in 03 02 03 (crafted with `openssl enc -nopad`).
    assert_rejected(&decrypting("pad_disagree"), EventError::BadPadding, 400);
}

#[test]
fn pad_value_zero_is_bad_padding() {
    assert_rejected(&decrypting("pad_zero"), EventError::BadPadding, 400);
}

#[test]
fn pad_value_seventeen_is_bad_padding() {
    assert_rejected(&decrypting("pad_17"), EventError::BadPadding, 400);
}

#[test]
fn pad_value_sixteen_over_other_bytes_is_bad_padding() {
    // 15 text bytes then 0x10: never "drop last_byte bytes" unchecked.
    assert_rejected(&decrypting("pad_16_partial"), EventError::BadPadding, 400);
}

#[test]
fn wrong_key_is_bad_padding() {
    // Encrypted with "another key", signed (validly) with EK.
    assert_rejected(&decrypting("wrong_key"), EventError::BadPadding, 400);
}

#[test]
fn hand_padded_plaintext_is_accepted() {
    // The control for the -nopad vectors: correct manual padding decrypts.
    assert_eq!(challenge(&decrypting("manual_pad_ok")), "p");
    assert_rejected(&decrypting("hello_not_json"), EventError::InvalidJson, 400);
}

#[test]
fn every_failure_vector_gives_the_error_openssl_predicts() {
    for f in failures() {
        let handled = Webhook::encrypted(EK).handle(&f.request(), now());
        let expected = match f.error.as_str() {
            "Ok" => {
                challenge(&handled);
                continue;
            }
            "BadBase64" => EventError::BadBase64,
            "BadPadding" => EventError::BadPadding,
            "InvalidJson" => EventError::InvalidJson,
            other => {
                let len = other
                    .strip_prefix("BadCiphertextLength(")
                    .and_then(|rest| rest.strip_suffix(')'))
                    .and_then(|n| n.parse().ok())
                    .unwrap_or_else(|| panic!("unknown error {other}"));
                EventError::BadCiphertextLength(len)
            }
        };
        assert_rejected(&handled, expected, 400);
    }
}
