//! One API as an endpoint struct and its `endpoint!` declaration.

use std::fmt::Write as _;

use crate::names::{bare, pascal, snake};
use crate::spec::{Api, Schema};
use crate::types::{Field, FileTypes, Models, Ty, doc_text, field_doc, fields_of};

/// Inherent methods the `Endpoint`/`Paginated` traits or the constructor
/// already name: a setter of that name would shadow them.
const RESERVED: &[&str] = &[
    "new",
    "metadata",
    "path_param",
    "query",
    "body",
    "parse",
    "idempotent",
    "timeout",
    "with_uuid",
    "method",
    "token_kinds",
    "write_path",
    "with_timeout",
    "with_page_token",
    "clone",
    "fmt",
];

/// Where a field goes on the wire.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Place {
    /// A `:name` path segment.
    Path,
    /// The query string.
    Query,
    /// The JSON body, or a text part of a form.
    Body,
    /// The file of a form (`Vec<u8>`, its name in `file_name`).
    File,
}

/// A field of an endpoint struct.
#[derive(Clone, Debug)]
pub struct EndpointField {
    /// The field.
    pub field: Field,
    /// Where it goes.
    pub place: Place,
}

/// What the generator decided about one API; the test generator reads it too.
pub struct Endpoint<'a> {
    /// The spec's record.
    pub api: &'a Api,
    /// The struct's name.
    pub name: String,
    /// Its fields.
    pub fields: Vec<EndpointField>,
    /// The output type.
    pub output: String,
    /// The list's item type and field, if it walks with a pager.
    pub pages: Option<(String, String)>,
    /// Whether the body's `page_token` is required (sent as `""` before the
    /// first page).
    pub empty_token: bool,
}

impl<'a> Endpoint<'a> {
    /// Plans an API's struct, declaring its nested types into `types`.
    pub fn plan(api: &'a Api, types: &mut FileTypes, models: &Models) -> Self {
        let mut parts = api.id.split('.');
        let (_, _, resource, method) = (
            parts.next(),
            parts.next(),
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
        );
        let name = format!("{}{}", pascal(method), pascal(resource));
        let doc = api.doc_url.as_str();
        let mut fields: Vec<EndpointField> = Vec::new();
        let push = |mut field: Field, place: Place, fields: &mut Vec<EndpointField>| {
            while fields.iter().any(|f| f.field.ident == field.ident) {
                field.ident = format!(
                    "{}_{}",
                    bare(&field.ident),
                    match place {
                        Place::Query => "query",
                        _ => "body",
                    }
                );
            }
            fields.push(EndpointField { field, place });
        };
        for p in &api.path_params {
            let field = Field {
                ident: snake(&p.name),
                wire: p.name.clone(),
                ty: Ty::Str,
                required: true,
                doc: p.description.clone(),
            };
            push(field, Place::Path, &mut fields);
        }
        for q in &api.query {
            let ty = types.request(&q.schema, &name, &q.name, doc, models);
            let required = q.required && q.name != "page_token";
            let field = Field {
                ident: snake(&q.name),
                wire: q.name.clone(),
                ty,
                required,
                doc: q.schema.description.clone(),
            };
            push(field, Place::Query, &mut fields);
        }
        let body = api.body.as_ref().map(|b| resolve(b, models));
        let mut empty_token = false;
        if let Some(body) = &body {
            let props = body.properties.clone().unwrap_or_default();
            let multipart = api.body_kind == "multipart";
            let body_fields = fields_of(&props, &body.required, |s, f| {
                if multipart {
                    match s.kind.as_deref() {
                        Some("file") => Ty::Vec(Box::new(Ty::Int)),
                        Some("integer") => Ty::Int,
                        Some("number") => Ty::Float,
                        Some("boolean") => Ty::Bool,
                        _ => Ty::Str,
                    }
                } else {
                    types.request(s, &name, f, doc, models)
                }
            });
            for mut field in body_fields {
                let is_file = multipart
                    && props
                        .get(&field.wire)
                        .is_some_and(|s| s.kind.as_deref() == Some("file"));
                if field.wire == "page_token" {
                    // The first page of a list that wants the token in its
                    // body sends it empty.
                    empty_token = field.required;
                    field.required = false;
                }
                if multipart && field.wire == "file_name" {
                    field.required = true;
                }
                if is_file {
                    field.required = true;
                    push(field, Place::File, &mut fields);
                } else {
                    push(field, Place::Body, &mut fields);
                }
            }
        }
        let (output, pages) = output(api, &name, &fields, models);
        Endpoint {
            api,
            name,
            fields,
            output,
            pages,
            empty_token,
        }
    }

    /// The struct, its constructor and setters, and its declaration.
    pub fn render(&self, out: &mut String) {
        let api = self.api;
        let json = api.body_kind == "json";
        let title = api
            .title
            .as_deref()
            .map_or_else(|| api.id.clone(), doc_text);
        let _ = writeln!(
            out,
            "/// `{} {}`: {}.",
            api.method,
            api.path,
            title.trim_end_matches('.')
        );
        if let Some(description) = &api.description {
            let _ = writeln!(
                out,
                "///\n/// {}.",
                doc_text(description.trim_end_matches('.'))
            );
        }
        if self.pages.is_some() {
            out.push_str(
                "///\n/// A list: walk every page with a [`Pager`](feishu_core::Pager).\n",
            );
        }
        let _ = writeln!(out, "///\n/// Docs: <{}>", api.doc_url);
        let no_required = self.fields.iter().all(|f| !f.field.required);
        let mut derive = vec!["Clone", "Debug"];
        if no_required {
            derive.push("Default");
        }
        if json {
            derive.push("serde::Serialize");
        }
        let _ = writeln!(
            out,
            "#[derive({})]\npub struct {} {{",
            derive.join(", "),
            self.name
        );
        for f in &self.fields {
            let ty = self.field_type(f);
            if json {
                if f.place != Place::Body {
                    out.push_str("    #[serde(skip)]\n");
                } else {
                    if bare(&f.field.ident) != f.field.wire {
                        let _ = writeln!(out, "    #[serde(rename = {:?})]", f.field.wire);
                    }
                    if self.empty_token && f.field.wire == "page_token" {
                        out.push_str("    #[serde(serialize_with = \"feishu_core::generated::page_token_or_empty\")]\n");
                    } else if !f.field.required {
                        out.push_str("    #[serde(skip_serializing_if = \"Option::is_none\")]\n");
                    }
                }
            }
            let _ = writeln!(out, "    {}: {ty},", f.field.ident);
        }
        if self.extra_file_name() {
            let _ = writeln!(out, "    {}: String,", self.file_name_field());
        }
        out.push_str("}\n\n");
        self.render_methods(out);
        self.render_declaration(out);
    }

    /// Whether the struct needs a `file_name` of its own for the upload's
    /// name (the form has a file and no `file_name` field).
    pub fn extra_file_name(&self) -> bool {
        self.fields.iter().any(|f| f.place == Place::File)
            && !self
                .fields
                .iter()
                .any(|f| f.place == Place::Body && f.field.ident == "file_name")
    }

    /// The field holding the upload's name: `file_name`, or
    /// `upload_file_name` when a query parameter is called `file_name`.
    fn file_name_field(&self) -> &'static str {
        if self.extra_file_name() && self.fields.iter().any(|f| f.field.ident == "file_name") {
            "upload_file_name"
        } else {
            "file_name"
        }
    }

    fn field_type(&self, f: &EndpointField) -> String {
        let ty = f.field.ty.rust("super::model::");
        if f.place == Place::File {
            "Vec<u8>".into()
        } else if f.field.required {
            ty
        } else {
            format!("Option<{ty}>")
        }
    }

    fn render_methods(&self, out: &mut String) {
        let _ = writeln!(out, "impl {} {{", self.name);
        let required: Vec<&EndpointField> =
            self.fields.iter().filter(|f| f.field.required).collect();
        let has_file = self.extra_file_name();
        let mut args: Vec<String> = Vec::new();
        for f in &required {
            args.push(match (&f.field.ty, f.place) {
                (_, Place::File) => format!("{}: Vec<u8>", f.field.ident),
                (Ty::Str, _) => format!("{}: impl Into<String>", f.field.ident),
                (ty, _) => format!("{}: {}", f.field.ident, ty.rust("super::model::")),
            });
        }
        if has_file {
            args.insert(0, format!("{}: impl Into<String>", self.file_name_field()));
        }
        out.push_str("    /// A request with the required fields");
        if has_file {
            out.push_str(", the file's name and its bytes");
        }
        let _ = writeln!(out, ".\n    pub fn new({}) -> Self {{", args.join(", "));
        if required.is_empty() && !has_file {
            out.push_str("        Self::default()\n    }\n");
        } else {
            out.push_str("        Self {\n");
            for f in &self.fields {
                let value = match (f.field.required, &f.field.ty, f.place) {
                    (true, Ty::Str, p) if p != Place::File => format!("{}.into()", f.field.ident),
                    (true, ..) => f.field.ident.clone(),
                    (false, ..) => "None".into(),
                };
                if value == f.field.ident {
                    let _ = writeln!(out, "            {},", f.field.ident);
                } else {
                    let _ = writeln!(out, "            {}: {value},", f.field.ident);
                }
            }
            if has_file {
                let name = self.file_name_field();
                let _ = writeln!(out, "            {name}: {name}.into(),");
            }
            out.push_str("        }\n    }\n");
        }
        for f in self.fields.iter().filter(|f| !f.field.required) {
            let bare_name = bare(&f.field.ident);
            let setter = if RESERVED.contains(&bare_name) {
                format!("set_{bare_name}")
            } else {
                f.field.ident.clone()
            };
            out.push('\n');
            field_doc(out, &f.field, "    ");
            let (arg, value) = match &f.field.ty {
                Ty::Str => ("impl Into<String>".to_owned(), "value.into()"),
                ty => (ty.rust("super::model::"), "value"),
            };
            let _ = writeln!(
                out,
                "    pub fn {setter}(mut self, value: {arg}) -> Self {{\n        self.{} = Some({value});\n        self\n    }}",
                f.field.ident
            );
        }
        out.push_str("}\n\n");
    }

    fn render_declaration(&self, out: &mut String) {
        let api = self.api;
        let _ = writeln!(
            out,
            "feishu_core::endpoint! {{\n    {} => {} {{",
            self.name, self.output
        );
        let _ = writeln!(
            out,
            "        id: {:?},\n        method: {},\n        path: {:?},",
            api.id, api.method, api.path
        );
        let tokens: Vec<&str> = api
            .tokens
            .iter()
            .map(|t| match t.as_str() {
                "app" => "App",
                "user" => "User",
                _ => "Tenant",
            })
            .collect();
        let _ = writeln!(out, "        tokens: [{}],", tokens.join(", "));
        let params: Vec<&str> = self
            .fields
            .iter()
            .filter(|f| f.place == Place::Path)
            .map(|f| f.field.ident.as_str())
            .collect();
        if !params.is_empty() {
            let _ = writeln!(out, "        params: [{}],", params.join(", "));
        }
        self.render_query(out);
        match api.body_kind.as_str() {
            "json" => out.push_str("        body: json,\n"),
            "multipart" => self.render_form(out),
            _ => out.push_str("        body: none,\n"),
        }
        if api.download {
            let (e, key) = params.first().map_or_else(
                || ("_", "\"download\"".to_owned()),
                |p| ("e", format!("&e.{p}")),
            );
            let _ = writeln!(
                out,
                "        shape: binary(|{e}: &{}, response| feishu_core::generated::download(response, {key})),",
                self.name
            );
        } else if let Some((item, field)) = &self.pages {
            if field == "items" {
                out.push_str("        shape: data,\n");
            } else {
                let _ = writeln!(
                    out,
                    "        shape: data(|_: &{}, response| {{\n            feishu_core::model! {{\n                pub struct Wire {{\n                    pub {}: Vec<{item}>{},\n                    pub has_more: bool,\n                    pub page_token: Option<String>,\n                    pub next_page_token: Option<String>,\n                }}\n            }}\n            let wire: Wire = feishu_core::Shape::Data.decode(response)?;\n            Ok(feishu_core::generated::page(wire.{}, wire.has_more, wire.page_token.or(wire.next_page_token)))\n        }}),",
                    self.name,
                    snake(field),
                    wire_name(field),
                    snake(field)
                );
            }
            let _ = writeln!(out, "        pages: page_token => {item},");
        } else {
            out.push_str("        shape: data,\n");
        }
        if self.fields.iter().any(|f| {
            f.field.wire == "uuid"
                && !f.field.required
                && f.field.ty == Ty::Str
                && f.field.ident == "uuid"
        }) {
            out.push_str("        dedup: uuid,\n");
        }
        let _ = writeln!(out, "        doc: {:?},\n    }}\n}}\n", api.doc_url);
    }

    fn render_query(&self, out: &mut String) {
        let query: Vec<&EndpointField> = self
            .fields
            .iter()
            .filter(|f| f.place == Place::Query)
            .collect();
        if query.is_empty() {
            return;
        }
        let _ = writeln!(
            out,
            "        query: |e: &{}, query: &mut feishu_core::Query<'_>| {{",
            self.name
        );
        for f in query {
            let push = |value: &str, ty: &Ty| match ty {
                Ty::Vec(_) => format!(
                    "for value in {value} {{\n                query.push({:?}, value);\n            }}",
                    f.field.wire
                ),
                _ => format!("query.push({:?}, {value});", f.field.wire),
            };
            if f.field.required {
                let _ = writeln!(
                    out,
                    "            {}",
                    push(
                        &match f.field.ty {
                            Ty::Int | Ty::Float | Ty::Bool => format!("e.{}", f.field.ident),
                            _ => format!("&e.{}", f.field.ident),
                        },
                        &f.field.ty
                    )
                );
            } else {
                let _ = writeln!(
                    out,
                    "            if let Some(value) = &e.{} {{\n                {}\n            }}",
                    f.field.ident,
                    push("value", &f.field.ty).replace("\n            ", "\n                ")
                );
            }
        }
        out.push_str("        },\n");
    }

    fn render_form(&self, out: &mut String) {
        let file = self.fields.iter().find(|f| f.place == Place::File);
        let texts = self.fields.iter().any(|f| f.place == Place::Body);
        let e = if file.is_some() || texts { "e" } else { "_e" };
        let _ = writeln!(out, "        body: multipart(|{e}: &{}| {{", self.name);
        if texts {
            out.push_str("            let mut texts: Vec<(&'static str, String)> = Vec::new();\n");
        } else {
            out.push_str("            let texts: [(&'static str, String); 0] = [];\n");
        }
        for f in self.fields.iter().filter(|f| f.place == Place::Body) {
            let value = match f.field.ty {
                Ty::Str => "value.clone()",
                _ => "value.to_string()",
            };
            if f.field.required {
                let _ = writeln!(
                    out,
                    "            let value = &e.{};\n            texts.push(({:?}, {value}));",
                    f.field.ident, f.field.wire
                );
            } else {
                let _ = writeln!(
                    out,
                    "            if let Some(value) = &e.{} {{\n                texts.push(({:?}, {value}));\n            }}",
                    f.field.ident, f.field.wire
                );
            }
        }
        match file {
            Some(f) => {
                let _ = writeln!(
                    out,
                    "            Ok(feishu_core::generated::form(&texts, Some(({:?}, &e.{}, &e.{}))))",
                    f.field.wire,
                    self.file_name_field(),
                    f.field.ident
                );
            }
            None => out.push_str("            Ok(feishu_core::generated::form(&texts, None))\n"),
        }
        out.push_str("        }),\n");
    }
}

/// ` = "wire"` for a `model!` field whose wire name is not its Rust name.
fn wire_name(field: &str) -> String {
    if bare(&snake(field)) == field {
        String::new()
    } else {
        format!(" = {field:?}")
    }
}

/// A body given as a `$ref` (lark-oapi only): the model's fields.
fn resolve(body: &Schema, models: &Models) -> Schema {
    match &body.reference {
        Some(reference) => models.all.get(reference).cloned().unwrap_or_default(),
        None => body.clone(),
    }
}

/// The output type, and the pager's item type and list field when the API
/// lists with a `page_token` field and its answer has `has_more` and one list.
fn output(
    api: &Api,
    name: &str,
    fields: &[EndpointField],
    models: &Models,
) -> (String, Option<(String, String)>) {
    if api.download {
        return ("feishu_core::download::Download".into(), None);
    }
    let Some(response) = &api.response else {
        return ("serde_json::Value".into(), None);
    };
    let ty = models.response(response);
    let has_token = fields
        .iter()
        .any(|f| f.field.wire == "page_token" && f.field.ty == Ty::Str && !f.field.required);
    if api.paginated && has_token {
        let model = response.reference.as_ref().and_then(|r| models.all.get(r));
        if let Some(props) = model.and_then(|m| m.properties.as_ref()) {
            let lists: Vec<(&String, &Schema)> = props
                .iter()
                .filter(|(_, s)| s.kind.as_deref() == Some("array"))
                .collect();
            let list = lists
                .iter()
                .find(|(k, _)| *k == "items")
                .or_else(|| (lists.len() == 1).then(|| &lists[0]));
            if let (Some((field, schema)), true) = (list, props.contains_key("has_more")) {
                let item = models
                    .response(schema.items.as_deref().unwrap_or(&Schema::default()))
                    .rust("super::model::");
                return (
                    format!("feishu_core::Page<{item}>"),
                    Some((item, (*field).clone())),
                );
            }
        }
    }
    let _ = name;
    (ty.rust("super::model::"), None)
}
