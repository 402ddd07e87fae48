//! The command line: `--webhook`, `--encrypt-key` and `--verification-token`
//! make the binary deliver events to a bot, encrypted and signed.

use std::process::Command;

use serde_json::{Value, json};

use crate::receiver::{Receiver, decrypt};
use crate::support::Binary;

#[test]
fn webhook_flags_deliver_encrypted_signed_events() {
    let receiver = Receiver::start();
    let url = receiver.url();
    let mock = Binary::start(&[
        "--webhook",
        &url,
        "--encrypt-key",
        "cli key",
        "--verification-token",
        "cli token",
    ]);
    let target = mock.control("GET", "/webhook", None).ok();
    assert_eq!(target, json!({ "url": url, "encrypted": true }));

    let say = json!({ "chat_id": "oc_mock_general", "open_id": "ou_alice", "text": "hi" });
    let report = mock.control("POST", "/events/message", Some(&say)).ok();
    assert_eq!(report["delivered"], true, "{report}");

    let request = &receiver.requests()[0];
    assert!(request.signed_with("cli key"));
    // Canonical header case, byte for byte, as Feishu sends it.
    for name in [
        "\r\nX-Lark-Signature: ",
        "\r\nX-Lark-Request-Timestamp: ",
        "\r\nX-Lark-Request-Nonce: ",
    ] {
        assert!(
            format!("\r\n{}", request.raw_head).contains(name),
            "{name:?} in {}",
            request.raw_head
        );
    }
    let plain = decrypt("cli key", &request.encrypt()).expect("decrypts");
    let event: Value = serde_json::from_slice(&plain).expect("JSON");
    assert_eq!(event["header"]["token"], "cli token");
    assert_eq!(event, report["payload"]);
}

#[test]
fn bad_flags_exit_with_a_message() {
    for (args, expected) in [
        (
            &["--webhook", "ftp://x", "--verification-token", "t"][..],
            "http://",
        ),
        (
            &["--webhook", "http://127.0.0.1:9/"][..],
            "--verification-token",
        ),
        (&["--encrypt-key", "k"][..], "go with --webhook"),
        (&["--redelivery-delays-ms", "soon"][..], "milliseconds"),
        (&["--colour"][..], "unknown argument"),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_feishu-mock"))
            .args(args)
            .output()
            .expect("run feishu-mock");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}
