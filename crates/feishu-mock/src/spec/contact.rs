//! The contacts directory, stateful: users (create, get, patch, delete, find
//! by department, ids by email or mobile) and departments (create, get,
//! children, delete).

use serde_json::{Value, json};

use super::{Answer, Call, page};

/// Feishu's code for a user the tenant does not have.
const USER_NOT_FOUND: u32 = 41050;
/// Feishu's code for a department the tenant does not have.
const DEPARTMENT_NOT_FOUND: u32 = 40003;

/// The tenant's users and departments, in creation order.
#[derive(Default)]
pub(crate) struct Directory {
    users: Vec<Value>,
    departments: Vec<Value>,
    next: u64,
}

impl Directory {
    /// The answer to a contacts API, or `None` for any other API.
    pub(crate) fn answer(&mut self, call: &Call<'_>) -> Option<Answer> {
        let id_type = call.query("user_id_type").unwrap_or("open_id");
        Some(match call.id {
            "contact.v3.user.create" => {
                self.next += 1;
                let mut user = call.body.clone();
                user["open_id"] = json!(format!("ou_mock{:08}", self.next));
                user["union_id"] = json!(format!("on_mock{:08}", self.next));
                if user["user_id"].as_str().is_none_or(str::is_empty) {
                    user["user_id"] = json!(format!("mock{:08}", self.next));
                }
                self.users.push(user.clone());
                Ok(json!({ "user": user }))
            }
            "contact.v3.user.get" => self
                .user(call.param("user_id"), id_type)
                .map(|u| json!({ "user": u })),
            "contact.v3.user.patch" | "contact.v3.user.update" => {
                let wanted = call.param("user_id");
                match self.users.iter_mut().find(|u| u[id_type] == wanted) {
                    Some(user) => {
                        if let (Some(old), Some(new)) =
                            (user.as_object_mut(), call.body.as_object())
                        {
                            old.extend(new.clone());
                        }
                        Ok(json!({ "user": user }))
                    }
                    None => Err(user_not_found(wanted)),
                }
            }
            "contact.v3.user.delete" => {
                let wanted = call.param("user_id");
                match self.users.iter().position(|u| u[id_type] == wanted) {
                    Some(i) => {
                        self.users.remove(i);
                        Ok(json!({}))
                    }
                    None => Err(user_not_found(wanted)),
                }
            }
            "contact.v3.user.batch_get_id" => {
                let mut list = Vec::new();
                for email in call.body["emails"].as_array().into_iter().flatten() {
                    let user = self.users.iter().find(|u| u["email"] == *email);
                    list.push(match user {
                        Some(u) => json!({ "email": email, "user_id": u[id_type] }),
                        None => json!({ "email": email }),
                    });
                }
                for mobile in call.body["mobiles"].as_array().into_iter().flatten() {
                    let user = self.users.iter().find(|u| u["mobile"] == *mobile);
                    list.push(match user {
                        Some(u) => json!({ "mobile": mobile, "user_id": u[id_type] }),
                        None => json!({ "mobile": mobile }),
                    });
                }
                Ok(json!({ "user_list": list }))
            }
            "contact.v3.user.find_by_department" => {
                let department = call.query("department_id").unwrap_or("0");
                let users = self
                    .users
                    .iter()
                    .filter(|u| {
                        u["department_ids"]
                            .as_array()
                            .is_some_and(|ids| ids.iter().any(|d| d == department))
                    })
                    .cloned()
                    .collect();
                page(users, call)
            }
            "contact.v3.department.create" => {
                self.next += 1;
                let mut department = call.body.clone();
                department["open_department_id"] = json!(format!("od-mock{:08}", self.next));
                if department["department_id"]
                    .as_str()
                    .is_none_or(str::is_empty)
                {
                    department["department_id"] = json!(format!("dmock{:08}", self.next));
                }
                self.departments.push(department.clone());
                Ok(json!({ "department": department }))
            }
            "contact.v3.department.get" => self
                .department(call.param("department_id"))
                .map(|d| json!({ "department": d })),
            "contact.v3.department.children" => {
                let parent = call.param("department_id");
                let children = self
                    .departments
                    .iter()
                    .filter(|d| d["parent_department_id"] == parent)
                    .cloned()
                    .collect();
                page(children, call)
            }
            "contact.v3.department.delete" => {
                let wanted = call.param("department_id");
                match self
                    .departments
                    .iter()
                    .position(|d| d["open_department_id"] == wanted || d["department_id"] == wanted)
                {
                    Some(i) => {
                        self.departments.remove(i);
                        Ok(json!({}))
                    }
                    None => Err(department_not_found(wanted)),
                }
            }
            _ => return None,
        })
    }

    fn user(&self, id: &str, id_type: &str) -> Answer {
        self.users
            .iter()
            .find(|u| u[id_type] == id)
            .cloned()
            .ok_or_else(|| user_not_found(id))
    }

    fn department(&self, id: &str) -> Answer {
        self.departments
            .iter()
            .find(|d| d["open_department_id"] == id || d["department_id"] == id)
            .cloned()
            .ok_or_else(|| department_not_found(id))
    }
}

fn user_not_found(id: &str) -> (u32, String) {
    (USER_NOT_FOUND, format!("user not found: {id}"))
}

fn department_not_found(id: &str) -> (u32, String) {
    (DEPARTMENT_NOT_FOUND, format!("department not found: {id}"))
}
