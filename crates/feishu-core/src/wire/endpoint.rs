//! The `Endpoint` trait every API call implements, and the pure `build` that
//! turns one into an `http::Request`.

use std::fmt::{self, Write as _};
use std::time::Duration;

use http::header::{AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use http::uri::PathAndQuery;
use http::{HeaderValue, Method, Request};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use crate::config::Origin;
use crate::{Config, Error, InvalidRequest, ParseError, Secret, Shape};

mod declare;

/// The access token an endpoint needs in its `Authorization` header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenKind {
    /// No token: for [`RawEndpoint::token`](crate::RawEndpoint::token); a
    /// typed endpoint that needs none lists no kind.
    None,
    /// An `app_access_token`.
    App,
    /// A `tenant_access_token`: the bot acting in a tenant.
    Tenant,
    /// A `user_access_token`: acting as a user.
    User,
}

impl fmt::Display for TokenKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::None => "no",
            Self::App => "app",
            Self::Tenant => "tenant",
            Self::User => "user",
        })
    }
}

/// A request body.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub enum Body {
    /// No body.
    #[default]
    Empty,
    /// Serialized JSON, sent as `application/json; charset=utf-8`.
    Json(Vec<u8>),
    /// Bytes of a given type, e.g. a `multipart/form-data` upload.
    Bytes {
        /// The `Content-Type`.
        content_type: HeaderValue,
        /// The bytes.
        bytes: Vec<u8>,
    },
}

impl Body {
    /// Serializes a value as a JSON body.
    pub fn json(value: &impl Serialize) -> Result<Self, InvalidRequest> {
        Ok(Self::Json(serde_json::to_vec(value)?))
    }
}

/// The timeout of one request, carried in its `http::Extensions`; adapters
/// apply it to the whole exchange (connect, send, read).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeout(pub Duration);

/// How an endpoint's request body is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyKind {
    /// No body.
    None,
    /// A JSON object.
    Json,
    /// `multipart/form-data`: an upload.
    Multipart,
}

/// Which of Feishu's hosts serves an API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Host {
    /// The Open API host, [`Config::base_url`] (`https://open.feishu.cn`).
    Open,
    /// The accounts host, [`Config::accounts_url`] (`https://accounts.feishu.cn`):
    /// OAuth.
    Accounts,
}

/// The facts of an API as Feishu documents them: what to send, with which
/// token, and how the answer is laid out. Every [`Endpoint`] declares one as
/// [`Endpoint::METADATA`]; [`build`] and [`Call`](crate::Call) read their
/// decisions from it, so an endpoint's own code is only what is special.
#[derive(Clone, Debug)]
pub struct Metadata {
    /// Feishu's id of the API, `service.version.resource.method`, e.g.
    /// `im.v1.message.reply`.
    pub id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The host that serves it.
    pub host: Host,
    /// The path template: `/open-apis/im/v1/messages/:message_id/reply`.
    /// Each `:name` segment is filled from [`Endpoint::path_param`],
    /// validated and percent-encoded by [`build`].
    pub path: &'static str,
    /// The access tokens the API accepts, the one used by default first; empty
    /// for the token endpoints themselves.
    pub tokens: &'static [TokenKind],
    /// The request body.
    pub body: BodyKind,
    /// The response body.
    pub shape: Shape,
    /// Whether the API lists items page by page (see [`Paginated`](crate::Paginated)).
    pub paginated: bool,
    /// Whether the API takes Feishu's `uuid` deduplication key: then every
    /// [`Call`](crate::Call) gives it one, so a repeat posts once.
    pub dedup: bool,
    /// The API's page in Feishu's documentation.
    pub doc: &'static str,
}

/// One Feishu API call: what to send and how to read the answer.
///
/// The facts are data ([`Endpoint::METADATA`]); an endpoint's code is its
/// fields and what is special about it. Most endpoints are declared with
/// [`endpoint!`](crate::endpoint!), which writes the rest. Adapters know no
/// endpoint by name and serve every one through [`build`] and
/// [`Endpoint::parse`].
pub trait Endpoint {
    /// What a successful call returns.
    type Output;

    /// The API's facts.
    const METADATA: Metadata;

    /// This value's facts: [`Endpoint::METADATA`], unless one type serves
    /// two APIs (the self-built and marketplace token flows) and picks by
    /// value.
    fn metadata(&self) -> Metadata {
        Self::METADATA
    }

    /// The value of the path template's `:name` segment.
    fn path_param(&self, name: &str) -> Option<&str> {
        let _ = name;
        None
    }

    /// Appends query parameters.
    fn query(&self, query: &mut Query<'_>) {
        let _ = query;
    }

    /// The body.
    fn body(&self) -> Result<Body, InvalidRequest>;

    /// Reads the response into the output: an API error or an unexpected
    /// body otherwise. Pure; never panics.
    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Self::Output, ParseError>;

    /// Whether sending the request twice has the effect of sending it once, so
    /// a retry after a lost answer is safe. By default: by method (GET, HEAD,
    /// PUT, DELETE); a `uuid` makes a send safe too.
    fn idempotent(&self) -> bool {
        self.method().is_idempotent()
    }

    /// This request's timeout; `None` uses [`Config::timeout`].
    fn timeout(&self) -> Option<Duration> {
        None
    }

    /// For endpoints with [`Metadata::dedup`]: a copy carrying `uuid`, unless
    /// the caller set one already. [`Call`](crate::Call) sets one on every
    /// such call, so a retry cannot post twice, and the endpoint must then
    /// report itself [idempotent].
    ///
    /// [idempotent]: Endpoint::idempotent
    fn with_uuid(&self, uuid: &str) -> Option<Self>
    where
        Self: Sized,
    {
        let _ = uuid;
        None
    }

    /// The HTTP method: [`Metadata::method`], unless the endpoint decides per
    /// value (a [`RawEndpoint`](crate::RawEndpoint)).
    fn method(&self) -> Method {
        self.metadata().method
    }

    /// The accepted tokens: [`Metadata::tokens`], unless the endpoint decides
    /// per value (a [`RawEndpoint`](crate::RawEndpoint)).
    fn token_kinds(&self) -> &[TokenKind] {
        self.metadata().tokens
    }

    /// Writes the path: [`Metadata::path`] with its parameters filled in,
    /// unless the endpoint decides per value (a raw path).
    fn write_path(&self, out: &mut String) -> Result<(), InvalidRequest> {
        fill_path(self.metadata().path, |name| self.path_param(name), out)
    }

    /// This endpoint with its own timeout, overriding [`Config::timeout`].
    fn with_timeout(self, timeout: Duration) -> WithTimeout<Self>
    where
        Self: Sized,
    {
        WithTimeout {
            endpoint: self,
            timeout,
        }
    }
}

/// Fills a path template: literal segments as they are, each `:name` with its
/// value, refused when empty or a dot segment (`.`, `..`, which HTTP stacks
/// resolve away even percent-encoded) and percent-encoded otherwise.
pub(crate) fn fill_path<'a>(
    template: &'static str,
    value: impl Fn(&'static str) -> Option<&'a str>,
    out: &mut String,
) -> Result<(), InvalidRequest> {
    for (i, piece) in template.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        let Some(name) = piece.strip_prefix(':') else {
            out.push_str(piece);
            continue;
        };
        match value(name).unwrap_or_default() {
            "" => return Err(InvalidRequest::empty(name)),
            "." | ".." => return Err(InvalidRequest::field(name, "cannot be `.` or `..`")),
            value => {
                // Writing into a String cannot fail.
                let _ = write!(out, "{}", segment(value));
            }
        }
    }
    Ok(())
}

/// An endpoint with its own timeout; see [`Endpoint::with_timeout`].
#[derive(Clone, Debug)]
pub struct WithTimeout<E> {
    endpoint: E,
    timeout: Duration,
}

impl<E: Endpoint> Endpoint for WithTimeout<E> {
    type Output = E::Output;
    const METADATA: Metadata = E::METADATA;

    fn metadata(&self) -> Metadata {
        self.endpoint.metadata()
    }
    fn path_param(&self, name: &str) -> Option<&str> {
        self.endpoint.path_param(name)
    }
    fn query(&self, query: &mut Query<'_>) {
        self.endpoint.query(query);
    }
    fn body(&self) -> Result<Body, InvalidRequest> {
        self.endpoint.body()
    }
    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<E::Output, ParseError> {
        self.endpoint.parse(response)
    }
    fn idempotent(&self) -> bool {
        self.endpoint.idempotent()
    }
    fn timeout(&self) -> Option<Duration> {
        Some(self.timeout)
    }
    fn with_uuid(&self, uuid: &str) -> Option<Self> {
        let endpoint = self.endpoint.with_uuid(uuid)?;
        Some(Self {
            endpoint,
            timeout: self.timeout,
        })
    }
    fn method(&self) -> Method {
        self.endpoint.method()
    }
    fn token_kinds(&self) -> &[TokenKind] {
        self.endpoint.token_kinds()
    }
    fn write_path(&self, out: &mut String) -> Result<(), InvalidRequest> {
        self.endpoint.write_path(out)
    }
}

/// Characters escaped in a path segment: all but unreserved ones, so an input
/// like `a/b?c` stays one segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a caller-supplied path segment (`message_id`, `file_key`, …).
///
/// ```
/// assert_eq!(feishu_core::segment("a/b?c").to_string(), "a%2Fb%3Fc");
/// ```
pub fn segment(value: &str) -> impl fmt::Display + '_ {
    utf8_percent_encode(value, SEGMENT)
}

/// The query string under construction; keys and values are percent-encoded.
#[derive(Debug)]
pub struct Query<'a> {
    uri: &'a mut String,
    empty: bool,
}

impl Query<'_> {
    /// Appends `key=value`.
    pub fn push(&mut self, key: &str, value: impl fmt::Display) -> &mut Self {
        self.uri.push(if self.empty { '?' } else { '&' });
        self.empty = false;
        // Writing into a String cannot fail; the value is encoded as it is
        // written, with no intermediate string.
        let mut encoder = Encoder(self.uri);
        let _ = write!(encoder, "{key}");
        encoder.0.push('=');
        let _ = write!(encoder, "{value}");
        self
    }
}

/// Percent-encodes whatever is written through it into the URI.
struct Encoder<'a>(&'a mut String);

impl fmt::Write for Encoder<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for piece in utf8_percent_encode(s, SEGMENT) {
            self.0.push_str(piece);
        }
        Ok(())
    }
}

/// Builds the HTTP request for an endpoint. Pure: no I/O, no clock.
///
/// `token` is the access token for the endpoint's [`TokenKind`]; it is ignored
/// by endpoints that need none. The request's timeout travels in its
/// extensions as a [`Timeout`].
///
/// ```
/// use feishu_core::{Config, Secret, auth::TenantAccessTokenRequest};
///
/// let endpoint = TenantAccessTokenRequest::self_built("cli_slkdjalasdkjasd", Secret::new("dskLLdkasdjlasdKK"));
/// let request = feishu_core::build(&Config::feishu(), &endpoint, None)?;
/// assert_eq!(request.method(), "POST");
/// assert_eq!(request.uri(), "https://open.feishu.cn/open-apis/auth/v3/tenant_access_token/internal");
/// assert!(request.headers().get("authorization").is_none());
/// # Ok::<(), feishu_core::Error>(())
/// ```
pub fn build<E: Endpoint + ?Sized>(
    config: &Config,
    endpoint: &E,
    token: Option<&Secret>,
) -> Result<Request<Vec<u8>>, Error> {
    // Only what asks the endpoint is generic; `assemble` is compiled once.
    let origin = match endpoint.metadata().host {
        Host::Open => config.origin(),
        Host::Accounts => config.accounts_origin(),
    };
    let mut path_and_query = String::with_capacity(origin.prefix.len() + 128);
    path_and_query.push_str(&origin.prefix);
    endpoint.write_path(&mut path_and_query)?;
    if !path_and_query[origin.prefix.len()..].starts_with('/') {
        return Err(InvalidRequest::InvalidPath.into());
    }
    let empty = !path_and_query.contains('?');
    endpoint.query(&mut Query {
        uri: &mut path_and_query,
        empty,
    });
    let head = Head {
        method: endpoint.method(),
        token_kind: endpoint.token_kinds().first().copied(),
        timeout: endpoint.timeout().unwrap_or(config.timeout()),
    };
    assemble(
        config,
        origin,
        path_and_query,
        head,
        token,
        endpoint.body()?,
    )
}

/// What `build` read off the endpoint besides its path and body.
struct Head {
    method: Method,
    token_kind: Option<TokenKind>,
    timeout: Duration,
}

fn assemble(
    config: &Config,
    origin: &Origin,
    path_and_query: String,
    head: Head,
    token: Option<&Secret>,
    body: Body,
) -> Result<Request<Vec<u8>>, Error> {
    // Only the path and query are parsed; the scheme and host were once, in
    // the configuration, and are shared.
    let mut parts = http::uri::Parts::default();
    parts.scheme = Some(origin.scheme.clone());
    parts.authority = Some(origin.authority.clone());
    parts.path_and_query =
        Some(PathAndQuery::try_from(path_and_query).map_err(InvalidRequest::from)?);
    let uri = http::Uri::from_parts(parts).map_err(|_| InvalidRequest::InvalidPath)?;

    let mut request = Request::new(Vec::new());
    *request.method_mut() = head.method;
    *request.uri_mut() = uri;
    let headers = request.headers_mut();
    headers.insert(USER_AGENT, config.user_agent().clone());
    if let Some(kind) = head.token_kind {
        let token = token.ok_or(InvalidRequest::MissingToken(kind))?;
        headers.insert(AUTHORIZATION, bearer(token)?);
    }
    match body {
        Body::Empty => {}
        Body::Json(bytes) => {
            headers.insert(
                CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            );
            *request.body_mut() = bytes;
        }
        Body::Bytes {
            content_type,
            bytes,
        } => {
            headers.insert(CONTENT_TYPE, content_type);
            *request.body_mut() = bytes;
        }
    }
    request.extensions_mut().insert(Timeout(head.timeout));
    Ok(request)
}

/// `Bearer <token>`, marked sensitive so HTTP stacks neither log nor index it.
fn bearer(token: &Secret) -> Result<HeaderValue, InvalidRequest> {
    let mut value = HeaderValue::try_from(format!("Bearer {}", token.expose()))
        .map_err(|_| InvalidRequest::InvalidToken)?;
    value.set_sensitive(true);
    Ok(value)
}
