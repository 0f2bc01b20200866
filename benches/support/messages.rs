//! Realistic Outlook message JSON, as Graph sends it for a triage listing
//! (`$select` of the triage fields plus recipients): ids and links of real
//! length, a real base64 conversationIndex, a 255-character bodyPreview with
//! JSON escapes, a few non-ASCII characters. Deterministic per index.

use std::fmt::Write as _;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE};

/// Messages per page, like `$top=50`.
pub const PAGE_SIZE: usize = 50;

/// The shared part of every id in the mailbox (Exchange ids start with the
/// mailbox and folder; only the tail differs between messages).
const ID_PREFIX: &str = "AAMkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OABGAAAAAAAiQ8W967B7TKBjgx9rVEURBwAiIsqMbYjsT5e-T7KzowPTAAAAAAEMAAAiIsqMbYjsT5e-T7KzowPTAA";
const CONVERSATION_PREFIX: &str = "AAQkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OAAQA";
const INBOX_ID: &str = "AAMkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OAAuAAAAAAAiQ8W967B7TKBjgx9rVEURAQAiIsqMbYjsT5e-T7KzowPTAAAAAAEMAAA=";

const FIRST: &[&str] = &[
    "Adele",
    "Alex",
    "Diego",
    "Grady",
    "Isaiah",
    "Johanna",
    "Joni",
    "Lee",
    "Lidia",
    "Lynne",
    "Megan",
    "Miriam",
    "Nestor",
    "Patti",
    "Pradeep",
    "Irvin",
    "Zoë",
    "Ana María",
];
const LAST: &[&str] = &[
    "Vance",
    "Wilber",
    "Siciliani",
    "Archie",
    "Langer",
    "Lorenz",
    "Sherman",
    "Gu",
    "Holloway",
    "Robbins",
    "Bowen",
    "Graham",
    "Wilke",
    "Fernandez",
    "Gupta",
    "Sayers",
    "Müller",
    "O'Neil",
];
const DOMAINS: &[&str] = &["contoso.onmicrosoft.com", "fabrikam.com", "northwindtraders.com", "adatum.com"];
const SUBJECTS: &[&str] = &[
    "Q3 planning: budget review for the Contoso rollout",
    "Invoice INV-20931 is overdue",
    "Lunch on Friday?",
    "[Action required] Approve the \\\"Mark 8\\\" launch deck",
    "Weekly status — retail division",
    "Your Azure subscription usage report is ready",
    "Customer escalation: order 55-1182 arrived damaged",
    "Offsite agenda & travel details",
    "Réunion de suivi du projet",
    "Design review notes (v3)",
];
const CATEGORIES: &[&str] = &["Red category", "Blue category", "Follow up", "Project Mark 8"];
const WORDS: &[&str] = &[
    "please",
    "review",
    "the",
    "attached",
    "numbers",
    "before",
    "our",
    "meeting",
    "tomorrow",
    "we",
    "need",
    "to",
    "decide",
    "on",
    "budget",
    "and",
    "timeline",
    "for",
    "launch",
    "thanks",
    "customer",
    "reported",
    "that",
    "order",
    "was",
    "delayed",
    "can",
    "you",
    "check",
    "with",
    "logistics",
    "team",
    "quarter",
    "forecast",
    "looks",
    "strong",
];

/// A tiny deterministic generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// The id of message `i`: Graph-shaped (about 150 characters, URL-safe base64, `=` padded).
pub fn message_id(i: usize) -> String {
    let tail = URL_SAFE.encode((i as u64).to_be_bytes());
    format!("{ID_PREFIX}{tail}AAA=")
}

fn recipient(out: &mut String, rng: &mut Rng) {
    let first = rng.pick(FIRST);
    let last = rng.pick(LAST);
    let domain = rng.pick(DOMAINS);
    let local: String = format!("{}{}", first.split(' ').next().unwrap_or(first), &last[..1])
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let _ = write!(out, r#"{{"emailAddress":{{"name":"{first} {last}","address":"{local}@{domain}"}}}}"#);
}

fn recipients(out: &mut String, rng: &mut Rng, n: usize) {
    out.push('[');
    for k in 0..n {
        if k > 0 {
            out.push(',');
        }
        recipient(out, rng);
    }
    out.push(']');
}

/// A base64 conversationIndex: the 22-byte header (reserved byte, FILETIME,
/// thread GUID) plus one 5-byte block per reply.
fn conversation_index(thread: usize, depth: usize) -> String {
    let mut rng = Rng::new(thread as u64 ^ 0xC0FFEE);
    // 2024-05-01 in FILETIME ticks (100 ns since 1601), plus a per-thread offset.
    let ticks: u64 = 133_590_000_000_000_000 + (thread as u64) * 36_000_000_000;
    let mut bytes = vec![0x01];
    bytes.extend_from_slice(&(ticks >> 24).to_be_bytes()[3..8]);
    for _ in 0..2 {
        bytes.extend_from_slice(&rng.next().to_be_bytes());
    }
    for d in 0..depth {
        let b = rng.next().to_be_bytes();
        bytes.extend_from_slice(&[b[0] & 0x7f, b[1], b[2], b[3], (d as u8) << 4]);
    }
    STANDARD.encode(bytes)
}

fn body_preview(out: &mut String, rng: &mut Rng) {
    // Graph cuts bodyPreview at 255 characters; escapes count as one.
    let mut chars = 0;
    let greeting = rng.pick(FIRST);
    let _ = write!(out, "Hi {greeting},\\r\\n\\r\\n");
    chars += 4 + greeting.chars().count() + 4;
    while chars < 250 {
        let w = rng.pick(WORDS);
        if chars + w.len() + 1 > 255 {
            break;
        }
        out.push_str(w);
        out.push(' ');
        chars += w.len() + 1;
        if rng.below(9) == 0 && chars < 252 {
            out.push_str("\\\"ok\\\" ");
            chars += 5;
        }
    }
}

fn date(out: &mut String, i: usize) {
    // One message every 37 s going back from 2024-06-30.
    let secs_back = (i as u64) * 37;
    let day = 30 - (secs_back / 86_400) % 30;
    let rem = 86_399 - secs_back % 86_400;
    let _ = write!(out, "2024-06-{day:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem / 60 % 60, rem % 60);
}

/// Writes message `i` as a JSON object (no trailing comma). With `context`,
/// the object starts with `@odata.context` (a single get).
///
/// The fields: the triage set (id, conversationId, conversationIndex,
/// subject, from, receivedDateTime, bodyPreview, parentFolderId, categories,
/// webLink, flag, isRead, importance), the recipients (toRecipients,
/// ccRecipients, sender) and the envelope a default GET also returns
/// (created/lastModified/sentDateTime, changeKey, hasAttachments,
/// internetMessageId, isDraft, inferenceClassification), but no body.
pub fn write_message(out: &mut String, i: usize, context: Option<&str>) {
    let mut rng = Rng::new(i as u64);
    let id = message_id(i);
    let thread = i / 4;
    let depth = i % 4;
    out.push('{');
    if let Some(c) = context {
        let _ = write!(out, r#""@odata.context":"{c}","#);
    }
    let version = format!("{:06X}", i & 0xFF_FFFF);
    let _ = write!(out, r#""@odata.etag":"W/\"CQAAABYAAAAiIsqMbYjsT5e/T7KzowPTAAAY{version}\"","id":"{id}","#);
    out.push_str(r#""createdDateTime":""#);
    date(out, i);
    out.push_str(r#"","lastModifiedDateTime":""#);
    date(out, i);
    let _ = write!(out, r#"","changeKey":"CQAAABYAAAAiIsqMbYjsT5e/T7KzowPTAAAY{version}","#);
    let categories = rng.below(3);
    out.push_str(r#""categories":["#);
    for k in 0..categories {
        if k > 0 {
            out.push(',');
        }
        let _ = write!(out, r#""{}""#, rng.pick(CATEGORIES));
    }
    out.push_str(r#"],"receivedDateTime":""#);
    date(out, i);
    out.push_str(r#"","sentDateTime":""#);
    date(out, i + 1);
    let server = ["BY5PR11MB4307", "DM6PR11MB3052", "MW4PR11MB5911"][rng.below(3)];
    let _ = write!(
        out,
        r#"","hasAttachments":{},"internetMessageId":"<{server}{i:08X}@{server}.namprd11.prod.outlook.com>","#,
        rng.below(4) == 0
    );
    let subject = rng.pick(SUBJECTS);
    let prefix = if depth > 0 { "RE: " } else { "" };
    let _ = write!(out, r#""subject":"{prefix}{subject}","bodyPreview":""#);
    body_preview(out, &mut rng);
    let importance = ["normal", "normal", "normal", "high", "low"][rng.below(5)];
    let conv_tail = URL_SAFE.encode((thread as u64).to_le_bytes());
    let _ = write!(
        out,
        r#"","importance":"{importance}","parentFolderId":"{INBOX_ID}","conversationId":"{CONVERSATION_PREFIX}{conv_tail}AAAAA=","conversationIndex":"{}","#,
        conversation_index(thread, depth)
    );
    let link_id = id.replace('=', "%3D");
    let _ = write!(
        out,
        r#""isRead":{},"isDraft":false,"webLink":"https://outlook.office365.com/owa/?ItemID={link_id}&exvsurl=1&viewmodel=ReadMessageItem","inferenceClassification":"{}","#,
        rng.below(3) != 0,
        ["focused", "focused", "other"][rng.below(3)]
    );
    // The sender is the from address (one draw, written twice).
    let mut from = String::new();
    recipient(&mut from, &mut rng);
    let _ = write!(out, r#""sender":{from},"from":{from},"toRecipients":"#);
    let to = 1 + rng.below(6);
    recipients(out, &mut rng, to);
    out.push_str(r#","ccRecipients":"#);
    let cc = rng.below(5);
    recipients(out, &mut rng, cc);
    if rng.below(5) == 0 {
        out.push_str(
            r#","flag":{"flagStatus":"flagged","startDateTime":{"dateTime":"2024-06-03T00:00:00.0000000","timeZone":"UTC"},"dueDateTime":{"dateTime":"2024-06-07T00:00:00.0000000","timeZone":"UTC"}}"#,
        );
    } else {
        out.push_str(r#","flag":{"flagStatus":"notFlagged"}"#);
    }
    out.push('}');
}

/// The start of page `page` of the listing: `@odata.context` and the
/// `value` array, without the closing `}` (the server appends the nextLink).
pub fn page_head(origin: &str, page: usize) -> String {
    let mut out = String::with_capacity(PAGE_SIZE * 2600);
    let _ =
        write!(out, r#"{{"@odata.context":"{origin}/v1.0/$metadata#users('bench%40contoso.com')/messages","value":["#);
    for k in 0..PAGE_SIZE {
        if k > 0 {
            out.push(',');
        }
        write_message(&mut out, page * PAGE_SIZE + k, None);
    }
    out.push(']');
    out
}

/// Message `i` as the body of `GET /me/messages/{id}`.
pub fn single(origin: &str, i: usize) -> String {
    let mut out = String::with_capacity(2800);
    let context = format!("{origin}/v1.0/$metadata#users('bench%40contoso.com')/messages/$entity");
    write_message(&mut out, i, Some(&context));
    out
}
