//! The wire: an endpoint's facts into an `http::Request`, and the response
//! bytes back into its output. Pure functions, no state.

pub(crate) mod api_error;
pub mod download;
pub(crate) mod endpoint;
pub(crate) mod envelope;
pub mod generated;
pub(crate) mod multipart;
pub(crate) mod pager;
pub(crate) mod raw;
pub(crate) mod transport;
