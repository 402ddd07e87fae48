//! Typed workflow events: Bitable records, calendar events, tasks.
//! Docs: <https://open.feishu.cn/document/server-docs/docs/bitable-v1/app-table-record/bitable-record-changed>

use serde::Deserialize;
use serde_json::Value;

use super::im::UserId;
use super::lenient;

/// `drive.file.bitable_record_changed_v1`: records of a subscribed Bitable
/// were added, changed or removed.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct BitableRecordChanged {
    /// The Bitable (its app token).
    pub file_token: String,
    /// The table, `tbl…`.
    #[serde(default)]
    pub table_id: String,
    /// `bitable`.
    pub file_type: Option<String>,
    /// The Bitable's revision after the change.
    #[serde(default, deserialize_with = "lenient::integer")]
    pub revision: Option<i64>,
    /// Who changed it.
    #[serde(default)]
    pub operator_id: UserId,
    /// What changed, record by record.
    #[serde(default, deserialize_with = "lenient::list")]
    pub action_list: Vec<RecordAction>,
    /// The users subscribed to the Bitable.
    #[serde(default, deserialize_with = "lenient::list")]
    pub subscriber_id_list: Vec<UserId>,
    /// When, in Unix seconds.
    #[serde(default, deserialize_with = "lenient::integer")]
    pub update_time: Option<i64>,
}

/// One record's change in a [`BitableRecordChanged`].
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct RecordAction {
    /// The record, `rec…`.
    #[serde(default)]
    pub record_id: String,
    /// `record_added`, `record_edited` or `record_deleted`.
    #[serde(default)]
    pub action: String,
    /// The fields before.
    #[serde(default, deserialize_with = "lenient::list")]
    pub before_value: Vec<FieldValue>,
    /// The fields after.
    #[serde(default, deserialize_with = "lenient::list")]
    pub after_value: Vec<FieldValue>,
}

/// A field's value in a [`RecordAction`].
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct FieldValue {
    /// The field, `fld…`.
    #[serde(default)]
    pub field_id: String,
    /// The value: a JSON string whose shape depends on the field's type.
    #[serde(default)]
    pub field_value: Value,
}

/// `calendar.calendar.event.changed_v4`: events of a subscribed calendar
/// changed.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct CalendarEventChanged {
    /// The calendar.
    #[serde(default)]
    pub calendar_id: String,
    /// The users subscribed to it.
    #[serde(default, deserialize_with = "lenient::list")]
    pub user_id_list: Vec<UserId>,
    /// The event that changed, when sent.
    pub calendar_event_id: Option<String>,
    /// What changed, when sent, e.g. `update`.
    pub change_type: Option<String>,
}

/// `task.task.update_tenant_v1`: a task of the tenant changed.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct TaskUpdated {
    /// The task.
    #[serde(default)]
    pub task_id: String,
    /// Who is concerned.
    #[serde(default)]
    pub user_id_list: TaskUsers,
    /// What changed: `task`, `collaborator`, `follower`, …
    pub object_type: Option<String>,
    /// How it changed: `create`, `update`, `delete`.
    pub event_type: Option<String>,
}

/// The users of a [`TaskUpdated`].
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct TaskUsers {
    /// Their ids.
    #[serde(default, deserialize_with = "lenient::list")]
    pub user_id_list: Vec<UserId>,
}
