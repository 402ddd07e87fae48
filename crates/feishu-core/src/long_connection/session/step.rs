//! What a [`Session`] asks of its driver.

use std::fmt;
use std::time::SystemTime;

use super::super::bootstrap::ConnectUrl;
use super::super::{Dropped, SessionError};
// Only for the docs' links.
#[cfg(doc)]
use super::Session;
use crate::event::Incoming;

/// What the driver of a [`Session`] must do next.
///
/// Not `#[non_exhaustive]`: every step is a duty of the driver, so a new one
/// must break the drivers' `match`, not fall into a wildcard.
#[must_use]
pub enum Step {
    /// Send this HTTP request (the bootstrap, `POST /callback/ws/endpoint`),
    /// then feed the response to [`Session::on_response`] or the failure to
    /// [`Session::on_transport_error`].
    Send(http::Request<Vec<u8>>),
    /// Open a WebSocket to this URL, then call [`Session::on_connected`], or
    /// [`Session::on_refused`] with the HTTP response of a refused upgrade,
    /// or [`Session::on_transport_error`].
    Connect(ConnectUrl),
    /// Send these bytes as one binary WebSocket message. If the socket
    /// fails, call [`Session::on_closed`].
    Write(Vec<u8>),
    /// Hand this to the handlers ([`Dispatcher::dispatch`](crate::event::Dispatcher::dispatch)),
    /// off the thread that reads the socket, then feed the outcome to
    /// [`Session::on_handled`]. Every delivery must be answered.
    Deliver(Received),
    /// Close the WebSocket; nothing more is read from it. No need to call
    /// [`Session::on_closed`].
    Close,
    /// Something received was given up; log it. Nothing to do.
    Dropped(Dropped),
    /// Nothing to do until then, unless an input comes first (a frame, a
    /// handler's outcome, the socket closing): wait for either, then poll.
    Wait(SystemTime),
    /// The session is over: shut down, or a fatal error.
    Done(Result<(), SessionError>),
}

impl fmt::Debug for Step {
    // The bootstrap body holds the app secret: only method and URI are shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Send(request) => f
                .debug_struct("Send")
                .field("method", request.method())
                .field("uri", request.uri())
                .finish_non_exhaustive(),
            Step::Connect(url) => f.debug_tuple("Connect").field(url).finish(),
            Step::Write(bytes) => f.debug_tuple("Write").field(&bytes.len()).finish(),
            Step::Deliver(received) => f.debug_tuple("Deliver").field(received).finish(),
            Step::Close => f.write_str("Close"),
            Step::Dropped(dropped) => f.debug_tuple("Dropped").field(dropped).finish(),
            Step::Wait(until) => f.debug_tuple("Wait").field(until).finish(),
            Step::Done(result) => f.debug_tuple("Done").field(result).finish(),
        }
    }
}

/// The id of a delivery, to report its outcome with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeliveryId(pub(super) u64);

/// An event or card action for the handlers, and its id.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Received {
    /// Report the outcome under this id.
    pub id: DeliveryId,
    /// What arrived.
    pub incoming: Incoming,
}
