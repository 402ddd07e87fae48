//! Driving a call: [`drive`] runs one to its end against a server; [`Run`]
//! steps one by hand; the single-flight tests step several calls with
//! [`expect_send`], [`expect_wait`], [`expect_done`] and
//! [`feed`](super::feed).

use std::fmt::Debug;
use std::time::{Duration, SystemTime};

use feishu_core::{Call, Client, Endpoint, Error, Failure, Secret, Step, TransportErrorKind};
use serde_json::Value;

use super::{
    Answer, Sent, Server, TENANT_TOKEN, TENANT_TOKEN_INTERNAL, client, paths, policy, t0,
    tenant_token,
};

/// The most requests (or waits) a call may make before [`drive`] calls it a
/// livelock.
const MAX_STEPS: usize = 16;

/// One call, stepped by hand on the simulated clock.
pub struct Run<'c, E: Endpoint> {
    pub call: Call<'c, E>,
    pub now: SystemTime,
    /// Every request the call sent, in order.
    pub sent: Vec<Sent>,
    /// Every wait `wait` (or `answer_until_done`) went through, in order.
    pub waits: Vec<Duration>,
}

impl<'c, E: Endpoint> Run<'c, E>
where
    E::Output: Debug,
{
    /// Starts at `t0`.
    pub fn new(call: Call<'c, E>) -> Self {
        Self::at(call, t0())
    }

    pub fn at(call: Call<'c, E>, now: SystemTime) -> Self {
        Self {
            call,
            now,
            sent: Vec::new(),
            waits: Vec::new(),
        }
    }

    /// Polls once, as is; a request sent is recorded in `sent`.
    pub fn poll(&mut self) -> Step<E::Output> {
        let step = self.call.poll(self.now);
        if let Step::Send(request) = &step {
            self.sent.push(Sent::new(request, format!("{step:?}")));
        }
        step
    }

    /// Polls once: the call must send now.
    #[track_caller]
    pub fn send(&mut self) -> Sent {
        match self.poll() {
            Step::Send(_) => self.sent.last().cloned().expect("just sent"),
            other => panic!("expected a Send at {:?}, got {other:?}", self.since_t0()),
        }
    }

    /// Polls once: the call must wait. Moves the clock to the end of the wait
    /// and returns its length.
    #[track_caller]
    pub fn wait(&mut self) -> Duration {
        match self.poll() {
            Step::Wait(until) => self.wait_until(until),
            other => panic!("expected a Wait at {:?}, got {other:?}", self.since_t0()),
        }
    }

    #[track_caller]
    fn wait_until(&mut self, until: SystemTime) -> Duration {
        let wait = until
            .duration_since(self.now)
            .expect("a Wait ends no earlier than now");
        self.now = until;
        self.waits.push(wait);
        wait
    }

    /// Polls once: the call must be over.
    #[track_caller]
    pub fn done(&mut self) -> Result<E::Output, Error> {
        match self.poll() {
            Step::Done(result) => result,
            other => panic!("expected Done at {:?}, got {other:?}", self.since_t0()),
        }
    }

    /// Feeds the answer to the request out.
    pub fn answer(&mut self, answer: &Answer) {
        answer.deliver(&mut self.call, self.now);
    }

    pub fn advance(&mut self, by: Duration) {
        self.now += by;
    }

    pub fn since_t0(&self) -> Duration {
        self.now.duration_since(t0()).unwrap_or_default()
    }

    /// The first request must be the tenant-token request: answer it with
    /// `token`.
    #[track_caller]
    pub fn token(&mut self, token: &str) {
        let request = self.send();
        assert_eq!(request.path, TENANT_TOKEN_INTERNAL);
        self.answer(&tenant_token(token, 7200));
    }

    /// Answers the request out, then reports what the call does: `Ok(wait)`
    /// when it sends the very same request again after `wait` (zero when it
    /// sends at once), or `Err(error)` when it ends with an error.
    #[track_caller]
    pub fn retry_or_error(&mut self, answer: &Answer) -> Result<Duration, Error> {
        let previous = self.sent.last().cloned().expect("a request is out");
        self.answer(answer);
        let wait = match self.poll() {
            Step::Wait(until) => self.wait_until(until),
            Step::Send(_) => {
                self.waits.push(Duration::ZERO);
                let again = self.sent.last().expect("just sent");
                assert!(again.same_request(&previous), "{again:?} != {previous:?}");
                return Ok(Duration::ZERO);
            }
            Step::Store(op) => panic!("no shared store here, yet asked for {op:?}"),
            Step::Done(Err(error)) => return Err(error),
            Step::Done(Ok(output)) => panic!("{answer:?} ended the call with success: {output:?}"),
        };
        let again = self.send();
        assert!(
            again.same_request(&previous),
            "the retry differs: {again:?} != {previous:?}"
        );
        Ok(wait)
    }

    /// Answers every request with `answer` until the call gives up; returns
    /// its error. Every retry must be the same request.
    #[track_caller]
    pub fn answer_until_done(&mut self, answer: &Answer) -> Error {
        for _ in 0..1000 {
            if let Err(error) = self.retry_or_error(answer) {
                return error;
            }
        }
        panic!("the call never gave up");
    }
}

/// Drives `call` to its end against `server`, starting at `now`: every `Send`
/// goes to the server and its answer back to the call; a `Wait` moves the
/// simulated clock to its time. More than [`MAX_STEPS`] sends or waits fail
/// the test as a livelock. Returns the result and every request sent.
pub fn drive<E: Endpoint>(
    call: Call<'_, E>,
    now: SystemTime,
    mut server: impl Server,
) -> (Result<E::Output, Error>, Vec<Sent>)
where
    E::Output: Debug,
{
    let mut run = Run::at(call, now);
    let mut waits = 0;
    loop {
        match run.poll() {
            Step::Send(_) => {
                assert!(
                    run.sent.len() <= MAX_STEPS,
                    "livelock: more than {MAX_STEPS} requests: {:?}",
                    paths(&run.sent[..MAX_STEPS])
                );
                let request = run.sent.last().expect("just sent");
                let answer = server.answer(request);
                run.answer(&answer);
            }
            Step::Wait(until) => {
                waits += 1;
                assert!(
                    waits <= MAX_STEPS,
                    "livelock: more than {MAX_STEPS} waits: {:?}",
                    paths(&run.sent)
                );
                assert!(
                    until >= run.now,
                    "a wait into the past: {until:?} < {:?}",
                    run.now
                );
                run.now = until;
            }
            Step::Store(op) => panic!("no shared store here, yet asked for {op:?}"),
            Step::Done(result) => return (result, run.sent),
        }
    }
}

/// The request of a `Step::Send`.
pub fn expect_send<T: Debug>(step: Step<T>) -> Sent {
    let debug = format!("{step:?}");
    match step {
        Step::Send(request) => Sent::new(&request, debug),
        other => panic!("expected Send, got {other:?}"),
    }
}

/// The time of a `Step::Wait`.
pub fn expect_wait<T: Debug>(step: Step<T>) -> SystemTime {
    match step {
        Step::Wait(until) => until,
        other => panic!("expected Wait, got {other:?}"),
    }
}

/// The result of a `Step::Done`.
pub fn expect_done<T: Debug>(step: Step<T>) -> Result<T, Error> {
    match step {
        Step::Done(result) => result,
        other => panic!("expected Done, got {other:?}"),
    }
}

/// The Feishu code of an `Error::Api` result.
pub fn api_code<T: Debug>(result: &Result<T, Error>) -> i64 {
    match result {
        Err(Error::Api(error)) => error.code,
        other => panic!("expected an API error, got {other:?}"),
    }
}

/// A call of `endpoint` with a given token (so no token request) and seed 42:
/// its first request is answered with `answer`. Returns the wait before the
/// identical retry, or the error the call ended with at once.
#[track_caller]
pub fn first_answer<E: Endpoint>(
    client: &Client,
    endpoint: &E,
    answer: &Answer,
) -> Result<Duration, Error>
where
    E::Output: Debug,
{
    first_answer_seeded(client, endpoint, 42, answer)
}

#[track_caller]
pub fn first_answer_seeded<E: Endpoint>(
    client: &Client,
    endpoint: &E,
    seed: u64,
    answer: &Answer,
) -> Result<Duration, Error>
where
    E::Output: Debug,
{
    let call = client
        .call(endpoint)
        .with_token(Secret::new(TENANT_TOKEN))
        .seed(seed);
    let mut run = Run::new(call);
    run.send();
    run.retry_or_error(answer)
}

/// How the policy classified `answer` on `endpoint`: the first failure of a
/// call (two attempts at most) answered with it twice.
#[track_caller]
pub fn failure_of<E: Endpoint>(endpoint: &E, answer: &Answer) -> Failure
where
    E::Output: Debug,
{
    let client = client(policy(|p| p.max_attempts = 2));
    let call = client
        .call(endpoint)
        .with_token(Secret::new(TENANT_TOKEN))
        .seed(42);
    let mut run = Run::new(call);
    run.send();
    match run.answer_until_done(answer) {
        Error::Exhausted(exhausted) => {
            assert_eq!(exhausted.failures.len(), 2, "{exhausted}");
            exhausted.failures[0].clone()
        }
        other => panic!("{answer:?} was not retried: {other:?}"),
    }
}

/// The HTTP status an error carries, if any.
pub fn status_of(error: &Error) -> Option<u16> {
    match error {
        Error::Api(error) => Some(error.status.as_u16()),
        Error::UnexpectedResponse(error) => Some(error.status.as_u16()),
        Error::Exhausted(exhausted) => status_of(&exhausted.last),
        _ => None,
    }
}

/// The transport error kind an error carries, if any.
pub fn kind_of(error: &Error) -> Option<TransportErrorKind> {
    match error {
        Error::Transport(error) => Some(error.kind()),
        Error::Exhausted(exhausted) => kind_of(&exhausted.last),
        _ => None,
    }
}

/// Asserts `error` is what `answer` stands for, as the call's raw error (not
/// wrapped in `Exhausted`): same status and code, or same transport kind.
#[track_caller]
pub fn assert_raw_error(error: &Error, answer: &Answer) {
    assert!(
        !matches!(error, Error::Exhausted(_)),
        "expected the raw error, got {error}"
    );
    match answer {
        Answer::Http { status, body, .. } => {
            assert_eq!(status_of(error), Some(*status), "{error:?}");
            let code = serde_json::from_slice::<Value>(body)
                .ok()
                .and_then(|body| body.get("code")?.as_i64());
            assert_eq!(error.code(), code, "{error:?}");
        }
        Answer::Fail(kind) => assert_eq!(kind_of(error), Some(*kind), "{error:?}"),
    }
}
