//! The hand-written floor: the message struct a user of plain reqwest +
//! serde_json would write for the bench server's listing. One field per
//! property the server sends (plus the recipient lists and receipts a
//! triage tool also declares), dates as chrono `DateTime<Utc>`, plain
//! `String`s, `Vec`s of a recipient struct, no map of unknown fields
//! (serde skips what the struct does not name).
//!
//! Shared with the graph-rs-sdk peer (benches/peer/graph_rs_sdk), which
//! includes this file, so both baselines parse into the same struct: it
//! needs only serde and chrono.

use chrono::{DateTime, Utc};
use serde::Deserialize;

/// `{"name": ..., "address": ...}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct HandEmailAddress {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub address: String,
}

/// `{"emailAddress": {...}}`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HandRecipient {
    #[serde(default)]
    pub email_address: HandEmailAddress,
}

/// `{"dateTime": "2024-06-03T00:00:00.0000000", "timeZone": "UTC"}` as two strings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HandDateTimeTimeZone {
    pub date_time: String,
    #[serde(default)]
    pub time_zone: String,
}

/// The follow-up flag.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HandFlag {
    #[serde(default)]
    pub flag_status: String,
    #[serde(default)]
    pub start_date_time: Option<HandDateTimeTimeZone>,
    #[serde(default)]
    pub due_date_time: Option<HandDateTimeTimeZone>,
    #[serde(default)]
    pub completed_date_time: Option<HandDateTimeTimeZone>,
}

/// A message, 29 fields.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HandMessage {
    #[serde(rename = "@odata.etag", default)]
    pub etag: Option<String>,
    pub id: String,
    #[serde(default)]
    pub created_date_time: Option<DateTime<Utc>>,
    #[serde(default)]
    pub last_modified_date_time: Option<DateTime<Utc>>,
    #[serde(default)]
    pub change_key: Option<String>,
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub received_date_time: Option<DateTime<Utc>>,
    #[serde(default)]
    pub sent_date_time: Option<DateTime<Utc>>,
    #[serde(default)]
    pub has_attachments: bool,
    #[serde(default)]
    pub internet_message_id: Option<String>,
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub body_preview: Option<String>,
    #[serde(default)]
    pub importance: Option<String>,
    #[serde(default)]
    pub parent_folder_id: Option<String>,
    #[serde(default)]
    pub conversation_id: Option<String>,
    #[serde(default)]
    pub conversation_index: Option<String>,
    #[serde(default)]
    pub is_delivery_receipt_requested: Option<bool>,
    #[serde(default)]
    pub is_read_receipt_requested: Option<bool>,
    #[serde(default)]
    pub is_read: bool,
    #[serde(default)]
    pub is_draft: bool,
    #[serde(default)]
    pub web_link: Option<String>,
    #[serde(default)]
    pub inference_classification: Option<String>,
    #[serde(default)]
    pub sender: Option<HandRecipient>,
    #[serde(default)]
    pub from: Option<HandRecipient>,
    #[serde(default)]
    pub to_recipients: Vec<HandRecipient>,
    #[serde(default)]
    pub cc_recipients: Vec<HandRecipient>,
    #[serde(default)]
    pub bcc_recipients: Vec<HandRecipient>,
    #[serde(default)]
    pub reply_to: Vec<HandRecipient>,
    #[serde(default)]
    pub flag: Option<HandFlag>,
}

/// A page of the listing.
#[derive(Debug, Default, Deserialize)]
pub struct HandPage {
    #[serde(default)]
    pub value: Vec<HandMessage>,
    #[serde(rename = "@odata.nextLink", default)]
    pub next_link: Option<String>,
}

/// What a consumer does with a message: the same few fields as
/// `consume::use_message` reads of the SDK's `Message`.
pub fn use_hand_message(m: &HandMessage) -> u64 {
    let subject = m.subject.as_ref().map_or(0, |s| s.len() as u64);
    std::hint::black_box(subject + m.to_recipients.len() as u64 + u64::from(m.is_read))
}
