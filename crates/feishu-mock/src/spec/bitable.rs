//! Bitable records, stateful: create, batch create, get, list, search (by
//! `is` conditions), update and delete, per app and table.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{Answer, Call, page};

/// Feishu's code for a record id the table does not have.
const RECORD_NOT_FOUND: u32 = 1254043;

/// The records of every table, in creation order.
#[derive(Default)]
pub(crate) struct Records {
    tables: BTreeMap<(String, String), Vec<(String, Value)>>,
    next: u64,
}

impl Records {
    /// The answer to a Bitable record API, or `None` for any other API.
    pub(crate) fn answer(&mut self, call: &Call<'_>) -> Option<Answer> {
        let method = call.id.strip_prefix("bitable.v1.app_table_record.")?;
        let key = (
            call.param("app_token").to_owned(),
            call.param("table_id").to_owned(),
        );
        let record_id = call.param("record_id").to_owned();
        Some(match method {
            "create" => Ok(json!({ "record": self.insert(&key, &call.body["fields"]) })),
            "batch_create" => {
                let records: Vec<Value> = call.body["records"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|r| self.insert(&key, &r["fields"]))
                    .collect();
                Ok(json!({ "records": records }))
            }
            "get" => self.find(&key, &record_id).map(|r| json!({ "record": r })),
            "update" => {
                let record = self
                    .tables
                    .get_mut(&key)
                    .and_then(|t| t.iter_mut().find(|(id, _)| *id == record_id));
                match record {
                    Some((id, fields)) => {
                        if let (Some(old), Some(new)) =
                            (fields.as_object_mut(), call.body["fields"].as_object())
                        {
                            old.extend(new.clone());
                        }
                        Ok(json!({ "record": record_json(id, fields) }))
                    }
                    None => Err(not_found(&record_id)),
                }
            }
            "delete" => {
                let table = self.tables.entry(key).or_default();
                match table.iter().position(|(id, _)| *id == record_id) {
                    Some(i) => {
                        table.remove(i);
                        Ok(json!({ "deleted": true, "record_id": record_id }))
                    }
                    None => Err(not_found(&record_id)),
                }
            }
            "list" => page(self.all(&key).collect(), call),
            "search" => {
                let conditions = call.body["filter"]["conditions"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                let matching = self
                    .all(&key)
                    .filter(|record| conditions.iter().all(|c| matches(record, c)))
                    .collect();
                page(matching, call)
            }
            _ => return None,
        })
    }

    fn insert(&mut self, key: &(String, String), fields: &Value) -> Value {
        self.next += 1;
        let id = format!("recmock{:08}", self.next);
        let fields = if fields.is_object() {
            fields.clone()
        } else {
            json!({})
        };
        let record = record_json(&id, &fields);
        self.tables
            .entry(key.clone())
            .or_default()
            .push((id, fields));
        record
    }

    fn find(&self, key: &(String, String), record_id: &str) -> Answer {
        self.tables
            .get(key)
            .and_then(|t| t.iter().find(|(id, _)| id == record_id))
            .map(|(id, fields)| record_json(id, fields))
            .ok_or_else(|| not_found(record_id))
    }

    fn all<'a>(&'a self, key: &(String, String)) -> impl Iterator<Item = Value> + 'a {
        self.tables
            .get(key)
            .into_iter()
            .flatten()
            .map(|(id, fields)| record_json(id, fields))
    }
}

fn record_json(id: &str, fields: &Value) -> Value {
    json!({ "record_id": id, "id": id, "fields": fields })
}

fn not_found(record_id: &str) -> (u32, String) {
    (RECORD_NOT_FOUND, format!("RecordIdNotFound: {record_id}"))
}

/// A search condition: `is` compares the field's value with the first of
/// `value`; other operators are not modelled and match every record.
fn matches(record: &Value, condition: &Value) -> bool {
    let field = condition["field_name"].as_str().unwrap_or_default();
    let actual = &record["fields"][field];
    match condition["operator"].as_str() {
        Some("is") => {
            // Cells compare as text: `value` is a list of strings.
            let actual = match actual {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            Some(actual.as_str()) == condition["value"][0].as_str()
        }
        Some("isNotEmpty") => !actual.is_null(),
        Some("isEmpty") => actual.is_null(),
        _ => true,
    }
}
