//! The committed spec, `spec/feishu-apis.json`, as `tools/spec-gen` writes it.

use std::collections::BTreeMap;

use serde::Deserialize;

/// The whole file.
#[derive(Debug, Deserialize)]
pub struct Spec {
    /// Every API, sorted by method and path.
    pub apis: Vec<Api>,
    /// The named models, `service.version.Name`.
    pub models: BTreeMap<String, Schema>,
}

/// One API.
#[derive(Debug, Deserialize)]
pub struct Api {
    /// `service.version.resource.method`.
    pub id: String,
    /// The HTTP method.
    pub method: String,
    /// The path template, `:name` segments.
    pub path: String,
    /// A few words.
    pub title: Option<String>,
    /// One line.
    pub description: Option<String>,
    /// `tenant`, `user`, `app`.
    pub tokens: Vec<String>,
    /// The path's `:name` segments.
    pub path_params: Vec<Param>,
    /// The query parameters.
    pub query: Vec<QueryParam>,
    /// `none`, `json` or `multipart`.
    pub body_kind: String,
    /// The body's schema.
    pub body: Option<Schema>,
    /// The schema of `data`.
    pub response: Option<Schema>,
    /// Whether the answer is a file.
    pub download: bool,
    /// Whether the API lists page by page.
    pub paginated: bool,
    /// The documentation page.
    pub doc_url: String,
}

/// A path parameter.
#[derive(Debug, Deserialize)]
pub struct Param {
    /// Its name.
    pub name: String,
    /// One line.
    pub description: Option<String>,
}

/// A query parameter: its name, whether it is required, and its schema.
#[derive(Debug, Deserialize)]
pub struct QueryParam {
    /// Its name.
    pub name: String,
    /// Whether the API refuses a request without it.
    #[serde(default)]
    pub required: bool,
    /// Its type, enum and description.
    #[serde(flatten)]
    pub schema: Schema,
}

/// The JSON Schema subset the spec uses.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Schema {
    /// `string`, `integer`, `number`, `boolean`, `array`, `object`, `file`;
    /// none for any value or a `$ref`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// A named model, `service.version.Name`.
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    /// An object's fields.
    pub properties: Option<BTreeMap<String, Schema>>,
    /// The fields an object must have.
    #[serde(default)]
    pub required: Vec<String>,
    /// An array's items.
    pub items: Option<Box<Schema>>,
    /// A map's values.
    #[serde(rename = "additionalProperties")]
    pub additional: Option<Box<Schema>>,
    /// The values allowed.
    #[serde(rename = "enum")]
    pub values: Option<Vec<serde_json::Value>>,
    /// One line.
    pub description: Option<String>,
    /// The model name lark-oapi gives an object.
    pub title: Option<String>,
}
