//! One dispatcher for both channels: typed handlers per event type, a
//! fallback, a card-action handler answering a [`CardResponse`]. The
//! webhook ([`Webhook::serve`](super::Webhook::serve)) and the long
//! connection ([`Session`](crate::long_connection::Session)) hand it the
//! same [`Incoming`] values, so the same handlers serve both.
//!
//! It runs nothing by itself: the driver calls [`Dispatcher::dispatch`] and
//! carries the [`Outcome`] back. Blocking handlers return their result;
//! async ones return a future, which the driver awaits (the core names only
//! `std::future::Future` and depends on no runtime).

use std::collections::HashMap;
use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;

use super::{CardAction, CardResponse, Event, EventHeader, EventType};

/// A future a dispatcher of the [`Async`] flavour returns: boxed, `Send`,
/// owning everything it needs.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// What arrived, on either channel, for the handlers.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Incoming {
    /// An event.
    Event(Box<Event>),
    /// A card action, to be answered with a [`CardResponse`].
    CardAction(Box<CardAction>),
}

impl Incoming {
    /// The dedup id: the event's, or the card action's (`card.action.trigger`).
    pub fn event_id(&self) -> Option<&str> {
        match self {
            Incoming::Event(event) => event.event_id.as_deref(),
            Incoming::CardAction(action) => action.event_id.as_deref(),
        }
    }
}

/// A handler's failure: any error, boxed. Handlers return it with `?` from
/// any error type, or from a message: `Err("no such order".into())`.
pub struct HandlerError(Box<dyn StdError + Send + Sync + 'static>);

impl HandlerError {
    /// The error the handler returned.
    pub fn get_ref(&self) -> &(dyn StdError + Send + Sync + 'static) {
        &*self.0
    }

    /// The error the handler returned, owned.
    pub fn into_inner(self) -> Box<dyn StdError + Send + Sync + 'static> {
        self.0
    }
}

// Like `anyhow::Error`, `HandlerError` is not itself an `Error`, so that
// every error (and every message) converts into it with `?`.
impl<E: Into<Box<dyn StdError + Send + Sync + 'static>>> From<E> for HandlerError {
    fn from(error: E) -> Self {
        Self(error.into())
    }
}

impl fmt::Debug for HandlerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for HandlerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// What the handlers made of an [`Incoming`]; the channel turns it into its
/// answer (an HTTP response, a long-connection ACK).
#[derive(Debug)]
#[non_exhaustive]
pub enum Outcome {
    /// An event handler succeeded: acknowledged with 200.
    Done,
    /// No handler took it: acknowledged with 200 all the same, so Feishu
    /// does not redeliver what no code here will handle.
    Unhandled,
    /// A card-action handler answered.
    Card(CardResponse),
    /// A handler failed: answered 500, and its id forgotten, so Feishu's
    /// redelivery is handled again.
    Failed(HandlerError),
}

impl Outcome {
    fn of_event(result: Result<(), HandlerError>) -> Self {
        result.map_or_else(Outcome::Failed, |()| Outcome::Done)
    }

    fn of_card(result: Result<CardResponse, HandlerError>) -> Self {
        result.map_or_else(Outcome::Failed, Outcome::Card)
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Blocking {}
    impl Sealed for super::Async {}
}

/// How a dispatcher's handlers return: [`Blocking`] or [`Async`].
pub trait Flavor: sealed::Sealed + 'static {
    /// What a handler returns for a result `T`: `T` itself, or a future of it.
    type Output<T: Send + 'static>: Send + 'static;

    #[doc(hidden)]
    fn ready<T: Send + 'static>(value: T) -> Self::Output<T>;

    #[doc(hidden)]
    fn map<T: Send + 'static, U: Send + 'static>(
        output: Self::Output<T>,
        f: fn(T) -> U,
    ) -> Self::Output<U>;
}

/// Handlers that return their result: [`Dispatcher::dispatch`] returns the
/// [`Outcome`]. Run them off the thread that reads the socket (a pool), so
/// a slow one delays no ping.
#[derive(Debug)]
pub enum Blocking {}

/// Handlers that return futures: [`Dispatcher::dispatch`] returns a
/// [`BoxFuture`] of the [`Outcome`], for the driver to await or spawn.
#[derive(Debug)]
pub enum Async {}

impl Flavor for Blocking {
    type Output<T: Send + 'static> = T;

    fn ready<T: Send + 'static>(value: T) -> T {
        value
    }

    fn map<T: Send + 'static, U: Send + 'static>(output: T, f: fn(T) -> U) -> U {
        f(output)
    }
}

impl Flavor for Async {
    type Output<T: Send + 'static> = BoxFuture<T>;

    fn ready<T: Send + 'static>(value: T) -> BoxFuture<T> {
        Box::pin(std::future::ready(value))
    }

    fn map<T: Send + 'static, U: Send + 'static>(
        output: BoxFuture<T>,
        f: fn(T) -> U,
    ) -> BoxFuture<U> {
        Box::pin(async move { f(output.await) })
    }
}

/// A typed handler: the payload's event, or the event back when the payload
/// did not have the type's shape (then the fallback takes it).
type Typed<F> = Box<
    dyn Fn(Box<Event>) -> Result<<F as Flavor>::Output<Outcome>, Box<Event>>
        + Send
        + Sync
        + 'static,
>;
type Fallback<F> = Box<dyn Fn(Event) -> <F as Flavor>::Output<Outcome> + Send + Sync + 'static>;
type Card<F> = Box<dyn Fn(CardAction) -> <F as Flavor>::Output<Outcome> + Send + Sync + 'static>;

/// Routes each [`Incoming`] to its handler: the typed handler of its
/// `event_type`, else the fallback; card actions to the card handler.
/// Whatever no handler takes is [`Outcome::Unhandled`], acknowledged.
///
/// ```
/// use feishu_core::event::types::{BOT_ADDED, MESSAGE_RECEIVED};
/// use feishu_core::event::{CardResponse, Dispatcher, Outcome, ToastKind, Webhook};
///
/// let dispatcher = Dispatcher::new()
///     .on(MESSAGE_RECEIVED, |header, message| {
///         println!("{:?} in {}: {:?}", header.event_id, message.message.chat_id, message.message.resolved_content());
///         Ok(())
///     })
///     .on(BOT_ADDED, |_, added| Err(format!("not welcome in {}", added.chat_id).into()))
///     .on_card_action(|action| Ok(CardResponse::toast(ToastKind::Success, format!("{} done", action.action.tag))))
///     .fallback(|event| {
///         println!("unhandled {}", event.event_type);
///         Ok(())
///     });
///
/// // The same dispatcher serves a webhook and a long connection.
/// let webhook = Webhook::token_only("41a9425ea7df4536a7623e38fa321bae");
/// let body = br#"{"schema":"2.0","header":{"event_id":"e1","event_type":"im.message.receive_v1","token":"41a9425ea7df4536a7623e38fa321bae"},
///     "event":{"sender":{"sender_id":{"open_id":"ou_1"}},"message":{"message_id":"om_1","chat_id":"oc_1","message_type":"text","content":"{\"text\":\"hi\"}"}}}"#;
/// let request = http::Request::post("/webhook").body(body.to_vec())?;
/// let response = webhook.serve(&dispatcher, &request, std::time::SystemTime::now());
/// assert_eq!(response.status(), 200);
/// # Ok::<(), http::Error>(())
/// ```
pub struct Dispatcher<F: Flavor = Blocking> {
    typed: HashMap<String, Typed<F>>,
    fallback: Option<Fallback<F>>,
    card: Option<Card<F>>,
}

impl<F: Flavor> Default for Dispatcher<F> {
    fn default() -> Self {
        Self {
            typed: HashMap::new(),
            fallback: None,
            card: None,
        }
    }
}

impl Dispatcher<Blocking> {
    /// A dispatcher of blocking handlers, with none yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Handles events of one type: `handler` gets the event's header and its
    /// typed payload. A second handler for the same type replaces the first.
    pub fn on<P: 'static>(
        self,
        event_type: EventType<P>,
        handler: impl Fn(EventHeader, P) -> Result<(), HandlerError> + Send + Sync + 'static,
    ) -> Self {
        self.typed(event_type, move |header, payload| {
            Outcome::of_event(handler(header, payload))
        })
    }

    /// Handles events of a type this crate does not type, by name, whole.
    pub fn on_event_type(
        self,
        event_type: impl Into<String>,
        handler: impl Fn(Event) -> Result<(), HandlerError> + Send + Sync + 'static,
    ) -> Self {
        self.untyped(event_type.into(), move |event| {
            Outcome::of_event(handler(event))
        })
    }

    /// Handles every event no other handler took.
    pub fn fallback(
        mut self,
        handler: impl Fn(Event) -> Result<(), HandlerError> + Send + Sync + 'static,
    ) -> Self {
        self.fallback = Some(Box::new(move |event| Outcome::of_event(handler(event))));
        self
    }

    /// Answers card actions. Answer within 3 s: past the channel's budget
    /// the answer is a fallback toast, and the card can still be updated
    /// through the API with [`CardAction::token`].
    pub fn on_card_action(
        mut self,
        handler: impl Fn(CardAction) -> Result<CardResponse, HandlerError> + Send + Sync + 'static,
    ) -> Self {
        self.card = Some(Box::new(move |action| Outcome::of_card(handler(action))));
        self
    }
}

impl Dispatcher<Async> {
    /// A dispatcher of async handlers, with none yet.
    pub fn new_async() -> Self {
        Self::default()
    }

    /// Handles events of one type with an async handler; see
    /// [`Dispatcher::on`].
    pub fn on<P: 'static, Fut>(
        self,
        event_type: EventType<P>,
        handler: impl Fn(EventHeader, P) -> Fut + Send + Sync + 'static,
    ) -> Self
    where
        Fut: Future<Output = Result<(), HandlerError>> + Send + 'static,
    {
        self.typed(event_type, move |header, payload| {
            Async::map(Box::pin(handler(header, payload)), Outcome::of_event)
        })
    }

    /// Handles events of a type this crate does not type, by name, whole.
    pub fn on_event_type<Fut>(
        self,
        event_type: impl Into<String>,
        handler: impl Fn(Event) -> Fut + Send + Sync + 'static,
    ) -> Self
    where
        Fut: Future<Output = Result<(), HandlerError>> + Send + 'static,
    {
        self.untyped(event_type.into(), move |event| {
            Async::map(Box::pin(handler(event)), Outcome::of_event)
        })
    }

    /// Handles every event no other handler took.
    pub fn fallback<Fut>(mut self, handler: impl Fn(Event) -> Fut + Send + Sync + 'static) -> Self
    where
        Fut: Future<Output = Result<(), HandlerError>> + Send + 'static,
    {
        self.fallback = Some(Box::new(move |event| {
            Async::map(Box::pin(handler(event)), Outcome::of_event)
        }));
        self
    }

    /// Answers card actions with an async handler; see
    /// [`Dispatcher::on_card_action`].
    pub fn on_card_action<Fut>(
        mut self,
        handler: impl Fn(CardAction) -> Fut + Send + Sync + 'static,
    ) -> Self
    where
        Fut: Future<Output = Result<CardResponse, HandlerError>> + Send + 'static,
    {
        self.card = Some(Box::new(move |action| {
            Async::map(Box::pin(handler(action)), Outcome::of_card)
        }));
        self
    }
}

impl<F: Flavor> Dispatcher<F> {
    fn typed<P: 'static>(
        mut self,
        event_type: EventType<P>,
        handler: impl Fn(EventHeader, P) -> F::Output<Outcome> + Send + Sync + 'static,
    ) -> Self {
        let typed: Typed<F> = Box::new(move |event: Box<Event>| {
            let (header, kind) = event.into_parts();
            match event_type.take(kind) {
                Ok(payload) => Ok(handler(header, payload)),
                Err(kind) => Err(Box::new(header.with_kind(kind))),
            }
        });
        self.typed.insert(event_type.name().to_owned(), typed);
        self
    }

    fn untyped(
        mut self,
        event_type: String,
        handler: impl Fn(Event) -> F::Output<Outcome> + Send + Sync + 'static,
    ) -> Self {
        self.typed
            .insert(event_type, Box::new(move |event| Ok(handler(*event))));
        self
    }

    /// Whether a handler (typed or by name) is registered for `event_type`.
    pub fn handles(&self, event_type: &str) -> bool {
        self.typed.contains_key(event_type)
    }

    /// Runs the handler of `incoming`: blocking, it returns the [`Outcome`];
    /// async, a [`BoxFuture`] of it. A card action with no card handler, and
    /// an event with no handler and no fallback, are [`Outcome::Unhandled`].
    pub fn dispatch(&self, incoming: Incoming) -> F::Output<Outcome> {
        match incoming {
            Incoming::CardAction(action) => match &self.card {
                Some(handler) => handler(*action),
                None => F::ready(Outcome::Unhandled),
            },
            Incoming::Event(event) => {
                let event = match self.typed.get(event.event_type.as_str()) {
                    Some(handler) => match handler(event) {
                        Ok(output) => return output,
                        // A known type with another shape: the fallback's.
                        Err(event) => event,
                    },
                    None => event,
                };
                match &self.fallback {
                    Some(handler) => handler(*event),
                    None => F::ready(Outcome::Unhandled),
                }
            }
        }
    }
}

impl<F: Flavor> fmt::Debug for Dispatcher<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut types: Vec<&str> = self.typed.keys().map(String::as_str).collect();
        types.sort_unstable();
        f.debug_struct("Dispatcher")
            .field("event_types", &types)
            .field("fallback", &self.fallback.is_some())
            .field("card_action", &self.card.is_some())
            .finish()
    }
}
