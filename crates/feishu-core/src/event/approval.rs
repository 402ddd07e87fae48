//! Typed approval events, in both schemas: `approval.instance.status_changed_v4`
//! / `approval.task.status_changed_v4`, and the 1.0 `approval_instance` /
//! `approval_task` still delivered to apps that subscribed an approval
//! definition (`POST /open-apis/approval/v4/approvals/:approval_code/subscribe`).
//! Docs: <https://open.feishu.cn/document/ukTMukTMukTM/uIDO24iM4YjLygjN/event/common-event/approval-instance-event>

use serde::{Deserialize, Deserializer};

use super::lenient;

/// An approval instance changed state.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct ApprovalInstance {
    /// The approval definition.
    #[serde(default)]
    pub approval_code: String,
    /// The instance.
    #[serde(default)]
    pub instance_code: String,
    /// Its new state.
    pub status: ApprovalStatus,
    /// When, in milliseconds, as sent (a number on `REVERTED`, a string
    /// otherwise: read as text either way).
    #[serde(default, deserialize_with = "lenient::text")]
    pub operate_time: Option<String>,
    /// When the instance itself was last operated on, as sent.
    #[serde(default, deserialize_with = "lenient::text")]
    pub instance_operate_time: Option<String>,
    /// The id the creator gave the instance, if any.
    pub uuid: Option<String>,
    /// The app (1.0 events).
    pub app_id: Option<String>,
    /// The tenant (1.0 events).
    pub tenant_key: Option<String>,
}

/// An approval task (one approver's step) changed state.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct ApprovalTask {
    /// The approval definition.
    #[serde(default)]
    pub approval_code: String,
    /// The instance.
    #[serde(default)]
    pub instance_code: String,
    /// The task.
    #[serde(default, deserialize_with = "lenient::text_or_empty")]
    pub task_id: String,
    /// Its new state.
    pub status: ApprovalStatus,
    /// The approver's user_id.
    pub user_id: Option<String>,
    /// The approver's open_id.
    pub open_id: Option<String>,
    /// When, in milliseconds, as sent (number or string).
    #[serde(default, deserialize_with = "lenient::text")]
    pub operate_time: Option<String>,
    /// The node's custom id.
    pub custom_key: Option<String>,
    /// The node's id in the definition.
    pub def_key: Option<String>,
    /// The app (1.0 events).
    pub app_id: Option<String>,
    /// The tenant (1.0 events).
    pub tenant_key: Option<String>,
}

/// The state of an approval instance or task.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApprovalStatus {
    /// `PENDING`: waiting for approval.
    Pending,
    /// `APPROVED`.
    Approved,
    /// `REJECTED`.
    Rejected,
    /// `CANCELED`: withdrawn by the applicant.
    Canceled,
    /// `DELETED`.
    Deleted,
    /// `REVERTED`: approved, then revoked.
    Reverted,
    /// `OVERTIME_CLOSE`: closed for taking too long.
    OvertimeClose,
    /// `OVERTIME_RECOVER`: reopened after an overtime close.
    OvertimeRecover,
    /// Any other state, as sent (tasks also report `TRANSFERRED`, `DONE`, …).
    Other(String),
}

impl ApprovalStatus {
    /// The state as Feishu spells it.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Pending => "PENDING",
            Self::Approved => "APPROVED",
            Self::Rejected => "REJECTED",
            Self::Canceled => "CANCELED",
            Self::Deleted => "DELETED",
            Self::Reverted => "REVERTED",
            Self::OvertimeClose => "OVERTIME_CLOSE",
            Self::OvertimeRecover => "OVERTIME_RECOVER",
            Self::Other(other) => other,
        }
    }
}

impl<'de> Deserialize<'de> for ApprovalStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let status = String::deserialize(deserializer)?;
        Ok(match status.as_str() {
            "PENDING" => Self::Pending,
            "APPROVED" => Self::Approved,
            "REJECTED" => Self::Rejected,
            "CANCELED" => Self::Canceled,
            "DELETED" => Self::Deleted,
            "REVERTED" => Self::Reverted,
            "OVERTIME_CLOSE" => Self::OvertimeClose,
            "OVERTIME_RECOVER" => Self::OvertimeRecover,
            _ => Self::Other(status),
        })
    }
}
