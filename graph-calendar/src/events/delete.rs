use msgraph_core::{GraphClient, GraphPath, Request, Result};

/// Deletes an event: `DELETE .../events/{id}`. Made by
/// [`Events::delete`](crate::Events::delete); ends in `.send().await`.
#[derive(Debug, Clone)]
#[must_use = "builders do nothing until sent"]
pub struct DeleteEvent {
    client: GraphClient,
    path: GraphPath,
}

impl DeleteEvent {
    pub(crate) fn new(client: GraphClient, path: GraphPath) -> Self {
        DeleteEvent { client, path }
    }

    /// The request, as it would be sent.
    pub fn into_request(self) -> Result<Request> {
        Ok(Request::delete(self.path))
    }

    /// Deletes the event (Graph answers 204).
    pub async fn send(self) -> Result<()> {
        let client = self.client.clone();
        let req = self.into_request()?;
        client.send_empty(req).await
    }
}

msgraph_core::into_future!(DeleteEvent => ());
