//! Messages: their properties, how they render, and what creating, sending,
//! delivering, moving and deleting them does to the store.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use crate::errors::{ApiResult, GraphError};
use crate::state::conversation_index;
use crate::state::ids::{IdKind, bytes_from};
use crate::state::schema::{IMPORTANCE, Kind};
use crate::state::store::{AttachmentRec, MessageRec, Obj, Store, Tombstone};
use crate::time::format_utc;

/// Every property of `microsoft.graph.message` the emulator knows (for `$select`, `$filter`, `$orderby`).
pub(crate) const MESSAGE_PROPS: &[&str] = &[
    "id",
    "createdDateTime",
    "lastModifiedDateTime",
    "changeKey",
    "categories",
    "receivedDateTime",
    "sentDateTime",
    "hasAttachments",
    "internetMessageId",
    "subject",
    "bodyPreview",
    "importance",
    "parentFolderId",
    "conversationId",
    "conversationIndex",
    "isDeliveryReceiptRequested",
    "isReadReceiptRequested",
    "isRead",
    "isDraft",
    "webLink",
    "inferenceClassification",
    "body",
    "uniqueBody",
    "sender",
    "from",
    "toRecipients",
    "ccRecipients",
    "bccRecipients",
    "replyTo",
    "flag",
    "internetMessageHeaders",
    "attachments",
    "extensions",
    "singleValueExtendedProperties",
    "multiValueExtendedProperties",
];

/// Properties Graph returns only when `$select`ed.
const SELECT_ONLY: &[&str] = &["uniqueBody", "internetMessageHeaders"];

/// What a client may send when creating or updating a message.
pub(crate) const MESSAGE_WRITABLE: &[(&str, Kind)] = &[
    ("subject", Kind::Str),
    ("body", Kind::ItemBody),
    ("importance", IMPORTANCE),
    ("categories", Kind::StrArray),
    ("toRecipients", Kind::Recipients),
    ("ccRecipients", Kind::Recipients),
    ("bccRecipients", Kind::Recipients),
    ("replyTo", Kind::Recipients),
    ("from", Kind::Recipient),
    ("sender", Kind::Recipient),
    ("flag", Kind::Flag),
    ("isRead", Kind::Bool),
    ("isDeliveryReceiptRequested", Kind::Bool),
    ("isReadReceiptRequested", Kind::Bool),
    ("inferenceClassification", Kind::Enum("inferenceClassificationType", &["focused", "other"])),
    ("internetMessageHeaders", Kind::Array),
    ("internetMessageId", Kind::Str),
    ("attachments", Kind::Array),
    ("singleValueExtendedProperties", Kind::Array),
    ("multiValueExtendedProperties", Kind::Array),
    ("extensions", Kind::Array),
    ("id", Kind::Ignored),
    ("createdDateTime", Kind::Ignored),
    ("lastModifiedDateTime", Kind::Ignored),
    ("changeKey", Kind::Ignored),
    ("receivedDateTime", Kind::Ignored),
    ("sentDateTime", Kind::Ignored),
    ("hasAttachments", Kind::Ignored),
    ("bodyPreview", Kind::Ignored),
    ("parentFolderId", Kind::Ignored),
    ("conversationId", Kind::Ignored),
    ("conversationIndex", Kind::Ignored),
    ("isDraft", Kind::Ignored),
    ("webLink", Kind::Ignored),
    ("uniqueBody", Kind::Ignored),
];

/// Properties that can change on a message that is not a draft.
pub(crate) const UPDATABLE_WHEN_SENT: &[&str] = &[
    "isRead",
    "categories",
    "flag",
    "importance",
    "inferenceClassification",
    "isDeliveryReceiptRequested",
    "isReadReceiptRequested",
    "singleValueExtendedProperties",
    "multiValueExtendedProperties",
    "extensions",
];

/// Properties of `microsoft.graph.attachment` (and its file/item/reference kinds).
pub(crate) const ATTACHMENT_PROPS: &[&str] = &[
    "id",
    "name",
    "contentType",
    "size",
    "isInline",
    "lastModifiedDateTime",
    "contentId",
    "contentLocation",
    "contentBytes",
    "item",
    "sourceUrl",
    "providerType",
    "permission",
    "isFolder",
    "thumbnailUrl",
    "previewUrl",
];

/// Plain text of an HTML body: tags dropped, common entities decoded, whitespace collapsed.
pub(crate) fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    let lower = html.to_ascii_lowercase();
    let mut skip_until: Option<&str> = None;
    let mut i = 0;
    let bytes = html.as_bytes();
    while i < bytes.len() {
        if let Some(end) = skip_until {
            // byte-wise: `i` may sit inside a multi-byte character here
            if lower.as_bytes()[i..].starts_with(end.as_bytes()) {
                i += end.len();
                skip_until = None;
            } else {
                i += 1;
            }
            continue;
        }
        if lower[i..].starts_with("<style") {
            skip_until = Some("</style>");
            continue;
        }
        if lower[i..].starts_with("<head") {
            skip_until = Some("</head>");
            continue;
        }
        let c = html[i..].chars().next().unwrap_or(' ');
        match c {
            '<' => {
                in_tag = true;
                // Block-level tags separate words; inline ones (<b>, <a>, <span>) do not.
                let name: String = lower[i + 1..]
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|ch| ch.is_ascii_alphanumeric())
                    .collect();
                if matches!(
                    name.as_str(),
                    "br" | "p"
                        | "div"
                        | "tr"
                        | "td"
                        | "th"
                        | "li"
                        | "ul"
                        | "ol"
                        | "hr"
                        | "h1"
                        | "h2"
                        | "h3"
                        | "h4"
                        | "table"
                        | "body"
                        | "html"
                        | "pre"
                ) {
                    out.push(' ');
                }
            }
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
        i += c.len_utf8();
    }
    let decoded = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Plain text of a message body.
pub(crate) fn body_text(data: &Obj) -> String {
    let body = data.get("body");
    let content = body.and_then(|b| b.get("content")).and_then(Value::as_str).unwrap_or_default();
    let is_html = body.and_then(|b| b.get("contentType")).and_then(Value::as_str) == Some("html");
    if is_html { strip_html(content) } else { content.split_whitespace().collect::<Vec<_>>().join(" ") }
}

/// A `changeKey` for a change number.
pub(crate) fn change_key(seq: u64, id: &str) -> String {
    let mut raw = vec![0x09, 0x00, 0x00, 0x00, 0x16, 0x00, 0x00, 0x00];
    let id_sum: u64 = id.bytes().map(u64::from).sum();
    raw.extend_from_slice(&bytes_from(seq ^ ((id.len() as u64) << 40) ^ id_sum, 14));
    raw.extend_from_slice(&(seq as u32).to_be_bytes());
    STANDARD.encode(raw)
}

fn web_link(id: &str) -> String {
    let encoded: String = percent_encoding::utf8_percent_encode(id, percent_encoding::NON_ALPHANUMERIC).to_string();
    format!("https://outlook.office365.com/owa/?ItemID={encoded}&exvsurl=1&viewmodel=ReadMessageItem")
}

/// How a message body should be rendered (`Prefer: outlook.body-content-type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum BodyPref {
    #[default]
    AsStored,
    Text,
    Html,
}

fn convert_body(body: &Value, pref: BodyPref) -> Value {
    let ct = body.get("contentType").and_then(Value::as_str).unwrap_or("text");
    let content = body.get("content").and_then(Value::as_str).unwrap_or_default();
    match (pref, ct) {
        (BodyPref::Text, "html") => json!({"contentType": "text", "content": strip_html(content)}),
        (BodyPref::Html, "text") => json!({
            "contentType": "html",
            "content": format!("<html><body>{}</body></html>", content.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('\n', "<br>")),
        }),
        _ => body.clone(),
    }
}

/// A message as Graph returns it. `select` brings in the select-only
/// properties it names.
pub(crate) fn render_message(m: &MessageRec, select: Option<&[String]>, pref: BodyPref) -> Value {
    let mut o = m.data.clone();
    let selected = |p: &str| select.is_some_and(|s| s.iter().any(|x| x.eq_ignore_ascii_case(p)));
    for p in SELECT_ONLY {
        if !selected(p) {
            o.remove(*p);
        }
    }
    if selected("uniqueBody") && !o.contains_key("uniqueBody") {
        o.insert("uniqueBody".into(), o.get("body").cloned().unwrap_or(Value::Null));
    }
    for key in ["body", "uniqueBody"] {
        if let Some(b) = o.get(key).cloned() {
            o.insert(key.into(), convert_body(&b, pref));
        }
    }
    let ck = change_key(m.changed_seq, &m.id);
    let mut preview = body_text(&m.data);
    if preview.chars().count() > 255 {
        preview = preview.chars().take(255).collect();
    }
    o.insert("@odata.etag".into(), json!(format!("W/\"{ck}\"")));
    o.insert("id".into(), json!(m.id));
    o.insert("changeKey".into(), json!(ck));
    o.insert("parentFolderId".into(), json!(m.folder_id));
    o.insert(
        "hasAttachments".into(),
        json!(m.attachments.iter().any(|a| a.data.get("isInline") != Some(&Value::Bool(true)))),
    );
    o.insert("bodyPreview".into(), json!(preview));
    o.insert("webLink".into(), json!(web_link(&m.id)));
    if selected("attachments") {
        o.insert("attachments".into(), Value::Array(m.attachments.iter().map(render_attachment).collect()));
    }
    Value::Object(o)
}

/// An attachment as Graph returns it (file attachments with `contentBytes`).
pub(crate) fn render_attachment(a: &AttachmentRec) -> Value {
    let mut o = a.data.clone();
    o.insert("id".into(), json!(a.id));
    if o.get("@odata.type").and_then(Value::as_str) == Some("#microsoft.graph.fileAttachment") {
        o.insert("contentBytes".into(), json!(STANDARD.encode(&a.content)));
    }
    Value::Object(o)
}

/// Reads an attachment from a request body.
pub(crate) fn parse_attachment(store: &mut Store, v: &Value, now: DateTime<Utc>) -> ApiResult<AttachmentRec> {
    let obj = v.as_object().ok_or_else(|| GraphError::body_read("An attachment must be a JSON object."))?;
    let kind = obj.get("@odata.type").and_then(Value::as_str).unwrap_or("").to_ascii_lowercase();
    let kind = kind.trim_start_matches('#');
    let mut data = Map::new();
    let mut content = Vec::new();
    let type_name = match kind {
        "microsoft.graph.fileattachment" => "#microsoft.graph.fileAttachment",
        "microsoft.graph.itemattachment" => "#microsoft.graph.itemAttachment",
        "microsoft.graph.referenceattachment" => "#microsoft.graph.referenceAttachment",
        "" => {
            return Err(GraphError::invalid_request(
                "The attachment's @odata.type must be set (for example #microsoft.graph.fileAttachment).",
            ));
        }
        other => return Err(GraphError::body_read(format!("The type '{other}' is not an attachment type."))),
    };
    for (k, val) in obj {
        match k.as_str() {
            "@odata.type" | "id" | "size" | "lastModifiedDateTime" => {}
            "contentBytes" => {
                let s = val.as_str().ok_or_else(|| GraphError::body_read("contentBytes must be a base64 string."))?;
                content = STANDARD.decode(s.trim()).map_err(|_| {
                    GraphError::body_read("Cannot convert the value of property 'contentBytes' to 'Edm.Binary'.")
                })?;
            }
            k if ATTACHMENT_PROPS.contains(&k) => {
                data.insert(k.to_owned(), val.clone());
            }
            other => {
                return Err(GraphError::body_read(format!(
                    "The property '{other}' does not exist on type 'microsoft.graph.attachment'."
                )));
            }
        }
    }
    if !data.get("name").is_some_and(Value::is_string) {
        return Err(GraphError::invalid_request("The attachment name is required."));
    }
    data.insert("@odata.type".into(), json!(type_name));
    data.entry("contentType").or_insert(json!("application/octet-stream"));
    data.entry("isInline").or_insert(json!(false));
    data.entry("contentId").or_insert(Value::Null);
    data.insert("size".into(), json!(content.len()));
    data.insert("lastModifiedDateTime".into(), json!(format_utc(now)));
    Ok(AttachmentRec { id: store.ids.next(IdKind::Attachment), data, content })
}

/// An `emailAddress` recipient object.
pub(crate) fn recipient(name: &str, address: &str) -> Value {
    json!({"emailAddress": {"name": name, "address": address}})
}

/// The addresses of a recipient list.
pub(crate) fn addresses(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|r| r.get("emailAddress").and_then(|e| e.get("address")).and_then(Value::as_str))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Defaults every stored message has.
fn with_defaults(mut data: Obj, now: DateTime<Utc>) -> Obj {
    let t = json!(format_utc(now));
    data.entry("createdDateTime").or_insert(t.clone());
    data.insert("lastModifiedDateTime".into(), t.clone());
    data.entry("receivedDateTime").or_insert(t.clone());
    data.entry("sentDateTime").or_insert(t);
    data.entry("categories").or_insert(json!([]));
    data.entry("subject").or_insert(json!(""));
    data.entry("importance").or_insert(json!("normal"));
    data.entry("isDeliveryReceiptRequested").or_insert(json!(false));
    data.entry("isReadReceiptRequested").or_insert(json!(false));
    data.entry("isRead").or_insert(json!(true));
    data.entry("isDraft").or_insert(json!(false));
    data.entry("inferenceClassification").or_insert(json!("focused"));
    data.entry("body").or_insert(json!({"contentType": "text", "content": ""}));
    data.entry("toRecipients").or_insert(json!([]));
    data.entry("ccRecipients").or_insert(json!([]));
    data.entry("bccRecipients").or_insert(json!([]));
    data.entry("replyTo").or_insert(json!([]));
    data.entry("flag").or_insert(json!({"flagStatus": "notFlagged"}));
    data
}

impl Store {
    /// A new conversation: its id and the header of its index.
    pub fn new_conversation(&mut self, now: DateTime<Utc>) -> (String, Vec<u8>) {
        let id = self.ids.next(IdKind::Conversation);
        let mut guid = [0u8; 16];
        guid.copy_from_slice(&bytes_from(self.ids.next_u64(), 16));
        (id, conversation_index::header(now, guid))
    }

    /// The index of a reply to a message with index `parent`.
    pub fn reply_index(&mut self, parent_b64: &str, now: DateTime<Utc>) -> Vec<u8> {
        let parent = STANDARD.decode(parent_b64).unwrap_or_default();
        let r = self.ids.next_u64();
        let mut guid = [0u8; 16];
        guid.copy_from_slice(&bytes_from(r, 16));
        conversation_index::child(&parent, now, (r >> 8) as u8, guid)
    }

    /// A fresh `internetMessageId`.
    pub fn internet_message_id(&mut self) -> String {
        let n = self.ids.next_u64();
        let host = format!("SN{}PR11MB{}", 4 + n % 6, 1000 + n % 9000);
        format!("<{}{:08X}@{host}.namprd11.prod.outlook.com>", host, (n >> 20) as u32)
    }

    /// Stores a message in a folder; fills what Graph fills. Returns its id.
    pub fn put_message(
        &mut self,
        user_id: &str,
        folder_id: &str,
        mut data: Obj,
        attachments: Vec<AttachmentRec>,
        now: DateTime<Utc>,
    ) -> ApiResult<String> {
        if !data.contains_key("conversationId") {
            let (cid, index) = self.new_conversation(now);
            data.insert("conversationId".into(), json!(cid));
            data.insert("conversationIndex".into(), json!(STANDARD.encode(index)));
        }
        if !data.contains_key("internetMessageId") {
            let imid = self.internet_message_id();
            data.insert("internetMessageId".into(), json!(imid));
        }
        let data = with_defaults(data, now);
        let id = self.ids.next(IdKind::Message);
        let seq = self.next_seq();
        let mb = self.mailbox_mut(user_id)?;
        mb.messages.push(MessageRec {
            id: id.clone(),
            folder_id: folder_id.to_owned(),
            data,
            attachments,
            created_seq: seq,
            changed_seq: seq,
        });
        Ok(id)
    }

    /// Removes a message from its mailbox (delta reports it as deleted).
    pub fn remove_message(&mut self, user_id: &str, id: &str) -> ApiResult<MessageRec> {
        let seq = self.next_seq();
        let mb = self.mailbox_mut(user_id)?;
        let i = mb.message_index(id)?;
        let m = mb.messages.remove(i);
        mb.tombstones.push(Tombstone { folder_id: m.folder_id.clone(), id: m.id.clone(), seq });
        Ok(m)
    }

    /// Marks a message changed now.
    pub fn touch_message(&mut self, user_id: &str, id: &str, now: DateTime<Utc>) -> ApiResult<()> {
        let seq = self.next_seq();
        let mb = self.mailbox_mut(user_id)?;
        let i = mb.message_index(id)?;
        let m = &mut mb.messages[i];
        m.changed_seq = seq;
        m.data.insert("lastModifiedDateTime".into(), json!(format_utc(now)));
        Ok(())
    }

    /// Moves a message to another folder. Graph gives the moved message a new
    /// id unless the client asked for immutable ids (`Prefer: IdType="ImmutableId"`).
    pub fn move_message(
        &mut self,
        user_id: &str,
        id: &str,
        dest: &str,
        keep_id: bool,
        now: DateTime<Utc>,
    ) -> ApiResult<String> {
        let dest_id = self.mailbox(user_id)?.folder(dest)?.id.clone();
        let mut m = self.remove_message(user_id, id)?;
        let new_id = if keep_id { m.id.clone() } else { self.ids.next(IdKind::Message) };
        let seq = self.next_seq();
        m.id = new_id.clone();
        m.folder_id = dest_id;
        m.created_seq = seq;
        m.changed_seq = seq;
        m.data.insert("lastModifiedDateTime".into(), json!(format_utc(now)));
        self.mailbox_mut(user_id)?.messages.push(m);
        Ok(new_id)
    }

    /// Copies a message to another folder; the copy has a new id.
    pub fn copy_message(&mut self, user_id: &str, id: &str, dest: &str, now: DateTime<Utc>) -> ApiResult<String> {
        let mb = self.mailbox(user_id)?;
        let dest_id = mb.folder(dest)?.id.clone();
        let src = mb.messages[mb.message_index(id)?].clone();
        let mut attachments = src.attachments.clone();
        for a in &mut attachments {
            a.id = self.ids.next(IdKind::Attachment);
        }
        let mut data = src.data.clone();
        data.insert("createdDateTime".into(), json!(format_utc(now)));
        self.put_message(user_id, &dest_id, data, attachments, now)
    }

    /// Sends a message from `user_id`: a copy in Sent Items (when
    /// `save_to_sent`), and one in the inbox of every tenant user among the
    /// recipients (Bcc hidden from them). Returns the Sent Items id.
    pub fn send_message(
        &mut self,
        user_id: &str,
        mut data: Obj,
        attachments: Vec<AttachmentRec>,
        save_to_sent: bool,
        now: DateTime<Utc>,
    ) -> ApiResult<Option<String>> {
        let mut rcpts = addresses(data.get("toRecipients"));
        rcpts.extend(addresses(data.get("ccRecipients")));
        rcpts.extend(addresses(data.get("bccRecipients")));
        if rcpts.is_empty() {
            return Err(GraphError::new(
                axum::http::StatusCode::BAD_REQUEST,
                "ErrorInvalidRecipients",
                "At least one recipient isn't valid., A message can't be sent because it contains no recipients.",
            ));
        }
        if let Some(bad) = rcpts.iter().find(|a| !a.contains('@')) {
            return Err(GraphError::new(
                axum::http::StatusCode::BAD_REQUEST,
                "ErrorInvalidRecipients",
                format!(
                    "At least one recipient isn't valid., Recipient '{bad}' isn't resolved. All recipients must be resolved before a message can be submitted."
                ),
            ));
        }
        let sender = self.users.iter().find(|u| u.id == user_id).cloned().ok_or_else(GraphError::item_not_found)?;
        let me = recipient(&sender.display_name, &sender.mail);
        data.entry("from").or_insert(me.clone());
        data.insert("sender".into(), me);
        data.insert("isDraft".into(), json!(false));
        data.insert("sentDateTime".into(), json!(format_utc(now)));
        data.insert("receivedDateTime".into(), json!(format_utc(now)));
        if !data.contains_key("conversationId") {
            let (cid, index) = self.new_conversation(now);
            data.insert("conversationId".into(), json!(cid));
            data.insert("conversationIndex".into(), json!(STANDARD.encode(index)));
        }
        if !data.contains_key("internetMessageId") {
            let imid = self.internet_message_id();
            data.insert("internetMessageId".into(), json!(imid));
        }
        let mut sent_id = None;
        if save_to_sent {
            let mut copy = data.clone();
            copy.insert("isRead".into(), json!(true));
            let folder = self.mailbox(user_id)?.well_known_id("sentitems");
            sent_id = Some(self.put_message(user_id, &folder, copy, attachments.clone(), now)?);
        }
        // Deliver to each tenant user once.
        let mut delivered: Vec<String> = Vec::new();
        for addr in rcpts {
            let Some(target) = self.user(&addr).map(|u| u.id.clone()) else { continue };
            if delivered.contains(&target) {
                continue;
            }
            delivered.push(target.clone());
            let mut copy = data.clone();
            copy.insert("bccRecipients".into(), json!([]));
            copy.insert("isRead".into(), json!(false));
            copy.remove("flag");
            copy.remove("categories");
            copy.remove("createdDateTime");
            let mut atts = attachments.clone();
            for a in &mut atts {
                a.id = self.ids.next(IdKind::Attachment);
            }
            let inbox = self.mailbox(&target)?.well_known_id("inbox");
            self.put_message(&target, &inbox, copy, atts, now)?;
        }
        Ok(sent_id)
    }
}
