//! Delta sync of a calendar view through core's [`DeltaSync`]
//! ([event: delta](https://learn.microsoft.com/graph/api/event-delta)).

use msgraph_core::delta::DeltaSync;
use msgraph_core::{GraphClient, GraphPath, IntoUtc, WithOptions as _};

use crate::Event;
use crate::time::utc_param;

/// A delta query of `container/calendarView/delta` over `[start, end)`:
/// the window goes on the initial request (in UTC); Graph carries it in the
/// links after that.
pub(crate) fn calendar_view_delta(
    client: GraphClient,
    container: GraphPath,
    start: impl IntoUtc,
    end: impl IntoUtc,
) -> DeltaSync<Event> {
    let mut sync = DeltaSync::new(client, container.push("calendarView").push("delta"));
    match crate::view::window(start, end) {
        Ok((start, end)) => {
            sync = sync.param("startDateTime", utc_param(&start)).param("endDateTime", utc_param(&end));
        }
        Err(message) => sync.request_options().fail(message),
    }
    sync
}
