#![doc = include_str!("../README.md")]
//!
//! ## Map of the crate
//!
//! | Area | Handler | Graph |
//! | --- | --- | --- |
//! | messages: list, search, get, drafts, send, reply, forward, update, move, copy, delete | [`Messages`] | [message](https://learn.microsoft.com/graph/api/resources/message) |
//! | attachments: list, get, download, add, delete; large files (3–150 MB) by upload session | [`Attachments`], [`Messages::add_large_attachment`] | [attachment](https://learn.microsoft.com/graph/api/resources/attachment) |
//! | mail folders: list, tree, get, create, rename, delete | [`MailFolders`] | [mailFolder](https://learn.microsoft.com/graph/api/resources/mailfolder) |
//! | master categories: list, create, delete | [`MasterCategories`] | [outlookCategory](https://learn.microsoft.com/graph/api/resources/outlookcategory) |
//! | mailbox settings: time zone, automatic replies, working hours, language | [`MailboxSettingsHandler`] | [mailboxSettings](https://learn.microsoft.com/graph/api/resources/mailboxsettings) |
//! | triage: thread context, reply state, conversation index | [`Triage`], [`ConversationIndex`] | |
//!
//! Every handler comes from [`MailExt`], implemented for core's
//! [`UserScope`](msgraph_core::UserScope) (`client.me()`, `client.user(id)`).
//! Lists return a core [`ListBuilder`](msgraph_core::ListBuilder) (a list of
//! messages narrows to a folder with [`MessageListExt::folder`]); gets return a
//! [`GetBuilder`](msgraph_core::GetBuilder); an operation without parameters
//! of its own is a core [`Action`](msgraph_core::Action), the others a
//! builder; all run on `.send().await` or `.await` and share the per-request
//! options of [`WithOptions`](msgraph_core::WithOptions) (headers, time
//! zone, immutable ids, body type, `client-request-id`, `prefer_minimal`).
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

mod attachments;
mod categories;
mod ext;
mod folders;
mod large_attachment;
mod messages;
pub mod models;
mod settings;
pub mod triage;
mod validate;

pub use attachments::Attachments;
pub use categories::MasterCategories;
pub use ext::MailExt;
pub use folders::{CreateFolder, FolderTree, MAX_FOLDER_DEPTH, MailFolders};
pub use large_attachment::{AddLargeAttachment, MAX_LARGE_ATTACHMENT_BYTES, UploadedAttachment};
pub use messages::{
    CreateDraft, CreateForward, CreateReply, Forward, MessageListExt, MessageQuery, Messages, Reply, SendMail,
};
pub use models::*;
pub use settings::MailboxSettingsHandler;
pub use triage::{
    ChildBlock, ConversationIndex, ConversationIndexError, MailChange, MoveTracker, RepliesSince, ReplyIndex,
    ReplyState, ReplyStateRequest, TRIAGE_SELECT, ThreadContext, Triage,
};
pub use validate::{MAX_CATEGORY_LEN, MAX_INLINE_ATTACHMENT_BYTES};
