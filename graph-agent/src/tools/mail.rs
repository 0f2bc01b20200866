//! Outlook mail tools (`mail_*`). Permissions: delegated `Mail.Read` for the
//! read-only ones, `Mail.ReadWrite` for drafts and moves, `Mail.Send` for
//! sending and replying.

use chrono::{DateTime, SecondsFormat, Utc};
use msgraph_core::models::{BodyType as GraphBodyType, EmailAddress, ItemBody, Recipient};
use msgraph_mail::{Attachment, MailExt, MailFolder, Message, MessageListExt as _, MessageQuery as _, NewMessage};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::args::{BodyType, non_blank};
use crate::catalogue::{Access, Service};
use crate::dispatch::{Ctx, Meta, OrTool, Registry, ToolError, body_text, limit, page, preview};

const NO_MESSAGE: &str = "no such message; call mail_read_emails or mail_search_emails to get message ids \
     (a message's id changes when it moves: use the id mail_move_email returned)";
const NO_FOLDER: &str = "no such mail folder; use a well-known name (inbox, sentitems, drafts, archive, \
     deleteditems, junkemail) or an id from mail_list_folders";
/// Characters of a message body in `mail_get_email`.
const BODY_CHARS: usize = 4000;
/// Attachments named in `mail_get_email`.
const MAX_ATTACHMENTS: u32 = 20;
/// The fields a message summary needs.
const SUMMARY_FIELDS: [&str; 7] =
    ["id", "subject", "from", "receivedDateTime", "isRead", "hasAttachments", "bodyPreview"];

// ---- shared helpers (calendar.rs uses `recipients` for attendees) ----

/// `Name <address>`, or the address alone.
pub(crate) fn who(r: &Recipient) -> Option<String> {
    let address = r.address().map(str::trim).filter(|a| !a.is_empty());
    let name = r.email_address.name.as_deref().map(str::trim).filter(|n| !n.is_empty());
    match (name, address) {
        (Some(n), Some(a)) if !n.eq_ignore_ascii_case(a) => Some(format!("{n} <{a}>")),
        (_, Some(a)) => Some(a.to_owned()),
        (Some(n), None) => Some(n.to_owned()),
        (None, None) => None,
    }
}

fn who_all(list: Option<&[Recipient]>) -> Vec<String> {
    list.unwrap_or_default().iter().filter_map(who).collect()
}

/// The recipients of an argument (`to`, `cc`, `attendees`, ...): each
/// `ada@contoso.com` or `Ada Lovelace <ada@contoso.com>`, checked before
/// anything is sent; a bad one is an error naming the argument.
pub(crate) fn recipients(field: &str, list: Option<&[String]>) -> Result<Vec<Recipient>, ToolError> {
    let mut out = Vec::new();
    for (i, raw) in list.unwrap_or_default().iter().enumerate() {
        let s = raw.trim();
        let (name, address) = match s.strip_suffix('>').and_then(|s| s.rsplit_once('<')) {
            Some((name, address)) => (name.trim().trim_matches('"').trim(), address.trim()),
            None => ("", s),
        };
        if !EmailAddress::is_valid(address) {
            return Err(ToolError::new(format!(
                "`{field}[{i}]`: {raw:?} is not an email address; give addresses like ada@contoso.com \
                 (look a person's address up first if you only know the name)"
            )));
        }
        out.push(if name.is_empty() { Recipient::new(address) } else { Recipient::with_name(name, address) });
    }
    Ok(out)
}

/// A UTC instant as `2026-03-05T09:30:00Z`.
pub(crate) fn utc(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A folder argument: well-known names (any case, a few aliases) or an id.
fn folder_ref(s: &str) -> Result<String, ToolError> {
    let s = non_blank("folder", s)?;
    let key: String = s.chars().filter(|c| !c.is_whitespace() && *c != '_' && *c != '-').collect();
    let key = key.to_ascii_lowercase();
    let known = match key.as_str() {
        "inbox" => "inbox",
        "sent" | "sentitems" | "sentmail" => "sentitems",
        "drafts" | "draft" => "drafts",
        "archive" => "archive",
        "deleted" | "deleteditems" | "trash" | "bin" => "deleteditems",
        "junk" | "junkemail" | "spam" => "junkemail",
        "outbox" => "outbox",
        "msgfolderroot" | "root" => "msgfolderroot",
        // anything else is a folder id, kept as given
        _ => return Ok(s.to_owned()),
    };
    Ok(known.to_owned())
}

// ---- results ----

/// A message in a listing, trimmed.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct MessageSummary {
    /// The message's id (pass it as `id` to mail_get_email, mail_reply, mail_move_email).
    id: String,
    /// Its subject.
    subject: String,
    /// The sender, `Name <address>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    /// When it was received, UTC (`2026-03-05T09:30:00Z`).
    #[serde(skip_serializing_if = "Option::is_none")]
    received: Option<String>,
    /// True when it has been read.
    is_read: bool,
    /// True when it has (non-inline) attachments.
    has_attachments: bool,
    /// The start of the body as plain text (about 255 characters).
    #[serde(skip_serializing_if = "String::is_empty")]
    preview: String,
}

impl From<Message> for MessageSummary {
    fn from(m: Message) -> Self {
        MessageSummary {
            from: m.from.as_ref().and_then(who),
            received: m.received_date_time.as_ref().map(utc),
            is_read: m.is_read.unwrap_or(false),
            has_attachments: m.has_attachments.unwrap_or(false),
            preview: preview(m.body_preview.as_deref().unwrap_or_default(), 300),
            id: m.id.unwrap_or_default(),
            subject: m.subject.unwrap_or_default(),
        }
    }
}

#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct MessagePage {
    /// The messages.
    messages: Vec<MessageSummary>,
    /// Pass as `cursor` to get the next messages; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_cursor: Option<String>,
}

/// An attachment, named.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct AttachmentView {
    /// The file name.
    name: String,
    /// Its MIME type.
    #[serde(skip_serializing_if = "Option::is_none")]
    content_type: Option<String>,
    /// Its size in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    size: Option<i32>,
}

impl From<&Attachment> for AttachmentView {
    fn from(a: &Attachment) -> Self {
        AttachmentView {
            name: a.name().unwrap_or("(no name)").to_owned(),
            content_type: a.content_type().map(str::to_owned),
            size: a.size(),
        }
    }
}

/// One message, with its body as text.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct MessageView {
    /// The message's id.
    id: String,
    /// Its subject.
    subject: String,
    /// The sender, `Name <address>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    /// To: recipients.
    to: Vec<String>,
    /// Cc: recipients.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    cc: Vec<String>,
    /// When it was received, UTC.
    #[serde(skip_serializing_if = "Option::is_none")]
    received: Option<String>,
    /// True when it has been read.
    is_read: bool,
    /// True for a draft (not sent yet).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    is_draft: bool,
    /// The body as plain text, cut after 4,000 characters.
    body: String,
    /// True when `body` was cut.
    body_truncated: bool,
    /// The thread it belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    conversation_id: Option<String>,
    /// Its attachments (inline images left out).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attachments: Vec<AttachmentView>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Draft {
    /// The draft's id (it is in the Drafts folder; the user can edit and send it from Outlook).
    id: String,
    /// Its subject.
    subject: String,
    /// To: recipients.
    to: Vec<String>,
    /// True: it is a draft, not sent.
    is_draft: bool,
}

#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Sent {
    /// True: Microsoft Graph accepted the message for delivery.
    sent: bool,
    /// How many recipients (to, cc and bcc) it went to.
    recipients: usize,
    /// True when a copy was kept in Sent Items.
    saved_to_sent_items: bool,
}

#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Replied {
    /// True: the reply was sent (a copy is in Sent Items).
    sent: bool,
    /// The id of the message replied to.
    id: String,
    /// True when it went to the sender and every recipient, false for the sender only.
    reply_all: bool,
}

#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Moved {
    /// The message's id in its new folder (the old id no longer works).
    id: String,
    /// The id it had before the move.
    previous_id: String,
    /// The id of the folder it is in now.
    #[serde(skip_serializing_if = "Option::is_none")]
    folder_id: Option<String>,
    /// Its subject.
    subject: String,
}

/// A mail folder, trimmed.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct FolderView {
    /// The folder's id (pass it as `folder`, `destination` or `parent_folder`).
    id: String,
    /// Its name, e.g. "Inbox".
    display_name: String,
    /// Unread messages in it.
    unread_count: i32,
    /// Messages in it.
    total_count: i32,
    /// Folders directly below it (list them with `parent_folder` set to this id).
    child_folder_count: i32,
}

impl From<MailFolder> for FolderView {
    fn from(f: MailFolder) -> Self {
        FolderView {
            id: f.id.unwrap_or_default(),
            display_name: f.display_name.unwrap_or_default(),
            unread_count: f.unread_item_count.unwrap_or(0),
            total_count: f.total_item_count.unwrap_or(0),
            child_folder_count: f.child_folder_count.unwrap_or(0),
        }
    }
}

#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct FolderPage {
    /// The folders.
    folders: Vec<FolderView>,
    /// Pass as `cursor` to get the next folders; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_cursor: Option<String>,
}

// ---- arguments ----

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReadArgs {
    /// The folder: a well-known name (inbox, sentitems, drafts, archive, deleteditems, junkemail) or a folder id from mail_list_folders. Default inbox.
    folder: Option<String>,
    /// An OData $filter on messages, e.g. `isRead eq false`, `hasAttachments eq true`, `receivedDateTime ge 2026-03-01T00:00:00Z`, `from/emailAddress/address eq 'ada@contoso.com'`.
    filter: Option<String>,
    /// How many messages to return (1-50, default 10).
    limit: Option<u32>,
    /// The `next_cursor` of an earlier call, for the next messages.
    cursor: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SearchArgs {
    /// What to look for: words (searched in subject, body and sender) or KQL such as `from:ada subject:invoice`, `hasattachments:true budget`.
    query: String,
    /// Only this folder (well-known name or id); default the whole mailbox.
    folder: Option<String>,
    /// How many messages to return (1-50, default 10).
    limit: Option<u32>,
    /// The `next_cursor` of an earlier call, for the next messages.
    cursor: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct IdArgs {
    /// The message's id, from mail_read_emails or mail_search_emails.
    id: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DraftArgs {
    /// To: addresses, e.g. ["ada@contoso.com"] (or "Ada Lovelace <ada@contoso.com>").
    #[serde(default)]
    to: Vec<String>,
    /// Cc: addresses.
    #[serde(default)]
    cc: Vec<String>,
    /// Bcc: addresses.
    #[serde(default)]
    bcc: Vec<String>,
    /// The subject.
    subject: String,
    /// The body.
    body: Option<String>,
    /// `text` (default) or `html`: how `body` is written.
    body_type: Option<BodyType>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SendArgs {
    /// To: addresses, e.g. ["ada@contoso.com"] (or "Ada Lovelace <ada@contoso.com>").
    #[serde(default)]
    to: Vec<String>,
    /// Cc: addresses.
    #[serde(default)]
    cc: Vec<String>,
    /// Bcc: addresses.
    #[serde(default)]
    bcc: Vec<String>,
    /// The subject.
    subject: String,
    /// The body.
    body: String,
    /// `text` (default) or `html`: how `body` is written.
    body_type: Option<BodyType>,
    /// Keep a copy in Sent Items (default true).
    save_to_sent_items: Option<bool>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReplyArgs {
    /// The id of the message to reply to, from mail_read_emails or mail_search_emails.
    id: String,
    /// The reply's text, put above the quoted message.
    comment: String,
    /// True to reply to the sender and every recipient; default false (the sender only).
    reply_all: Option<bool>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MoveArgs {
    /// The message's id, from mail_read_emails or mail_search_emails.
    id: String,
    /// Where to: a well-known folder name (inbox, archive, deleteditems, junkemail, ...) or a folder id from mail_list_folders.
    destination: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct FoldersArgs {
    /// List the folders inside this folder (well-known name or id) instead of the top-level folders.
    parent_folder: Option<String>,
    /// How many folders to return (1-50, default 10).
    limit: Option<u32>,
    /// The `next_cursor` of an earlier call, for the next folders.
    cursor: Option<String>,
}

// ---- tools ----

async fn read_emails(ctx: Ctx, a: ReadArgs) -> Result<MessagePage, ToolError> {
    let n = limit(a.limit)?;
    let folder = folder_ref(a.folder.as_deref().unwrap_or("inbox"))?;
    let list = ctx.client.me().messages().list().folder(folder).select(SUMMARY_FIELDS);
    // Graph lists newest first already; an explicit $orderby next to a $filter
    // is refused by Outlook unless the filter starts with the same property.
    let list = match a.filter.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
        Some(f) => list.filter(f),
        None => list.order_by("receivedDateTime desc"),
    };
    let (messages, next_cursor) = page(&ctx, list, n, a.cursor.as_deref(), NO_FOLDER).await?;
    Ok(MessagePage { messages: messages.into_iter().map(MessageSummary::from).collect(), next_cursor })
}

async fn search_emails(ctx: Ctx, a: SearchArgs) -> Result<MessagePage, ToolError> {
    let n = limit(a.limit)?;
    let query = non_blank("query", &a.query)?;
    // The SDK quotes the expression as Graph requires (already quoted ones are kept).
    let mut list = ctx.client.me().messages().search(query).select(SUMMARY_FIELDS);
    if let Some(f) = a.folder.as_deref() {
        list = list.folder(folder_ref(f)?);
    }
    let (messages, next_cursor) = page(&ctx, list, n, a.cursor.as_deref(), NO_FOLDER).await?;
    Ok(MessagePage { messages: messages.into_iter().map(MessageSummary::from).collect(), next_cursor })
}

async fn get_email(ctx: Ctx, a: IdArgs) -> Result<MessageView, ToolError> {
    let id = non_blank("id", &a.id)?;
    let messages = ctx.client.me().messages();
    let m = messages
        .get(id)
        .select([
            "id",
            "subject",
            "from",
            "toRecipients",
            "ccRecipients",
            "receivedDateTime",
            "isRead",
            "isDraft",
            "body",
            "conversationId",
            "hasAttachments",
        ])
        .text_body()
        .send()
        .await
        .or_tool(NO_MESSAGE)?;
    let attachments = if m.has_attachments == Some(true) {
        let list = messages
            .attachments(id)
            .list()
            .select(["id", "name", "contentType", "size", "isInline"])
            .top(MAX_ATTACHMENTS)
            .send()
            .await
            .or_tool(NO_MESSAGE)?;
        list.value.iter().filter(|a| a.is_inline() != Some(true)).map(AttachmentView::from).collect()
    } else {
        Vec::new()
    };
    let (body, body_truncated) = match &m.body {
        Some(b) => {
            let full = body_text(b.content_type == GraphBodyType::Html, &b.content, usize::MAX);
            let truncated = full.chars().count() > BODY_CHARS;
            (if truncated { preview(&full, BODY_CHARS) } else { full }, truncated)
        }
        None => (String::new(), false),
    };
    Ok(MessageView {
        from: m.from.as_ref().and_then(who),
        to: who_all(m.to_recipients.as_deref()),
        cc: who_all(m.cc_recipients.as_deref()),
        received: m.received_date_time.as_ref().map(utc),
        is_read: m.is_read.unwrap_or(false),
        is_draft: m.is_draft.unwrap_or(false),
        body,
        body_truncated,
        conversation_id: m.conversation_id,
        attachments,
        id: m.id.unwrap_or_else(|| id.to_owned()),
        subject: m.subject.unwrap_or_default(),
    })
}

/// The message the compose tools build; addresses are checked first.
fn compose(
    to: &[String],
    cc: &[String],
    bcc: &[String],
    subject: &str,
    body: Option<&str>,
    body_type: Option<BodyType>,
) -> Result<(NewMessage, usize), ToolError> {
    let (to, cc, bcc) = (recipients("to", Some(to))?, recipients("cc", Some(cc))?, recipients("bcc", Some(bcc))?);
    let count = to.len() + cc.len() + bcc.len();
    let mut m = NewMessage::new().subject(subject.trim());
    if let Some(body) = body {
        m = m.body(match body_type.unwrap_or_default() {
            BodyType::Text => ItemBody::text(body),
            BodyType::Html => ItemBody::html(body),
        });
    }
    if !to.is_empty() {
        m = m.to(to);
    }
    if !cc.is_empty() {
        m = m.cc(cc);
    }
    if !bcc.is_empty() {
        m = m.bcc(bcc);
    }
    Ok((m, count))
}

async fn create_draft(ctx: Ctx, a: DraftArgs) -> Result<Draft, ToolError> {
    let (message, _) = compose(&a.to, &a.cc, &a.bcc, &a.subject, a.body.as_deref(), a.body_type)?;
    let d = ctx.client.me().messages().create_draft(message).send().await.or_tool(NO_FOLDER)?;
    Ok(Draft {
        to: who_all(d.to_recipients.as_deref()),
        is_draft: d.is_draft.unwrap_or(true),
        id: d.id.unwrap_or_default(),
        subject: d.subject.unwrap_or_default(),
    })
}

async fn send_email(ctx: Ctx, a: SendArgs) -> Result<Sent, ToolError> {
    let (message, count) = compose(&a.to, &a.cc, &a.bcc, &a.subject, Some(&a.body), a.body_type)?;
    if count == 0 {
        return Err(ToolError::new("nobody to send to: give at least one address in `to`, `cc` or `bcc`"));
    }
    let save = a.save_to_sent_items.unwrap_or(true);
    ctx.client.me().messages().send_mail(message).save_to_sent_items(save).send().await.or_tool(NO_FOLDER)?;
    Ok(Sent { sent: true, recipients: count, saved_to_sent_items: save })
}

async fn reply(ctx: Ctx, a: ReplyArgs) -> Result<Replied, ToolError> {
    let id = non_blank("id", &a.id)?;
    let comment = non_blank("comment", &a.comment)?;
    let reply_all = a.reply_all.unwrap_or(false);
    let messages = ctx.client.me().messages();
    let r = if reply_all { messages.reply_all(id) } else { messages.reply(id) };
    r.comment(comment).send().await.or_tool(NO_MESSAGE)?;
    Ok(Replied { sent: true, id: id.to_owned(), reply_all })
}

async fn move_email(ctx: Ctx, a: MoveArgs) -> Result<Moved, ToolError> {
    let id = non_blank("id", &a.id)?;
    let destination = folder_ref(non_blank("destination", &a.destination)?)?;
    let m = ctx.client.me().messages().move_to(id, destination).send().await.or_tool(
        "no such message or destination folder; get message ids from mail_read_emails and folder ids \
                  from mail_list_folders (or use a well-known name such as archive)",
    )?;
    Ok(Moved {
        id: m.id.unwrap_or_default(),
        previous_id: id.to_owned(),
        folder_id: m.parent_folder_id,
        subject: m.subject.unwrap_or_default(),
    })
}

async fn list_folders(ctx: Ctx, a: FoldersArgs) -> Result<FolderPage, ToolError> {
    let n = limit(a.limit)?;
    let folders = ctx.client.me().mail_folders();
    let list = match a.parent_folder.as_deref() {
        Some(p) => folders.children(folder_ref(p)?),
        None => folders.list(),
    };
    let (list, next_cursor) = page(&ctx, list, n, a.cursor.as_deref(), NO_FOLDER).await?;
    Ok(FolderPage { folders: list.into_iter().map(FolderView::from).collect(), next_cursor })
}

pub(crate) fn register(r: &mut Registry) {
    let mail = |name, title, description, access| Meta { name, title, description, service: Service::Mail, access };
    r.add(
        mail(
            "mail_read_emails",
            "Read emails",
            "List the messages of a mail folder (default the inbox), newest first, optionally narrowed by an \
             OData filter (e.g. `isRead eq false`). Use it to see recent or unread mail; to find mail by words \
             or sender use mail_search_emails. Each message has id, subject, from, received (UTC), is_read, \
             has_attachments and a short preview. Returns {messages, next_cursor}; pass next_cursor as `cursor` \
             for older messages. Read a whole message with mail_get_email.",
            Access::Read,
        ),
        read_emails,
    );
    r.add(
        mail(
            "mail_search_emails",
            "Search emails",
            "Search the mailbox (or one folder) for messages matching words or KQL (`from:ada subject:invoice`), \
             in subject, body and sender. Results come by relevance, not by date, and cannot be combined with \
             an OData filter. Returns {messages, next_cursor} like mail_read_emails.",
            Access::Read,
        ),
        search_emails,
    );
    r.add(
        mail(
            "mail_get_email",
            "Get an email",
            "Get one message by id with its full text: subject, from, to, cc, received, body as plain text \
             (cut after 4,000 characters; body_truncated says so), conversation_id and the names of its \
             attachments. Use it after mail_read_emails or mail_search_emails to read a message.",
            Access::Read,
        ),
        get_email,
    );
    r.add(
        mail(
            "mail_create_draft",
            "Create a draft email",
            "Save a new message in Drafts without sending it (for the user to review): to/cc/bcc addresses, \
             subject, body (text, or html with body_type). Returns {id, subject, to, is_draft}.",
            Access::Write,
        ),
        create_draft,
    );
    r.add(
        mail(
            "mail_send_email",
            "Send an email",
            "Send a new message now, from the signed-in user: to/cc/bcc addresses (at least one), subject, \
             body (text, or html with body_type). A copy is kept in Sent Items unless save_to_sent_items is \
             false. To answer a message use mail_reply instead. Returns {sent, recipients, saved_to_sent_items}.",
            Access::Write,
        ),
        send_email,
    );
    r.add(
        mail(
            "mail_reply",
            "Reply to an email",
            "Reply to a message now with a comment above the quoted original: to the sender, or with \
             reply_all=true to the sender and every recipient. The reply keeps the subject and thread. \
             Returns {sent, id, reply_all}.",
            Access::Write,
        ),
        reply,
    );
    r.add(
        mail(
            "mail_move_email",
            "Move an email",
            "Move a message to another folder: a well-known name (archive, inbox, deleteditems, junkemail, ...) \
             or a folder id from mail_list_folders. The message gets a new id; use the returned `id` from now \
             on. Returns {id, previous_id, folder_id, subject}.",
            Access::Write,
        ),
        move_email,
    );
    r.add(
        mail(
            "mail_list_folders",
            "List mail folders",
            "List the mailbox's top-level mail folders, or the folders inside `parent_folder`: id, display_name, \
             unread_count, total_count, child_folder_count. Use it to find a folder id for mail_read_emails or \
             mail_move_email. Returns {folders, next_cursor}.",
            Access::Read,
        ),
        list_folders,
    );
}
