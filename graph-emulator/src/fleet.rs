//! The emulator at fleet scale: many generated mailboxes
//! ([`EmulatorBuilder::users`]) and mail delivered to any of them at run
//! time ([`EmulatorHandle::deliver_mail`]).

use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value, json};

use crate::state::mail::recipient;
use crate::state::store::{Store, UserRec};
use crate::time::format_utc;
use crate::{EmulatorBuilder, EmulatorHandle, Error, Result};

/// How many generated mailboxes to seed, and how much mail each holds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FleetSeed {
    pub users: usize,
    pub messages: usize,
}

impl Default for FleetSeed {
    fn default() -> Self {
        FleetSeed { users: 0, messages: 24 }
    }
}

/// The user principal name of generated mailbox `i` (see
/// [`EmulatorBuilder::users`]): `user0042@contoso.com`.
pub fn fleet_user(i: usize) -> String {
    format!("user{i:04}@contoso.com")
}

impl EmulatorBuilder {
    /// Seeds `n` generated mailboxes besides the demo users:
    /// [`fleet_user`]`(0)` to `fleet_user(n - 1)` (`user0000@contoso.com`,
    /// ...), display names "User 0000", ..., each with
    /// [`user_messages`](Self::user_messages) messages in its inbox (24 by
    /// default). The content is deterministic and cheap to generate (plain
    /// text, no attachments). App-only tokens
    /// ([`EmulatorHandle::issue_app_token`]) reach all of them at
    /// `/users/{id or UPN}`.
    pub fn users(mut self, n: usize) -> Self {
        self.fleet.users = n;
        self
    }

    /// How many inbox messages each mailbox of [`users`](Self::users) starts with (default 24).
    pub fn user_messages(mut self, n: usize) -> Self {
        self.fleet.messages = n;
        self
    }
}

/// Adds the generated mailboxes of `seed` to `store`.
pub(crate) fn seed(store: &mut Store, seed: &FleetSeed) {
    let anchor = store.anchor;
    for i in 0..seed.users {
        let upn = fleet_user(i);
        let display = format!("User {i:04}");
        let id = store.ids.guid();
        let profile = json!({
            "businessPhones": [],
            "displayName": display,
            "givenName": "User",
            "jobTitle": Value::Null,
            "mail": upn,
            "mobilePhone": Value::Null,
            "officeLocation": Value::Null,
            "preferredLanguage": "en-US",
            "surname": format!("{i:04}"),
            "userPrincipalName": upn,
        });
        let rec = UserRec {
            id: id.clone(),
            upn: upn.clone(),
            mail: upn.clone(),
            display_name: display,
            profile: profile.as_object().cloned().unwrap_or_default(),
        };
        store.add_user(rec, "UTC");
        let Ok(inbox) = store.mailbox(&id).map(|mb| mb.well_known_id("inbox")) else { continue };
        for j in 0..seed.messages {
            let at = anchor - Duration::minutes(37 * (seed.messages - j) as i64);
            let data = message(&format!("Seeded message {j} for {upn}"), "Generated for fleet tests.", &upn, at);
            let _ = store.put_message(&id, &inbox, data, Vec::new(), at);
        }
    }
}

fn message(subject: &str, body: &str, to: &str, at: DateTime<Utc>) -> Map<String, Value> {
    let mut data = Map::new();
    data.insert("subject".into(), json!(subject));
    data.insert("body".into(), json!({"contentType": "text", "content": body}));
    data.insert("from".into(), recipient("Fleet Sender", "sender@fabrikam.com"));
    data.insert("sender".into(), recipient("Fleet Sender", "sender@fabrikam.com"));
    data.insert("toRecipients".into(), json!([recipient(to, to)]));
    data.insert("receivedDateTime".into(), json!(format_utc(at)));
    data.insert("sentDateTime".into(), json!(format_utc(at - Duration::seconds(2))));
    data.insert("isRead".into(), json!(false));
    data
}

impl EmulatorHandle {
    /// Delivers a plain-text message from `sender@fabrikam.com` to `user`'s
    /// inbox (UPN, mail or id), received now: delta queries on the inbox
    /// report it as created. Returns its id. Cheaper than
    /// [`add_message`](Self::add_message), which takes any Graph JSON.
    pub fn deliver_mail(&self, user: &str, subject: &str, body: &str) -> Result<String> {
        let now = Utc::now();
        let mut store = crate::context::lock(&self.shared.store);
        let uid = Self::user_id(&store, user)?;
        let upn = store.user(&uid).map(|u| u.upn.clone()).unwrap_or_default();
        let inbox = store.mailbox(&uid).map_err(|e| Error::NotFound(e.message))?.well_known_id("inbox");
        let data = message(subject, body, &upn, now);
        store.put_message(&uid, &inbox, data, Vec::new(), now).map_err(|e| Error::InvalidInput(e.message))
    }
}
