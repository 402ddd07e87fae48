//! The README's Python example: an echo bot in plain Python, tested against
//! the spawned binary through the control API. CI has `python3`; without it
//! this test fails, since a skipped example is an untested one.

use std::path::Path;
use std::process::Command;

use crate::support::Binary;

#[test]
fn the_python_echo_bot_passes_its_tests() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/python/echo_bot_test.py");
    let mock = Binary::start(&["--redelivery-delays-ms", ""]);
    let output = Command::new("python3")
        .arg(&script)
        .env("FEISHU_MOCK_URL", &mock.url)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run python3 ({e}): this test runs {} against feishu-mock \
                 and needs python3 on PATH",
                script.display()
            )
        });
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{} failed ({}):\n{stderr}{}",
        script.display(),
        output.status,
        String::from_utf8_lossy(&output.stdout)
    );
    // unittest reports on stderr; make sure the tests ran, not just exited 0.
    assert!(
        stderr.contains("Ran 5 tests") && stderr.contains("OK"),
        "{stderr}"
    );
}
