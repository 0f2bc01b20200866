#![doc = include_str!("../README.md")]
//!
//! ## Map of the crate
//!
//! | Area | Handler | Graph |
//! | --- | --- | --- |
//! | task lists: list, get, create, rename, delete, find by name, the default list, delta | [`Todo`] | [todoTaskList](https://learn.microsoft.com/graph/api/resources/todotasklist) |
//! | tasks: list (status filters), get, create, update, complete, delete, find, delta | [`Tasks`], [`TaskQuery`] | [todoTask](https://learn.microsoft.com/graph/api/resources/todotask) |
//! | checklist items | [`Checklist`] | [checklistItem](https://learn.microsoft.com/graph/api/resources/checklistitem) |
//! | linked resources | [`LinkedResources`] | [linkedResource](https://learn.microsoft.com/graph/api/resources/linkedresource) |
//! | attachments (small inline, large by upload session) | [`TaskAttachments`] | [taskFileAttachment](https://learn.microsoft.com/graph/api/resources/taskfileattachment) |
//!
//! Every handler comes from [`TodoExt`] on core's user scope. Payloads
//! ([`NewTask`], [`TaskPatch`], [`NewTaskList`]) send only what was set; dates are checked
//! and placed in a time zone before anything is sent.
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

mod ext;
mod lists;
mod models;
mod payloads;
mod tasks;

pub use ext::TodoExt;
pub use lists::{ListRef, Todo};
pub use models::{
    ChecklistItem, LinkedResource, TaskFileAttachment, TaskStatus, TodoTask, TodoTaskList, WellknownListName,
};
pub use msgraph_core::models::{
    DayOfWeek, Importance, PatternedRecurrence, RecurrencePattern, RecurrencePatternType, RecurrenceRange,
    RecurrenceRangeType, WeekIndex,
};
pub use payloads::{NewTask, NewTaskList, TaskPatch};
pub use tasks::{
    Checklist, LinkedResources, MAX_INLINE_TASK_ATTACHMENT, MAX_TASK_ATTACHMENT, TaskAttachments, TaskQuery, Tasks,
};
