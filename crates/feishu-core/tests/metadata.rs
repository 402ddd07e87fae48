//! Every typed endpoint's facts, as data: id, method, path template, the
//! tokens the API accepts (as the official SDK lark-oapi 1.7.5 lists them in
//! each request's `token_types`), body, shape, paging and dedup. A call made
//! with a token kind the API does not accept is refused before anything is
//! sent.

use std::time::{Duration, SystemTime};

use feishu_core::auth::{
    AppAccessTokenRequest, AppTicketResend, TenantAccessTokenRequest, UserAccessTokenRequest,
};
use feishu_core::im::content::{Card, MessageContent};
use feishu_core::im::file::{DownloadFile, UploadFile};
use feishu_core::im::image::{DownloadImage, UploadImage};
use feishu_core::im::message::{
    ForwardMessage, GetMessage, ListMessages, MergeForward, MessageResource, PatchMessage,
    PushFollowUp, ReadUsers, RecallMessage, ReplyMessage, SendMessage, UpdateMessage,
};
use feishu_core::{
    App, BodyKind, Client, Config, Endpoint, Error, InvalidRequest, Metadata, Shape, Step,
    TokenKind, UserToken,
};

use TokenKind::{Tenant, User};

/// One row of the table: the facts an endpoint type declares.
fn row<E: Endpoint>() -> Metadata {
    E::METADATA
}

#[track_caller]
fn assert_facts(
    facts: Metadata,
    id: &str,
    method: &str,
    path: &str,
    tokens: &[TokenKind],
    body: BodyKind,
    shape: Shape,
) {
    assert_eq!(facts.id, id);
    assert_eq!(facts.method.as_str(), method, "{id}");
    assert_eq!(facts.path, path, "{id}");
    assert_eq!(facts.tokens, tokens, "{id}");
    assert_eq!(facts.body, body, "{id}");
    assert_eq!(facts.shape, shape, "{id}");
    assert!(
        facts.doc.starts_with("https://open."),
        "{id}: {}",
        facts.doc
    );
}

#[test]
fn the_im_message_api_as_data() {
    use BodyKind::{Json, None};
    use Shape::{Binary, Data};
    let messages = "/open-apis/im/v1/messages";
    let one = "/open-apis/im/v1/messages/:message_id";
    let table = [
        (
            row::<SendMessage>(),
            "im.v1.message.create",
            "POST",
            messages.to_owned(),
            &[Tenant, User][..],
            Json,
            Data,
        ),
        (
            row::<ReplyMessage>(),
            "im.v1.message.reply",
            "POST",
            format!("{one}/reply"),
            &[Tenant, User],
            Json,
            Data,
        ),
        (
            row::<UpdateMessage>(),
            "im.v1.message.update",
            "PUT",
            one.to_owned(),
            &[Tenant],
            Json,
            Data,
        ),
        (
            row::<PatchMessage>(),
            "im.v1.message.patch",
            "PATCH",
            one.to_owned(),
            &[Tenant, User],
            Json,
            Data,
        ),
        (
            row::<RecallMessage>(),
            "im.v1.message.delete",
            "DELETE",
            one.to_owned(),
            &[Tenant, User],
            None,
            Data,
        ),
        (
            row::<GetMessage>(),
            "im.v1.message.get",
            "GET",
            one.to_owned(),
            &[Tenant, User],
            None,
            Data,
        ),
        (
            row::<ListMessages>(),
            "im.v1.message.list",
            "GET",
            messages.to_owned(),
            &[Tenant, User],
            None,
            Data,
        ),
        (
            row::<ForwardMessage>(),
            "im.v1.message.forward",
            "POST",
            format!("{one}/forward"),
            &[Tenant, User],
            Json,
            Data,
        ),
        (
            row::<MergeForward>(),
            "im.v1.message.merge_forward",
            "POST",
            format!("{messages}/merge_forward"),
            &[Tenant],
            Json,
            Data,
        ),
        (
            row::<ReadUsers>(),
            "im.v1.message.read_users",
            "GET",
            format!("{one}/read_users"),
            &[Tenant, User],
            None,
            Data,
        ),
        (
            row::<PushFollowUp>(),
            "im.v1.message.push_follow_up",
            "POST",
            format!("{one}/push_follow_up"),
            &[Tenant],
            Json,
            Data,
        ),
        (
            row::<MessageResource>(),
            "im.v1.message_resource.get",
            "GET",
            format!("{one}/resources/:file_key"),
            &[Tenant, User],
            None,
            Binary,
        ),
        (
            row::<UploadImage>(),
            "im.v1.image.create",
            "POST",
            "/open-apis/im/v1/images".to_owned(),
            &[Tenant, User],
            BodyKind::Multipart,
            Data,
        ),
        (
            row::<DownloadImage>(),
            "im.v1.image.get",
            "GET",
            "/open-apis/im/v1/images/:image_key".to_owned(),
            &[Tenant],
            None,
            Binary,
        ),
        (
            row::<UploadFile>(),
            "im.v1.file.create",
            "POST",
            "/open-apis/im/v1/files".to_owned(),
            &[Tenant, User],
            BodyKind::Multipart,
            Data,
        ),
        (
            row::<DownloadFile>(),
            "im.v1.file.get",
            "GET",
            "/open-apis/im/v1/files/:file_key".to_owned(),
            &[Tenant],
            None,
            Binary,
        ),
    ];
    for (facts, id, method, path, tokens, body, shape) in table {
        assert_facts(facts, id, method, &path, tokens, body, shape);
    }
}

#[test]
fn lists_and_dedup_keys_are_facts_too() {
    let paginated: Vec<&str> = [
        row::<ListMessages>(),
        row::<ReadUsers>(),
        row::<SendMessage>(),
    ]
    .iter()
    .filter(|facts| facts.paginated)
    .map(|facts| facts.id)
    .collect();
    assert_eq!(
        paginated,
        ["im.v1.message.list", "im.v1.message.read_users"]
    );

    let dedup: Vec<&str> = [
        row::<SendMessage>(),
        row::<ReplyMessage>(),
        row::<ForwardMessage>(),
        row::<MergeForward>(),
        row::<UpdateMessage>(),
        row::<PushFollowUp>(),
    ]
    .iter()
    .filter(|facts| facts.dedup)
    .map(|facts| facts.id)
    .collect();
    assert_eq!(
        dedup,
        [
            "im.v1.message.create",
            "im.v1.message.reply",
            "im.v1.message.forward",
            "im.v1.message.merge_forward"
        ]
    );
}

#[test]
fn one_type_for_two_token_apis_tells_them_apart_by_value() {
    let self_built = TenantAccessTokenRequest::self_built("cli_a", "secret");
    let marketplace = TenantAccessTokenRequest::marketplace("a-token", "tenant");
    assert_eq!(
        self_built.metadata().id,
        "auth.v3.tenant_access_token.internal"
    );
    assert_eq!(
        marketplace.metadata().id,
        "auth.v3.tenant_access_token.create"
    );
    assert_eq!(
        marketplace.metadata().path,
        "/open-apis/auth/v3/tenant_access_token"
    );

    let app = AppAccessTokenRequest::marketplace("cli_a", "secret", "ticket");
    assert_eq!(app.metadata().path, "/open-apis/auth/v3/app_access_token");
    for facts in [
        self_built.metadata(),
        app.metadata(),
        row::<AppTicketResend>(),
        row::<UserAccessTokenRequest>(),
    ] {
        assert!(
            facts.tokens.is_empty(),
            "{}: a token endpoint takes none",
            facts.id
        );
        assert_eq!(facts.shape, Shape::Token, "{}", facts.id);
    }
}

fn user() -> UserToken {
    let token = serde_json::from_value(serde_json::json!({
        "access_token": "eyJhbGciOiJFUzI1NiIs.user",
        "expires_in": 7200,
        "refresh_token": "eyJhbGciOiJFUzI1NiIs.refresh",
        "refresh_token_expires_in": 604800,
        "scope": "",
        "token_type": "Bearer",
    }))
    .expect("a user token");
    UserToken::new(token, SystemTime::UNIX_EPOCH)
}

#[test]
fn a_user_token_for_a_bot_only_api_is_refused_before_sending() {
    let config = Config::feishu().with_app(App::self_built("cli_a", "secret"));
    let client = Client::new(config, 7);
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(60);

    let update = UpdateMessage::new("om_1", MessageContent::text("edited"));
    let mut call = client.call(&update).as_user(&user());
    match call.poll(now) {
        Step::Done(Err(Error::InvalidRequest(InvalidRequest::TokenNotAccepted(
            TokenKind::User,
        )))) => {}
        other => panic!("expected a refusal before sending, got {other:?}"),
    }

    // The same user may patch a card: that API takes user tokens.
    let patch = PatchMessage::new("om_1", Card::raw(serde_json::json!({"elements": []})));
    let mut call = client.call(&patch).as_user(&user());
    let Step::Send(request) = call.poll(now) else {
        panic!("a patch goes out with the user's token");
    };
    assert_eq!(
        request.headers()["authorization"],
        "Bearer eyJhbGciOiJFUzI1NiIs.user"
    );
}

#[test]
fn user_tokens_come_from_oauth_v3_on_the_accounts_host() {
    let app = App::self_built("cli_a", "secret");
    let exchange = UserAccessTokenRequest::authorization_code(&app, "code", None);
    assert_eq!(exchange.metadata().host, feishu_core::Host::Accounts);
    for (config, uri) in [
        (
            Config::feishu(),
            "https://accounts.feishu.cn/oauth/v3/token",
        ),
        (
            Config::lark(),
            "https://accounts.larksuite.com/oauth/v3/token",
        ),
        (
            Config::new("http://127.0.0.1:9000").expect("a valid URL"),
            "http://127.0.0.1:9000/oauth/v3/token",
        ),
    ] {
        let request = feishu_core::build(&config, &exchange, None).expect("a request");
        assert_eq!(request.uri(), uri);
    }
    // Everything else goes to the Open API host.
    let chats = feishu_core::build(
        &Config::feishu(),
        &GetMessage::new("om_1"),
        Some(&feishu_core::Secret::new("t-1")),
    )
    .expect("a request");
    assert_eq!(
        chats.uri(),
        "https://open.feishu.cn/open-apis/im/v1/messages/om_1"
    );
}
