use msgraph_core::odata::Preferences;
use msgraph_core::{GraphClient, GraphPath, Request, Result};

use crate::{Event, EventPatch};

/// Updates an event: `PATCH .../events/{id}` with only the properties set.
/// Made by [`Events::update`](crate::Events::update); ends in `.send().await`.
#[derive(Debug, Clone)]
#[must_use = "builders do nothing until sent"]
pub struct UpdateEvent {
    client: GraphClient,
    path: GraphPath,
    patch: EventPatch,
    prefs: Preferences,
}

impl UpdateEvent {
    pub(crate) fn new(client: GraphClient, path: GraphPath, patch: EventPatch) -> Self {
        UpdateEvent { client, path, patch, prefs: Preferences::default() }
    }

    /// `Prefer: outlook.timezone`: the zone of the times in the answer.
    pub fn timezone(mut self, tz: impl Into<String>) -> Self {
        self.prefs.timezone = Some(tz.into());
        self
    }

    /// The request, as it would be sent, after the patch's checks.
    pub fn into_request(self) -> Result<Request> {
        self.patch.validate()?;
        Request::patch(self.path).prefer(&self.prefs).json(&self.patch)
    }

    /// Checks the patch, applies it, and returns the updated event.
    pub async fn send(self) -> Result<Event> {
        let client = self.client.clone();
        let req = self.into_request()?;
        client.send_json(req).await
    }
}

msgraph_core::into_future!(UpdateEvent => Event);
