//! No panic on any input: every model's deserializer is fed mutations of the
//! real samples in `testdata/graph-samples` (wrong types, missing and extra
//! fields, huge numbers, deep nesting, invalid escapes, new enum values,
//! truncated and corrupted bytes), and the SDK's parsers of headers and ids
//! are fed random strings. The answer must be a value or a typed error.
//!
//! CI runs `MSGRAPH_FUZZ_CASES` (default 300) cases per sample and model;
//! `scripts/fuzz.sh` runs 100,000 per model.
#![cfg(all(
    feature = "mail",
    feature = "calendar",
    feature = "drive",
    feature = "todo",
    feature = "onenote",
    feature = "notifications"
))]

use std::panic::{AssertUnwindSafe, catch_unwind};

use msgraph::core::models::{TimeOfDay, User, WorkingHours};
use msgraph::core::operation::OperationStatus;
use msgraph::core::reexports::http::HeaderMap;
use msgraph::core::subscription::Subscription;
use msgraph::core::upload::UploadSession;
use msgraph::core::{ApiError, Page};
use serde_json::{Value, json};

fn cases() -> usize {
    std::env::var("MSGRAPH_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(300)
}

fn samples() -> Vec<(String, Vec<u8>)> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/graph-samples");
    let mut out = Vec::new();
    for dir in std::fs::read_dir(root).unwrap().flatten() {
        if !dir.path().is_dir() {
            continue;
        }
        for f in std::fs::read_dir(dir.path()).unwrap().flatten() {
            let p = f.path();
            if p.extension().is_some_and(|e| e == "json") {
                out.push((p.display().to_string(), std::fs::read(&p).unwrap()));
            }
        }
    }
    assert!(out.len() > 30, "samples not found");
    out
}

/// Feeds `bytes` to every model; counts the ones that parsed.
fn feed(bytes: &[u8]) -> usize {
    macro_rules! try_all {
        ($($t:ty),* $(,)?) => {{
            let mut ok = 0;
            $( if serde_json::from_slice::<$t>(bytes).is_ok() { ok += 1; } )*
            ok
        }};
    }
    let n = try_all!(
        msgraph::mail::Message,
        Page<msgraph::mail::Message>,
        msgraph::mail::MailFolder,
        msgraph::mail::Attachment,
        Page<msgraph::mail::Attachment>,
        msgraph::mail::MailboxSettings,
        msgraph::mail::OutlookCategory,
        msgraph::calendar::Event,
        Page<msgraph::calendar::Event>,
        msgraph::calendar::Calendar,
        Page<msgraph::calendar::ScheduleInformation>,
        msgraph::calendar::MeetingTimeSuggestionsResult,
        msgraph::drive::DriveItem,
        Page<msgraph::drive::DriveItem>,
        msgraph::drive::Drive,
        msgraph::drive::Permission,
        Page<msgraph::drive::DriveItemVersion>,
        msgraph::todo::TodoTask,
        Page<msgraph::todo::TodoTask>,
        msgraph::todo::TodoTaskList,
        Page<msgraph::todo::ChecklistItem>,
        msgraph::onenote::Notebook,
        Page<msgraph::onenote::Notebook>,
        msgraph::onenote::OnenotePage,
        msgraph::onenote::OnenoteSection,
        msgraph::onenote::OnenoteOperation,
        User,
        WorkingHours,
        TimeOfDay,
        Subscription,
        OperationStatus,
        UploadSession,
    );
    // the error-body parser and the typed decode path with its second parse
    let _ = ApiError::from_response(400, bytes, None, None, None);
    let _ = msgraph::core::decode::<Page<msgraph::mail::Message>>(200, bytes);
    // the page text extractor and the Markdown renderer on whatever text this is
    let text = String::from_utf8_lossy(bytes);
    let _ = msgraph::onenote::page_text(&text);
    let _ = msgraph::onenote::render_markdown(&text);
    let _ = msgraph::onenote::check_well_formed(&text, "fuzz");
    // a webhook batch through the receiver
    let states = msgraph::notifications::ClientStates::new();
    states.insert("{subscription_guid}", "secretClientValue");
    let (receiver, _rx) = msgraph::notifications::Receiver::new(states, 4);
    let _ = receiver.handle("POST", None, &HeaderMap::new(), bytes);
    n
}

const WEIRD: &[&str] = &[
    "",
    "null",
    "true",
    "-1",
    "1e400",
    "18446744073709551616",
    "-9223372036854775809",
    "\"\\ud800\"",
    "\"\\u0000\"",
    "\"9999-99-99T99:99:99Z\"",
    "\"+275760-09-13T00:00:00Z\"",
    "\"-262144-01-01T00:00:00\"",
    "\"unknownFutureValue\"",
    "\"HTML\"",
    "[]",
    "{}",
    "\"é漢字🎉\"",
];

/// One random change to a JSON value.
fn mutate(v: &mut Value, rng: &mut fastrand::Rng, depth: usize) {
    match v {
        Value::Object(map) if !map.is_empty() && depth < 8 && rng.bool() => {
            let keys: Vec<String> = map.keys().cloned().collect();
            let key = &keys[rng.usize(..keys.len())];
            match rng.u8(..4) {
                0 => {
                    map.remove(key);
                }
                1 => {
                    map.insert(format!("new{}", rng.u32(..)), json!({"nested": [1, "x", null]}));
                }
                _ => {
                    if let Some(child) = map.get_mut(key) {
                        mutate(child, rng, depth + 1);
                    }
                }
            }
        }
        Value::Array(items) if !items.is_empty() && depth < 8 && rng.bool() => {
            let i = rng.usize(..items.len());
            if rng.u8(..5) == 0 {
                let copy = items[i].clone();
                items.push(copy);
            } else {
                mutate(&mut items[i], rng, depth + 1);
            }
        }
        _ => {
            *v = match rng.u8(..6) {
                0 => serde_json::from_str(WEIRD[rng.usize(..WEIRD.len())]).unwrap_or(Value::Null),
                1 => json!(rng.i64(..)),
                2 => json!(f64::MAX),
                3 => {
                    // deep nesting
                    let mut deep = json!(1);
                    for _ in 0..rng.usize(1..200) {
                        deep = json!([deep]);
                    }
                    deep
                }
                4 => json!("x".repeat(rng.usize(0..3000))),
                _ => Value::Null,
            };
        }
    }
}

fn assert_no_panic(what: &str, f: impl FnOnce()) {
    if catch_unwind(AssertUnwindSafe(f)).is_err() {
        panic!("panicked on {what}");
    }
}

#[test]
fn every_model_survives_mutated_samples() {
    let mut rng = fastrand::Rng::with_seed(0x6d73_6772);
    let mut parsed = 0usize;
    let mut fed = 0usize;
    for (name, bytes) in samples() {
        // the sample itself
        parsed += feed(&bytes);
        let Ok(base) = serde_json::from_slice::<Value>(&bytes) else { continue };
        for case in 0..cases() {
            let mut v = base.clone();
            for _ in 0..rng.usize(1..4) {
                mutate(&mut v, &mut rng, 0);
            }
            let text = serde_json::to_vec(&v).unwrap();
            assert_no_panic(&format!("{name} case {case} (JSON)"), || {
                parsed += feed(&text);
            });
            // byte-level damage: truncation, flipped bytes, invalid UTF-8
            let mut raw = bytes.clone();
            match rng.u8(..3) {
                0 => raw.truncate(rng.usize(..raw.len().max(1))),
                1 => {
                    for _ in 0..rng.usize(1..8) {
                        let i = rng.usize(..raw.len().max(1));
                        if let Some(b) = raw.get_mut(i) {
                            *b ^= 1 << rng.u8(..8);
                        }
                    }
                }
                _ => raw.insert(rng.usize(..raw.len().max(1)), 0xff),
            }
            assert_no_panic(&format!("{name} case {case} (bytes)"), || {
                feed(&raw);
            });
            fed += 2;
        }
    }
    println!("fed {fed} mutated payloads; {parsed} model parses succeeded");
    assert!(parsed > 0);
}

#[test]
fn header_and_id_parsers_survive_random_strings() {
    let mut rng = fastrand::Rng::with_seed(42);
    let now = chrono::Utc::now();
    let alphabet: Vec<char> = "0123456789 ,;:=-+/\"'aZ\u{7f}\u{0}é漢🎉GMTMonDec".chars().collect();
    for case in 0..cases() * 20 {
        let s: String = (0..rng.usize(0..60)).map(|_| alphabet[rng.usize(..alphabet.len())]).collect();
        assert_no_panic(&format!("case {case}: {s:?}"), || {
            let _ = msgraph::core::parse_retry_after(&s, now);
            let _ = s.parse::<msgraph::mail::ConversationIndex>();
            let _ = msgraph::mail::ConversationIndex::decode(&s);
            let _ = TimeOfDay::parse(&s);
            let _ = msgraph::core::Request::to_url(http::Method::GET, &s);
            let _ = msgraph::drive::check_name(&s);
            let _ = msgraph::drive::NamePattern::new(&s).matches(&s);
            #[cfg(feature = "tz")]
            let _ = msgraph::core::tz::resolve(&s);
        });
    }
    // huge numeric Retry-After values
    for v in ["18446744073709551615", "99999999999999999999999", "Fri, 31 Dec 9999 23:59:59 GMT", "-1"] {
        assert_no_panic(v, || {
            let _ = msgraph::core::parse_retry_after(v, now);
        });
    }
}
