//! `POST /open-apis/cardkit/v1/cards/id_convert`
//!
//! Find the card entity behind a card message.
//! Docs: <https://open.feishu.cn/document/cardkit-v1/card/id_convert>

use serde::Serialize;

use super::CardEntity;
use crate::{Body, InvalidRequest, endpoint};

/// `POST /open-apis/cardkit/v1/cards/id_convert`: the card entity id of a
/// card message (`om_…`), to update it through CardKit. A lookup, so safe
/// to repeat.
///
/// ```
/// use feishu_core::cardkit::card::IdConvertCard;
///
/// let convert = IdConvertCard::new("om_dc13264520392913993dd051dba21dcf");
/// let request = feishu_core::build(&feishu_core::Config::feishu(), &convert, Some(&"t-x".into()))?;
/// assert_eq!(request.body(), br#"{"message_id":"om_dc13264520392913993dd051dba21dcf"}"#);
/// # Ok::<(), feishu_core::Error>(())
/// ```
#[derive(Clone, Debug, Serialize)]
pub struct IdConvertCard {
    message_id: String,
}

impl IdConvertCard {
    /// The card entity of message `message_id`.
    pub fn new(message_id: impl Into<String>) -> Self {
        Self {
            message_id: message_id.into(),
        }
    }
}

endpoint! {
    IdConvertCard => CardEntity {
        id: "cardkit.v1.card.id_convert",
        method: POST,
        path: "/open-apis/cardkit/v1/cards/id_convert",
        tokens: [Tenant],
        body: json(|convert: &IdConvertCard| {
            if convert.message_id.is_empty() {
                return Err(InvalidRequest::empty("message_id"));
            }
            Body::json(convert)
        }),
        shape: data,
        idempotent: true,
        doc: "https://open.feishu.cn/document/cardkit-v1/card/id_convert",
    }
}
