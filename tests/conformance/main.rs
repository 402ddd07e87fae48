//! The conformance suite: every adapter, over real HTTP, against feishu-mock.
//!
//! Each test is written once, generic over [`Adapter`], and instantiated for
//! every adapter by [`conformance!`]. Adapters must behave identically, so a
//! test that needs an `if` on the adapter is a bug in an adapter.

mod adapters;
mod errors;
mod lifecycle;
mod messages;
mod pagination;
mod resilience;
mod slow_phases;
mod tokens;

use std::future::Future;

use feishu_core::auth::TenantAccessToken;
use feishu_core::{
    Config, Endpoint, Error, Page, Pager, Paginated, Secret, TransportError, UserToken,
};

/// What differs between adapters: how a client is built, how the suite
/// waits for its calls, and how it runs many at once. The calls themselves
/// are [`Surface`], written once for every adapter by [`surface!`].
pub trait Adapter: Surface + Sync + Sized {
    /// The adapter's client.
    type Client;
    /// How many calls [`Adapter::send_concurrently`] makes at once: 64 async
    /// tasks, or 8 threads for a blocking adapter.
    const CONCURRENCY: usize;
    /// A client for `config`.
    fn new(config: Config) -> Self;
    /// The client under test.
    fn client(&self) -> &Self::Client;
    /// Runs `future` to its end: on the adapter's runtime, or in one poll for
    /// a blocking client, whose calls never yield.
    fn block_on<F: Future>(&self, future: F) -> F::Output;
    /// [`Adapter::CONCURRENCY`] simultaneous `Client::send` calls (async tasks on
    /// a multi-thread runtime, or threads), all started before any ends.
    fn send_concurrently<E>(&self, endpoint: E) -> Vec<Result<E::Output, Error>>
    where
        E: Endpoint + Clone + Send + Sync + 'static,
        E::Output: Send + 'static;
}

/// A client's surface, in blocking form: what the tests call.
pub trait Surface {
    /// `Client::send`.
    fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, Error>;
    /// `Client::send_with_token`.
    fn send_with_token<E: Endpoint>(
        &self,
        endpoint: &E,
        token: &Secret,
    ) -> Result<E::Output, Error>;
    /// `Client::tenant_access_token`, the seed function.
    fn tenant_access_token(&self, input_a: &str, input_b: &str)
    -> Result<TenantAccessToken, Error>;
    /// `Client::send_as`.
    fn send_as<E: Endpoint>(&self, endpoint: &E, user: &UserToken) -> Result<E::Output, Error>;
    /// `Client::tenant(tenant_key).send`.
    fn send_in_tenant<E: Endpoint>(
        &self,
        tenant_key: &str,
        endpoint: &E,
    ) -> Result<E::Output, Error>;
    /// `Client::set_app_ticket`.
    fn set_app_ticket(&self, ticket: &str) -> Result<(), Error>;
    /// `Client::user_token`: the OAuth code exchange.
    fn user_token(&self, code: &str) -> Result<UserToken, Error>;
    /// `Client::pages`, collected.
    fn pages<E>(&self, list: Pager<E>) -> Vec<Result<Page<E::Item>, Error>>
    where
        E: Paginated + Send + Sync + 'static,
        E::Item: Send;
    /// `Client::items`, collected.
    fn items<E>(&self, list: Pager<E>) -> Vec<Result<E::Item, Error>>
    where
        E: Paginated + Send + Sync + 'static,
        E::Item: Send;
    /// `Client::execute`: one request, the whole response.
    fn execute(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError>;
}

/// Instantiates every listed test for every adapter: `ureq::<name>` and
/// `reqwest::<name>`.
macro_rules! conformance {
    ($($module:ident :: $test:ident),* $(,)?) => {
        mod ureq {
            $(#[test] fn $test() { crate::$module::$test::<crate::adapters::Ureq>(); })*
        }
        mod reqwest {
            $(#[test] fn $test() { crate::$module::$test::<crate::adapters::Reqwest>(); })*
        }
    };
}

mod cardkit;
mod cards;
mod message_actions;

conformance! {
    tokens::self_built_tenant_token,
    tokens::marketplace_tenant_token,
    tokens::unknown_prefix_is_refused_before_sending,
    tokens::self_built_app_token_carries_both_tokens,
    tokens::app_ticket_resend,
    tokens::same_token_while_far_from_expiry,
    tokens::tenant_token_calls_an_api,
    tokens::an_empty_tenant_token_is_refused,
    errors::wrong_secret_is_an_api_error_with_log_id,
    errors::invalid_token_is_an_api_error,
    errors::html_502_keeps_the_raw_body,
    errors::empty_body_keeps_status,
    errors::rate_limit_reset_is_read,
    errors::timeout_is_a_transport_error,
    errors::redirects_are_not_followed,
    errors::body_over_the_cap_is_refused,
    errors::connection_refused_is_a_connect_error,
    errors::every_status_and_header_comes_back,
    lifecycle::tokens_are_fetched_once_and_cached,
    lifecycle::token_expiry_is_crossed_without_a_failed_call,
    lifecycle::revoked_token_is_healed_transparently,
    lifecycle::a_second_token_failure_is_returned,
    lifecycle::one_token_request_for_concurrent_cold_calls,
    lifecycle::marketplace_tenant_end_to_end,
    lifecycle::marketplace_call_without_tenant_is_refused,
    lifecycle::missing_ticket_asks_for_a_resend,
    lifecycle::rejected_ticket_asks_for_a_resend,
    lifecycle::user_token_end_to_end,
    lifecycle::one_user_refresh_for_concurrent_calls,
    resilience::rate_limit_waits_for_the_reset,
    resilience::server_errors_on_a_get_are_retried,
    resilience::endless_server_errors_exhaust_the_budget,
    resilience::a_send_is_repeated_with_the_same_uuid,
    resilience::a_post_without_uuid_is_not_repeated,
    resilience::a_closed_connection_is_retried_when_safe,
    resilience::a_truncated_body_is_retried_when_safe,
    resilience::a_slow_answer_is_retried_when_safe,
    resilience::never_retry_is_one_line,
    pagination::endless_empty_pages_end_with_an_error,
    pagination::the_page_limit_keeps_every_item_then_says_why,
    slow_phases::the_timeout_bounds_the_whole_request,
    slow_phases::the_deadline_bounds_the_whole_call,
    messages::send_get_reply_update_recall,
    messages::every_message_of_a_long_chat_once_in_order,
    messages::newest_first_and_an_item_cap,
    messages::images_and_files_come_back_byte_identical,
    messages::oversized_text_is_refused_locally,
    messages::a_bad_receive_id_is_refused_locally,
}
