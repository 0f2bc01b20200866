//! Answering a meeting request: accept, tentatively accept, decline
//! ([event: accept](https://learn.microsoft.com/graph/api/event-accept),
//! [tentativelyAccept](https://learn.microsoft.com/graph/api/event-tentativelyaccept),
//! [decline](https://learn.microsoft.com/graph/api/event-decline)).

use std::cmp::Ordering;

use msgraph_core::{Action, Error, GraphClient, GraphPath, Request, RequestOptions, Result};
use serde::Serialize;

use crate::TimeSlot;
use crate::time::{DateTimeTimeZoneExt as _, IntoDateTimeTimeZone};

/// Which answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Response {
    Accept,
    TentativelyAccept,
    Decline,
}

impl Response {
    fn action(self) -> &'static str {
        match self {
            Response::Accept => "accept",
            Response::TentativelyAccept => "tentativelyAccept",
            Response::Decline => "decline",
        }
    }
}

/// An answer to a meeting request: `POST .../events/{id}/accept`,
/// `/tentativelyAccept` or `/decline`. Made by
/// [`Events::accept`](crate::Events::accept),
/// [`Events::tentatively_accept`](crate::Events::tentatively_accept) or
/// [`Events::decline`](crate::Events::decline); ends in `.send().await`.
#[derive(Debug, Clone)]
#[must_use = "builders do nothing until sent"]
pub struct RespondToEvent {
    client: GraphClient,
    options: RequestOptions,
    event: GraphPath,
    response: Response,
    body: RespondBody,
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct RespondBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    send_response: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    proposed_new_time: Option<TimeSlot>,
}

impl RespondToEvent {
    pub(crate) fn new(client: GraphClient, event: GraphPath, response: Response) -> Self {
        RespondToEvent { options: Default::default(), client, event, response, body: RespondBody::default() }
    }

    /// A comment for the organizer.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.body.comment = Some(comment.into());
        self
    }

    /// Whether the organizer gets the answer (Graph's default: yes).
    pub fn send_response(mut self, send: bool) -> Self {
        self.body.send_response = Some(send);
        self
    }

    /// Proposes another time (tentatively accept and decline only; the
    /// organizer must allow proposals, and the answer must be sent).
    pub fn propose_new_time(mut self, start: impl IntoDateTimeTimeZone, end: impl IntoDateTimeTimeZone) -> Self {
        self.body.proposed_new_time = Some(TimeSlot::new(start, end));
        self
    }

    fn request(self) -> Result<Request> {
        if let Some(slot) = &self.body.proposed_new_time {
            if self.response == Response::Accept {
                return Err(Error::invalid_input(
                    "a new time can be proposed only when tentatively accepting or declining",
                ));
            }
            if self.body.send_response == Some(false) {
                return Err(Error::invalid_input("a new time can be proposed only when the response is sent"));
            }
            if let (Some(start), Some(end)) = (&slot.start, &slot.end)
                && matches!(start.compare(end), Some(Ordering::Equal | Ordering::Greater))
            {
                return Err(Error::invalid_input("the proposed time must end after it starts"));
            }
        }
        let path = self.event.push(self.response.action());
        path.validate()?;
        Request::post(path).json(&self.body)
    }

    /// The action's name on the wire (`accept`, `tentativelyAccept`, `decline`).
    pub fn action(&self) -> &'static str {
        self.response.action()
    }

    fn into_action(self) -> Action<()> {
        let (client, options) = (self.client.clone(), self.options.clone());
        Action::empty(client, self.request()).with_options(options)
    }
}

msgraph_core::operation!(RespondToEvent => ());
