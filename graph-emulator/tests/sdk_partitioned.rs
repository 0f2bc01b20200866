//! Partitioned scans through the SDK against the emulator: 10,000 messages
//! with clustered and equal timestamps (many exactly on the boundaries the
//! scan cuts at) come out exactly once, alone and with a user `$filter`.

mod sdk_common;

use std::collections::{BTreeSet, HashMap};

use chrono::{TimeDelta, Utc};
use futures::TryStreamExt as _;
use msgraph_emulator::demo;
use msgraph_mail::{MailExt, MessageListExt as _, WellKnownFolder};
use sdk_common::Sdk;
use serde_json::json;

#[tokio::test]
async fn ten_thousand_messages_with_equal_timestamps_come_out_exactly_once() {
    let s = Sdk::start().await;
    let t0 = (Utc::now() - TimeDelta::days(30)).duration_trunc_secs();
    // the span is 4 days, so k = 4 cuts at t0+1d, t0+2d, t0+3d: put many
    // messages exactly there, many at the same second, and the rest clustered
    let offsets = [
        TimeDelta::zero(),
        TimeDelta::zero(),
        TimeDelta::seconds(1),
        TimeDelta::days(1),
        TimeDelta::days(2),
        TimeDelta::days(2),
        TimeDelta::days(3) - TimeDelta::seconds(1),
        TimeDelta::days(3),
        TimeDelta::days(4),
    ];
    let before: BTreeSet<String> = s.ids_in("inbox").into_iter().collect();
    let mut unread = BTreeSet::new();
    for i in 0..10_000usize {
        let at = t0 + offsets[i % offsets.len()];
        let is_read = i % 3 == 0;
        let id = s
            .emu
            .add_message(
                demo::USER_UPN,
                "inbox",
                json!({"subject": format!("m{i}"), "isRead": is_read,
                       "receivedDateTime": at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)}),
            )
            .unwrap();
        if !is_read {
            unread.insert(id);
        }
    }
    let all: BTreeSet<String> = s.ids_in("inbox").into_iter().collect();
    let inbox =
        || s.client.me().messages().list().folder(WellKnownFolder::Inbox).select(["id", "receivedDateTime"]).top(1000);

    for k in [4, 7] {
        let got: Vec<String> =
            inbox().partitioned(k).stream().map_ok(|m| m.id.unwrap_or_default()).try_collect().await.unwrap();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for id in &got {
            *seen.entry(id.as_str()).or_default() += 1;
        }
        let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
        assert!(twice.is_empty(), "k={k}: read more than once: {twice:?}");
        assert_eq!(got.iter().cloned().collect::<BTreeSet<_>>(), all, "k={k}: every message of the inbox");
    }
    // the seeded demo mail is in there too
    assert!(before.is_subset(&all));

    // with the user's own filter: the unread ones (and the demo's unread ones)
    let got: Vec<String> = inbox()
        .filter("isRead eq false")
        .partitioned(4)
        .stream()
        .map_ok(|m| m.id.unwrap_or_default())
        .try_collect()
        .await
        .unwrap();
    let got_set: BTreeSet<String> = got.iter().cloned().collect();
    assert_eq!(got.len(), got_set.len(), "no message twice");
    assert!(unread.is_subset(&got_set), "every unread message");
    let sequential: BTreeSet<String> =
        inbox().filter("isRead eq false").stream().map_ok(|m| m.id.unwrap_or_default()).try_collect().await.unwrap();
    assert_eq!(got_set, sequential, "the same set as the sequential scan");
}

/// 90% of the messages in the last 10% of the span, nine to a second: the
/// last of the four ranges holds almost everything, so the other chains run
/// dry early and split it again (work stealing), always at whole seconds,
/// where nine messages share the value. Every id still comes once.
#[tokio::test]
async fn a_skewed_mailbox_is_split_again_and_every_message_comes_once() {
    let s = Sdk::start().await;
    let t0 = (Utc::now() - TimeDelta::days(30)).duration_trunc_secs();
    // 400 spread over 3,600 s, then 3,600 in the last 400 s
    let span = 4_000i64;
    for i in 0..4_000i64 {
        let offset = if i < 400 { i * 9 } else { span - 400 + (i % 400) };
        let at = t0 + TimeDelta::seconds(offset);
        s.emu
            .add_message(
                demo::USER_UPN,
                "inbox",
                json!({"subject": format!("m{i}"), "isRead": i % 2 == 0,
                       "receivedDateTime": at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)}),
            )
            .unwrap();
    }
    // (the demo's few inbox messages are older still: the skew only grows)
    let inbox =
        || s.client.me().messages().list().folder(WellKnownFolder::Inbox).select(["id", "receivedDateTime"]).top(100);
    let ranges_asked = |s: &Sdk| {
        let mut filters = BTreeSet::new();
        for r in s.emu.requests() {
            let q = r.query.unwrap_or_default();
            if q.contains("skiptoken") || q.contains("top=1&") || q.ends_with("top=1") {
                continue;
            }
            if let Some(f) = q.split('&').find(|p| p.contains("filter=")) {
                filters.insert(f.to_owned());
            }
        }
        filters.len()
    };
    for (steal, filter) in [(true, None), (false, None), (true, Some("isRead eq false"))] {
        s.emu.clear_requests();
        let mut list = inbox();
        if let Some(f) = filter {
            list = list.filter(f);
        }
        let got: Vec<String> = list
            .partitioned(4)
            .work_stealing(steal)
            .stream()
            .map_ok(|m| m.id.unwrap_or_default())
            .try_collect()
            .await
            .unwrap();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for id in &got {
            *seen.entry(id.as_str()).or_default() += 1;
        }
        let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
        assert!(twice.is_empty(), "steal={steal}: read more than once: {twice:?}");
        let got: BTreeSet<String> = got.into_iter().collect();
        let mut expected = inbox();
        if let Some(f) = filter {
            expected = expected.filter(f);
        }
        let expected: BTreeSet<String> =
            expected.stream().map_ok(|m| m.id.unwrap_or_default()).try_collect().await.unwrap();
        assert_eq!(got, expected, "steal={steal} filter={filter:?}: the sequential scan's set");
        let asked = ranges_asked(&s);
        if steal {
            assert!(asked > 4, "the crowded range was split again: {asked} ranges");
        } else {
            // the four ranges and the sequential scan's filter
            assert!(asked <= 5, "no split without stealing: {asked}");
        }
    }
}

trait TruncSecs {
    fn duration_trunc_secs(self) -> Self;
}

impl TruncSecs for chrono::DateTime<Utc> {
    fn duration_trunc_secs(self) -> Self {
        use chrono::DurationRound as _;
        self.duration_trunc(TimeDelta::seconds(1)).unwrap()
    }
}
