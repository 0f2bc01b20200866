//! Every OneNote response sample in the manifest parses into its model and
//! round-trips without losing a property (one documented doc quirk aside).

use msgraph_core::Page;
use msgraph_onenote::{Notebook, OnenoteOperation, OnenotePage, OnenoteUserRole, OperationStatus};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

const MANIFEST: &str = include_str!("../../../testdata/graph-samples/manifest.tsv");

fn sample(name: &str) -> String {
    let p = format!("{}/../testdata/graph-samples/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// Parses `text` into `T` and back; every property survives except the
/// `lost` ones (quirks of the docs the manifest names).
fn round_trip<T: DeserializeOwned + Serialize>(text: &str, lost: &[&str]) {
    let original: Value = serde_json::from_str(text).unwrap();
    let model: T = serde_json::from_str(text).unwrap();
    let back = serde_json::to_value(&model).unwrap();
    contains(&original, &back, "", lost);
}

fn contains(want: &Value, got: &Value, at: &str, lost: &[&str]) {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (k, v) in w {
                let next = format!("{at}.{k}");
                match g.get(k) {
                    Some(gv) => contains(v, gv, &next, lost),
                    None if lost.contains(&next.as_str()) => {}
                    None => panic!("{next} lost in the round trip"),
                }
            }
        }
        (Value::Array(w), Value::Array(g)) => {
            assert_eq!(w.len(), g.len(), "{at}");
            for (i, (a, b)) in w.iter().zip(g).enumerate() {
                contains(a, b, &format!("{at}[{i}]"), lost);
            }
        }
        (Value::String(a), Value::String(b)) if a != b => {
            let (x, y) = (chrono::DateTime::parse_from_rfc3339(a), chrono::DateTime::parse_from_rfc3339(b));
            assert!(x.is_ok() && x == y, "{at}: {a:?} became {b:?}");
        }
        (a, b) => assert_eq!(a, b, "{at}"),
    }
}

#[test]
fn every_onenote_response_sample_round_trips() {
    let mut checked = 0;
    for line in MANIFEST.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        let (Some(file), Some(kind), Some(model), Some(note)) = (cols.first(), cols.get(1), cols.get(4), cols.get(6))
        else {
            continue;
        };
        if !file.starts_with("onenote/") || *kind != "response" {
            continue;
        }
        let text = sample(file);
        // notebook-get.json has "userRole": {} where Graph sends a string: the
        // manifest marks it as a QUIRK; the model reads it as absent.
        let quirks: &[&str] = if note.contains("QUIRK") && note.contains("userRole") { &[".userRole"] } else { &[] };
        match *model {
            m if m.contains("collection") && m.contains("notebook") => round_trip::<Page<Notebook>>(&text, quirks),
            m if m.contains("collection") && m.contains("onenotePage") => {
                round_trip::<Page<OnenotePage>>(&text, quirks)
            }
            m if m.contains("onenoteOperation") => round_trip::<OnenoteOperation>(&text, quirks),
            m if m.contains("microsoft.graph.notebook") => round_trip::<Notebook>(&text, quirks),
            m if m.contains("onenotePage") => round_trip::<OnenotePage>(&text, quirks),
            other => panic!("{file}: no model for {other:?}"),
        }
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} onenote samples found");
}

#[test]
fn the_samples_values_read_as_typed_values() {
    let list: Page<Notebook> = serde_json::from_str(crate::NOTEBOOKS).unwrap();
    let nb = &list.value[0];
    assert_eq!(nb.user_role, Some(OnenoteUserRole::Owner));
    assert_eq!(nb.is_default, Some(true));
    let web = nb.links.as_ref().and_then(|l| l.one_note_web_url.as_ref()).and_then(|u| u.href.as_deref());
    assert!(web.unwrap().ends_with("My%20Private%20notebook"));
    let client = nb.links.as_ref().and_then(|l| l.one_note_client_url.as_ref()).and_then(|u| u.href.as_deref());
    assert!(client.unwrap().starts_with("onenote:https://"));

    let quirky: Notebook = serde_json::from_str(crate::NOTEBOOK).unwrap();
    assert_eq!(quirky.user_role, None, "a non-string userRole reads as absent");
    assert_eq!(quirky.is_shared, Some(true));

    let op: OnenoteOperation = serde_json::from_str(crate::OPERATION).unwrap();
    assert_eq!(op.status, Some(OperationStatus::Unknown("status-value".into())));
    let done: OnenoteOperation = serde_json::from_str(r#"{"status":"Completed","resourceId":"p1"}"#).unwrap();
    assert_eq!(done.status, Some(OperationStatus::Completed));

    let page: OnenotePage = serde_json::from_str(crate::PAGE).unwrap();
    assert_eq!(page.title.as_deref(), Some("title-value"));
    assert!(page.additional.contains_key("content"), "unknown properties are kept");
}
