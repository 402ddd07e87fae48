//! A tiny webhook for the event tests: records every request and answers
//! scripted statuses after scripted delays; plus an independent decryption
//! and signature check, straight from Feishu's encryption and signature rules.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use aes::Aes256;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeDecrypt, KeyIvInit};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// One request as the webhook saw it.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// Names in lowercase.
    pub headers: Vec<(String, String)>,
    /// The head's header lines exactly as they arrived, `\r\n` included.
    pub raw_head: String,
    pub body: Vec<u8>,
    pub at: Instant,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }

    /// The `encrypt` value of an encrypted body.
    pub fn encrypt(&self) -> String {
        let body = self.json();
        let object = body.as_object().expect("an object");
        assert_eq!(object.len(), 1, "only `encrypt`: {body}");
        body["encrypt"].as_str().expect("encrypt").to_owned()
    }

    /// Whether the three signature headers verify with `encrypt_key`.
    pub fn signed_with(&self, encrypt_key: &str) -> bool {
        let header = |name| self.header(name).expect(name);
        let expected = signature(
            header("x-lark-request-timestamp"),
            header("x-lark-request-nonce"),
            encrypt_key,
            &self.body,
        );
        header("x-lark-signature") == expected
    }

    pub fn has_signature_headers(&self) -> bool {
        self.headers.iter().any(|(n, _)| n.starts_with("x-lark-"))
    }
}

/// A scripted answer.
#[derive(Clone, Copy, Debug)]
pub struct Answer {
    pub status: u16,
    pub delay: Duration,
}

pub fn answer(status: u16) -> Answer {
    Answer {
        status,
        delay: Duration::ZERO,
    }
}

#[derive(Default)]
struct Log {
    requests: Mutex<Vec<Request>>,
    script: Mutex<VecDeque<Answer>>,
}

/// A webhook on `127.0.0.1`; answers 200 `{"msg":"success"}` unless scripted.
pub struct Receiver {
    addr: SocketAddr,
    log: Arc<Log>,
    stop: Arc<AtomicBool>,
}

impl Receiver {
    pub fn start() -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let log = Arc::new(Log::default());
        let stop = Arc::new(AtomicBool::new(false));
        let (log2, stop2) = (Arc::clone(&log), Arc::clone(&stop));
        thread::spawn(move || {
            for tcp in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(tcp) = tcp else { continue };
                let log = Arc::clone(&log2);
                thread::spawn(move || serve(tcp, &log));
            }
        });
        Receiver { addr, log, stop }
    }

    /// The webhook URL.
    pub fn url(&self) -> String {
        format!("http://{}/webhook/event", self.addr)
    }

    /// Queues answers for the next requests.
    pub fn script(&self, answers: &[Answer]) {
        self.log.script.lock().expect("lock").extend(answers);
    }

    pub fn requests(&self) -> Vec<Request> {
        self.log.requests.lock().expect("lock").clone()
    }

    /// Waits up to 5 s for `n` requests.
    pub fn wait_for(&self, n: usize) -> Vec<Request> {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let requests = self.requests();
            if requests.len() >= n || Instant::now() > deadline {
                return requests;
            }
            thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
    }
}

fn serve(tcp: TcpStream, log: &Log) {
    let mut reader = BufReader::new(tcp);
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let path = parts.next().unwrap_or_default().to_owned();
    let mut headers = Vec::new();
    let mut raw_head = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        raw_head.push_str(&line);
        let Some((name, value)) = line.trim_end().split_once(':') else {
            break;
        };
        headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
    }
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let at = Instant::now();
    log.requests.lock().expect("lock").push(Request {
        method,
        path,
        headers,
        raw_head,
        body,
        at,
    });
    let answer = log
        .script
        .lock()
        .expect("lock")
        .pop_front()
        .unwrap_or(answer(200));
    thread::sleep(answer.delay);
    let reply = r#"{"msg":"success"}"#;
    let head = format!(
        "HTTP/1.1 {} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        answer.status,
        reply.len()
    );
    let mut tcp = reader.into_inner();
    let _ = tcp.write_all(format!("{head}{reply}").as_bytes());
}

/// Decrypts an `encrypt` value: AES-256-CBC keyed with SHA-256 of the
/// Encrypt Key, the IV in front, strict PKCS#7.
pub fn decrypt(encrypt_key: &str, encrypt: &str) -> Result<Vec<u8>, String> {
    let raw = STANDARD.decode(encrypt).map_err(|e| e.to_string())?;
    if raw.len() < 32 || raw.len() % 16 != 0 {
        return Err(format!("{} bytes", raw.len()));
    }
    let key = Sha256::digest(encrypt_key.as_bytes());
    let iv: [u8; 16] = raw[..16].try_into().expect("16 bytes");
    cbc::Decryptor::<Aes256>::new(&key, &iv.into())
        .decrypt_padded_vec::<Pkcs7>(&raw[16..])
        .map_err(|e| e.to_string())
}

/// `lowercase_hex(SHA-256(timestamp ‖ nonce ‖ encrypt_key ‖ body))`.
pub fn signature(timestamp: &str, nonce: &str, encrypt_key: &str, body: &[u8]) -> String {
    let mut hash = Sha256::new();
    hash.update(format!("{timestamp}{nonce}{encrypt_key}").as_bytes());
    hash.update(body);
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Now, in Unix seconds.
pub fn unix_now() -> i64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970");
    i64::try_from(since.as_secs()).expect("seconds")
}

#[test]
fn the_independent_decryption_reads_the_official_vector() {
    let plain = decrypt("test key", "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=");
    assert_eq!(plain.as_deref(), Ok(&b"hello world"[..]));
}
