//! Classifying transport failures: every adapter maps the same `io::Error` to
//! the same [`TransportErrorKind`], which the retry policy decides on.

use std::error::Error as StdError;
use std::fmt;
use std::io;

use feishu_core::{TransportError, TransportErrorKind};

/// An HTTP client's error that wraps the `io::Error` underneath, as
/// `reqwest::Error` and `ureq::Error` do.
#[derive(Debug)]
struct ClientError(io::Error);

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("error sending request")
    }
}

impl StdError for ClientError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&self.0)
    }
}

const CASES: [(io::ErrorKind, TransportErrorKind); 6] = [
    (
        io::ErrorKind::ConnectionRefused,
        TransportErrorKind::Connect,
    ),
    (io::ErrorKind::TimedOut, TransportErrorKind::Timeout),
    (io::ErrorKind::ConnectionReset, TransportErrorKind::Reset),
    (io::ErrorKind::UnexpectedEof, TransportErrorKind::Reset),
    (io::ErrorKind::BrokenPipe, TransportErrorKind::Reset),
    (io::ErrorKind::PermissionDenied, TransportErrorKind::Other),
];

#[test]
fn io_error_kind_maps_to_a_transport_kind() {
    for (io_kind, expected) in CASES {
        let error = io::Error::from(io_kind);
        assert_eq!(
            TransportErrorKind::from_source_chain(&error),
            Some(expected),
            "{io_kind:?}"
        );
    }
}

#[test]
fn io_error_one_level_down_the_source_chain_is_found() {
    for (io_kind, expected) in CASES {
        let error = ClientError(io::Error::new(io_kind, "os error"));
        assert_eq!(
            TransportErrorKind::from_source_chain(&error),
            Some(expected),
            "{io_kind:?}"
        );
    }
}

#[test]
fn io_error_two_levels_down_the_source_chain_is_found() {
    let inner = io::Error::from(io::ErrorKind::TimedOut);
    let error = TransportError::new(TransportErrorKind::Other, ClientError(inner));
    assert_eq!(
        TransportErrorKind::from_source_chain(&error),
        Some(TransportErrorKind::Timeout)
    );
}

#[test]
fn chain_without_an_io_error_has_no_kind() {
    let error = fmt::Error;
    assert_eq!(TransportErrorKind::from_source_chain(&error), None);
}

#[test]
fn transport_error_keeps_its_kind_and_source() {
    let error = TransportError::new(
        TransportErrorKind::Connect,
        ClientError(io::Error::from(io::ErrorKind::ConnectionRefused)),
    );
    assert_eq!(error.kind(), TransportErrorKind::Connect);
    assert_eq!(error.get_ref().to_string(), "error sending request");
    assert_eq!(error.to_string(), "connect error: error sending request");
    assert!(error.source().is_some());
}

#[test]
fn body_too_large_names_the_cap() {
    let error = TransportError::body_too_large(10);
    assert_eq!(error.kind(), TransportErrorKind::BodyTooLarge);
    assert!(error.to_string().contains("10-byte cap"), "{error}");
}
