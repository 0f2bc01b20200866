//! msgraph-mail's large attachments through the emulator's Outlook upload
//! session: a 5 MB file in slices of at most 4 MiB, then listed on the draft.

mod sdk_common;

use msgraph_mail::{Attachment, MailExt, NewMessage};
use sdk_common::Sdk;

#[tokio::test]
async fn a_five_mb_attachment_is_uploaded_in_slices_and_listed_on_the_draft() {
    let s = Sdk::start().await;
    let messages = s.client.me().messages();
    let draft = messages.create_draft(NewMessage::new().subject("with a big file")).await.unwrap();
    let id = draft.id.clone().unwrap();
    let data: Vec<u8> = (0..5_000_000u32).map(|i| (i % 251) as u8).collect();
    let progress = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let p = progress.clone();
    let added = messages
        .add_large_attachment(&id, data.clone())
        .name("scan.pdf")
        .content_type("application/pdf")
        .on_progress(move |sent, total| p.lock().unwrap().push((sent, total)))
        .await
        .unwrap();
    let attachment_id = added.id.clone().expect("the attachment id from Location");
    assert_eq!(*progress.lock().unwrap(), [(4 * 1024 * 1024, 5_000_000), (5_000_000, 5_000_000)]);
    // slices of at most 4 MiB, none with the token
    let puts: Vec<_> = s.emu.requests().into_iter().filter(|r| r.method == "PUT").collect();
    assert_eq!(puts.len(), 2, "{puts:?}");

    let listed = messages.attachments(&id).list().send().await.unwrap();
    let file = listed
        .value
        .iter()
        .find_map(|a| match a {
            Attachment::File(f) if f.id.as_deref() == Some(attachment_id.as_str()) => Some(f.clone()),
            _ => None,
        })
        .expect("listed on the draft");
    assert_eq!(file.name.as_deref(), Some("scan.pdf"));
    assert_eq!(file.size, Some(5_000_000));
    let bytes = messages.attachments(&id).download(&attachment_id).await.unwrap();
    assert!(bytes[..] == data[..], "the content came through byte for byte");
}
