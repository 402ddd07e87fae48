//! The IM golden responses, `tests/fixtures/im/<case>.json`, in the format of
//! `tests/support/fixture.rs` (`{"status", "headers", "body"}`), compiled in
//! with `include_str!` (the crate's clippy.toml bans file reads).

use serde_json::Value;

macro_rules! fixtures {
    ($($name:literal),* $(,)?) => {
        const ALL: &[(&str, &str)] = &[
            $(($name, include_str!(concat!("../fixtures/im/", $name, ".json")))),*
        ];
    };
}

fixtures![
    "download_json_200",
    "download_not_owner_230017",
    "empty_data_ok",
    "file_upload_ok",
    "get_empty_items",
    "get_ok",
    "image_upload_ok",
    "list_page",
    "read_users_page",
    "recalled_230011",
    "send_ok",
];

fn parse(name: &str) -> Value {
    let text = ALL
        .iter()
        .find(|(known, _)| *known == name)
        .unwrap_or_else(|| panic!("no IM fixture named {name:?}"))
        .1;
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: invalid fixture JSON: {e}"))
}

/// The response of `tests/fixtures/im/<name>.json`.
pub fn im(name: &str) -> http::Response<Vec<u8>> {
    let file = parse(name);
    let status = file["status"]
        .as_u64()
        .and_then(|status| u16::try_from(status).ok())
        .unwrap_or_else(|| panic!("{name}: `status` must be an HTTP status"));
    let mut response = http::Response::builder().status(status);
    for (header, value) in file["headers"].as_object().into_iter().flatten() {
        let value = value.as_str().expect("a header value is a string");
        response = response.header(header.as_str(), value);
    }
    response
        .body(body(name))
        .unwrap_or_else(|e| panic!("{name}: not a valid response: {e}"))
}

/// The exact body bytes of an IM fixture.
pub fn body(name: &str) -> Vec<u8> {
    parse(name)["body"]
        .as_str()
        .unwrap_or_else(|| panic!("{name}: `body` must be a string"))
        .as_bytes()
        .to_vec()
}

/// Every IM fixture is valid and answers JSON.
#[test]
fn every_im_fixture_is_a_json_response() {
    for (name, _) in ALL {
        let response = im(name);
        let content_type = response.headers().get("content-type");
        assert!(content_type.is_some_and(|v| v.as_bytes().starts_with(b"application/json")));
        serde_json::from_slice::<Value>(response.body()).expect("the body is JSON");
    }
}
