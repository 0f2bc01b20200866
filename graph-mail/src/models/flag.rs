use msgraph_core::models::{Additional, DateTimeTimeZone};
use serde::{Deserialize, Serialize};

msgraph_core::string_enum! {
    /// Follow-up state of a message
    /// ([followupFlagStatus](https://learn.microsoft.com/graph/api/resources/followupflag)).
    pub enum FollowupFlagStatus {
        /// `notFlagged`: no follow-up.
        NotFlagged => "notFlagged",
        /// `complete`: the follow-up is done.
        Complete => "complete",
        /// `flagged`: flagged for follow-up.
        Flagged => "flagged",
    }
}

/// A follow-up flag on a message
/// ([followupFlag](https://learn.microsoft.com/graph/api/resources/followupflag)).
///
/// Build one to send with [`FollowupFlag::flagged`], [`FollowupFlag::complete`]
/// or [`FollowupFlag::not_flagged`]; only what is set is serialized.
///
/// ```
/// use msgraph_mail::FollowupFlag;
/// let flag = FollowupFlag::flagged();
/// assert_eq!(serde_json::to_string(&flag).unwrap(), r#"{"flagStatus":"flagged"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FollowupFlag {
    /// When the follow-up was finished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_date_time: Option<DateTimeTimeZone>,
    /// When the follow-up is due. Graph answers 400 unless
    /// [`start_date_time`](Self::start_date_time) is set too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date_time: Option<DateTimeTimeZone>,
    /// `notFlagged`, `complete` or `flagged`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag_status: Option<FollowupFlagStatus>,
    /// When the follow-up begins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date_time: Option<DateTimeTimeZone>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

impl FollowupFlag {
    /// A flag with status `flagged`.
    pub fn flagged() -> Self {
        Self::with_status(FollowupFlagStatus::Flagged)
    }

    /// A flag with status `complete`.
    pub fn complete() -> Self {
        Self::with_status(FollowupFlagStatus::Complete)
    }

    /// A flag with status `notFlagged` (clears the flag).
    pub fn not_flagged() -> Self {
        Self::with_status(FollowupFlagStatus::NotFlagged)
    }

    fn with_status(status: FollowupFlagStatus) -> Self {
        FollowupFlag { flag_status: Some(status), ..Default::default() }
    }

    /// Sets the start and due times (Graph needs both to set a due date).
    pub fn due(mut self, start: DateTimeTimeZone, due: DateTimeTimeZone) -> Self {
        self.start_date_time = Some(start);
        self.due_date_time = Some(due);
        self
    }

    /// Sets when the follow-up was completed.
    pub fn completed_at(mut self, at: DateTimeTimeZone) -> Self {
        self.completed_date_time = Some(at);
        self
    }

    /// True when the status is `flagged`.
    pub fn is_flagged(&self) -> bool {
        self.flag_status == Some(FollowupFlagStatus::Flagged)
    }
}
