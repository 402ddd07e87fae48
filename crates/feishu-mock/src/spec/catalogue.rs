//! The embedded spec: its APIs, matched by method and path, and its models.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::Value;

/// One API, as the mock checks it.
#[derive(Debug, Deserialize)]
pub(crate) struct Api {
    pub(crate) id: String,
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) tokens: Vec<String>,
    pub(crate) query: Vec<Value>,
    pub(crate) body_kind: String,
    pub(crate) body: Option<Value>,
    pub(crate) response: Option<Value>,
    pub(crate) download: bool,
}

/// The whole spec.
#[derive(Debug, Deserialize)]
pub(crate) struct Catalogue {
    apis: Vec<Api>,
    models: BTreeMap<String, Value>,
}

impl Catalogue {
    /// The embedded spec, read once. The file is written by feishu-codegen
    /// and checked current in CI; a broken one is an empty catalogue.
    pub(crate) fn get() -> &'static Catalogue {
        static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
        CATALOGUE.get_or_init(|| {
            serde_json::from_str(include_str!("apis.json")).unwrap_or(Catalogue {
                apis: Vec::new(),
                models: BTreeMap::new(),
            })
        })
    }

    /// The API this method and path name: of the templates that match, the
    /// one with the most literal segments (`/users/batch_get_id` before
    /// `/users/:user_id`).
    pub(crate) fn find(&self, method: &str, path: &str) -> Option<&Api> {
        let segments: Vec<&str> = path.split('/').collect();
        self.apis
            .iter()
            .filter(|api| api.method == method)
            .filter_map(|api| {
                let template: Vec<&str> = api.path.split('/').collect();
                if template.len() != segments.len() {
                    return None;
                }
                let mut literal = 0;
                for (t, s) in template.iter().zip(&segments) {
                    if t.starts_with(':') {
                        if s.is_empty() {
                            return None;
                        }
                    } else if t == s {
                        literal += 1;
                    } else {
                        return None;
                    }
                }
                Some((literal, api))
            })
            .max_by_key(|(literal, _)| *literal)
            .map(|(_, api)| api)
    }

    /// Whether some API has this path under another method.
    pub(crate) fn knows_path(&self, path: &str) -> bool {
        self.apis.iter().any(|api| {
            self.find(&api.method, path)
                .is_some_and(|found| std::ptr::eq(found, api))
        })
    }

    /// A named model.
    pub(crate) fn model(&self, reference: &str) -> Option<&Value> {
        self.models.get(reference)
    }
}

/// The `:name` values of a path, by the template.
pub(crate) fn params<'a>(template: &'a str, path: &str) -> Vec<(&'a str, String)> {
    template
        .split('/')
        .zip(path.split('/'))
        .filter_map(|(t, s)| t.strip_prefix(':').map(|name| (name, super::decode(s))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_literal_segment_wins_over_a_parameter() {
        let catalogue = Catalogue::get();
        let api = catalogue
            .find("POST", "/open-apis/contact/v3/users/batch_get_id")
            .expect("in the spec");
        assert_eq!(api.id, "contact.v3.user.batch_get_id");
        let api = catalogue
            .find("GET", "/open-apis/contact/v3/users/ou_1")
            .expect("in the spec");
        assert_eq!(api.id, "contact.v3.user.get");
        assert!(
            catalogue
                .find("GET", "/open-apis/contact/v3/nothing/here")
                .is_none()
        );
        assert!(
            catalogue
                .find("GET", "/open-apis/contact/v3/users/")
                .is_none()
        );
    }
}
