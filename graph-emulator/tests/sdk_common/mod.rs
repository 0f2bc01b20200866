//! Helpers for driving the emulator with the SDK itself (`msgraph-core`,
//! `msgraph-auth`, `msgraph-mail`, `msgraph-calendar`).
#![allow(dead_code)]

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use msgraph_core::{GraphClient, RetryPolicy, StaticTokenCredential, TokenCredential};
use msgraph_emulator::{Emulator, EmulatorBuilder, demo};

/// The fixed anchor of the demo data: Wednesday 2024-03-13 00:00 UTC (the
/// same as the plain-HTTP tests).
pub fn anchor() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 13, 0, 0, 0).unwrap()
}

/// Retries without multi-second backoff (Retry-After is still honoured).
pub fn quick_retries() -> RetryPolicy {
    RetryPolicy::default().initial_delay(Duration::from_millis(10)).max_delay(Duration::from_millis(50))
}

/// A client on the emulator with this credential.
pub fn client_with(emu: &Emulator, credential: impl TokenCredential + 'static) -> GraphClient {
    GraphClient::builder()
        .base_url(emu.base_url())
        .credential(credential)
        .retry_policy(quick_retries())
        .build()
        .expect("client builds")
}

/// An emulator with the demo data around [`anchor`], and an SDK client
/// signed in as Adele (a token issued by the handle).
pub struct Sdk {
    pub emu: Emulator,
    pub client: GraphClient,
}

impl Sdk {
    pub async fn start() -> Sdk {
        Self::with(Emulator::builder()).await
    }

    pub async fn with(builder: EmulatorBuilder) -> Sdk {
        let emu = builder.anchor(anchor()).start().await.expect("emulator starts");
        let token = emu.issue_token(demo::USER_UPN).expect("token");
        let client = client_with(&emu, StaticTokenCredential::new(token));
        Sdk { emu, client }
    }

    /// What the emulator holds in a folder of Adele's mailbox.
    pub fn folder(&self, folder: &str) -> Vec<serde_json::Value> {
        self.emu.messages(demo::USER_UPN, folder).expect("folder")
    }

    /// Ids of what the emulator holds in a folder of Adele's mailbox.
    pub fn ids_in(&self, folder: &str) -> Vec<String> {
        self.folder(folder).iter().map(|m| m["id"].as_str().unwrap_or_default().to_owned()).collect()
    }

    /// How many requests the emulator served whose path ends with `suffix`.
    pub fn served(&self, method: &str, suffix: &str) -> usize {
        self.emu.requests().iter().filter(|r| r.method == method && r.path.ends_with(suffix)).count()
    }
}
