use msgraph_core::models::Recipient;
use msgraph_core::{Error, GraphClient, GraphPath, Request, Result};
use serde::Serialize;

/// Forwards a meeting request: `POST .../events/{id}/forward`. Made by
/// [`Events::forward`](crate::Events::forward); ends in `.send().await`.
#[derive(Debug, Clone)]
#[must_use = "builders do nothing until sent"]
pub struct ForwardEvent {
    client: GraphClient,
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
        ForwardEvent { client, path, body: ForwardBody { to_recipients: to, comment: None } }
    }

    /// A comment for the recipients.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.body.comment = Some(comment.into());
        self
    }

    /// The request, as it would be sent; at least one recipient, each with an
    /// address.
    pub fn into_request(self) -> Result<Request> {
        if self.body.to_recipients.is_empty() {
            return Err(Error::invalid_input("forwarding an event needs at least one recipient"));
        }
        if self.body.to_recipients.iter().any(|r| r.address().is_none_or(|a| a.trim().is_empty())) {
            return Err(Error::invalid_input("every recipient needs an email address"));
        }
        Request::post(self.path).json(&self.body)
    }

    /// Forwards the meeting request (Graph answers 202).
    pub async fn send(self) -> Result<()> {
        let client = self.client.clone();
        let req = self.into_request()?;
        client.send_empty(req).await
    }
}

msgraph_core::into_future!(ForwardEvent => ());
