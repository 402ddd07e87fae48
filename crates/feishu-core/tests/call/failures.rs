//! Transport failures and a call driven out of order: each ends the call with
//! an error, never a panic, and frees what the call held.

use feishu_core::http::Method;
use feishu_core::{Error, Misuse, RawEndpoint, Secret, TransportErrorKind, UserToken};
use serde_json::json;

use crate::harness::*;

fn assert_out_of_order<T: std::fmt::Debug>(result: Result<T, Error>) {
    assert!(
        matches!(result, Err(Error::Misuse(Misuse::OutOfOrder))),
        "{result:?}"
    );
}

#[test]
fn transport_error_on_the_api_request_is_returned_with_its_kind() {
    let client = self_built_never_retrying();
    let (result, seen) = drive(
        client.call(&chats()),
        t0(),
        script([
            (tenant_token_request(), tenant_token(TENANT_TOKEN, 7200)),
            (
                chats_with(TENANT_TOKEN),
                transport(TransportErrorKind::Timeout),
            ),
        ]),
    );
    let Err(Error::Transport(error)) = result else {
        panic!("expected a transport error, got {result:?}");
    };
    assert_eq!(error.kind(), TransportErrorKind::Timeout);
    assert_eq!(error.get_ref().to_string(), "scripted transport failure");
    assert_eq!(seen.len(), 2);
}

#[test]
fn transport_error_on_a_request_not_safe_to_repeat_is_returned_at_once() {
    // The default policy retries; a POST without a uuid may have been
    // processed, so a timeout on it is never repeated.
    let client = self_built();
    let endpoint = RawEndpoint::post(
        "/open-apis/im/v1/messages",
        json!({"receive_id": "oc_a0553eda9014c201e6969b478895c230", "msg_type": "text", "content": "{\"text\":\"hi\"}"}),
    )
    .query("receive_id_type", "chat_id");
    let (result, seen) = drive(client.call(&endpoint), t0(), |seen: &Sent| {
        match seen.path.as_str() {
            TENANT_TOKEN_INTERNAL => tenant_token(TENANT_TOKEN, 7200),
            _ => transport(TransportErrorKind::Timeout),
        }
    });
    let Err(Error::Transport(error)) = result else {
        panic!("expected a transport error, got {result:?}");
    };
    assert_eq!(error.kind(), TransportErrorKind::Timeout);
    assert_eq!(count(&seen, "/open-apis/im/v1/messages"), 1);
    assert_eq!(seen[1].method, Method::POST);
}

#[test]
fn transport_error_on_the_token_request_is_returned_with_its_kind() {
    let client = self_built_never_retrying();
    let (result, seen) = drive(
        client.call(&chats()),
        t0(),
        script([(
            tenant_token_request(),
            transport(TransportErrorKind::Connect),
        )]),
    );
    let Err(Error::Transport(error)) = result else {
        panic!("expected a transport error, got {result:?}");
    };
    assert_eq!(error.kind(), TransportErrorKind::Connect);
    assert_eq!(paths(&seen), [TENANT_TOKEN_INTERNAL]);
}

#[test]
fn transport_error_on_the_token_request_releases_the_lease() {
    let client = self_built_never_retrying();
    let (result, _) = drive(
        client.call(&chats()),
        t0(),
        script([(tenant_token_request(), transport(TransportErrorKind::Reset))]),
    );
    assert!(matches!(result, Err(Error::Transport(_))), "{result:?}");

    let endpoint = chats();
    let mut next = client.call(&endpoint);
    assert_eq!(expect_send(next.poll(t0())).path, TENANT_TOKEN_INTERNAL);
}

#[test]
fn transport_error_lets_a_waiting_call_fetch_at_once() {
    let client = self_built_never_retrying();
    let endpoint = chats();
    let mut a = client.call(&endpoint);
    let mut b = client.call(&endpoint);
    let _ = expect_send(a.poll(t0()));
    let _ = expect_wait(b.poll(t0()));

    feed(&mut a, transport(TransportErrorKind::Timeout), t0());
    assert!(matches!(
        expect_done(a.poll(t0())),
        Err(Error::Transport(_))
    ));
    assert_eq!(expect_send(b.poll(t0())).path, TENANT_TOKEN_INTERNAL);
}

#[test]
fn token_request_retried_after_a_transport_error_keeps_its_lease() {
    let client = self_built();
    let endpoint = chats();
    let mut a = client.call(&endpoint);
    let mut b = client.call(&endpoint);
    let _ = expect_send(a.poll(t0()));
    feed(&mut a, transport(TransportErrorKind::Timeout), t0());

    // A backs off and will ask again itself; B keeps waiting meanwhile.
    let retry_at = expect_wait(a.poll(t0()));
    let _ = expect_wait(b.poll(t0()));
    let again = expect_send(a.poll(retry_at));
    assert_eq!(again.path, TENANT_TOKEN_INTERNAL);
    let _ = expect_wait(b.poll(retry_at));

    feed(&mut a, tenant_token(TENANT_TOKEN, 7200), retry_at);
    assert_eq!(expect_send(a.poll(retry_at)).bearer(), Some(TENANT_TOKEN));
    assert_eq!(expect_send(b.poll(retry_at)).bearer(), Some(TENANT_TOKEN));
}

#[test]
fn transport_error_on_a_user_refresh_is_not_repeated_and_releases_the_user() {
    // A refresh token works once: a refresh that may have been processed is
    // never sent again, whatever the retry policy.
    let client = self_built();
    let user = UserToken::from_refresh_token(Secret::new(USER_REFRESH));
    let endpoint = user_info();
    let (result, seen) = drive(client.call(&endpoint).as_user(&user), t0(), |_: &Sent| {
        transport(TransportErrorKind::Timeout)
    });
    let Err(Error::Transport(error)) = result else {
        panic!("expected a transport error, got {result:?}");
    };
    assert_eq!(error.kind(), TransportErrorKind::Timeout);
    assert_eq!(paths(&seen), [OAUTH_TOKEN]);

    let mut next = client.call(&endpoint).as_user(&user);
    assert_eq!(expect_send(next.poll(t0())).path, OAUTH_TOKEN);
}

#[test]
fn response_with_nothing_out_is_out_of_order() {
    let client = self_built();
    let endpoint = chats();
    let mut call = client.call(&endpoint);
    feed(&mut call, data(chat_list()), t0());
    assert_out_of_order(expect_done(call.poll(t0())));
}

#[test]
fn poll_while_a_request_is_out_is_out_of_order() {
    let client = self_built();
    let endpoint = chats();
    let mut call = client.call(&endpoint);
    let _ = expect_send(call.poll(t0()));
    assert_out_of_order(expect_done(call.poll(t0())));
}

#[test]
fn call_ended_out_of_order_releases_its_lease() {
    let client = self_built();
    let endpoint = chats();
    let mut call = client.call(&endpoint);
    let _ = expect_send(call.poll(t0()));
    assert_out_of_order(expect_done(call.poll(t0())));

    let mut next = client.call(&endpoint);
    assert_eq!(expect_send(next.poll(t0())).path, TENANT_TOKEN_INTERNAL);
    drop(call);
}

#[test]
fn poll_after_done_is_out_of_order_every_time() {
    let client = self_built();
    let endpoint = chats();
    let mut call = client
        .call(&endpoint)
        .with_token(Secret::new("t-given-by-the-caller"));
    let _ = expect_send(call.poll(t0()));
    feed(&mut call, data(chat_list()), t0());
    expect_done(call.poll(t0())).expect("the chats");

    assert_out_of_order(expect_done(call.poll(t0())));
    assert_out_of_order(expect_done(call.poll(t0())));
}

#[test]
fn response_after_done_is_out_of_order() {
    let client = self_built();
    let endpoint = chats();
    let mut call = client
        .call(&endpoint)
        .with_token(Secret::new("t-given-by-the-caller"));
    let _ = expect_send(call.poll(t0()));
    feed(&mut call, data(chat_list()), t0());
    expect_done(call.poll(t0())).expect("the chats");

    feed(&mut call, data(chat_list()), t0());
    assert_out_of_order(expect_done(call.poll(t0())));
}

#[test]
fn transport_error_with_nothing_out_is_out_of_order() {
    // Fed to a fresh call, or to a spent one, which it must not revive.
    let client = self_built();
    let endpoint = chats();

    let mut fresh = client.call(&endpoint);
    feed(&mut fresh, transport(TransportErrorKind::Timeout), t0());
    assert_out_of_order(expect_done(fresh.poll(t0())));

    let mut spent = client
        .call(&endpoint)
        .with_token(Secret::new("t-given-by-the-caller"));
    let _ = expect_send(spent.poll(t0()));
    feed(&mut spent, data(chat_list()), t0());
    expect_done(spent.poll(t0())).expect("the chats");
    feed(&mut spent, transport(TransportErrorKind::Timeout), t0());
    assert_out_of_order(expect_done(spent.poll(t0())));
}
