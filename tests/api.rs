//! The generated API over real HTTP, both adapters, against feishu-mock's
//! spec-driven fallback: the stateful contacts, chats and Bitable flows, a
//! generated list walked across pages, and the mock refusing wrong requests
//! with Feishu's error envelope.
#![allow(clippy::unwrap_used)]

use feishu_api::bitable::v1::app_table_record::{
    Condition, CreateAppTableRecord, DeleteAppTableRecord, FilterInfo, GetAppTableRecord,
    ListAppTableRecord, Operator, SearchAppTableRecord, UpdateAppTableRecord,
};
use feishu_api::contact::v3::department::{ChildrenDepartment, CreateDepartment};
use feishu_api::contact::v3::user::{BatchGetIdUser, CreateUser, FindByDepartmentUser, GetUser};
use feishu_api::im::v1::chat::{CreateChat, DeleteChat, GetChat, ListChat, SearchChat, UpdateChat};
use feishu_api::im::v1::chat_members::{
    CreateChatMembers, DeleteChatMembers, GetChatMembers, IsInChatChatMembers,
};
use feishu_api::im::v1::pin::CreatePin;
use feishu_core::im::content::MessageContent;
use feishu_core::im::message::SendMessage;
use feishu_core::{App, Config, Endpoint, Error, Paginated, RawEndpoint};
use feishu_mock::{MockServer, SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET};
use serde_json::json;

/// What the flows need of a client, for both adapters.
trait Client {
    fn new(config: Config) -> Self;
    fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, Error>;
    fn all<E: Paginated>(&self, list: E) -> Result<Vec<E::Item>, Error>;
}

impl Client for feishu_ureq::Client {
    fn new(config: Config) -> Self {
        feishu_ureq::Client::new(config)
    }
    fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, Error> {
        (**self).send(endpoint)
    }
    fn all<E: Paginated>(&self, list: E) -> Result<Vec<E::Item>, Error> {
        self.items(list).collect()
    }
}

struct Reqwest(feishu_reqwest::Client, tokio::runtime::Runtime);

impl Client for Reqwest {
    fn new(config: Config) -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let client = runtime
            .block_on(async { feishu_reqwest::Client::new(config) })
            .unwrap();
        Reqwest(client, runtime)
    }
    fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, Error> {
        self.1.block_on(self.0.send(endpoint))
    }
    fn all<E: Paginated>(&self, list: E) -> Result<Vec<E::Item>, Error> {
        self.1.block_on(async {
            let mut items = (*self.0).items(list);
            let mut all = Vec::new();
            while let Some(item) = items.next().await {
                all.push(item?);
            }
            Ok(all)
        })
    }
}

fn setup<C: Client>() -> (MockServer, C) {
    let mock = MockServer::start();
    let config = Config::new(mock.url())
        .unwrap()
        .with_app(App::self_built(SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET));
    (mock, C::new(config))
}

const APP: &str = "bascnMockApp";
const TABLE: &str = "tblMockTable";

fn bitable_records_are_stored<C: Client>() {
    let (_mock, client) = setup::<C>();
    let created = client
        .send(&CreateAppTableRecord::new(
            APP,
            TABLE,
            json!({"Name": "Alice", "Team": "core"}),
        ))
        .unwrap();
    let record = created.record.unwrap();
    let id = record.record_id.unwrap();
    let read = client
        .send(&GetAppTableRecord::new(APP, TABLE, &id))
        .unwrap()
        .record
        .unwrap();
    assert_eq!(read.fields.unwrap()["Name"], "Alice");

    client
        .send(&UpdateAppTableRecord::new(
            APP,
            TABLE,
            &id,
            json!({"Team": "api"}),
        ))
        .unwrap();
    for name in ["Bob", "Carol", "Dave", "Erin"] {
        client
            .send(&CreateAppTableRecord::new(
                APP,
                TABLE,
                json!({"Name": name, "Team": "core"}),
            ))
            .unwrap();
    }
    let condition = Condition {
        field_name: "Team".into(),
        operator: Operator::Is,
        value: Some(vec!["core".into()]),
    };
    let filter = FilterInfo {
        conditions: Some(vec![condition]),
        ..FilterInfo::default()
    };
    let found = client
        .all(
            SearchAppTableRecord::new(APP, TABLE)
                .filter(filter)
                .page_size(3),
        )
        .unwrap();
    let names: Vec<String> = found
        .iter()
        .map(|r| {
            r.fields.as_ref().unwrap()["Name"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(names, ["Bob", "Carol", "Dave", "Erin"]);

    client
        .send(&DeleteAppTableRecord::new(APP, TABLE, &id))
        .unwrap();
    match client.send(&GetAppTableRecord::new(APP, TABLE, &id)) {
        Err(Error::Api(e)) => assert_eq!(e.code, 1254043),
        other => panic!("expected RecordIdNotFound, got {other:?}"),
    }
}

fn a_generated_list_walks_every_page<C: Client>() {
    let (_mock, client) = setup::<C>();
    for n in 0..7 {
        client
            .send(&CreateAppTableRecord::new(APP, TABLE, json!({"n": n})))
            .unwrap();
    }
    let all = client
        .all(ListAppTableRecord::new(APP, TABLE).page_size(2))
        .unwrap();
    let ns: Vec<i64> = all
        .iter()
        .map(|r| r.fields.as_ref().unwrap()["n"].as_i64().unwrap())
        .collect();
    assert_eq!(
        ns,
        [0, 1, 2, 3, 4, 5, 6],
        "four pages of two, in order, nothing twice"
    );
}

fn contacts_are_stored<C: Client>() {
    let (_mock, client) = setup::<C>();
    let department = client
        .send(&CreateDepartment::new("Engineering", "0"))
        .unwrap()
        .department
        .unwrap();
    let department_id = department.open_department_id.unwrap();
    let user = CreateUser::new(vec![department_id.clone()], 1, "+8613800000000", "Ada")
        .email("ada@example.com");
    let user = client.send(&user).unwrap().user.unwrap();
    let open_id = user.open_id.unwrap();

    let ids = client
        .send(
            &BatchGetIdUser::new()
                .emails(vec!["ada@example.com".into(), "nobody@example.com".into()]),
        )
        .unwrap();
    let list = ids.user_list.unwrap();
    assert_eq!(list[0].user_id.as_deref(), Some(open_id.as_str()));
    assert_eq!(list[1].user_id, None, "an unknown email has no id");

    let read = client.send(&GetUser::new(&open_id)).unwrap().user.unwrap();
    assert_eq!(read.name.as_deref(), Some("Ada"));
    let members = client
        .all(FindByDepartmentUser::new(&department_id))
        .unwrap();
    assert_eq!(members.len(), 1);
    let children = client.all(ChildrenDepartment::new("0")).unwrap();
    assert_eq!(children[0].name.as_deref(), Some("Engineering"));
}

fn chats_are_stored<C: Client>() {
    let (mock, client) = setup::<C>();
    mock.add_user("ou_ada", "Ada");
    mock.add_user("ou_bob", "Bob");
    let created = client
        .send(
            &CreateChat::new()
                .name("Launch")
                .description("ship it")
                .user_id_list(vec!["ou_ada".into(), "not-an-id".into()]),
        )
        .unwrap();
    let chat_id = created.chat_id.unwrap();
    assert_eq!(created.name.as_deref(), Some("Launch"));

    // The IM routes see the new group: the bot posts in it.
    client
        .send(&SendMessage::new(&chat_id, MessageContent::text("hello")))
        .unwrap();
    assert_eq!(mock.messages()[0].chat_id, chat_id);

    let added = client
        .send(&CreateChatMembers::new(&chat_id).id_list(vec!["ou_bob".into()]))
        .unwrap();
    assert_eq!(added.invalid_id_list, Some(vec![]));
    let members = client.all(GetChatMembers::new(&chat_id)).unwrap();
    let names: Vec<_> = members.iter().filter_map(|m| m.name.as_deref()).collect();
    assert_eq!(names, ["Ada", "Bob"]);
    let removed = client
        .send(&DeleteChatMembers::new(&chat_id).id_list(vec!["ou_ada".into()]))
        .unwrap();
    assert_eq!(removed.invalid_id_list, Some(vec![]));
    assert_eq!(mock.chats().last().unwrap().members, ["ou_bob"]);

    client
        .send(&UpdateChat::new(&chat_id).name("Launched"))
        .unwrap();
    let read = client.send(&GetChat::new(&chat_id)).unwrap();
    assert_eq!(read.name.as_deref(), Some("Launched"));
    assert_eq!(read.description.as_deref(), Some("ship it"));
    assert_eq!(read.user_count.as_deref(), Some("1"));

    // Listed with the two every mock starts with, a page at a time.
    let listed = client.all(ListChat::new().page_size(1)).unwrap();
    let ids: Vec<_> = listed.iter().filter_map(|c| c.chat_id.as_deref()).collect();
    assert_eq!(ids, ["oc_mock_general", "oc_mock_random", chat_id.as_str()]);
    let found = client.all(SearchChat::new().set_query("launch")).unwrap();
    assert_eq!(found.len(), 1);
    let inside = client.send(&IsInChatChatMembers::new(&chat_id)).unwrap();
    assert_eq!(inside.is_in_chat, Some(true));

    client.send(&DeleteChat::new(&chat_id)).unwrap();
    match client.send(&GetChat::new(&chat_id)) {
        Err(Error::Api(e)) => assert_eq!(e.code, 230002),
        other => panic!("expected the chat to be gone, got {other:?}"),
    }
    let inside = client.send(&IsInChatChatMembers::new(&chat_id)).unwrap();
    assert_eq!(inside.is_in_chat, Some(false));
}

fn a_stateless_api_answers_in_shape<C: Client>() {
    let (_mock, client) = setup::<C>();
    let pin = client.send(&CreatePin::new("om_mock")).unwrap();
    assert!(pin.pin.is_some(), "the schema's fields are there");
}

fn wrong_requests_get_feishus_errors<C: Client>() {
    let (_mock, client) = setup::<C>();
    // `fields` must be an object.
    match client.send(&CreateAppTableRecord::new(
        APP,
        TABLE,
        json!("not an object"),
    )) {
        Err(Error::Api(e)) => {
            assert_eq!(e.code, 99992402);
            assert!(e.msg.contains("body.fields"), "{}", e.msg);
            assert!(e.log_id.is_some(), "the X-Tt-Logid");
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    // A required query parameter left out.
    match client.send(&RawEndpoint::get(
        "/open-apis/contact/v3/users/find_by_department",
    )) {
        Err(Error::Api(e)) => assert!(
            e.code == 99992402 && e.msg.contains("department_id"),
            "{e:?}"
        ),
        other => panic!("expected a validation error, got {other:?}"),
    }
    // A user-only API called with the tenant token.
    match client.send(&RawEndpoint::get("/open-apis/apaas/v1/apps")) {
        Err(Error::Api(e)) => assert_eq!(e.code, 99991668),
        other => panic!("expected a token error, got {other:?}"),
    }
}

macro_rules! both_adapters {
    ($($test:ident),* $(,)?) => {
        mod ureq {
            $(#[test] fn $test() { super::$test::<feishu_ureq::Client>() })*
        }
        mod reqwest {
            $(#[test] fn $test() { super::$test::<super::Reqwest>() })*
        }
    };
}

both_adapters!(
    bitable_records_are_stored,
    a_generated_list_walks_every_page,
    contacts_are_stored,
    chats_are_stored,
    a_stateless_api_answers_in_shape,
    wrong_requests_get_feishus_errors,
);
