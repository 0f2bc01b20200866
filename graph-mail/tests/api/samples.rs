//! Every mail sample in testdata deserializes into its model, and a round
//! trip (deserialize, serialize, compare as JSON) loses nothing. Samples the
//! manifest marks PLACEHOLDER or QUIRK may instead fail with a decode error
//! that names the field; none may panic.

use std::path::PathBuf;

use msgraph_core::{Error, Page};
use msgraph_mail::{Attachment, MailFolder, Message, NewMessage, OutlookCategory};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::common::{assert_round_trip, strip_nulls};

/// The parameters of reply (`message` is what `NewMessage` builds).
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ReplyParams {
    message: NewMessage,
    comment: String,
}

fn samples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata/graph-samples")
}

struct Row {
    file: String,
    shape: String,
    note: String,
}

fn mail_rows() -> Vec<Row> {
    let manifest = std::fs::read_to_string(samples_dir().join("manifest.tsv")).expect("manifest.tsv");
    let mut rows: Vec<Row> = manifest
        .lines()
        .skip(1)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            (cols.len() >= 7 && cols[0].starts_with("mail/")).then(|| Row {
                file: cols[0].to_owned(),
                shape: cols[4].to_owned(),
                note: cols[6].to_owned(),
            })
        })
        .collect();
    rows.sort_by(|a, b| a.file.cmp(&b.file));
    rows.dedup_by(|a, b| a.file == b.file);
    rows
}

/// Graph sends `"HTML"` / `"Low"` in some request examples; the models write
/// the canonical lowercase form (string enums read any casing).
fn lowercase_enum_values(v: &mut Value) {
    if let Value::Object(map) = v {
        if let Some(Value::String(s)) = map.get_mut("importance") {
            *s = s.to_ascii_lowercase();
        }
        for key in ["body", "uniqueBody"] {
            if let Some(Value::String(s)) = map.get_mut(key).and_then(|b| b.get_mut("contentType")) {
                *s = s.to_ascii_lowercase();
            }
        }
        map.values_mut().for_each(lowercase_enum_values);
    }
}

/// Round-trips a collection item by item (core's `Page` keeps the links,
/// not `@odata.context`) and checks the links.
fn page_round_trip<T>(v: &Value, what: &str) -> usize
where
    T: serde::de::DeserializeOwned + Serialize,
{
    let page: Page<T> = serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(page.next_link.as_deref(), v.get("@odata.nextLink").and_then(Value::as_str), "{what}");
    assert_eq!(page.delta_link.as_deref(), v.get("@odata.deltaLink").and_then(Value::as_str), "{what}");
    let items = v["value"].as_array().expect("value array");
    for (i, item) in items.iter().enumerate() {
        assert_round_trip::<T>(item, &format!("{what} value[{i}]"));
    }
    items.len()
}

/// Decodes as the client does (straight from bytes into the type).
fn decode<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Error> {
    msgraph_core::decode::<T>(200, text.as_bytes())
}

fn check(row: &Row, text: &str) -> Result<(), Error> {
    let what = row.file.as_str();
    let mut v: Value = serde_json::from_str(text).expect("sample is JSON");
    match row.shape.as_str() {
        "microsoft.graph.message" => {
            decode::<Message>(text)?;
            assert_round_trip::<Message>(&v, what);
        }
        "microsoft.graph.message (partial)" => {
            let _ = decode::<NewMessage>(text)?;
            decode::<Message>(text)?;
            lowercase_enum_values(&mut v);
            let _ = assert_round_trip::<NewMessage>(&v, what);
            assert_round_trip::<Message>(&v, what);
        }
        "collection of microsoft.graph.message" | "delta collection of microsoft.graph.message" => {
            decode::<Page<Message>>(text)?;
            page_round_trip::<Message>(&v, what);
        }
        s if s.ends_with("Attachment") && s.starts_with("microsoft.graph.") => {
            let a = decode::<Attachment>(text)?;
            let expected = v["@odata.type"].as_str().unwrap_or_default().trim_start_matches('#').to_owned();
            let got = a.odata_type().unwrap_or_default().trim_start_matches('#').to_owned();
            assert!(got.eq_ignore_ascii_case(&expected), "{what}: parsed as {got}, sample says {expected}");
            assert!(!matches!(a, Attachment::Unknown(_)), "{what}: known kind parsed as Unknown");
            assert_round_trip::<Attachment>(&v, what);
        }
        "collection of microsoft.graph.fileAttachment" => {
            decode::<Page<Attachment>>(text)?;
            page_round_trip::<Attachment>(&v, what);
        }
        "collection of microsoft.graph.mailFolder" => {
            decode::<Page<MailFolder>>(text)?;
            page_round_trip::<MailFolder>(&v, what);
        }
        "collection of microsoft.graph.outlookCategory" => {
            decode::<Page<OutlookCategory>>(text)?;
            page_round_trip::<OutlookCategory>(&v, what);
        }
        "action parameters (reply)" => {
            decode::<ReplyParams>(text)?;
            strip_nulls(&mut v);
            assert_round_trip::<ReplyParams>(&v, what);
        }
        other => panic!("{what}: no model mapped for shape {other:?}; map it in this test"),
    }
    Ok(())
}

#[test]
fn every_mail_sample_deserializes_and_round_trips() {
    let rows = mail_rows();
    assert!(rows.len() >= 20, "expected the mail samples, found {}", rows.len());
    let mut checked = 0;
    let mut tolerated = Vec::new();
    for row in &rows {
        let text = std::fs::read_to_string(samples_dir().join(&row.file)).expect("sample file");
        match check(row, &text) {
            Ok(()) => checked += 1,
            Err(Error::Decode { path, message, .. }) => {
                assert!(
                    row.note.contains("PLACEHOLDER") || row.note.contains("QUIRK"),
                    "{}: real sample failed to decode at {path:?}: {message}",
                    row.file
                );
                assert!(path.is_some(), "{}: the decode error must name the field: {message}", row.file);
                tolerated.push(row.file.clone());
            }
            Err(other) => panic!("{}: {other}", row.file),
        }
    }
    // The samples whose doc values are not type-valid, and nothing else.
    tolerated.sort();
    assert_eq!(
        tolerated,
        ["mail/delta-query-messages-4.json", "mail/message-delta.json", "mail/message-list-attachments.json"]
    );
    assert_eq!(checked + tolerated.len(), rows.len());
}

#[test]
fn quirk_string_boolean_is_a_decode_error_naming_the_field() {
    let text = include_str!("../../../testdata/graph-samples/mail/delta-query-messages-4.json");
    match msgraph_core::decode::<Page<Message>>(200, text.as_bytes()) {
        Err(Error::Decode { path, .. }) => assert_eq!(path.as_deref(), Some("value[1].isRead")),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[test]
fn placeholder_dates_are_decode_errors_not_panics() {
    let text = include_str!("../../../testdata/graph-samples/mail/message-delta.json");
    match msgraph_core::decode::<Page<Message>>(200, text.as_bytes()) {
        Err(Error::Decode { path, .. }) => assert_eq!(path.as_deref(), Some("value[0].receivedDateTime")),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[test]
fn item_attachment_with_expanded_message() {
    let text = include_str!("../../../testdata/graph-samples/mail/attachment-get-3.json");
    let a: Attachment = serde_json::from_str(text).unwrap();
    let Attachment::Item(item) = &a else { panic!("{a:?}") };
    assert_eq!(item.name.as_deref(), Some("Reminder - please bring laptop"));
    assert_eq!(item.content_type, None);
    assert!(item.additional.contains_key("item@odata.context"));
    let Some(msgraph_mail::OutlookItem::Message(m)) = &item.item else { panic!("{item:?}") };
    assert_eq!(m.id.as_deref(), Some(""));
    assert_eq!(m.subject.as_deref(), Some("Reminder - please bring laptop"));
    assert_eq!(m.conversation_position().unwrap().unwrap().depth(), 0);
}

#[test]
fn message_sample_fields_are_typed() {
    let text = include_str!("../../../testdata/graph-samples/mail/user-post-messages-1.json");
    let m: Message = serde_json::from_str(text).unwrap();
    assert_eq!(m.importance, Some(msgraph_core::models::Importance::Low));
    assert_eq!(m.inference_classification, Some(msgraph_mail::InferenceClassification::Focused));
    assert_eq!(m.created_date_time.unwrap().to_rfc3339(), "2017-07-22T01:53:56+00:00");
    assert_eq!(m.categories, Some(vec![]));
    assert_eq!(m.to_recipients.as_ref().unwrap()[0].address(), Some("AdeleV@contoso.onmicrosoft.com"));
    assert_eq!(m.etag(), Some("W/\"CQAAABYAAABK4UfANE/UR5clSilZtIuWAAC1vdti\""));
    assert_eq!(m.is_draft, Some(true));
    // A too-short index in a real payload is a typed error, not a panic.
    let ci = m.conversation_position().unwrap();
    assert!(ci.is_ok(), "{ci:?}");
}

#[test]
fn unknown_attachment_kind_is_kept_whole() {
    let raw = serde_json::json!({"@odata.type": "#microsoft.graph.futureAttachment", "id": "x", "name": "n", "size": 3, "extra": [1]});
    let a: Attachment = serde_json::from_value(raw.clone()).unwrap();
    assert!(matches!(a, Attachment::Unknown(_)));
    assert_eq!(a.name(), Some("n"));
    assert_eq!(a.size(), Some(3));
    assert_eq!(serde_json::to_value(&a).unwrap(), raw);
    let untyped: Attachment = serde_json::from_value(serde_json::json!({"id": "y"})).unwrap();
    assert!(matches!(untyped, Attachment::Unknown(_)));
}
