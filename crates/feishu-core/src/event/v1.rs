//! Typed schema 1.0 events still delivered (`{"type":"event_callback",
//! "event":{"type":…}}`): the app's life in a tenant, the old chat events,
//! the marketplace app ticket. Approvals are in [`approval`](super::approval).
//! Docs: <https://open.feishu.cn/document/ukTMukTMukTM/uQTNxYjL0UTM24CN1EjN>

use std::collections::BTreeMap;

use serde::Deserialize;

use super::lenient;

/// A user in a 1.0 event: the ids it carries (no union_id there).
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct V1User {
    /// The open_id, `ou_…`.
    pub open_id: Option<String>,
    /// The user_id (a 1.0 `employee_id`).
    pub user_id: Option<String>,
    /// The name, when sent.
    pub name: Option<String>,
}

/// `app_ticket`: a marketplace app's hourly ticket. Kept by a webhook given
/// a client ([`Webhook::app_tickets_to`](super::Webhook::app_tickets_to)).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct AppTicket {
    /// The app it is for.
    #[serde(default)]
    pub app_id: String,
    /// The ticket.
    pub app_ticket: crate::Secret,
}

/// `p2p_chat_create`: a user opened a one-to-one chat with the bot for the
/// first time.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct P2pChatCreated {
    /// The chat, `oc_…`.
    pub chat_id: String,
    /// Who opened it.
    #[serde(default)]
    pub operator: V1User,
    /// The user in the chat.
    #[serde(default)]
    pub user: V1User,
    /// The app.
    pub app_id: Option<String>,
    /// The tenant.
    pub tenant_key: Option<String>,
}

/// `add_bot` / `remove_bot`: the bot joined or left a group (schema 1.0).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct V1BotMembership {
    /// The chat, `oc_…`.
    pub open_chat_id: String,
    /// The chat's name.
    pub chat_name: Option<String>,
    /// The chat's name by locale.
    #[serde(default, deserialize_with = "lenient::names")]
    pub chat_i18n_names: BTreeMap<String, String>,
    /// The owner's open_id.
    pub chat_owner_open_id: Option<String>,
    /// The owner's user_id.
    pub chat_owner_employee_id: Option<String>,
    /// The owner's name.
    pub chat_owner_name: Option<String>,
    /// Whether a bot owns the chat.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub owner_is_bot: bool,
    /// Who added or removed the bot: open_id.
    pub operator_open_id: Option<String>,
    /// Their user_id.
    pub operator_employee_id: Option<String>,
    /// Their name.
    pub operator_name: Option<String>,
    /// The app.
    pub app_id: Option<String>,
    /// The tenant.
    pub tenant_key: Option<String>,
}

/// `message_read`: a user read messages the bot sent (schema 1.0).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct V1MessageRead {
    /// The reader's open_id.
    #[serde(default)]
    pub open_id: String,
    /// The chat, `oc_…`.
    pub open_chat_id: Option<String>,
    /// The messages read.
    #[serde(default, deserialize_with = "lenient::list")]
    pub open_message_ids: Vec<String>,
    /// The app.
    pub app_id: Option<String>,
    /// The tenant.
    pub tenant_key: Option<String>,
}

/// `app_open`: a tenant enabled the app (installed it, or an admin approved
/// it).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct AppOpened {
    /// Who asked for it.
    #[serde(default, deserialize_with = "lenient::list")]
    pub applicants: Vec<V1User>,
    /// The admin who installed it, when an admin did.
    pub installer: Option<V1User>,
    /// The employee who installed it, when one did.
    pub installer_employee: Option<V1User>,
    /// The app.
    pub app_id: Option<String>,
    /// The tenant.
    pub tenant_key: Option<String>,
}

/// `app_status_change`: the app was started or stopped in a tenant.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct AppStatusChanged {
    /// `start_by_tenant`, `stop_by_tenant` or `stop_by_platform`.
    #[serde(default)]
    pub status: String,
    /// Who did it, when a user did.
    pub operator: Option<V1User>,
    /// The app.
    pub app_id: Option<String>,
    /// The tenant.
    pub tenant_key: Option<String>,
}

/// `order_paid`: a tenant paid for a marketplace app.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct OrderPaid {
    /// The order.
    #[serde(default, deserialize_with = "lenient::text_or_empty")]
    pub order_id: String,
    /// The price plan.
    #[serde(default, deserialize_with = "lenient::text")]
    pub price_plan_id: Option<String>,
    /// `trial`, `permanent`, `per_year`, `per_month`, `per_seat_per_year`, …
    pub price_plan_type: Option<String>,
    /// Seats bought (per-seat plans).
    #[serde(default, deserialize_with = "lenient::integer")]
    pub seats: Option<i64>,
    /// How many were bought.
    #[serde(default, deserialize_with = "lenient::integer")]
    pub buy_count: Option<i64>,
    /// When the order was made, as sent.
    #[serde(default, deserialize_with = "lenient::text")]
    pub create_time: Option<String>,
    /// When it was paid, as sent.
    #[serde(default, deserialize_with = "lenient::text")]
    pub pay_time: Option<String>,
    /// `buy`, `upgrade` or `renew`.
    pub buy_type: Option<String>,
    /// The order upgraded or renewed.
    #[serde(default, deserialize_with = "lenient::text")]
    pub src_order_id: Option<String>,
    /// The price paid, in cents.
    #[serde(default, deserialize_with = "lenient::integer")]
    pub order_pay_price: Option<i64>,
    /// The app.
    pub app_id: Option<String>,
    /// The tenant.
    pub tenant_key: Option<String>,
}

/// `app_uninstalled`: a tenant uninstalled the app.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct AppUninstalled {
    /// The app.
    pub app_id: Option<String>,
    /// The tenant.
    pub tenant_key: Option<String>,
}
