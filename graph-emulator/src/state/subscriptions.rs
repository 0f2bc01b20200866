//! Change-notification subscriptions
//! (<https://learn.microsoft.com/graph/api/resources/subscription>): what
//! each one watches, its expiry and URLs, the last state of its resource
//! that notifications were computed against, the lifecycle notifications
//! waiting to go out, and the settings of delivery.
//!
//! The resource of a subscription is parsed once, at creation, into a
//! [`Target`]. The notifier (`crate::notify`) compares a target's items
//! (id -> change number) with the snapshot kept here to find what was
//! created, updated and deleted since the last look.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use crate::errors::{ApiResult, GraphError};
use crate::state::auth::Principal;
use crate::state::mail::change_key;
use crate::state::path::split_path;
use crate::state::store::Store;
use crate::state::todo::format_precise;

/// Graph raises any expiration closer than this to it
/// (<https://learn.microsoft.com/graph/api/resources/subscription#subscription-lifetime>).
pub(crate) const MIN_LIFETIME_MINUTES: i64 = 45;

/// How the emulator delivers change notifications, and the longest
/// subscription lifetimes it allows. Start from [`Default`] and change what
/// a test needs; give it to
/// [`EmulatorHandle::set_notification_settings`](crate::EmulatorHandle::set_notification_settings).
///
/// ```
/// use std::time::Duration;
/// use msgraph_emulator::NotificationSettings;
/// let settings = NotificationSettings::default()
///     .outlook_max_minutes(4_230) // Microsoft's docs have said both 4,230 and 10,080
///     .validation_timeout(Duration::from_millis(500))
///     .retry_for(Duration::from_secs(2));
/// # let _ = settings;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct NotificationSettings {
    /// Longest lifetime of a subscription to Outlook messages or events, minutes (default 10,080).
    pub outlook_max_minutes: u32,
    /// Longest lifetime of one with resource data (`includeResourceData`), minutes (default 1,440).
    pub outlook_with_resource_data_max_minutes: u32,
    /// Longest lifetime of a subscription to a drive, minutes (default 42,300).
    pub drive_item_max_minutes: u32,
    /// Longest lifetime of a subscription to To Do tasks, minutes (default 4,230).
    pub todo_task_max_minutes: u32,
    /// How long the notification URL has to answer the validation request (default 10 s, as Graph).
    pub validation_timeout: Duration,
    /// How long one delivery may take before it counts as failed (default 3 s, as Graph).
    pub delivery_timeout: Duration,
    /// How long a batch is retried after failures before it is dropped (and a
    /// `missed` lifecycle notification queued). Graph keeps trying for up to
    /// 4 hours; the default here is 30 s.
    pub retry_for: Duration,
    /// The wait before the first retry; it doubles after each failure, up to 5 s (default 200 ms).
    pub first_retry: Duration,
    /// Notifications per POST at most (default 100).
    pub max_batch: usize,
}

impl Default for NotificationSettings {
    fn default() -> Self {
        NotificationSettings {
            outlook_max_minutes: 10_080,
            outlook_with_resource_data_max_minutes: 1_440,
            drive_item_max_minutes: 42_300,
            todo_task_max_minutes: 4_230,
            validation_timeout: Duration::from_secs(10),
            delivery_timeout: Duration::from_secs(3),
            retry_for: Duration::from_secs(30),
            first_retry: Duration::from_millis(200),
            max_batch: 100,
        }
    }
}

impl NotificationSettings {
    /// Longest lifetime of Outlook message and event subscriptions, minutes.
    pub fn outlook_max_minutes(mut self, minutes: u32) -> Self {
        self.outlook_max_minutes = minutes;
        self
    }

    /// Longest lifetime of Outlook subscriptions with resource data, minutes.
    pub fn outlook_with_resource_data_max_minutes(mut self, minutes: u32) -> Self {
        self.outlook_with_resource_data_max_minutes = minutes;
        self
    }

    /// Longest lifetime of drive subscriptions, minutes.
    pub fn drive_item_max_minutes(mut self, minutes: u32) -> Self {
        self.drive_item_max_minutes = minutes;
        self
    }

    /// Longest lifetime of To Do task subscriptions, minutes.
    pub fn todo_task_max_minutes(mut self, minutes: u32) -> Self {
        self.todo_task_max_minutes = minutes;
        self
    }

    /// How long the validation request may take.
    pub fn validation_timeout(mut self, timeout: Duration) -> Self {
        self.validation_timeout = timeout;
        self
    }

    /// How long one delivery may take.
    pub fn delivery_timeout(mut self, timeout: Duration) -> Self {
        self.delivery_timeout = timeout;
        self
    }

    /// How long failed batches are retried.
    pub fn retry_for(mut self, d: Duration) -> Self {
        self.retry_for = d;
        self
    }

    /// The first wait between retries.
    pub fn first_retry(mut self, d: Duration) -> Self {
        self.first_retry = d;
        self
    }

    /// Notifications per POST at most.
    pub fn max_batch(mut self, n: usize) -> Self {
        self.max_batch = n.max(1);
        self
    }
}

/// What a subscription watches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// The messages of one mail folder.
    FolderMessages { user_id: String, folder_id: String },
    /// Every message of a mailbox.
    Messages { user_id: String },
    /// Events: of one calendar, or of all of them.
    Events { user_id: String, calendar_id: Option<String> },
    /// The tasks of one To Do list.
    TodoTasks { user_id: String, list_id: String },
    /// A drive (Graph subscribes to drives at the root only): any change in
    /// it is an `updated` notification on the root.
    DriveRoot { drive_id: String },
}

/// The store's change number and every drive's, folded into one number
/// that moves whenever anything changed.
pub(crate) fn fingerprint(store: &Store) -> u64 {
    store.drive.drives.iter().fold(store.seq, |acc, d| acc.wrapping_mul(31).wrapping_add(d.seq))
}

/// The kinds of resource, which decide the longest lifetime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Outlook,
    TodoTask,
    DriveItem,
}

impl Target {
    pub fn kind(&self) -> Kind {
        match self {
            Target::TodoTasks { .. } => Kind::TodoTask,
            Target::DriveRoot { .. } => Kind::DriveItem,
            _ => Kind::Outlook,
        }
    }
}

/// The change types of a subscription, as bits.
pub(crate) const CREATED: u8 = 1;
pub(crate) const UPDATED: u8 = 2;
pub(crate) const DELETED: u8 = 4;

/// Reads `created,updated,deleted`.
pub(crate) fn parse_change_types(s: &str) -> ApiResult<u8> {
    let mut bits = 0;
    for part in s.split(',') {
        bits |= match part.trim().to_ascii_lowercase().as_str() {
            "created" => CREATED,
            "updated" => UPDATED,
            "deleted" => DELETED,
            _ => {
                return Err(GraphError::new(
                    StatusCode::BAD_REQUEST,
                    "InvalidRequest",
                    format!("Invalid 'changeType' attribute: '{}'.", part.trim()),
                ));
            }
        };
    }
    Ok(bits)
}

/// Writes the bits back as Graph does (`created,updated`).
pub(crate) fn change_types_wire(bits: u8) -> String {
    let mut out = Vec::new();
    for (b, name) in [(CREATED, "created"), (UPDATED, "updated"), (DELETED, "deleted")] {
        if bits & b != 0 {
            out.push(name);
        }
    }
    out.join(",")
}

/// One item of a watched resource: its change number and etag.
pub(crate) type Snapshot = HashMap<String, (u64, String)>;

/// A subscription.
#[derive(Debug, Clone)]
pub(crate) struct SubscriptionRec {
    pub id: String,
    /// The resource as the client wrote it.
    pub resource: String,
    pub target: Target,
    pub change_types: u8,
    pub notification_url: String,
    pub lifecycle_url: Option<String>,
    pub client_state: Option<String>,
    pub expires: DateTime<Utc>,
    /// The user or app that made it (its `creatorId`).
    pub creator: Principal,
    pub application_id: String,
    pub tls_version: String,
    /// A `reauthorizationRequired` event was sent and not answered yet.
    pub needs_reauthorization: bool,
    /// The resource as notifications last saw it.
    pub snapshot: Snapshot,
    /// Rich notifications: the certificate to encrypt resource data with.
    pub encryption: Option<crate::state::resource_data::Encryption>,
}

/// A notification waiting to be POSTed.
#[derive(Debug, Clone)]
pub(crate) struct Outgoing {
    pub url: String,
    pub notification: Value,
    /// The subscription it is for (a `missed` event goes to its lifecycle URL if it cannot be delivered).
    pub subscription_id: String,
    /// True for change notifications (their loss is reported as `missed`).
    pub is_change: bool,
    /// Rich notifications: the app whose batch needs a validation token.
    pub token_for_app: Option<String>,
}

/// Delivery counters, for tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct NotificationStats {
    /// Batches answered 2xx.
    pub delivered_batches: u64,
    /// Notifications in those batches.
    pub delivered_notifications: u64,
    /// Attempts that failed (non-2xx, refused connection, timeout).
    pub failed_attempts: u64,
    /// Batches given up after [`NotificationSettings::retry_for`].
    pub dropped_batches: u64,
    /// Change notifications not sent because delivery was switched off.
    pub suppressed_notifications: u64,
}

/// Every subscription of the tenant, the outbox and the settings.
#[derive(Debug)]
pub(crate) struct SubscriptionState {
    pub subs: HashMap<String, SubscriptionRec>,
    pub settings: NotificationSettings,
    /// False while notifications are switched off (a fault): nothing is delivered.
    pub enabled: bool,
    /// Lifecycle notifications (and retried `missed` events) waiting for the notifier.
    pub outbox: Vec<Outgoing>,
    /// The [`fingerprint`] of the store the snapshots were last compared at.
    pub seen_seq: u64,
    pub stats: NotificationStats,
    /// Wakes the notifier at once (new lifecycle events).
    pub wake: Arc<tokio::sync::Notify>,
}

impl Default for SubscriptionState {
    fn default() -> Self {
        SubscriptionState {
            subs: HashMap::new(),
            settings: NotificationSettings::default(),
            enabled: true,
            outbox: Vec::new(),
            seen_seq: 0,
            stats: NotificationStats::default(),
            wake: Arc::new(tokio::sync::Notify::new()),
        }
    }
}

impl SubscriptionState {
    /// The longest lifetime for a kind of resource (with resource data or not).
    pub fn max_minutes(&self, kind: Kind, with_resource_data: bool) -> i64 {
        i64::from(match kind {
            Kind::Outlook if with_resource_data => self.settings.outlook_with_resource_data_max_minutes,
            Kind::Outlook => self.settings.outlook_max_minutes,
            Kind::TodoTask => self.settings.todo_task_max_minutes,
            Kind::DriveItem => self.settings.drive_item_max_minutes,
        })
    }

    /// A lifecycle notification for a subscription, to its lifecycle URL.
    pub fn lifecycle(&self, rec: &SubscriptionRec, tenant_id: &str, event: &str) -> Option<Outgoing> {
        let url = rec.lifecycle_url.clone()?;
        Some(Outgoing {
            url,
            notification: json!({
                "subscriptionId": rec.id,
                "subscriptionExpirationDateTime": rfc3339_millis(rec.expires),
                "tenantId": tenant_id,
                "clientState": rec.client_state,
                "lifecycleEvent": event,
            }),
            subscription_id: rec.id.clone(),
            is_change: false,
            token_for_app: None,
        })
    }
}

/// `2016-03-19T22:11:09.952Z`, as notifications carry expirations.
pub(crate) fn rfc3339_millis(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn bad_resource(resource: &str, why: &str) -> GraphError {
    GraphError::new(
        StatusCode::BAD_REQUEST,
        "InvalidRequest",
        format!("The resource '{resource}' cannot be subscribed to in msgraph-emulator: {why}."),
    )
}

/// Reads a subscription's `resource` (`me/mailFolders('inbox')/messages`,
/// `/users/{id}/messages`, `me/events`, `me/calendars/{id}/events`,
/// `me/todo/lists/{id}/tasks`, ...) for `principal`.
pub(crate) fn parse_resource(store: &mut Store, principal: &Principal, resource: &str) -> ApiResult<Target> {
    if resource.contains('?') {
        return Err(bad_resource(resource, "query options on the resource are not supported by the emulator"));
    }
    let mut segs = split_path(resource);
    if segs.first().is_some_and(|s| s == "v1.0") {
        segs.remove(0);
    }
    let (user_id, rest): (String, Vec<String>) = match segs.first().map(String::as_str) {
        Some("me") => match principal {
            Principal::User(u) => (u.clone(), segs[1..].to_vec()),
            Principal::App(_) => {
                return Err(GraphError::bad_request("/me request is only valid with delegated authentication flow."));
            }
        },
        Some("drives") => {
            let id = segs.get(1).cloned().unwrap_or_default();
            let root = segs.get(2).map(|s| s.to_ascii_lowercase());
            if segs.len() != 3 || root.as_deref() != Some("root") {
                return Err(bad_resource(resource, "a drive is subscribed to at its root (drives/{id}/root)"));
            }
            let di = store.drive.by_id(&id).ok_or_else(|| {
                GraphError::new(StatusCode::NOT_FOUND, "itemNotFound", format!("The drive '{id}' does not exist."))
            })?;
            if let Principal::User(me) = principal
                && store.drive.drives[di].owner_id != *me
            {
                return Err(GraphError::access_denied());
            }
            return Ok(Target::DriveRoot { drive_id: id });
        }
        Some("users") => {
            let key = segs.get(1).ok_or_else(|| bad_resource(resource, "a user is needed"))?;
            // `users/{id}@{tenant}` as Graph writes resources in notifications.
            let key = key
                .split_once('@')
                .filter(|(_, t)| t.eq_ignore_ascii_case(&store.tenant_id))
                .map_or(key.as_str(), |(k, _)| k);
            let user = store.user(key).ok_or_else(|| {
                GraphError::new(StatusCode::NOT_FOUND, "ResourceNotFound", format!("The user '{key}' does not exist."))
            })?;
            let uid = user.id.clone();
            if let Principal::User(me) = principal
                && *me != uid
            {
                return Err(GraphError::access_denied());
            }
            (uid, segs[2..].to_vec())
        }
        _ => return Err(bad_resource(resource, "it must start with me/ or users/{id}/")),
    };
    let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
    let lower: Vec<String> = rest.iter().map(|s| s.to_ascii_lowercase()).collect();
    let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
    match lower.as_slice() {
        ["messages"] => {
            store.mailbox(&user_id)?;
            Ok(Target::Messages { user_id })
        }
        ["mailfolders", _, "messages"] => {
            let folder_id = store.mailbox(&user_id)?.folder(rest[1])?.id.clone();
            Ok(Target::FolderMessages { user_id, folder_id })
        }
        ["events"] => {
            store.mailbox(&user_id)?;
            Ok(Target::Events { user_id, calendar_id: None })
        }
        ["calendar", "events"] => {
            let cal = store.mailbox(&user_id)?.default_calendar().map(|c| c.id.clone());
            Ok(Target::Events { user_id, calendar_id: cal })
        }
        ["calendars", _, "events"] => {
            let cal = store.mailbox(&user_id)?.calendar(rest[1])?.id.clone();
            Ok(Target::Events { user_id, calendar_id: Some(cal) })
        }
        ["drive", "root"] => {
            let di = crate::state::drive::ensure_drive(store, &user_id)?;
            Ok(Target::DriveRoot { drive_id: store.drive.drives[di].id.clone() })
        }
        ["todo", "lists", _, "tasks"] => {
            let todo = store.todo_mut(&user_id);
            let i = todo.list_index(rest[2])?;
            let list_id = todo.lists[i].id.clone();
            Ok(Target::TodoTasks { user_id, list_id })
        }
        _ => Err(bad_resource(
            resource,
            "the emulator delivers notifications for mail folder messages, messages, events, drive roots and To Do tasks",
        )),
    }
}

/// The items of a target now: id -> (change number, etag). `None` when the
/// resource is gone (its mailbox or list was removed).
pub(crate) fn snapshot(store: &Store, target: &Target) -> Option<Snapshot> {
    let etag = |seq: u64, id: &str| format!("W/\"{}\"", change_key(seq, id));
    match target {
        Target::FolderMessages { user_id, folder_id } => {
            let mb = store.mailboxes.get(user_id)?;
            Some(
                mb.messages
                    .iter()
                    .filter(|m| &m.folder_id == folder_id)
                    .map(|m| (m.id.clone(), (m.changed_seq, etag(m.changed_seq, &m.id))))
                    .collect(),
            )
        }
        Target::Messages { user_id } => {
            let mb = store.mailboxes.get(user_id)?;
            Some(mb.messages.iter().map(|m| (m.id.clone(), (m.changed_seq, etag(m.changed_seq, &m.id)))).collect())
        }
        Target::Events { user_id, calendar_id } => {
            let mb = store.mailboxes.get(user_id)?;
            Some(
                mb.events
                    .iter()
                    .filter(|e| calendar_id.as_ref().is_none_or(|c| &e.calendar_id == c))
                    .map(|e| (e.id.clone(), (e.changed_seq, etag(e.changed_seq, &e.id))))
                    .collect(),
            )
        }
        Target::TodoTasks { user_id, list_id } => {
            let todo = store.todo.users.get(user_id)?;
            let list = todo.lists.iter().find(|l| &l.id == list_id)?;
            Some(list.tasks.iter().map(|t| (t.id.clone(), (t.changed_seq, etag(t.changed_seq, &t.id)))).collect())
        }
        Target::DriveRoot { drive_id } => {
            let d = &store.drive.drives[store.drive.by_id(drive_id)?];
            let tag = d.items.get(&d.root_id).map(|r| r.etag()).unwrap_or_default();
            Some(HashMap::from([(d.root_id.clone(), (d.seq, tag))]))
        }
    }
}

/// `resource` and `resourceData` of a change to item `id` of `target`.
pub(crate) fn resource_of(target: &Target, id: &str, etag: &str) -> (String, Value) {
    let (path, kind) = match target {
        Target::FolderMessages { user_id, .. } | Target::Messages { user_id } => {
            (format!("Users/{user_id}/Messages/{id}"), "#Microsoft.Graph.Message")
        }
        Target::Events { user_id, .. } => (format!("Users/{user_id}/Events/{id}"), "#Microsoft.Graph.Event"),
        Target::TodoTasks { user_id, list_id } => {
            (format!("Users/{user_id}/todo/lists/{list_id}/tasks/{id}"), "#Microsoft.Graph.todoTask")
        }
        Target::DriveRoot { drive_id } => (format!("drives/{drive_id}/root"), "#Microsoft.Graph.DriveItem"),
    };
    let data = json!({"@odata.type": kind, "@odata.id": path, "@odata.etag": etag, "id": id});
    (path, data)
}

/// The item `id` of `target` as `GET` returns it, for rich notifications
/// (messages and events: the Outlook resources with resource data).
pub(crate) fn resource_json(store: &Store, target: &Target, id: &str) -> Option<Value> {
    match target {
        Target::FolderMessages { user_id, .. } | Target::Messages { user_id } => {
            let m = store.mailboxes.get(user_id)?.messages.iter().find(|m| m.id == id)?;
            Some(crate::state::mail::render_message(m, None, Default::default()))
        }
        Target::Events { user_id, .. } => {
            let e = store.mailboxes.get(user_id)?.events.iter().find(|e| e.id == id)?;
            Some(crate::state::calendar::render_event(e, None, &Default::default()))
        }
        Target::TodoTasks { .. } | Target::DriveRoot { .. } => None,
    }
}

/// A subscription as Graph returns it.
pub(crate) fn render(rec: &SubscriptionRec) -> Value {
    let creator = match &rec.creator {
        Principal::User(u) => u.clone(),
        Principal::App(a) => a.clone(),
    };
    let mut o = Map::new();
    o.insert("id".into(), json!(rec.id));
    o.insert("resource".into(), json!(rec.resource));
    o.insert("applicationId".into(), json!(rec.application_id));
    o.insert("changeType".into(), json!(change_types_wire(rec.change_types)));
    o.insert("clientState".into(), json!(rec.client_state));
    o.insert("notificationUrl".into(), json!(rec.notification_url));
    o.insert("notificationQueryOptions".into(), Value::Null);
    o.insert("lifecycleNotificationUrl".into(), json!(rec.lifecycle_url));
    o.insert("expirationDateTime".into(), json!(format_precise(rec.expires)));
    o.insert("creatorId".into(), json!(creator));
    o.insert("includeResourceData".into(), json!(rec.encryption.is_some()));
    o.insert("latestSupportedTlsVersion".into(), json!(rec.tls_version));
    o.insert("encryptionCertificate".into(), json!(rec.encryption.as_ref().map(|e| &e.certificate)));
    o.insert("encryptionCertificateId".into(), json!(rec.encryption.as_ref().map(|e| &e.certificate_id)));
    o.insert("notificationUrlAppId".into(), Value::Null);
    Value::Object(o)
}
