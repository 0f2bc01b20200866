//! The ways of reading a mailbox that the benches compare: the SDK's
//! `.stream()`, a hand-written reqwest + serde_json loop, and a delta first
//! sync (streamed page by page, or buffered by `run()`). Each hands every
//! message to [`use_message`] and drops it, like a real consumer.

use std::hint::black_box;

use futures::TryStreamExt as _;
use msgraph_core::delta::{Change, DeltaSync};
use msgraph_core::{GraphClient, GraphPath, Page};
use msgraph_mail::{MailExt as _, Message};

use super::TOKEN;
use super::handwritten::{HandPage, use_hand_message};
use super::messages::PAGE_SIZE;

/// What a consumer does with a message: reads a few fields.
pub fn use_message(m: &Message) -> u64 {
    let subject = m.subject.as_ref().map_or(0, |s| s.len() as u64);
    let to = m.to_recipients.as_ref().map_or(0, |r| r.len() as u64);
    black_box(subject + to + u64::from(m.is_read.unwrap_or(false)))
}

/// Streams every message through the SDK: `client.me().messages().list().top(50).stream()`.
/// Returns how many came.
pub async fn sdk(client: GraphClient, prefetch: bool) -> u64 {
    let mut items = client.me().messages().list().top(PAGE_SIZE as u32).prefetch(prefetch).stream();
    let (mut n, mut sum) = (0u64, 0u64);
    while let Some(m) = items.try_next().await.expect("the SDK stream failed") {
        sum = sum.wrapping_add(use_message(&m));
        n += 1;
    }
    black_box(sum);
    n
}

/// The inbox's message delta function (`/me/mailFolders/inbox/messages/delta`).
pub fn inbox_delta_path() -> GraphPath {
    GraphPath::new().push("me").push("mailFolders").id("inbox").push("messages").push("delta")
}

/// The URL of the delta's first page, for the startup check.
pub fn inbox_delta_url(base_url: &str) -> String {
    format!("{base_url}/me/mailFolders/inbox/messages/delta")
}

/// A first delta sync of the inbox through the SDK, streamed:
/// `DeltaSync::<Message>::new(..).pages()`, every page through `next_page`
/// (memory holds one page), then `commit`. Returns how many messages came
/// (removals are not counted, and the generated mailbox has none).
pub async fn sdk_delta(client: GraphClient) -> u64 {
    let sync = DeltaSync::<Message>::new(client, inbox_delta_path());
    let mut round = sync.pages().await.expect("delta: the round did not start");
    let (mut n, mut sum) = (0u64, 0u64);
    while let Some(changes) = round.next_page().await.expect("delta: a page failed") {
        for change in changes {
            if let Change::Upserted(m) = change {
                sum = sum.wrapping_add(use_message(&m));
                n += 1;
            }
        }
    }
    assert!(round.full_sync(), "delta: a first sync starts without a token");
    round.commit().await.expect("delta: commit failed");
    black_box(sum);
    n
}

/// The same first sync buffered: `DeltaSync::run()` reads and de-duplicates
/// the whole round before the consumer sees the first message, then
/// `commit`. Returns how many messages came.
pub async fn sdk_delta_run(client: GraphClient) -> u64 {
    let sync = DeltaSync::<Message>::new(client, inbox_delta_path());
    let round = sync.run().await.expect("delta: run failed");
    let (mut n, mut sum) = (0u64, 0u64);
    for m in round.upserted() {
        sum = sum.wrapping_add(use_message(m));
        n += 1;
    }
    round.commit().await.expect("delta: commit failed");
    black_box(sum);
    n
}

/// The first page's URL, as the baseline requests it.
pub fn first_page_url(base_url: &str) -> String {
    format!("{base_url}/me/messages?%24top={PAGE_SIZE}")
}

/// The baseline: the same requests with a plain `reqwest::Client`, each body
/// parsed with `serde_json::from_slice` straight into `Page<Message>`,
/// following `@odata.nextLink` in a loop. Returns how many messages came.
pub async fn raw(http: reqwest::Client, first_url: String) -> u64 {
    let mut url = first_url;
    let (mut n, mut sum) = (0u64, 0u64);
    loop {
        let resp = http.get(&url).bearer_auth(TOKEN).send().await.expect("raw: request failed");
        let resp = resp.error_for_status().expect("raw: error status");
        let body = resp.bytes().await.expect("raw: body");
        let page: Page<Message> = serde_json::from_slice(&body).expect("raw: page JSON");
        let Page { value, next_link, .. } = page;
        for m in value {
            sum = sum.wrapping_add(use_message(&m));
            n += 1;
        }
        match next_link {
            Some(next) => url = next,
            None => break,
        }
    }
    black_box(sum);
    n
}

/// The floor: the same requests with a plain `reqwest::Client`, each body
/// parsed with `serde_json::from_slice` into the hand-written
/// [`HandPage`](super::handwritten::HandPage) (a ~30-field struct, no
/// unknown-field map), following `@odata.nextLink` in a loop. Returns how
/// many messages came.
pub async fn handwritten(http: reqwest::Client, first_url: String) -> u64 {
    let mut url = first_url;
    let (mut n, mut sum) = (0u64, 0u64);
    loop {
        let resp = http.get(&url).bearer_auth(TOKEN).send().await.expect("plain: request failed");
        let resp = resp.error_for_status().expect("plain: error status");
        let body = resp.bytes().await.expect("plain: body");
        let page: HandPage = serde_json::from_slice(&body).expect("plain: page JSON");
        for m in &page.value {
            sum = sum.wrapping_add(use_hand_message(m));
            n += 1;
        }
        match page.next_link {
            Some(next) => url = next,
            None => break,
        }
    }
    black_box(sum);
    n
}

/// Fetches the first page and checks that the generated messages are what
/// a consumer expects: every property lands in a typed field (only
/// `@odata.etag` in `additional`), the conversationIndex decodes. Returns
/// the page size in bytes.
pub async fn check_first_page(http: &reqwest::Client, first_url: &str) -> usize {
    let body = http.get(first_url).send().await.expect("first page").bytes().await.expect("first page body");
    let page: Page<Message> = serde_json::from_slice(&body).expect("first page JSON");
    assert_eq!(page.value.len(), PAGE_SIZE);
    assert!(page.next_link.is_some(), "the first page has a nextLink");
    for m in &page.value {
        let extra: Vec<&String> = m.additional.keys().filter(|k| k.as_str() != "@odata.etag").collect();
        assert!(extra.is_empty(), "untyped properties: {extra:?}");
        assert!(m.from.is_some() && m.sender.is_some() && m.flag.is_some() && m.to_recipients.is_some());
        assert!(m.body_preview.as_ref().is_some_and(|p| p.chars().count() <= 255));
        let position = m.conversation_position().expect("a conversationIndex");
        assert!(position.is_ok(), "conversationIndex does not decode: {position:?}");
    }
    body.len()
}
