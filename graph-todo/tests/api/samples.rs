//! Every To Do sample of the docs (testdata/graph-samples/todo, a copy of
//! ../shared/graph-samples/todo) is listed in the manifest, parses into its
//! model, and round-trips without losing or changing a property.

use msgraph_core::Page;
use msgraph_todo::{ChecklistItem, TodoTask, TodoTaskList};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

const MANIFEST: &str = include_str!("../../../testdata/graph-samples/manifest.tsv");

fn samples_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/graph-samples")
}

/// Parses `text` into `T` and back; every property of the sample survives
/// with its value.
fn round_trip<T: DeserializeOwned + Serialize>(file: &str, text: &str) {
    let original: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{file}: {e}"));
    round_trip_value::<T>(file, text, original);
}

/// A collection: as [`round_trip`], but the envelope's `@odata.context`
/// may go (core's `Page` keeps the items and the links, not the context
/// annotation); every item keeps all of its properties.
fn round_trip_page<T: DeserializeOwned + Serialize>(file: &str, text: &str) {
    let mut original: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{file}: {e}"));
    if let Some(envelope) = original.as_object_mut() {
        envelope.remove("@odata.context");
    }
    round_trip_value::<Page<T>>(file, text, original);
}

fn round_trip_value<T: DeserializeOwned + Serialize>(file: &str, text: &str, original: Value) {
    let model: T = serde_json::from_str(text).unwrap_or_else(|e| panic!("{file}: {e}"));
    let back = serde_json::to_value(&model).unwrap_or_else(|e| panic!("{file}: {e}"));
    contains(&original, &back, file);
}

fn contains(want: &Value, got: &Value, at: &str) {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (k, v) in w {
                let next = format!("{at}.{k}");
                match g.get(k) {
                    Some(gv) => contains(v, gv, &next),
                    None => panic!("{next} lost in the round trip"),
                }
            }
        }
        (Value::Array(w), Value::Array(g)) => {
            assert_eq!(w.len(), g.len(), "{at}");
            for (i, (a, b)) in w.iter().zip(g).enumerate() {
                contains(a, b, &format!("{at}[{i}]"));
            }
        }
        // instants and the wall-clock times of dateTimeTimeZone are written
        // back in one canonical form (7 fraction digits): compare them as times
        (Value::String(a), Value::String(b)) if a != b => {
            let instant = |s: &str| chrono::DateTime::parse_from_rfc3339(s).map(|t| t.naive_utc());
            let wall = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f");
            let (x, y) = (instant(a).or_else(|_| wall(a)), instant(b).or_else(|_| wall(b)));
            assert!(x.is_ok() && x == y, "{at}: {a:?} became {b:?}");
        }
        (a, b) => assert_eq!(a, b, "{at}"),
    }
}

#[test]
fn every_todo_sample_in_the_manifest_round_trips() {
    let mut walked = Vec::new();
    for line in MANIFEST.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        let (Some(file), Some(kind), Some(model)) = (cols.first(), cols.get(1), cols.get(4)) else { continue };
        if !file.starts_with("todo/") {
            continue;
        }
        let path = samples_dir().join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        match (*kind, *model) {
            (_, m) if m.contains("collection") && m.contains("todoTaskList") => {
                round_trip_page::<TodoTaskList>(file, &text)
            }
            (_, m) if m.contains("collection") && m.contains("checklistItem") => {
                round_trip_page::<ChecklistItem>(file, &text)
            }
            (_, m) if m.contains("collection") && m.contains("todoTask") => round_trip_page::<TodoTask>(file, &text),
            (_, m) if m.contains("todoTaskList") => round_trip::<TodoTaskList>(file, &text),
            // responses and the (partial) request bodies of create and update
            ("response" | "request", m) if m.contains("todoTask") => round_trip::<TodoTask>(file, &text),
            (k, m) => panic!("{file}: no model for a {k} of {m:?}"),
        }
        walked.push(file.to_string());
    }
    // every file of the folder is in the manifest, so none escapes the walk
    let mut on_disk: Vec<String> = std::fs::read_dir(samples_dir().join("todo"))
        .unwrap_or_else(|e| panic!("todo samples: {e}"))
        .filter_map(|e| e.ok())
        .map(|e| format!("todo/{}", e.file_name().to_string_lossy()))
        .collect();
    on_disk.sort();
    walked.sort();
    assert_eq!(walked, on_disk, "the manifest and the folder list the same To Do samples");
    assert_eq!(walked.len(), 8);
}
