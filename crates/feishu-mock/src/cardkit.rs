//! CardKit (`/open-apis/cardkit/v1`) and the delayed card update: card
//! entities with their components, `sequence` and streaming mode, as
//! Feishu keeps them.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/cardkit-v1/feishu-card-resource-overview>
//!
//! Every endpoint takes a tenant token. A card is Card JSON 2.0 only
//! (300303), shared (`update_multi` not `false`, 300302), at most 30 KB
//! (200860) and 200 components (300305), each `element_id` once (300301);
//! it lives 14 days (200750) and is sent once, as a message or a reply with
//! content `{"type":"card","data":{"card_id":…}}` (a second send, or an
//! unknown card, gets 230001 naming `content`).
//!
//! Every operation on a card carries a `sequence` above the card's last
//! (300317) and may carry a `uuid`: the same `uuid` with the same
//! `sequence` is answered as before and applied once, with another
//! `sequence` it is 200770. A card takes at most 10 operations in any
//! second of the mock's [clock](crate::Clock) (its creation included):
//! the eleventh gets HTTP 429, 99991400 and `x-ogw-ratelimit-reset: 1`.
//! Content writes need streaming mode: 300309 when it is off, 200850 once
//! it ran ten minutes; they set the whole text, typed out when the old
//! text is its prefix (recorded as `extends` in the history).
//!
//! What Feishu leaves open, the mock does this way: a refused operation
//! changes nothing and spends no `sequence`; `type: "template"` cards are
//! refused (10002: the mock renders no templates); an unknown element is
//! 300313; a bad card-update token (unknown, over 30 minutes, used twice)
//! is 10002 naming `token`.
//!
//! Tests read the cards with [`MockServer::cards`](crate::MockServer::cards)
//! and [`MockServer::card`](crate::MockServer::card), or `GET /_mock/cards`
//! and `GET /_mock/cards/{card_id}`.

mod action;
mod api;
mod card;
mod card_element;
mod control;
mod delay_update;
mod error;
mod record;
mod request;
mod send;
mod store;
mod tree;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, patch, post, put};

use crate::state::Shared;

pub use record::{CardWrite, StoredCard};
pub(crate) use send::send_entity;
pub(crate) use store::CardStore;

/// The control routes, as `GET /_mock` lists them.
pub(crate) const CONTROL_ROUTES: [&str; 3] = [
    "GET /_mock/cards",
    "GET /_mock/cards/{card_id}",
    "POST /_mock/cards/action_event",
];

/// The CardKit routes and their control routes.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    const CARD: &str = "/open-apis/cardkit/v1/cards/{card_id}";
    const ELEMENT: &str = "/open-apis/cardkit/v1/cards/{card_id}/elements/{element_id}";
    Router::new()
        .route("/open-apis/cardkit/v1/cards", post(card::create))
        .route(
            "/open-apis/cardkit/v1/cards/id_convert",
            post(card::id_convert),
        )
        .route(CARD, put(card::update))
        .route(&format!("{CARD}/settings"), patch(card::settings))
        .route(&format!("{CARD}/batch_update"), post(card::batch_update))
        .route(&format!("{CARD}/elements"), post(card_element::create))
        .route(
            ELEMENT,
            put(card_element::update)
                .patch(card_element::patch)
                .delete(card_element::delete),
        )
        .route(&format!("{ELEMENT}/content"), put(card_element::content))
        .route(
            "/open-apis/interactive/v1/card/update",
            post(delay_update::delay_update),
        )
        .route("/_mock/cards", get(control::cards))
        .route("/_mock/cards/{card_id}", get(control::card))
        .route("/_mock/cards/action_event", post(control::action_event))
}
