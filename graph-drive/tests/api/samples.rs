//! Every drive response sample in the manifest parses into its model and
//! round-trips without losing a property.

use msgraph_core::Page;
use msgraph_drive::{Drive, DriveItem, DriveItemVersion, Permission};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

const MANIFEST: &str = include_str!("../../../testdata/graph-samples/manifest.tsv");

fn sample(name: &str) -> String {
    let p = format!("{}/../testdata/graph-samples/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// Parses `text` into `T` and back; every property of the sample survives.
fn round_trip<T: DeserializeOwned + Serialize>(text: &str) {
    let original: Value = serde_json::from_str(text).unwrap();
    let model: T = serde_json::from_str(text).unwrap();
    let back = serde_json::to_value(&model).unwrap();
    contains(&original, &back, "");
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
        // times are rewritten in one canonical form; compare them as instants
        (Value::String(a), Value::String(b)) if a != b => {
            let (x, y) = (chrono::DateTime::parse_from_rfc3339(a), chrono::DateTime::parse_from_rfc3339(b));
            assert!(x.is_ok() && x == y, "{at}: {a:?} became {b:?}");
        }
        (a, b) => assert_eq!(a, b, "{at}"),
    }
}

#[test]
fn every_drive_response_sample_round_trips() {
    let mut checked = 0;
    for line in MANIFEST.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        let (Some(file), Some(kind), Some(model)) = (cols.first(), cols.get(1), cols.get(4)) else { continue };
        if !file.starts_with("drive/") || *kind != "response" {
            continue;
        }
        let text = sample(file);
        match *model {
            m if m.contains("collection") && m.contains("driveItemVersion") => {
                round_trip::<Page<DriveItemVersion>>(&text)
            }
            m if m.contains("collection") || file.contains("delta") => round_trip::<Page<DriveItem>>(&text),
            m if m.contains("permission") => round_trip::<Permission>(&text),
            m if m.contains("microsoft.graph.drive") && !m.contains("driveItem") => round_trip::<Drive>(&text),
            _ => round_trip::<DriveItem>(&text),
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} drive samples found");
}
