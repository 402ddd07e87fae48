//! The card builder against the samples of Feishu's component pages
//! (`tests/fixtures/card_bodies/doc_*.json`, their pages listed below): each sample is
//! rebuilt with the typed builder and must come out as the same JSON.
//! Objects compare by value, so key order does not matter; nothing else
//! may differ.

use feishu_core::card::{
    Behavior, Border, Button, ButtonSize, ButtonType, CardV2, CollapsiblePanel, Column, ColumnSet,
    Config, DataType, Direction, Divider, Form, Header, HeaderStyle, HeaderTag, HorizontalAlign,
    Icon, IconPosition, Image, Input, Markdown, NumberFormat, OpenUrl, PanelHeader, PerPlatform,
    PlainText, PrintStrategy, ScaleType, Select, SelectOption, SelectType, StreamingConfig, Table,
    TableColumn, TagColor, Template, Text, VerticalAlign,
};
use feishu_core::im::content::MessageContent;
use serde_json::{Value, json};

/// The fixtures this file reads, compiled in (the crate's clippy.toml bans
/// file reads).
macro_rules! fixtures {
    ($($name:literal),* $(,)?) => {
        const FIXTURES: &[(&str, &str)] = &[
            $(($name, include_str!(concat!("fixtures/card_bodies/", $name, ".json")))),*
        ];
    };
}

// Each is the sample of one page, its `//` comments removed and nothing
// else changed (pages under open.feishu.cn/document/feishu-cards/).
fixtures![
    // streaming-updates-openapi-overview, step 1: the streaming card.
    "doc_streaming_card",
    // card-json-v2-components/content-components/title: the demo.
    "doc_title_demo",
    // …/content-components/divider: the example.
    "doc_divider_demo",
    // …/content-components/plain-text: the plain_text example.
    "doc_plain_text_example",
    // …/content-components/rich-text: the example.
    "doc_markdown_example",
    // …/content-components/image: the example.
    "doc_image_example",
    // …/content-components/table: the example.
    "doc_table_example",
    // …/containers/form-container: the JSON structure.
    "doc_form_structure",
    // …/containers/collapsible-panel: the example.
    "doc_collapsible_example",
    // …/interactive-components/single-select-dropdown-menu: the example.
    "doc_select_example",
];

fn fixture(name: &str) -> Value {
    let text = FIXTURES
        .iter()
        .find(|(known, _)| *known == name)
        .unwrap_or_else(|| panic!("no fixture {name:?}"))
        .1;
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Builds the card and compares it with the sample.
fn assert_golden(card: CardV2, name: &str) {
    let built = card
        .build()
        .unwrap_or_else(|e| panic!("{name}: the documented card is refused: {e}"));
    let expected = fixture(name);
    assert_eq!(
        built.as_value(),
        &expected,
        "{name}:\n built: {}\n  want: {expected}",
        built.as_value()
    );
}

#[test]
fn streaming_card_of_the_streaming_guide() {
    let config = Config::new()
        .streaming_mode(true)
        .summary("")
        .streaming_config(
            StreamingConfig::new()
                .print_frequency_ms(PerPlatform::all(70))
                .print_step(PerPlatform::all(1))
                .print_strategy(PrintStrategy::Fast),
        );
    let card = CardV2::new()
        .header(Header::new("卡片标题"))
        .config(config)
        .add(Markdown::new("卡片内容").id("markdown_1"));
    assert_golden(card, "doc_streaming_card");
}

#[test]
fn title_component_demo() {
    let header = Header::new(Text::lark_md(":Partying:卡片主标题 "))
        .subtitle("卡片副标题")
        .tag(HeaderTag::new("标签 1").color(TagColor::Blue))
        .tag(HeaderTag::new("标签 2").color(TagColor::Turquoise))
        .tag(HeaderTag::new("标签 3").color(TagColor::Orange))
        .template(Template::Blue)
        .icon(Icon::standard("larkcommunity_colorful"))
        .padding("12px");
    let card = CardV2::new().header(header).add(PlainText::new("示例文本"));
    assert_golden(card, "doc_title_demo");
}

#[test]
fn divider_component_demo() {
    let none = "0px 0px 0px 0px";
    let text = Text::plain("普通文本示例")
        .size("normal")
        .align(HorizontalAlign::Left)
        .color("default");
    let card = CardV2::new()
        .direction(Direction::Vertical)
        .padding("12px 12px 12px 12px")
        .add(PlainText::with_text(text).margin(none))
        .add(Divider::new().margin(none))
        .add(
            Button::new("查看更多")
                .button_type(ButtonType::Primary)
                .width("default")
                .size(ButtonSize::Medium)
                .margin(none),
        );
    assert_golden(card, "doc_divider_demo");
}

#[test]
fn plain_text_component_example() {
    let text = Text::plain("这是示例文本。")
        .size("normal")
        .align(HorizontalAlign::Center)
        .color("default");
    let card = CardV2::new().add(
        PlainText::with_text(text)
            .icon(Icon::standard("reply-cn_filled").color("blue"))
            .margin("0px 0px 0px 0px")
            .id("plaintext01"),
    );
    assert_golden(card, "doc_plain_text_example");
}

#[test]
fn rich_text_component_example() {
    let sample = fixture("doc_markdown_example");
    let content = |i: usize| {
        sample["body"]["elements"][i]["content"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    let mut card = CardV2::new().add(
        Markdown::new("# 一级标题")
            .margin("0px 0px 0px 0px")
            .align(HorizontalAlign::Left)
            .size("normal"),
    );
    for i in 1..7 {
        card = card.add(Markdown::new(content(i)));
    }
    assert_golden(card, "doc_markdown_example");
}

#[test]
fn image_component_example() {
    let image = Image::new("img_v2_9dd98485-2900-4d65-ada9-e31d1408dcfg", "示例图片")
        .preview(true)
        .transparent(false)
        .scale_type(ScaleType::CropCenter)
        .size("stretch")
        .corner_radius("5%")
        .margin("0px 0px 0px 0px")
        .id("demoimg01");
    let card = CardV2::new()
        .direction(Direction::Vertical)
        .padding("12px 12px 12px 12px")
        .add(image);
    assert_golden(card, "doc_image_example");
}

#[test]
fn table_component_example() {
    let top_left = |column: TableColumn| {
        column
            .horizontal_align(HorizontalAlign::Left)
            .vertical_align(VerticalAlign::Top)
            .width("auto")
    };
    let mut table = Table::new()
        .page_size(5)
        .row_height("auto")
        .header_style(
            HeaderStyle::new()
                .text_align(HorizontalAlign::Left)
                .text_size("normal")
                .background_style("none")
                .text_color("grey")
                .bold(true)
                .lines(1),
        )
        .column(top_left(
            TableColumn::new("customer_name", DataType::Text).display_name("Customer Name"),
        ))
        .column(top_left(
            TableColumn::new("customer_scale", DataType::Options).display_name("Customer Scale"),
        ))
        .column(
            TableColumn::new("customer_arr", DataType::Number)
                .display_name("ARR")
                .format(NumberFormat::new().symbol("$").precision(2).separator(true))
                .width("auto"),
        )
        .column(top_left(
            TableColumn::new("customer_poc", DataType::Persons).display_name("Contact"),
        ))
        .column(
            TableColumn::new("customer_date", DataType::Date)
                .display_name("Sign Date")
                .date_format("YYYY/MM/DD")
                .width("auto"),
        )
        .column(
            TableColumn::new("customer_link", DataType::LarkMd)
                .display_name("Related Links")
                .width("auto"),
        )
        .column(
            TableColumn::new("company_image", DataType::Markdown).display_name("Company Image"),
        );
    for row in fixture("doc_table_example")["body"]["elements"][0]["rows"]
        .as_array()
        .into_iter()
        .flatten()
    {
        table = table.row(row.clone());
    }
    let card = CardV2::new()
        .header(Header::new("Table Component Example").template(Template::Blue))
        .add(table);
    assert_golden(card, "doc_table_example");
}

#[test]
fn form_container_structure() {
    let links = || {
        Behavior::OpenUrl(
            OpenUrl::new("https://www.baidu.com")
                .android_url("https://developer.android.com/")
                .ios_url("lark://msgcard/unsupported_action")
                .pc_url("https://www.windows.com"),
        )
    };
    let submit = Button::new("Submit")
        .button_type(ButtonType::Primary)
        .behavior(links())
        .callback(json!({"key": "value"}))
        .submit("Button_m8pn9lbf");
    let cancel = Button::new("Cancel")
        .button_type(ButtonType::Default)
        .behavior(links())
        .callback(json!({"key": "value"}))
        .reset("Button_m8pn9lbg");
    let form = Form::new("form_1")
        .id("custom_id")
        .direction(Direction::Horizontal)
        .horizontal_spacing("8px")
        .vertical_spacing("8px")
        .horizontal_align(HorizontalAlign::Left)
        .vertical_align(VerticalAlign::Top)
        .padding("4px 0px 4px 0px")
        .margin("0px 0px 0px 0px")
        .add(Input::new("reason").required(true))
        .add(
            ColumnSet::new()
                .column(Column::new().width("auto").add(submit))
                .column(Column::new().width("auto").add(cancel)),
        );
    assert_golden(CardV2::new().add(form), "doc_form_structure");
}

#[test]
fn collapsible_panel_example() {
    let sample = fixture("doc_collapsible_example");
    let long = |i: usize| {
        sample["body"]["elements"][i]["elements"][0]["content"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    let icon = |color: &str| {
        Icon::standard("down-small-ccm_outlined")
            .color(color)
            .size("16px 16px")
    };
    let grey_border = || Border::new("grey").corner_radius("5px");
    let folded = CollapsiblePanel::new(
        PanelHeader::new("面板标题文本")
            .vertical_align(VerticalAlign::Center)
            .icon(icon(""))
            .icon_position(IconPosition::Right)
            .icon_expanded_angle(-180),
    )
    .expanded(false)
    .border(grey_border())
    .vertical_spacing("8px")
    .padding("8px 8px 8px 8px")
    .add(Markdown::new(long(1)));
    let coloured = CollapsiblePanel::new(
        PanelHeader::new(Text::markdown(
            "**<font color='white'>面板标题文本</font>**",
        ))
        .background_color("yellow")
        .vertical_align(VerticalAlign::Center)
        .icon(icon("white"))
        .icon_position(IconPosition::Right)
        .icon_expanded_angle(-180),
    )
    .expanded(true)
    .border(grey_border())
    .vertical_spacing("8px")
    .padding("8px 8px 8px 8px")
    .add(Markdown::new(long(3)));
    let borderless = CollapsiblePanel::new(
        PanelHeader::new(Text::markdown("**面板标题文本**"))
            .width("auto_when_fold")
            .vertical_align(VerticalAlign::Center)
            .padding("4px 0px 4px 8px")
            .icon(icon(""))
            .icon_position(IconPosition::FollowText)
            .icon_expanded_angle(-180),
    )
    .expanded(true)
    .vertical_spacing("8px")
    .padding("8px 8px 8px 8px")
    .add(Markdown::new(long(5)));
    let card = CardV2::new()
        .header(Header::new("折叠面板展示").template(Template::Yellow))
        .add(Markdown::new("下面是一个 默认折叠 的折叠面板组件"))
        .add(folded)
        .add(Markdown::new(
            "下面是一个 标题带背景色 且 默认展开 的折叠面板组件",
        ))
        .add(coloured)
        .add(Markdown::new("下面是一个无边框折叠面板组件"))
        .add(borderless);
    assert_golden(card, "doc_collapsible_example");
}

#[test]
fn single_select_example() {
    let mut select = Select::new()
        .initial_option("")
        .placeholder("请选择")
        .select_type(SelectType::Default)
        .width("default")
        .disabled(false)
        .behavior(Behavior::Callback {
            value: json!({"select_static": "click"}),
        })
        .margin("0px 0px 0px 0px");
    for n in 1..=3 {
        select = select.option(
            SelectOption::new(format!("选项{n}"), n.to_string())
                .icon(Icon::standard("signature_outlined")),
        );
    }
    let card = CardV2::new()
        .direction(Direction::Vertical)
        .padding("12px 12px 12px 12px")
        .add(select);
    assert_golden(card, "doc_select_example");
}

#[test]
fn raw_components_go_out_as_given() {
    let chart = json!({"tag": "chart", "element_id": "chart_1", "chart_spec": {"type": "line"}});
    let card = CardV2::new()
        .add(chart.clone())
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(card.as_value()["body"]["elements"][0], chart);
}

#[test]
fn a_built_card_is_interactive_message_content() {
    let card = CardV2::new()
        .title("Hi")
        .add(Markdown::new("**there**"))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let json = card.to_json_string();
    assert_eq!(
        card.to_card(),
        feishu_core::im::content::Card::raw(card.as_value().clone())
    );
    let content = card.into_content();
    assert_eq!(content.msg_type(), "interactive");
    let string = content.to_content_string().unwrap_or_default();
    assert_eq!(
        serde_json::from_str::<Value>(&string).ok(),
        serde_json::from_str::<Value>(&json).ok()
    );
    assert!(matches!(content, MessageContent::Interactive(_)));
}

#[test]
fn an_empty_card_is_schema_and_body() {
    let card = CardV2::new().build().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        card.as_value(),
        &json!({"schema": "2.0", "body": {"elements": []}})
    );
}
