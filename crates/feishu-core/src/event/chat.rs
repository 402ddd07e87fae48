//! Typed chat events: users joining, leaving or removed, settings changed,
//! the chat disbanded.
//! Docs: <https://open.feishu.cn/document/server-docs/group/chat-member/event/added-2>

use std::collections::BTreeMap;

use serde::Deserialize;

use super::im::UserId;
use super::lenient;

/// `im.chat.member.user.added_v1`, `…user.deleted_v1` (removed by someone) and
/// `…user.withdrawn_v1` (left, or the invitation was withdrawn): users
/// joined or left a chat the bot is in.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct ChatMembersChanged {
    /// The chat, `oc_…`.
    pub chat_id: String,
    /// Who added or removed them.
    #[serde(default)]
    pub operator_id: UserId,
    /// Whether the chat is external.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub external: bool,
    /// The operator's tenant.
    pub operator_tenant_key: Option<String>,
    /// The users who joined or left.
    #[serde(default, deserialize_with = "lenient::list")]
    pub users: Vec<ChatUser>,
    /// The chat's name.
    pub name: Option<String>,
    /// The chat's name by locale (`zh_cn`, `en_us`, `ja_jp`).
    #[serde(default, deserialize_with = "lenient::names")]
    pub i18n_names: BTreeMap<String, String>,
}

/// A user in a membership event.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct ChatUser {
    /// Their name.
    pub name: Option<String>,
    /// Their tenant.
    pub tenant_key: Option<String>,
    /// Their ids.
    #[serde(default)]
    pub user_id: UserId,
}

/// `im.chat.updated_v1`: a chat's settings, owner or moderators changed.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct ChatUpdated {
    /// The chat, `oc_…`.
    pub chat_id: String,
    /// Who changed it.
    #[serde(default)]
    pub operator_id: UserId,
    /// Whether the chat is external.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub external: bool,
    /// The operator's tenant.
    pub operator_tenant_key: Option<String>,
    /// The settings that changed, as they are now.
    #[serde(default)]
    pub after_change: ChatSettings,
    /// The same settings, as they were.
    #[serde(default)]
    pub before_change: ChatSettings,
    /// Moderators added and removed.
    pub moderator_list: Option<ModeratorList>,
}

/// The settings of a chat that [`ChatUpdated`] reports; only those that
/// changed are present.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct ChatSettings {
    /// The avatar's image key.
    pub avatar: Option<String>,
    /// The name.
    pub name: Option<String>,
    /// The description.
    pub description: Option<String>,
    /// The name by locale.
    #[serde(default, deserialize_with = "lenient::names")]
    pub i18n_names: BTreeMap<String, String>,
    /// Who may add members: `only_owner` or `all_members`.
    pub add_member_permission: Option<String>,
    /// Whether the chat may be shared: `allowed` or `not_allowed`.
    pub share_card_permission: Option<String>,
    /// Who may @all: `only_owner` or `all_members`.
    pub at_all_permission: Option<String>,
    /// Who may edit the chat's information: `only_owner` or `all_members`.
    pub edit_permission: Option<String>,
    /// Whether joining needs approval: `no_approval_required` or `approval_required`.
    pub membership_approval: Option<String>,
    /// Who sees join messages: `only_owner`, `all_members` or `not_anyone`.
    pub join_message_visibility: Option<String>,
    /// Who sees leave messages: `only_owner`, `all_members` or `not_anyone`.
    pub leave_message_visibility: Option<String>,
    /// Who may speak: `all_members`, `only_owner` or `moderator_list`.
    pub moderation_permission: Option<String>,
    /// The owner.
    pub owner_id: Option<UserId>,
}

/// Moderators added to and removed from a chat.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct ModeratorList {
    /// Made moderators.
    #[serde(default, deserialize_with = "lenient::list")]
    pub added_member_list: Vec<ChatUser>,
    /// No longer moderators.
    #[serde(default, deserialize_with = "lenient::list")]
    pub removed_member_list: Vec<ChatUser>,
}

/// `im.chat.disbanded_v1`: a chat the bot was in was disbanded.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct ChatDisbanded {
    /// The chat, `oc_…`.
    pub chat_id: String,
    /// Who disbanded it.
    #[serde(default)]
    pub operator_id: UserId,
    /// Whether the chat was external.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub external: bool,
    /// The operator's tenant.
    pub operator_tenant_key: Option<String>,
    /// The chat's name.
    pub name: Option<String>,
    /// The chat's name by locale.
    #[serde(default, deserialize_with = "lenient::names")]
    pub i18n_names: BTreeMap<String, String>,
}
