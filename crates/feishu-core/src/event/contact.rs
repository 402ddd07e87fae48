//! Typed directory events: users and departments created, updated, deleted.
//! Docs: <https://open.feishu.cn/document/server-docs/contact-v3/user/events/created>

use std::collections::BTreeMap;

use serde::Deserialize;

use super::lenient;

/// `contact.user.created_v3`, `contact.user.updated_v3`,
/// `contact.user.deleted_v3`: a user of the directory changed.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct UserChanged {
    /// The user as they are now (for a deletion: as they were).
    pub object: ContactUser,
    /// The fields that changed, as they were (updates and deletions).
    pub old_object: Option<ContactUser>,
}

/// A user as directory events carry them; fields the app may not read are
/// absent.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct ContactUser {
    /// The open_id, `ou_…`.
    pub open_id: Option<String>,
    /// The union_id, `on_…`.
    pub union_id: Option<String>,
    /// The user_id.
    pub user_id: Option<String>,
    /// The name.
    pub name: Option<String>,
    /// The English name.
    pub en_name: Option<String>,
    /// The nickname.
    pub nickname: Option<String>,
    /// The email.
    pub email: Option<String>,
    /// The enterprise email.
    pub enterprise_email: Option<String>,
    /// The mobile number.
    pub mobile: Option<String>,
    /// The job title.
    pub job_title: Option<String>,
    /// 0 unknown, 1 male, 2 female, 3 other.
    #[serde(default, deserialize_with = "lenient::integer")]
    pub gender: Option<i64>,
    /// The departments, as open department ids (`od-…`) by default.
    #[serde(default, deserialize_with = "lenient::list")]
    pub department_ids: Vec<String>,
    /// The leader's user id.
    pub leader_user_id: Option<String>,
    /// The city.
    pub city: Option<String>,
    /// The country or region.
    pub country: Option<String>,
    /// The work station.
    pub work_station: Option<String>,
    /// When they joined, in Unix seconds.
    #[serde(default, deserialize_with = "lenient::integer")]
    pub join_time: Option<i64>,
    /// Whether they administer the tenant.
    pub is_tenant_manager: Option<bool>,
    /// The employee number.
    pub employee_no: Option<String>,
    /// 1 regular, 2 intern, 3 outsourced, 4 contractor, 5 consultant.
    #[serde(default, deserialize_with = "lenient::integer")]
    pub employee_type: Option<i64>,
    /// Their account's state.
    pub status: Option<UserStatus>,
}

/// The state of a directory user's account.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct UserStatus {
    /// Suspended.
    pub is_frozen: Option<bool>,
    /// Resigned.
    pub is_resigned: Option<bool>,
    /// Activated.
    pub is_activated: Option<bool>,
    /// Left voluntarily.
    pub is_exited: Option<bool>,
    /// Has not joined yet.
    pub is_unjoin: Option<bool>,
}

/// `contact.department.created_v3`, `contact.department.updated_v3`,
/// `contact.department.deleted_v3`: a department changed.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct DepartmentChanged {
    /// The department as it is now (for a deletion: as it was).
    pub object: Department,
    /// The fields that changed, as they were (updates and deletions).
    pub old_object: Option<Department>,
}

/// A department as directory events carry it.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct Department {
    /// The name.
    pub name: Option<String>,
    /// The name by locale.
    #[serde(default, deserialize_with = "lenient::names")]
    pub i18n_name: BTreeMap<String, String>,
    /// The parent's department id (`0` for the root).
    pub parent_department_id: Option<String>,
    /// The custom department id.
    pub department_id: Option<String>,
    /// The open department id, `od-…`.
    pub open_department_id: Option<String>,
    /// The leader's user id.
    pub leader_user_id: Option<String>,
    /// The department's group chat.
    pub chat_id: Option<String>,
    /// Its rank among its siblings, as sent.
    #[serde(default, deserialize_with = "lenient::text")]
    pub order: Option<String>,
    /// Whether it was deleted.
    pub status: Option<DepartmentStatus>,
}

/// The state of a department.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct DepartmentStatus {
    /// Deleted.
    pub is_deleted: Option<bool>,
}
