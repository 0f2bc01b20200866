//! Partitioned scans: one listing read as several nextLink chains at once.
//!
//! A nextLink chain is sequential: a bootstrap scan of a large mailbox takes
//! (pages × round trip) however fast the client is. A [`PartitionedScan`]
//! splits the collection into `k` disjoint half-open ranges of a date-time
//! property (for messages `receivedDateTime`), runs one ordinary chain per
//! range side by side and merges their items into one stream. It relies only
//! on documented `$filter` and `$orderby`, never on the shape of nextLinks.
//!
//! How the ranges are made: two one-item requests find the oldest and newest
//! value of the property (in the user's `$filter`); the span between them is
//! cut into `k` equal parts at whole seconds. The first range has no lower
//! bound and the last no upper bound, so items that arrive during the scan
//! with a value outside the span are still in exactly one range; every other
//! boundary belongs to the range above it (`ge b and lt b'`), so an item whose
//! value sits on a boundary is read exactly once. Items without a value for
//! the property are in no range (a message always has `receivedDateTime`).
//!
//! The chains share the client's per-mailbox concurrency limit
//! ([`GraphClientBuilder::max_concurrent_per_mailbox`](crate::GraphClientBuilder::max_concurrent_per_mailbox),
//! 4 by default, Graph's limit for Outlook resources), so `k` above it only
//! queues.

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use futures::stream::{self, BoxStream, StreamExt as _};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::{Error, ListBuilder, Result};

/// The lower bound a chain without one filters on (the earliest date Graph
/// takes), so that the ordered property is always first in `$filter`.
const FLOOR: &str = "1601-01-01T00:00:00Z";

/// The most chains one scan runs.
pub const MAX_PARTITIONS: usize = 16;

/// A listing read as `k` nextLink chains over disjoint ranges of a
/// date-time property, merged into one item stream (in no global order).
/// Made by [`ListBuilder::partitioned_by`] (mail: `MessageListExt::partitioned`).
///
/// The user's `$filter`, `$select`, `$top`, headers and preferences apply to
/// every chain; the range comes first in each chain's `$filter` and the
/// chain is ordered by the property, as Outlook requires for a filter on it.
/// `$search`, `$skip`, `$orderby` on another property and a resume point
/// cannot be partitioned and are an [`Error::InvalidInput`] before anything
/// is sent. If one chain fails, the stream yields that error.
///
/// ```no_run
/// use futures::TryStreamExt;
/// use msgraph_core::{GraphClient, GraphPath, ListBuilder};
/// # async fn run(client: GraphClient) -> msgraph_core::Result<()> {
/// let inbox: ListBuilder<serde_json::Value> =
///     ListBuilder::new(client, GraphPath::new().push("me").push("messages"));
/// let mut all = inbox.select(["id", "subject"]).top(50).partitioned_by("receivedDateTime", 4).stream();
/// while let Some(m) = all.try_next().await? {
///     println!("{}", m["subject"]);
/// }
/// # Ok(()) }
/// ```
#[must_use = "a scan does nothing until streamed"]
pub struct PartitionedScan<T> {
    base: ListBuilder<T>,
    property: String,
    k: usize,
}

impl<T> std::fmt::Debug for PartitionedScan<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PartitionedScan")
            .field("base", &self.base)
            .field("property", &self.property)
            .field("k", &self.k)
            .finish()
    }
}

impl<T: DeserializeOwned + Send + 'static> PartitionedScan<T> {
    pub(crate) fn new(base: ListBuilder<T>, property: String, k: usize) -> Self {
        PartitionedScan { base, property, k }
    }

    fn check(&self) -> Result<()> {
        let p = &self.property;
        if p.is_empty() || !p.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(Error::invalid_input(format!(
                "a partitioned scan needs a plain property name (e.g. receivedDateTime), not {p:?}"
            )));
        }
        if self.k == 0 || self.k > MAX_PARTITIONS {
            return Err(Error::invalid_input(format!(
                "a partitioned scan runs 1 to {MAX_PARTITIONS} chains, not {}",
                self.k
            )));
        }
        let q = self.base.query_options();
        if q.search.is_some() {
            return Err(Error::invalid_input(
                "a $search listing cannot be partitioned (Graph does not combine $search with $filter)",
            ));
        }
        if q.skip.is_some() {
            return Err(Error::invalid_input("a listing with $skip cannot be partitioned"));
        }
        if q.order_by.iter().any(|o| o.split_whitespace().next() != Some(p.as_str())) {
            return Err(Error::invalid_input(format!(
                "a partitioned scan is ordered by {p} within each chain; drop the other $orderby"
            )));
        }
        if self.base.has_resume_point() {
            return Err(Error::invalid_input("a resumed listing cannot be partitioned"));
        }
        Ok(())
    }

    /// The oldest (`asc`) or newest (`desc`) value of the property under the user's filter.
    async fn edge(&self, direction: &str) -> Result<Option<DateTime<Utc>>> {
        let mut probe: ListBuilder<Value> = self.base.retyped();
        let q = probe.query_mut();
        q.select = vec![self.property.clone()];
        q.order_by = vec![format!("{} {direction}", self.property)];
        q.top = Some(1);
        q.expand.clear();
        q.count = None;
        // Outlook wants the ordered property first in the filter
        q.filter = Some(with_user(format!("{} ge {FLOOR}", self.property), q.filter.as_deref()));
        let page = probe.send().await?;
        let Some(first) = page.value.first() else { return Ok(None) };
        match first.get(&self.property) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => DateTime::parse_from_rfc3339(s)
                .map(|d| Some(d.with_timezone(&Utc)))
                .map_err(|e| Error::Paging(format!("{} {s:?} is not a date-time: {e}", self.property))),
            Some(other) => Err(Error::Paging(format!("{} is not a date-time: {other}", self.property))),
        }
    }

    /// The inner boundaries of the ranges (k-1 at most, strictly increasing,
    /// whole seconds, all after the oldest value).
    async fn boundaries(&self) -> Result<Vec<DateTime<Utc>>> {
        if self.k == 1 {
            return Ok(Vec::new());
        }
        let (Some(oldest), Some(newest)) = (self.edge("asc").await?, self.edge("desc").await?) else {
            return Ok(Vec::new());
        };
        Ok(cut(oldest, newest, self.k))
    }

    /// Each chain's `$filter`, as it will be sent (two requests find the
    /// boundaries). For logs and tests.
    pub async fn plan(&self) -> Result<Vec<String>> {
        self.check()?;
        let cuts = self.boundaries().await?;
        Ok(ranges(&self.property, &cuts, self.base.query_options().filter.as_deref()))
    }

    /// Every item of every range, merged as they come.
    pub fn stream(self) -> BoxStream<'static, Result<T>> {
        stream::once(async move {
            let filters = self.plan().await?;
            let chains = filters.into_iter().map(|f| {
                let mut chain = self.base.clone();
                let q = chain.query_mut();
                q.filter = Some(f);
                q.order_by = vec![format!("{} asc", self.property)];
                chain.stream().boxed()
            });
            Ok::<_, Error>(stream::select_all(chains))
        })
        .flat_map(|r| match r {
            Ok(merged) => merged.boxed(),
            Err(e) => stream::once(async move { Err(e) }).boxed(),
        })
        .boxed()
    }
}

/// `k` equal parts of `[oldest, newest]`, cut at whole seconds: the inner
/// boundaries, strictly increasing and after `oldest`.
fn cut(oldest: DateTime<Utc>, newest: DateTime<Utc>, k: usize) -> Vec<DateTime<Utc>> {
    let span = newest.signed_duration_since(oldest);
    if span <= TimeDelta::zero() {
        return Vec::new();
    }
    let mut out: Vec<DateTime<Utc>> = Vec::with_capacity(k.saturating_sub(1));
    for i in 1..k {
        let Ok(i) = i32::try_from(i) else { break };
        let Ok(k) = i32::try_from(k) else { break };
        let Some(step) = span.checked_mul(i).map(|d| d / k) else { break };
        let Some(at) = oldest.checked_add_signed(step) else { break };
        let at = at.duration_trunc(TimeDelta::seconds(1)).unwrap_or(at);
        if at > oldest && out.last().is_none_or(|l| at > *l) {
            out.push(at);
        }
    }
    out
}

fn with_user(range: String, user: Option<&str>) -> String {
    match user {
        Some(u) => format!("{range} and ({u})"),
        None => range,
    }
}

/// One `$filter` per range: `lt b1`, `ge b1 and lt b2`, ..., `ge bn`; the
/// user's filter after the range.
fn ranges(property: &str, cuts: &[DateTime<Utc>], user: Option<&str>) -> Vec<String> {
    let lit = |t: &DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (Some(first), Some(last)) = (cuts.first(), cuts.last()) else {
        return vec![with_user(format!("{property} ge {FLOOR}"), user)];
    };
    let mut out = Vec::with_capacity(cuts.len() + 1);
    out.push(with_user(format!("{property} lt {}", lit(first)), user));
    for w in cuts.windows(2) {
        out.push(with_user(format!("{property} ge {} and {property} lt {}", lit(&w[0]), lit(&w[1])), user));
    }
    out.push(with_user(format!("{property} ge {}", lit(last)), user));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn the_span_is_cut_in_equal_whole_second_parts() {
        let c = cut(t("2026-01-01T00:00:00Z"), t("2026-01-05T00:00:00Z"), 4);
        assert_eq!(c, vec![t("2026-01-02T00:00:00Z"), t("2026-01-03T00:00:00Z"), t("2026-01-04T00:00:00Z")]);
        // a span of two seconds cannot be cut in 8: the boundaries stay distinct
        let c = cut(t("2026-01-01T00:00:00Z"), t("2026-01-01T00:00:02Z"), 8);
        assert_eq!(c, vec![t("2026-01-01T00:00:01Z")]);
        assert!(cut(t("2026-01-01T00:00:00Z"), t("2026-01-01T00:00:00Z"), 4).is_empty());
        assert!(cut(t("2026-01-02T00:00:00Z"), t("2026-01-01T00:00:00Z"), 4).is_empty());
    }

    #[test]
    fn ranges_are_half_open_and_open_at_both_ends() {
        let cuts = [t("2026-01-02T00:00:00Z"), t("2026-01-03T00:00:00Z")];
        assert_eq!(
            ranges("receivedDateTime", &cuts, Some("isRead eq false")),
            vec![
                "receivedDateTime lt 2026-01-02T00:00:00Z and (isRead eq false)",
                "receivedDateTime ge 2026-01-02T00:00:00Z and receivedDateTime lt 2026-01-03T00:00:00Z and (isRead eq false)",
                "receivedDateTime ge 2026-01-03T00:00:00Z and (isRead eq false)",
            ]
        );
        assert_eq!(ranges("receivedDateTime", &[], None), vec!["receivedDateTime ge 1601-01-01T00:00:00Z"]);
    }
}
