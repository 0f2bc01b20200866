#![doc = include_str!("../README.md")]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

pub use msgraph_core as core;
pub use msgraph_core::{
    AccessToken, Action, ApiError, ApiVersion, AuthError, AuthErrorKind, Cloud, Continuation, Error, GraphClient,
    GraphClientBuilder, ItemStream, Page, PageStream, RequestOptions, Result, RetryPolicy, StaticTokenCredential,
    TokenCredential, TokenRequest, UserScope, WithOptions, models,
};

/// Outlook calendar: events, calendar views, responses, free/busy ([`msgraph_calendar`]).
#[cfg(feature = "calendar")]
#[cfg_attr(docsrs, doc(cfg(feature = "calendar")))]
pub use msgraph_calendar as calendar;

/// Outlook mail: messages, drafts and sending, attachments, mail folders,
/// categories, mailbox settings and triage helpers ([`msgraph_mail`]).
#[cfg(feature = "mail")]
#[cfg_attr(docsrs, doc(cfg(feature = "mail")))]
pub use msgraph_mail as mail;

/// OneDrive: files and folders by id or path, search, streaming uploads and
/// downloads, copy, sharing links, versions and delta ([`msgraph_drive`]).
#[cfg(feature = "drive")]
#[cfg_attr(docsrs, doc(cfg(feature = "drive")))]
pub use msgraph_drive as drive;

/// Microsoft To Do: task lists, tasks, checklists, linked resources,
/// attachments and delta ([`msgraph_todo`]).
#[cfg(feature = "todo")]
#[cfg_attr(docsrs, doc(cfg(feature = "todo")))]
pub use msgraph_todo as todo;

/// OneNote: notebooks, section groups, sections and pages; pages from XHTML,
/// multipart, Markdown or templates; PATCH commands, copy, search and page
/// text ([`msgraph_onenote`]).
#[cfg(feature = "onenote")]
#[cfg_attr(docsrs, doc(cfg(feature = "onenote")))]
pub use msgraph_onenote as onenote;

/// Change notifications: a framework-free webhook receiver, lifecycle events
/// and the watcher that turns notifications into delta rounds
/// ([`msgraph_notifications`]; subscriptions are in [`core::subscription`]).
#[cfg(feature = "notifications")]
#[cfg_attr(docsrs, doc(cfg(feature = "notifications")))]
pub use msgraph_notifications as notifications;

/// Durable stores: SQLite for one process, PostgreSQL with mailbox leases
/// for fleets ([`msgraph_store`]; feature `store`, and `store-postgres`).
#[cfg(feature = "store")]
#[cfg_attr(docsrs, doc(cfg(feature = "store")))]
pub use msgraph_store as store;

/// Tools for AI assistants: the catalogue of mail, calendar, OneDrive,
/// OneNote and To Do tools with JSON Schemas, and the dispatcher (`msgraph-agent`).
#[cfg(feature = "agent")]
#[cfg_attr(docsrs, doc(cfg(feature = "agent")))]
pub use msgraph_agent as agent;

/// Sign-in: device code, client secret and certificate, auth code + PKCE,
/// refresh, and the token cache ([`msgraph_auth`]).
#[cfg(feature = "auth")]
#[cfg_attr(docsrs, doc(cfg(feature = "auth")))]
pub use msgraph_auth as auth;

/// Everything an app needs in scope: the client, errors, paging, and the
/// service extension traits.
///
/// ```
/// use msgraph::prelude::*;
/// ```
pub mod prelude {
    pub use futures::{StreamExt as _, TryStreamExt as _};
    pub use msgraph_core::{
        Cloud, Continuation, Error, GraphClient, Page, Result, RetryPolicy, StaticTokenCredential, TokenCredential,
        WithOptions,
    };

    #[cfg(feature = "calendar")]
    pub use msgraph_calendar::{Calendar, CalendarExt, Event, EventPatch, NewEvent};

    #[cfg(feature = "mail")]
    pub use msgraph_mail::{
        FolderRef, MailExt, MailFolder, MailboxSettings, Message, MessageListExt, MessagePatch, MessageQuery,
        NewMessage, WellKnownFolder,
    };

    #[cfg(feature = "drive")]
    pub use msgraph_drive::{
        ConflictBehavior, DriveByIdExt, DriveExt, DriveItem, FileKind, ItemRef, ItemReference, SpecialFolder,
    };

    #[cfg(feature = "todo")]
    pub use msgraph_todo::{NewTask, TaskPatch, TaskQuery, TaskStatus, TodoExt, TodoTask, TodoTaskList};

    #[cfg(feature = "onenote")]
    pub use msgraph_onenote::{
        Notebook, OnenoteExt, OnenotePage, OnenoteSection, Part, PatchCommand, PatchTarget, SectionGroup, Template,
    };

    #[cfg(feature = "auth")]
    pub use msgraph_auth::{
        AuthorizationCodeCredential, ClientCertificate, ClientCertificateCredential, ClientSecretCredential,
        DeviceCodeCredential, FileTokenCache, MemoryTokenCache, TokenCache,
    };

    #[cfg(feature = "agent")]
    pub use msgraph_agent::{Agent, Catalogue, ToolOutput};
}
