//! Form fields: the input box and the single-select dropdown.
//! Docs: <https://open.feishu.cn/document/feishu-cards/card-json-v2-components/interactive-components/input>,
//! <https://open.feishu.cn/document/feishu-cards/card-json-v2-components/interactive-components/single-select-dropdown-menu>

use serde::Serialize;

use super::{Behavior, Confirm, Icon, Text};

/// What an input box takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum InputType {
    /// `text`: one line.
    Text,
    /// `multiline_text`: line breaks come back as `\n`.
    MultilineText,
    /// `password`: shown as dots.
    Password,
}

/// Where a field's label sits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LabelPosition {
    /// `top`.
    Top,
    /// `left` (narrow screens move it to the top).
    Left,
}

/// The input box (`input`). In a form it needs a card-unique `name`; the
/// text is 1–1,000 characters (`max_length`), the placeholder at most 100.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Input {
    #[serde(skip_serializing_if = "Option::is_none")]
    element_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    margin: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    required: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    disabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    disabled_tips: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    placeholder: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    width: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_length: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    input_type: Option<InputType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    show_icon: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rows: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    auto_resize: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_rows: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    label_position: Option<LabelPosition>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    behaviors: Vec<Behavior>,
    #[serde(skip_serializing_if = "Option::is_none")]
    confirm: Option<Confirm>,
}

impl Input {
    /// An input box named `name` (what its value is keyed by in a form's
    /// callback).
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: Some(name.into()),
            ..Self::default()
        }
    }

    /// Adds a behaviour (a callback when the text is submitted).
    pub fn behavior(mut self, behavior: Behavior) -> Self {
        self.behaviors.push(behavior);
        self
    }

    setters! {
        /// `required` (in a form).
        required: bool,
        /// `disabled`.
        disabled: bool,
        /// The tooltip while disabled.
        disabled_tips: Text,
        /// The placeholder (at most 100 characters).
        placeholder: Text,
        /// The text filled in at first.
        default_value: String,
        /// `width`: `default`, `fill` or `[100,…)px`.
        width: String,
        /// `max_length`: 1–1,000.
        max_length = u32,
        /// `input_type`.
        input_type: InputType,
        /// `show_icon` (password inputs).
        show_icon: bool,
        /// `rows` shown (multi-line inputs).
        rows = u32,
        /// `auto_resize` (multi-line inputs, desktop).
        auto_resize: bool,
        /// `max_rows` when auto-resizing.
        max_rows = u32,
        /// The label.
        label: Text,
        /// `label_position`.
        label_position: LabelPosition,
        /// A confirmation dialog on submit.
        confirm: Confirm,
    }
}

/// A dropdown's border style.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SelectType {
    /// `default`: with a border.
    Default,
    /// `text`: plain text, no border.
    Text,
}

/// One option of a [`Select`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SelectOption {
    text: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    icon: Option<Icon>,
    value: String,
}

impl SelectOption {
    /// An option labelled `text`, answering `value` (unique within its
    /// select).
    pub fn new(text: impl Into<Text>, value: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            icon: None,
            value: value.into(),
        }
    }

    setters! {
        /// The prefix icon.
        icon: Icon,
    }
}

/// The single-select dropdown (`select_static`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Select {
    #[serde(skip_serializing_if = "Option::is_none")]
    element_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    margin: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    select_type: Option<SelectType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    required: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    disabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    initial_option: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    placeholder: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    width: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    behaviors: Vec<Behavior>,
    options: Vec<SelectOption>,
    #[serde(skip_serializing_if = "Option::is_none")]
    confirm: Option<Confirm>,
}

impl Select {
    /// An empty dropdown.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an option.
    pub fn option(mut self, option: SelectOption) -> Self {
        self.options.push(option);
        self
    }

    /// Adds a behaviour (a callback on choice, outside a form).
    pub fn behavior(mut self, behavior: Behavior) -> Self {
        self.behaviors.push(behavior);
        self
    }

    setters! {
        /// The border style (`type`).
        select_type: SelectType,
        /// The `name` (required in a form).
        name: String,
        /// `required` (in a form).
        required: bool,
        /// `disabled`.
        disabled: bool,
        /// The option chosen at first, by value.
        initial_option: String,
        /// The placeholder.
        placeholder: Text,
        /// `width`: `default`, `fill` or `[100,…)px`.
        width: String,
        /// A confirmation dialog on submit.
        confirm: Confirm,
    }
}

element_common!(Input, Select);
