//! The two id kinds almost every API takes a query parameter for, once:
//! the schemas give each of ~400 APIs its own copy (`user_id_type`,
//! `department_id_type`), which generated as ~400 enums of the same values.

crate::string_enum! {
    /// Which id a call uses and answers with for users: `open_id` (per app),
    /// `union_id` (per developer) or `user_id` (per tenant).
    ///
    /// Docs: <https://open.feishu.cn/document/home/user-identity-introduction/introduction>
    pub enum UserIdType {
        /// `open_id`.
        OpenId = "open_id",
        /// `union_id`.
        UnionId = "union_id",
        /// `user_id`.
        UserId = "user_id",
    }
}

crate::string_enum! {
    /// Which id a call uses and answers with for departments:
    /// `open_department_id` (per app) or `department_id` (per tenant, and
    /// settable).
    ///
    /// Docs: <https://open.feishu.cn/document/server-docs/contact-v3/department/field-overview>
    pub enum DepartmentIdType {
        /// `open_department_id`.
        OpenDepartmentId = "open_department_id",
        /// `department_id`.
        DepartmentId = "department_id",
    }
}
