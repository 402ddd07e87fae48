//! Replays the committed fuzz corpora (`fuzz/corpus/<target>/*`) through the
//! same target bodies libFuzzer runs, so every input the fuzzers kept —
//! crashes found and fixed included — stays green in CI.

use std::fs;
use std::path::Path;

#[allow(dead_code)] // the fuzz binaries use one body each; here all are used
#[path = "../fuzz/targets.rs"]
mod targets;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut count = 0;
    for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("a directory entry").path();
        let input = fs::read(&path).expect("a corpus file");
        run(&input);
        count += 1;
    }
    assert!(count > 0, "{target}: an empty corpus");
}

#[test]
fn envelope() {
    replay("envelope", targets::envelope);
}

#[test]
fn webhook() {
    replay("webhook", targets::webhook);
}

#[test]
fn decrypt() {
    replay("decrypt", targets::decrypt);
}

#[test]
fn content() {
    replay("content", targets::content);
}

#[test]
fn content_disposition() {
    replay("content_disposition", targets::content_disposition);
}

#[test]
fn pager() {
    replay("pager", targets::pager);
}
