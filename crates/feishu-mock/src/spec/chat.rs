//! Group chats, stateful: create, get, update, disband, list and search
//! chats, add and remove members, and ask whether the bot is in one. They
//! are the same chats the IM routes send to and the member list reads, so
//! a test can create a group, post in it and list who is there.

use serde_json::{Value, json};

use super::{Answer, Call, FIELD_VALIDATION_FAILED, page};
use crate::ids::IdSource;
use crate::im::error::BOT_NOT_IN_CHAT;
use crate::messages::{Chats, StoredChat};

/// The answer to a chat API, or `None` for any other API.
pub(crate) fn answer(
    chats: &mut Chats,
    ids: &IdSource,
    tenant_key: &str,
    call: &Call<'_>,
) -> Option<Answer> {
    let user_id_type = call.query("user_id_type").unwrap_or("open_id");
    let member_id_type = call.query("member_id_type").unwrap_or("open_id");
    let chat_id = call.param("chat_id");
    Some(match call.id {
        "im.v1.chat.create" => {
            let chat_id = ids.token("oc_");
            let name = call.body["name"].as_str().unwrap_or_default();
            if let Err(e) = chats.add_group(&chat_id, name) {
                return Some(Err((FIELD_VALIDATION_FAILED, e.to_string())));
            }
            if let (Some(group), Some(description)) =
                (chats.group_mut(&chat_id), call.body["description"].as_str())
            {
                description.clone_into(&mut group.description);
            }
            let (_, invalid) = add(chats, &chat_id, user_id_type, &call.body["user_id_list"]);
            let mut data = chats
                .group(&chat_id)
                .map_or_else(|| json!({}), |g| summary(g, tenant_key));
            data["invalid_id_list"] = json!(invalid);
            Ok(data)
        }
        "im.v1.chat.get" => chats
            .group(chat_id)
            .map(|g| {
                let mut data = summary(g, tenant_key);
                data["user_count"] = json!(g.members.len().to_string());
                data["bot_count"] = json!("1");
                data
            })
            .ok_or_else(|| not_in(chat_id)),
        "im.v1.chat.update" => match chats.group_mut(chat_id) {
            Some(group) => {
                if let Some(name) = call.body["name"].as_str() {
                    name.clone_into(&mut group.name);
                }
                if let Some(description) = call.body["description"].as_str() {
                    description.clone_into(&mut group.description);
                }
                Ok(json!({}))
            }
            None => Err(not_in(chat_id)),
        },
        "im.v1.chat.delete" => {
            if chats.remove_group(chat_id) {
                Ok(json!({}))
            } else {
                Err(not_in(chat_id))
            }
        }
        "im.v1.chat.list" => page(
            chats
                .groups()
                .iter()
                .map(|g| summary(g, tenant_key))
                .collect(),
            call,
        ),
        "im.v1.chat.search" => {
            let query = call.query("query").unwrap_or_default().to_lowercase();
            page(
                chats
                    .groups()
                    .iter()
                    .filter(|g| g.name.to_lowercase().contains(&query))
                    .map(|g| summary(g, tenant_key))
                    .collect(),
                call,
            )
        }
        "im.v1.chat_members.create" => {
            if !chats.is_group(chat_id) {
                return Some(Err(not_in(chat_id)));
            }
            let (not_existed, invalid) = add(chats, chat_id, member_id_type, &call.body["id_list"]);
            Ok(json!({
                "invalid_id_list": invalid,
                "not_existed_id_list": not_existed,
                "pending_approval_id_list": [],
            }))
        }
        "im.v1.chat_members.delete" => {
            let ids: Vec<&str> = strings(&call.body["id_list"]);
            let resolved: Vec<_> = ids
                .iter()
                .map(|id| chats.resolve(member_id_type, id))
                .collect();
            let Some(group) = chats.group_mut(chat_id) else {
                return Some(Err(not_in(chat_id)));
            };
            let mut invalid = Vec::new();
            for (id, open_id) in ids.iter().zip(resolved) {
                match open_id {
                    Some(open_id) if group.members.contains(&open_id) => {
                        group.members.retain(|m| *m != open_id);
                    }
                    _ => invalid.push(*id),
                }
            }
            Ok(json!({ "invalid_id_list": invalid }))
        }
        "im.v1.chat_members.is_in_chat" => Ok(json!({ "is_in_chat": chats.contains(chat_id) })),
        _ => return None,
    })
}

/// Adds the users `list` names as `id_type` to the group `chat_id`: the
/// ids that name no user the mock can map, and the ids of the wrong shape.
fn add<'a>(
    chats: &mut Chats,
    chat_id: &str,
    id_type: &str,
    list: &'a Value,
) -> (Vec<&'a str>, Vec<&'a str>) {
    let (mut not_existed, mut invalid) = (Vec::new(), Vec::new());
    for id in strings(list) {
        match chats.resolve(id_type, id) {
            Some(open_id) => {
                if chats.add_member(chat_id, &open_id).is_err() {
                    invalid.push(id);
                }
            }
            None if id_type == "open_id" => invalid.push(id),
            None => not_existed.push(id),
        }
    }
    (not_existed, invalid)
}

fn strings(list: &Value) -> Vec<&str> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

/// A chat as the list, search, create and get answers show it.
fn summary(group: &StoredChat, tenant_key: &str) -> Value {
    json!({
        "chat_id": group.chat_id,
        "name": group.name,
        "description": group.description,
        "owner_id": "ou_mock_owner",
        "owner_id_type": "open_id",
        "chat_mode": "group",
        "chat_type": "private",
        "external": false,
        "tenant_key": tenant_key,
    })
}

fn not_in(chat_id: &str) -> (u32, String) {
    let (code, msg) = BOT_NOT_IN_CHAT;
    (code, format!("{msg} ({chat_id})"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{union_id, user_id};

    fn call<'a>(id: &'a str, chat_id: &str, query: &[(&str, &str)], body: Value) -> Call<'a> {
        Call {
            id,
            params: vec![("chat_id", chat_id.to_owned())],
            query: query
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            body,
        }
    }

    #[test]
    fn a_created_group_is_listed_read_changed_and_disbanded() {
        let (mut chats, ids) = (Chats::default(), IdSource::new());
        let created = answer(
            &mut chats,
            &ids,
            "t",
            &call(
                "im.v1.chat.create",
                "",
                &[],
                json!({"name": "Launch", "user_id_list": ["ou_a", "bad"]}),
            ),
        );
        let created = created.expect("a chat API").expect("created");
        let chat_id = created["chat_id"].as_str().expect("an id").to_owned();
        assert!(chat_id.starts_with("oc_"));
        assert_eq!(created["invalid_id_list"], json!(["bad"]));
        assert_eq!(chats.group(&chat_id).expect("kept").members, ["ou_a"]);

        let update = call("im.v1.chat.update", &chat_id, &[], json!({"name": "Ship"}));
        answer(&mut chats, &ids, "t", &update)
            .expect("a chat API")
            .expect("updated");
        let get = call("im.v1.chat.get", &chat_id, &[], Value::Null);
        let read = answer(&mut chats, &ids, "t", &get)
            .expect("a chat API")
            .expect("read");
        assert_eq!(read["name"], "Ship");
        assert_eq!(read["user_count"], "1");

        let delete = call("im.v1.chat.delete", &chat_id, &[], Value::Null);
        answer(&mut chats, &ids, "t", &delete)
            .expect("a chat API")
            .expect("disbanded");
        let again = answer(&mut chats, &ids, "t", &get).expect("a chat API");
        assert_eq!(again.expect_err("gone").0, BOT_NOT_IN_CHAT.0);
    }

    #[test]
    fn members_come_and_go_by_any_id_type() {
        let (mut chats, ids) = (Chats::default(), IdSource::new());
        chats.add_group("oc_team", "Team").expect("added");
        chats.add_user("ou_b", "Bob").expect("added");
        let union = union_id("ou_b");
        let add = call(
            "im.v1.chat_members.create",
            "oc_team",
            &[("member_id_type", "union_id")],
            json!({"id_list": [union, "on_nobody"]}),
        );
        let added = answer(&mut chats, &ids, "t", &add)
            .expect("a chat API")
            .expect("added");
        assert_eq!(added["not_existed_id_list"], json!(["on_nobody"]));
        assert_eq!(chats.group("oc_team").expect("kept").members, ["ou_b"]);

        let remove = call(
            "im.v1.chat_members.delete",
            "oc_team",
            &[("member_id_type", "user_id")],
            json!({"id_list": [user_id("ou_b"), "nobody"]}),
        );
        let removed = answer(&mut chats, &ids, "t", &remove)
            .expect("a chat API")
            .expect("removed");
        assert_eq!(removed["invalid_id_list"], json!(["nobody"]));
        assert!(chats.group("oc_team").expect("kept").members.is_empty());

        let outside = call(
            "im.v1.chat_members.create",
            "oc_nope",
            &[],
            json!({"id_list": []}),
        );
        let refused = answer(&mut chats, &ids, "t", &outside).expect("a chat API");
        assert_eq!(refused.expect_err("not in it").0, BOT_NOT_IN_CHAT.0);
    }

    #[test]
    fn search_finds_groups_by_name_a_page_at_a_time() {
        let (mut chats, ids) = (Chats::default(), IdSource::new());
        for (id, name) in [
            ("oc_1", "Ops alerts"),
            ("oc_2", "Random"),
            ("oc_3", "ops review"),
        ] {
            chats.add_group(id, name).expect("added");
        }
        let search = call(
            "im.v1.chat.search",
            "",
            &[("query", "OPS"), ("page_size", "1")],
            Value::Null,
        );
        let first = answer(&mut chats, &ids, "t", &search)
            .expect("a chat API")
            .expect("found");
        assert_eq!(first["items"][0]["chat_id"], "oc_1");
        assert_eq!(first["total"], 2);
        assert_eq!(first["has_more"], true);
    }
}
