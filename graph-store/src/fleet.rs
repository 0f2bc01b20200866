//! [`Fleet`]: a worker of a fleet that splits many mailboxes between
//! processes through [`PostgresStore`] leases and runs delta rounds of each
//! held mailbox's inbox.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use msgraph_core::delta::{Change, DeltaSync};
use msgraph_core::{Error, GraphClient, Result};
use msgraph_mail::{MailExt as _, Message};
use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::error::is_lease_lost;
use crate::postgres::{Lease, LeaseWorker, Notifications, PostgresStore};

/// A snapshot of a [`Fleet`] worker's counters, from [`Fleet::stats`].
/// Counters only grow; `held` and `in_flight` are the current values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct FleetStats {
    /// Delta rounds handed to the handler and committed.
    pub rounds: u64,
    /// Changes handed to the handler (a change handed again after a failed
    /// commit or a takeover counts again).
    pub changes: u64,
    /// Rounds that failed: Graph errors, handler errors, store errors (the
    /// token did not move; the mailbox is retried with a backoff).
    pub errors: u64,
    /// Leases this worker claimed (new fencing tokens).
    pub claimed: u64,
    /// Claims that took a mailbox over from another worker (its lease had
    /// expired or was released): lease moves into this worker.
    pub taken_over: u64,
    /// Leases this worker lost (expired, taken, or the mailbox removed):
    /// lease moves out of this worker.
    pub lost: u64,
    /// Leases given back (shutdown).
    pub released: u64,
    /// `LISTEN/NOTIFY` notifications received for held mailboxes.
    pub notifications: u64,
    /// Mailboxes held now.
    pub held: u64,
    /// Rounds in flight now.
    pub in_flight: u64,
}

impl FleetStats {
    /// Lease moves seen by this worker: takeovers plus losses.
    pub fn lease_moves(&self) -> u64 {
        self.taken_over + self.lost
    }
}

#[derive(Debug, Default)]
struct Counters {
    rounds: AtomicU64,
    changes: AtomicU64,
    errors: AtomicU64,
    claimed: AtomicU64,
    taken_over: AtomicU64,
    lost: AtomicU64,
    released: AtomicU64,
    notifications: AtomicU64,
    held: AtomicU64,
    in_flight: AtomicU64,
}

fn add(counter: &AtomicU64, n: u64) {
    counter.fetch_add(n, Ordering::Relaxed);
}

/// Options of a [`Fleet`] worker; from [`Fleet::builder`].
#[must_use]
#[derive(Debug, Clone)]
pub struct FleetBuilder {
    store: PostgresStore,
    client: GraphClient,
    worker_id: String,
    max_mailboxes: usize,
    concurrency: usize,
    poll_every: Duration,
    lease_ttl: Duration,
    claim_every: Duration,
    claim_batch: usize,
    folder: String,
    max_page_size: Option<u32>,
}

impl FleetBuilder {
    /// The most mailboxes this worker holds at once (default 100). Give
    /// the workers room to take over a dead worker's share: with M workers
    /// and N mailboxes, more than N / (M - 1).
    pub fn max_mailboxes(mut self, n: usize) -> Self {
        self.max_mailboxes = n.max(1);
        self
    }

    /// How many delta rounds this worker runs at once, across its mailboxes
    /// (default 8; one round per mailbox at a time whatever the limit).
    pub fn concurrency(mut self, k: usize) -> Self {
        self.concurrency = k.max(1);
        self
    }

    /// A round for every held mailbox this often even without a
    /// notification (default 60 s): the safety net for missed notifications.
    pub fn poll_every(mut self, every: Duration) -> Self {
        self.poll_every = every.max(Duration::from_millis(10));
        self
    }

    /// How long a claim or renewal holds (default 30 s); renewed every third
    /// of it. A worker killed without shutdown leaves its mailboxes to the
    /// others after at most this long.
    pub fn lease_ttl(mut self, ttl: Duration) -> Self {
        self.lease_ttl = ttl.max(Duration::from_millis(300));
        self
    }

    /// How often to look for mailboxes to claim (default 1 s): unowned ones,
    /// new ones in the table, expired leases of dead workers.
    pub fn claim_every(mut self, every: Duration) -> Self {
        self.claim_every = every.max(Duration::from_millis(10));
        self
    }

    /// The most mailboxes one claim takes (default 25), so workers starting
    /// together share the mailboxes instead of the first taking them all.
    pub fn claim_batch(mut self, n: usize) -> Self {
        self.claim_batch = n.max(1);
        self
    }

    /// The mail folder whose messages are synced (default `inbox`; an id or
    /// a well-known name). Its delta token is kept under this name in the
    /// mailbox's fenced state ([`PostgresStore::mailbox_key`]`(mailbox, folder)`).
    pub fn folder(mut self, folder: impl Into<String>) -> Self {
        self.folder = folder.into();
        self
    }

    /// `Prefer: odata.maxpagesize` for the delta pages (default: Graph's).
    pub fn max_page_size(mut self, n: u32) -> Self {
        self.max_page_size = Some(n);
        self
    }

    /// The worker, ready to [`run`](Fleet::run).
    pub fn build(self) -> Fleet {
        let worker = self.store.worker(self.worker_id.clone()).ttl(self.lease_ttl);
        Fleet { inner: Arc::new(Inner { cfg: self, worker, counters: Counters::default() }) }
    }

    /// Builds the worker and runs it: see [`Fleet::run`].
    pub async fn run<F, Fut, S>(self, handler: F, shutdown: S) -> Result<()>
    where
        F: Fn(String, Vec<Change<Message>>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<()>> + Send + 'static,
        S: Future<Output = ()>,
    {
        self.build().run(handler, shutdown).await
    }
}

/// One worker of a fleet watching many mailboxes with app-only credentials.
///
/// Run one per process (or several per process, with distinct ids) against
/// a shared [`PostgresStore`]. Each worker:
///
/// - **claims** mailboxes from the store's table
///   ([`add_mailboxes`](PostgresStore::add_mailboxes)) up to
///   [`max_mailboxes`](FleetBuilder::max_mailboxes), a
///   [batch](FleetBuilder::claim_batch) at a time, every
///   [`claim_every`](FleetBuilder::claim_every): unowned mailboxes, mailboxes
///   added at run time, and the expired leases of dead workers;
/// - **renews** its leases every third of the
///   [time to live](FleetBuilder::lease_ttl) and **drops** a mailbox whose
///   lease it lost (taken over, or the mailbox removed from the table);
/// - runs **delta rounds** of each held mailbox's inbox
///   (`/users/{mailbox}/mailFolders/inbox/messages/delta`, msgraph-mail's
///   [`Messages::delta`](msgraph_mail::Messages::delta)), at most
///   [`concurrency`](FleetBuilder::concurrency) at once, each mailbox every
///   [`poll_every`](FleetBuilder::poll_every) and at once when a
///   notification for it arrives through `LISTEN/NOTIFY`
///   ([`PostgresStore::notify`], e.g. from the webhook receiver);
/// - hands each round's changes to the handler **before** committing the
///   delta token, through the lease's [`FencedStore`](crate::FencedStore):
///   a worker that lost its lease cannot move the token its successor moved.
///   A round whose lease has less than a third of its time to live left is
///   not handed over (it runs again under a fresh renewal or by the next
///   holder), so two workers' handlers do not work on one mailbox at once;
/// - on shutdown, starts no new round, lets the rounds in flight finish and
///   commit, and releases its leases so the others take them at once.
///
/// There is no rebalancing: a worker that joins later takes only unowned
/// mailboxes and expired leases, so size `max_mailboxes` for the share you
/// want and start the workers before filling the table (or together).
///
/// **Delivery is at least once.** A change is handed over, then its token
/// committed; a crash, a lost lease, a failed handler or a lost database
/// connection between the two leaves the old token, and the next round (by
/// this worker or the next holder) hands the change over again. Make the
/// handler idempotent (the message id is a natural key).
///
/// ```no_run
/// use std::time::Duration;
/// use msgraph_core::delta::Change;
/// use msgraph_store::{Fleet, PostgresStore};
///
/// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
/// let store = PostgresStore::connect("postgres://msgraph:secret@db.internal/msgraph").await?;
/// store.add_mailboxes(["ada@contoso.com", "grace@contoso.com"]).await?;
/// let fleet = Fleet::builder(store, client, "worker-1").max_mailboxes(500).concurrency(16).build();
/// fleet
///     .run(
///         |mailbox, changes| async move {
///             for change in changes {
///                 if let Change::Upserted(m) = change {
///                     println!("{mailbox}: {:?}", m.subject);
///                 }
///             }
///             Ok(())
///         },
///         std::future::pending::<()>(), // e.g. a SIGTERM or ctrl-c future
///     )
///     .await?;
/// println!("{:?}", fleet.stats());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Fleet {
    inner: Arc<Inner>,
}

struct Inner {
    cfg: FleetBuilder,
    worker: LeaseWorker,
    counters: Counters,
}

impl std::fmt::Debug for Fleet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fleet")
            .field("worker", &self.inner.cfg.worker_id)
            .field("max_mailboxes", &self.inner.cfg.max_mailboxes)
            .field("concurrency", &self.inner.cfg.concurrency)
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

/// A held mailbox.
struct Held {
    lease: Lease,
    /// When the lease ends by this process's clock (measured from before the
    /// claim or renewal was sent, so never later than the database's).
    valid_until: Arc<Mutex<Instant>>,
    in_flight: bool,
    /// A notification came (or the lease is new): run a round as soon as possible.
    dirty: bool,
    next_round: Instant,
    failures: u32,
}

enum Outcome {
    /// Handed over and committed: the number of changes.
    Done(usize),
    /// Not handed over: the lease was too close to its end.
    Skipped,
    Failed(Error),
}

impl Fleet {
    /// A worker named `worker_id` (unique in the fleet, e.g. host name and
    /// process id) of the fleet sharing `store`, reading mail with `client`
    /// (app-only credentials: the mailboxes are `/users/{mailbox}`).
    pub fn builder(store: PostgresStore, client: GraphClient, worker_id: impl Into<String>) -> FleetBuilder {
        FleetBuilder {
            store,
            client,
            worker_id: worker_id.into(),
            max_mailboxes: 100,
            concurrency: 8,
            poll_every: Duration::from_secs(60),
            lease_ttl: Duration::from_secs(30),
            claim_every: Duration::from_secs(1),
            claim_batch: 25,
            folder: "inbox".into(),
            max_page_size: None,
        }
    }

    /// The worker's id.
    pub fn worker_id(&self) -> &str {
        &self.inner.cfg.worker_id
    }

    /// The counters now (also while [`run`](Self::run) goes on, from a clone).
    pub fn stats(&self) -> FleetStats {
        let c = &self.inner.counters;
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        FleetStats {
            rounds: get(&c.rounds),
            changes: get(&c.changes),
            errors: get(&c.errors),
            claimed: get(&c.claimed),
            taken_over: get(&c.taken_over),
            lost: get(&c.lost),
            released: get(&c.released),
            notifications: get(&c.notifications),
            held: get(&c.held),
            in_flight: get(&c.in_flight),
        }
    }

    /// Runs the worker until `shutdown` completes, then finishes the rounds
    /// in flight, commits them and releases the leases.
    ///
    /// `handler` gets each round's changes of a mailbox (created, updated and
    /// removed messages of the folder; never an empty list) and answers
    /// whether it took them: on `Ok` the delta token moves, on `Err` it
    /// stays and the changes come again in a later round. Rounds of
    /// different mailboxes run concurrently; one mailbox's rounds never
    /// overlap.
    ///
    /// Errors of single rounds and of the database are logged, counted and
    /// retried; `run` itself fails only when the lease table cannot be read
    /// at all at start.
    pub async fn run<F, Fut, S>(&self, handler: F, shutdown: S) -> Result<()>
    where
        F: Fn(String, Vec<Change<Message>>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<()>> + Send + 'static,
        S: Future<Output = ()>,
    {
        let cfg = &self.inner.cfg;
        let worker = &self.inner.worker;
        let counters = &self.inner.counters;
        let handler = Arc::new(handler);
        let ttl = cfg.lease_ttl;
        let renew_every = ttl / 3;
        // this worker's leases from an earlier life (same id, restarted within the ttl)
        let found = worker.held().await?;
        if !found.is_empty() {
            tracing::info!(worker = %cfg.worker_id, leases = found.len(), "releasing the leases of an earlier run");
            worker.release(&found).await?;
        }
        let mut listener: Option<Notifications> = match worker.listen().await {
            Ok(n) => Some(n),
            Err(e) => {
                tracing::warn!(worker = %cfg.worker_id, error = %e, "LISTEN failed; polling until it works");
                None
            }
        };
        let mut held: BTreeMap<String, Held> = BTreeMap::new();
        let mut rounds: JoinSet<(String, i64, Outcome)> = JoinSet::new();
        // which mailbox each round task is for (to recover from a panicking handler)
        let mut tasks: HashMap<tokio::task::Id, String> = HashMap::new();
        let mut claim_tick = tokio::time::interval(cfg.claim_every);
        claim_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut renew_tick = tokio::time::interval_at(Instant::now() + renew_every, renew_every);
        renew_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut stopping = false;
        tokio::pin!(shutdown);
        tracing::info!(worker = %cfg.worker_id, max = cfg.max_mailboxes, concurrency = cfg.concurrency, "fleet worker started");

        loop {
            if !stopping {
                self.start_due(&mut held, &mut rounds, &mut tasks, &handler);
            }
            if stopping && rounds.is_empty() {
                break;
            }
            let next_due = held
                .values()
                .filter(|h| !h.in_flight)
                .map(|h| if h.dirty { Instant::now() } else { h.next_round })
                .min()
                .filter(|_| !stopping && rounds.len() < cfg.concurrency)
                .unwrap_or_else(|| Instant::now() + Duration::from_secs(3600));
            tokio::select! {
                biased;
                () = &mut shutdown, if !stopping => {
                    tracing::info!(worker = %cfg.worker_id, in_flight = rounds.len(), "shutting down: finishing the rounds in flight");
                    stopping = true;
                    listener = None;
                }
                _ = renew_tick.tick() => self.renew(&mut held).await,
                _ = claim_tick.tick(), if !stopping => {
                    if listener.is_none() {
                        match worker.listen().await {
                            Ok(n) => {
                                tracing::info!(worker = %cfg.worker_id, "listening again; a round for every held mailbox");
                                listener = Some(n);
                                for h in held.values_mut() {
                                    h.dirty = true;
                                }
                            }
                            Err(e) => tracing::debug!(worker = %cfg.worker_id, error = %e, "LISTEN still failing"),
                        }
                    }
                    self.claim(&mut held).await;
                }
                Some(joined) = rounds.join_next(), if !rounds.is_empty() => {
                    counters.in_flight.fetch_sub(1, Ordering::Relaxed);
                    match joined {
                        Ok((mailbox, fence, outcome)) => {
                            tasks.retain(|_, m| *m != mailbox);
                            self.finished(&mut held, mailbox, fence, outcome)
                        }
                        Err(e) => {
                            // the handler panicked: the token did not move; retry later
                            add(&counters.errors, 1);
                            tracing::error!(worker = %cfg.worker_id, error = %e, "a round panicked");
                            if let Some(h) = tasks.remove(&e.id()).and_then(|m| held.get_mut(&m)) {
                                h.in_flight = false;
                                h.next_round = Instant::now() + cfg.poll_every;
                            }
                        }
                    }
                }
                n = async {
                    match listener.as_mut() {
                        Some(l) => l.recv().await,
                        None => std::future::pending().await,
                    }
                } => match n {
                    Some(n) => {
                        if let Some(h) = held.get_mut(&n.mailbox) {
                            add(&counters.notifications, 1);
                            tracing::debug!(worker = %cfg.worker_id, mailbox = %n.mailbox, "notified");
                            h.dirty = true;
                        }
                    }
                    None => {
                        tracing::warn!(worker = %cfg.worker_id, "the LISTEN connection closed; listening again at the next claim");
                        listener = None;
                    }
                },
                () = tokio::time::sleep_until(next_due) => {}
            }
        }

        let leases: Vec<Lease> = held.values().map(|h| h.lease.clone()).collect();
        match worker.release(&leases).await {
            Ok(n) => {
                add(&counters.released, n);
                tracing::info!(worker = %cfg.worker_id, released = n, "fleet worker stopped; leases released");
            }
            Err(e) => {
                tracing::warn!(worker = %cfg.worker_id, error = %e, "releasing the leases failed; they expire on their own")
            }
        }
        counters.held.store(0, Ordering::Relaxed);
        Ok(())
    }

    /// Starts the due rounds, oldest first, up to the concurrency limit.
    fn start_due<F, Fut>(
        &self,
        held: &mut BTreeMap<String, Held>,
        rounds: &mut JoinSet<(String, i64, Outcome)>,
        tasks: &mut HashMap<tokio::task::Id, String>,
        handler: &Arc<F>,
    ) where
        F: Fn(String, Vec<Change<Message>>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<()>> + Send + 'static,
    {
        let cfg = &self.inner.cfg;
        let slots = cfg.concurrency.saturating_sub(rounds.len());
        if slots == 0 {
            return;
        }
        let now = Instant::now();
        let mut due: Vec<(bool, Instant, String)> = held
            .iter()
            .filter(|(_, h)| !h.in_flight && (h.dirty || h.next_round <= now))
            .map(|(m, h)| (!h.dirty, h.next_round, m.clone()))
            .collect();
        due.sort();
        for (_, _, mailbox) in due.into_iter().take(slots) {
            let Some(h) = held.get_mut(&mailbox) else { continue };
            h.in_flight = true;
            h.dirty = false;
            add(&self.inner.counters.in_flight, 1);
            let lease = h.lease.clone();
            let valid_until = h.valid_until.clone();
            let this = self.clone();
            let handler = handler.clone();
            let task = rounds.spawn(async move {
                let fence = lease.fence;
                let outcome = this.round(lease.clone(), valid_until, handler).await;
                (lease.mailbox, fence, outcome)
            });
            tasks.insert(task.id(), mailbox);
        }
    }

    /// One delta round of a held mailbox: fetch, hand over, commit.
    async fn round<F, Fut>(&self, lease: Lease, valid_until: Arc<Mutex<Instant>>, handler: Arc<F>) -> Outcome
    where
        F: Fn(String, Vec<Change<Message>>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<()>> + Send + 'static,
    {
        let cfg = &self.inner.cfg;
        let state = Arc::new(cfg.store.fenced(&lease));
        let mut sync: DeltaSync<Message> = cfg
            .client
            .user(lease.mailbox.as_str())
            .messages()
            .delta(cfg.folder.as_str())
            .store(state, cfg.folder.as_str());
        if let Some(n) = cfg.max_page_size {
            sync = sync.max_page_size(n);
        }
        let mut round = match sync.run().await {
            Ok(r) => r,
            Err(e) => return Outcome::Failed(e),
        };
        let margin = cfg.lease_ttl / 3;
        let until = *valid_until.lock().unwrap_or_else(|p| p.into_inner());
        if until.saturating_duration_since(Instant::now()) < margin {
            return Outcome::Skipped;
        }
        let changes = round.take_changes();
        let n = changes.len();
        if n > 0 {
            add(&self.inner.counters.changes, n as u64);
            if let Err(e) = handler(lease.mailbox.clone(), changes).await {
                return Outcome::Failed(e);
            }
        }
        match round.commit().await {
            Ok(()) => Outcome::Done(n),
            Err(e) => Outcome::Failed(e),
        }
    }

    /// Books a finished round and schedules the mailbox's next one.
    fn finished(&self, held: &mut BTreeMap<String, Held>, mailbox: String, fence: i64, outcome: Outcome) {
        let cfg = &self.inner.cfg;
        let counters = &self.inner.counters;
        let Some(h) = held.get_mut(&mailbox).filter(|h| h.lease.fence == fence) else {
            // dropped (lease lost) while the round ran, or claimed again under a new lease
            if let Some(h) = held.get_mut(&mailbox) {
                h.in_flight = false;
            }
            if let Outcome::Failed(e) = &outcome
                && !is_lease_lost(e)
            {
                add(&counters.errors, 1);
            }
            return;
        };
        h.in_flight = false;
        let now = Instant::now();
        match outcome {
            Outcome::Done(n) => {
                add(&counters.rounds, 1);
                h.failures = 0;
                h.next_round = now + cfg.poll_every;
                tracing::debug!(worker = %cfg.worker_id, mailbox = %mailbox, changes = n, "round committed");
            }
            Outcome::Skipped => {
                tracing::debug!(worker = %cfg.worker_id, mailbox = %mailbox, "lease near its end; round not handed over");
                h.next_round = now + cfg.lease_ttl / 10;
            }
            Outcome::Failed(e) if is_lease_lost(&e) => {
                tracing::info!(worker = %cfg.worker_id, mailbox = %mailbox, "lease lost; dropping the mailbox");
                held.remove(&mailbox);
                add(&counters.lost, 1);
                counters.held.store(held.len() as u64, Ordering::Relaxed);
            }
            Outcome::Failed(e) => {
                add(&counters.errors, 1);
                h.failures += 1;
                let backoff = Duration::from_millis(250).saturating_mul(1 << h.failures.min(10)).min(cfg.poll_every);
                h.next_round = now + backoff;
                tracing::warn!(worker = %cfg.worker_id, mailbox = %mailbox, error = %e, failures = h.failures, "round failed; the token did not move");
            }
        }
    }

    /// Renews the held leases; drops those that moved.
    async fn renew(&self, held: &mut BTreeMap<String, Held>) {
        let cfg = &self.inner.cfg;
        let counters = &self.inner.counters;
        if held.is_empty() {
            return;
        }
        let sent = Instant::now();
        let leases: Vec<Lease> = held.values().map(|h| h.lease.clone()).collect();
        match self.inner.worker.renew(&leases).await {
            Ok(renewed) => {
                let kept: BTreeMap<String, i64> = renewed.into_iter().map(|l| (l.mailbox, l.fence)).collect();
                held.retain(|mailbox, h| {
                    if kept.get(mailbox) == Some(&h.lease.fence) {
                        *h.valid_until.lock().unwrap_or_else(|p| p.into_inner()) = sent + cfg.lease_ttl;
                        true
                    } else {
                        tracing::info!(worker = %cfg.worker_id, mailbox = %mailbox, "lease moved; dropping the mailbox");
                        // a round in flight must not hand its changes over any more
                        *h.valid_until.lock().unwrap_or_else(|p| p.into_inner()) = Instant::now();
                        add(&counters.lost, 1);
                        false
                    }
                });
            }
            Err(e) => {
                tracing::warn!(worker = %cfg.worker_id, error = %e, "renewing the leases failed");
                // a lease past its end may be another worker's by now
                let now = Instant::now();
                held.retain(|mailbox, h| {
                    let live = *h.valid_until.lock().unwrap_or_else(|p| p.into_inner()) > now;
                    if !live {
                        tracing::info!(worker = %cfg.worker_id, mailbox = %mailbox, "lease expired unrenewed; dropping the mailbox");
                        add(&counters.lost, 1);
                    }
                    live
                });
            }
        }
        counters.held.store(held.len() as u64, Ordering::Relaxed);
    }

    /// Claims mailboxes up to the limit, a batch at a time.
    async fn claim(&self, held: &mut BTreeMap<String, Held>) {
        let cfg = &self.inner.cfg;
        let counters = &self.inner.counters;
        let room = cfg.max_mailboxes.saturating_sub(held.len()).min(cfg.claim_batch);
        if room == 0 {
            return;
        }
        let sent = Instant::now();
        match self.inner.worker.claim(room).await {
            Ok(leases) => {
                for lease in leases {
                    add(&counters.claimed, 1);
                    // a lease of ours that expired and came back: a round may still be in flight
                    let in_flight = held.get(&lease.mailbox).is_some_and(|h| h.in_flight);
                    if lease.previous_owner.as_deref().is_some_and(|p| p != cfg.worker_id) {
                        add(&counters.taken_over, 1);
                    }
                    held.insert(
                        lease.mailbox.clone(),
                        Held {
                            lease,
                            valid_until: Arc::new(Mutex::new(sent + cfg.lease_ttl)),
                            in_flight,
                            dirty: true,
                            next_round: sent,
                            failures: 0,
                        },
                    );
                }
            }
            Err(e) => tracing::warn!(worker = %cfg.worker_id, error = %e, "claiming mailboxes failed"),
        }
        counters.held.store(held.len() as u64, Ordering::Relaxed);
    }
}
