//! Card action callbacks: the old protocol (a flat body signed with SHA-1 and
//! the verification token) and `card.action.trigger` (a v2 event), and the
//! answer: a toast, a new card, or nothing.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-callback-communication>

use serde::Deserialize;
use serde_json::{Value, json};

use super::im::UserId;
use crate::Secret;
use crate::im::content::Card;

/// Which callback protocol a card action came by; the answer's shape follows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CardProtocol {
    /// The old "message card request URL" protocol.
    Legacy,
    /// `card.action.trigger`, a v2 event.
    V2,
}

/// A user acted on a card: clicked a button, submitted a form, picked an option.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct CardAction {
    /// The protocol it came by.
    pub protocol: CardProtocol,
    /// The dedup id of a `card.action.trigger` (its `header.event_id`); the
    /// old protocol has none.
    pub event_id: Option<String>,
    /// Who acted.
    pub operator: UserId,
    /// The operator's tenant.
    pub tenant_key: Option<String>,
    /// The card-update token (`c-…`), not the verification token: it allows
    /// updating this card later (about 30 minutes, at most twice).
    pub token: Option<Secret>,
    /// What they did.
    pub action: Action,
    /// The message that holds the card.
    pub open_message_id: Option<String>,
    /// The chat that holds the message.
    pub open_chat_id: Option<String>,
}

/// What a user did on a card.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct Action {
    /// The component, e.g. `button`, `select_static`, `input`.
    #[serde(default)]
    pub tag: String,
    /// The value the card attached to the component.
    #[serde(default)]
    pub value: Value,
    /// The component's name.
    pub name: Option<String>,
    /// A submitted form's values, by field name.
    pub form_value: Option<Value>,
    /// The option picked (select, picker, person picker).
    pub option: Option<String>,
    /// The options picked (multi-select).
    pub options: Option<Vec<String>>,
    /// A checkbox's state.
    pub checked: Option<bool>,
    /// An input's text.
    pub input_value: Option<String>,
    /// The user's time zone, for date pickers.
    pub timezone: Option<String>,
}

/// The flat body of an old-protocol callback.
#[derive(Deserialize)]
pub(crate) struct LegacyBody {
    open_id: Option<String>,
    user_id: Option<String>,
    open_message_id: Option<String>,
    open_chat_id: Option<String>,
    tenant_key: Option<String>,
    token: Option<Secret>,
    action: Action,
}

impl From<LegacyBody> for CardAction {
    fn from(body: LegacyBody) -> Self {
        Self {
            protocol: CardProtocol::Legacy,
            event_id: None,
            operator: UserId {
                open_id: body.open_id,
                union_id: None,
                user_id: body.user_id,
            },
            tenant_key: body.tenant_key,
            token: body.token,
            action: body.action,
            open_message_id: body.open_message_id,
            open_chat_id: body.open_chat_id,
        }
    }
}

/// The `event` of a `card.action.trigger`.
#[derive(Deserialize)]
pub(crate) struct TriggerEvent {
    #[serde(default)]
    operator: Operator,
    token: Option<Secret>,
    #[serde(default)]
    action: Action,
    #[serde(default)]
    context: Context,
}

#[derive(Default, Deserialize)]
struct Operator {
    open_id: Option<String>,
    union_id: Option<String>,
    user_id: Option<String>,
    tenant_key: Option<String>,
}

#[derive(Default, Deserialize)]
struct Context {
    open_message_id: Option<String>,
    open_chat_id: Option<String>,
}

impl From<TriggerEvent> for CardAction {
    fn from(event: TriggerEvent) -> Self {
        Self {
            protocol: CardProtocol::V2,
            event_id: None,
            operator: UserId {
                open_id: event.operator.open_id,
                union_id: event.operator.union_id,
                user_id: event.operator.user_id,
            },
            tenant_key: event.operator.tenant_key,
            token: event.token,
            action: event.action,
            open_message_id: event.context.open_message_id,
            open_chat_id: event.context.open_chat_id,
        }
    }
}

/// The kind of a toast.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ToastKind {
    /// Neutral.
    Info,
    /// Done.
    Success,
    /// Failed.
    Error,
    /// Careful.
    Warning,
}

/// The answer to a card action: a toast, a card to replace the clicked one,
/// both, or neither (`{}`, the card stays as it is). Answer within 3 s.
///
/// ```
/// use feishu_core::event::{CardProtocol, CardResponse, ToastKind};
///
/// let response = CardResponse::toast(ToastKind::Success, "Approved").into_response(CardProtocol::V2);
/// assert_eq!(response.body(), br#"{"toast":{"content":"Approved","type":"success"}}"#);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CardResponse {
    toast: Option<(ToastKind, String)>,
    card: Option<Card>,
}

impl CardResponse {
    /// No change: `{}`.
    pub fn none() -> Self {
        Self::default()
    }

    /// A toast.
    pub fn toast(kind: ToastKind, content: impl Into<String>) -> Self {
        Self {
            toast: Some((kind, content.into())),
            card: None,
        }
    }

    /// Replaces the card.
    pub fn card(mut self, card: Card) -> Self {
        self.card = Some(card);
        self
    }

    /// The HTTP answer. The old protocol takes the bare card (a toast there is
    /// sent as `{"toast":…}` only when there is no card, as its format is
    /// unconfirmed).
    pub fn into_response(self, protocol: CardProtocol) -> http::Response<Vec<u8>> {
        super::json_response(http::StatusCode::OK, &self.into_json(protocol))
    }

    /// The answer's JSON, as [`CardResponse::into_response`] sends it: the
    /// long connection carries the same JSON in its ACK.
    pub fn into_json(self, protocol: CardProtocol) -> Value {
        let toast = self.toast.map(|(kind, content)| {
            let kind = match kind {
                ToastKind::Info => "info",
                ToastKind::Success => "success",
                ToastKind::Error => "error",
                ToastKind::Warning => "warning",
            };
            json!({ "type": kind, "content": content })
        });
        match (protocol, self.card) {
            (CardProtocol::Legacy, Some(Card::Raw(card))) => card,
            (CardProtocol::Legacy, _) => toast.map_or_else(|| json!({}), |t| json!({ "toast": t })),
            (_, card) => {
                let mut body = serde_json::Map::new();
                if let Some(toast) = toast {
                    body.insert("toast".into(), toast);
                }
                if let Some(card) = card {
                    body.insert("card".into(), card_answer(card));
                }
                Value::Object(body)
            }
        }
    }
}

/// `{"type":"raw","data":card}` or `{"type":"template","data":{…}}`.
fn card_answer(card: Card) -> Value {
    match card {
        Card::Raw(card) => json!({ "type": "raw", "data": card }),
        Card::Template {
            template_id,
            template_variable,
        } => json!({
            "type": "template",
            "data": { "template_id": template_id, "template_variable": template_variable },
        }),
        Card::Entity { card_id } => json!({ "type": "card", "data": { "card_id": card_id } }),
    }
}
