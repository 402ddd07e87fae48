//! Failures of the transport, as adapters report them to the core.

use std::error::Error as StdError;
use std::fmt;
use std::io;

/// What kind of transport failure happened; the retry policy decides on this.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made (refused, DNS, TLS handshake).
    Connect,
    /// The request's timeout passed before the response was read.
    Timeout,
    /// The connection was closed or reset before the response was complete.
    Reset,
    /// The response body is larger than the configured cap.
    BodyTooLarge,
    /// Anything else.
    Other,
}

impl TransportErrorKind {
    /// Classifies an error by the first [`io::Error`] in its source chain, so
    /// every adapter maps the same failure to the same kind.
    pub fn from_source_chain(error: &(dyn StdError + 'static)) -> Option<Self> {
        let mut next = Some(error);
        while let Some(error) = next {
            if let Some(io) = error.downcast_ref::<io::Error>() {
                return Some(Self::from_io(io.kind()));
            }
            next = error.source();
        }
        None
    }

    fn from_io(kind: io::ErrorKind) -> Self {
        use io::ErrorKind as K;
        match kind {
            K::TimedOut | K::WouldBlock => Self::Timeout,
            K::ConnectionRefused | K::NotFound | K::AddrNotAvailable | K::HostUnreachable => {
                Self::Connect
            }
            K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe | K::UnexpectedEof => {
                Self::Reset
            }
            _ => Self::Other,
        }
    }
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Connect => "connect",
            Self::Timeout => "timeout",
            Self::Reset => "connection reset",
            Self::BodyTooLarge => "response body too large",
            Self::Other => "transport",
        })
    }
}

/// A transport failure: its kind, and the adapter's own error as the source.
#[derive(Debug, thiserror::Error)]
#[error("{kind} error: {source}")]
pub struct TransportError {
    kind: TransportErrorKind,
    #[source]
    source: Box<dyn StdError + Send + Sync + 'static>,
}

impl TransportError {
    /// Wraps an adapter's error.
    pub fn new(
        kind: TransportErrorKind,
        source: impl Into<Box<dyn StdError + Send + Sync + 'static>>,
    ) -> Self {
        Self {
            kind,
            source: source.into(),
        }
    }

    /// The response body passed the size cap of
    /// [`Config::max_response_bytes`](crate::Config::max_response_bytes).
    pub fn body_too_large(limit: usize) -> Self {
        Self::new(TransportErrorKind::BodyTooLarge, BodyTooLarge { limit })
    }

    /// The call's deadline ([`RetryPolicy::deadline`](crate::RetryPolicy))
    /// passed before a request could be sent.
    pub(crate) fn deadline_passed() -> Self {
        Self::new(TransportErrorKind::Timeout, DeadlinePassed)
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The adapter's own error, e.g. a `reqwest::Error` or a `ureq::Error`.
    pub fn get_ref(&self) -> &(dyn StdError + Send + Sync + 'static) {
        &*self.source
    }
}

/// The source of a [`TransportErrorKind::BodyTooLarge`] error.
#[derive(Debug, thiserror::Error)]
#[error("the response body is larger than the {limit}-byte cap")]
struct BodyTooLarge {
    limit: usize,
}

/// The source of a timeout raised because the call's whole budget ran out.
#[derive(Debug, thiserror::Error)]
#[error("the call's deadline passed")]
struct DeadlinePassed;
