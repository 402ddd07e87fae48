//! The components a card body holds, and the simple ones: Markdown, plain
//! text, divider, image.
//! Docs: <https://open.feishu.cn/document/feishu-cards/card-json-v2-components/component-json-v2-overview>

use serde::Serialize;
use serde_json::Value;

use super::{
    Button, CollapsiblePanel, ColumnSet, Form, HorizontalAlign, Icon, Input, Select, Table, Text,
};

/// One component of a card body, typed, or raw JSON for what is not typed
/// yet (`Element::from(json!({...}))`; checked like the rest when the card
/// is built).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "tag", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Element {
    /// `markdown`.
    Markdown(Markdown),
    /// `div`: plain text.
    #[serde(rename = "div")]
    PlainText(PlainText),
    /// `hr`.
    #[serde(rename = "hr")]
    Divider(Divider),
    /// `img`.
    #[serde(rename = "img")]
    Image(Box<Image>),
    /// `button`.
    Button(Box<Button>),
    /// `column_set`.
    ColumnSet(ColumnSet),
    /// `form`.
    Form(Form),
    /// `input`.
    Input(Box<Input>),
    /// `select_static`.
    #[serde(rename = "select_static")]
    Select(Box<Select>),
    /// `collapsible_panel`.
    CollapsiblePanel(Box<CollapsiblePanel>),
    /// `table`.
    Table(Box<Table>),
    /// Any component, as its JSON.
    #[serde(untagged)]
    Raw(Value),
}

impl From<Value> for Element {
    fn from(raw: Value) -> Self {
        Self::Raw(raw)
    }
}

/// `From<Component> for Element`, boxing the large ones so an `Element`
/// stays small.
macro_rules! into_element {
    (plain: $($plain:ident),*; boxed: $($boxed:ident),* $(;)?) => {
        $(
            impl From<$plain> for Element {
                fn from(element: $plain) -> Self {
                    Element::$plain(element)
                }
            }
        )*
        $(
            impl From<$boxed> for Element {
                fn from(element: $boxed) -> Self {
                    Element::$boxed(Box::new(element))
                }
            }
        )*
    };
}

into_element! {
    plain: Markdown, PlainText, Divider, ColumnSet, Form;
    boxed: Image, Button, Input, Select, CollapsiblePanel, Table;
}

/// The rich text component (`markdown`): full Markdown and Feishu's tags
/// (`<at>`, `<font>`, `<text_tag>`, …). Escape user text with
/// [`escape`](super::escape).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Markdown {
    #[serde(skip_serializing_if = "Option::is_none")]
    element_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    margin: Option<String>,
    content: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    text_align: Option<HorizontalAlign>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text_size: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    icon: Option<Icon>,
}

impl Markdown {
    /// A Markdown component.
    pub fn new(content: impl Into<String>) -> Self {
        Self {
            element_id: None,
            margin: None,
            content: content.into(),
            text_align: None,
            text_size: None,
            icon: None,
        }
    }

    setters! {
        /// `text_align`.
        text_align as align: HorizontalAlign,
        /// `text_size`: `normal`, `heading`, `notation`, ….
        text_size as size: String,
        /// The prefix icon.
        icon: Icon,
    }
}

/// The plain text component (`div`): a text object, optionally with an icon.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlainText {
    #[serde(skip_serializing_if = "Option::is_none")]
    element_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    margin: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    width: Option<String>,
    text: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    icon: Option<Icon>,
}

impl PlainText {
    /// A `plain_text` text component.
    pub fn new(content: impl Into<String>) -> Self {
        Self::with_text(Text::plain(content))
    }

    /// A component showing this text object (e.g. [`Text::lark_md`], or a
    /// styled one).
    pub fn with_text(text: Text) -> Self {
        Self {
            element_id: None,
            margin: None,
            width: None,
            text,
            icon: None,
        }
    }

    setters! {
        /// `width`: `fill`, `auto` or `[16,999]px`.
        width: String,
        /// The prefix icon.
        icon: Icon,
    }
}

/// The divider (`hr`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Divider {
    #[serde(skip_serializing_if = "Option::is_none")]
    element_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    margin: Option<String>,
}

impl Divider {
    /// A divider.
    pub fn new() -> Self {
        Self::default()
    }
}

/// How an image is cropped to its size.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ScaleType {
    /// `crop_center`.
    CropCenter,
    /// `crop_top`.
    CropTop,
    /// `fit_horizontal`: the whole image, uncropped.
    FitHorizontal,
}

/// The image component (`img`), of an uploaded image's `img_key`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Image {
    #[serde(skip_serializing_if = "Option::is_none")]
    element_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    margin: Option<String>,
    img_key: String,
    alt: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    corner_radius: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scale_type: Option<ScaleType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    size: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    transparent: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    preview: Option<bool>,
}

impl Image {
    /// An image, with the text shown on hover (`alt`, required).
    pub fn new(img_key: impl Into<String>, alt: impl Into<Text>) -> Self {
        Self {
            element_id: None,
            margin: None,
            img_key: img_key.into(),
            alt: alt.into(),
            title: None,
            corner_radius: None,
            scale_type: None,
            size: None,
            transparent: None,
            preview: None,
        }
    }

    setters! {
        /// The title.
        title: Text,
        /// `corner_radius`, e.g. `5px` or `5%`.
        corner_radius: String,
        /// `scale_type`.
        scale_type: ScaleType,
        /// `size`: `large`, `medium`, `small`, `tiny`, `stretch` or `W H` in px.
        size: String,
        /// `transparent`: no white background.
        transparent: bool,
        /// `preview`: enlarge on click.
        preview: bool,
    }
}

element_common!(Markdown, PlainText, Divider, Image);
