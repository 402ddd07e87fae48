//! Writes the `feishu-api` crates from the committed spec,
//! `spec/feishu-apis.json`: one crate per service family (large families
//! split by resource, their models in a crate of their own, so no rustc
//! holds a whole family), one file per resource, in feishu-core's
//! endpoints-as-data form.
//!
//! `cargo run -p feishu-codegen` writes the tree; `-- --check` writes
//! nothing and fails if the tree differs (CI). No network, no node: only the
//! spec and feishu-core's sources (for the endpoints written by hand, which
//! are not generated again).

mod crates;
mod endpoint;
mod model;
mod names;
mod plan;
mod spec;
mod tests;
mod types;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Where the generated files go, relative to the workspace root.
pub const API_DIR: &str = "crates/feishu-api";
/// The spec as the mock embeds it: no prose, compact.
pub const MOCK_SPEC: &str = "crates/feishu-mock/src/spec/apis.json";
/// Generated family crates, each its own directory here.
pub const FAMILIES_DIR: &str = "crates/feishu-api/families";

fn main() -> ExitCode {
    let check = std::env::args().skip(1).any(|a| a == "--check");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    match run(&root, check) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("feishu-codegen: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(root: &Path, check: bool) -> Result<ExitCode, String> {
    let spec_path = root.join("spec/feishu-apis.json");
    let text =
        std::fs::read_to_string(&spec_path).map_err(|e| format!("{}: {e}", spec_path.display()))?;
    let spec: spec::Spec =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", spec_path.display()))?;
    let hand_written = plan::hand_written(&root.join("crates/feishu-core/src/api"), &spec)?;
    let plan = plan::Plan::new(&spec, &hand_written);
    let mut files = crates::render(&spec, &plan, &hand_written);
    files.insert(PathBuf::from(MOCK_SPEC), compact(&text)?);
    if check {
        check_tree(root, &files)
    } else {
        write_tree(root, &files)?;
        println!("feishu-codegen: wrote {} files", files.len());
        Ok(ExitCode::SUCCESS)
    }
}

/// The spec without descriptions and titles, on one line: what the mock
/// checks requests against and shapes answers from.
fn compact(text: &str) -> Result<String, String> {
    fn strip(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                // Prose is a string; a field of that name is a schema.
                for key in ["description", "title", "doc_url"] {
                    if map.get(key).is_some_and(serde_json::Value::is_string) {
                        map.remove(key);
                    }
                }
                map.remove("path_params");
                map.values_mut().for_each(strip);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut spec: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if let Some(map) = spec.as_object_mut() {
        map.remove("events");
        map.remove("sources");
    }
    strip(&mut spec);
    Ok(spec.to_string() + "\n")
}

/// Files this generator owns under `dir`, to find stale ones.
fn owned_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            owned_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Removes the directories under `dir` that hold no file, deepest first.
fn remove_empty_dirs(dir: &Path) -> Result<(), String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if !path.is_dir() {
            continue;
        }
        remove_empty_dirs(&path)?;
        let empty = std::fs::read_dir(&path).is_ok_and(|mut e| e.next().is_none());
        if empty {
            std::fs::remove_dir(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(())
}

fn write_tree(root: &Path, files: &BTreeMap<PathBuf, String>) -> Result<(), String> {
    let mut existing = Vec::new();
    owned_files(&root.join(FAMILIES_DIR), &mut existing);
    for stale in existing
        .iter()
        .filter(|p| !files.contains_key(p.strip_prefix(root).unwrap_or(p)))
    {
        std::fs::remove_file(stale).map_err(|e| format!("{}: {e}", stale.display()))?;
    }
    // A crate the plan no longer has would stay behind as empty directories,
    // which the workspace's `families/*` glob refuses to load.
    remove_empty_dirs(&root.join(FAMILIES_DIR))?;
    for (path, content) in files {
        let full = root.join(path);
        if std::fs::read_to_string(&full).is_ok_and(|old| old == *content) {
            continue;
        }
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&full, content).map_err(|e| format!("{}: {e}", full.display()))?;
    }
    Ok(())
}

fn check_tree(root: &Path, files: &BTreeMap<PathBuf, String>) -> Result<ExitCode, String> {
    let mut differ = Vec::new();
    for (path, content) in files {
        match std::fs::read_to_string(root.join(path)) {
            Ok(old) if old == *content => {}
            Ok(_) => differ.push(format!("  changed: {}", path.display())),
            Err(_) => differ.push(format!("  missing: {}", path.display())),
        }
    }
    let mut existing = Vec::new();
    owned_files(&root.join(FAMILIES_DIR), &mut existing);
    for path in existing {
        let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        if !files.contains_key(&relative) {
            differ.push(format!("  stale: {}", relative.display()));
        }
    }
    if differ.is_empty() {
        println!(
            "feishu-codegen: {} generated files are current",
            files.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!(
        "feishu-codegen: the generated tree differs from spec/feishu-apis.json ({} files); run `cargo run -p feishu-codegen` and commit the result:",
        differ.len()
    );
    for line in differ.iter().take(20) {
        eprintln!("{line}");
    }
    if differ.len() > 20 {
        eprintln!("  … and {} more", differ.len() - 20);
    }
    Ok(ExitCode::FAILURE)
}
