use msgraph_core::{GraphClient, GraphPath, Request, Result};
use serde::Serialize;

/// Cancels a meeting as its organizer: `POST .../events/{id}/cancel`. Made
/// by [`Events::cancel`](crate::Events::cancel); ends in `.send().await`.
#[derive(Debug, Clone)]
#[must_use = "builders do nothing until sent"]
pub struct CancelEvent {
    client: GraphClient,
    path: GraphPath,
    body: CancelBody,
}

#[derive(Debug, Clone, Default, Serialize)]
struct CancelBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
}

impl CancelEvent {
    pub(crate) fn new(client: GraphClient, path: GraphPath) -> Self {
        CancelEvent { client, path, body: CancelBody::default() }
    }

    /// A comment for the attendees' cancellation message.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.body.comment = Some(comment.into());
        self
    }

    /// The request, as it would be sent.
    pub fn into_request(self) -> Result<Request> {
        Request::post(self.path).json(&self.body)
    }

    /// Cancels the meeting (Graph answers 202). Only the organizer may;
    /// others get an error from Graph (use decline).
    pub async fn send(self) -> Result<()> {
        let client = self.client.clone();
        let req = self.into_request()?;
        client.send_empty(req).await
    }
}

msgraph_core::into_future!(CancelEvent => ());
