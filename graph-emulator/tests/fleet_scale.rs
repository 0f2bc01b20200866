//! The emulator at fleet scale: generated mailboxes, app-only access to
//! all of them, mail delivered at run time.

use std::time::Instant;

use msgraph_core::{GraphClient, StaticTokenCredential};
use msgraph_emulator::{Emulator, fleet_user};
use msgraph_mail::MailExt as _;

#[tokio::test]
async fn generated_mailboxes_are_reachable_app_only_and_take_deliveries() {
    let started = Instant::now();
    let emu = Emulator::builder().seed(false).users(500).start().await.unwrap();
    assert!(started.elapsed().as_secs() < 10, "500 mailboxes are cheap to generate: {:?}", started.elapsed());
    assert_eq!(fleet_user(42), "user0042@contoso.com");
    assert_eq!(emu.users().len(), 3 + 500, "the demo users and the generated ones");
    assert_eq!(emu.messages(&fleet_user(499), "inbox").unwrap().len(), 24);
    let first: Vec<String> = emu
        .messages(&fleet_user(7), "inbox")
        .unwrap()
        .iter()
        .map(|m| m["subject"].as_str().unwrap().to_owned())
        .collect();

    // deterministic: another emulator generates the same content
    let again = Emulator::builder().seed(false).users(8).user_messages(24).start().await.unwrap();
    let second: Vec<String> = again
        .messages(&fleet_user(7), "inbox")
        .unwrap()
        .iter()
        .map(|m| m["subject"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(first, second);

    let app = GraphClient::builder()
        .base_url(emu.base_url())
        .credential(StaticTokenCredential::new(emu.issue_app_token()))
        .build()
        .unwrap();
    for i in [0, 250, 499] {
        let user = app.user(fleet_user(i)).get().await.unwrap();
        assert_eq!(user.user_principal_name.as_deref(), Some(fleet_user(i).as_str()));
        assert_eq!(user.display_name.as_deref(), Some(format!("User {i:04}").as_str()));
    }
    // by id too
    let id = emu.users().iter().find(|u| u["userPrincipalName"] == fleet_user(3)).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let sync = app.user(id.as_str()).messages().delta("inbox");
    let round = sync.run().await.unwrap();
    assert_eq!(round.changes().len(), 24);
    round.commit().await.unwrap();

    let delivered = emu.deliver_mail(&fleet_user(3), "Quarterly numbers", "See attached.").unwrap();
    let round = sync.run().await.unwrap();
    let ids: Vec<_> = round.upserted().filter_map(|m| m.id.clone()).collect();
    assert_eq!(ids, std::slice::from_ref(&delivered), "delta reports the delivery as new");
    let m = emu.message(&fleet_user(3), &delivered).unwrap();
    assert_eq!((m["subject"].as_str(), m["isRead"].as_bool()), (Some("Quarterly numbers"), Some(false)));
    assert!(emu.deliver_mail("nobody@contoso.com", "x", "y").is_err());

    // a delegated token still reaches only its own mailbox
    let delegated = GraphClient::builder()
        .base_url(emu.base_url())
        .credential(StaticTokenCredential::new(emu.issue_token(&fleet_user(1)).unwrap()))
        .build()
        .unwrap();
    assert!(delegated.me().messages().list().send().await.is_ok());
    assert!(delegated.user(fleet_user(2)).messages().list().send().await.is_err());
}
