//! `endpoint!`: an endpoint's facts in one declaration, the trait written
//! from them.

/// Declares an [`Endpoint`](crate::Endpoint) from its facts: the same form
/// for the endpoints written by hand and the generated ones.
///
/// The struct is written by hand, with its fields, docs and builders; the
/// declaration says the rest:
///
/// ```
/// use feishu_core::{Endpoint, Config, Secret, build, endpoint};
/// use serde::{Deserialize, Serialize};
///
/// /// `POST /open-apis/im/v1/pins`: pins a message in its chat.
/// #[derive(Clone, Debug, Serialize)]
/// pub struct CreatePin {
///     message_id: String,
/// }
///
/// /// A pin, as the API returns it.
/// #[derive(Debug, Deserialize)]
/// pub struct Pinned {
///     pub pin: serde_json::Value,
/// }
///
/// endpoint! {
///     CreatePin => Pinned {
///         id: "im.v1.pin.create",
///         method: POST,
///         path: "/open-apis/im/v1/pins",
///         tokens: [Tenant, User],
///         body: json,
///         shape: data,
///         doc: "https://open.feishu.cn/document/server-docs/im-v1/pin/create",
///     }
/// }
///
/// let pin = CreatePin { message_id: "om_dc13264520392913993dd051dba21dcf".into() };
/// let request = build(&Config::feishu(), &pin, Some(&Secret::new("t-g1044qeGEDXTB6NDJOGV4JQX4GJX2UYQLW4R5MNN")))?;
/// assert_eq!(request.uri().path(), "/open-apis/im/v1/pins");
/// assert_eq!(request.body(), br#"{"message_id":"om_dc13264520392913993dd051dba21dcf"}"#);
/// # Ok::<(), feishu_core::Error>(())
/// ```
///
/// The entries, in this order (those in brackets may be left out):
///
/// - `id`, `method` (an [`http::Method`] constant's name), \[`host:
///   Accounts`\] (for OAuth; the Open API host by default), `path` (the
///   template, `:name` segments filled from fields of that name);
/// - `tokens`: the [`TokenKind`](crate::TokenKind)s the API accepts, the
///   default first; `[]` for none;
/// - \[`params: [field, …]`\]: the fields that fill the path's `:field`
///   segments; [`build`](crate::build) refuses them empty or `.`/`..`, and
///   percent-encodes them;
/// - \[`query: function`\]: `fn(&Self, &mut Query)`, appending the query;
/// - `body`: `none`, `json` (the struct serialises itself: mark path and
///   query fields `#[serde(skip)]`), `json(function)` or
///   `multipart(function)` with `fn(&Self) -> Result<Body, InvalidRequest>`
///   for bodies with rules of their own, or `none(function)` with
///   `fn(&Self) -> Result<(), InvalidRequest>` checking a bodiless request;
/// - `shape`: `data` (the output is `data`), `unit` (`data` is ignored),
///   `data(function)`, `token(function)` or `binary(function)` with
///   `fn(&Self, http::Response<Vec<u8>>) -> Result<Output, ParseError>`;
/// - \[`pages: field => Item`\]: a list: the `Option<String>` field holding
///   the `page_token`, and what the [`Page`](crate::Page)s hold; implements
///   [`Paginated`](crate::Paginated);
/// - \[`dedup: field`\]: the `Option<String>` field holding Feishu's `uuid`
///   deduplication key; every call then sets one, and the endpoint is safe
///   to repeat with it;
/// - \[`idempotent: true`\]: safe to repeat whatever the method says;
/// - `doc`: the API's documentation page.
#[macro_export]
macro_rules! endpoint {
    (
        $endpoint:ty => $output:ty {
            id: $id:literal,
            method: $method:ident,
            $(host: $host:ident,)?
            path: $path:literal,
            tokens: [$($token:ident),* $(,)?],
            $(params: [$($param:ident),* $(,)?],)?
            $(query: $query:expr,)?
            body: $body:ident $(($body_fn:expr))?,
            shape: $shape:ident $(($shape_fn:expr))?,
            $(pages: $page_token:ident => $item:ty,)?
            $(dedup: $uuid:ident,)?
            $(idempotent: $idempotent:literal,)?
            doc: $doc:literal $(,)?
        }
    ) => {
        impl $crate::Endpoint for $endpoint {
            type Output = $output;

            const METADATA: $crate::Metadata = $crate::Metadata {
                id: $id,
                method: $crate::http::Method::$method,
                host: $crate::__endpoint_host!($($host)?),
                path: $path,
                tokens: &[$($crate::TokenKind::$token),*],
                body: $crate::__endpoint_body_kind!($body),
                shape: $crate::__endpoint_shape!($shape),
                paginated: $crate::__endpoint_is_some!($($page_token)?),
                dedup: $crate::__endpoint_is_some!($($uuid)?),
                doc: $doc,
            };

            $(
                fn path_param(&self, name: &str) -> ::core::option::Option<&str> {
                    match name {
                        $(stringify!($param) => ::core::option::Option::Some(&self.$param),)*
                        _ => ::core::option::Option::None,
                    }
                }
            )?

            $(
                fn query(&self, query: &mut $crate::Query<'_>) {
                    ($query)(self, query)
                }
            )?

            // `#[inline]`: compiled in the crate that calls it, not where it is
            // declared, so a crate of generated endpoints does not compile the
            // serde code of every body and output it declares (a family
            // crate's debug build: 4.5 s of CPU down to 2.6 s).
            #[inline]
            fn body(&self) -> ::core::result::Result<$crate::Body, $crate::InvalidRequest> {
                $crate::__endpoint_body!(self, $body $(($body_fn))?)
            }

            #[inline]
            fn parse(
                &self,
                response: $crate::http::Response<::std::vec::Vec<u8>>,
            ) -> ::core::result::Result<$output, $crate::ParseError> {
                $crate::__endpoint_parse!(self, response, $shape $(($shape_fn))?)
            }

            $(
                // With a uuid, Feishu carries out a repeat once.
                fn idempotent(&self) -> bool {
                    self.$uuid.is_some() || self.method().is_idempotent()
                }

                fn with_uuid(&self, uuid: &str) -> ::core::option::Option<Self> {
                    self.$uuid.is_none().then(|| {
                        let mut with = ::core::clone::Clone::clone(self);
                        with.$uuid = ::core::option::Option::Some(uuid.into());
                        with
                    })
                }
            )?

            $(
                fn idempotent(&self) -> bool {
                    $idempotent
                }
            )?
        }

        $(
            impl $crate::Paginated for $endpoint {
                type Item = $item;

                fn with_page_token(&self, page_token: &str) -> Self {
                    let mut next = ::core::clone::Clone::clone(self);
                    next.$page_token = ::core::option::Option::Some(page_token.into());
                    next
                }
            }
        )?
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __endpoint_body_kind {
    (none) => {
        $crate::BodyKind::None
    };
    (json) => {
        $crate::BodyKind::Json
    };
    (multipart) => {
        $crate::BodyKind::Multipart
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __endpoint_body {
    ($self:ident, none) => {
        ::core::result::Result::Ok($crate::Body::Empty)
    };
    ($self:ident, none($check:expr)) => {
        ($check)($self).map(|()| $crate::Body::Empty)
    };
    ($self:ident, json) => {
        $crate::Body::json($self)
    };
    ($self:ident, json($body:expr)) => {
        ($body)($self)
    };
    ($self:ident, multipart($body:expr)) => {
        ($body)($self)
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __endpoint_shape {
    (data) => {
        $crate::Shape::Data
    };
    (unit) => {
        $crate::Shape::Data
    };
    (token) => {
        $crate::Shape::Token
    };
    (binary) => {
        $crate::Shape::Binary
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __endpoint_parse {
    ($self:ident, $response:ident, data) => {
        $crate::Shape::Data.decode($response)
    };
    ($self:ident, $response:ident, unit) => {
        $crate::Shape::Data.check($response)
    };
    ($self:ident, $response:ident, $shape:ident($parse:expr)) => {
        ($parse)($self, $response)
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __endpoint_host {
    () => {
        $crate::Host::Open
    };
    ($host:ident) => {
        $crate::Host::$host
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __endpoint_is_some {
    () => {
        false
    };
    ($field:ident) => {
        true
    };
}
