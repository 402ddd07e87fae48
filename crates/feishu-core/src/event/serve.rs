//! A webhook with a [`Dispatcher`]: handle the request, run its handler,
//! answer with what the handler made of it.

use std::time::SystemTime;

use http::StatusCode;
use serde_json::json;

use super::dispatch::{Async, Blocking, Dispatcher, Incoming, Outcome};
use super::{CardProtocol, Delivery, Handled, Webhook, json_response};

impl Webhook {
    /// Handles one request with the handlers of `dispatcher` and returns the
    /// answer: the challenge, the event's ACK, the card handler's
    /// [`CardResponse`](super::CardResponse), or the refusal. A failed
    /// handler is answered 500 and its event id forgotten, so Feishu's
    /// redelivery runs it again. Pure but for the handlers; never panics
    /// unless a handler does.
    ///
    /// The handler runs before the answer goes: keep it well under Feishu's
    /// 3 s, or hand long work elsewhere and return.
    pub fn serve<B: AsRef<[u8]>>(
        &self,
        dispatcher: &Dispatcher<Blocking>,
        request: &http::Request<B>,
        now: SystemTime,
    ) -> http::Response<Vec<u8>> {
        match Pending::of(self.handle(request, now)) {
            Next::Dispatch(pending, incoming) => {
                pending.answer(self, dispatcher.dispatch(incoming))
            }
            Next::Answer(response) => response,
        }
    }

    /// [`Webhook::serve`] with async handlers.
    pub async fn serve_async<B: AsRef<[u8]>>(
        &self,
        dispatcher: &Dispatcher<Async>,
        request: &http::Request<B>,
        now: SystemTime,
    ) -> http::Response<Vec<u8>> {
        match Pending::of(self.handle(request, now)) {
            Next::Dispatch(pending, incoming) => {
                pending.answer(self, dispatcher.dispatch(incoming).await)
            }
            Next::Answer(response) => response,
        }
    }
}

/// What a handled request needs next.
enum Next {
    /// Its handler, then the answer.
    Dispatch(Pending, Incoming),
    /// Nothing to dispatch (a challenge, a duplicate, a refusal): the answer.
    Answer(http::Response<Vec<u8>>),
}

/// What the answer to a dispatched delivery depends on.
struct Pending {
    ack: http::Response<Vec<u8>>,
    event_id: Option<String>,
    card: Option<CardProtocol>,
}

impl Pending {
    /// The delivery to dispatch, or the answer when there is none.
    fn of(handled: Handled) -> Next {
        let incoming = match handled.delivery {
            Delivery::Event(event) => Incoming::Event(event),
            Delivery::CardAction(action) => Incoming::CardAction(action),
            _ => return Next::Answer(handled.response),
        };
        let card = match &incoming {
            Incoming::CardAction(action) => Some(action.protocol),
            Incoming::Event(_) => None,
        };
        let pending = Self {
            ack: handled.response,
            event_id: incoming.event_id().map(str::to_owned),
            card,
        };
        Next::Dispatch(pending, incoming)
    }

    fn answer(self, webhook: &Webhook, outcome: Outcome) -> http::Response<Vec<u8>> {
        match (outcome, self.card) {
            (Outcome::Failed(_), _) => {
                if let Some(id) = &self.event_id {
                    webhook.forget(id);
                }
                // Fixed: nothing of the handler's error echoes back.
                json_response(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    &json!({ "msg": "handler failed" }),
                )
            }
            (Outcome::Card(response), Some(protocol)) => response.into_response(protocol),
            _ => self.ack,
        }
    }
}
