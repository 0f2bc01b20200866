use msgraph_core::odata::Preferences;
use msgraph_core::{GraphClient, GraphPath, Request, Result};

use crate::{Event, NewEvent};

/// Creates an event: `POST .../events`. Made by
/// [`Events::create`](crate::Events::create); ends in `.send().await`.
#[derive(Debug, Clone)]
#[must_use = "builders do nothing until sent"]
pub struct CreateEvent {
    client: GraphClient,
    path: GraphPath,
    event: NewEvent,
    prefs: Preferences,
}

impl CreateEvent {
    pub(crate) fn new(client: GraphClient, path: GraphPath, event: NewEvent) -> Self {
        CreateEvent { client, path, event, prefs: Preferences::default() }
    }

    /// `Prefer: outlook.timezone`: the zone of the times in the answer
    /// (the event's own zone is the one its start and end were given in).
    pub fn timezone(mut self, tz: impl Into<String>) -> Self {
        self.prefs.timezone = Some(tz.into());
        self
    }

    /// The request, as it would be sent, after the event's checks.
    pub fn into_request(self) -> Result<Request> {
        self.event.validate()?;
        Request::post(self.path).prefer(&self.prefs).json(&self.event)
    }

    /// Checks the event, creates it, and returns it as Graph stored it (with
    /// its id and, for online meetings, `onlineMeeting.joinUrl`).
    pub async fn send(self) -> Result<Event> {
        let client = self.client.clone();
        let req = self.into_request()?;
        client.send_json(req).await
    }
}

msgraph_core::into_future!(CreateEvent => Event);
