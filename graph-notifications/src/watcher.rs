//! [`Watcher`]: change notifications as triggers for delta rounds, with
//! polling as the safety net.

use std::collections::{BTreeSet, HashMap};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use msgraph_core::delta::{DeltaRound, DeltaSync};
use msgraph_core::subscription::{
    ChangeTypes, MIN_LIFETIME_MINUTES, NewSubscription, Subscription, SubscriptionLimits, SubscriptionResource,
    random_client_state,
};
use msgraph_core::{Error, GraphClient, Result};
use serde::de::DeserializeOwned;
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::{ClientStates, LifecycleEvent, Notification, WatchState, WatchStore};

type DeltaFactory<T> = Box<dyn Fn() -> DeltaSync<T> + Send + Sync>;

struct Watched<T> {
    key: String,
    resource: SubscriptionResource,
    change_types: ChangeTypes,
    delta: DeltaFactory<T>,
    /// The live subscription, when notifications are on.
    subscription: Option<WatchState>,
    next_poll: Instant,
}

/// Watches resources: for each, a subscription (created, found again in the
/// store, renewed ahead of expiry, recreated when Graph removed it) and a
/// delta sync. A notification triggers a delta round at once; a burst
/// coalesces (one round in flight per resource, at most one queued after
/// it); a timer runs a round every `poll_every` anyway, so a missed
/// notification costs at most that long. Without a notification URL the
/// watcher just polls, with the same API.
///
/// The handler gets each round and commits it as with core's delta sync:
/// a round's token moves only after the handler called `commit()`.
///
/// ```no_run
/// use std::sync::Arc;
/// use std::time::Duration;
/// use msgraph_core::delta::{DeltaSync, JsonFileDeltaStore};
/// use msgraph_core::subscription::{ChangeTypes, SubscriptionResource};
/// use msgraph_core::{GraphPath, models::User};
/// use msgraph_notifications::{ClientStates, JsonFileWatchStore, Receiver, Watcher};
/// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
/// let states = ClientStates::new();
/// let (receiver, notifications) = Receiver::new(states.clone(), 10_000);
/// // serve `receiver` at https://example.com/notify (e.g. `receiver.router("/notify")` with the `axum` feature)
/// let deltas = Arc::new(JsonFileDeltaStore::new("data/delta.json"));
/// let c = client.clone();
/// let watcher = Watcher::<serde_json::Value>::new(client, Arc::new(JsonFileWatchStore::new("data/watch.json")), states)
///     .notification_url("https://example.com/notify")
///     .poll_every(Duration::from_secs(900))
///     .watch("inbox", SubscriptionResource::mail_folder_messages("me", "inbox"), ChangeTypes::ALL, move || {
///         DeltaSync::new(c.clone(), GraphPath::new().push("me").push("mailFolders").id("inbox").push("messages").push("delta"))
///             .store(deltas.clone(), "inbox")
///     });
/// watcher
///     .run(Some(notifications), std::future::pending::<()>(), |key, round| async move {
///         println!("{key}: {} changes", round.changes().len());
///         round.commit().await
///     })
///     .await?;
/// # Ok(()) }
/// ```
#[must_use = "a watcher does nothing until run"]
pub struct Watcher<T> {
    client: GraphClient,
    store: Arc<dyn WatchStore>,
    states: ClientStates,
    notification_url: Option<String>,
    lifecycle_url: Option<String>,
    poll_every: Duration,
    renew_margin: Duration,
    lifetime: Option<Duration>,
    limits: SubscriptionLimits,
    watched: Vec<Watched<T>>,
}

impl<T> std::fmt::Debug for Watcher<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watcher")
            .field("resources", &self.watched.iter().map(|w| w.key.as_str()).collect::<Vec<_>>())
            .field("notification_url", &self.notification_url)
            .field("poll_every", &self.poll_every)
            .finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned + Send + 'static> Watcher<T> {
    /// A watcher keeping its subscriptions in `store` and their client
    /// states in `states` (share them with the [`Receiver`](crate::Receiver)).
    pub fn new(client: GraphClient, store: Arc<dyn WatchStore>, states: ClientStates) -> Self {
        Watcher {
            client,
            store,
            states,
            notification_url: None,
            lifecycle_url: None,
            poll_every: Duration::from_secs(15 * 60),
            renew_margin: Duration::from_secs(60 * 60),
            lifetime: None,
            limits: SubscriptionLimits::default(),
            watched: Vec::new(),
        }
    }

    /// Subscribes with this notification URL (https; http on loopback).
    /// Without one the watcher only polls.
    pub fn notification_url(mut self, url: impl Into<String>) -> Self {
        self.notification_url = Some(url.into());
        self
    }

    /// Where lifecycle notifications go (default: the notification URL).
    pub fn lifecycle_url(mut self, url: impl Into<String>) -> Self {
        self.lifecycle_url = Some(url.into());
        self
    }

    /// The safety net: a delta round this often even without notifications (default 15 minutes).
    pub fn poll_every(mut self, every: Duration) -> Self {
        self.poll_every = every.max(Duration::from_millis(10));
        self
    }

    /// Renews a subscription when it expires within this margin (default 1 hour).
    pub fn renew_margin(mut self, margin: Duration) -> Self {
        self.renew_margin = margin;
        self
    }

    /// Subscriptions live this long (default: each resource's maximum).
    pub fn subscription_lifetime(mut self, lifetime: Duration) -> Self {
        self.lifetime = Some(lifetime);
        self
    }

    /// Other maximum lifetimes than the documented defaults.
    pub fn limits(mut self, limits: SubscriptionLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Watches `resource` under `key` (used in the stores and given to the
    /// handler); `delta` makes the resource's delta sync (with its own
    /// delta store and key).
    pub fn watch(
        mut self,
        key: impl Into<String>,
        resource: SubscriptionResource,
        change_types: ChangeTypes,
        delta: impl Fn() -> DeltaSync<T> + Send + Sync + 'static,
    ) -> Self {
        self.watched.push(Watched {
            key: key.into(),
            resource,
            change_types,
            delta: Box::new(delta),
            subscription: None,
            next_poll: Instant::now(),
        });
        self
    }

    fn lifetime_for(&self, resource: &SubscriptionResource) -> Duration {
        let max = Duration::from_secs(u64::from(self.limits.max_minutes(resource.kind(), false)) * 60);
        self.lifetime
            .unwrap_or(max)
            .min(max)
            .saturating_sub(Duration::from_secs(60))
            .max(Duration::from_secs(u64::from(MIN_LIFETIME_MINUTES) * 60))
    }

    /// Creates the subscription of `w` and stores it.
    async fn create(&self, w: &Watched<T>, url: &str) -> Result<WatchState> {
        let state = random_client_state()?;
        let mut new = NewSubscription::new(w.resource.clone(), w.change_types, url)
            .client_state(state.clone())
            .limits(self.limits)
            .expires_in(self.lifetime_for(&w.resource));
        if let Some(l) = self.lifecycle_url.as_deref().or(Some(url)) {
            new = new.lifecycle_url(l);
        }
        let sub: Subscription = self.client.subscriptions().create(new).await?;
        let id = sub.id.ok_or_else(|| Error::Paging("Graph created a subscription without an id".into()))?;
        let ws = WatchState::new(id, sub.expiration_date_time, state, w.resource.as_str());
        self.store.save(&w.key, &ws).await?;
        self.states.insert(ws.subscription_id.clone(), ws.client_state.clone());
        tracing::info!(key = %w.key, subscription = %ws.subscription_id, "subscribed");
        Ok(ws)
    }

    /// Why the subscription Graph has for `w` no longer fits what the
    /// watcher is configured with, or `None` when it fits.
    fn outdated(&self, w: &Watched<T>, url: &str, stored: &WatchState, sub: &Subscription) -> Option<&'static str> {
        let lifecycle = self.lifecycle_url.as_deref().unwrap_or(url);
        if stored.resource != w.resource.as_str() {
            Some("another resource is watched under this key")
        } else if sub.notification_url.as_deref().is_some_and(|u| u != url) {
            Some("the notification URL changed")
        } else if sub.lifecycle_notification_url.as_deref() != Some(lifecycle) {
            Some("the lifecycle notification URL is missing or changed")
        } else if sub.change_type.is_some_and(|c| c != w.change_types) {
            Some("the change types changed")
        } else {
            None
        }
    }

    /// The stored subscription of `w` if Graph still has it (renewed if due,
    /// recreated if it no longer fits: see `outdated`), else a new one.
    async fn ensure(&self, w: &Watched<T>, url: &str) -> Result<WatchState> {
        if let Some(stored) = self.store.load(&w.key).await? {
            match self.client.subscriptions().get(stored.subscription_id.clone()).await {
                Ok(sub) if self.outdated(w, url, &stored, &sub).is_some() => {
                    // only the expiry can be changed by PATCH: anything else
                    // (a moved notification URL, another resource under the
                    // same key, other change types, no lifecycle URL) means a
                    // new subscription; the old one would post to the old place
                    let why = self.outdated(w, url, &stored, &sub).unwrap_or_default();
                    tracing::info!(key = %w.key, why, "the stored subscription is outdated; recreating it");
                    if let Err(e) = self.client.subscriptions().delete(stored.subscription_id.clone()).await
                        && !e.is_not_found()
                    {
                        tracing::warn!(key = %w.key, error = %e, "deleting the outdated subscription failed; it expires on its own");
                    }
                    self.states.remove(&stored.subscription_id);
                }
                Ok(sub) => {
                    self.states.insert(stored.subscription_id.clone(), stored.client_state.clone());
                    let ws = WatchState { expires: sub.expiration_date_time.or(stored.expires), ..stored };
                    return Ok(ws);
                }
                Err(e) if e.is_not_found() => {
                    tracing::info!(key = %w.key, "the stored subscription is gone; creating a new one");
                    self.states.remove(&stored.subscription_id);
                }
                Err(e) => return Err(e),
            }
        }
        self.create(w, url).await
    }

    /// Renews `ws`, retrying once; if that fails, recreates the subscription.
    async fn renew(&self, w: &Watched<T>, ws: &WatchState, url: &str) -> Result<WatchState> {
        let lifetime =
            chrono::TimeDelta::from_std(self.lifetime_for(&w.resource)).unwrap_or(chrono::TimeDelta::hours(1));
        let until = Utc::now().checked_add_signed(lifetime).unwrap_or_else(Utc::now);
        for attempt in 0..2 {
            match self.client.subscriptions().renew(ws.subscription_id.clone(), until).await {
                Ok(sub) => {
                    let renewed = WatchState { expires: sub.expiration_date_time.or(Some(until)), ..ws.clone() };
                    self.store.save(&w.key, &renewed).await?;
                    return Ok(renewed);
                }
                Err(e) if e.is_not_found() => break,
                Err(e) => tracing::warn!(key = %w.key, attempt, error = %e, "renewing the subscription failed"),
            }
        }
        self.states.remove(&ws.subscription_id);
        self.create(w, url).await
    }

    /// Runs until `shutdown` completes: notifications from `notifications`
    /// (or none: polling only) trigger delta rounds handed to `handler`.
    pub async fn run<S, F, Fut>(
        mut self,
        mut notifications: Option<mpsc::Receiver<Notification>>,
        shutdown: S,
        mut handler: F,
    ) -> Result<()>
    where
        S: Future<Output = ()>,
        F: FnMut(String, DeltaRound<T>) -> Fut,
        Fut: Future<Output = Result<()>>,
    {
        if self.watched.is_empty() {
            return Err(Error::invalid_input("the watcher watches nothing"));
        }
        let url = self.notification_url.clone();
        if let Some(u) = &url {
            for i in 0..self.watched.len() {
                let ws = self.ensure(&self.watched[i], u).await?;
                self.watched[i].subscription = Some(ws);
            }
        }
        let mut dirty: BTreeSet<usize> = (0..self.watched.len()).collect();
        let by_subscription = |watched: &[Watched<T>]| -> HashMap<String, usize> {
            watched
                .iter()
                .enumerate()
                .filter_map(|(i, w)| w.subscription.as_ref().map(|s| (s.subscription_id.clone(), i)))
                .collect()
        };
        tokio::pin!(shutdown);
        loop {
            // the rounds due, one per resource
            for i in std::mem::take(&mut dirty) {
                let w = &mut self.watched[i];
                w.next_poll = Instant::now() + self.poll_every;
                match (w.delta)().run().await {
                    Ok(round) => {
                        if let Err(e) = handler(w.key.clone(), round).await {
                            tracing::warn!(key = %w.key, error = %e, "the handler failed; the round stays uncommitted");
                        }
                    }
                    Err(e) => {
                        tracing::warn!(key = %w.key, error = %e, "delta round failed; retried at the next trigger")
                    }
                }
            }
            // renewals due
            if let Some(u) = &url {
                for i in 0..self.watched.len() {
                    let due = self.watched[i].subscription.as_ref().is_some_and(|s| {
                        s.expires
                            .is_none_or(|e| (e - Utc::now()).to_std().unwrap_or(Duration::ZERO) <= self.renew_margin)
                    });
                    if due && let Some(ws) = self.watched[i].subscription.clone() {
                        match self.renew(&self.watched[i], &ws, u).await {
                            Ok(renewed) => self.watched[i].subscription = Some(renewed),
                            Err(e) => {
                                tracing::warn!(key = %self.watched[i].key, error = %e, "could not renew or recreate the subscription")
                            }
                        }
                    }
                }
            }
            let next_poll = self.watched.iter().map(|w| w.next_poll).min().unwrap_or_else(Instant::now);
            let next_renewal = Instant::now() + Duration::from_secs(60);
            let wake = next_poll.min(next_renewal);
            let index = by_subscription(&self.watched);
            let first = tokio::select! {
                n = async {
                    match notifications.as_mut() {
                        Some(rx) => rx.recv().await,
                        None => std::future::pending().await,
                    }
                } => match n {
                    Some(n) => Some(n),
                    None => {
                        tracing::info!("the notification channel closed; polling only from now on");
                        notifications = None;
                        None
                    }
                },
                _ = tokio::time::sleep_until(wake) => None,
                _ = &mut shutdown => return Ok(()),
            };
            let mut batch: Vec<Notification> = first.into_iter().collect();
            if let Some(rx) = notifications.as_mut() {
                while let Ok(n) = rx.try_recv() {
                    batch.push(n);
                }
            }
            for n in batch {
                let Some(&i) = n.subscription_id.as_deref().and_then(|id| index.get(id)) else {
                    tracing::debug!(subscription = ?n.subscription_id, "notification for a subscription this watcher does not own");
                    continue;
                };
                match &n.lifecycle_event {
                    None | Some(LifecycleEvent::Missed) => {
                        dirty.insert(i);
                    }
                    Some(LifecycleEvent::ReauthorizationRequired) => {
                        if let Some(ws) = self.watched[i].subscription.clone()
                            && let Err(e) = self.client.subscriptions().reauthorize(ws.subscription_id.clone()).await
                        {
                            tracing::warn!(error = %e, "reauthorize failed; renewing instead");
                            if let Some(u) = &url
                                && let Ok(renewed) = self.renew(&self.watched[i], &ws, u).await
                            {
                                self.watched[i].subscription = Some(renewed);
                            }
                        }
                    }
                    Some(LifecycleEvent::SubscriptionRemoved) => {
                        if let (Some(u), Some(ws)) = (&url, self.watched[i].subscription.clone()) {
                            self.states.remove(&ws.subscription_id);
                            match self.create(&self.watched[i], u).await {
                                Ok(new) => self.watched[i].subscription = Some(new),
                                Err(e) => tracing::warn!(error = %e, "could not recreate the removed subscription"),
                            }
                        }
                        dirty.insert(i);
                    }
                    Some(LifecycleEvent::Unknown(other)) => {
                        tracing::info!(event = %other, "unknown lifecycle event; running a delta round to be safe");
                        dirty.insert(i);
                    }
                }
            }
            let now = Instant::now();
            for (i, w) in self.watched.iter().enumerate() {
                if w.next_poll <= now {
                    dirty.insert(i);
                }
            }
        }
    }
}
