//! `Deserialize` for [`Message`], by hand.
//!
//! The derive with `#[serde(flatten)] additional` buffered every property it
//! did not name into serde's private `Content` tree, collected those into a
//! vector per message, then re-read them into the map: about 2,300
//! instructions a message for the single `@odata.etag` of a typical listing,
//! ~4% of decoding a page. This visitor reads each named property straight
//! into its field and each unknown one straight into `additional` (one
//! `String` key, one `Value`), with the derive's semantics: every field
//! optional, `null` is `None`, a repeated named property is an error
//! (`duplicate field`), a repeated unknown one keeps its last value.
//!
//! `tests::every_field_round_trips` builds a `Message` with every field set
//! (a struct literal, so a new field does not compile until it is listed
//! there), serializes it with the derived `Serialize` and parses it back: a
//! field missing below would land in `additional` and fail it.

use std::fmt;

use chrono::{DateTime, Utc};
use msgraph_core::models::utc;
use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, Error, MapAccess, Visitor};

use super::Message;

/// `Option<DateTime<Utc>>` through the fast timestamp parser.
struct UtcOpt(Option<DateTime<Utc>>);

impl<'de> Deserialize<'de> for UtcOpt {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        utc::option::deserialize(d).map(UtcOpt)
    }
}

/// A property name: the index of a named field, or an unknown name.
enum Key {
    Field(u32),
    Other(String),
}

macro_rules! message_fields {
    ($( $i:literal $wire:literal $field:ident $($utc:ident)?; )*) => {
        /// The wire names, by index.
        const FIELDS: &[&str] = &[$($wire),*];

        fn field_index(name: &str) -> Option<u32> {
            match name {
                $($wire => Some($i),)*
                _ => None,
            }
        }

        fn read_field<'de, A: MapAccess<'de>>(m: &mut Message, i: u32, map: &mut A) -> Result<(), A::Error> {
            match i {
                $($i => m.$field = message_fields!(@value map $($utc)?),)*
                _ => {}
            }
            Ok(())
        }
    };
    (@value $map:ident) => { $map.next_value()? };
    (@value $map:ident utc) => { $map.next_value::<UtcOpt>()?.0 };
}

message_fields! {
    0 "id" id;
    1 "createdDateTime" created_date_time utc;
    2 "lastModifiedDateTime" last_modified_date_time utc;
    3 "changeKey" change_key;
    4 "categories" categories;
    5 "receivedDateTime" received_date_time utc;
    6 "sentDateTime" sent_date_time utc;
    7 "hasAttachments" has_attachments;
    8 "internetMessageId" internet_message_id;
    9 "subject" subject;
    10 "bodyPreview" body_preview;
    11 "importance" importance;
    12 "parentFolderId" parent_folder_id;
    13 "conversationId" conversation_id;
    14 "conversationIndex" conversation_index;
    15 "isDeliveryReceiptRequested" is_delivery_receipt_requested;
    16 "isReadReceiptRequested" is_read_receipt_requested;
    17 "isRead" is_read;
    18 "isDraft" is_draft;
    19 "webLink" web_link;
    20 "inferenceClassification" inference_classification;
    21 "body" body;
    22 "uniqueBody" unique_body;
    23 "sender" sender;
    24 "from" from;
    25 "toRecipients" to_recipients;
    26 "ccRecipients" cc_recipients;
    27 "bccRecipients" bcc_recipients;
    28 "replyTo" reply_to;
    29 "flag" flag;
    30 "internetMessageHeaders" internet_message_headers;
    31 "attachments" attachments;
    32 "extensions" extensions;
    33 "singleValueExtendedProperties" single_value_extended_properties;
    34 "multiValueExtendedProperties" multi_value_extended_properties;
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<Key, E> {
        Ok(match field_index(v) {
            Some(i) => Key::Field(i),
            None => Key::Other(v.to_owned()),
        })
    }

    fn visit_string<E: Error>(self, v: String) -> Result<Key, E> {
        Ok(match field_index(&v) {
            Some(i) => Key::Field(i),
            None => Key::Other(v),
        })
    }
}

struct MessageVisitor;

impl<'de> Visitor<'de> for MessageVisitor {
    type Value = Message;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a message object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Message, A::Error> {
        let mut m = Message::default();
        let mut seen = 0u64;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match key {
                Key::Field(i) => {
                    let bit = 1u64 << i;
                    if seen & bit != 0 {
                        return Err(A::Error::duplicate_field(FIELDS.get(i as usize).copied().unwrap_or("?")));
                    }
                    seen |= bit;
                    read_field(&mut m, i, &mut map)?;
                }
                Key::Other(name) => {
                    let value: serde_json::Value = map.next_value()?;
                    m.additional.insert(name, value);
                }
            }
        }
        Ok(m)
    }
}

impl<'de> Deserialize<'de> for Message {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(MessageVisitor)
    }
}

#[cfg(test)]
mod tests {
    use msgraph_core::models::Additional;
    use serde_json::json;

    use super::*;

    fn from<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> T {
        serde_json::from_value(v).expect("a test value")
    }

    #[test]
    fn every_field_round_trips() {
        let t = |s: &str| Some(utc::parse(s).expect("a timestamp"));
        let to = || Some(vec![from(json!({"emailAddress": {"name": "Ada", "address": "ada@contoso.com"}}))]);
        // A struct literal without `..Default::default()`: a new field of
        // `Message` does not compile here until it is set (and read above).
        let full = Message {
            id: Some("AAMk=".into()),
            created_date_time: t("2024-05-01T09:30:00Z"),
            last_modified_date_time: t("2024-05-01T09:31:00.1234567Z"),
            change_key: Some("CQAA".into()),
            categories: Some(vec!["Red".into()]),
            received_date_time: t("2024-05-01T09:32:00Z"),
            sent_date_time: t("2024-05-01T09:29:00+02:00"),
            has_attachments: Some(true),
            internet_message_id: Some("<a@b>".into()),
            subject: Some("Hi \"there\"".into()),
            body_preview: Some("Zoë".into()),
            importance: Some(from(json!("high"))),
            parent_folder_id: Some("inbox".into()),
            conversation_id: Some("conv".into()),
            conversation_index: Some("AQHa".into()),
            is_delivery_receipt_requested: Some(false),
            is_read_receipt_requested: Some(true),
            is_read: Some(false),
            is_draft: Some(false),
            web_link: Some("https://outlook.office365.com/owa/?ItemID=1".into()),
            inference_classification: Some(from(json!("focused"))),
            body: Some(from(json!({"contentType": "html", "content": "<p>hi</p>"}))),
            unique_body: Some(from(json!({"contentType": "text", "content": "hi"}))),
            sender: Some(from(json!({"emailAddress": {"address": "s@contoso.com"}}))),
            from: Some(from(json!({"emailAddress": {"address": "f@contoso.com"}}))),
            to_recipients: to(),
            cc_recipients: to(),
            bcc_recipients: to(),
            reply_to: to(),
            flag: Some(from(json!({"flagStatus": "flagged"}))),
            internet_message_headers: Some(vec![from(json!({"name": "X-A", "value": "1"}))]),
            attachments: Some(vec![from(json!({
                "@odata.type": "#microsoft.graph.fileAttachment", "id": "att", "name": "a.txt", "contentBytes": "aGk="
            }))]),
            extensions: Some(vec![from(json!({"@odata.type": "#microsoft.graph.openTypeExtension", "id": "ext"}))]),
            single_value_extended_properties: Some(vec![from(json!({"id": "String 0x1", "value": "v"}))]),
            multi_value_extended_properties: Some(vec![from(json!({"id": "StringArray 0x2", "value": ["v"]}))]),
            additional: Additional::from_iter([("@odata.etag".to_owned(), json!("W/\"1\""))]),
        };
        let wire = serde_json::to_string(&full).unwrap();
        let back: Message = serde_json::from_str(&wire).unwrap();
        assert_eq!(back.additional.keys().collect::<Vec<_>>(), ["@odata.etag"], "{wire}");
        assert_eq!(back, full);
        assert_eq!(FIELDS.len(), serde_json::to_value(&full).unwrap().as_object().unwrap().len() - 1);
    }

    #[test]
    fn nulls_unknowns_duplicates_and_wrong_types() {
        let m: Message = serde_json::from_str(
            r##"{"id":null,"subject":"s","@odata.type":"#microsoft.graph.eventMessage","x":{"deep":[1,{"a":null}]},
                "x":2,"meetingMessageType":"meetingRequest"}"##,
        )
        .unwrap();
        assert_eq!((m.id, m.subject.as_deref()), (None, Some("s")));
        assert_eq!(m.additional.len(), 3);
        assert_eq!(m.additional["x"], json!(2), "a repeated unknown property keeps its last value");
        assert_eq!(m.additional["meetingMessageType"], json!("meetingRequest"));

        let e = serde_json::from_str::<Message>(r#"{"id":"a","id":"b"}"#).unwrap_err();
        assert!(e.to_string().contains("duplicate field `id`"), "{e}");
        let e = serde_json::from_str::<Message>(r#"{"isRead":null,"isRead":true}"#).unwrap_err();
        assert!(e.to_string().contains("duplicate field `isRead`"), "{e}");
        assert!(serde_json::from_str::<Message>(r#"{"isRead":"yes"}"#).is_err());
        assert!(serde_json::from_str::<Message>(r#"{"receivedDateTime":"yesterday"}"#).is_err());
        assert!(serde_json::from_str::<Message>(r#"["id"]"#).is_err());
        // An escaped name is still the field it names.
        let m: Message = serde_json::from_str(r#"{"\u0069d":"a","sub\u006aect":"s"}"#).unwrap();
        assert_eq!((m.id.as_deref(), m.subject.as_deref()), (Some("a"), Some("s")));
        // From a Value and from a reader, like the derive.
        let m: Message =
            serde_json::from_value(json!({"id": "a", "receivedDateTime": "2024-05-01T09:30:00Z"})).unwrap();
        assert_eq!(m.received_date_time, Some(utc::parse("2024-05-01T09:30:00Z").unwrap()));
        let m: Message = serde_json::from_reader(&br#"{"id":"a","@odata.etag":"e"}"#[..]).unwrap();
        assert_eq!(m.etag(), Some("e"));
    }
}
