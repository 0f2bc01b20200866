//! Mail through msgraph-mail against the emulator: messages, drafts and
//! sending, replies and forwards, organizing, attachments, folders, master
//! categories, mailbox settings and the triage helpers. What the SDK returns
//! is checked against what the emulator holds (its handle).

mod sdk_common;

use msgraph_mail::MessageListExt as _;
use std::collections::HashSet;

use chrono::Duration;
use futures::TryStreamExt;
use msgraph_core::models::BodyType;
use msgraph_emulator::demo;
use msgraph_mail::{
    Attachment, AutomaticRepliesSetting, AutomaticRepliesStatus, CategoryColor, FollowupFlagStatus, MailExt,
    MailboxSettingsPatch, Message, MessagePatch, MessageQuery, NewAttachment, NewMessage, WellKnownFolder,
};
use sdk_common::{Sdk, anchor};
use serde_json::Value;

fn subject(m: &Message) -> &str {
    m.subject.as_deref().unwrap_or_default()
}

fn id(m: &Message) -> String {
    m.id.clone().expect("messages come with an id")
}

/// The seeded inbox message with this subject and sender name.
fn seeded(s: &Sdk, subject: &str, from: &str) -> Value {
    s.folder("inbox")
        .into_iter()
        .find(|m| m["subject"] == subject && m["from"]["emailAddress"]["name"] == from)
        .unwrap_or_else(|| panic!("seeded message {subject:?} from {from}"))
}

fn str_of(v: &Value, key: &str) -> String {
    v[key].as_str().unwrap_or_else(|| panic!("{key} in {v}")).to_owned()
}

#[tokio::test]
async fn unread_inbox_in_forms_outlook_accepts() {
    let s = Sdk::start().await;
    let inbox = s.folder("inbox");
    let unread: HashSet<String> = inbox.iter().filter(|m| m["isRead"] == false).map(|m| str_of(m, "id")).collect();
    assert!(unread.len() > 3 && unread.len() < inbox.len());

    // `isRead eq false` alone (newest first by default).
    let page = s
        .client
        .me()
        .messages()
        .list()
        .folder(WellKnownFolder::Inbox)
        .filter("isRead eq false")
        .triage_fields()
        .count()
        .top(100)
        .send()
        .await
        .unwrap();
    assert_eq!(page.count, Some(unread.len() as i64));
    assert_eq!(page.value.iter().map(id).collect::<HashSet<_>>(), unread);
    assert!(page.value.iter().all(|m| m.is_read == Some(false)));
    let times: Vec<_> = page.value.iter().map(|m| m.received_date_time.unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");

    // With $orderby, the ordered property must lead the filter (Outlook's rule).
    let oldest_first = s
        .client
        .me()
        .messages()
        .list()
        .folder(WellKnownFolder::Inbox)
        .filter("receivedDateTime ge 1900-01-01T00:00:00Z and isRead eq false")
        .order_by("receivedDateTime asc")
        .top(3)
        .send()
        .await
        .unwrap();
    assert_eq!(oldest_first.value.len(), 3);
    let times: Vec<_> = oldest_first.value.iter().map(|m| m.received_date_time.unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "oldest first");
    assert!(oldest_first.value.iter().all(|m| unread.contains(&id(m))));

    // The form Outlook refuses is a typed error, not a panic or empty page.
    let refused = s
        .client
        .me()
        .messages()
        .list()
        .folder(WellKnownFolder::Inbox)
        .filter("isRead eq false")
        .order_by("receivedDateTime desc")
        .send()
        .await
        .unwrap_err();
    assert_eq!((refused.status(), refused.code()), (Some(400), Some("InefficientFilter")));
}

#[tokio::test]
async fn streaming_every_page_of_the_inbox() {
    let s = Sdk::start().await;
    let expected = s.ids_in("inbox");
    assert!(expected.len() > 20, "more than two pages of 10");
    s.emu.clear_requests();

    let all: Vec<Message> =
        s.client.me().messages().list().folder(WellKnownFolder::Inbox).stream().try_collect().await.unwrap();
    assert_eq!(all.len(), expected.len());
    let ids: Vec<String> = all.iter().map(id).collect();
    assert_eq!(ids, expected, "every message once, newest first, as the emulator holds them");
    assert_eq!(s.served("GET", "/mailFolders/inbox/messages"), expected.len().div_ceil(10), "pages of 10");

    // Pages one by one.
    let pages: Vec<_> =
        s.client.me().messages().list().folder(WellKnownFolder::Inbox).top(7).pages().try_collect().await.unwrap();
    assert_eq!(pages.len(), expected.len().div_ceil(7));
    assert!(pages.last().unwrap().next_link.is_none());
    assert_eq!(pages.iter().map(|p| p.value.len()).sum::<usize>(), expected.len());

    // $skip and $top: one window of the same order.
    let window = s.client.me().messages().list().folder(WellKnownFolder::Inbox).skip(12).top(5).send().await.unwrap();
    assert_eq!(window.value.iter().map(id).collect::<Vec<_>>(), expected[12..17]);

    // A time range, in the `receivedDateTime gt ... and ... lt ...` form.
    let (from, to) = (anchor() - Duration::hours(30), anchor() - Duration::hours(6));
    let in_range: Vec<Message> = s
        .client
        .me()
        .messages()
        .list()
        .folder(WellKnownFolder::Inbox)
        .filter(format!("receivedDateTime gt {} and receivedDateTime lt {}", from.to_rfc3339(), to.to_rfc3339()))
        .stream()
        .try_collect()
        .await
        .unwrap();
    let held: Vec<String> = s
        .folder("inbox")
        .iter()
        .filter(|m| {
            let t = chrono::DateTime::parse_from_rfc3339(m["receivedDateTime"].as_str().unwrap()).unwrap();
            t > from && t < to
        })
        .map(|m| str_of(m, "id"))
        .collect();
    assert!(!held.is_empty());
    assert_eq!(in_range.iter().map(id).collect::<Vec<_>>(), held);
}

#[tokio::test]
async fn search_subject_body_and_sender() {
    let s = Sdk::start().await;
    let hits: Vec<Message> = s.client.me().messages().search("budget").stream().try_collect().await.unwrap();
    assert!(hits.iter().any(|m| subject(m) == "Q3 budget review"));
    for m in &hits {
        let text = format!("{} {}", subject(m), m.body_preview.as_deref().unwrap_or_default()).to_lowercase();
        assert!(text.contains("budget"), "{text}");
    }

    let from: Vec<Message> =
        s.client.me().messages().search("from:pradeep").top(50).stream().try_collect().await.unwrap();
    assert_eq!(from.len(), 3);
    assert!(from.iter().all(|m| m.from_address() == Some("pradeep.gupta@fabrikam.com")));

    let tacos = s.client.me().messages().search("tacos").send().await.unwrap();
    assert_eq!(tacos.value.len(), 1, "the body is searched too");
    assert_eq!(subject(&tacos.value[0]), "Lunch on Friday?");
}

#[tokio::test]
async fn get_with_a_text_body_and_attachments() {
    let s = Sdk::start().await;
    let seeded = seeded(&s, "Q3 budget review", "Isaiah Langer");
    let mid = str_of(&seeded, "id");

    let html = s.client.me().messages().get(&mid).await.unwrap();
    assert_eq!(html.body.as_ref().unwrap().content_type, BodyType::Html);
    let text = s.client.me().messages().get(&mid).text_body().await.unwrap();
    let body = text.body.unwrap();
    assert_eq!(body.content_type, BodyType::Text);
    assert!(body.content.contains("Q3 budget attached") && !body.content.contains('<'), "{}", body.content);
    assert_eq!(text.subject.as_deref(), Some("Q3 budget review"));
    assert_eq!(text.conversation_id.as_deref(), seeded["conversationId"].as_str());
    assert_eq!(text.has_attachments, Some(true));

    let expanded = s.client.me().messages().get(&mid).with_attachments().await.unwrap();
    assert_eq!(expanded.attachments.as_ref().map(Vec::len), Some(1));
    assert_eq!(expanded.attachments.unwrap()[0].name(), Some("Q3-budget.xlsx"));
    // In a list too, alongside $select.
    let listed = s
        .client
        .me()
        .messages()
        .list()
        .filter(format!("conversationId eq '{}'", str_of(&seeded, "conversationId")))
        .select(["subject", "hasAttachments"])
        .with_attachments()
        .top(50)
        .send()
        .await
        .unwrap()
        .value;
    assert_eq!(listed.len(), 4);
    for m in &listed {
        let n = m.attachments.as_ref().map(Vec::len).unwrap_or_else(|| panic!("attachments expanded: {m:?}"));
        assert_eq!(n, usize::from(m.has_attachments == Some(true)));
        assert!(m.body.is_none(), "$select still applies");
    }

    // list, get, download
    let attachments = s.client.me().messages().attachments(&mid);
    let listed = attachments.list().send().await.unwrap().value;
    assert_eq!(listed.len(), 1);
    let Attachment::File(file) = &listed[0] else { panic!("a file attachment: {:?}", listed[0]) };
    assert_eq!(file.name.as_deref(), Some("Q3-budget.xlsx"));
    let aid = file.id.clone().unwrap();
    let content = file.decode_content().expect("contentBytes").unwrap();
    assert!(content.starts_with(b"PK"));
    assert_eq!(file.size, Some(content.len() as i32));

    let one = attachments.get(&aid).await.unwrap();
    assert_eq!(one.name(), Some("Q3-budget.xlsx"));
    assert_eq!(one.content_type(), Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
    let bytes = attachments.download(&aid).await.unwrap();
    assert_eq!(bytes.as_ref(), content.as_slice());

    // add to a draft, then delete
    let draft = s.client.me().messages().create_draft(NewMessage::new().subject("with a file")).await.unwrap();
    let on_draft = s.client.me().messages().attachments(id(&draft));
    let added = on_draft.add(NewAttachment::file("hello.txt", b"hello").content_type("text/plain")).await.unwrap();
    assert_eq!(added.size(), Some(5));
    assert_eq!(s.emu.message(demo::USER_UPN, &id(&draft)).unwrap()["hasAttachments"], true);
    on_draft.delete(added.id().unwrap()).await.unwrap();
    assert_eq!(s.emu.message(demo::USER_UPN, &id(&draft)).unwrap()["hasAttachments"], false);

    let missing = s.client.me().messages().get("AAMkAGI2TG93AAAAAAAAAAAAAAAA=").await.unwrap_err();
    assert!(missing.is_not_found());
    assert_eq!(missing.code(), Some("ErrorItemNotFound"));
}

#[tokio::test]
async fn drafts_are_created_updated_and_sent() {
    let s = Sdk::start().await;
    let messages = s.client.me().messages();
    let drafts_id = s.client.me().mail_folders().id_of(WellKnownFolder::Drafts).await.unwrap();
    let alex_before = s.emu.messages(demo::SECOND_USER_UPN, "inbox").unwrap().len();

    let draft = messages
        .create_draft(
            NewMessage::new().to([demo::SECOND_USER_UPN]).subject("Did you see the game?").text_body("Great match."),
        )
        .await
        .unwrap();
    assert_eq!(draft.is_draft, Some(true));
    assert_eq!(draft.parent_folder_id.as_deref(), Some(drafts_id.as_str()));
    assert!(s.ids_in("drafts").contains(&id(&draft)));

    let updated = messages.update(id(&draft), MessagePatch::new().subject("Game night")).await.unwrap();
    assert_eq!(updated.subject.as_deref(), Some("Game night"));
    assert_ne!(updated.change_key, draft.change_key);

    messages.send_draft(id(&draft)).await.unwrap();
    assert!(!s.ids_in("drafts").contains(&id(&draft)), "a sent draft leaves Drafts");
    assert!(s.folder("sentitems").iter().any(|m| m["subject"] == "Game night"));
    let alex = s.emu.messages(demo::SECOND_USER_UPN, "inbox").unwrap();
    assert_eq!(alex.len(), alex_before + 1);
    assert_eq!(alex[0]["subject"], "Game night");
    assert_eq!(alex[0]["from"]["emailAddress"]["address"], demo::USER_UPN);
}

#[tokio::test]
async fn send_mail_lands_in_sent_items_and_the_recipients_inbox() {
    let s = Sdk::start().await;
    let sent_before = s.folder("sentitems").len();
    let megan_before = s.emu.messages(demo::THIRD_USER_UPN, "inbox").unwrap().len();

    s.client
        .me()
        .send_mail(
            NewMessage::new()
                .to([demo::THIRD_USER_UPN])
                .cc(["someone@fabrikam.com"])
                .subject("Meet for lunch?")
                .text_body("The new cafeteria is open.")
                .attach(NewAttachment::file("menu.txt", b"Tacos").content_type("text/plain")),
        )
        .await
        .unwrap();
    let sent = s.folder("sentitems");
    assert_eq!(sent.len(), sent_before + 1);
    assert_eq!(sent[0]["subject"], "Meet for lunch?");
    let megan = s.emu.messages(demo::THIRD_USER_UPN, "inbox").unwrap();
    assert_eq!(megan.len(), megan_before + 1);
    assert_eq!(megan[0]["subject"], "Meet for lunch?");
    assert_eq!(megan[0]["hasAttachments"], true);
    assert_eq!(megan[0]["body"]["content"], "The new cafeteria is open.");

    // Not saved: no copy in Sent Items.
    s.client
        .me()
        .messages()
        .send_mail(NewMessage::new().to(["someone@fabrikam.com"]).subject("No copy"))
        .save_to_sent_items(false)
        .await
        .unwrap();
    assert_eq!(s.folder("sentitems").len(), sent_before + 1);
}

#[tokio::test]
async fn reply_reply_all_and_forward() {
    let s = Sdk::start().await;
    let orig = seeded(&s, "RE: Contoso launch plan", "Megan Bowen");
    let oid = str_of(&orig, "id");
    let conv = str_of(&orig, "conversationId");
    let messages = s.client.me().messages();
    let original = messages.get(&oid).await.unwrap();
    let orig_index = original.conversation_position().unwrap().unwrap();

    let draft = messages.create_reply_all(&oid).comment("Thanks both!").await.unwrap();
    assert_eq!(draft.subject.as_deref(), Some("RE: Contoso launch plan"));
    assert_eq!(draft.conversation_id.as_deref(), Some(conv.as_str()));
    let index = draft.conversation_position().unwrap().unwrap();
    assert_eq!(index.depth(), orig_index.depth() + 1);
    assert!(orig_index.is_ancestor_of(&index));
    let to: HashSet<&str> = draft.to_recipients.iter().flatten().filter_map(|r| r.address()).collect();
    assert_eq!(to, HashSet::from([demo::SECOND_USER_UPN, demo::THIRD_USER_UPN]));

    let megan_before = s.emu.messages(demo::THIRD_USER_UPN, "inbox").unwrap().len();
    messages.reply(&oid).comment("On it.").await.unwrap();
    let megan = s.emu.messages(demo::THIRD_USER_UPN, "inbox").unwrap();
    assert_eq!(megan.len(), megan_before + 1);
    assert_eq!(megan[0]["conversationId"], conv.as_str());
    assert!(megan[0]["body"]["content"].as_str().unwrap().contains("On it."));

    let with_file = seeded(&s, "Q3 budget review", "Isaiah Langer");
    messages.forward(str_of(&with_file, "id"), [demo::SECOND_USER_UPN]).comment("FYI").await.unwrap();
    let alex = s.emu.messages(demo::SECOND_USER_UPN, "inbox").unwrap();
    assert_eq!(alex[0]["subject"], "FW: Q3 budget review");
    assert_eq!(alex[0]["hasAttachments"], true, "attachments travel along");

    let fw = messages.create_forward(str_of(&with_file, "id")).to([demo::THIRD_USER_UPN]).await.unwrap();
    assert_eq!(fw.subject.as_deref(), Some("FW: Q3 budget review"));
    assert_eq!(fw.is_draft, Some(true));
    assert!(s.ids_in("drafts").contains(&id(&fw)));

    // A forward without recipients is refused before anything is sent.
    s.emu.clear_requests();
    let none: [&str; 0] = [];
    let err = messages.forward(&oid, none).await.unwrap_err();
    assert!(matches!(err, msgraph_core::Error::InvalidInput(_)), "{err:?}");
    assert!(s.emu.requests().is_empty());
}

#[tokio::test]
async fn mark_read_flag_categorize_move_copy_delete() {
    let s = Sdk::start().await;
    let messages = s.client.me().messages();
    let target = s.folder("inbox").into_iter().find(|m| m["isRead"] == false).unwrap();
    let mid = str_of(&target, "id");
    let held = |id: &str| s.emu.message(demo::USER_UPN, id).unwrap();

    let read = messages.mark_read(&mid).await.unwrap();
    assert_eq!(read.is_read, Some(true));
    assert_eq!(held(&mid)["isRead"], true);
    messages.mark_unread(&mid).await.unwrap();
    assert_eq!(held(&mid)["isRead"], false);

    let flagged = messages.flag(&mid).await.unwrap();
    assert!(flagged.is_flagged());
    assert_eq!(held(&mid)["flag"]["flagStatus"], "flagged");
    let done = messages.complete(&mid).await.unwrap();
    assert_eq!(done.flag.unwrap().flag_status, Some(FollowupFlagStatus::Complete));
    messages.unflag(&mid).await.unwrap();
    assert_eq!(held(&mid)["flag"]["flagStatus"], "notFlagged");

    let tagged = messages.set_categories(&mid, ["Red category", "Finance"]).await.unwrap();
    assert!(tagged.has_category("Finance"));
    assert_eq!(held(&mid)["categories"], serde_json::json!(["Red category", "Finance"]));

    // move: a new id in the destination, gone from the inbox
    let archive_id = s.client.me().mail_folders().id_of(WellKnownFolder::Archive).await.unwrap();
    let moved = messages.move_to(&mid, WellKnownFolder::Archive).await.unwrap();
    assert_eq!(moved.parent_folder_id.as_deref(), Some(archive_id.as_str()));
    assert!(!s.ids_in("inbox").contains(&mid));
    assert!(s.ids_in("archive").contains(&id(&moved)));
    assert_eq!(held(&id(&moved))["categories"], serde_json::json!(["Red category", "Finance"]));

    // copy: both there
    let inbox_before = s.folder("inbox").len();
    let copy = messages.copy_to(id(&moved), WellKnownFolder::Inbox).await.unwrap();
    assert_ne!(id(&copy), id(&moved));
    assert_eq!(s.folder("inbox").len(), inbox_before + 1);
    assert!(s.ids_in("archive").contains(&id(&moved)));

    messages.delete(id(&copy)).await.unwrap();
    assert!(s.emu.message(demo::USER_UPN, &id(&copy)).is_err());
    assert_eq!(s.folder("inbox").len(), inbox_before);
    let again = messages.delete(id(&copy)).await.unwrap_err();
    assert!(again.is_not_found());
}

#[tokio::test]
async fn folders_list_tree_create_rename_delete() {
    let s = Sdk::start().await;
    let folders = s.client.me().mail_folders();

    let top: Vec<_> = folders.list().stream().try_collect().await.unwrap();
    let names: HashSet<&str> = top.iter().filter_map(|f| f.display_name.as_deref()).collect();
    for n in ["Inbox", "Sent Items", "Drafts", "Deleted Items", "Archive", "Junk Email", "Receipts"] {
        assert!(names.contains(n), "{n} in {names:?}");
    }
    let inbox = folders.get(WellKnownFolder::Inbox).await.unwrap();
    let held = s.folder("inbox");
    assert_eq!(inbox.total_item_count, Some(held.len() as i32));
    assert_eq!(inbox.unread_item_count, Some(held.iter().filter(|m| m["isRead"] == false).count() as i32));
    assert_eq!(inbox.child_folder_count, Some(2));

    let kids: Vec<_> = folders.children(WellKnownFolder::Inbox).send().await.unwrap().value;
    let kid_names: Vec<&str> = kids.iter().filter_map(|f| f.display_name.as_deref()).collect();
    assert_eq!(kid_names, ["Newsletters", "Projects"]);

    let tree = folders.tree().await.unwrap();
    let tree_inbox = tree.iter().find(|f| f.id == inbox.id).unwrap();
    let below: Vec<&str> = tree_inbox.walk().filter_map(|f| f.display_name.as_deref()).collect();
    assert_eq!(below, ["Inbox", "Newsletters", "Projects", "Contoso Launch"]);
    let walked = tree.iter().flat_map(|f| f.walk()).count();
    let held_folders = s.emu.folders(demo::USER_UPN).unwrap();
    let visible =
        held_folders.iter().filter(|f| f["isHidden"] != true && f["wellKnownName"] != "msgfolderroot").count();
    assert_eq!(walked, visible, "the tree has every visible folder");

    // create at the top and below the inbox, rename, delete
    let made = folders.create("Clients").await.unwrap();
    let child = folders.create_child(WellKnownFolder::Inbox, "Key accounts").await.unwrap();
    assert_eq!(child.parent_folder_id, inbox.id);
    let held_folders = s.emu.folders(demo::USER_UPN).unwrap();
    let held_child = held_folders.iter().find(|f| f["id"] == child.id.as_deref().unwrap()).unwrap();
    assert_eq!(held_child["displayName"], "Key accounts");
    assert_eq!(held_child["parentFolderId"], inbox.id.as_deref().unwrap());
    let dup = folders.create_child(WellKnownFolder::Inbox, "key accounts").await.unwrap_err();
    assert_eq!((dup.status(), dup.code()), (Some(409), Some("ErrorFolderExists")));

    let renamed = folders.rename(child.id.clone().unwrap(), "Top accounts").await.unwrap();
    assert_eq!(renamed.display_name.as_deref(), Some("Top accounts"));
    folders.delete(made.id.clone().unwrap()).await.unwrap();
    let deleted_kids = folders.children(WellKnownFolder::DeletedItems).send().await.unwrap().value;
    assert!(
        deleted_kids.iter().any(|f| f.display_name.as_deref() == Some("Clients")),
        "deleted folders move to Deleted Items"
    );

    let err = folders.delete(WellKnownFolder::Inbox).await.unwrap_err();
    assert_eq!(err.code(), Some("ErrorDeleteDistinguishedFolder"));
}

#[tokio::test]
async fn master_categories_and_mailbox_settings() {
    let s = Sdk::start().await;
    let cats = s.client.me().master_categories();
    let list = cats.list().send().await.unwrap().value;
    let red = list.iter().find(|c| c.display_name.as_deref() == Some("Red category")).unwrap();
    assert_eq!(red.color, Some(CategoryColor::Preset0));

    let made = cats.create("Customers", CategoryColor::Preset12).await.unwrap();
    assert_eq!(made.color, Some(CategoryColor::Preset12));
    let list = cats.list().send().await.unwrap().value;
    assert!(list.iter().any(|c| c.id == made.id));
    let dup = cats.create("customers", CategoryColor::Preset1).await.unwrap_err();
    assert_eq!(dup.code(), Some("ErrorDuplicateCategory"));
    cats.delete(made.id.clone().unwrap()).await.unwrap();
    assert!(!cats.list().send().await.unwrap().value.iter().any(|c| c.id == made.id));

    let settings = s.client.me().mailbox_settings();
    let got = settings.get().await.unwrap();
    assert_eq!(got.time_zone.as_deref(), Some("Pacific Standard Time"));
    assert_eq!(got.language.unwrap().locale.as_deref(), Some("en-US"));
    assert_eq!(got.working_hours.unwrap().start_time.map(|t| t.time()), chrono::NaiveTime::from_hms_opt(8, 0, 0));
    assert_eq!(settings.time_zone().await.unwrap(), "Pacific Standard Time");

    let patch = MailboxSettingsPatch::new()
        .time_zone("W. Europe Standard Time")
        .automatic_replies(AutomaticRepliesSetting::always().internal_message("Away until Monday"));
    let updated = settings.update(patch).await.unwrap();
    assert_eq!(updated.time_zone.as_deref(), Some("W. Europe Standard Time"));
    let held = s.emu.mailbox_settings(demo::USER_UPN).unwrap();
    assert_eq!(held["timeZone"], "W. Europe Standard Time");
    assert_eq!(held["automaticRepliesSetting"]["status"], "alwaysEnabled");
    assert_eq!(held["automaticRepliesSetting"]["internalReplyMessage"], "Away until Monday");
    let replies = settings.automatic_replies().await.unwrap();
    assert_eq!(replies.status, Some(AutomaticRepliesStatus::AlwaysEnabled));

    settings.set_time_zone("Eastern Standard Time").await.unwrap();
    assert_eq!(s.emu.mailbox_settings(demo::USER_UPN).unwrap()["timeZone"], "Eastern Standard Time");
    let bad = settings.set_time_zone("Mars Time Zone Of Doom").await.unwrap_err();
    assert_eq!(bad.code(), Some("ErrorTimeZoneNotSupported"));
}

#[tokio::test]
async fn triage_thread_context_reply_state_and_conversation_index() {
    let s = Sdk::start().await;
    let latest = seeded(&s, "RE: Customer escalation: Fabrikam order #4471", "Pradeep Gupta");
    let latest = s
        .folder("inbox")
        .into_iter()
        .filter(|m| m["conversationId"] == latest["conversationId"])
        .max_by_key(|m| str_of(m, "receivedDateTime"))
        .unwrap();
    let conv = str_of(&latest, "conversationId");
    let in_mailbox: usize = ["inbox", "sentitems"]
        .iter()
        .map(|f| s.folder(f).iter().filter(|m| m["conversationId"] == conv.as_str()).count())
        .sum();
    assert_eq!(in_mailbox, 5, "three from Pradeep, one from Alex, Adele's reply");

    // Thread context: the rest of the conversation, newest first, the message itself left out.
    let thread = s.client.me().triage().thread(&conv).latest(10).excluding(str_of(&latest, "id")).await.unwrap();
    assert_eq!(thread.len(), in_mailbox - 1);
    assert!(thread.iter().all(|m| m.conversation_id.as_deref() == Some(conv.as_str())));
    let times: Vec<_> = thread.iter().map(|m| m.received_date_time.unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]));
    let two = s.client.me().triage().thread(&conv).latest(2).text_body().select(["subject", "body"]).await.unwrap();
    assert_eq!(two.len(), 2);
    assert!(two.iter().all(|m| m.body.as_ref().unwrap().content_type == BodyType::Text));

    // Reply state: Adele answered Pradeep (70 hours before the anchor).
    let state = s.client.me().triage().reply_state(&conv).await.unwrap();
    assert!(state.has_replied());
    assert_eq!(
        state.last_reply_time(),
        Some(anchor() - Duration::hours(70) + Duration::minutes(7) - Duration::seconds(2))
    );
    let since = s.client.me().triage().replies_since(anchor() - Duration::days(30)).await.unwrap();
    assert!(since.has_replied(&conv));
    let sent_convs: HashSet<String> = s.folder("sentitems").iter().map(|m| str_of(m, "conversationId")).collect();
    assert_eq!(since.len(), sent_convs.len());
    let recent = s.client.me().triage().replies_since(anchor() - Duration::hours(24)).page_size(2).await.unwrap();
    assert!(!recent.has_replied(&conv), "the reply is older than a day");

    // ConversationIndex: replies are deeper than the first message, same thread.
    let all: Vec<Message> = s.client.me().messages().list().triage_fields().stream().try_collect().await.unwrap();
    let mut replies = 0;
    for m in &all {
        let Some(index) = m.conversation_position() else { continue };
        let index = index.unwrap_or_else(|e| panic!("{:?}: {e}", m.subject));
        if subject(m).starts_with("RE: ") {
            replies += 1;
            assert!(index.depth() > 0, "{:?}", m.subject);
            let first = all
                .iter()
                .find(|o| o.conversation_id == m.conversation_id && !subject(o).starts_with("RE: "))
                .and_then(|o| o.conversation_position())
                .unwrap()
                .unwrap();
            assert_eq!(first.depth(), 0);
            assert!(first.same_thread(&index) && first.is_ancestor_of(&index));
        }
    }
    assert!(replies > 10, "{replies} replies seen");
}
