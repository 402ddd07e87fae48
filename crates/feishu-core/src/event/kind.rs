//! Every typed event, declared once: the [`EventKind`] and [`V1Event`]
//! variants, the parse by `event_type`, and the typed [`EventType`]
//! constants the dispatcher registers handlers with all come from the table
//! at the end.

use std::fmt;

use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_json::value::RawValue;

use super::approval::{ApprovalInstance, ApprovalTask};
use super::chat::{ChatDisbanded, ChatMembersChanged, ChatUpdated};
use super::contact::{DepartmentChanged, UserChanged};
use super::im::{
    BotMembership, BotMenu, BotP2pChatEntered, MessageRead, MessageRecalled, MessageReceived,
    Reaction,
};
use super::v1::{
    AppOpened, AppStatusChanged, AppTicket, AppUninstalled, OrderPaid, P2pChatCreated,
    V1BotMembership, V1MessageRead,
};
use super::workflow::{BitableRecordChanged, CalendarEventChanged, TaskUpdated};

/// One event type, typed: its `event_type` and how to take its payload `P`
/// out of an [`EventKind`]. The constants of [`types`](super::types) are the
/// ones Feishu sends; the dispatcher registers handlers with them.
///
/// ```
/// use feishu_core::event::types::MESSAGE_RECEIVED;
///
/// assert_eq!(MESSAGE_RECEIVED.name(), "im.message.receive_v1");
/// ```
pub struct EventType<P> {
    name: &'static str,
    take: fn(EventKind) -> Result<P, EventKind>,
}

impl<P> EventType<P> {
    /// The `event_type` (v2, e.g. `im.message.receive_v1`) or `event.type`
    /// (1.0, e.g. `add_bot`).
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The payload, if `kind` is this type; else `kind` back, untouched.
    pub fn take(&self, kind: EventKind) -> Result<P, EventKind> {
        (self.take)(kind)
    }
}

// Not derived: a derive would ask `P: Clone`, and the payload is never copied.
impl<P> Clone for EventType<P> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<P> Copy for EventType<P> {}

impl<P> fmt::Debug for EventType<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("EventType").field(&self.name).finish()
    }
}

/// Declares every typed event: the two enums, their parse, and the constants.
macro_rules! events {
    (
        v2 { $( $(#[doc = $doc:literal])* $variant:ident($payload:ty) = $name:literal as $constant:ident; )* }
        v1 { $( $(#[doc = $v1_doc:literal])* $v1_variant:ident($v1_payload:ty) = $v1_name:literal as $v1_constant:ident; )* }
    ) => {
        /// A schema 2.0 event, typed by its `header.event_type`, or a schema
        /// 1.0 one in [`EventKind::V1`]. Card actions (`card.action.trigger`)
        /// are not events here: they arrive as
        /// [`CardAction`](crate::event::CardAction)s.
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum EventKind {
            $(
                #[doc = concat!("`", $name, "`.")]
                $(#[doc = $doc])*
                $variant(Box<$payload>),
            )*
            /// A schema 1.0 event (`"type":"event_callback"`).
            V1(V1Event),
            /// Any other schema 2.0 type, or a known type whose `event` does
            /// not have its shape: the raw `event`, never lost, and
            /// acknowledged like any other.
            Unknown {
                /// The type, as sent.
                event_type: String,
                /// The `event` object, as sent.
                raw: Value,
            },
        }

        /// A schema 1.0 event, typed by its `event.type`.
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum V1Event {
            $(
                #[doc = concat!("`", $v1_name, "`.")]
                $(#[doc = $v1_doc])*
                $v1_variant(Box<$v1_payload>),
            )*
            /// Any other schema 1.0 type, or a known type whose `event` does
            /// not have its shape: the raw `event`, acknowledged like any
            /// other.
            Unknown {
                /// The type, as sent.
                event_type: String,
                /// The `event` object, as sent.
                raw: Value,
            },
        }

        impl EventKind {
            /// Types a schema 2.0 `event` by its `event_type`.
            pub(crate) fn parse_v2(event_type: &str, event: &RawValue) -> Self {
                let typed = match event_type {
                    $( $name => typed(event).map(|payload| Self::$variant(Box::new(payload))), )*
                    _ => None,
                };
                typed.unwrap_or_else(|| Self::Unknown {
                    event_type: event_type.to_owned(),
                    raw: raw(event),
                })
            }

            /// Types a schema 1.0 `event` by its `event.type`.
            pub(crate) fn parse_v1(event_type: &str, event: &RawValue) -> Self {
                let typed = match event_type {
                    $( $v1_name => typed(event).map(|payload| V1Event::$v1_variant(Box::new(payload))), )*
                    _ => None,
                };
                Self::V1(typed.unwrap_or_else(|| V1Event::Unknown {
                    event_type: event_type.to_owned(),
                    raw: raw(event),
                }))
            }
        }

        /// The typed `event_type` constants, one per event Feishu sends, to
        /// register handlers with ([`Dispatcher::on`](super::Dispatcher::on))
        /// or take a payload out of an [`EventKind`] ([`EventType::take`]).
        pub mod types {
            use super::*;

            $(
                #[doc = concat!("`", $name, "`: [`EventKind::", stringify!($variant), "`].")]
                pub const $constant: EventType<$payload> = EventType {
                    name: $name,
                    take: |kind| match kind {
                        EventKind::$variant(payload) => Ok(*payload),
                        other => Err(other),
                    },
                };
            )*

            $(
                #[doc = concat!("`", $v1_name, "` (schema 1.0): [`V1Event::", stringify!($v1_variant), "`].")]
                pub const $v1_constant: EventType<$v1_payload> = EventType {
                    name: $v1_name,
                    take: |kind| match kind {
                        EventKind::V1(V1Event::$v1_variant(payload)) => Ok(*payload),
                        other => Err(other),
                    },
                };
            )*
        }
    };
}

fn typed<T: DeserializeOwned>(event: &RawValue) -> Option<T> {
    serde_json::from_str(event.get()).ok()
}

/// The `event` as a JSON value; only ever called on JSON serde has parsed.
fn raw(event: &RawValue) -> Value {
    serde_json::from_str(event.get()).unwrap_or_default()
}

events! {
    v2 {
        /// A message sent to the bot, or in a chat it is in.
        MessageReceived(MessageReceived) = "im.message.receive_v1" as MESSAGE_RECEIVED;
        /// A user read messages the bot sent.
        MessageRead(MessageRead) = "im.message.message_read_v1" as MESSAGE_READ;
        /// A message was recalled.
        MessageRecalled(MessageRecalled) = "im.message.recalled_v1" as MESSAGE_RECALLED;
        /// A reaction was added to a message.
        ReactionCreated(Reaction) = "im.message.reaction.created_v1" as REACTION_CREATED;
        /// A reaction was removed from a message.
        ReactionDeleted(Reaction) = "im.message.reaction.deleted_v1" as REACTION_DELETED;
        /// The bot was added to a chat.
        BotAdded(BotMembership) = "im.chat.member.bot.added_v1" as BOT_ADDED;
        /// The bot was removed from a chat.
        BotDeleted(BotMembership) = "im.chat.member.bot.deleted_v1" as BOT_DELETED;
        /// A user opened the one-to-one chat with the bot.
        BotP2pChatEntered(BotP2pChatEntered) = "im.chat.access_event.bot_p2p_chat_entered_v1" as BOT_P2P_CHAT_ENTERED;
        /// A user clicked the bot's menu.
        BotMenu(BotMenu) = "application.bot.menu_v6" as BOT_MENU;
        /// Users joined a chat.
        ChatMemberUserAdded(ChatMembersChanged) = "im.chat.member.user.added_v1" as CHAT_MEMBER_USER_ADDED;
        /// Users were removed from a chat.
        ChatMemberUserDeleted(ChatMembersChanged) = "im.chat.member.user.deleted_v1" as CHAT_MEMBER_USER_DELETED;
        /// Users left a chat, or their invitation was withdrawn.
        ChatMemberUserWithdrawn(ChatMembersChanged) = "im.chat.member.user.withdrawn_v1" as CHAT_MEMBER_USER_WITHDRAWN;
        /// A chat's settings changed.
        ChatUpdated(ChatUpdated) = "im.chat.updated_v1" as CHAT_UPDATED;
        /// A chat was disbanded.
        ChatDisbanded(ChatDisbanded) = "im.chat.disbanded_v1" as CHAT_DISBANDED;
        /// A user joined the directory.
        UserCreated(UserChanged) = "contact.user.created_v3" as USER_CREATED;
        /// A user's directory entry changed.
        UserUpdated(UserChanged) = "contact.user.updated_v3" as USER_UPDATED;
        /// A user left the directory.
        UserDeleted(UserChanged) = "contact.user.deleted_v3" as USER_DELETED;
        /// A department was created.
        DepartmentCreated(DepartmentChanged) = "contact.department.created_v3" as DEPARTMENT_CREATED;
        /// A department changed.
        DepartmentUpdated(DepartmentChanged) = "contact.department.updated_v3" as DEPARTMENT_UPDATED;
        /// A department was deleted.
        DepartmentDeleted(DepartmentChanged) = "contact.department.deleted_v3" as DEPARTMENT_DELETED;
        /// An approval instance changed state.
        ApprovalInstanceStatusChanged(ApprovalInstance) = "approval.instance.status_changed_v4" as APPROVAL_INSTANCE_STATUS_CHANGED;
        /// An approval task changed state.
        ApprovalTaskStatusChanged(ApprovalTask) = "approval.task.status_changed_v4" as APPROVAL_TASK_STATUS_CHANGED;
        /// Records of a subscribed Bitable changed.
        BitableRecordChanged(BitableRecordChanged) = "drive.file.bitable_record_changed_v1" as BITABLE_RECORD_CHANGED;
        /// Events of a subscribed calendar changed.
        CalendarEventChanged(CalendarEventChanged) = "calendar.calendar.event.changed_v4" as CALENDAR_EVENT_CHANGED;
        /// A task of the tenant changed.
        TaskUpdated(TaskUpdated) = "task.task.update_tenant_v1" as TASK_UPDATED;
    }
    v1 {
        /// A marketplace app's hourly ticket.
        AppTicket(AppTicket) = "app_ticket" as APP_TICKET;
        /// An approval instance changed state.
        ApprovalInstance(ApprovalInstance) = "approval_instance" as APPROVAL_INSTANCE;
        /// An approval task changed state.
        ApprovalTask(ApprovalTask) = "approval_task" as APPROVAL_TASK;
        /// A user opened a one-to-one chat with the bot for the first time.
        P2pChatCreate(P2pChatCreated) = "p2p_chat_create" as P2P_CHAT_CREATE;
        /// The bot joined a group.
        AddBot(V1BotMembership) = "add_bot" as ADD_BOT;
        /// The bot left a group.
        RemoveBot(V1BotMembership) = "remove_bot" as REMOVE_BOT;
        /// A user read messages the bot sent.
        MessageRead(V1MessageRead) = "message_read" as V1_MESSAGE_READ;
        /// A tenant enabled the app.
        AppOpen(AppOpened) = "app_open" as APP_OPEN;
        /// The app was started or stopped in a tenant.
        AppStatusChange(AppStatusChanged) = "app_status_change" as APP_STATUS_CHANGE;
        /// A tenant paid for the app.
        OrderPaid(OrderPaid) = "order_paid" as ORDER_PAID;
        /// A tenant uninstalled the app.
        AppUninstalled(AppUninstalled) = "app_uninstalled" as APP_UNINSTALLED;
    }
}
