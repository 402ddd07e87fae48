//! Refused bootstraps and upgrades: the fatal ones stop `run` with a typed
//! error, the others are tried again.

use feishu_core::long_connection::{
    AUTH_TOO_MANY_CONNECTIONS, AttemptError, CODE_BUSY, CODE_INTERNAL_ERROR, SessionError,
};
use feishu_core::{App, Config};
use feishu_mock::Fault;
use feishu_mock::long_connection::{ClientConfig, ENDPOINT_PATH, WS_PATH};
use serde_json::json;

use crate::{
    Adapter, Handlers, all_acked, config, connected, message, mock, options, settings, start,
    wait_for,
};

pub fn fatal_upgrade_refusals_stop<A: Adapter>() {
    for (status, auth_code) in [(403, None), (514, Some(AUTH_TOO_MANY_CONNECTIONS))] {
        let mock = mock();
        mock.refuse_upgrades(status, auth_code, 1);
        let (running, _) = start::<A>(&mock);
        match running.join() {
            Err(SessionError::Refused(AttemptError::Handshake {
                status: got,
                auth_code: code,
                ..
            })) => {
                assert_eq!((got, code), (i64::from(status), auth_code));
            }
            other => panic!("{status}: {other:?}"),
        }
        assert_eq!(mock.hits(WS_PATH), 1, "not retried");
    }
}

pub fn other_upgrade_refusals_are_retried<A: Adapter>() {
    let mock = mock();
    // 514 without the too-many-connections code, then a 500.
    mock.refuse_upgrades(514, None, 1);
    mock.refuse_upgrades(500, None, 1);
    let (running, _) = start::<A>(&mock);
    connected(&mock);
    mock.push_event(message("ev_after_refusals", "hi"));
    all_acked(&mock);
    assert_eq!(mock.hits(WS_PATH), 3);
    assert_eq!(mock.hits(ENDPOINT_PATH), 3, "a fresh URL for every attempt");
    assert!((running.stats)().failed_attempts >= 2);
    running.stop().expect("a clean shutdown");
}

pub fn fatal_bootstrap_codes_stop<A: Adapter>() {
    let mock = mock();
    let wrong = Config::new(mock.url())
        .expect("the mock's URL")
        .with_app(App::self_built(
            feishu_mock::SELF_BUILT_APP_ID,
            "not-the-secret",
        ));
    let running = A::start(wrong, Default::default(), options(), 64);
    match running.join() {
        Err(SessionError::Refused(AttemptError::Code { code, .. })) => {
            assert_eq!(code, feishu_mock::long_connection::CODE_BAD_CREDENTIALS);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(mock.hits(ENDPOINT_PATH), 1);
    assert_eq!(mock.hits(WS_PATH), 0);
}

pub fn retryable_bootstrap_answers_are_retried<A: Adapter>() {
    let mock = mock();
    let (running, _) = start::<A>(&mock);
    // Connected once, so the gateway's settings (1 s between attempts) hold.
    connected(&mock);
    for code in [CODE_BUSY, CODE_INTERNAL_ERROR] {
        mock.inject(
            ENDPOINT_PATH,
            Fault::json(200, json!({"code": code, "msg": "try again"})),
        );
    }
    mock.inject(ENDPOINT_PATH, Fault::status(503));
    mock.inject(
        ENDPOINT_PATH,
        Fault::status(200).body("text/html", "<html>gateway</html>"),
    );
    mock.drop_ws_connections();
    wait_for("the next connection", || mock.ws_connects() == 2);
    assert_eq!(mock.hits(ENDPOINT_PATH), 6);
    assert_eq!((running.stats)().failed_attempts, 4);
    running.stop().expect("a clean shutdown");
}

pub fn the_reconnect_budget_ends_in_a_typed_error<A: Adapter>() {
    let mock = mock();
    let budget = ClientConfig {
        reconnect_count: 2,
        reconnect_interval: 1,
        reconnect_nonce: 0,
        ping_interval: 60,
    };
    mock.set_long_connection(settings().client_config(budget));
    mock.refuse_upgrades(500, None, 10);
    let running = A::start(
        config(&mock),
        std::sync::Arc::new(Handlers::default()),
        options(),
        64,
    );
    match running.join() {
        Err(SessionError::GaveUp {
            attempts,
            last: AttemptError::Handshake { status: 500, .. },
        }) => {
            assert_eq!(attempts, 2);
        }
        other => panic!("{other:?}"),
    }
    // The first attempt, then the two of the budget.
    assert_eq!(mock.hits(WS_PATH), 3);
}
