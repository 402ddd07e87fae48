//! The generated test, `crates/feishu-api/tests/endpoints.rs`: every
//! generated endpoint is made from placeholders, its request built and
//! checked against the spec, and an answer shaped like its schema parsed.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::endpoint::{Endpoint, Place};
use crate::names::snake;
use crate::types::{FileTypes, Ty};

/// The test's lines, by family.
#[derive(Default)]
pub struct Tests {
    families: BTreeMap<String, Vec<String>>,
}

impl Tests {
    /// One endpoint's check.
    pub fn add(&mut self, e: &Endpoint, types: &FileTypes, module: &str) {
        let mut args = Vec::new();
        if e.extra_file_name() {
            args.push("\"x.bin\"".to_owned());
        }
        for f in e.fields.iter().filter(|f| f.field.required) {
            args.push(match (&f.field.ty, f.place) {
                (_, Place::File) => "b\"x\".to_vec()".to_owned(),
                (Ty::Str, _) => "\"x\"".to_owned(),
                (ty, _) => types.placeholder(ty),
            });
        }
        let args = args.join(", ").replace("{m}", module);
        let family = e.api.id.split('.').next().unwrap_or_default();
        let check = if e.pages.is_some() {
            "check_list"
        } else {
            "check"
        };
        self.families
            .entry(snake(family))
            .or_default()
            .push(format!("    {check}(&{module}{}::new({args}));", e.name));
    }

    /// The file.
    pub fn render(&self) -> String {
        let mut out = format!(
            "{}{}",
            crate::crates::HEADER,
            include_str!("tests_head.txt")
        );
        for (family, lines) in &self.families {
            let _ = writeln!(
                out,
                "\n#[test]\nfn {}() {{\n{}\n}}",
                crate::names::bare(family),
                lines.join("\n")
            );
        }
        out
    }
}
