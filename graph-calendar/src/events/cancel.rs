use msgraph_core::{Action, GraphClient, GraphPath, Request, RequestOptions, Result};
use serde::Serialize;

/// Cancels a meeting as its organizer: `POST .../events/{id}/cancel`. Made
/// by [`Events::cancel`](crate::Events::cancel); ends in `.send().await`.
#[derive(Debug, Clone)]
#[must_use = "builders do nothing until sent"]
pub struct CancelEvent {
    client: GraphClient,
    options: RequestOptions,
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
        CancelEvent { options: Default::default(), client, path, body: CancelBody::default() }
    }

    /// A comment for the attendees' cancellation message.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.body.comment = Some(comment.into());
        self
    }

    fn request(self) -> Result<Request> {
        Request::post(self.path).json(&self.body)
    }

    fn into_action(self) -> Action<()> {
        let (client, options) = (self.client.clone(), self.options.clone());
        Action::empty(client, self.request()).with_options(options)
    }
}

msgraph_core::operation!(CancelEvent => ());
