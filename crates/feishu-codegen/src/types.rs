//! Schemas into Rust types. Requests get typed enums, nested structs of
//! their own and plain integers (lark-mcp knows their wire types); responses
//! get the named models and lenient integers (lark-oapi's scalars are
//! semantic: an int64 may come as a string).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::names::{bare, pascal, snake};
use crate::spec::Schema;

/// A Rust type, with what a placeholder value and a query push need to know.
#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    /// `String`.
    Str,
    /// `i64` (requests).
    Int,
    /// `Int64` (responses, models): a number or a string on the wire.
    Int64,
    /// `f64`.
    Float,
    /// `bool`.
    Bool,
    /// A `string_enum!` of this file, with its first value.
    Enum(String, String),
    /// `Vec<T>`.
    Vec(Box<Ty>),
    /// `BTreeMap<String, T>`.
    Map(Box<Ty>),
    /// A nested request struct of this file; whether it has `Default`.
    Struct(String, bool),
    /// A named model of the service version, boxed when it closes a cycle.
    Model(String, bool),
    /// Any JSON value.
    Value,
}

impl Ty {
    /// The type's Rust spelling, seen from a resource file or the model file.
    pub fn rust(&self, model_path: &str) -> String {
        match self {
            Ty::Str => "String".into(),
            Ty::Int => "i64".into(),
            Ty::Int64 => "feishu_core::generated::Int64".into(),
            Ty::Float => "f64".into(),
            Ty::Bool => "bool".into(),
            Ty::Enum(name, _) | Ty::Struct(name, _) => name.clone(),
            Ty::Vec(inner) => format!("Vec<{}>", inner.rust(model_path)),
            Ty::Map(inner) => format!(
                "std::collections::BTreeMap<String, {}>",
                inner.rust(model_path)
            ),
            Ty::Model(name, boxed) => {
                let path = format!("{model_path}{name}");
                if *boxed { format!("Box<{path}>") } else { path }
            }
            Ty::Value => "serde_json::Value".into(),
        }
    }

    /// Whether `Default::default()` makes one.
    pub fn has_default(&self) -> bool {
        !matches!(self, Ty::Enum(..) | Ty::Struct(_, false))
    }
}

/// One field of a generated struct.
#[derive(Clone, Debug)]
pub struct Field {
    /// The Rust name.
    pub ident: String,
    /// The name on the wire.
    pub wire: String,
    /// Its type.
    pub ty: Ty,
    /// Whether the API requires it.
    pub required: bool,
    /// One line.
    pub doc: Option<String>,
}

/// Escapes a line of Feishu prose for rustdoc: no link brackets, no HTML,
/// URLs in angle brackets.
pub fn doc_text(text: &str) -> String {
    let mut out = String::new();
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        // A URL may follow punctuation, e.g. `(https://…)`.
        if let Some(at) = word.find("https://").or_else(|| word.find("http://")) {
            let (before, from) = word.split_at(at);
            let url: String = from
                .chars()
                .take_while(|c| !matches!(c, ')' | ']' | '>' | '"' | '\'' | ','))
                .collect();
            out.push_str(&escape(before));
            let _ = write!(out, "<{url}>");
            out.push_str(&escape(&from[url.len()..]));
        } else {
            out.push_str(&escape(word));
        }
    }
    out
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '[' | ']' | '<' | '>' | '*' | '`' | '\\' | '#' | '|' | '_' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The nested types (enums, structs) one resource file declares, deduplicated.
#[derive(Default)]
pub struct FileTypes {
    /// Name → its declaration.
    defs: BTreeMap<String, String>,
    /// Struct name → an expression making one (`{m}` stands for the module
    /// path), for the generated tests.
    placeholders: BTreeMap<String, String>,
    /// (field, sorted values) → the enum declared for them.
    enums: BTreeMap<(String, Vec<String>), String>,
}

impl FileTypes {
    /// Declares `name` with `body`, or a longer name if `name` is taken by a
    /// different declaration; returns the name used.
    fn declare(&mut self, name: &str, fallback: &str, render: impl Fn(&str) -> String) -> String {
        for candidate in [
            name.to_owned(),
            fallback.to_owned(),
            format!("{fallback}2"),
            format!("{fallback}3"),
        ] {
            let body = render(&candidate);
            match self.defs.get(&candidate) {
                Some(existing) if *existing == body => return candidate,
                Some(_) => continue,
                None => {
                    self.defs.insert(candidate.clone(), body);
                    return candidate;
                }
            }
        }
        let mut n = 4;
        loop {
            let candidate = format!("{fallback}{n}");
            if !self.defs.contains_key(&candidate) {
                self.defs.insert(candidate.clone(), render(&candidate));
                return candidate;
            }
            n += 1;
        }
    }

    /// An expression making a value of `ty`, for the generated tests; `{m}`
    /// stands for the module path.
    pub fn placeholder(&self, ty: &Ty) -> String {
        match ty {
            Ty::Str => "\"x\".into()".into(),
            Ty::Int => "1".into(),
            Ty::Int64 => "1.into()".into(),
            Ty::Float => "1.0".into(),
            Ty::Bool => "true".into(),
            Ty::Enum(name, first) if name.contains("::") => format!("{name}::from({first:?})"),
            Ty::Enum(name, first) => format!("{{m}}{name}::from({first:?})"),
            Ty::Vec(inner) => format!("vec![{}]", self.placeholder(inner)),
            Ty::Map(_) | Ty::Model(..) => "Default::default()".into(),
            Ty::Struct(name, _) => self
                .placeholders
                .get(name)
                .cloned()
                .unwrap_or_else(|| "Default::default()".into()),
            Ty::Value => "serde_json::Value::Null".into(),
        }
    }

    /// Keeps a name for a type declared elsewhere in the file (an endpoint).
    pub fn reserve(&mut self, name: &str) {
        self.defs.insert(name.to_owned(), String::new());
    }

    /// Every declaration, in name order.
    pub fn render(&self) -> String {
        self.defs
            .values()
            .filter(|d| !d.is_empty())
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// A request-side type for a schema. `owner` names the struct it sits in
    /// and `field` the field, for the names of nested declarations; `doc` is
    /// the API's page.
    pub fn request(
        &mut self,
        schema: &Schema,
        owner: &str,
        field: &str,
        doc: &str,
        models: &Models,
    ) -> Ty {
        if let Some(reference) = &schema.reference {
            return models.use_ref(reference);
        }
        match schema.kind.as_deref() {
            Some("string") => match string_values(schema) {
                Some(values) => self.enumeration(&values, owner, field, doc),
                None => Ty::Str,
            },
            Some("integer") => Ty::Int,
            Some("number") => Ty::Float,
            Some("boolean") => Ty::Bool,
            Some("array") => {
                let items = schema.items.as_deref().cloned().unwrap_or_default();
                Ty::Vec(Box::new(self.request(&items, owner, field, doc, models)))
            }
            Some("object") => match &schema.properties {
                Some(props) if !props.is_empty() => {
                    self.structure(schema, props, owner, field, doc, models)
                }
                _ => match &schema.additional {
                    Some(values) => {
                        Ty::Map(Box::new(self.request(values, owner, field, doc, models)))
                    }
                    None => Ty::Value,
                },
            },
            _ => Ty::Value,
        }
    }

    fn enumeration(&mut self, values: &[String], owner: &str, field: &str, doc: &str) -> Ty {
        let mut set: Vec<&str> = values.iter().map(String::as_str).collect();
        set.sort_unstable();
        // The two id kinds nearly every API takes are declared once, in
        // feishu-core, instead of once per API.
        let shared = match set[..] {
            ["open_id", "union_id", "user_id"] => Some("feishu_core::UserIdType"),
            ["department_id", "open_department_id"] => Some("feishu_core::DepartmentIdType"),
            _ => None,
        };
        if let Some(shared) = shared {
            return Ty::Enum(shared.into(), values[0].clone());
        }
        // The same field with the same values is one enum per file, whichever
        // API's page its docs link.
        let key = (
            field.to_owned(),
            set.iter().map(|v| (*v).to_owned()).collect(),
        );
        if let Some(used) = self.enums.get(&key) {
            return Ty::Enum(used.clone(), values[0].clone());
        }
        let name = pascal(field);
        let fallback = format!("{owner}{}", name.trim_end_matches('_'));
        let used = self.declare(&name, &fallback, |name| {
            render_enum(name, values, field, doc)
        });
        self.enums.insert(key, used.clone());
        Ty::Enum(used, values[0].clone())
    }

    fn structure(
        &mut self,
        schema: &Schema,
        props: &BTreeMap<String, Schema>,
        owner: &str,
        field: &str,
        doc: &str,
        models: &Models,
    ) -> Ty {
        let name = schema
            .title
            .as_deref()
            .filter(|t| !t.ends_with("RequestBody"))
            .map_or_else(
                || format!("{owner}{}", pascal(field).trim_end_matches('_')),
                pascal,
            );
        let fallback = format!("{owner}{}", pascal(field).trim_end_matches('_'));
        let fields = fields_of(props, &schema.required, |s, f| {
            self.request(s, &name, f, doc, models)
        });
        let default = fields.iter().all(|f| !f.required || f.ty.has_default());
        let used = self.declare(&name, &fallback, |name| {
            render_struct(name, &fields, default, field, doc)
        });
        let placeholder = if default {
            format!("{{m}}{used}::default()")
        } else {
            let values: Vec<String> = fields
                .iter()
                .map(|f| {
                    let value = if f.required {
                        self.placeholder(&f.ty)
                    } else {
                        "None".into()
                    };
                    format!("{}: {value}", f.ident)
                })
                .collect();
            format!("{{m}}{used} {{ {} }}", values.join(", "))
        };
        self.placeholders.insert(used.clone(), placeholder);
        Ty::Struct(used, default)
    }
}

/// The string values of an enum, if it is one of strings.
fn string_values(schema: &Schema) -> Option<Vec<String>> {
    let values: Vec<String> = schema
        .values
        .as_ref()?
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    (!values.is_empty()).then_some(values)
}

/// The fields of an object schema, named and typed, in wire order.
pub fn fields_of(
    props: &BTreeMap<String, Schema>,
    required: &[String],
    mut ty: impl FnMut(&Schema, &str) -> Ty,
) -> Vec<Field> {
    let mut fields: Vec<Field> = Vec::new();
    for (wire, schema) in props {
        let mut ident = snake(wire);
        while fields.iter().any(|f| f.ident == ident) {
            ident = format!("{}_", bare(&ident));
        }
        fields.push(Field {
            ident,
            wire: wire.clone(),
            ty: ty(schema, wire),
            required: required.contains(wire),
            doc: schema.description.clone(),
        });
    }
    fields
}

fn render_enum(name: &str, values: &[String], field: &str, doc: &str) -> String {
    let mut out = format!(
        "feishu_core::string_enum! {{\n    /// The values of `{field}`.\n    ///\n    /// Docs: <{doc}>\n    pub enum {name} {{\n"
    );
    let mut variants: Vec<String> = Vec::new();
    for value in values {
        let mut variant = pascal(value);
        while variants.contains(&variant) {
            variant.push('_');
        }
        let _ = writeln!(
            out,
            "        /// `{}`.\n        {variant} = {value:?},",
            value.replace('`', "'")
        );
        variants.push(variant);
    }
    out.push_str("    }\n}\n");
    out
}

fn render_struct(name: &str, fields: &[Field], default: bool, field: &str, doc: &str) -> String {
    let derive = if default {
        "Clone, Debug, Default, serde::Serialize"
    } else {
        "Clone, Debug, serde::Serialize"
    };
    let mut out = format!(
        "/// `{field}` of a request.\n///\n/// Docs: <{doc}>\n#[derive({derive})]\npub struct {name} {{\n"
    );
    for f in fields {
        field_doc(&mut out, f, "    ");
        if f.ident.trim_start_matches("r#") != f.wire {
            let _ = writeln!(out, "    #[serde(rename = {:?})]", f.wire);
        }
        if f.required {
            let _ = writeln!(out, "    pub {}: {},", f.ident, f.ty.rust("super::model::"));
        } else {
            let _ = writeln!(
                out,
                "    #[serde(skip_serializing_if = \"Option::is_none\")]\n    pub {}: Option<{}>,",
                f.ident,
                f.ty.rust("super::model::")
            );
        }
    }
    out.push_str("}\n");
    out
}

/// A field's doc comment: its description, or its wire name.
pub fn field_doc(out: &mut String, f: &Field, indent: &str) {
    match &f.doc {
        Some(doc) => {
            let _ = writeln!(out, "{indent}/// {}.", doc_text(doc.trim_end_matches('.')));
        }
        None => {
            let _ = writeln!(out, "{indent}/// `{}`.", f.wire);
        }
    }
}

/// The named models of one service version, and which of them closes a
/// cycle (boxed).
pub struct Models<'a> {
    /// `service.version.Name` → schema.
    pub all: &'a BTreeMap<String, Schema>,
}

impl Models<'_> {
    /// The type of a `$ref`.
    pub fn use_ref(&self, reference: &str) -> Ty {
        match self.all.get(reference) {
            Some(_) => Ty::Model(model_name(reference), false),
            None => Ty::Value,
        }
    }

    /// A model-side (response) type for a schema.
    pub fn response(&self, schema: &Schema) -> Ty {
        if let Some(reference) = &schema.reference {
            return self.use_ref(reference);
        }
        match schema.kind.as_deref() {
            Some("string") => Ty::Str,
            Some("integer") => Ty::Int64,
            Some("number") => Ty::Float,
            Some("boolean") => Ty::Bool,
            Some("array") => Ty::Vec(Box::new(
                self.response(schema.items.as_deref().unwrap_or(&Schema::default())),
            )),
            Some("object") => match &schema.additional {
                Some(values) => Ty::Map(Box::new(self.response(values))),
                None => Ty::Value,
            },
            _ => Ty::Value,
        }
    }
}

/// The Rust name of a model, `service.version.Name` → `Name`.
pub fn model_name(reference: &str) -> String {
    pascal(reference.rsplit('.').next().unwrap_or(reference))
}
