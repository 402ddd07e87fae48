//! The WebSocket: tungstenite over a `TcpStream` (TLS through rustls for
//! `wss://`), opened within a timeout, read with a timeout per wait.

use std::io::{self, ErrorKind};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use feishu_core::TransportErrorKind as Kind;
use feishu_core::long_connection::ConnectUrl;
use tungstenite::handshake::HandshakeError;
use tungstenite::handshake::client::ClientHandshake;
use tungstenite::protocol::WebSocketConfig;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Error, Message, WebSocket};

/// An open long connection.
pub(super) struct Socket {
    ws: WebSocket<MaybeTlsStream<TcpStream>>,
    /// The same socket, to set its read timeout whatever wraps it.
    tcp: TcpStream,
}

/// Why an upgrade did not give a socket.
pub(super) enum ConnectError {
    /// Refused with this HTTP response.
    Refused(Box<http::Response<Option<Vec<u8>>>>),
    /// Failed without one.
    Failed(Kind),
}

/// What one read gave.
pub(super) enum Read {
    /// A binary message.
    Binary(Vec<u8>),
    /// Nothing within the timeout (or a message that is not binary).
    Nothing,
    /// The connection closed or failed.
    Closed,
}

impl Socket {
    /// Connects and upgrades, all within `timeout`.
    pub(super) fn connect(
        url: &ConnectUrl,
        timeout: Duration,
        max_message: usize,
    ) -> Result<Socket, ConnectError> {
        let started = Instant::now();
        let uri: http::Uri = url
            .expose()
            .parse()
            .map_err(|_| ConnectError::Failed(Kind::Other))?;
        let secure = uri.scheme_str() == Some("wss");
        let host = uri.host().ok_or(ConnectError::Failed(Kind::Other))?;
        let port = uri.port_u16().unwrap_or(if secure { 443 } else { 80 });
        let tcp = tcp(host, port, timeout).map_err(|e| ConnectError::Failed(kind(&e)))?;
        let left = timeout
            .saturating_sub(started.elapsed())
            .max(Duration::from_millis(1));
        let handshake = (|| {
            tcp.set_nodelay(true)?;
            tcp.set_read_timeout(Some(left))?;
            tcp.set_write_timeout(Some(timeout))?;
            tcp.try_clone()
        })();
        let clone = handshake.map_err(|e| ConnectError::Failed(kind(&e)))?;
        let config = WebSocketConfig::default()
            .max_message_size(Some(max_message))
            .max_frame_size(Some(max_message));
        let ws = upgrade(url.expose(), clone, config)?;
        Ok(Socket { ws, tcp })
    }

    /// Reads one message, waiting up to `timeout` (at least 1 ms).
    pub(super) fn read(&mut self, timeout: Duration) -> Read {
        let timeout = timeout.max(Duration::from_millis(1));
        if self.tcp.set_read_timeout(Some(timeout)).is_err() {
            return Read::Closed;
        }
        match self.ws.read() {
            Ok(Message::Binary(bytes)) => Read::Binary(bytes.into()),
            Ok(Message::Close(_)) => Read::Closed,
            // Pings are answered by tungstenite on the next write or flush.
            Ok(_) => Read::Nothing,
            Err(Error::Io(e))
                if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) =>
            {
                Read::Nothing
            }
            Err(_) => Read::Closed,
        }
    }

    /// Queues one binary message; [`Socket::flush`] sends what is queued.
    pub(super) fn write(&mut self, bytes: Vec<u8>) -> Result<(), Error> {
        self.ws.write(Message::binary(bytes))
    }

    /// Sends what is queued.
    pub(super) fn flush(&mut self) -> Result<(), Error> {
        self.ws.flush()
    }

    /// Says goodbye, without waiting for the answer.
    pub(super) fn close(mut self) {
        let _ = self.ws.close(None);
        let _ = self.ws.flush();
    }
}

/// A failed upgrade, as tungstenite reports it.
type Refusal = HandshakeError<ClientHandshake<MaybeTlsStream<TcpStream>>>;

/// A TCP connection to the first address of `host` that answers.
fn tcp(host: &str, port: u16, timeout: Duration) -> io::Result<TcpStream> {
    // An IPv6 literal comes bracketed in the URI.
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let mut last = io::Error::from(ErrorKind::AddrNotAvailable);
    for addr in (host, port).to_socket_addrs()? {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(tcp) => return Ok(tcp),
            Err(e) => last = e,
        }
    }
    Err(last)
}

#[cfg(feature = "rustls")]
fn upgrade(
    url: &str,
    tcp: TcpStream,
    config: WebSocketConfig,
) -> Result<WebSocket<MaybeTlsStream<TcpStream>>, ConnectError> {
    use std::sync::{Arc, OnceLock};
    // One TLS configuration per process: ring and the webpki roots, as
    // ureq's own.
    static TLS: OnceLock<Option<Arc<rustls::ClientConfig>>> = OnceLock::new();
    let tls = TLS.get_or_init(|| {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let roots =
            rustls::RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .ok()?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Some(Arc::new(config))
    });
    let connector = tls.clone().map(tungstenite::Connector::Rustls);
    tungstenite::client_tls_with_config(url, tcp, Some(config), connector)
        .map(|(ws, _)| ws)
        .map_err(refused)
}

#[cfg(not(feature = "rustls"))]
fn upgrade(
    url: &str,
    tcp: TcpStream,
    config: WebSocketConfig,
) -> Result<WebSocket<MaybeTlsStream<TcpStream>>, ConnectError> {
    // Without TLS, a wss:// URL fails as the handshake reads TLS bytes.
    tungstenite::client::client_with_config(url, MaybeTlsStream::Plain(tcp), Some(config))
        .map(|(ws, _)| ws)
        .map_err(refused)
}

fn refused(error: Refusal) -> ConnectError {
    match error {
        HandshakeError::Failure(Error::Http(response)) => ConnectError::Refused(response),
        // A read timeout surfaces as an interrupted handshake.
        HandshakeError::Interrupted(_) => ConnectError::Failed(Kind::Timeout),
        HandshakeError::Failure(error) => ConnectError::Failed(error_kind(&error)),
    }
}

fn kind(error: &io::Error) -> Kind {
    Kind::from_source_chain(error).unwrap_or(Kind::Other)
}

fn error_kind(error: &Error) -> Kind {
    match error {
        Error::Io(io) => kind(io),
        Error::Tls(_) => Kind::Connect,
        _ => Kind::Other,
    }
}
