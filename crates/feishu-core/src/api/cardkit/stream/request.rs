//! The requests a stream hands its driver: typed endpoints, under one type
//! so a driver sends them all with one call.

use std::time::Duration;

use http::Method;

use crate::cardkit::card::{CardEntity, CreateCard, UpdateCardSettings};
use crate::cardkit::card_element::{StreamElementContent, UpdateCardElement};
use crate::im::message::{Message, ReplyMessage, SendMessage};
use crate::{
    Body, BodyKind, Endpoint, Host, InvalidRequest, Metadata, ParseError, Query, Shape, TokenKind,
};

/// One request of a [`CardStream`](super::CardStream): the typed endpoint
/// it is. It is itself an [`Endpoint`], whose facts are the inner one's, so
/// a driver sends it like any other (`client.send(&request)`) and hands the
/// answer to [`CardStream::on_answer`](super::CardStream::on_answer).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum StreamRequest {
    /// Create the card entity.
    CreateCard(CreateCard),
    /// Send it to a chat or user.
    SendMessage(SendMessage),
    /// Send it as a reply.
    ReplyMessage(ReplyMessage),
    /// Write the text so far.
    Content(StreamElementContent),
    /// Write the text so far by replacing the element, once Feishu has ended
    /// streaming on its own.
    UpdateElement(UpdateCardElement),
    /// End streaming.
    Settings(UpdateCardSettings),
}

/// What a [`StreamRequest`] returns.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum StreamAnswer {
    /// The card entity was created.
    Created(CardEntity),
    /// The card was sent.
    Sent(Box<Message>),
    /// An update was applied.
    Updated,
}

/// Runs `$body` on the endpoint inside, whichever it is.
macro_rules! each {
    ($request:expr, $inner:ident => $body:expr) => {
        match $request {
            StreamRequest::CreateCard($inner) => $body,
            StreamRequest::SendMessage($inner) => $body,
            StreamRequest::ReplyMessage($inner) => $body,
            StreamRequest::Content($inner) => $body,
            StreamRequest::UpdateElement($inner) => $body,
            StreamRequest::Settings($inner) => $body,
        }
    };
}

impl Endpoint for StreamRequest {
    type Output = StreamAnswer;

    /// The family's facts; each request reports its own through
    /// [`Endpoint::metadata`]. `dedup` is set because some members take a
    /// `uuid`: a [`Call`](crate::Call) then asks each one for it, and those
    /// that take none decline.
    const METADATA: Metadata = Metadata {
        id: "cardkit.v1.stream",
        method: Method::POST,
        host: Host::Open,
        path: "/open-apis/cardkit/v1/cards",
        tokens: &[TokenKind::Tenant],
        body: BodyKind::Json,
        shape: Shape::Data,
        paginated: false,
        dedup: true,
        doc: "https://open.feishu.cn/document/cardkit-v1/streaming-updates-openapi-overview",
    };

    fn metadata(&self) -> Metadata {
        fn of<E: Endpoint>(endpoint: &E) -> Metadata {
            endpoint.metadata()
        }
        each!(self, endpoint => of(endpoint))
    }

    fn path_param(&self, name: &str) -> Option<&str> {
        each!(self, endpoint => endpoint.path_param(name))
    }

    fn query(&self, query: &mut Query<'_>) {
        each!(self, endpoint => endpoint.query(query))
    }

    fn body(&self) -> Result<Body, InvalidRequest> {
        each!(self, endpoint => endpoint.body())
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<StreamAnswer, ParseError> {
        match self {
            StreamRequest::CreateCard(create) => create.parse(response).map(StreamAnswer::Created),
            StreamRequest::SendMessage(send) => send
                .parse(response)
                .map(|m| StreamAnswer::Sent(Box::new(m))),
            StreamRequest::ReplyMessage(reply) => reply
                .parse(response)
                .map(|m| StreamAnswer::Sent(Box::new(m))),
            StreamRequest::Content(write) => write.parse(response).map(|()| StreamAnswer::Updated),
            StreamRequest::UpdateElement(write) => {
                write.parse(response).map(|()| StreamAnswer::Updated)
            }
            StreamRequest::Settings(close) => close.parse(response).map(|()| StreamAnswer::Updated),
        }
    }

    fn idempotent(&self) -> bool {
        each!(self, endpoint => endpoint.idempotent())
    }

    fn timeout(&self) -> Option<Duration> {
        each!(self, endpoint => endpoint.timeout())
    }

    fn with_uuid(&self, uuid: &str) -> Option<Self> {
        match self {
            StreamRequest::CreateCard(_) => None,
            StreamRequest::SendMessage(send) => send.with_uuid(uuid).map(Self::SendMessage),
            StreamRequest::ReplyMessage(reply) => reply.with_uuid(uuid).map(Self::ReplyMessage),
            StreamRequest::Content(write) => write.with_uuid(uuid).map(Self::Content),
            StreamRequest::UpdateElement(write) => write.with_uuid(uuid).map(Self::UpdateElement),
            StreamRequest::Settings(close) => close.with_uuid(uuid).map(Self::Settings),
        }
    }
}
