//! The `feishu-mock` binary as a black box: spawned with arguments, its URL
//! read from the line it prints, driven over HTTP with ureq, killed on drop.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

/// A running `feishu-mock` process.
pub struct Binary {
    child: Child,
    pub url: String,
}

impl Binary {
    /// Starts the binary with `args` and waits for its URL line.
    pub fn start(args: &[&str]) -> Binary {
        let mut child = Command::new(env!("CARGO_BIN_EXE_feishu-mock"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn feishu-mock");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let first = lines
            .next()
            .and_then(Result::ok)
            .unwrap_or_else(|| panic!("feishu-mock printed nothing: {}", stderr(&mut child)));
        let url = first
            .strip_prefix("feishu-mock listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
            .to_owned();
        // Read the rest, so the pipe stays open while the mock runs.
        std::thread::spawn(move || lines.for_each(drop));
        Binary { child, url }
    }

    /// `GET`, `PUT`, `POST` or `DELETE` on `path` with an optional JSON
    /// body and bearer token.
    pub fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
        token: Option<&str>,
    ) -> Reply {
        call(&format!("{}{path}", self.url), method, body, token)
    }

    /// A control API call: `path` is under `/_mock`.
    pub fn control(&self, method: &str, path: &str, body: Option<&Value>) -> Reply {
        self.call(method, &format!("/_mock{path}"), body, None)
    }

    /// A tenant token of the default self-built app, through the Open API.
    pub fn tenant_token(&self) -> String {
        let body = serde_json::json!({
            "app_id": "cli_mock_self_built",
            "app_secret": "mock-self-built-secret",
        });
        let reply = self.call(
            "POST",
            "/open-apis/auth/v3/tenant_access_token/internal",
            Some(&body),
            None,
        );
        reply.json()["tenant_access_token"]
            .as_str()
            .unwrap_or_else(|| panic!("no token: {reply:?}"))
            .to_owned()
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        // Only this test's own child, by its handle.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn stderr(child: &mut Child) -> String {
    let _ = child.wait();
    let mut text = String::new();
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            text.push_str(&line);
            text.push('\n');
        }
    }
    text
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {self:?}"))
    }

    /// Asserts a 200 JSON answer and returns it.
    pub fn ok(&self) -> Value {
        assert_eq!(self.status, 200, "{self:?}");
        self.json()
    }

    /// Asserts a control API error: `status`, `error` kind and a message.
    pub fn assert_control_error(&self, status: u16, kind: &str) -> String {
        assert_eq!(self.status, status, "{self:?}");
        assert_eq!(
            self.content_type.as_deref(),
            Some("application/json; charset=utf-8"),
            "{self:?}"
        );
        let body = self.json();
        assert_eq!(body["error"], kind, "{self:?}");
        let message = body["message"].as_str().expect("a message").to_owned();
        assert!(!message.is_empty());
        message
    }
}

/// One request with ureq, 4xx and 5xx as answers.
pub fn call(url: &str, method: &str, body: Option<&Value>, token: Option<&str>) -> Reply {
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .new_agent();
    let mut request = ureq::http::Request::builder()
        .method(method)
        .uri(url)
        .header("content-type", "application/json; charset=utf-8");
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let request = request
        .body(body.map(Value::to_string).unwrap_or_default())
        .expect("request");
    let mut response = agent.run(request).expect(method);
    Reply {
        status: response.status().as_u16(),
        content_type: response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        body: response.body_mut().read_to_string().expect("body"),
    }
}
