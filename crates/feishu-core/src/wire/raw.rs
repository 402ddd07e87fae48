//! A generic endpoint for APIs this crate has not typed yet.

use std::fmt;
use std::marker::PhantomData;

use http::Method;
use serde::de::DeserializeOwned;

use crate::{
    Body, BodyKind, Endpoint, Host, InvalidRequest, Metadata, ParseError, Query, Shape, TokenKind,
};

/// Any `{code, msg, data}` API by method and path: the escape hatch, like
/// open-feishu's `request`/`get`/`post`. Its output is `data`, as a
/// [`serde_json::Value`] or any type you name with [`RawEndpoint::output`].
///
/// The path is used as given (it may carry a query of its own, but no
/// fragment), so encode caller-supplied segments with [`segment`](crate::segment). It needs a tenant token unless told otherwise.
///
/// ```
/// use feishu_core::{Config, RawEndpoint, Secret, TokenKind};
///
/// let endpoint = RawEndpoint::get("/open-apis/im/v1/chats").query("page_size", 20);
/// let token = Secret::new("t-caecc734c2e3328a62489fe0648c4b98779515d3");
/// let request = feishu_core::build(&Config::feishu(), &endpoint, Some(&token))?;
/// assert_eq!(request.uri(), "https://open.feishu.cn/open-apis/im/v1/chats?page_size=20");
/// assert_eq!(request.headers()["authorization"], "Bearer t-caecc734c2e3328a62489fe0648c4b98779515d3");
/// # Ok::<(), feishu_core::Error>(())
/// ```
pub struct RawEndpoint<T = serde_json::Value> {
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    body: Option<serde_json::Value>,
    token_kind: TokenKind,
    idempotent: Option<bool>,
    output: PhantomData<fn() -> T>,
}

impl RawEndpoint {
    /// An endpoint by method and path (`/open-apis/…`).
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
            token_kind: TokenKind::Tenant,
            idempotent: None,
            output: PhantomData,
        }
    }

    /// A `GET`.
    pub fn get(path: impl Into<String>) -> Self {
        Self::new(Method::GET, path)
    }

    /// A `POST` with a JSON body.
    pub fn post(path: impl Into<String>, body: serde_json::Value) -> Self {
        Self::new(Method::POST, path).json(body)
    }
}

impl<T> RawEndpoint<T> {
    /// Adds a query parameter.
    pub fn query(mut self, key: impl Into<String>, value: impl fmt::Display) -> Self {
        self.query.push((key.into(), value.to_string()));
        self
    }

    /// Sets the JSON body.
    pub fn json(mut self, body: serde_json::Value) -> Self {
        self.body = Some(body);
        self
    }

    /// Sets the token the endpoint needs (default: tenant).
    pub fn token(mut self, kind: TokenKind) -> Self {
        self.token_kind = kind;
        self
    }

    /// Declares whether the call is safe to repeat (default: by method).
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = Some(idempotent);
        self
    }

    /// Reads `data` as `U` instead.
    pub fn output<U: DeserializeOwned>(self) -> RawEndpoint<U> {
        RawEndpoint {
            method: self.method,
            path: self.path,
            query: self.query,
            body: self.body,
            token_kind: self.token_kind,
            idempotent: self.idempotent,
            output: PhantomData,
        }
    }
}

impl<T> fmt::Debug for RawEndpoint<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The body is left out: it may hold anything the caller put there.
        f.debug_struct("RawEndpoint")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("token_kind", &self.token_kind)
            .finish_non_exhaustive()
    }
}

impl<T> Clone for RawEndpoint<T> {
    fn clone(&self) -> Self {
        Self {
            method: self.method.clone(),
            path: self.path.clone(),
            query: self.query.clone(),
            body: self.body.clone(),
            token_kind: self.token_kind,
            idempotent: self.idempotent,
            output: PhantomData,
        }
    }
}

impl<T: DeserializeOwned> Endpoint for RawEndpoint<T> {
    type Output = T;

    /// A raw endpoint decides everything per value; this says only what is
    /// the same for all: a `{code, msg, data}` answer.
    const METADATA: Metadata = Metadata {
        id: "raw",
        method: Method::GET,
        host: Host::Open,
        path: "",
        tokens: &[TokenKind::Tenant, TokenKind::User],
        body: BodyKind::Json,
        shape: Shape::Data,
        paginated: false,
        dedup: false,
        doc: "https://open.feishu.cn/document/server-docs/api-call-guide/calling-process/overview",
    };

    fn method(&self) -> Method {
        self.method.clone()
    }

    /// The kind asked for first; as an escape hatch an app or tenant
    /// endpoint also takes a user's token ([`Call::as_user`](crate::Call::as_user)).
    /// A user endpoint takes nothing else: called as the app, it is refused.
    fn token_kinds(&self) -> &[TokenKind] {
        match self.token_kind {
            TokenKind::None => &[],
            TokenKind::App => &[TokenKind::App, TokenKind::User],
            TokenKind::User => &[TokenKind::User],
            TokenKind::Tenant => &[TokenKind::Tenant, TokenKind::User],
        }
    }

    fn write_path(&self, out: &mut String) -> Result<(), InvalidRequest> {
        if !self.path.starts_with('/') || self.path.contains('#') {
            return Err(InvalidRequest::InvalidPath);
        }
        out.push_str(&self.path);
        Ok(())
    }

    fn query(&self, query: &mut Query<'_>) {
        for (key, value) in &self.query {
            query.push(key, value);
        }
    }

    fn body(&self) -> Result<Body, InvalidRequest> {
        self.body.as_ref().map_or(Ok(Body::Empty), Body::json)
    }

    fn idempotent(&self) -> bool {
        self.idempotent
            .unwrap_or_else(|| self.method.is_idempotent())
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<T, ParseError> {
        Shape::Data.decode(response)
    }
}
