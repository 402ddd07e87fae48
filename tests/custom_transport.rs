//! A transport of your own: the core's drivers over a raw `std::net::TcpStream`
//! and std's clock, against feishu-mock. This is the README's "Your own
//! transport" code, run.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::SystemTime;

use feishu_core::driver::{AsyncClient, BlockingClient};
use feishu_core::{App, Client, Config, RawEndpoint, Timeout, TransportError};
use feishu_mock::{MockServer, SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET};

/// One request over a fresh connection: plain HTTP/1.1, `Connection: close`.
fn tcp(request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, TransportError> {
    let host = request.uri().authority().map_or("", |a| a.as_str());
    let mut stream = TcpStream::connect(host)?;
    stream.set_read_timeout(request.extensions().get::<Timeout>().map(|t| t.0))?;
    let target = request.uri().path_and_query().map_or("/", |p| p.as_str());
    let (method, length) = (request.method(), request.body().len());
    let mut head = format!("{method} {target} HTTP/1.1\r\nhost: {host}\r\nconnection: close\r\n");
    head += &format!("content-length: {length}\r\n");
    for (name, value) in request.headers() {
        head += &format!("{name}: {}\r\n", value.to_str().map_err(io::Error::other)?);
    }
    stream.write_all(&[head.as_bytes(), b"\r\n", request.body()].concat())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n");
    let end = end.ok_or(io::Error::from(io::ErrorKind::UnexpectedEof))?;
    let head = String::from_utf8_lossy(&raw[..end]);
    let mut lines = head.lines();
    let status = lines.next().and_then(|line| line.split(' ').nth(1));
    let mut response = http::Response::builder().status(status.unwrap_or(""));
    for (name, value) in lines.filter_map(|line| line.split_once(':')) {
        response = response.header(name, value.trim());
    }
    Ok(response
        .body(raw[end + 4..].to_vec())
        .map_err(io::Error::other)?)
}

fn core(mock: &MockServer) -> Client {
    let config = Config::new(mock.url()).expect("the mock's URL is valid");
    let app = App::self_built(SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET);
    Client::new(config.with_app(app), 0x5eed)
}

#[test]
fn a_raw_tcp_transport_drives_the_blocking_client() {
    let mock = MockServer::start();
    let client = BlockingClient::new(core(&mock), tcp, (SystemTime::now, std::thread::sleep));

    let token = client
        .tenant_access_token(SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET)
        .expect("a tenant token");
    assert!(token.tenant_access_token.expose().starts_with("t-"));

    let chats = client
        .send(&RawEndpoint::get("/open-apis/im/v1/chats"))
        .expect("the chat list, with a tenant token fetched on the way");
    assert!(
        chats["items"]
            .as_array()
            .is_some_and(|items| !items.is_empty())
    );
    assert_eq!(
        mock.hits("/open-apis/auth/v3/tenant_access_token/internal"),
        2
    );
    assert_eq!(mock.hits("/open-apis/im/v1/chats"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_async_closure_is_a_transport() {
    let mock = MockServer::start();
    let transport = |request| async {
        tokio::task::spawn_blocking(|| tcp(request))
            .await
            .expect("no panic")
    };
    let client = AsyncClient::new(
        core(&mock),
        transport,
        (SystemTime::now, tokio::time::sleep),
    );

    let chats = tokio::spawn(async move {
        client
            .send(&RawEndpoint::get("/open-apis/im/v1/chats"))
            .await
    });
    let chats = chats.await.expect("no panic").expect("the chat list");
    assert!(chats["items"].is_array());
    assert_eq!(mock.hits("/open-apis/im/v1/chats"), 1);
}
