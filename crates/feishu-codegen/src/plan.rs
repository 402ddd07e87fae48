//! Which API goes into which crate: one crate per service family, a large
//! family split between several crates by resource (with its models in a
//! crate of their own), so each rustc stays small.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::spec::{Api, Spec};

/// At most this many endpoints in one crate (a resource is never split).
/// With `model!` a crate's rustc is small (the whole `full` build peaks
/// under 400 MB), so a family of up to 80 APIs (contact, drive, task, vc)
/// is one crate: a program using it runs one rustc for it, not three
/// (model crate and two halves) that wait on each other.
pub const MAX_ENDPOINTS_PER_CRATE: usize = 80;

/// The ids of the endpoints feishu-core writes by hand (auth, IM messages,
/// files and images, CardKit): every `"service.vN.resource.method"` literal
/// in its API sources that names an API of the spec.
pub fn hand_written(dir: &Path, spec: &Spec) -> Result<BTreeSet<String>, String> {
    let ids: BTreeSet<&str> = spec.apis.iter().map(|a| a.id.as_str()).collect();
    let mut found = BTreeSet::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(dir) = todo.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                for literal in text.split('"').skip(1).step_by(2) {
                    if ids.contains(literal) {
                        found.insert(literal.to_owned());
                    }
                }
            }
        }
    }
    Ok(found)
}

/// One generated crate.
#[derive(Debug)]
pub struct Crate {
    /// The package name, `feishu-api-contact`.
    pub package: String,
    /// Its directory under the families directory, `contact`.
    pub dir: String,
    /// The service family, `contact`.
    pub family: String,
    /// `(version, resource)` → its APIs; empty for a model crate.
    pub resources: BTreeMap<(String, String), Vec<usize>>,
    /// Whether it holds the family's models (and nothing else).
    pub models_only: bool,
}

impl Crate {
    /// The crate's Rust name.
    pub fn ident(&self) -> String {
        self.package.replace('-', "_")
    }
}

/// Every crate, by family.
pub struct Plan {
    /// Family → its crates; with several, the model crate comes first.
    pub families: BTreeMap<String, Vec<Crate>>,
}

/// `service.version.resource.method` → its pieces.
pub fn id_parts(api: &Api) -> (String, String, String, String) {
    let mut it = api.id.split('.').map(str::to_owned);
    let mut next = || it.next().unwrap_or_default();
    (next(), next(), next(), next())
}

impl Plan {
    /// Plans the crates for every API not written by hand.
    pub fn new(spec: &Spec, hand_written: &BTreeSet<String>) -> Self {
        let mut by_family: BTreeMap<String, BTreeMap<(String, String), Vec<usize>>> =
            BTreeMap::new();
        for (i, api) in spec.apis.iter().enumerate() {
            if hand_written.contains(&api.id) {
                continue;
            }
            let (family, version, resource, _) = id_parts(api);
            by_family
                .entry(family)
                .or_default()
                .entry((version, resource))
                .or_default()
                .push(i);
        }
        let mut families = BTreeMap::new();
        for (family, resources) in by_family {
            let total: usize = resources.values().map(Vec::len).sum();
            let mut crates = Vec::new();
            if total <= MAX_ENDPOINTS_PER_CRATE {
                crates.push(Crate {
                    package: format!("feishu-api-{}", family.replace('_', "-")),
                    dir: family.clone(),
                    family: family.clone(),
                    resources,
                    models_only: false,
                });
            } else {
                crates.push(Crate {
                    package: format!("feishu-api-{}-model", family.replace('_', "-")),
                    dir: format!("{family}-model"),
                    family: family.clone(),
                    resources: BTreeMap::new(),
                    models_only: true,
                });
                let parts = total.div_ceil(MAX_ENDPOINTS_PER_CRATE);
                let target = total.div_ceil(parts);
                let mut part: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
                let mut count = 0;
                let flush = |part: &mut BTreeMap<_, _>, crates: &mut Vec<Crate>| {
                    let n = crates.len();
                    crates.push(Crate {
                        package: format!("feishu-api-{}-{n}", family.replace('_', "-")),
                        dir: format!("{family}-{n}"),
                        family: family.clone(),
                        resources: std::mem::take(part),
                        models_only: false,
                    });
                };
                for (key, apis) in resources {
                    if count > 0 && count + apis.len() > target {
                        flush(&mut part, &mut crates);
                        count = 0;
                    }
                    count += apis.len();
                    part.insert(key, apis);
                }
                if !part.is_empty() {
                    flush(&mut part, &mut crates);
                }
            }
            families.insert(family, crates);
        }
        Plan { families }
    }
}
