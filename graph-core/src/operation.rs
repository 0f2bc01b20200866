//! Long-running operations: a `202 Accepted` whose `Location` or
//! `Operation-Location` header points at a status to poll (a OneDrive copy,
//! a OneNote page copy). [`Monitor`] polls it until `completed` or `failed`,
//! honouring `Retry-After`, within a bounded total wait.
//!
//! The status URL gets the access token only when it is on the client's
//! Graph host (OneNote's `/onenote/operations/{id}`); a drive copy's monitor
//! URL is pre-authenticated and elsewhere, and gets none.
//!
//! ```no_run
//! use std::time::Duration;
//! use msgraph_core::operation::Monitor;
//! # async fn run(client: msgraph_core::GraphClient, accepted: msgraph_core::Response) -> msgraph_core::Result<()> {
//! let done = Monitor::from_response(client, &accepted)?
//!     .max_wait(Duration::from_secs(120))
//!     .on_progress(|s| println!("{:?}% ", s.percent()))
//!     .wait()
//!     .await?;
//! println!("new item: {:?}", done.resource_id);
//! # Ok(()) }
//! ```

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::Method;
use serde::{Deserialize, Deserializer, Serialize};
use url::Url;

use crate::models::Additional;
use crate::request::AuthMode;
use crate::{Error, GraphClient, Request, Response, Result, Target};

crate::string_enum! {
    /// Where a long-running operation stands. Graph's services spell these
    /// differently (`inProgress` for drive, `Running` for OneNote); parsing
    /// ignores case, and values not listed here are kept as `Unknown`.
    pub enum OperationState {
        /// Not started yet.
        NotStarted => "notStarted",
        /// Running (OneNote).
        Running => "running",
        /// Running (drive).
        InProgress => "inProgress",
        /// Done: the result is in `resource_id` / `resource_location`.
        Completed => "completed",
        /// Failed: the reason is in `error`.
        Failed => "failed",
        /// Waiting (drive).
        Waiting => "waiting",
    }
}

/// The status of a long-running operation: drive's
/// [asyncJobStatus](https://learn.microsoft.com/graph/api/resources/asyncjobstatus)
/// or OneNote's [onenoteOperation](https://learn.microsoft.com/graph/api/resources/onenoteoperation).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OperationStatus {
    /// Where it stands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<OperationState>,
    /// Percent done (drive's `percentageComplete`, OneNote's `percentComplete`, a string there).
    #[serde(
        default,
        alias = "percentComplete",
        deserialize_with = "number_or_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub percentage_complete: Option<f64>,
    /// The id of the created resource, when done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<String>,
    /// The URL of the created resource, when done (OneNote).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_location: Option<String>,
    /// Details, when it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<OperationError>,
    /// A description of the status (drive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_description: Option<String>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// Why an operation failed.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OperationError {
    /// The error code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

fn number_or_string<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<f64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum N {
        Num(f64),
        Text(String),
    }
    Ok(match Option::<N>::deserialize(d)? {
        Some(N::Num(n)) => Some(n),
        Some(N::Text(s)) => s.trim().trim_end_matches('%').parse().ok(),
        None => None,
    })
}

impl OperationStatus {
    /// True when the operation completed.
    pub fn is_completed(&self) -> bool {
        self.status == Some(OperationState::Completed)
    }

    /// True when the operation failed.
    pub fn is_failed(&self) -> bool {
        self.status == Some(OperationState::Failed)
    }

    /// Percent done, when Graph says.
    pub fn percent(&self) -> Option<f64> {
        self.percentage_complete
    }

    /// The failure's message, or a generic one.
    pub fn error_message(&self) -> String {
        match &self.error {
            Some(OperationError { code, message, .. }) => match (code, message) {
                (Some(c), Some(m)) => format!("{c}: {m}"),
                (Some(c), None) => c.clone(),
                (None, Some(m)) => m.clone(),
                (None, None) => "no details given".to_owned(),
            },
            None => self.status_description.clone().unwrap_or_else(|| "no details given".to_owned()),
        }
    }
}

type OnProgress = Arc<dyn Fn(&OperationStatus) + Send + Sync>;

/// Polls a long-running operation's status URL; see the [module](self) docs.
#[must_use = "a monitor does nothing until waited on"]
pub struct Monitor {
    client: GraphClient,
    url: Url,
    interval: Duration,
    max_wait: Duration,
    progress: Option<OnProgress>,
}

impl fmt::Debug for Monitor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // the URL may be pre-authenticated: only its host
        f.debug_struct("Monitor")
            .field("host", &self.url.host_str())
            .field("interval", &self.interval)
            .field("max_wait", &self.max_wait)
            .finish_non_exhaustive()
    }
}

impl Monitor {
    /// A monitor of the status at `url` (absolute, https or loopback http;
    /// anything else is refused before anything is sent).
    pub fn new(client: GraphClient, url: &str) -> Result<Self> {
        let url = Url::parse(url).map_err(|_| Error::invalid_input("the operation's status URL is not a URL"))?;
        crate::client::check_scheme(&url)?;
        Ok(Monitor {
            client,
            url,
            interval: Duration::from_secs(1),
            max_wait: Duration::from_secs(300),
            progress: None,
        })
    }

    /// The monitor of a `202 Accepted`: its `Operation-Location`, else its
    /// `Location` (relative values are resolved against the answer's URL).
    pub fn from_response(client: GraphClient, accepted: &Response) -> Result<Self> {
        let link = accepted
            .header("operation-location")
            .or_else(|| accepted.header("location"))
            .ok_or_else(|| Error::Paging("the 202 answer has no Location or Operation-Location header".into()))?;
        let url =
            accepted.url().join(link).map_err(|_| Error::invalid_input("the operation's status URL is not a URL"))?;
        Self::new(client, url.as_str())
    }

    /// Time between polls when the server gives no `Retry-After` (default 1 s).
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// The longest total wait before giving up with [`Error::Timeout`]
    /// (default 5 minutes).
    pub fn max_wait(mut self, max: Duration) -> Self {
        self.max_wait = max;
        self
    }

    /// Called with every status read.
    pub fn on_progress(mut self, f: impl Fn(&OperationStatus) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(f));
        self
    }

    /// Reads the status once; also the server's `Retry-After`, if any.
    async fn poll(&self) -> Result<(OperationStatus, Option<Duration>)> {
        let request = Request::new(Method::GET, Target::Url(self.url.clone())).auth(AuthMode::IfTrusted);
        let response = self.client.execute(request).await?;
        let retry_after =
            response.header("retry-after").and_then(|v| crate::retry::parse_retry_after(v, chrono::Utc::now()));
        let mut status: OperationStatus = response.json()?;
        // A finished drive copy may redirect to the new item itself.
        if status.status.is_none()
            && let Some(id) = status.additional.get("id").and_then(|v| v.as_str())
        {
            status.resource_id = Some(id.to_owned());
            status.status = Some(OperationState::Completed);
        }
        Ok((status, retry_after))
    }

    /// Reads the status once.
    pub async fn status(&self) -> Result<OperationStatus> {
        self.poll().await.map(|(s, _)| s)
    }

    /// Polls until `completed` (the status, with `resource_id` /
    /// `resource_location`) or `failed` ([`Error::OperationFailed`]), or
    /// until the total wait is used up ([`Error::Timeout`]).
    pub async fn wait(self) -> Result<OperationStatus> {
        let started = tokio::time::Instant::now();
        loop {
            let (status, retry_after) = self.poll().await?;
            if let Some(p) = &self.progress {
                p(&status);
            }
            if status.is_completed() {
                return Ok(status);
            }
            if status.is_failed() {
                return Err(Error::OperationFailed(Box::new(status)));
            }
            let elapsed = started.elapsed();
            let wait = retry_after.unwrap_or(self.interval);
            if elapsed.saturating_add(wait) > self.max_wait {
                return Err(Error::Timeout {
                    message: format!(
                        "the long-running operation did not finish within {:?} (last status: {:?})",
                        self.max_wait,
                        status.status.as_ref().map(OperationState::as_str)
                    ),
                });
            }
            tokio::time::sleep(wait).await;
        }
    }
}
