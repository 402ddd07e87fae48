//! The APIs, one file per Feishu API, each declared as data.

pub mod auth;
pub mod card;
pub mod cardkit;
pub mod im;
