//! The rules a card is checked against when it is built (`element_id`,
//! counts, nesting, names, ranges, size), Markdown escaping, the ready-made
//! cards, and that no JSON makes the checks panic.

use feishu_core::card::{
    CardError, CardJson, CardV2, CollapsiblePanel, Column, ColumnSet, DataType, ElementId, Form,
    Header, HeaderTag, Input, Markdown, PanelHeader, Select, SelectOption, Table, TableColumn,
    escape, factory,
};
use proptest::prelude::*;
use serde_json::{Value, json};

fn refused(card: CardV2) -> CardError {
    match card.build() {
        Ok(card) => panic!("expected a refusal, built {}", card.as_value()),
        Err(error) => error,
    }
}

fn md(id: &str) -> Markdown {
    Markdown::new("x").id(id)
}

#[test]
fn element_ids_follow_the_documented_pattern() {
    for good in ["a", "markdown_1", "A_b_9", "abcdefghij0123456789"] {
        assert!(ElementId::new(good).is_ok(), "{good}");
        assert!(CardV2::new().add(md(good)).build().is_ok(), "{good}");
    }
    for bad in [
        "",
        "1st",
        "_x",
        "has-dash",
        "has space",
        "中文",
        "abcdefghij01234567890",
    ] {
        assert!(ElementId::new(bad).is_err(), "{bad:?}");
        assert!(
            matches!(
                refused(CardV2::new().add(md(bad))),
                CardError::InvalidElementId { .. }
            ),
            "{bad:?}"
        );
    }
}

#[test]
fn element_ids_are_unique_across_the_whole_card() {
    let nested = ColumnSet::new().column(Column::new().add(md("dup")));
    let error = refused(CardV2::new().add(md("dup")).add(nested));
    assert_eq!(error, CardError::DuplicateElementId("dup".into()));

    let header = Header::new("t").tag(HeaderTag::new("tag").id("dup"));
    assert_eq!(
        refused(CardV2::new().header(header).add(md("dup"))),
        CardError::DuplicateElementId("dup".into())
    );

    let column = ColumnSet::new().column(Column::new().id("dup")).id("dup");
    assert_eq!(
        refused(CardV2::new().add(column)),
        CardError::DuplicateElementId("dup".into())
    );
}

#[test]
fn raw_components_are_checked_like_typed_ones() {
    let bad_id = json!({"tag": "markdown", "content": "x", "element_id": 7});
    assert!(matches!(
        refused(CardV2::new().add(bad_id)),
        CardError::InvalidElementId { .. }
    ));
    assert!(matches!(
        refused(CardV2::new().add(json!("not an object"))),
        CardError::Malformed { .. }
    ));
    assert!(matches!(
        refused(CardV2::new().add(json!({"content": "no tag"}))),
        CardError::Malformed { .. }
    ));
}

#[test]
fn at_most_200_components() {
    let mut card = CardV2::new();
    for _ in 0..200 {
        card = card.add(Markdown::new("x"));
    }
    assert!(card.build().is_ok());
    let error = refused(card.add(Markdown::new("x")));
    assert_eq!(
        error,
        CardError::TooManyElements {
            count: 201,
            limit: 200
        }
    );
}

#[test]
fn text_elements_count_towards_the_200() {
    // A plain text component is a `div` and its `plain_text` text element.
    let mut card = CardV2::new();
    for _ in 0..100 {
        card = card.add(feishu_core::card::PlainText::new("x"));
    }
    assert!(card.build().is_ok());
    assert!(matches!(
        refused(card.add(feishu_core::card::PlainText::new("x"))),
        CardError::TooManyElements { count: 202, .. }
    ));
}

fn table() -> Table {
    Table::new().column(TableColumn::new("a", DataType::Text))
}

#[test]
fn tables_sit_at_the_root_five_at_most() {
    let mut card = CardV2::new();
    for _ in 0..5 {
        card = card.add(table());
    }
    assert!(card.build().is_ok());
    assert_eq!(
        refused(card.add(table())),
        CardError::TooManyTables { count: 6, limit: 5 }
    );

    let in_column = ColumnSet::new().column(Column::new().add(table()));
    assert_eq!(
        refused(CardV2::new().add(in_column)),
        CardError::NotAtRoot("table")
    );
    let in_form = Form::new("f").add(table());
    assert_eq!(
        refused(CardV2::new().add(in_form)),
        CardError::NotAllowedIn {
            inner: "table".into(),
            outer: "form"
        }
    );
}

#[test]
fn table_columns_page_size_and_rows() {
    let mut wide = Table::new();
    for i in 0..51 {
        wide = wide.column(TableColumn::new(format!("c{i}"), DataType::Text));
    }
    assert_eq!(
        refused(CardV2::new().add(wide)),
        CardError::TooManyColumns {
            count: 51,
            limit: 50
        }
    );
    for page_size in [0u8, 11] {
        assert!(matches!(
            refused(CardV2::new().add(table().page_size(page_size))),
            CardError::OutOfRange {
                field: "page_size",
                ..
            }
        ));
    }
    assert!(CardV2::new().add(table().page_size(10)).build().is_ok());
    assert!(matches!(
        refused(CardV2::new().add(table().row(json!(["not", "an", "object"])))),
        CardError::Malformed { .. }
    ));
}

#[test]
fn forms_need_names_and_sit_at_the_root() {
    let no_name = json!({"tag": "form", "elements": []});
    assert_eq!(
        refused(CardV2::new().add(no_name)),
        CardError::MissingName("form".into())
    );
    let unnamed_field = Form::new("f").add(json!({"tag": "input"}));
    assert_eq!(
        refused(CardV2::new().add(unnamed_field)),
        CardError::MissingName("input".into())
    );
    let twice = Form::new("f")
        .add(Input::new("same"))
        .add(Select::new().name("same"));
    assert_eq!(
        refused(CardV2::new().add(twice)),
        CardError::DuplicateName("same".into())
    );
    let form_in_panel = CollapsiblePanel::new(PanelHeader::new("p")).add(Form::new("f"));
    assert_eq!(
        refused(CardV2::new().add(form_in_panel)),
        CardError::NotAllowedIn {
            inner: "form".into(),
            outer: "collapsible_panel"
        }
    );
    let form_in_form = Form::new("outer").add(Form::new("inner"));
    assert_eq!(
        refused(CardV2::new().add(form_in_form)),
        CardError::NotAllowedIn {
            inner: "form".into(),
            outer: "form"
        }
    );
    // Outside a form, a field needs no name.
    assert!(CardV2::new().add(Select::new()).build().is_ok());
}

#[test]
fn containers_nest_five_deep_at_most() {
    fn nest(depth: usize) -> CardV2 {
        let mut panel = CollapsiblePanel::new(PanelHeader::new("p")).add(Markdown::new("x"));
        for _ in 1..depth {
            panel = CollapsiblePanel::new(PanelHeader::new("p")).add(panel);
        }
        CardV2::new().add(panel)
    }
    assert!(nest(5).build().is_ok());
    assert_eq!(
        refused(nest(6)),
        CardError::NestingTooDeep { depth: 6, limit: 5 }
    );
}

#[test]
fn header_tags_weights_inputs_and_options() {
    let mut header = Header::new("t");
    for i in 0..4 {
        header = header.tag(HeaderTag::new(format!("t{i}")));
    }
    assert_eq!(
        refused(CardV2::new().header(header)),
        CardError::TooManyHeaderTags { count: 4, limit: 3 }
    );
    assert!(matches!(
        refused(CardV2::new().add(ColumnSet::new().column(Column::new().weight(6)))),
        CardError::OutOfRange {
            field: "weight",
            ..
        }
    ));
    for max_length in [0, 1001] {
        assert!(matches!(
            refused(CardV2::new().add(Input::new("i").max_length(max_length))),
            CardError::OutOfRange {
                field: "max_length",
                ..
            }
        ));
    }
    assert!(matches!(
        refused(CardV2::new().add(Input::new("i").placeholder("p".repeat(101)))),
        CardError::Length {
            field: "placeholder",
            len: 101,
            ..
        }
    ));
    let select = Select::new()
        .option(SelectOption::new("A", "1"))
        .option(SelectOption::new("B", "1"));
    assert_eq!(
        refused(CardV2::new().add(select)),
        CardError::DuplicateOptionValue("1".into())
    );
}

#[test]
fn a_card_is_at_most_30_kb() {
    let card = CardV2::new().add(Markdown::new("x".repeat(31 * 1024)));
    assert!(matches!(
        refused(card),
        CardError::TooLarge { limit: 30720, .. }
    ));
    let fits = CardV2::new().add(Markdown::new("x".repeat(30 * 1024 - 100)));
    assert!(fits.build().is_ok());
}

#[test]
fn json_from_elsewhere_is_checked_too() {
    let v1 = json!({"config": {"wide_screen_mode": true}, "elements": []});
    assert_eq!(CardJson::from_value(v1), Err(CardError::NotSchema2));
    let exclusive =
        json!({"schema": "2.0", "config": {"update_multi": false}, "body": {"elements": []}});
    assert_eq!(CardJson::from_value(exclusive), Err(CardError::NotShared));
    let colour = json!({"schema": "2.0", "header": {"title": {"tag": "plain_text", "content": "t"}, "template": "pink"}});
    assert_eq!(
        CardJson::from_value(colour),
        Err(CardError::UnknownTemplate("pink".into()))
    );
    let fine = json!({"schema": "2.0", "body": {"elements": [{"tag": "markdown", "content": "hi", "element_id": "m"}]}});
    let card = CardJson::from_value(fine).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        card.element("m").and_then(|m| m.get("content")),
        Some(&json!("hi"))
    );
    assert!(card.element("nope").is_none());
    assert!(!card.is_streaming());
}

#[test]
fn escaping_covers_every_listed_character() {
    for (c, entity) in [
        ('*', "&#42;"),
        ('_', "&#95;"),
        ('`', "&#96;"),
        ('<', "&#60;"),
        ('>', "&#62;"),
        ('[', "&#91;"),
        (']', "&#93;"),
        ('(', "&#40;"),
        (')', "&#41;"),
        ('#', "&#35;"),
        ('\\', "&#92;"),
        ('~', "&#126;"),
        ('!', "&#33;"),
        ('+', "&#43;"),
        ('-', "&#45;"),
        ('.', "&#46;"),
        ('|', "&#124;"),
        ('&', "&#38;"),
    ] {
        assert_eq!(escape(&c.to_string()), entity, "{c}");
    }
    assert_eq!(escape("a&#42;b"), "a&#38;&#35;42;b");
    assert!(matches!(escape("中文 text"), std::borrow::Cow::Borrowed(_)));
}

proptest! {
    /// Escaping chunk by chunk equals escaping the whole: streamed user text
    /// can be escaped as it comes and still extend what the card shows.
    #[test]
    fn escaping_is_chunk_by_chunk(a in any::<String>(), b in any::<String>()) {
        let whole = escape(&format!("{a}{b}")).into_owned();
        prop_assert_eq!(whole, format!("{}{}", escape(&a), escape(&b)));
    }

    /// Escaped text has no Markdown character left, and unescapes back.
    #[test]
    fn escaped_text_is_inert(text in any::<String>()) {
        let escaped = escape(&text);
        prop_assert!(!escaped.contains(['*', '_', '`', '<', '>', '[', ']', '(', ')', '\\', '~', '!', '+', '-', '.', '|']));
        let mut back = escaped.into_owned();
        for (c, entity) in [('*', "&#42;"), ('_', "&#95;"), ('`', "&#96;"), ('<', "&#60;"), ('>', "&#62;"), ('[', "&#91;"), (']', "&#93;"), ('(', "&#40;"), (')', "&#41;"), ('#', "&#35;"), ('\\', "&#92;"), ('~', "&#126;"), ('!', "&#33;"), ('+', "&#43;"), ('-', "&#45;"), ('.', "&#46;"), ('|', "&#124;")] {
            back = back.replace(entity, &c.to_string());
        }
        prop_assert_eq!(back.replace("&#38;", "&"), text);
    }

    /// No JSON makes the checks panic: they answer yes or no.
    #[test]
    fn checking_any_json_never_panics(value in json_value()) {
        let _ = CardJson::from_value(value.clone());
        let card = json!({"schema": "2.0", "body": {"elements": [value]}});
        let _ = CardJson::from_value(card);
    }
}

/// Arbitrary JSON, with the keys cards use, nested a few levels.
fn json_value() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("tag".to_owned()),
        Just("element_id".to_owned()),
        Just("elements".to_owned()),
        Just("columns".to_owned()),
        Just("name".to_owned()),
        Just("page_size".to_owned()),
        Just("rows".to_owned()),
        Just("options".to_owned()),
        Just("value".to_owned()),
        "[a-z_]{1,8}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        prop_oneof![
            Just("table".to_owned()),
            Just("form".to_owned()),
            Just("column_set".to_owned()),
            Just("input".to_owned()),
            Just("select_static".to_owned()),
            Just("markdown".to_owned()),
            "[a-z_]{0,6}",
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

#[test]
fn ready_made_cards() {
    let text = factory::text("Title", "**hi**")
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        text.as_value(),
        &json!({
            "schema": "2.0",
            "header": {"title": {"tag": "plain_text", "content": "Title"}},
            "body": {"elements": [{"tag": "markdown", "content": "**hi**"}]},
        })
    );
    for (level, template) in [
        (factory::Level::Info, "blue"),
        (factory::Level::Success, "green"),
        (factory::Level::Warning, "orange"),
        (factory::Level::Error, "red"),
    ] {
        let alert = factory::alert(level, "t", "m")
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(alert.as_value()["header"]["template"], template);
    }
    let rows = [vec!["a", "b", "extra"], vec!["c"]];
    let table = factory::table("T", &["A", "B"], &rows)
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        table.as_value()["body"]["elements"][0],
        json!({
            "tag": "table",
            "columns": [
                {"name": "c0", "display_name": "A", "data_type": "text"},
                {"name": "c1", "display_name": "B", "data_type": "text"},
            ],
            "rows": [{"c0": "a", "c1": "b"}, {"c0": "c"}],
        })
    );
    let headers: Vec<String> = (0..51).map(|i| format!("h{i}")).collect();
    let no_rows: [Vec<&str>; 0] = [];
    assert!(matches!(
        factory::table("T", &headers, &no_rows).build(),
        Err(CardError::TooManyColumns { .. })
    ));
}
