//! The named models of one service version: the shapes of the answers
//! (read) and of the bodies only lark-oapi describes (written). Each has
//! only the direction its APIs use: the read-only ones, nearly all, are
//! declared with feishu-core's `model!`, whose serde code is a fraction of
//! the derive's to compile; the few used both ways derive both.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::names::bare;
use crate::spec::Schema;
use crate::types::{Models, Ty, doc_text, fields_of, model_name};

/// Which models one crate declares, and in which direction.
#[derive(Default)]
pub struct ModelSet {
    /// `service.version.Name` → (serialize, deserialize), and a doc page.
    pub wanted: BTreeMap<String, (bool, bool, String)>,
}

impl ModelSet {
    /// Adds a model and every model it reaches.
    pub fn add(
        &mut self,
        reference: &str,
        all: &BTreeMap<String, Schema>,
        serialize: bool,
        doc: &str,
    ) {
        let mut todo = vec![reference.to_owned()];
        while let Some(name) = todo.pop() {
            let Some(schema) = all.get(&name) else {
                continue;
            };
            let entry = self
                .wanted
                .entry(name.clone())
                .or_insert((false, false, doc.to_owned()));
            let before = (entry.0, entry.1);
            if serialize {
                entry.0 = true;
            } else {
                entry.1 = true;
            }
            if before == (entry.0, entry.1) {
                continue;
            }
            let mut refs = BTreeSet::new();
            refs_of(schema, &mut refs);
            todo.extend(refs);
        }
    }

    /// The models of one service version (`prefix` = `service.version`) as
    /// a Rust file.
    pub fn render(&self, prefix: &str, all: &BTreeMap<String, Schema>) -> String {
        let models = Models { all };
        let mut out = format!(
            "//! The named models of `{prefix}`: what its APIs answer (and the bodies\n//! only described by name). Every field is optional: Feishu leaves out\n//! what does not apply.\n\n"
        );
        let direct = direct_edges(all);
        for (reference, (ser, de, doc)) in self.wanted.range(format!("{prefix}.")..) {
            if !reference.starts_with(&format!("{prefix}.")) {
                break;
            }
            let schema = &all[reference];
            let name = model_name(reference);
            let props = schema.properties.clone().unwrap_or_default();
            let fields = fields_of(&props, &[], |s, _| models.response(s));
            // Read-only models go through `model!`, much lighter to compile
            // than serde's derive; the rest derive both directions.
            let light = *de && !*ser;
            let (indent, open) = if light {
                ("        ", "feishu_core::model! {\n    ")
            } else {
                ("    ", "")
            };
            let mut derive = vec!["Clone", "Debug", "Default"];
            if *de {
                derive.push("serde::Deserialize");
            }
            if *ser {
                derive.push("serde::Serialize");
            }
            let attrs = if light {
                String::new()
            } else {
                format!("#[derive({})]\n#[non_exhaustive]\n", derive.join(", "))
            };
            let head =
                format!("/// `{name}`.\n///\n/// Docs: <{doc}>\n{attrs}pub struct {name} {{");
            if light {
                let _ = writeln!(out, "{open}{}", head.replace('\n', "\n    "));
            } else {
                let _ = writeln!(out, "{head}");
            }
            for f in &fields {
                match &f.doc {
                    Some(d) => {
                        let _ = writeln!(out, "{indent}/// {}.", doc_text(d));
                    }
                    None => {
                        let _ = writeln!(out, "{indent}/// `{}`.", f.wire);
                    }
                }
                let renamed = bare(&f.ident) != f.wire;
                if renamed && !light {
                    let _ = writeln!(out, "    #[serde(rename = {:?})]", f.wire);
                }
                if *ser {
                    out.push_str("    #[serde(skip_serializing_if = \"Option::is_none\")]\n");
                }
                let ty = match &f.ty {
                    Ty::Model(target, _) => {
                        let key = format!("{prefix}.{}", target_key(props.get(&f.wire)));
                        Ty::Model(target.clone(), reaches(&direct, &key, reference))
                    }
                    ty => ty.clone(),
                };
                let wire = if renamed && light {
                    format!(" = {:?}", f.wire)
                } else {
                    String::new()
                };
                let _ = writeln!(
                    out,
                    "{indent}pub {}: Option<{}>{wire},",
                    f.ident,
                    ty.rust("")
                );
            }
            if light {
                out.push_str("    }\n}\n\n");
                continue;
            }
            out.push_str("}\n\n");
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
        out
    }
}

fn target_key(schema: Option<&Schema>) -> String {
    schema
        .and_then(|s| s.reference.as_deref())
        .and_then(|r| r.rsplit('.').next())
        .unwrap_or_default()
        .to_owned()
}

/// Every `$ref` a schema holds, at any depth.
pub fn refs_of(schema: &Schema, out: &mut BTreeSet<String>) {
    if let Some(r) = &schema.reference {
        out.insert(r.clone());
    }
    for s in schema.properties.iter().flat_map(|p| p.values()) {
        refs_of(s, out);
    }
    for s in schema.items.iter().chain(schema.additional.iter()) {
        refs_of(s, out);
    }
}

/// For each model, the models its fields hold directly (not in a list or
/// map): the edges along which a type would be infinitely large.
fn direct_edges(all: &BTreeMap<String, Schema>) -> BTreeMap<&str, Vec<String>> {
    all.iter()
        .map(|(name, schema)| {
            let targets = schema
                .properties
                .iter()
                .flat_map(|p| p.values())
                .filter_map(|s| s.reference.clone())
                .collect();
            (name.as_str(), targets)
        })
        .collect()
}

/// Whether `from` reaches `to` along direct edges.
fn reaches(edges: &BTreeMap<&str, Vec<String>>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut todo = vec![from.to_owned()];
    while let Some(node) = todo.pop() {
        if node == to {
            return true;
        }
        if seen.insert(node.clone()) {
            todo.extend(edges.get(node.as_str()).into_iter().flatten().cloned());
        }
    }
    false
}
