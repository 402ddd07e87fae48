//! The CardKit endpoints: the requests they build against the request
//! samples of Feishu's pages (`tests/fixtures/card/` and `card_bodies/`), their facts against
//! the official SDK's, the values refused before a request exists, and how
//! their answers are read.

use feishu_core::card::{
    Button, ButtonSize, CardError, CardLink, CardV2, Config, ElementId, Header, Icon, Markdown,
    WidthMode,
};
use feishu_core::cardkit::card::{
    BatchAction, BatchUpdateCard, CardSettings, CreateCard, IdConvertCard, UpdateCard,
    UpdateCardSettings,
};
use feishu_core::cardkit::card_element::{
    CreateCardElement, DeleteCardElement, PatchCardElement, Position, StreamElementContent,
    UpdateCardElement,
};
use feishu_core::cardkit::{CardId, DelayUpdateCard, Sequence, Uuid, codes};
use feishu_core::http::Request;
use feishu_core::{
    App, Client, Config as FeishuConfig, Endpoint, Error, InvalidRequest, ParseError, Secret, Step,
    TokenKind,
};
use serde_json::{Map, Value, json};

/// Request bodies sit in `fixtures/card_bodies/`, responses in
/// `fixtures/card/` (where the no-panic sweep reads every HTTP response).
macro_rules! fixtures {
    ($($area:literal / $name:literal),* $(,)?) => {
        const FIXTURES: &[(&str, &str)] = &[
            $(($name, include_str!(concat!("fixtures/", $area, "/", $name, ".json")))),*
        ];
    };
}

// `doc_*` files are samples of the CardKit pages (open.feishu.cn/document/
// cardkit-v1/…), `written_*` ones were written from a page's field or error
// table where it shows no sample. Responses are in the `{status, headers,
// body}` form of tests/support/fixture.rs; their headers are ours.
fixtures![
    // card/create: the request body example.
    "card_bodies" / "doc_create_request",
    // card/settings: the request body example.
    "card_bodies" / "doc_settings_request",
    // feishu-cards/streaming-updates-openapi-overview, step 4: the close.
    "card_bodies" / "doc_settings_close_request",
    // card/update: the request body example.
    "card_bodies" / "doc_update_request",
    // card/batch_update: the request body example.
    "card_bodies" / "doc_batch_update_request",
    // card-element/create: the request body example.
    "card_bodies" / "doc_element_create_request",
    // card-element/content: the request body example.
    "card_bodies" / "doc_content_request",
    // card-element/delete: from the field table.
    "card_bodies" / "written_delete_request",
    // card/id_convert: from the field table.
    "card_bodies" / "written_id_convert_request",
    // card/create: the response body example.
    "card" / "doc_create_ok",
    // card-element/content: the response body example.
    "card" / "doc_update_ok",
    // Every CardKit update page's error table: 300317.
    "card" / "written_sequence_300317",
    // card-element/content's error table: 300309.
    "card" / "written_streaming_closed_300309",
    // card-element/content's error table: 200850.
    "card" / "written_streaming_timeout_200850",
    // card/id_convert: from the response fields.
    "card" / "written_id_convert_ok",
];

fn fixture(name: &str) -> Value {
    let text = FIXTURES
        .iter()
        .find(|(known, _)| *known == name)
        .unwrap_or_else(|| panic!("no fixture {name:?}"))
        .1;
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A response fixture (`{status, headers, body}`).
fn response(name: &str) -> http::Response<Vec<u8>> {
    let file = fixture(name);
    let mut builder = http::Response::builder().status(file["status"].as_u64().unwrap_or(0) as u16);
    for (header, value) in file["headers"].as_object().into_iter().flatten() {
        builder = builder.header(header.as_str(), value.as_str().unwrap_or_default());
    }
    let body = file["body"]
        .as_str()
        .unwrap_or_default()
        .as_bytes()
        .to_vec();
    builder.body(body).unwrap_or_else(|e| panic!("{name}: {e}"))
}

const CARD_ID: &str = "7355372766134157313";
const UUID: &str = "a0d69e20-1dd1-458b-k525-dfeca4015204";

fn card_id(id: &str) -> CardId {
    CardId::new(id).unwrap_or_else(|e| panic!("{e}"))
}

fn element_id(id: &str) -> ElementId {
    ElementId::new(id).unwrap_or_else(|e| panic!("{e}"))
}

fn sequence(n: i64) -> Sequence {
    Sequence::new(n).unwrap_or_else(|e| panic!("{e}"))
}

fn uuid() -> Uuid {
    Uuid::new(UUID).unwrap_or_else(|e| panic!("{e}"))
}

fn ok<T>(result: Result<T, CardError>) -> T {
    result.unwrap_or_else(|e| panic!("refused: {e}"))
}

fn build<E: Endpoint>(endpoint: &E) -> Request<Vec<u8>> {
    feishu_core::build(&FeishuConfig::feishu(), endpoint, Some(&Secret::new("t-x")))
        .unwrap_or_else(|e| panic!("expected a request, got {e:?}"))
}

/// The body as JSON, with the fields that carry JSON as a string parsed,
/// so a sample compares by value whatever its key order.
fn body(json: Value, nested: &[&str]) -> Value {
    let mut json = json;
    for field in nested {
        let pointer = format!("/{}", field.replace('.', "/"));
        if let Some(slot) = json.pointer_mut(&pointer) {
            let parsed: Value = serde_json::from_str(slot.as_str().unwrap_or("null"))
                .unwrap_or_else(|e| panic!("{field} is not JSON: {e}"));
            *slot = parsed;
        }
    }
    json
}

fn request_body(request: &Request<Vec<u8>>, nested: &[&str]) -> Value {
    body(
        serde_json::from_slice(request.body()).unwrap_or_else(|e| panic!("{e}")),
        nested,
    )
}

/// Method, URI, the tenant token, the JSON content type.
fn assert_head(request: &Request<Vec<u8>>, method: &str, path: &str) {
    assert_eq!(request.method().as_str(), method, "{path}");
    assert_eq!(
        request.uri().to_string(),
        format!("https://open.feishu.cn{path}")
    );
    let authorization = request.headers().get("authorization");
    assert_eq!(
        authorization.and_then(|v| v.to_str().ok()),
        Some("Bearer t-x")
    );
    assert!(authorization.is_some_and(|v| v.is_sensitive()));
    assert_eq!(
        request
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json; charset=utf-8")
    );
}

#[test]
fn create_card_matches_the_documented_request() {
    let card = ok(CardV2::new()
        .header(Header::new("Card title"))
        .config(Config::new().streaming_mode(true).summary("[Generating]"))
        .add(Markdown::new("Card content").id("markdown_1"))
        .build());
    let request = build(&CreateCard::new(&card));
    assert_head(&request, "POST", "/open-apis/cardkit/v1/cards");
    assert_eq!(
        request_body(&request, &["data"]),
        body(fixture("doc_create_request"), &["data"])
    );
}

#[test]
fn settings_match_the_documented_requests() {
    let config = Config::new()
        .streaming_mode(true)
        .enable_forward(true)
        .update_multi()
        .width_mode(WidthMode::Fill)
        .enable_forward_interaction(false);
    let link = CardLink::new("https://open.larksuite.com")
        .android_url("https://open.larksuite.com")
        .ios_url("https://open.larksuite.com")
        .pc_url("https://open.larksuite.com");
    let settings = CardSettings::config(config).with_card_link(link);
    let request = build(
        &ok(UpdateCardSettings::new(
            card_id(CARD_ID),
            &settings,
            sequence(1),
        ))
        .uuid(uuid()),
    );
    assert_head(
        &request,
        "PATCH",
        "/open-apis/cardkit/v1/cards/7355372766134157313/settings",
    );
    assert_eq!(
        request_body(&request, &["settings"]),
        body(fixture("doc_settings_request"), &["settings"])
    );

    // The close of the streaming guide, byte for byte.
    let close = CardSettings::config(Config::new().streaming_mode(false));
    let request = build(
        &ok(UpdateCardSettings::new(
            card_id(CARD_ID),
            &close,
            sequence(1),
        ))
        .uuid(uuid()),
    );
    let expected: Value = fixture("doc_settings_close_request");
    assert_eq!(
        serde_json::from_slice::<Value>(request.body()).ok(),
        Some(expected)
    );
    assert_eq!(
        request_body(&request, &[])["settings"],
        r#"{"config":{"streaming_mode":false}}"#
    );
}

#[test]
fn full_update_matches_the_documented_request() {
    let card = ok(CardV2::new()
        .header(Header::new("title"))
        .add(Markdown::new("body"))
        .build());
    let update = UpdateCard::new(card_id(CARD_ID), &card, sequence(1712578784)).uuid(uuid());
    let request = build(&update);
    assert_head(
        &request,
        "PUT",
        "/open-apis/cardkit/v1/cards/7355372766134157313",
    );
    assert_eq!(
        request_body(&request, &["card.data"]),
        body(fixture("doc_update_request"), &["card.data"])
    );
}

#[test]
fn batch_update_matches_the_documented_request() {
    let mut partial = Map::new();
    partial.insert(
        "content".into(),
        json!("For details, refer to the Lark card related documentation."),
    );
    let actions = [
        BatchAction::settings(CardSettings::config(Config::new().streaming_mode(true))),
        ok(BatchAction::add(
            Position::Before(element_id("markdown_1")),
            [Markdown::new(
                "Welcome to use the [Lark card building tool](https://open.larksuite.com/cardkit?from=open_docs).",
            )
            .id("md_1")
            .into()],
        )),
        BatchAction::delete([element_id("text_1"), element_id("text_2")]),
        ok(BatchAction::patch(element_id("markdown_2"), partial)),
        ok(BatchAction::replace(
            element_id("markdown_3"),
            Button::new("Helpful")
                .size(ButtonSize::Medium)
                .icon(Icon::standard("emoji_outlined")),
        )),
    ];
    let batch = ok(BatchUpdateCard::new(
        card_id("7355439197428236291"),
        &actions,
        sequence(1712578784),
    ))
    .uuid(uuid());
    let request = build(&batch);
    assert_head(
        &request,
        "POST",
        "/open-apis/cardkit/v1/cards/7355439197428236291/batch_update",
    );
    assert_eq!(
        request_body(&request, &["actions"]),
        body(fixture("doc_batch_update_request"), &["actions"])
    );
}

#[test]
fn element_requests_match_the_documented_ones() {
    // The sample's element uses `id`, not `element_id`: a raw component.
    let raw = json!({"tag": "markdown", "id": "md_1", "content": "示例文本"});
    let insert = ok(CreateCardElement::new(
        card_id("7355439197428236291"),
        Position::Before(element_id("elem_63529372")),
        [raw.into()],
        sequence(1),
    ))
    .uuid(uuid());
    let request = build(&insert);
    assert_head(
        &request,
        "POST",
        "/open-apis/cardkit/v1/cards/7355439197428236291/elements",
    );
    assert_eq!(
        request_body(&request, &["elements"]),
        body(fixture("doc_element_create_request"), &["elements"])
    );

    let write = ok(StreamElementContent::new(
        card_id("7355439197428236291"),
        element_id("markdown_1"),
        "这是更新后的文本内容。将以打字机式的效果输出",
        sequence(1),
    ))
    .uuid(uuid());
    let request = build(&write);
    assert_head(
        &request,
        "PUT",
        "/open-apis/cardkit/v1/cards/7355439197428236291/elements/markdown_1/content",
    );
    assert_eq!(request_body(&request, &[]), fixture("doc_content_request"));

    let delete = DeleteCardElement::new(
        card_id("7355439197428236291"),
        element_id("markdown_1"),
        sequence(1),
    )
    .uuid(uuid());
    let request = build(&delete);
    assert_head(
        &request,
        "DELETE",
        "/open-apis/cardkit/v1/cards/7355439197428236291/elements/markdown_1",
    );
    assert_eq!(
        request_body(&request, &[]),
        fixture("written_delete_request")
    );

    let update = ok(UpdateCardElement::new(
        card_id("7355439197428236291"),
        element_id("markdown_1"),
        Markdown::new("new").id("markdown_1"),
        sequence(2),
    ));
    let request = build(&update);
    assert_head(
        &request,
        "PUT",
        "/open-apis/cardkit/v1/cards/7355439197428236291/elements/markdown_1",
    );
    assert_eq!(
        request_body(&request, &["element"]),
        json!({"element": {"tag": "markdown", "content": "new", "element_id": "markdown_1"}, "sequence": 2})
    );

    let mut partial = Map::new();
    partial.insert("content".into(), json!("patched"));
    let patch = ok(PatchCardElement::new(
        card_id("7355439197428236291"),
        element_id("markdown_1"),
        partial,
        sequence(3),
    ));
    let request = build(&patch);
    assert_head(
        &request,
        "PATCH",
        "/open-apis/cardkit/v1/cards/7355439197428236291/elements/markdown_1",
    );
    assert_eq!(
        request_body(&request, &["partial_element"]),
        json!({"partial_element": {"content": "patched"}, "sequence": 3})
    );

    let convert = IdConvertCard::new("om_dc13264520392913993dd051dba21dcf");
    let request = build(&convert);
    assert_head(&request, "POST", "/open-apis/cardkit/v1/cards/id_convert");
    assert_eq!(
        request_body(&request, &[]),
        fixture("written_id_convert_request")
    );
}

/// The facts as the official Python SDK (lark-oapi 1.7.5) declares them:
/// method, URI template, and the tenant token only.
#[test]
fn facts_match_the_official_sdk() {
    fn facts<E: Endpoint>() -> (String, &'static str, &'static [TokenKind]) {
        let metadata = E::METADATA;
        (metadata.method.to_string(), metadata.path, metadata.tokens)
    }
    let tenant: &[TokenKind] = &[TokenKind::Tenant];
    let expected = [
        (facts::<CreateCard>(), "POST", "/open-apis/cardkit/v1/cards"),
        (
            facts::<UpdateCardSettings>(),
            "PATCH",
            "/open-apis/cardkit/v1/cards/:card_id/settings",
        ),
        (
            facts::<UpdateCard>(),
            "PUT",
            "/open-apis/cardkit/v1/cards/:card_id",
        ),
        (
            facts::<BatchUpdateCard>(),
            "POST",
            "/open-apis/cardkit/v1/cards/:card_id/batch_update",
        ),
        (
            facts::<IdConvertCard>(),
            "POST",
            "/open-apis/cardkit/v1/cards/id_convert",
        ),
        (
            facts::<CreateCardElement>(),
            "POST",
            "/open-apis/cardkit/v1/cards/:card_id/elements",
        ),
        (
            facts::<UpdateCardElement>(),
            "PUT",
            "/open-apis/cardkit/v1/cards/:card_id/elements/:element_id",
        ),
        (
            facts::<PatchCardElement>(),
            "PATCH",
            "/open-apis/cardkit/v1/cards/:card_id/elements/:element_id",
        ),
        (
            facts::<DeleteCardElement>(),
            "DELETE",
            "/open-apis/cardkit/v1/cards/:card_id/elements/:element_id",
        ),
        (
            facts::<StreamElementContent>(),
            "PUT",
            "/open-apis/cardkit/v1/cards/:card_id/elements/:element_id/content",
        ),
        (
            facts::<DelayUpdateCard>(),
            "POST",
            "/open-apis/interactive/v1/card/update",
        ),
    ];
    for ((method, path, tokens), want_method, want_path) in expected {
        assert_eq!((method.as_str(), path), (want_method, want_path));
        assert_eq!(tokens, tenant, "{path}");
    }
}

#[test]
fn values_out_of_range_are_refused_when_made() {
    assert!(CardId::new("").is_err());
    assert!(CardId::new("1".repeat(21)).is_err());
    assert!(CardId::new("1".repeat(20)).is_ok());
    for n in [0, -1, i64::from(i32::MAX) + 1, i64::MIN] {
        assert!(
            matches!(
                Sequence::new(n),
                Err(CardError::OutOfRange {
                    field: "sequence",
                    ..
                })
            ),
            "{n}"
        );
    }
    assert!(Sequence::new(i64::from(i32::MAX)).is_ok());
    assert!(Uuid::new("").is_err());
    assert!(Uuid::new("u".repeat(65)).is_err());
    assert!(Uuid::new("u".repeat(64)).is_ok());

    let content = |text: String| {
        StreamElementContent::new(card_id(CARD_ID), element_id("m"), text, sequence(1))
    };
    assert!(matches!(
        content(String::new()),
        Err(CardError::Length {
            field: "content",
            len: 0,
            ..
        })
    ));
    assert!(matches!(
        content("字".repeat(100_001)),
        Err(CardError::Length {
            field: "content",
            len: 100_001,
            ..
        })
    ));
    assert!(content("字".repeat(100_000)).is_ok());

    let mut retag = Map::new();
    retag.insert("tag".into(), json!("div"));
    assert!(matches!(
        PatchCardElement::new(card_id(CARD_ID), element_id("m"), retag, sequence(1)),
        Err(CardError::PatchesTag)
    ));
    let mut rename = Map::new();
    rename.insert("element_id".into(), json!("9bad"));
    assert!(matches!(
        PatchCardElement::new(card_id(CARD_ID), element_id("m"), rename, sequence(1)),
        Err(CardError::InvalidElementId { .. })
    ));
    assert!(matches!(
        BatchUpdateCard::new(card_id(CARD_ID), &[], sequence(1)),
        Err(CardError::Length {
            field: "actions",
            ..
        })
    ));
    assert!(matches!(
        CreateCardElement::new(card_id(CARD_ID), Position::Append, [], sequence(1)),
        Err(CardError::Length {
            field: "elements",
            ..
        })
    ));
    let twins = [md("twin"), md("twin")];
    assert!(matches!(
        CreateCardElement::new(card_id(CARD_ID), Position::Append, twins, sequence(1)),
        Err(CardError::DuplicateElementId(_))
    ));
}

fn md(id: &str) -> feishu_core::card::Element {
    Markdown::new("x").id(id).into()
}

#[test]
fn ids_are_one_path_segment() {
    let write = ok(StreamElementContent::new(
        card_id("a/b?c"),
        element_id("m"),
        "x",
        sequence(1),
    ));
    assert_eq!(
        build(&write).uri().path(),
        "/open-apis/cardkit/v1/cards/a%2Fb%3Fc/elements/m/content"
    );
    let dot = ok(StreamElementContent::new(
        card_id(".."),
        element_id("m"),
        "x",
        sequence(1),
    ));
    assert!(matches!(
        feishu_core::build(&FeishuConfig::feishu(), &dot, Some(&Secret::new("t-x"))),
        Err(Error::InvalidRequest(InvalidRequest::InvalidField {
            field: "card_id",
            ..
        }))
    ));
    assert!(matches!(
        feishu_core::build(
            &FeishuConfig::feishu(),
            &IdConvertCard::new(""),
            Some(&Secret::new("t-x"))
        ),
        Err(Error::InvalidRequest(InvalidRequest::InvalidField {
            field: "message_id",
            ..
        }))
    ));
}

/// A call gives every CardKit write a `uuid`, so a retry after a lost
/// answer happens once; the caller's own `uuid` is kept.
#[test]
fn calls_give_writes_a_uuid_and_may_retry_them() {
    let client = Client::new(
        FeishuConfig::feishu().with_app(App::self_built("cli_a5d611352af9d00b", "secret")),
        7,
    );
    let insert = ok(CreateCardElement::new(
        card_id(CARD_ID),
        Position::Append,
        [md("m")],
        sequence(1),
    ));
    assert!(
        !insert.idempotent(),
        "a POST without a uuid may not be repeated"
    );
    assert!(insert.clone().uuid(uuid()).idempotent());
    let write = ok(StreamElementContent::new(
        card_id(CARD_ID),
        element_id("m"),
        "x",
        sequence(1),
    ));
    let mut call = client.call(&write).with_token(Secret::new("t-x"));
    let Step::Send(request) = call.poll(std::time::UNIX_EPOCH) else {
        panic!("expected a request")
    };
    let sent = request_body(&request, &[]);
    assert_eq!(sent["uuid"].as_str().map(str::len), Some(36));

    let mine = write.clone().uuid(uuid());
    assert!(mine.idempotent());
    let mut call = client.call(&mine).with_token(Secret::new("t-x"));
    let Step::Send(request) = call.poll(std::time::UNIX_EPOCH) else {
        panic!("expected a request")
    };
    assert_eq!(request_body(&request, &[])["uuid"], UUID);

    // A create has no uuid: a repeat would make a second card.
    let card = ok(CardV2::new().build());
    assert!(!CreateCard::new(&card).idempotent());
}

#[test]
fn answers_are_read() {
    let card = ok(CardV2::new().build());
    let create = CreateCard::new(&card);
    let entity = create
        .parse(response("doc_create_ok"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(entity.card_id.as_str(), CARD_ID);

    let convert = IdConvertCard::new("om_dc13264520392913993dd051dba21dcf");
    let entity = convert
        .parse(response("written_id_convert_ok"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(entity.card_id.as_str(), CARD_ID);

    let write = ok(StreamElementContent::new(
        card_id(CARD_ID),
        element_id("m"),
        "x",
        sequence(1),
    ));
    assert!(write.parse(response("doc_update_ok")).is_ok());
    for (name, code) in [
        ("written_sequence_300317", codes::SEQUENCE_NOT_INCREASING),
        ("written_streaming_closed_300309", codes::STREAMING_CLOSED),
        ("written_streaming_timeout_200850", codes::STREAMING_TIMEOUT),
    ] {
        let error = write.parse(response(name)).err();
        assert_eq!(
            error.as_ref().and_then(ParseError::code),
            Some(code),
            "{name}"
        );
        assert!(
            error.as_ref().and_then(ParseError::log_id).is_some(),
            "{name}"
        );
    }

    // An id past Feishu's own limit is an unexpected answer, not a value
    // that fails later.
    let long = http::Response::new(
        br#"{"code":0,"msg":"success","data":{"card_id":"123456789012345678901"}}"#.to_vec(),
    );
    assert!(matches!(
        create.parse(long),
        Err(ParseError::UnexpectedResponse(_))
    ));
}

#[test]
fn delayed_update_keeps_its_token_secret_and_is_sent_once() {
    let card = ok(CardV2::new().title("Done").add(Markdown::new("ok")).build());
    let update = DelayUpdateCard::new("c-295ee57216a5dc9de90fefd0aadb4b1d7d", &card);
    assert!(!format!("{update:?}").contains("295ee"));
    assert!(
        !update.idempotent(),
        "each try spends one of the token's two uses"
    );
    let request = build(&update);
    assert_head(&request, "POST", "/open-apis/interactive/v1/card/update");
    assert_eq!(
        request_body(&request, &[]),
        json!({"token": "c-295ee57216a5dc9de90fefd0aadb4b1d7d", "card": card.as_value()})
    );

    let empty = DelayUpdateCard::new("", &card);
    assert!(matches!(
        feishu_core::build(&FeishuConfig::feishu(), &empty, Some(&Secret::new("t-x"))),
        Err(Error::InvalidRequest(InvalidRequest::InvalidField {
            field: "token",
            ..
        }))
    ));
    let v1 = json!({"config": {"wide_screen_mode": true}, "elements": [], "open_ids": ["ou_1"]});
    assert!(DelayUpdateCard::raw("c-1", v1).is_ok());
    assert!(matches!(
        DelayUpdateCard::raw("c-1", json!({"elements": ["x".repeat(31 * 1024)]})),
        Err(CardError::TooLarge { .. })
    ));
    assert!(DelayUpdateCard::raw("c-1", json!([])).is_err());
    assert_eq!(
        feishu_core::cardkit::DELAY_UPDATE_TOKEN_LIFETIME.as_secs(),
        30 * 60
    );
    assert_eq!(feishu_core::cardkit::DELAY_UPDATE_TOKEN_USES, 2);
}
