//! `POST /open-apis/auth/v3/app_ticket/resend`
//!
//! Ask Feishu to push a fresh `app_ticket` event to a marketplace app now.
//! The ticket never comes back in this response; it arrives as an event.
//! Docs: <https://open.feishu.cn/document/ukTMukTMukTM/ukDNz4SO0MjL5QzM/auth-v3/auth/app_ticket_resend>

use serde::Serialize;

use crate::{Body, Secret, Shape, endpoint};

/// A request to resend the `app_ticket` event (marketplace apps only; a
/// self-built app gets [`RESEND_APP_TICKET_FAILED`](crate::codes::RESEND_APP_TICKET_FAILED)).
#[derive(Clone, Debug, Serialize)]
pub struct AppTicketResend {
    /// The app id, `cli_…`.
    pub app_id: String,
    /// The app secret.
    #[serde(serialize_with = "crate::secret::expose")]
    pub app_secret: Secret,
}

impl AppTicketResend {
    /// A resend request.
    pub fn new(app_id: impl Into<String>, app_secret: impl Into<Secret>) -> Self {
        Self {
            app_id: app_id.into(),
            app_secret: app_secret.into(),
        }
    }
}

endpoint! {
    AppTicketResend => () {
        id: "auth.v3.app_ticket.resend",
        method: POST,
        path: "/open-apis/auth/v3/app_ticket/resend",
        tokens: [],
        body: json(Body::json),
        shape: token(|_: &AppTicketResend, response| Shape::Token.check(response)),
        // A second resend only triggers a second, identical ticket push.
        idempotent: true,
        doc: "https://open.feishu.cn/document/ukTMukTMukTM/ukDNz4SO0MjL5QzM/auth-v3/auth/app_ticket_resend",
    }
}
