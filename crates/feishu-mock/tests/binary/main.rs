//! The `feishu-mock` binary from outside, as a bot in another language meets
//! it: spawned as a process, driven only over HTTP (the Open API and the
//! control API under `/_mock`), with no Rust API of the mock.

mod cli;
mod control;
mod python_bot;
// The webhook receiver of the mock's own tests: a raw `TcpListener` that
// records every request, plus an independent decryption and signature check.
#[allow(dead_code)]
#[path = "../mock/receiver.rs"]
mod receiver;
mod support;
