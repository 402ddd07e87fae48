//! Decoding never panics, whatever the bytes, and an unexpected body is kept
//! exactly as received (envelope.rs: "Nothing here panics, whatever the
//! bytes"). Deterministic: a fixed-seed xorshift stands in for a fuzzer.

#[path = "support/fixture.rs"]
mod support;

use std::collections::BTreeSet;

use feishu_core::auth::{AppAccessTokenRequest, TenantAccessTokenRequest};
use feishu_core::{Endpoint, Error, Shape};
use serde_json::Value;

/// Fragments of the tokens in the fixtures and in the generated inputs.
const TOKEN_FRAGMENTS: [&str; 3] = ["t-caecc", "t-g1044", "a-6U1Sb"];

/// xorshift64 (Marsaglia 2003): enough randomness to vary inputs, and the same
/// inputs on every run.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).expect("less than n")
    }
}

/// JSON punctuation, envelope keys and awkward values: generated inputs built
/// from them get past the first byte and into every branch of the decoder.
const SYNTAX: &[&str] = &["{", "}", "[", "]", ",", ":", " ", "\"", "\\"];
const KEYS: &[&str] = &[
    "\"code\"",
    "\"msg\"",
    "\"message\"",
    "\"data\"",
    "\"error\"",
    "\"log_id\"",
    "\"permission_violations\"",
    "\"details\"",
    "\"subject\"",
    "\"error_description\"",
    "\"tenant_access_token\"",
    "\"app_access_token\"",
    "\"expire\"",
];
const VALUES: &[&str] = &[
    "0",
    "-1",
    "7200",
    "99991400",
    "\"0\"",
    "\"20050\"",
    "\" 7 \"",
    "1.5",
    "1e400",
    "18446744073709551616",
    "-9223372036854775809",
    "null",
    "true",
    "{}",
    "[]",
    "\"t-caecc734c2e3328a6\"",
    "\"\\u00e9\"",
    "\"\\ud800\"",
    "\"\\u0000\"",
    "\u{fffd}",
    "服务",
    "\u{feff}",
];

fn random_inputs() -> Vec<Vec<u8>> {
    fn pick(pieces: &[&'static str], rng: &mut XorShift) -> &'static str {
        pieces[rng.below(pieces.len())]
    }
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut inputs = Vec::new();
    // Raw bytes, including invalid UTF-8.
    for _ in 0..200 {
        let len = rng.below(64);
        inputs.push((0..len).map(|_| rng.next().to_le_bytes()[0]).collect());
    }
    // Envelope-like text, sometimes with a stray byte.
    for _ in 0..300 {
        let mut input = Vec::new();
        for _ in 0..rng.below(24) {
            let pieces = [SYNTAX, KEYS, VALUES][rng.below(3)];
            input.extend_from_slice(pick(pieces, &mut rng).as_bytes());
            if rng.below(20) == 0 {
                input.push(rng.next().to_le_bytes()[0]);
            }
        }
        inputs.push(input);
    }
    // Well-formed envelopes with random fields, to reach the output decoders.
    for _ in 0..100 {
        let code = pick(&["0", "0", "99991400", "\"20050\""], &mut rng);
        let mut input = format!("{{\"code\":{code}");
        for _ in 0..rng.below(6) {
            let key = pick(&KEYS[1..], &mut rng);
            let value = pick(VALUES, &mut rng);
            input.push_str(&format!(",{key}:{value}"));
        }
        input.push('}');
        inputs.push(input.into_bytes());
    }
    inputs
}

fn random_response(rng: &mut XorShift, body: Vec<u8>) -> http::Response<Vec<u8>> {
    const STATUSES: [u16; 6] = [200, 204, 400, 429, 500, 502];
    const CONTENT_TYPES: [&str; 3] = ["application/json", "text/html", "text/plain"];
    const RESETS: [&str; 5] = ["52", "0", "-3", "18446744073709551616", "1.5"];
    http::Response::builder()
        .status(STATUSES[rng.below(STATUSES.len())])
        .header(
            "content-type",
            CONTENT_TYPES[rng.below(CONTENT_TYPES.len())],
        )
        .header("x-ogw-ratelimit-reset", RESETS[rng.below(RESETS.len())])
        .header("x-tt-logid", "20250301101500A1B2C3D4E5F60718293A")
        .body(body)
        .expect("a valid response")
}

/// How a decoder judged a response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    Success,
    Api,
    Unexpected,
    Other,
}

/// Runs every decoder over one response and checks what each error keeps and
/// shows; returns how `Shape::Data` judged it.
fn decode_all(response: &http::Response<Vec<u8>>) -> Outcome {
    let copy = || {
        let mut copy = http::Response::new(response.body().clone());
        *copy.status_mut() = response.status();
        *copy.headers_mut() = response.headers().clone();
        copy
    };
    let input = response.body().as_slice();

    let data = check(
        input,
        Shape::Data
            .decode::<Value>(copy())
            .map_err(feishu_core::Error::from),
        false,
    );
    check(
        input,
        Shape::Data.check(copy()).map_err(feishu_core::Error::from),
        false,
    );
    check(
        input,
        Shape::Token.check(copy()).map_err(feishu_core::Error::from),
        true,
    );
    let tenant = TenantAccessTokenRequest::self_built("cli_slkdjalasdkjasd", "dskLLdkasdjlasdKK");
    check(
        input,
        tenant.parse(copy()).map_err(feishu_core::Error::from),
        true,
    );
    let app = AppAccessTokenRequest::self_built("cli_slkdjalasdkjasd", "dskLLdkasdjlasdKK");
    check(
        input,
        app.parse(copy()).map_err(feishu_core::Error::from),
        true,
    );
    data
}

fn check<T: std::fmt::Debug>(
    input: &[u8],
    result: Result<T, Error>,
    token_endpoint: bool,
) -> Outcome {
    let error = match result {
        Ok(output) => {
            let _ = format!("{output:?}");
            return Outcome::Success;
        }
        Err(error) => error,
    };
    // Rendering must not panic either.
    let shown = [error.to_string(), format!("{error:?}")];
    match &error {
        Error::Api(_) => Outcome::Api,
        Error::UnexpectedResponse(unexpected) => {
            assert_eq!(unexpected.body(), input, "the body is kept byte for byte");
            if token_endpoint {
                for shown in &shown {
                    for fragment in TOKEN_FRAGMENTS {
                        assert!(!shown.contains(fragment), "{fragment:?} printed in {shown}");
                    }
                }
            }
            Outcome::Unexpected
        }
        _ => Outcome::Other,
    }
}

#[test]
fn random_bytes_never_panic_and_unexpected_bodies_are_kept() {
    let mut rng = XorShift(0x2545_F491_4F6C_DD1D);
    let inputs = random_inputs();
    assert_eq!(inputs.len(), 600);
    let outcomes: BTreeSet<Outcome> = inputs
        .into_iter()
        .map(|input| decode_all(&random_response(&mut rng, input)))
        .collect();
    // The inputs reach every branch, not just the first syntax error.
    assert_eq!(
        outcomes,
        BTreeSet::from([Outcome::Success, Outcome::Api, Outcome::Unexpected])
    );
}

#[test]
fn every_prefix_of_every_fixture_never_panics_and_is_kept() {
    for (name, _) in support::ALL {
        let body = support::body(name);
        for end in 0..=body.len() {
            let _ = decode_all(&support::with_body(name, body[..end].to_vec()));
        }
    }
}

#[test]
fn every_fixture_on_disk_is_swept() {
    // Reading the directory listing (not the files: they are compiled in)
    // catches a fixture that was added but never listed in support/fixture.rs.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut on_disk = BTreeSet::new();
    for area in std::fs::read_dir(&root).expect("tests/fixtures exists") {
        let area = area.expect("a directory entry").path();
        // Event vectors are inputs to the webhook, and card bodies are
        // card JSON and request bodies: neither is an HTTP response.
        if area.ends_with("events") || area.ends_with("card_bodies") {
            continue;
        }
        for file in std::fs::read_dir(&area).expect("an area directory") {
            let file = file.expect("a directory entry").path();
            let relative = file.strip_prefix(&root).expect("under tests/fixtures");
            let name = relative
                .with_extension("")
                .to_string_lossy()
                .replace('\\', "/");
            on_disk.insert(name);
        }
    }
    let listed: BTreeSet<String> = support::ALL
        .iter()
        .map(|(name, _)| name.to_string())
        .collect();
    assert_eq!(on_disk, listed);
}
