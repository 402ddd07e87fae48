//! `POST /callback/ws/endpoint`
//!
//! Get a long-connection URL and the settings the client must follow.
//! Outside `/open-apis`, and no token: the app id and secret are the body.
//! Docs: <https://open.feishu.cn/document/server-docs/event-subscription-guide/event-subscription-configure-/use-websocket>

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::event::lenient;
use crate::{Secret, Shape, endpoint};

/// `POST /callback/ws/endpoint`: asks for a long-connection URL.
/// [`Session`](super::Session) sends it; it is public for drivers that
/// want to look, and for mocks.
#[derive(Clone, Debug, Serialize)]
pub struct WsEndpointRequest {
    /// The app id, `cli_…`.
    #[serde(rename = "AppID")]
    pub app_id: String,
    /// The app secret.
    #[serde(rename = "AppSecret", serialize_with = "crate::secret::expose")]
    pub app_secret: Secret,
}

impl WsEndpointRequest {
    /// A request for `app_id`.
    pub fn new(app_id: impl Into<String>, app_secret: impl Into<Secret>) -> Self {
        Self {
            app_id: app_id.into(),
            app_secret: app_secret.into(),
        }
    }
}

/// Where to connect, and how to behave there.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct WsEndpoint {
    /// The `wss://` URL.
    pub url: ConnectUrl,
    /// The settings to follow until a pong brings new ones.
    pub client_config: ClientConfig,
}

endpoint! {
    WsEndpointRequest => WsEndpoint {
        id: "callback.ws.endpoint",
        method: POST,
        path: "/callback/ws/endpoint",
        tokens: [],
        body: json,
        shape: data(|_: &WsEndpointRequest, response| {
            Shape::Data.decode::<Wire>(response).map(|wire| WsEndpoint {
                url: ConnectUrl::new(wire.url),
                client_config: wire.client_config.map(ClientConfig::from).unwrap_or_default(),
            })
        }),
        doc: "https://open.feishu.cn/document/server-docs/event-subscription-guide/event-subscription-configure-/use-websocket",
    }
}

#[derive(Deserialize)]
struct Wire {
    #[serde(rename = "URL")]
    url: String,
    #[serde(rename = "ClientConfig")]
    client_config: Option<ConfigWire>,
}

/// The settings as sent, in seconds; each may be absent.
#[derive(Default, Deserialize)]
pub(crate) struct ConfigWire {
    #[serde(
        rename = "ReconnectCount",
        default,
        deserialize_with = "lenient::integer"
    )]
    reconnect_count: Option<i64>,
    #[serde(
        rename = "ReconnectInterval",
        default,
        deserialize_with = "lenient::integer"
    )]
    reconnect_interval: Option<i64>,
    #[serde(
        rename = "ReconnectNonce",
        default,
        deserialize_with = "lenient::integer"
    )]
    reconnect_nonce: Option<i64>,
    #[serde(
        rename = "PingInterval",
        default,
        deserialize_with = "lenient::integer"
    )]
    ping_interval: Option<i64>,
}

/// What the gateway tells the client to do: how often to ping, how to
/// reconnect. The bootstrap sets all four; each pong replaces all four.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClientConfig {
    /// How many reconnect attempts after a drop; negative: no limit.
    pub reconnect_count: i64,
    /// The wait between two reconnect attempts.
    pub reconnect_interval: Duration,
    /// The first reconnect waits a random part of this, so that a fleet
    /// dropped at once does not come back at once.
    pub reconnect_nonce: Duration,
    /// The wait between two pings.
    pub ping_interval: Duration,
}

/// The floor of both intervals: a gateway sending 0 must not make the
/// client ping, or reconnect, in a tight loop.
const MIN_INTERVAL: Duration = Duration::from_secs(1);

impl Default for ClientConfig {
    /// The official SDKs' defaults: reconnect forever every 120 s after up to
    /// 30 s of jitter, ping every 120 s.
    fn default() -> Self {
        Self {
            reconnect_count: -1,
            reconnect_interval: Duration::from_secs(120),
            reconnect_nonce: Duration::from_secs(30),
            ping_interval: Duration::from_secs(120),
        }
    }
}

impl From<ConfigWire> for ClientConfig {
    /// An absent setting takes its default; the intervals are at least 1 s.
    fn from(wire: ConfigWire) -> Self {
        let defaults = Self::default();
        let seconds = |value: Option<i64>, default: Duration| {
            value.map_or(default, |s| Duration::from_secs(s.max(0).unsigned_abs()))
        };
        Self {
            reconnect_count: wire.reconnect_count.unwrap_or(defaults.reconnect_count),
            reconnect_interval: seconds(wire.reconnect_interval, defaults.reconnect_interval)
                .max(MIN_INTERVAL),
            reconnect_nonce: seconds(wire.reconnect_nonce, defaults.reconnect_nonce),
            ping_interval: seconds(wire.ping_interval, defaults.ping_interval).max(MIN_INTERVAL),
        }
    }
}

impl ClientConfig {
    /// The settings in a pong's payload, if it is their JSON.
    pub(crate) fn from_pong(payload: &[u8]) -> Option<Self> {
        // serde reads a struct from an array too; settings are an object.
        let object = payload
            .iter()
            .find(|byte| !byte.is_ascii_whitespace())
            .is_some_and(|byte| *byte == b'{');
        object
            .then(|| serde_json::from_slice::<ConfigWire>(payload).ok())
            .flatten()
            .map(Self::from)
    }
}

/// A long-connection URL. It carries the connection's credentials in its
/// query, so `Debug` shows its scheme, host and path only.
#[derive(Clone, PartialEq, Eq)]
pub struct ConnectUrl(String);

impl ConnectUrl {
    pub(crate) fn new(url: String) -> Self {
        Self(url)
    }

    /// The URL, to connect to.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether it is a WebSocket URL at all.
    pub(crate) fn is_websocket(&self) -> bool {
        let scheme = self.0.get(..6).unwrap_or(&self.0).to_ascii_lowercase();
        scheme.starts_with("wss://") || scheme.starts_with("ws://")
    }

    /// A query parameter.
    fn param(&self, name: &str) -> Option<&str> {
        let (_, query) = self.0.split_once('?')?;
        let query = query.split('#').next().unwrap_or_default();
        query.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            (key == name).then_some(value)
        })
    }

    /// The `service_id` of the query, the `service` of every frame sent;
    /// 0 if absent or not an int32.
    pub fn service_id(&self) -> i32 {
        self.param("service_id")
            .and_then(|id| id.parse().ok())
            .unwrap_or(0)
    }

    /// The `device_id` of the query: the connection's id, for logs.
    pub fn device_id(&self) -> Option<&str> {
        self.param("device_id")
    }
}

impl fmt::Debug for ConnectUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let without_query = self.0.split(['?', '#']).next().unwrap_or_default();
        write!(f, "ConnectUrl({without_query:?})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_parameters() {
        let url = ConnectUrl::new(
            "wss://msg-frontier.feishu.cn/ws/v2?fpid=493&device_id=7287&access_key=secret&service_id=33554678&ticket=t#x"
                .into(),
        );
        assert_eq!(url.service_id(), 33_554_678);
        assert_eq!(url.device_id(), Some("7287"));
        assert!(url.is_websocket());
        let shown = format!("{url:?}");
        assert!(
            !shown.contains("secret") && !shown.contains("ticket"),
            "{shown}"
        );
        assert_eq!(
            ConnectUrl::new("wss://h/p?service_id=x".into()).service_id(),
            0
        );
        assert_eq!(ConnectUrl::new("wss://h/p".into()).service_id(), 0);
        assert!(!ConnectUrl::new("https://h/p".into()).is_websocket());
    }

    #[test]
    fn config_defaults_and_floors() {
        assert_eq!(
            ClientConfig::from(ConfigWire::default()),
            ClientConfig::default()
        );
        let config = ClientConfig::from_pong(
            br#"{"ReconnectCount":3,"ReconnectInterval":0,"ReconnectNonce":-5,"PingInterval":"7"}"#,
        );
        assert_eq!(
            config,
            Some(ClientConfig {
                reconnect_count: 3,
                reconnect_interval: MIN_INTERVAL,
                reconnect_nonce: Duration::ZERO,
                ping_interval: Duration::from_secs(7),
            })
        );
        assert_eq!(ClientConfig::from_pong(b"not json"), None);
    }
}
