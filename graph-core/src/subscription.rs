//! Change-notification subscriptions
//! ([subscription](https://learn.microsoft.com/graph/api/resources/subscription)):
//! create, get, list, renew, reauthorize, delete; a typed resource builder
//! for what the SDK's services cover; the maximum lifetime per resource in
//! one table.
//!
//! The webhook receiver, lifecycle handling and the webhook + delta watcher
//! are in the `msgraph-notifications` crate.
//!
//! ```no_run
//! use std::time::Duration;
//! use msgraph_core::subscription::{ChangeTypes, NewSubscription, SubscriptionResource};
//! # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
//! let sub = client.subscriptions().create(
//!     NewSubscription::new(
//!         SubscriptionResource::mail_folder_messages("me", "inbox"),
//!         ChangeTypes::CREATED | ChangeTypes::UPDATED,
//!         "https://example.com/graph/notifications",
//!     )
//!     .lifecycle_url("https://example.com/graph/lifecycle")
//!     .expires_in(Duration::from_secs(3 * 24 * 3600)),
//! ).await?;
//! println!("subscribed until {:?}", sub.expiration_date_time);
//! # Ok(()) }
//! ```

use std::fmt;
use std::ops::BitOr;
use std::time::Duration;

use base64::Engine as _;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use url::Url;

use crate::models::{Additional, utc};
use crate::{Action, Error, GraphClient, GraphPath, ListBuilder, Request, Result};

/// The kinds of change a subscription reports (`created`, `updated`,
/// `deleted`), combined with `|`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ChangeTypes(u8);

impl ChangeTypes {
    /// An item was created.
    pub const CREATED: ChangeTypes = ChangeTypes(1);
    /// An item changed.
    pub const UPDATED: ChangeTypes = ChangeTypes(2);
    /// An item was deleted.
    pub const DELETED: ChangeTypes = ChangeTypes(4);
    /// All three.
    pub const ALL: ChangeTypes = ChangeTypes(7);

    /// True when every kind in `other` is here.
    pub fn contains(self, other: ChangeTypes) -> bool {
        self.0 & other.0 == other.0
    }

    /// True when no kind is set.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Graph's form: `created,updated`.
    pub fn to_wire(self) -> String {
        let mut parts = Vec::new();
        for (flag, name) in [(Self::CREATED, "created"), (Self::UPDATED, "updated"), (Self::DELETED, "deleted")] {
            if self.contains(flag) {
                parts.push(name);
            }
        }
        parts.join(",")
    }

    /// Reads Graph's form (unknown kinds are ignored).
    pub fn from_wire(s: &str) -> Self {
        s.split(',').fold(ChangeTypes(0), |acc, part| match part.trim().to_ascii_lowercase().as_str() {
            "created" => acc | Self::CREATED,
            "updated" => acc | Self::UPDATED,
            "deleted" => acc | Self::DELETED,
            _ => acc,
        })
    }
}

impl BitOr for ChangeTypes {
    type Output = ChangeTypes;
    fn bitor(self, rhs: ChangeTypes) -> ChangeTypes {
        ChangeTypes(self.0 | rhs.0)
    }
}

impl fmt::Debug for ChangeTypes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ChangeTypes({})", self.to_wire())
    }
}

impl Serialize for ChangeTypes {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_wire())
    }
}

impl<'de> Deserialize<'de> for ChangeTypes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(ChangeTypes::from_wire(&s))
    }
}

/// What kind of resource a subscription watches: it decides the longest
/// lifetime Graph allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ResourceKind {
    /// Outlook messages, events, contacts.
    Outlook,
    /// OneDrive / SharePoint drive items.
    DriveItem,
    /// To Do tasks.
    TodoTask,
    /// Anything else (the SDK does not know its maximum: 4,230 minutes is used).
    Other,
}

/// The longest subscription lifetimes, per resource kind, in minutes
/// ([lifetimes](https://learn.microsoft.com/graph/api/resources/subscription#subscription-lifetime)).
/// Microsoft's docs have changed these over time (Outlook resources have
/// been both 4,230 and 10,080 minutes): they are settings, with today's
/// documented values as defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct SubscriptionLimits {
    /// Outlook messages, events, contacts without resource data (default 10,080 = 7 days).
    pub outlook: u32,
    /// Outlook resources with `includeResourceData` (default 1,440 = 1 day).
    pub outlook_with_resource_data: u32,
    /// Drive items (default 42,300 ≈ 29.4 days).
    pub drive_item: u32,
    /// To Do tasks (default 4,230 ≈ 2.9 days).
    pub todo_task: u32,
    /// Other resources (default 4,230).
    pub other: u32,
}

impl Default for SubscriptionLimits {
    fn default() -> Self {
        SubscriptionLimits {
            outlook: 10_080,
            outlook_with_resource_data: 1_440,
            drive_item: 42_300,
            todo_task: 4_230,
            other: 4_230,
        }
    }
}

/// Graph raises any expiration under this to it.
pub const MIN_LIFETIME_MINUTES: u32 = 45;

impl SubscriptionLimits {
    /// The longest lifetime for a kind of resource.
    pub fn max_minutes(&self, kind: ResourceKind, with_resource_data: bool) -> u32 {
        match kind {
            ResourceKind::Outlook if with_resource_data => self.outlook_with_resource_data,
            ResourceKind::Outlook => self.outlook,
            ResourceKind::DriveItem => self.drive_item,
            ResourceKind::TodoTask => self.todo_task,
            ResourceKind::Other => self.other,
        }
    }
}

/// A resource to watch, as Graph writes it (`me/mailFolders('inbox')/messages`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SubscriptionResource {
    path: String,
    kind: ResourceKind,
    /// Why an id given to a constructor cannot be part of the path (checked on create).
    bad_id: Option<String>,
}

/// A user for a resource path: `me` or `users/{id}`.
fn user_prefix(user: &str) -> String {
    if user.eq_ignore_ascii_case("me") { "me".to_owned() } else { format!("users/{user}") }
}

/// The first of `ids` that would not stay one segment of the resource path
/// (`/`, `?`, `#`, whitespace, or empty), as an error message.
fn bad_id(ids: &[(&str, &str)]) -> Option<String> {
    ids.iter().find_map(|(what, id)| {
        let bad = id.is_empty() || id.contains(['/', '?', '#']) || id.chars().any(char::is_whitespace);
        bad.then(|| format!("{id:?} cannot be the {what} of a subscription resource"))
    })
}

impl SubscriptionResource {
    /// The messages of one mail folder (a well-known name like `inbox` or an id).
    ///
    /// A user (`me`, an id or a user principal name), folder or list id that
    /// would not stay one path segment (`/`, `?`, `#`, whitespace) makes
    /// [`Subscriptions::create`] fail with `InvalidInput` before sending.
    pub fn mail_folder_messages(user: &str, folder: &str) -> Self {
        SubscriptionResource {
            path: format!("{}/mailFolders('{}')/messages", user_prefix(user), folder.replace('\'', "''")),
            kind: ResourceKind::Outlook,
            bad_id: bad_id(&[("user", user), ("mail folder", folder)]),
        }
    }

    /// Every message of a mailbox.
    pub fn messages(user: &str) -> Self {
        SubscriptionResource {
            path: format!("{}/messages", user_prefix(user)),
            kind: ResourceKind::Outlook,
            bad_id: bad_id(&[("user", user)]),
        }
    }

    /// The events of a user's calendars (Graph documents subscriptions on
    /// `me/events` and `users/{id}/events` only, not on a calendar view:
    /// watch the events and read the view after a change).
    pub fn events(user: &str) -> Self {
        SubscriptionResource {
            path: format!("{}/events", user_prefix(user)),
            kind: ResourceKind::Outlook,
            bad_id: bad_id(&[("user", user)]),
        }
    }

    /// A user's OneDrive (Graph supports subscriptions on the root only).
    pub fn drive_root(user: &str) -> Self {
        SubscriptionResource {
            path: format!("{}/drive/root", user_prefix(user)),
            kind: ResourceKind::DriveItem,
            bad_id: bad_id(&[("user", user)]),
        }
    }

    /// The tasks of a To Do list.
    pub fn todo_tasks(user: &str, list_id: &str) -> Self {
        SubscriptionResource {
            path: format!("{}/todo/lists/{list_id}/tasks", user_prefix(user)),
            kind: ResourceKind::TodoTask,
            bad_id: bad_id(&[("user", user), ("To Do list", list_id)]),
        }
    }

    /// Any other resource, as Graph writes it.
    pub fn custom(path: impl Into<String>, kind: ResourceKind) -> Self {
        SubscriptionResource { path: path.into(), kind, bad_id: None }
    }

    /// The resource as Graph writes it.
    pub fn as_str(&self) -> &str {
        &self.path
    }

    /// Its kind (which decides the maximum lifetime).
    pub fn kind(&self) -> ResourceKind {
        self.kind
    }

    fn check(&self) -> Result<()> {
        if let Some(why) = &self.bad_id {
            return Err(Error::invalid_input(why.clone()));
        }
        let p = self.path.trim();
        if p.is_empty() || p.contains("..") || p.contains('?') || p.contains('#') || p.chars().any(char::is_whitespace)
        {
            return Err(Error::invalid_input(format!("{:?} is not a subscription resource", self.path)));
        }
        if p.starts_with("users/") && p.split('/').nth(1).is_none_or(str::is_empty) {
            return Err(Error::invalid_input("a subscription resource needs a user id"));
        }
        Ok(())
    }
}

/// A subscription, as Graph returns it. `clientState` is a shared secret:
/// `Debug` does not show it.
#[derive(Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Subscription {
    /// The subscription's id (in every notification as `subscriptionId`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The watched resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The kinds of change reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_type: Option<ChangeTypes>,
    /// Where notifications go.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification_url: Option<String>,
    /// Where lifecycle notifications go.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle_notification_url: Option<String>,
    /// The value every notification carries back, to check it came from Graph.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_state: Option<String>,
    /// When the subscription ends unless renewed.
    #[serde(default, deserialize_with = "utc::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub expiration_date_time: Option<DateTime<Utc>>,
    /// True when notifications carry the changed resource (encrypted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_resource_data: Option<bool>,
    /// The public certificate (base64) Graph encrypts resource data with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_certificate: Option<String>,
    /// Your id of that certificate, echoed in notifications.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_certificate_id: Option<String>,
    /// The newest TLS version the notification endpoint supports (`v1_2`, `v1_3`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_supported_tls_version: Option<String>,
    /// The app that created it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_id: Option<String>,
    /// The user or app that created it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creator_id: Option<String>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

impl fmt::Debug for Subscription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subscription")
            .field("id", &self.id)
            .field("resource", &self.resource)
            .field("change_type", &self.change_type)
            .field("notification_url", &self.notification_url)
            .field("lifecycle_notification_url", &self.lifecycle_notification_url)
            .field("client_state", &self.client_state.as_ref().map(|_| "<redacted>"))
            .field("expiration_date_time", &self.expiration_date_time)
            .finish_non_exhaustive()
    }
}

impl Subscription {
    /// How long until it expires (zero when it has).
    pub fn expires_in(&self) -> Option<Duration> {
        let left = self.expiration_date_time? - Utc::now();
        Some(left.to_std().unwrap_or(Duration::ZERO))
    }

    /// True when it expires within `margin`.
    pub fn expires_within(&self, margin: Duration) -> bool {
        self.expires_in().is_none_or(|left| left <= margin)
    }
}

/// A new random `clientState`: 32 bytes from the OS's CSPRNG, base64 (44 characters).
pub fn random_client_state() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes)
        .map_err(|e| Error::io("reading random bytes", std::io::Error::other(e.to_string())))?;
    Ok(base64::engine::general_purpose::STANDARD.encode(bytes))
}

/// A subscription to create; see [`Subscriptions::create`].
#[derive(Clone)]
#[must_use]
pub struct NewSubscription {
    resource: SubscriptionResource,
    change_types: ChangeTypes,
    notification_url: String,
    lifecycle_url: Option<String>,
    client_state: Option<String>,
    expires: Option<DateTime<Utc>>,
    expires_in: Option<Duration>,
    include_resource_data: Option<(String, String)>,
    tls: Option<String>,
    limits: SubscriptionLimits,
}

impl fmt::Debug for NewSubscription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewSubscription")
            .field("resource", &self.resource)
            .field("change_types", &self.change_types)
            .field("notification_url", &self.notification_url)
            .finish_non_exhaustive()
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SubscriptionBody<'a> {
    change_type: String,
    notification_url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    lifecycle_notification_url: Option<&'a str>,
    resource: &'a str,
    expiration_date_time: String,
    client_state: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    include_resource_data: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    encryption_certificate: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    encryption_certificate_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    latest_supported_tls_version: Option<&'a str>,
}

/// https, or http on loopback (a local receiver, the emulator).
fn check_endpoint(what: &str, url: &str) -> Result<()> {
    let parsed = Url::parse(url).map_err(|_| Error::invalid_input(format!("the {what} {url:?} is not a URL")))?;
    crate::client::check_scheme(&parsed).map_err(|_| {
        Error::invalid_input(format!("the {what} must be https (http only on loopback), not {}", parsed.scheme()))
    })
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl NewSubscription {
    /// A subscription to `resource` for `change_types`, notifying `notification_url`.
    /// It expires at the resource's maximum unless told otherwise, and gets
    /// a random `clientState`.
    pub fn new(resource: SubscriptionResource, change_types: ChangeTypes, notification_url: impl Into<String>) -> Self {
        NewSubscription {
            resource,
            change_types,
            notification_url: notification_url.into(),
            lifecycle_url: None,
            client_state: None,
            expires: None,
            expires_in: None,
            include_resource_data: None,
            tls: None,
            limits: SubscriptionLimits::default(),
        }
    }

    /// Where lifecycle notifications go (`reauthorizationRequired`,
    /// `subscriptionRemoved`, `missed`). It can only be set at creation.
    pub fn lifecycle_url(mut self, url: impl Into<String>) -> Self {
        self.lifecycle_url = Some(url.into());
        self
    }

    /// The `clientState` to use instead of a random one (at most 128 characters).
    pub fn client_state(mut self, state: impl Into<String>) -> Self {
        self.client_state = Some(state.into());
        self
    }

    /// Expires at this instant (at most the resource's maximum from now;
    /// Graph raises anything under [`MIN_LIFETIME_MINUTES`] to it).
    pub fn expires_at(mut self, at: DateTime<Utc>) -> Self {
        self.expires = Some(at);
        self
    }

    /// Expires this long from now (at most the resource's maximum; Graph
    /// raises anything under [`MIN_LIFETIME_MINUTES`] to it).
    pub fn expires_in(mut self, lifetime: Duration) -> Self {
        self.expires_in = Some(lifetime);
        self
    }

    /// Notifications carry the changed resource, encrypted with this public
    /// certificate (base64 DER) known to you by `certificate_id`.
    pub fn include_resource_data(
        mut self,
        certificate_base64: impl Into<String>,
        certificate_id: impl Into<String>,
    ) -> Self {
        self.include_resource_data = Some((certificate_base64.into(), certificate_id.into()));
        self
    }

    /// The newest TLS version the endpoint supports (`v1_2`, `v1_3`).
    pub fn latest_supported_tls_version(mut self, version: impl Into<String>) -> Self {
        self.tls = Some(version.into());
        self
    }

    /// Other maximum lifetimes than the documented defaults.
    pub fn limits(mut self, limits: SubscriptionLimits) -> Self {
        self.limits = limits;
        self
    }

    /// The longest lifetime this subscription may have.
    pub fn max_lifetime(&self) -> Duration {
        let minutes = self.limits.max_minutes(self.resource.kind(), self.include_resource_data.is_some());
        Duration::from_secs(u64::from(minutes) * 60)
    }

    /// The request body after its checks.
    fn request(&self, now: DateTime<Utc>) -> Result<Request> {
        self.resource.check()?;
        if self.change_types.is_empty() {
            return Err(Error::invalid_input("a subscription needs at least one change type"));
        }
        check_endpoint("notificationUrl", &self.notification_url)?;
        if let Some(l) = &self.lifecycle_url {
            check_endpoint("lifecycleNotificationUrl", l)?;
        }
        let state = match &self.client_state {
            Some(s) => s.clone(),
            None => random_client_state()?,
        };
        if state.is_empty() || state.chars().count() > 128 {
            return Err(Error::invalid_input("clientState must be 1 to 128 characters"));
        }
        let max = self.max_lifetime();
        let after = |d: Duration| {
            chrono::TimeDelta::from_std(d)
                .ok()
                .and_then(|d| now.checked_add_signed(d))
                .unwrap_or(DateTime::<Utc>::MAX_UTC)
        };
        let expires = match (self.expires, self.expires_in) {
            (Some(at), _) => at,
            (None, Some(d)) => after(d),
            // the maximum, less a minute for the clock difference with Graph
            (None, None) => after(max.saturating_sub(Duration::from_secs(60))),
        };
        let lifetime = (expires - now).to_std().unwrap_or(Duration::ZERO);
        if lifetime > max {
            return Err(Error::invalid_input(format!(
                "a subscription to {} can live at most {} minutes, not {}",
                self.resource.as_str(),
                max.as_secs() / 60,
                lifetime.as_secs() / 60
            )));
        }
        if expires <= now {
            return Err(Error::invalid_input("the subscription's expiration must be in the future"));
        }
        let (cert, cert_id) = match &self.include_resource_data {
            Some((c, id)) => (Some(c.as_str()), Some(id.as_str())),
            None => (None, None),
        };
        Request::post(GraphPath::new().push("subscriptions")).json(&SubscriptionBody {
            change_type: self.change_types.to_wire(),
            notification_url: &self.notification_url,
            lifecycle_notification_url: self.lifecycle_url.as_deref(),
            resource: self.resource.as_str(),
            expiration_date_time: rfc3339(expires),
            client_state: &state,
            include_resource_data: self.include_resource_data.as_ref().map(|_| true),
            encryption_certificate: cert,
            encryption_certificate_id: cert_id,
            latest_supported_tls_version: self.tls.as_deref(),
        })
    }
}

/// The subscriptions of the app; get it from [`GraphClient::subscriptions`].
///
/// Permissions: read access to the watched resource
/// ([permissions](https://learn.microsoft.com/graph/api/subscription-post-subscriptions#permissions)):
/// `Mail.ReadBasic` or `Mail.Read` for messages, `Calendars.Read` for events,
/// `Files.ReadWrite` (personal OneDrive) or `Files.ReadWrite.All` (OneDrive for
/// Business) for a drive, `Tasks.ReadWrite` for To Do tasks.
#[derive(Debug, Clone)]
pub struct Subscriptions {
    client: GraphClient,
}

impl GraphClient {
    /// Change-notification subscriptions (`/subscriptions`).
    pub fn subscriptions(&self) -> Subscriptions {
        Subscriptions { client: self.clone() }
    }
}

impl Subscriptions {
    fn item(id: impl Into<String>) -> GraphPath {
        GraphPath::new().push("subscriptions").id(id)
    }

    /// Creates a subscription; Graph first checks the notification URL with
    /// a validation request, which the receiver must answer within 10 s.
    ///
    /// `POST /subscriptions` · [Create subscription](https://learn.microsoft.com/graph/api/subscription-post-subscriptions) ·
    /// permissions: those of the resource.
    pub fn create(&self, subscription: NewSubscription) -> Action<Subscription> {
        Action::json(self.client.clone(), subscription.request(Utc::now()))
    }

    /// One subscription.
    ///
    /// `GET /subscriptions/{id}` · [Get subscription](https://learn.microsoft.com/graph/api/subscription-get) ·
    /// permissions: those of the resource.
    pub fn get(&self, id: impl Into<String>) -> crate::GetBuilder<Subscription> {
        crate::GetBuilder::new(self.client.clone(), Self::item(id))
    }

    /// The app's subscriptions (for the signed-in user, or all of the app's with application permissions).
    ///
    /// `GET /subscriptions` · [List subscriptions](https://learn.microsoft.com/graph/api/subscription-list) ·
    /// permissions: those of the resources.
    pub fn list(&self) -> ListBuilder<Subscription> {
        ListBuilder::new(self.client.clone(), GraphPath::new().push("subscriptions"))
    }

    /// Extends a subscription to `expires_at` (Graph raises anything under
    /// 45 minutes to 45).
    ///
    /// `PATCH /subscriptions/{id}` · [Update subscription](https://learn.microsoft.com/graph/api/subscription-update) ·
    /// permissions: those of the resource.
    pub fn renew(&self, id: impl Into<String>, expires_at: DateTime<Utc>) -> Action<Subscription> {
        let request =
            Request::patch(Self::item(id)).json(&serde_json::json!({ "expirationDateTime": rfc3339(expires_at) }));
        Action::json(self.client.clone(), request)
    }

    /// Reauthorizes a subscription after a `reauthorizationRequired` lifecycle notification.
    ///
    /// `POST /subscriptions/{id}/reauthorize` · [Reauthorize](https://learn.microsoft.com/graph/api/subscription-reauthorize) ·
    /// permissions: those of the resource.
    pub fn reauthorize(&self, id: impl Into<String>) -> Action<()> {
        Action::empty(self.client.clone(), Ok(Request::post(Self::item(id).push("reauthorize"))))
    }

    /// Deletes a subscription.
    ///
    /// `DELETE /subscriptions/{id}` · [Delete subscription](https://learn.microsoft.com/graph/api/subscription-delete) ·
    /// permissions: those of the resource.
    pub fn delete(&self, id: impl Into<String>) -> Action<()> {
        Action::empty(self.client.clone(), Ok(Request::delete(Self::item(id))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_types_on_the_wire() {
        assert_eq!((ChangeTypes::CREATED | ChangeTypes::UPDATED).to_wire(), "created,updated");
        assert_eq!(ChangeTypes::from_wire("Created, deleted,unknown"), ChangeTypes::CREATED | ChangeTypes::DELETED);
        assert!(ChangeTypes::ALL.contains(ChangeTypes::DELETED));
    }

    #[test]
    fn resources_and_limits() {
        assert_eq!(
            SubscriptionResource::mail_folder_messages("me", "inbox").as_str(),
            "me/mailFolders('inbox')/messages"
        );
        assert_eq!(SubscriptionResource::messages("ada@contoso.com").as_str(), "users/ada@contoso.com/messages");
        assert_eq!(SubscriptionResource::todo_tasks("me", "L1").kind(), ResourceKind::TodoTask);
        let l = SubscriptionLimits::default();
        assert_eq!(l.max_minutes(ResourceKind::Outlook, false), 10_080);
        assert_eq!(l.max_minutes(ResourceKind::Outlook, true), 1_440);
        assert_eq!(l.max_minutes(ResourceKind::DriveItem, false), 42_300);
        assert_eq!(l.max_minutes(ResourceKind::TodoTask, false), 4_230);
    }

    #[test]
    fn ids_that_would_change_the_resource_path_are_refused() {
        for r in [
            SubscriptionResource::messages("a/b"),
            SubscriptionResource::events("ada@contoso.com?x"),
            SubscriptionResource::drive_root(""),
            SubscriptionResource::mail_folder_messages("me", "inbox/../sent"),
            SubscriptionResource::todo_tasks("me", "L1#x"),
            SubscriptionResource::todo_tasks("me", "L 1"),
        ] {
            assert!(matches!(r.check(), Err(Error::InvalidInput(_))), "{r:?}");
        }
        assert!(SubscriptionResource::mail_folder_messages("o'brien@contoso.com", "it's").check().is_ok());
        assert_eq!(
            SubscriptionResource::mail_folder_messages("me", "it's").as_str(),
            "me/mailFolders('it''s')/messages"
        );
    }

    #[test]
    fn expires_in_and_within() {
        let sub = |minutes: i64| Subscription {
            expiration_date_time: Some(Utc::now() + chrono::TimeDelta::minutes(minutes)),
            ..Subscription::default()
        };
        let left = sub(60).expires_in().unwrap();
        assert!(left > Duration::from_secs(59 * 60) && left <= Duration::from_secs(60 * 60), "{left:?}");
        assert_eq!(sub(-5).expires_in(), Some(Duration::ZERO), "expired: zero, no panic");
        assert!(sub(30).expires_within(Duration::from_secs(45 * 60)));
        assert!(!sub(60).expires_within(Duration::from_secs(45 * 60)));
        assert!(Subscription::default().expires_within(Duration::ZERO), "no expiry known: treated as due");
    }

    #[test]
    fn client_state_is_random_and_fits() {
        let a = random_client_state().unwrap();
        let b = random_client_state().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 44);
    }
}
