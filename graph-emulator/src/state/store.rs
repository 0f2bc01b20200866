//! The emulator's state: the tenant's users, one mailbox per user (folders,
//! messages, categories, settings, calendars, events), sign-in state and
//! delta tokens. Everything lives in memory behind one mutex; handlers take
//! the lock, do their work synchronously and release it.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde_json::{Map, Value};

use crate::errors::{ApiResult, GraphError};
use crate::state::auth::AuthState;
use crate::state::delta::DeltaRegistry;
use crate::state::ids::{IdGen, IdKind, is_well_formed};

/// A JSON object.
pub(crate) type Obj = Map<String, Value>;

/// A user of the tenant.
#[derive(Debug, Clone)]
pub(crate) struct UserRec {
    pub id: String,
    pub upn: String,
    pub mail: String,
    pub display_name: String,
    /// The full `microsoft.graph.user` resource (without `id`).
    pub profile: Obj,
}

/// A mail folder.
#[derive(Debug, Clone)]
pub(crate) struct FolderRec {
    pub id: String,
    pub display_name: String,
    /// `None` only for the root (`msgfolderroot`).
    pub parent_id: Option<String>,
    /// The well-known name (`inbox`, `sentitems`, ...), lowercase.
    pub well_known: Option<&'static str>,
    pub is_hidden: bool,
}

/// A message; `data` holds its Graph properties except the ones derived on
/// output (`id`, `parentFolderId`, `hasAttachments`, `bodyPreview`, `changeKey`).
#[derive(Debug, Clone)]
pub(crate) struct MessageRec {
    pub id: String,
    pub folder_id: String,
    pub data: Obj,
    pub attachments: Vec<AttachmentRec>,
    /// When it entered its folder (delta: "created").
    pub created_seq: u64,
    /// When it last changed (delta: "updated").
    pub changed_seq: u64,
}

/// A file attachment (or an item/reference attachment kept as JSON).
#[derive(Debug, Clone)]
pub(crate) struct AttachmentRec {
    pub id: String,
    /// Graph properties except `contentBytes`.
    pub data: Obj,
    pub content: Vec<u8>,
}

/// A message that left a folder: delta reports it as `@removed`.
#[derive(Debug, Clone)]
pub(crate) struct Tombstone {
    pub folder_id: String,
    pub id: String,
    pub seq: u64,
}

/// An Outlook master category.
#[derive(Debug, Clone)]
pub(crate) struct CategoryRec {
    pub id: String,
    pub display_name: String,
    pub color: String,
}

/// A calendar.
#[derive(Debug, Clone)]
pub(crate) struct CalendarRec {
    pub id: String,
    pub name: String,
    pub color: String,
    pub is_default: bool,
    pub can_edit: bool,
    pub changed_seq: u64,
}

/// An event (single instance or series master). Times are kept as wall
/// time in the zone they were given in, like Exchange does, so recurrences
/// keep their local time across DST changes.
#[derive(Debug, Clone)]
pub(crate) struct EventRec {
    pub id: String,
    pub calendar_id: String,
    pub data: Obj,
    pub start: NaiveDateTime,
    pub start_tz: String,
    pub end: NaiveDateTime,
    pub end_tz: String,
    /// Occurrences of a series deleted one by one (local start dates).
    pub cancelled_occurrences: Vec<NaiveDate>,
    pub changed_seq: u64,
}

/// One user's mailbox.
#[derive(Debug, Clone, Default)]
pub(crate) struct Mailbox {
    pub folders: Vec<FolderRec>,
    pub messages: Vec<MessageRec>,
    pub tombstones: Vec<Tombstone>,
    pub categories: Vec<CategoryRec>,
    pub settings: Obj,
    pub calendars: Vec<CalendarRec>,
    pub events: Vec<EventRec>,
}

/// Graph's well-known mail folder names and the display names the emulator gives them.
pub(crate) const WELL_KNOWN_FOLDERS: &[(&str, &str)] = &[
    ("inbox", "Inbox"),
    ("drafts", "Drafts"),
    ("sentitems", "Sent Items"),
    ("deleteditems", "Deleted Items"),
    ("archive", "Archive"),
    ("junkemail", "Junk Email"),
    ("outbox", "Outbox"),
    ("conversationhistory", "Conversation History"),
];

impl Mailbox {
    /// A folder by id or well-known name (`inbox`, `msgfolderroot`, ...).
    pub fn folder(&self, reference: &str) -> ApiResult<&FolderRec> {
        let lower = reference.to_ascii_lowercase();
        if let Some(f) = self.folders.iter().find(|f| f.well_known == Some(lower.as_str())) {
            return Ok(f);
        }
        if let Some(f) = self.folders.iter().find(|f| f.id == reference) {
            return Ok(f);
        }
        if is_well_formed(reference) { Err(GraphError::item_not_found()) } else { Err(GraphError::id_malformed()) }
    }

    /// The id of a well-known folder (they always exist).
    pub fn well_known_id(&self, name: &str) -> String {
        self.folders.iter().find(|f| f.well_known == Some(name)).map(|f| f.id.clone()).unwrap_or_default()
    }

    /// The root folder's id.
    pub fn root_id(&self) -> String {
        self.well_known_id("msgfolderroot")
    }

    /// Index of a message by id.
    pub fn message_index(&self, id: &str) -> ApiResult<usize> {
        match self.messages.iter().position(|m| m.id == id) {
            Some(i) => Ok(i),
            None if is_well_formed(id) => Err(GraphError::item_not_found()),
            None => Err(GraphError::id_malformed()),
        }
    }

    /// A folder and all folders below it.
    pub fn subtree(&self, folder_id: &str) -> Vec<String> {
        let mut out = vec![folder_id.to_owned()];
        let mut i = 0;
        while i < out.len() {
            let parent = out[i].clone();
            out.extend(
                self.folders.iter().filter(|f| f.parent_id.as_deref() == Some(parent.as_str())).map(|f| f.id.clone()),
            );
            i += 1;
        }
        out
    }

    /// The default calendar.
    pub fn default_calendar(&self) -> Option<&CalendarRec> {
        self.calendars.iter().find(|c| c.is_default)
    }

    /// A calendar by id.
    pub fn calendar(&self, id: &str) -> ApiResult<&CalendarRec> {
        match self.calendars.iter().find(|c| c.id == id) {
            Some(c) => Ok(c),
            None if is_well_formed(id) => Err(GraphError::item_not_found()),
            None => Err(GraphError::id_malformed()),
        }
    }
}

/// The whole emulated tenant.
#[derive(Debug)]
pub(crate) struct Store {
    pub ids: IdGen,
    /// Change counter: every change to a message, folder or event takes the next value.
    pub seq: u64,
    pub tenant_id: String,
    pub users: Vec<UserRec>,
    pub mailboxes: HashMap<String, Mailbox>,
    pub auth: AuthState,
    pub delta: DeltaRegistry,
    /// OneDrive: every user's drive (provisioned on first use), drive delta tokens, copy monitors.
    pub drive: crate::state::drive::DriveState,
    /// Upload sessions (Outlook attachments and OneDrive files).
    pub uploads: crate::state::upload::UploadSessions,
    /// Microsoft To Do of every user, its delta tokens and attachment upload sessions.
    pub todo: crate::state::todo::TodoState,
    /// OneNote of every user (provisioned on first use) and page-copy operations.
    pub onenote: crate::state::onenote::OnenoteState,
    /// Change-notification subscriptions, their outbox and delivery settings.
    pub subscriptions: crate::state::subscriptions::SubscriptionState,
    /// The instant the demo data is laid out around.
    pub anchor: DateTime<Utc>,
}

impl Store {
    /// An empty tenant.
    pub fn new(tenant_id: &str, anchor: DateTime<Utc>) -> Self {
        Store {
            ids: IdGen::new(0x006d_7367_7261_7068),
            seq: 1,
            tenant_id: tenant_id.to_owned(),
            users: Vec::new(),
            mailboxes: HashMap::new(),
            auth: AuthState::default(),
            delta: DeltaRegistry::default(),
            drive: Default::default(),
            uploads: Default::default(),
            todo: Default::default(),
            onenote: Default::default(),
            subscriptions: Default::default(),
            anchor,
        }
    }

    /// The next change number.
    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// A user by id, UPN or mail address (case-insensitive).
    pub fn user(&self, key: &str) -> Option<&UserRec> {
        self.users.iter().find(|u| {
            u.id.eq_ignore_ascii_case(key) || u.upn.eq_ignore_ascii_case(key) || u.mail.eq_ignore_ascii_case(key)
        })
    }

    /// The mailbox of a user id.
    pub fn mailbox(&self, user_id: &str) -> ApiResult<&Mailbox> {
        self.mailboxes.get(user_id).ok_or_else(mailbox_not_found)
    }

    /// The mailbox of a user id, mutable.
    pub fn mailbox_mut(&mut self, user_id: &str) -> ApiResult<&mut Mailbox> {
        self.mailboxes.get_mut(user_id).ok_or_else(mailbox_not_found)
    }

    /// Adds a user with an empty mailbox: the folder tree, a default
    /// calendar and default settings. Returns the user id.
    pub fn add_user(&mut self, user: UserRec, time_zone: &str) -> String {
        let user_id = user.id.clone();
        let mut mb = Mailbox::default();
        let root = FolderRec {
            id: self.ids.next(IdKind::Folder),
            display_name: "Top of Information Store".into(),
            parent_id: None,
            well_known: Some("msgfolderroot"),
            is_hidden: false,
        };
        let root_id = root.id.clone();
        mb.folders.push(root);
        for (name, display) in WELL_KNOWN_FOLDERS {
            mb.folders.push(FolderRec {
                id: self.ids.next(IdKind::Folder),
                display_name: (*display).into(),
                parent_id: Some(root_id.clone()),
                well_known: Some(name),
                is_hidden: false,
            });
        }
        mb.calendars.push(CalendarRec {
            id: self.ids.next(IdKind::Calendar),
            name: "Calendar".into(),
            color: "auto".into(),
            is_default: true,
            can_edit: true,
            changed_seq: 1,
        });
        mb.settings = crate::state::seed::default_settings(time_zone, &mb.well_known_id("archive"));
        self.users.push(user);
        self.mailboxes.insert(user_id.clone(), mb);
        user_id
    }
}

fn mailbox_not_found() -> GraphError {
    GraphError::new(
        axum::http::StatusCode::NOT_FOUND,
        "MailboxNotEnabledForRESTAPI",
        "The mailbox is either inactive, soft-deleted, or is hosted on-premise.",
    )
}
