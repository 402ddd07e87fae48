//! The private workspace root of feishu-rs. It publishes nothing: it owns the
//! cross-crate conformance suite in `tests/`, the examples in `examples/` and
//! the benchmarks and measurement programs in `benches/`, and compiles the
//! README's code samples as doctests so they stay true.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

/// The README's code samples, compiled by `cargo test --doc`.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
