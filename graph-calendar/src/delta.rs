//! Delta sync of a calendar view through core's [`DeltaSync`]
//! ([event: delta](https://learn.microsoft.com/graph/api/event-delta)).

use chrono::{DateTime, TimeZone};
use msgraph_core::delta::DeltaSync;
use msgraph_core::{GraphClient, GraphPath};

use crate::Event;
use crate::time::utc_param;

/// A delta query of `container/calendarView/delta` over `[start, end)`:
/// the window goes on the initial request (in UTC); Graph carries it in the
/// links after that.
pub(crate) fn calendar_view_delta<A: TimeZone, B: TimeZone>(
    client: GraphClient,
    container: GraphPath,
    start: &DateTime<A>,
    end: &DateTime<B>,
) -> DeltaSync<Event> {
    DeltaSync::new(client, container.push("calendarView").push("delta"))
        .param("startDateTime", utc_param(start))
        .param("endDateTime", utc_param(end))
}
