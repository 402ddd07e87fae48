//! Buttons, and what clicking one does.
//! Docs: <https://open.feishu.cn/document/feishu-cards/card-json-v2-components/interactive-components/button>

use serde::Serialize;
use serde_json::Value;

use super::{Icon, Text};

/// A button's style.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ButtonType {
    /// `default`: black text, border.
    Default,
    /// `primary`: blue text, border.
    Primary,
    /// `danger`: red text, border.
    Danger,
    /// `text`: black text, no border.
    Text,
    /// `primary_text`: blue text, no border.
    PrimaryText,
    /// `danger_text`: red text, no border.
    DangerText,
    /// `primary_filled`: white on blue.
    PrimaryFilled,
    /// `danger_filled`: white on red.
    DangerFilled,
    /// `laser`.
    Laser,
}

/// A button's size.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ButtonSize {
    /// `tiny`.
    Tiny,
    /// `small`.
    Small,
    /// `medium`.
    Medium,
    /// `large`.
    Large,
}

/// What an interaction does: call the app back and/or open a link.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Behavior {
    /// `callback`: Feishu sends `value` to the app's callback URL
    /// (`card.action.trigger`).
    Callback {
        /// What the callback carries, e.g. `{"action": "approve"}`.
        value: Value,
    },
    /// `open_url`: the client opens a link.
    OpenUrl(OpenUrl),
}

/// A link to open, with per-platform overrides.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OpenUrl {
    default_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    android_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ios_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pc_url: Option<String>,
}

impl OpenUrl {
    /// Opens `default_url` on every platform.
    pub fn new(default_url: impl Into<String>) -> Self {
        Self {
            default_url: default_url.into(),
            android_url: None,
            ios_url: None,
            pc_url: None,
        }
    }

    setters! {
        /// The Android link (`lark://msgcard/unsupported_action` to disable).
        android_url: String,
        /// The iOS link.
        ios_url: String,
        /// The desktop link.
        pc_url: String,
    }
}

/// A confirmation dialog before the interaction takes effect.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Confirm {
    title: Text,
    text: Text,
}

impl Confirm {
    /// A dialog with a title and a body.
    pub fn new(title: impl Into<Text>, text: impl Into<Text>) -> Self {
        Self {
            title: title.into(),
            text: text.into(),
        }
    }
}

/// What a button inside a form does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FormAction {
    /// `submit`: sends every field of the form in one callback.
    Submit,
    /// `reset`: clears the form.
    Reset,
}

/// The button component.
///
/// ```
/// use feishu_core::card::{Button, ButtonType};
///
/// let approve = Button::new("Approve").button_type(ButtonType::Primary)
///     .callback(serde_json::json!({"action": "approve"}))
///     .open_url("https://example.com/requests/42");
/// let json = serde_json::to_value(&approve)?;
/// assert_eq!(json["behaviors"][0], serde_json::json!({"type": "callback", "value": {"action": "approve"}}));
/// assert_eq!(json["behaviors"][1], serde_json::json!({"type": "open_url", "default_url": "https://example.com/requests/42"}));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Button {
    #[serde(skip_serializing_if = "Option::is_none")]
    element_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    margin: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    button_type: Option<ButtonType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    size: Option<ButtonSize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    width: Option<String>,
    text: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    icon: Option<Icon>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hover_tips: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    disabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    disabled_tips: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    confirm: Option<Confirm>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    behaviors: Vec<Behavior>,
    #[serde(skip_serializing_if = "Option::is_none")]
    form_action_type: Option<FormAction>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
}

impl Button {
    /// A button labelled `text`.
    pub fn new(text: impl Into<Text>) -> Self {
        Self {
            element_id: None,
            margin: None,
            button_type: None,
            size: None,
            width: None,
            text: text.into(),
            icon: None,
            hover_tips: None,
            disabled: None,
            disabled_tips: None,
            confirm: None,
            behaviors: Vec::new(),
            form_action_type: None,
            name: None,
        }
    }

    /// Adds a behaviour.
    pub fn behavior(mut self, behavior: Behavior) -> Self {
        self.behaviors.push(behavior);
        self
    }

    /// Calls the app back with `value` when clicked.
    pub fn callback(self, value: Value) -> Self {
        self.behavior(Behavior::Callback { value })
    }

    /// Opens `url` when clicked; [`Button::behavior`] with an [`OpenUrl`]
    /// sets per-platform links.
    pub fn open_url(self, url: impl Into<String>) -> Self {
        self.behavior(Behavior::OpenUrl(OpenUrl::new(url)))
    }

    /// In a form: submits it. `name` identifies the button in the callback
    /// and is unique within the card.
    pub fn submit(self, name: impl Into<String>) -> Self {
        self.form_action(FormAction::Submit, name)
    }

    /// In a form: resets it.
    pub fn reset(self, name: impl Into<String>) -> Self {
        self.form_action(FormAction::Reset, name)
    }

    fn form_action(mut self, action: FormAction, name: impl Into<String>) -> Self {
        self.form_action_type = Some(action);
        self.name = Some(name.into());
        self
    }

    setters! {
        /// The style (`type`).
        button_type: ButtonType,
        /// The size.
        size: ButtonSize,
        /// `width`: `default`, `fill` or `[100,…)px`.
        width: String,
        /// The prefix icon.
        icon: Icon,
        /// The tooltip on hover (desktop).
        hover_tips: Text,
        /// Whether the button is disabled.
        disabled: bool,
        /// The tooltip while disabled.
        disabled_tips: Text,
        /// A confirmation dialog.
        confirm: Confirm,
        /// The `name` inside a form.
        name: String,
    }
}

element_common!(Button);
