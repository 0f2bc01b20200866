//! The demo tenant: Contoso, with Adele Vance signed in.
//!
//! Everything is deterministic: the same anchor gives the same ids, times,
//! conversation indexes and contents on every run. Mail is laid out in the
//! hours and days before the anchor, events around it.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Utc};
use serde_json::{Map, Value, json};

use crate::demo;
use crate::state::ids::IdKind;
use crate::state::mail::recipient;
use crate::state::store::{AttachmentRec, CalendarRec, CategoryRec, FolderRec, Obj, Store, UserRec};
use crate::time::format_utc;

/// Mailbox settings as Graph returns them for a new mailbox.
pub(crate) fn default_settings(time_zone: &str, archive_id: &str) -> Obj {
    let v = json!({
        "archiveFolder": archive_id,
        "timeZone": time_zone,
        "delegateMeetingMessageDeliveryOptions": "sendToDelegateOnly",
        "dateFormat": "M/d/yyyy",
        "timeFormat": "h:mm tt",
        "userPurpose": "user",
        "automaticRepliesSetting": {
            "status": "disabled",
            "externalAudience": "all",
            "internalReplyMessage": "",
            "externalReplyMessage": "",
            "scheduledStartDateTime": {"dateTime": "2024-01-01T00:00:00.0000000", "timeZone": "UTC"},
            "scheduledEndDateTime": {"dateTime": "2024-01-02T00:00:00.0000000", "timeZone": "UTC"},
        },
        "language": {"locale": "en-US", "displayName": "English (United States)"},
        "workingHours": {
            "daysOfWeek": ["monday", "tuesday", "wednesday", "thursday", "friday"],
            "startTime": "08:00:00.0000000",
            "endTime": "17:00:00.0000000",
            "timeZone": {"name": time_zone},
        },
    });
    match v {
        Value::Object(o) => o,
        _ => Map::new(),
    }
}

fn user(id: &str, given: &str, surname: &str, upn: &str, job: &str, office: &str, phone: &str) -> UserRec {
    let display = format!("{given} {surname}");
    let profile = json!({
        "businessPhones": [phone],
        "displayName": display,
        "givenName": given,
        "jobTitle": job,
        "mail": upn,
        "mobilePhone": Value::Null,
        "officeLocation": office,
        "preferredLanguage": "en-US",
        "surname": surname,
        "userPrincipalName": upn,
    });
    UserRec {
        id: id.to_owned(),
        upn: upn.to_owned(),
        mail: upn.to_owned(),
        display_name: display,
        profile: profile.as_object().cloned().unwrap_or_default(),
    }
}

/// Adds the demo users with empty mailboxes.
pub(crate) fn add_demo_users(store: &mut Store) {
    store.add_user(
        user(demo::USER_ID, "Adele", "Vance", demo::USER_UPN, "Retail Manager", "18/2111", "+1 425 555 0109"),
        "Pacific Standard Time",
    );
    store.add_user(
        user(
            demo::SECOND_USER_ID,
            "Alex",
            "Wilber",
            demo::SECOND_USER_UPN,
            "Marketing Assistant",
            "131/1104",
            "+1 858 555 0110",
        ),
        "Eastern Standard Time",
    );
    store.add_user(
        user(
            demo::THIRD_USER_ID,
            "Megan",
            "Bowen",
            demo::THIRD_USER_UPN,
            "Marketing Manager",
            "12/1110",
            "+1 412 555 0109",
        ),
        "Pacific Standard Time",
    );
}

/// A person in the demo data: a tenant user or an outsider.
#[derive(Clone, Copy)]
struct P(&'static str, &'static str);

const ADELE: P = P("Adele Vance", demo::USER_UPN);
const ALEX: P = P("Alex Wilber", demo::SECOND_USER_UPN);
const MEGAN: P = P("Megan Bowen", demo::THIRD_USER_UPN);
const ISAIAH: P = P("Isaiah Langer", "IsaiahL@contoso.com");
const LEE: P = P("Lee Gu", "LeeG@contoso.com");
const PRADEEP: P = P("Pradeep Gupta", "pradeep.gupta@fabrikam.com");
const NEWS: P = P("Contoso News", "news@contoso.com");
const SECURITY: P = P("Microsoft account team", "account-security-noreply@accountprotection.microsoft.com");
const SHOP: P = P("Tailspin Toys Store", "orders@tailspintoys.com");
const PRIZE: P = P("Prize Department", "winner@lottery-prizes.example");

/// One seeded message of a conversation.
struct SeedMsg {
    from: P,
    to: &'static [P],
    cc: &'static [P],
    hours_ago: i64,
    body: &'static str,
    unread: bool,
    flag: &'static str,
    categories: &'static [&'static str],
    importance: &'static str,
    attachment: Option<(&'static str, &'static str, &'static [u8])>,
    /// Where Adele keeps her copy when she is a recipient (default inbox).
    folder: Option<&'static str>,
}

const fn m(from: P, to: &'static [P], hours_ago: i64, body: &'static str) -> SeedMsg {
    SeedMsg {
        from,
        to,
        cc: &[],
        hours_ago,
        body,
        unread: false,
        flag: "notFlagged",
        categories: &[],
        importance: "normal",
        attachment: None,
        folder: None,
    }
}

impl SeedMsg {
    const fn unread(mut self) -> Self {
        self.unread = true;
        self
    }
    const fn flagged(mut self) -> Self {
        self.flag = "flagged";
        self
    }
    const fn completed(mut self) -> Self {
        self.flag = "complete";
        self
    }
    const fn cc(mut self, cc: &'static [P]) -> Self {
        self.cc = cc;
        self
    }
    const fn cats(mut self, c: &'static [&'static str]) -> Self {
        self.categories = c;
        self
    }
    const fn high(mut self) -> Self {
        self.importance = "high";
        self
    }
    const fn attach(mut self, name: &'static str, ct: &'static str, bytes: &'static [u8]) -> Self {
        self.attachment = Some((name, ct, bytes));
        self
    }
    const fn into_folder(mut self, f: &'static str) -> Self {
        self.folder = Some(f);
        self
    }
}

const XLSX: &[u8] = b"PK\x03\x04 Q3 budget: marketing 120k, retail 340k, travel 45k (emulator sample file)";
const PDF: &[u8] = b"%PDF-1.4\n% Design review notes (emulator sample file)\n%%EOF\n";
const ICS: &[u8] = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Contoso//Offsite//EN\r\nEND:VCALENDAR\r\n";

fn conversations() -> Vec<(&'static str, Vec<SeedMsg>)> {
    vec![
        (
            "Contoso launch plan",
            vec![
                m(ALEX, &[ADELE, MEGAN], 200, "Hi both, here is the first cut of the launch plan for the Contoso line. Can you review the retail section by Thursday?").cats(&["Project Contoso"]),
                m(ADELE, &[ALEX], 196, "Thanks Alex. The retail section needs the store rollout dates; I will add them tomorrow."),
                m(MEGAN, &[ALEX, ADELE], 190, "Marketing timeline looks good. Let's align the press release with the store rollout.").cats(&["Project Contoso"]),
                m(ALEX, &[ADELE, MEGAN], 30, "Updated plan attached in the team site. Adele, can you confirm the Seattle store date?").unread().flagged().cats(&["Project Contoso"]),
                m(MEGAN, &[ADELE, ALEX], 6, "Adding: the press kit is ready for review as well.").unread().cats(&["Project Contoso"]),
            ],
        ),
        (
            "Q3 budget review",
            vec![
                m(ISAIAH, &[ADELE], 120, "Adele, please find the Q3 budget attached. We need your sign-off by end of week.")
                    .high()
                    .cats(&["Finance"])
                    .attach("Q3-budget.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", XLSX),
                m(ADELE, &[ISAIAH], 110, "Looks fine except travel; can we move 5k from travel to retail events?"),
                m(ISAIAH, &[ADELE], 100, "Done, updated the sheet. Anything else before I send it to finance?").cats(&["Finance"]),
                m(ISAIAH, &[ADELE], 20, "Reminder: finance closes the books on Friday.").unread().high().flagged().cats(&["Finance"]),
            ],
        ),
        (
            "Team offsite in Seattle",
            vec![
                m(MEGAN, &[ADELE, ALEX], 150, "We are planning the team offsite in Seattle. Which week works best?").cats(&["Travel"]),
                m(ALEX, &[MEGAN, ADELE], 148, "The second week of next month works for me."),
                m(ADELE, &[MEGAN, ALEX], 140, "Same for me. I can book the venue near Pike Place."),
                m(MEGAN, &[ADELE, ALEX], 50, "Booked! Calendar file attached.")
                    .cats(&["Travel"])
                    .attach("offsite.ics", "text/calendar", ICS),
            ],
        ),
        (
            "Customer escalation: Fabrikam order #4471",
            vec![
                m(PRADEEP, &[ADELE], 72, "Our order #4471 arrived incomplete: 12 of 40 display units are missing. We need them before the weekend.").high(),
                m(ADELE, &[PRADEEP], 70, "I am sorry about that, Pradeep. I am checking with the warehouse now.").cc(&[ALEX]),
                m(PRADEEP, &[ADELE], 48, "Any update? Our store opening depends on it.").high().flagged(),
                m(ALEX, &[ADELE], 40, "Warehouse confirms the missing units ship tomorrow morning.").unread(),
                m(PRADEEP, &[ADELE], 3, "Thanks, the tracking number works. Please confirm delivery date.").unread().high().flagged(),
            ],
        ),
        (
            "Lunch on Friday?",
            vec![
                m(ALEX, &[ADELE], 28, "Lunch on Friday? The new place on 5th has great tacos."),
                m(ADELE, &[ALEX], 27, "Sounds great, 12:30?"),
                m(ALEX, &[ADELE], 26, "12:30 it is.").unread(),
            ],
        ),
        (
            "Design review notes",
            vec![
                m(MEGAN, &[ADELE, LEE], 90, "Notes from today's design review are attached. Main open item: the shelf signage.")
                    .attach("design-review-notes.pdf", "application/pdf", PDF)
                    .cats(&["Project Contoso"]),
                m(LEE, &[MEGAN, ADELE], 85, "I can take the signage item. Draft by Wednesday."),
                m(MEGAN, &[ADELE, LEE], 12, "Signage draft looks great, thanks Lee!").unread(),
            ],
        ),
        (
            "Expense report approval",
            vec![
                m(LEE, &[ADELE], 170, "Could you approve my expense report from the trade show?"),
                m(ADELE, &[LEE], 160, "Approved. Remember to attach the hotel receipt next time."),
                m(LEE, &[ADELE], 158, "Will do, thanks!").completed(),
            ],
        ),
        (
            "Store opening checklist",
            vec![
                m(ALEX, &[ADELE, MEGAN], 60, "Checklist for the Seattle store opening: signage, staff training, POS test, press visit."),
                m(MEGAN, &[ALEX, ADELE], 58, "Press visit is confirmed for 10am on opening day."),
                m(ALEX, &[ADELE, MEGAN], 10, "POS test passed. Staff training is tomorrow.").unread().flagged(),
            ],
        ),
        ("Security alert: new sign-in", vec![m(SECURITY, &[ADELE], 8, "We detected a new sign-in to your account from Redmond, WA. If this was you, you can ignore this message.").unread()]),
        ("Your order has shipped", vec![m(SHOP, &[ADELE], 52, "Your order TT-20931 has shipped and arrives in 2 days.").into_folder("Receipts")]),
        ("Receipt for your purchase", vec![m(SHOP, &[ADELE], 230, "Thank you for your purchase. Total: $48.97.").into_folder("Receipts")]),
        ("Contoso News: Q3 results", vec![m(NEWS, &[ADELE], 34, "Contoso grew 12% in Q3. Read the full story on the intranet.").unread().into_folder("Newsletters")]),
        ("Contoso News: new office in Munich", vec![m(NEWS, &[ADELE], 106, "Contoso opens a new office in Munich this fall.").into_folder("Newsletters")]),
        ("Contoso News: volunteering week", vec![m(NEWS, &[ADELE], 178, "Sign up for volunteering week activities.").into_folder("Newsletters")]),
        ("Contoso News: benefits enrollment", vec![m(NEWS, &[ADELE], 14, "Benefits enrollment closes at the end of the month.").unread()]),
        ("Contoso News: all-hands recap", vec![m(NEWS, &[ADELE], 80, "Missed the all-hands? Here is the recap and the recording.")]),
        (
            "Welcome to the team!",
            vec![m(ALEX, &[ADELE], 400, "Welcome aboard, Adele! Let me know if you need anything to get started.").into_folder("archive")],
        ),
        (
            "Holiday schedule",
            vec![m(ISAIAH, &[ADELE, ALEX, MEGAN], 380, "The office is closed on the public holidays listed on the intranet.").into_folder("archive")],
        ),
        ("You have won a prize!!!", vec![m(PRIZE, &[ADELE], 22, "Claim your prize now by sending your bank details.").unread().into_folder("junkemail")]),
        (
            "Retail metrics dashboard",
            vec![
                m(ISAIAH, &[ADELE], 66, "The new retail metrics dashboard is live. Feedback welcome."),
                m(ADELE, &[ISAIAH], 64, "Love it. Could we add weekly footfall per store?"),
                m(ISAIAH, &[ADELE], 44, "Footfall is in. Also added conversion rates.").unread(),
            ],
        ),
        (
            "Marketing sync agenda",
            vec![
                m(MEGAN, &[ADELE, ALEX], 16, "Agenda for Thursday: launch assets, social calendar, budget.").cats(&["Project Contoso"]),
                m(ALEX, &[MEGAN, ADELE], 15, "Can we add the influencer program?"),
                m(MEGAN, &[ADELE, ALEX], 2, "Added. See you Thursday.").unread(),
            ],
        ),
    ]
}

fn html(text: &str) -> Value {
    json!({
        "contentType": "html",
        "content": format!("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head><body><p>{text}</p></body></html>"),
    })
}

fn recipients(list: &[P]) -> Value {
    Value::Array(list.iter().map(|p| recipient(p.0, p.1)).collect())
}

/// Finds or makes a folder by well-known name or display name under the inbox/root.
fn folder_by_name(store: &Store, user_id: &str, name: &str) -> Option<String> {
    let mb = store.mailboxes.get(user_id)?;
    mb.folders
        .iter()
        .find(|f| f.well_known == Some(name) || f.display_name.eq_ignore_ascii_case(name))
        .map(|f| f.id.clone())
}

fn add_folder(store: &mut Store, user_id: &str, parent: &str, name: &str) -> String {
    let id = store.ids.next(IdKind::Folder);
    if let Some(mb) = store.mailboxes.get_mut(user_id) {
        mb.folders.push(FolderRec {
            id: id.clone(),
            display_name: name.to_owned(),
            parent_id: Some(parent.to_owned()),
            well_known: None,
            is_hidden: false,
        });
    }
    id
}

fn seed_mail(store: &mut Store) {
    let adele = demo::USER_ID;
    let (Some(inbox), Some(root)) =
        (folder_by_name(store, adele, "inbox"), folder_by_name(store, adele, "msgfolderroot"))
    else {
        return;
    };
    let projects = add_folder(store, adele, &inbox, "Projects");
    add_folder(store, adele, &projects, "Contoso Launch");
    add_folder(store, adele, &inbox, "Newsletters");
    add_folder(store, adele, &root, "Receipts");

    let anchor = store.anchor;
    for (subject, msgs) in conversations() {
        let mut index: Vec<u8> = Vec::new();
        let mut conv_id = String::new();
        for (i, sm) in msgs.iter().enumerate() {
            let at = anchor - Duration::hours(sm.hours_ago) + Duration::minutes((i as i64 * 7) % 50);
            if i == 0 {
                let (cid, head) = store.new_conversation(at);
                conv_id = cid;
                index = head;
            } else {
                index = store.reply_index(&STANDARD.encode(&index), at);
            }
            let subj = if i == 0 { subject.to_owned() } else { format!("RE: {subject}") };
            let imid = store.internet_message_id();
            let mut data = Map::new();
            data.insert("subject".into(), json!(subj));
            data.insert("body".into(), html(sm.body));
            data.insert("from".into(), recipient(sm.from.0, sm.from.1));
            data.insert("sender".into(), recipient(sm.from.0, sm.from.1));
            data.insert("toRecipients".into(), recipients(sm.to));
            data.insert("ccRecipients".into(), recipients(sm.cc));
            data.insert("importance".into(), json!(sm.importance));
            data.insert("conversationId".into(), json!(conv_id));
            data.insert("conversationIndex".into(), json!(STANDARD.encode(&index)));
            data.insert("internetMessageId".into(), json!(imid));
            data.insert("createdDateTime".into(), json!(format_utc(at)));
            data.insert("receivedDateTime".into(), json!(format_utc(at)));
            data.insert("sentDateTime".into(), json!(format_utc(at - Duration::seconds(2))));
            data.insert("isDraft".into(), json!(false));
            // Every tenant mailbox that would hold this message: the sender's
            // Sent Items and each tenant recipient's inbox.
            let mut holders: Vec<(String, String, bool)> = Vec::new();
            if let Some(u) = store.user(sm.from.1) {
                let sent = folder_by_name(store, &u.id, "sentitems").unwrap_or_default();
                holders.push((u.id.clone(), sent, true));
            }
            for p in sm.to.iter().chain(sm.cc.iter()) {
                let Some(u) = store.user(p.1) else { continue };
                if holders.iter().any(|(id, _, _)| *id == u.id) {
                    continue;
                }
                let uid = u.id.clone();
                let target = match (uid.as_str() == adele, sm.folder) {
                    (true, Some(f)) => folder_by_name(store, &uid, f),
                    _ => folder_by_name(store, &uid, "inbox"),
                };
                holders.push((uid, target.unwrap_or_default(), false));
            }
            for (uid, folder, is_sender) in holders {
                let mut copy = data.clone();
                let is_adele = uid == adele;
                copy.insert("isRead".into(), json!(is_sender || !(sm.unread && is_adele)));
                if is_adele {
                    copy.insert("flag".into(), json!({"flagStatus": sm.flag}));
                    copy.insert("categories".into(), json!(sm.categories));
                }
                let attachments = match sm.attachment {
                    Some((name, ct, bytes)) => vec![AttachmentRec {
                        id: store.ids.next(IdKind::Attachment),
                        data: json!({
                            "@odata.type": "#microsoft.graph.fileAttachment",
                            "name": name,
                            "contentType": ct,
                            "size": bytes.len(),
                            "isInline": false,
                            "contentId": Value::Null,
                            "contentLocation": Value::Null,
                            "lastModifiedDateTime": format_utc(at),
                        })
                        .as_object()
                        .cloned()
                        .unwrap_or_default(),
                        content: bytes.to_vec(),
                    }],
                    None => Vec::new(),
                };
                let _ = store.put_message(&uid, &folder, copy, attachments, at);
            }
        }
    }

    // A draft and a deleted message.
    let drafts = folder_by_name(store, adele, "drafts").unwrap_or_default();
    let mut draft = Map::new();
    draft.insert("subject".into(), json!("Notes for the all-hands"));
    draft.insert(
        "body".into(),
        html("Draft: talking points for the all-hands. 1) Q3 results 2) Seattle store 3) Hiring"),
    );
    draft.insert("toRecipients".into(), recipients(&[MEGAN]));
    draft.insert("isDraft".into(), json!(true));
    draft.insert("isRead".into(), json!(true));
    let at = anchor - Duration::hours(5);
    let _ = store.put_message(adele, &drafts, draft, Vec::new(), at);
    let deleted = folder_by_name(store, adele, "deleteditems").unwrap_or_default();
    let mut old = Map::new();
    old.insert("subject".into(), json!("Parking garage closed on Saturday"));
    old.insert("body".into(), html("The parking garage is closed on Saturday for maintenance."));
    old.insert("from".into(), recipient(ISAIAH.0, ISAIAH.1));
    old.insert("sender".into(), recipient(ISAIAH.0, ISAIAH.1));
    old.insert("toRecipients".into(), recipients(&[ADELE]));
    let at = anchor - Duration::hours(260);
    old.insert("receivedDateTime".into(), json!(format_utc(at)));
    old.insert("sentDateTime".into(), json!(format_utc(at)));
    let _ = store.put_message(adele, &deleted, old, Vec::new(), at);

    let categories = [
        ("Red category", "preset0"),
        ("Orange category", "preset1"),
        ("Yellow category", "preset3"),
        ("Green category", "preset4"),
        ("Blue category", "preset7"),
        ("Purple category", "preset8"),
        ("Project Contoso", "preset9"),
        ("Finance", "preset5"),
        ("Travel", "preset2"),
    ];
    for (name, color) in categories {
        let id = store.ids.guid();
        if let Some(mb) = store.mailboxes.get_mut(adele) {
            mb.categories.push(CategoryRec { id, display_name: name.into(), color: color.into() });
        }
    }
}

fn local(date: NaiveDate, h: u32, min: u32) -> NaiveDateTime {
    date.and_hms_opt(h, min, 0).unwrap_or_default()
}

fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(d.weekday().num_days_from_monday() as i64)
}

struct SeedEvent {
    owner: &'static str,
    subject: &'static str,
    start: NaiveDateTime,
    end: NaiveDateTime,
    tz: &'static str,
    extra: Value,
}

fn seed_calendar(store: &mut Store) {
    let anchor = store.anchor;
    let d = anchor.date_naive();
    let pst = "Pacific Standard Time";
    let mon = monday_of(d);
    let events = vec![
        SeedEvent {
            owner: demo::USER_ID,
            subject: "Daily standup",
            start: local(mon - Duration::days(14), 9, 0),
            end: local(mon - Duration::days(14), 9, 15),
            tz: pst,
            extra: json!({
                "recurrence": {
                    "pattern": {"type": "weekly", "interval": 1, "daysOfWeek": ["monday", "tuesday", "wednesday", "thursday", "friday"], "firstDayOfWeek": "sunday"},
                    "range": {"type": "noEnd", "startDate": (mon - Duration::days(14)).to_string(), "recurrenceTimeZone": pst, "numberOfOccurrences": 0},
                },
                "location": {"displayName": "Microsoft Teams Meeting", "locationType": "default"},
                "isOnlineMeeting": true,
                "categories": ["Project Contoso"],
                "body": html("Fifteen minutes: yesterday, today, blockers."),
            }),
        },
        SeedEvent {
            owner: demo::USER_ID,
            subject: "Focus time",
            start: local(d - Duration::days(7), 13, 0),
            end: local(d - Duration::days(7), 14, 0),
            tz: pst,
            extra: json!({
                "recurrence": {
                    "pattern": {"type": "daily", "interval": 1},
                    "range": {"type": "numbered", "startDate": (d - Duration::days(7)).to_string(), "numberOfOccurrences": 30, "recurrenceTimeZone": pst},
                },
                "showAs": "busy",
                "isReminderOn": false,
            }),
        },
        SeedEvent {
            owner: demo::SECOND_USER_ID,
            subject: "1:1 Alex / Adele",
            start: local(mon - Duration::days(6), 15, 0),
            end: local(mon - Duration::days(6), 15, 30),
            tz: pst,
            extra: json!({
                "recurrence": {
                    "pattern": {"type": "weekly", "interval": 1, "daysOfWeek": ["tuesday"], "firstDayOfWeek": "sunday"},
                    "range": {"type": "endDate", "startDate": (mon - Duration::days(6)).to_string(), "endDate": (d + Duration::days(60)).to_string(), "recurrenceTimeZone": pst},
                },
                "isOnlineMeeting": true,
                "attendees": [{"type": "required", "emailAddress": {"name": "Adele Vance", "address": demo::USER_UPN}}],
                "body": html("Weekly one-on-one."),
            }),
        },
        SeedEvent {
            owner: demo::USER_ID,
            subject: "Lunch with Megan",
            start: local(d + Duration::days(1), 12, 0),
            end: local(d + Duration::days(1), 13, 0),
            tz: pst,
            extra: json!({"location": {"displayName": "Cafe Lago", "locationType": "restaurant"}, "categories": ["Green category"]}),
        },
        SeedEvent {
            owner: demo::USER_ID,
            subject: "Quarterly business review",
            start: local(d + Duration::days(2), 10, 0),
            end: local(d + Duration::days(2), 11, 30),
            tz: pst,
            extra: json!({
                "isOnlineMeeting": true,
                "importance": "high",
                "location": {"displayName": "Conf Room Rainier", "locationType": "conferenceRoom"},
                "attendees": [
                    {"type": "required", "emailAddress": {"name": "Alex Wilber", "address": demo::SECOND_USER_UPN}},
                    {"type": "optional", "emailAddress": {"name": "Megan Bowen", "address": demo::THIRD_USER_UPN}},
                    {"type": "required", "emailAddress": {"name": "Pradeep Gupta", "address": "pradeep.gupta@fabrikam.com"}},
                ],
                "body": html("Agenda: Q3 numbers, Fabrikam account, Seattle store."),
            }),
        },
        SeedEvent {
            owner: demo::USER_ID,
            subject: "Dentist appointment",
            start: local(d - Duration::days(1), 8, 0),
            end: local(d - Duration::days(1), 9, 0),
            tz: pst,
            extra: json!({"sensitivity": "private", "showAs": "oof"}),
        },
        SeedEvent {
            owner: demo::USER_ID,
            subject: "Company holiday",
            start: local(d + Duration::days(5), 0, 0),
            end: local(d + Duration::days(6), 0, 0),
            tz: pst,
            extra: json!({"isAllDay": true, "showAs": "free", "isReminderOn": false}),
        },
        SeedEvent {
            owner: demo::THIRD_USER_ID,
            subject: "Contoso launch review",
            start: local(d + Duration::days(3), 16, 0),
            end: local(d + Duration::days(3), 17, 0),
            tz: pst,
            extra: json!({
                "isOnlineMeeting": true,
                "attendees": [
                    {"type": "required", "emailAddress": {"name": "Adele Vance", "address": demo::USER_UPN}},
                    {"type": "required", "emailAddress": {"name": "Alex Wilber", "address": demo::SECOND_USER_UPN}},
                ],
                "categories": ["Project Contoso"],
            }),
        },
    ];
    for ev in events {
        let Some(cal) = store.mailboxes.get(ev.owner).and_then(|mb| mb.default_calendar()).map(|c| c.id.clone()) else {
            continue;
        };
        let mut data = ev.extra.as_object().cloned().unwrap_or_default();
        data.insert("subject".into(), json!(ev.subject));
        let created = anchor - Duration::days(20);
        if let Ok(id) =
            store.put_event(ev.owner, &cal, data, (ev.start, ev.tz.into()), (ev.end, ev.tz.into()), None, created)
        {
            let _ = store.invite_attendees(ev.owner, &id, created);
        }
    }
    // Adele has accepted the weekly 1:1.
    if let Some(mb) = store.mailboxes.get_mut(demo::USER_ID) {
        for e in mb.events.iter_mut().filter(|e| e.data["subject"] == "1:1 Alex / Adele") {
            e.data.insert(
                "responseStatus".into(),
                json!({"response": "accepted", "time": format_utc(anchor - Duration::days(19))}),
            );
        }
    }
    // A second calendar.
    let cal_id = store.ids.next(IdKind::Calendar);
    if let Some(mb) = store.mailboxes.get_mut(demo::USER_ID) {
        mb.calendars.push(CalendarRec {
            id: cal_id.clone(),
            name: "Project Contoso".into(),
            color: "lightGreen".into(),
            is_default: false,
            can_edit: true,
            changed_seq: 1,
        });
    }
    let milestone = d + Duration::days(14);
    let mut data = Map::new();
    data.insert("subject".into(), json!("Launch milestone"));
    data.insert("isAllDay".into(), json!(true));
    data.insert("showAs".into(), json!("free"));
    let _ = store.put_event(
        demo::USER_ID,
        &cal_id,
        data,
        (local(milestone, 0, 0), pst.into()),
        (local(milestone + Duration::days(1), 0, 0), pst.into()),
        None,
        anchor - Duration::days(20),
    );
}

/// Seeds the demo tenant's mail and calendars (users must exist).
pub(crate) fn seed_demo_data(store: &mut Store) {
    seed_mail(store);
    seed_calendar(store);
}

/// The default anchor: the start of the current UTC day.
pub(crate) fn default_anchor(now: DateTime<Utc>) -> DateTime<Utc> {
    now.date_naive().and_hms_opt(0, 0, 0).map(|n| n.and_utc()).unwrap_or(now)
}
