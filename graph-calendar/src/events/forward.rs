use msgraph_core::models::Recipient;
use msgraph_core::{Action, Error, GraphClient, GraphPath, Request, RequestOptions, Result};
use serde::Serialize;

/// Forwards a meeting request: `POST .../events/{id}/forward`. Made by
/// [`Events::forward`](crate::Events::forward); ends in `.send().await`.
#[derive(Debug, Clone)]
#[must_use = "builders do nothing until sent"]
pub struct ForwardEvent {
    client: GraphClient,
    options: RequestOptions,
    path: GraphPath,
    body: ForwardBody,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct ForwardBody {
    to_recipients: Vec<Recipient>,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
}

impl ForwardEvent {
    pub(crate) fn new(client: GraphClient, path: GraphPath, to: Vec<Recipient>) -> Self {
        ForwardEvent {
            options: Default::default(),
            client,
            path,
            body: ForwardBody { to_recipients: to, comment: None },
        }
    }

    /// A comment for the recipients.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.body.comment = Some(comment.into());
        self
    }

    fn request(self) -> Result<Request> {
        if self.body.to_recipients.is_empty() {
            return Err(Error::invalid_input("forwarding an event needs at least one recipient"));
        }
        if self.body.to_recipients.iter().any(|r| r.address().is_none_or(|a| a.trim().is_empty())) {
            return Err(Error::invalid_input("every recipient needs an email address"));
        }
        Request::post(self.path).json(&self.body)
    }

    fn into_action(self) -> Action<()> {
        let (client, options) = (self.client.clone(), self.options.clone());
        Action::empty(client, self.request()).with_options(options)
    }
}

msgraph_core::operation!(ForwardEvent => ());
