//! A fake Feishu for one streamed card, over the HTTP requests the core
//! builds: it keeps the card, its sequence, its streaming mode and every
//! operation with the time Feishu received it, refuses what Feishu refuses
//! (a sequence that does not increase, writes after streaming ended, text
//! over the limits, an 11th operation within a second), and can be told
//! to fail chosen requests.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use serde_json::{Value, json};

pub const CARD_ID: &str = "7355372766134157313";
pub const MESSAGE_ID: &str = "om_5ad11d72b830411d72b836c20";

/// What a request was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Token,
    Create,
    Send,
    Content,
    UpdateElement,
    Settings,
    Other,
}

/// One CardKit operation on the card, as Feishu received it.
#[derive(Clone, Debug)]
pub struct Op {
    pub kind: Kind,
    pub at: SystemTime,
    pub sequence: Option<i64>,
    pub uuid: Option<String>,
    pub content: Option<String>,
    /// Whether Feishu took it up (a fault or the rate refused it otherwise).
    pub accepted: bool,
    /// A repeat of an applied operation (same uuid), answered as before.
    pub replay: bool,
}

impl Op {
    /// Whether the operation changed the card (not refused, not a replay).
    pub fn applied(&self) -> bool {
        self.accepted && !self.replay
    }
}

/// A canned failure: HTTP status and Feishu code.
pub type Fault = (u16, i64);

pub struct Fake {
    pub element_id: String,
    pub card: Option<Value>,
    pub content: String,
    pub streaming: bool,
    pub summary: Option<String>,
    pub last_sequence: i64,
    pub ops: Vec<Op>,
    pub sent: Vec<Value>,
    pub rate_violations: usize,
    pub refusals: Vec<i64>,
    /// Streaming ends on its own after this many content writes (the ten
    /// minutes of the real thing).
    pub streaming_ends_after: Option<usize>,
    /// Fails the nth request (0-based) of a kind.
    pub faults: HashMap<(Kind, usize), Fault>,
    seen: HashMap<Kind, usize>,
    uuids: HashMap<String, i64>,
    content_writes: usize,
}

impl Fake {
    pub fn new(element_id: &str) -> Self {
        Self {
            element_id: element_id.to_owned(),
            card: None,
            content: String::new(),
            streaming: false,
            summary: None,
            last_sequence: 0,
            ops: Vec::new(),
            sent: Vec::new(),
            rate_violations: 0,
            refusals: Vec::new(),
            streaming_ends_after: None,
            faults: HashMap::new(),
            seen: HashMap::new(),
            uuids: HashMap::new(),
            content_writes: 0,
        }
    }

    /// The card's text as a reader sees it now.
    pub fn shown(&self) -> &str {
        &self.content
    }

    /// Feishu's answer to `request`, received at `at`.
    pub fn handle(
        &mut self,
        request: &http::Request<Vec<u8>>,
        at: SystemTime,
    ) -> http::Response<Vec<u8>> {
        let path = request.uri().path().to_owned();
        let method = request.method().as_str().to_owned();
        let body: Value = serde_json::from_slice(request.body()).unwrap_or(Value::Null);
        let kind = kind(&method, &path);
        let nth = {
            let seen = self.seen.entry(kind).or_insert(0);
            *seen += 1;
            *seen - 1
        };
        if kind == Kind::Token {
            return reply(
                200,
                json!({"code": 0, "msg": "ok", "tenant_access_token": "t-g1044qeGEDXTB6NDJOGV4JQX4GJX2UYQLW4R5MNN", "expire": 7200}),
            );
        }
        if let Some(&(status, code)) = self.faults.get(&(kind, nth)) {
            if matches!(
                kind,
                Kind::Content | Kind::UpdateElement | Kind::Settings | Kind::Create
            ) {
                self.record(kind, at, &body, false, false);
            }
            return error(status, code);
        }
        match kind {
            Kind::Create => self.create(at, &body),
            Kind::Send => self.send(&body),
            Kind::Content | Kind::UpdateElement | Kind::Settings => {
                self.operate(kind, at, &body, &path)
            }
            Kind::Token | Kind::Other => error(404, 1254000),
        }
    }

    fn create(&mut self, at: SystemTime, body: &Value) -> http::Response<Vec<u8>> {
        if self.over_rate(at) {
            return error(400, 99991400);
        }
        self.record(Kind::Create, at, body, true, false);
        let data = body["data"].as_str().unwrap_or_default();
        if body["type"] != "card_json" || data.len() > 30 * 1024 {
            return self.refuse(200860);
        }
        let card: Value = serde_json::from_str(data).unwrap_or(Value::Null);
        if card["schema"] != "2.0" {
            return self.refuse(300303);
        }
        self.streaming = card["config"]["streaming_mode"] == true;
        self.content = find(&card, &self.element_id)
            .and_then(|e| e["content"].as_str())
            .unwrap_or_default()
            .to_owned();
        self.card = Some(card);
        reply(
            200,
            json!({"code": 0, "msg": "success", "data": {"card_id": CARD_ID}}),
        )
    }

    fn send(&mut self, body: &Value) -> http::Response<Vec<u8>> {
        let content: Value = serde_json::from_str(body["content"].as_str().unwrap_or_default())
            .unwrap_or(Value::Null);
        assert_eq!(body["msg_type"], "interactive");
        assert_eq!(
            content,
            json!({"type": "card", "data": {"card_id": CARD_ID}})
        );
        assert!(self.card.is_some(), "sent before it was created");
        self.sent.push(body.clone());
        reply(
            200,
            json!({"code": 0, "msg": "success", "data": {"message_id": MESSAGE_ID, "msg_type": "interactive", "chat_id": "oc_5ad11d72b830411d72b836c20"}}),
        )
    }

    fn operate(
        &mut self,
        kind: Kind,
        at: SystemTime,
        body: &Value,
        path: &str,
    ) -> http::Response<Vec<u8>> {
        if !path.starts_with(&format!("/open-apis/cardkit/v1/cards/{CARD_ID}"))
            || self.card.is_none()
        {
            return self.refuse(200740);
        }
        let sequence = body["sequence"].as_i64().unwrap_or(0);
        let uuid = body["uuid"].as_str().map(str::to_owned);
        if let Some(uuid) = &uuid
            && self.uuids.get(uuid) == Some(&sequence)
        {
            self.record(kind, at, body, true, true);
            return ok();
        }
        if self.over_rate(at) {
            self.record(kind, at, body, false, false);
            return error(400, 99991400);
        }
        self.record(kind, at, body, true, false);
        if !(1..=i64::from(i32::MAX)).contains(&sequence) {
            return self.refuse(10002);
        }
        if sequence <= self.last_sequence {
            return self.refuse(300317);
        }
        self.last_sequence = sequence;
        if let Some(uuid) = uuid {
            self.uuids.insert(uuid, sequence);
        }
        match kind {
            Kind::Content => {
                assert!(
                    path.ends_with(&format!("/elements/{}/content", self.element_id)),
                    "{path}"
                );
                if let Some(after) = self.streaming_ends_after
                    && self.content_writes >= after
                    && self.streaming
                {
                    self.streaming = false;
                    return self.refuse(200850);
                }
                if !self.streaming {
                    return self.refuse(300309);
                }
                let content = body["content"].as_str().unwrap_or_default();
                let chars = content.chars().count();
                if !(1..=100_000).contains(&chars) {
                    return self.refuse(10002);
                }
                if self.card_size_with(content) > 30 * 1024 {
                    return self.refuse(200860);
                }
                self.content_writes += 1;
                self.content = content.to_owned();
            }
            Kind::UpdateElement => {
                assert!(
                    path.ends_with(&format!("/elements/{}", self.element_id)),
                    "{path}"
                );
                let element: Value =
                    serde_json::from_str(body["element"].as_str().unwrap_or_default())
                        .unwrap_or(Value::Null);
                let content = element["content"].as_str().unwrap_or_default();
                if self.card_size_with(content) > 30 * 1024 {
                    return self.refuse(200860);
                }
                self.content = content.to_owned();
            }
            Kind::Settings => {
                let settings: Value =
                    serde_json::from_str(body["settings"].as_str().unwrap_or_default())
                        .unwrap_or(Value::Null);
                if let Some(on) = settings["config"]["streaming_mode"].as_bool() {
                    self.streaming = on;
                }
                if let Some(summary) = settings["config"]["summary"]["content"].as_str() {
                    self.summary = Some(summary.to_owned());
                }
            }
            _ => {}
        }
        ok()
    }

    /// Whether an operation received at `at` would be the 11th within a
    /// second (counting the create and every accepted operation).
    fn over_rate(&mut self, at: SystemTime) -> bool {
        let window_start = at.checked_sub(Duration::from_secs(1)).unwrap_or(at);
        let recent = self
            .ops
            .iter()
            .filter(|op| op.at > window_start && op.at <= at)
            .count();
        if recent >= 10 {
            self.rate_violations += 1;
            return true;
        }
        false
    }

    fn card_size_with(&self, content: &str) -> usize {
        let mut card = self.card.clone().unwrap_or(Value::Null);
        if let Some(element) = find_mut(&mut card, &self.element_id) {
            element["content"] = Value::String(content.to_owned());
        }
        card.to_string().len()
    }

    fn record(&mut self, kind: Kind, at: SystemTime, body: &Value, accepted: bool, replay: bool) {
        let content = match kind {
            Kind::Content => body["content"].as_str().map(str::to_owned),
            Kind::UpdateElement => {
                serde_json::from_str::<Value>(body["element"].as_str().unwrap_or_default())
                    .ok()
                    .and_then(|e| e["content"].as_str().map(str::to_owned))
            }
            _ => None,
        };
        self.ops.push(Op {
            kind,
            at,
            sequence: body["sequence"].as_i64(),
            uuid: body["uuid"].as_str().map(str::to_owned),
            content,
            accepted,
            replay,
        });
    }

    fn refuse(&mut self, code: i64) -> http::Response<Vec<u8>> {
        self.refusals.push(code);
        error(400, code)
    }
}

fn kind(method: &str, path: &str) -> Kind {
    match (method, path) {
        (_, "/open-apis/auth/v3/tenant_access_token/internal") => Kind::Token,
        ("POST", "/open-apis/cardkit/v1/cards") => Kind::Create,
        ("POST", "/open-apis/im/v1/messages") => Kind::Send,
        ("POST", p) if p.starts_with("/open-apis/im/v1/messages/") && p.ends_with("/reply") => {
            Kind::Send
        }
        ("PUT", p) if p.ends_with("/content") => Kind::Content,
        ("PUT", p) if p.contains("/elements/") => Kind::UpdateElement,
        ("PATCH", p) if p.ends_with("/settings") => Kind::Settings,
        _ => Kind::Other,
    }
}

fn find<'v>(value: &'v Value, id: &str) -> Option<&'v Value> {
    match value {
        Value::Object(map) if map.get("element_id").and_then(Value::as_str) == Some(id) => {
            Some(value)
        }
        Value::Object(map) => map.values().find_map(|v| find(v, id)),
        Value::Array(items) => items.iter().find_map(|v| find(v, id)),
        _ => None,
    }
}

fn find_mut<'v>(value: &'v mut Value, id: &str) -> Option<&'v mut Value> {
    let hit = matches!(value, Value::Object(map) if map.get("element_id").and_then(Value::as_str) == Some(id));
    if hit {
        return Some(value);
    }
    match value {
        Value::Object(map) => map.values_mut().find_map(|v| find_mut(v, id)),
        Value::Array(items) => items.iter_mut().find_map(|v| find_mut(v, id)),
        _ => None,
    }
}

fn reply(status: u16, body: Value) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(status)
        .header("content-type", "application/json; charset=utf-8")
        .header("x-tt-logid", "2025062710150011")
        .body(body.to_string().into_bytes())
        .unwrap_or_default()
}

fn ok() -> http::Response<Vec<u8>> {
    reply(200, json!({"code": 0, "msg": "success", "data": {}}))
}

fn error(status: u16, code: i64) -> http::Response<Vec<u8>> {
    reply(status, json!({"code": code, "msg": "refused by the fake"}))
}
