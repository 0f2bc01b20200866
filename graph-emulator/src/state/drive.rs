//! OneDrive: one business drive per user, its items (folders and files with
//! content, versions, sharing permissions), the recycle bin, delta tokens,
//! copy monitors, and how items render as Graph's `driveItem`.
//!
//! Drives are provisioned on first use, as Graph does for a licensed user;
//! with the demo data on, the demo users' drives start with folders and
//! generated files (see [`crate::state::drive_content`]). Everything is
//! deterministic: ids derive from the owner's id, dates from the anchor.
//!
//! Graph docs: <https://learn.microsoft.com/graph/api/resources/driveitem>.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

use axum::body::Bytes;
use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value, json};

use crate::demo;
use crate::errors::{ApiResult, GraphError};
use crate::state::drive_content::{DemoFile, demo_files, mime_for_name, png_size, quick_xor_hash};
use crate::state::ids::{bytes_from, guid, splitmix};
use crate::state::store::{Store, UserRec};
use crate::state::tokens::{TokenTable, Weigh, select_bytes};
use crate::time::format_utc;

/// Every drive's quota: 1 TiB, like OneDrive for Business.
pub(crate) const DRIVE_TOTAL: u64 = 1 << 40;
/// Simple upload (`PUT .../content`) takes files up to 250 MB.
pub(crate) const SIMPLE_UPLOAD_LIMIT: usize = 250 * 1024 * 1024;
/// How long `@microsoft.graph.downloadUrl` and thumbnail URLs stay valid.
const URL_LIFETIME_SECS: i64 = 3600;
const TENANT_HOST: &str = "https://contoso-my.sharepoint.com";

/// The special folders (`/drive/special/{name}`) and the names they get when created.
pub(crate) const SPECIAL_FOLDERS: &[(&str, &str)] = &[
    ("documents", "Documents"),
    ("photos", "Pictures"),
    ("cameraroll", "Camera Roll"),
    ("approot", "Apps"),
    ("music", "Music"),
    ("recordings", "Recordings"),
];

/// Every property of `microsoft.graph.driveItem` the emulator knows (for `$select`, `$orderby`, `$filter`).
pub(crate) const DRIVEITEM_PROPS: &[&str] = &[
    "id",
    "name",
    "eTag",
    "cTag",
    "createdBy",
    "createdDateTime",
    "lastModifiedBy",
    "lastModifiedDateTime",
    "parentReference",
    "size",
    "webUrl",
    "webDavUrl",
    "description",
    "file",
    "folder",
    "image",
    "photo",
    "root",
    "specialFolder",
    "shared",
    "remoteItem",
    "searchResult",
    "deleted",
    "fileSystemInfo",
    "package",
    "content",
    "children",
    "thumbnails",
    "versions",
    "permissions",
    "@microsoft.graph.downloadUrl",
];

/// Properties of `microsoft.graph.drive`.
pub(crate) const DRIVE_PROPS: &[&str] = &[
    "id",
    "name",
    "description",
    "driveType",
    "createdBy",
    "createdDateTime",
    "lastModifiedBy",
    "lastModifiedDateTime",
    "owner",
    "quota",
    "webUrl",
    "root",
    "items",
    "special",
    "system",
];

// ---------------------------------------------------------------------------- errors

/// 404 `itemNotFound`.
pub(crate) fn item_not_found() -> GraphError {
    GraphError::new(StatusCode::NOT_FOUND, "itemNotFound", "The resource could not be found.")
}

/// 400 `invalidRequest`.
pub(crate) fn invalid_request(message: impl Into<String>) -> GraphError {
    GraphError::new(StatusCode::BAD_REQUEST, "invalidRequest", message)
}

/// 409 `nameAlreadyExists`.
pub(crate) fn name_exists(name: &str) -> GraphError {
    GraphError::new(
        StatusCode::CONFLICT,
        "nameAlreadyExists",
        format!("The specified item name '{name}' already exists in the destination folder."),
    )
}

/// 412 `resourceModified`.
pub(crate) fn resource_modified() -> GraphError {
    GraphError::new(
        StatusCode::PRECONDITION_FAILED,
        "resourceModified",
        "ETag does not match the current item's value: the item changed since it was read.",
    )
}

/// 403 `accessDenied`.
pub(crate) fn access_denied() -> GraphError {
    GraphError::new(
        StatusCode::FORBIDDEN,
        "accessDenied",
        "Access denied. You do not have permission to perform this action or access this resource.",
    )
}

// ---------------------------------------------------------------------------- records

/// `@microsoft.graph.conflictBehavior`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Conflict {
    Fail,
    Replace,
    Rename,
}

impl Conflict {
    /// Reads the annotation (case-insensitive); absent gives `default`.
    pub fn parse(v: Option<&str>, default: Conflict) -> ApiResult<Conflict> {
        match v.map(|s| s.trim().to_ascii_lowercase()).as_deref() {
            None | Some("") => Ok(default),
            Some("fail") => Ok(Conflict::Fail),
            Some("replace") => Ok(Conflict::Replace),
            Some("rename") => Ok(Conflict::Rename),
            Some(other) => Err(invalid_request(format!(
                "Invalid value '{other}' for @microsoft.graph.conflictBehavior: use fail, replace or rename."
            ))),
        }
    }
}

/// A previous version of a file.
#[derive(Debug, Clone)]
pub(crate) struct VersionRec {
    pub label: String,
    pub content: Bytes,
    pub hash: String,
    pub modified: DateTime<Utc>,
    pub modified_by: String,
}

/// A sharing link.
#[derive(Debug, Clone)]
pub(crate) struct LinkRec {
    pub kind: String,
    pub scope: String,
    pub web_url: String,
    pub has_password: bool,
}

/// A sharing permission set on an item (not the owner's, not inherited).
#[derive(Debug, Clone)]
pub(crate) struct PermissionRec {
    pub id: String,
    pub roles: Vec<String>,
    pub link: Option<LinkRec>,
    /// A user of the tenant the item is shared with.
    pub granted_to: Option<String>,
    pub expires: Option<DateTime<Utc>>,
    pub share_id: String,
}

/// Why an item is in the recycle bin.
#[derive(Debug, Clone)]
pub(crate) struct DeletedRec {
    pub at: DateTime<Utc>,
    /// The item the user deleted (its descendants went with it).
    pub root: String,
}

/// A file or folder.
#[derive(Debug, Clone)]
pub(crate) struct ItemRec {
    pub id: String,
    pub name: String,
    pub parent_id: Option<String>,
    pub folder: bool,
    pub content: Bytes,
    pub hash: String,
    pub mime: String,
    /// What search looks in besides the name.
    pub text: Option<Arc<str>>,
    pub created: DateTime<Utc>,
    pub created_by: String,
    pub modified: DateTime<Utc>,
    pub modified_by: String,
    /// `fileSystemInfo` when the client set it.
    pub fs_created: Option<String>,
    pub fs_modified: Option<String>,
    pub description: Option<String>,
    /// The GUID in the item's eTag and cTag.
    pub tag_guid: String,
    pub etag_n: u64,
    pub ctag_n: u64,
    /// The current version number (`"{n}.0"`).
    pub version: u32,
    pub versions: Vec<VersionRec>,
    pub permissions: Vec<PermissionRec>,
    pub special: Option<&'static str>,
    pub deleted: Option<DeletedRec>,
    /// The drive's change counter at this item's last change (delta).
    pub seq: u64,
    pub changed_at: DateTime<Utc>,
}

impl ItemRec {
    /// `"{GUID},n"` with the quotes Graph puts in the value.
    pub fn etag(&self) -> String {
        format!("\"{{{}}},{}\"", self.tag_guid, self.etag_n)
    }

    /// `"c:{GUID},n"`.
    pub fn ctag(&self) -> String {
        format!("\"c:{{{}}},{}\"", self.tag_guid, self.ctag_n)
    }

    /// Whether an `If-Match` / `If-None-Match` value names this item's current state.
    pub fn matches_tag(&self, header: &str) -> bool {
        header.split(',').map(str::trim).any(|t| t == "*")
            || [self.etag(), self.ctag()].iter().any(|tag| {
                let bare = tag.trim_matches('"');
                let h = header.trim();
                h == tag || h.trim_start_matches("W/").trim_matches('"') == bare
            })
    }

    fn is_live(&self) -> bool {
        self.deleted.is_none()
    }
}

/// An item removed for good (delta reports it as deleted).
#[derive(Debug, Clone)]
pub(crate) struct Tombstone {
    pub id: String,
    pub parent_id: Option<String>,
    pub folder: bool,
    pub seq: u64,
    pub at: DateTime<Utc>,
}

/// One user's drive.
#[derive(Debug, Clone)]
pub(crate) struct DriveRec {
    pub id: String,
    pub owner_id: String,
    pub owner_upn: String,
    pub root_id: String,
    pub items: HashMap<String, ItemRec>,
    pub tombstones: Vec<Tombstone>,
    pub seq: u64,
    pub created: DateTime<Utc>,
    id_seed: u64,
    id_counter: u64,
}

/// What a path names: an item, or the place a new one would go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Lookup {
    Found(String),
    /// `parent` exists; `rest` (never empty) does not: its first name is
    /// missing in `parent`, the others would be below it.
    Missing {
        parent: String,
        rest: Vec<String>,
    },
}

fn hash_str(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn base32(bytes: &[u8]) -> String {
    let mut out = String::new();
    let mut buf = 0u32;
    let mut bits = 0;
    for b in bytes {
        buf = (buf << 8) | u32::from(*b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(BASE32[((buf >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(BASE32[((buf << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// `AdeleV@contoso.com` -> `adelev_contoso_com`, as in OneDrive for Business URLs.
pub(crate) fn personal_segment(upn: &str) -> String {
    upn.to_ascii_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect()
}

/// Checks a file or folder name against OneDrive's rules.
pub(crate) fn check_name(name: &str, folder: bool) -> ApiResult<()> {
    let bad = |why: &str| invalid_request(format!("The name '{name}' is not valid: {why}."));
    if name.trim().is_empty() {
        return Err(bad("a name is required"));
    }
    if name == "." || name == ".." {
        return Err(bad("'.' and '..' are reserved"));
    }
    if let Some(c) =
        name.chars().find(|c| matches!(c, '"' | '*' | ':' | '<' | '>' | '?' | '/' | '\\' | '|') || c.is_control())
    {
        return Err(bad(&format!("it contains the reserved character {c:?}")));
    }
    if name.len() > 400 {
        return Err(bad("it is longer than 400 characters"));
    }
    if folder && name.ends_with('.') {
        return Err(bad("folder names cannot end with a period"));
    }
    Ok(())
}

/// Text search can look in: the content when it is text.
pub(crate) fn text_of(name: &str, content: &[u8]) -> Option<Arc<str>> {
    let mime = mime_for_name(name);
    let texty = mime.starts_with("text/") || mime == "application/json" || mime == "application/xml";
    if !texty || content.len() > 4 << 20 {
        return None;
    }
    std::str::from_utf8(content).ok().map(Arc::from)
}

impl DriveRec {
    /// An empty drive (its root folder only) for a user.
    pub fn new(owner: &UserRec, created: DateTime<Utc>) -> DriveRec {
        let seed = hash_str(&owner.id);
        let mut raw = b"\x00".to_vec();
        raw.extend_from_slice(&bytes_from(seed ^ 0x0064_7269_7665, 47));
        let id = format!("b!{}", URL_SAFE_NO_PAD.encode(raw));
        let mut d = DriveRec {
            id,
            owner_id: owner.id.clone(),
            owner_upn: owner.upn.clone(),
            root_id: String::new(),
            items: HashMap::new(),
            tombstones: Vec::new(),
            seq: 1,
            created,
            id_seed: seed,
            id_counter: 0,
        };
        let root_id = d.next_id();
        d.root_id = root_id.clone();
        let root = d.new_item(root_id.clone(), "root".into(), None, true, &owner.id, created);
        d.items.insert(root_id, root);
        d
    }

    /// A new item id: `01` and 32 base32 characters, like OneDrive for Business.
    pub fn next_id(&mut self) -> String {
        self.id_counter += 1;
        format!("01{}", base32(&bytes_from(splitmix(self.id_seed ^ self.id_counter.wrapping_mul(0x9E37)), 20)))
    }

    fn new_item(
        &mut self,
        id: String,
        name: String,
        parent_id: Option<String>,
        folder: bool,
        by: &str,
        now: DateTime<Utc>,
    ) -> ItemRec {
        self.seq += 1;
        let tag_guid = guid(hash_str(&id)).to_ascii_uppercase();
        ItemRec {
            mime: if folder { String::new() } else { mime_for_name(&name).to_owned() },
            hash: quick_xor_hash(b""),
            id,
            name,
            parent_id,
            folder,
            content: Bytes::new(),
            text: None,
            created: now,
            created_by: by.to_owned(),
            modified: now,
            modified_by: by.to_owned(),
            fs_created: None,
            fs_modified: None,
            description: None,
            tag_guid,
            etag_n: 1,
            ctag_n: 1,
            version: 1,
            versions: Vec::new(),
            permissions: Vec::new(),
            special: None,
            deleted: None,
            seq: self.seq,
            changed_at: now,
        }
    }

    /// A live (not deleted) item.
    pub fn live(&self, id: &str) -> Option<&ItemRec> {
        self.items.get(id).filter(|i| i.is_live())
    }

    /// A live item or 404 `itemNotFound`.
    pub fn item(&self, id: &str) -> ApiResult<&ItemRec> {
        self.live(id).ok_or_else(item_not_found)
    }

    /// A live item, mutable.
    pub fn item_mut(&mut self, id: &str) -> ApiResult<&mut ItemRec> {
        self.items.get_mut(id).filter(|i| i.is_live()).ok_or_else(item_not_found)
    }

    /// Live children, by name.
    pub fn children(&self, id: &str) -> Vec<&ItemRec> {
        let mut out: Vec<&ItemRec> =
            self.items.values().filter(|i| i.is_live() && i.parent_id.as_deref() == Some(id)).collect();
        out.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then_with(|| a.id.cmp(&b.id)));
        out
    }

    /// A live child by name (case-insensitive, as OneDrive compares names).
    pub fn child_named(&self, parent: &str, name: &str) -> Option<&ItemRec> {
        let lower = name.to_lowercase();
        self.items
            .values()
            .find(|i| i.is_live() && i.parent_id.as_deref() == Some(parent) && i.name.to_lowercase() == lower)
    }

    /// Resolves path components (already percent-decoded) below an item.
    pub fn resolve(&self, from: &str, comps: &[String]) -> ApiResult<Lookup> {
        let mut cur = self.item(from)?.id.clone();
        for (i, c) in comps.iter().enumerate() {
            if c == "." || c == ".." {
                return Err(invalid_request("Paths cannot contain '.' or '..' segments."));
            }
            match self.child_named(&cur, c) {
                Some(child) if i + 1 < comps.len() && !child.folder => return Err(item_not_found()),
                Some(child) => cur = child.id.clone(),
                None => return Ok(Lookup::Missing { parent: cur, rest: comps[i..].to_vec() }),
            }
        }
        Ok(Lookup::Found(cur))
    }

    /// Resolves a path to an existing item (404 otherwise).
    pub fn resolve_existing(&self, from: &str, comps: &[String]) -> ApiResult<String> {
        match self.resolve(from, comps)? {
            Lookup::Found(id) => Ok(id),
            Lookup::Missing { .. } => Err(item_not_found()),
        }
    }

    /// The parent chain of an item, nearest first (deleted ones included).
    pub fn ancestors(&self, id: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut cur = self.items.get(id).and_then(|i| i.parent_id.clone());
        while let Some(p) = cur {
            if out.contains(&p) {
                break;
            }
            cur = self.items.get(&p).and_then(|i| i.parent_id.clone());
            out.push(p);
        }
        out
    }

    /// Whether `id` is `of` or below it.
    pub fn within(&self, id: &str, of: &str) -> bool {
        id == of || self.ancestors(id).iter().any(|a| a == of)
    }

    /// An item and everything below it, parents before children.
    pub fn subtree(&self, id: &str, include_deleted: bool) -> Vec<String> {
        // One pass to index children by parent: a walk is linear in the drive's size.
        let mut kids: HashMap<&str, Vec<&ItemRec>> = HashMap::new();
        for c in self.items.values().filter(|c| include_deleted || c.is_live()) {
            if let Some(p) = c.parent_id.as_deref() {
                kids.entry(p).or_default().push(c);
            }
        }
        let mut out = vec![id.to_owned()];
        let mut i = 0;
        while i < out.len() {
            if let Some(list) = kids.get_mut(out[i].as_str()) {
                list.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then_with(|| a.id.cmp(&b.id)));
                let ids: Vec<String> = list.iter().map(|c| c.id.clone()).collect();
                out.extend(ids);
            }
            i += 1;
        }
        out
    }

    /// `/Documents/report.pdf` (empty for the root).
    pub fn path_of(&self, id: &str) -> String {
        let mut names: Vec<&str> = Vec::new();
        let mut cur = self.items.get(id);
        while let Some(item) = cur {
            if item.parent_id.is_none() {
                break;
            }
            names.push(&item.name);
            cur = item.parent_id.as_deref().and_then(|p| self.items.get(p));
        }
        names.reverse();
        names.iter().map(|n| format!("/{n}")).collect()
    }

    /// Size: a file's content, a folder's live descendants.
    pub fn size_of(&self, id: &str) -> u64 {
        match self.items.get(id) {
            Some(i) if !i.folder => i.content.len() as u64,
            Some(_) => self
                .subtree(id, false)
                .iter()
                .filter_map(|d| self.items.get(d))
                .filter(|i| !i.folder)
                .map(|i| i.content.len() as u64)
                .sum(),
            None => 0,
        }
    }

    /// Bytes in live files (versions included) and in the recycle bin.
    pub fn usage(&self) -> (u64, u64) {
        let mut used = 0;
        let mut deleted = 0;
        for i in self.items.values() {
            let n = i.content.len() as u64 + i.versions.iter().map(|v| v.content.len() as u64).sum::<u64>();
            if i.is_live() {
                used += n;
            } else {
                deleted += n;
            }
        }
        (used, deleted)
    }

    /// Records a change to an item (delta, cTag of the folders above it).
    pub fn touch(&mut self, id: &str, by: &str, now: DateTime<Utc>) {
        self.seq += 1;
        let seq = self.seq;
        if let Some(i) = self.items.get_mut(id) {
            i.seq = seq;
            i.changed_at = now;
            i.modified = now;
            i.modified_by = by.to_owned();
            i.etag_n += 1;
        }
        for a in self.ancestors(id) {
            if let Some(p) = self.items.get_mut(&a) {
                p.ctag_n += 1;
            }
        }
    }

    /// A name not used in `parent`: `report.pdf`, `report 1.pdf`, `report 2.pdf`, ...
    pub fn unique_name(&self, parent: &str, name: &str) -> String {
        if self.child_named(parent, name).is_none() {
            return name.to_owned();
        }
        let (stem, ext) = match name.rsplit_once('.') {
            Some((s, e)) if !s.is_empty() => (s, format!(".{e}")),
            _ => (name, String::new()),
        };
        (1..).map(|n| format!("{stem} {n}{ext}")).find(|n| self.child_named(parent, n).is_none()).unwrap_or_default()
    }

    /// Creates a folder or an empty file in a live folder. The name must be free.
    pub fn create(
        &mut self,
        parent: &str,
        name: &str,
        folder: bool,
        by: &str,
        now: DateTime<Utc>,
    ) -> ApiResult<String> {
        check_name(name, folder)?;
        if !self.item(parent)?.folder {
            return Err(invalid_request("The parent item is not a folder."));
        }
        if self.child_named(parent, name).is_some() {
            return Err(name_exists(name));
        }
        let id = self.next_id();
        let item = self.new_item(id.clone(), name.to_owned(), Some(parent.to_owned()), folder, by, now);
        self.items.insert(id.clone(), item);
        self.touch(&id, by, now);
        if let Some(i) = self.items.get_mut(&id) {
            i.etag_n = 1;
        }
        Ok(id)
    }

    /// Creates the folders of `names` below `parent` as needed; returns the last one.
    pub fn ensure_folders(
        &mut self,
        parent: &str,
        names: &[String],
        by: &str,
        now: DateTime<Utc>,
    ) -> ApiResult<String> {
        let mut cur = parent.to_owned();
        for n in names {
            cur = match self.child_named(&cur, n) {
                Some(c) if c.folder => c.id.clone(),
                Some(_) => return Err(name_exists(n)),
                None => self.create(&cur, n, true, by, now)?,
            };
        }
        Ok(cur)
    }

    /// New content for a file: the old content becomes a version.
    pub fn set_content(
        &mut self,
        id: &str,
        content: Bytes,
        hash: Option<String>,
        text: Option<Arc<str>>,
        by: &str,
        now: DateTime<Utc>,
    ) -> ApiResult<()> {
        let item = self.item_mut(id)?;
        if item.folder {
            return Err(invalid_request("A folder has no content."));
        }
        let fresh = item.content.is_empty() && item.versions.is_empty() && item.ctag_n == 1;
        if !fresh {
            item.versions.push(VersionRec {
                label: format!("{}.0", item.version),
                content: item.content.clone(),
                hash: item.hash.clone(),
                modified: item.modified,
                modified_by: item.modified_by.clone(),
            });
            item.version += 1;
        }
        item.hash = hash.unwrap_or_else(|| quick_xor_hash(&content));
        item.text = text.or_else(|| text_of(&item.name, &content));
        item.content = content;
        item.ctag_n += 1;
        item.fs_modified = None;
        self.touch(id, by, now);
        Ok(())
    }

    /// Puts a file in a folder: a new file (201) or new content for an
    /// existing one (200), by the conflict behaviour. Returns (created, id).
    #[allow(clippy::too_many_arguments)]
    pub fn put_file(
        &mut self,
        parent: &str,
        name: &str,
        conflict: Conflict,
        content: Bytes,
        hash: Option<String>,
        by: &str,
        now: DateTime<Utc>,
    ) -> ApiResult<(bool, String)> {
        check_name(name, false)?;
        if !self.item(parent)?.folder {
            return Err(invalid_request("The parent item is not a folder."));
        }
        let mut target_name = name.to_owned();
        if let Some(existing) = self.child_named(parent, name) {
            let (id, folder) = (existing.id.clone(), existing.folder);
            match conflict {
                Conflict::Fail => return Err(name_exists(name)),
                Conflict::Replace if !folder => {
                    self.set_content(&id, content, hash, None, by, now)?;
                    return Ok((false, id));
                }
                Conflict::Replace => self.delete(&id, by, now)?,
                Conflict::Rename => target_name = self.unique_name(parent, name),
            }
        }
        let id = self.create(parent, &target_name, false, by, now)?;
        self.set_content(&id, content, hash, None, by, now)?;
        if let Some(i) = self.items.get_mut(&id) {
            i.etag_n = 1;
        }
        Ok((true, id))
    }

    /// Moves an item and its descendants to the recycle bin.
    pub fn delete(&mut self, id: &str, by: &str, now: DateTime<Utc>) -> ApiResult<()> {
        if self.item(id)?.parent_id.is_none() {
            return Err(invalid_request("The root of a drive cannot be deleted."));
        }
        let ids = self.subtree(id, false);
        self.touch(id, by, now);
        let seq = self.seq;
        for d in ids {
            if let Some(i) = self.items.get_mut(&d) {
                i.deleted = Some(DeletedRec { at: now, root: id.to_owned() });
                i.seq = seq;
                i.changed_at = now;
            }
        }
        Ok(())
    }

    /// Brings an item (and what was deleted with it) back from the recycle bin.
    pub fn restore(
        &mut self,
        id: &str,
        parent: Option<&str>,
        name: Option<&str>,
        by: &str,
        now: DateTime<Utc>,
    ) -> ApiResult<()> {
        let item = self.items.get(id).ok_or_else(item_not_found)?;
        let Some(del) = &item.deleted else {
            return Err(invalid_request("The item is not in the recycle bin."));
        };
        if del.root != id {
            return Err(invalid_request("The item was deleted with its folder: restore the folder."));
        }
        let folder = item.folder;
        let original = item.parent_id.clone().unwrap_or_else(|| self.root_id.clone());
        let target = match parent {
            Some(p) => self.item(p)?.id.clone(),
            None if self.live(&original).is_some() => original,
            None => self.root_id.clone(),
        };
        let new_name = name.map(str::to_owned).unwrap_or_else(|| self.items[id].name.clone());
        check_name(&new_name, folder)?;
        if self.child_named(&target, &new_name).is_some() {
            return Err(name_exists(&new_name));
        }
        let members: Vec<String> = self
            .items
            .values()
            .filter(|i| i.deleted.as_ref().is_some_and(|d| d.root == id))
            .map(|i| i.id.clone())
            .collect();
        for m in &members {
            if let Some(i) = self.items.get_mut(m) {
                i.deleted = None;
            }
        }
        if let Some(i) = self.items.get_mut(id) {
            i.parent_id = Some(target);
            i.name = new_name;
        }
        self.seq += 1;
        let seq = self.seq;
        for m in &members {
            if let Some(i) = self.items.get_mut(m) {
                i.seq = seq;
                i.changed_at = now;
            }
        }
        self.touch(id, by, now);
        Ok(())
    }

    /// Removes an item and its descendants for good.
    pub fn permanent_delete(&mut self, id: &str, now: DateTime<Utc>) -> ApiResult<()> {
        let item = self.items.get(id).ok_or_else(item_not_found)?;
        if item.parent_id.is_none() {
            return Err(invalid_request("The root of a drive cannot be deleted."));
        }
        let ids = self.subtree(id, true);
        self.seq += 1;
        let seq = self.seq;
        for d in ids {
            if let Some(i) = self.items.remove(&d) {
                self.tombstones.push(Tombstone { id: i.id, parent_id: i.parent_id, folder: i.folder, seq, at: now });
            }
        }
        Ok(())
    }

    /// A copy of an item (and its descendants) in a folder of this drive.
    /// `source` is a snapshot of the items to copy, parents first, from any drive.
    pub fn paste(
        &mut self,
        source: &[ItemRec],
        parent: &str,
        name: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> ApiResult<String> {
        let Some(top) = source.first() else {
            return Err(item_not_found());
        };
        let mut map: HashMap<String, String> = HashMap::new();
        let new_top = self.create(parent, name, top.folder, by, now)?;
        map.insert(top.id.clone(), new_top.clone());
        for src in source {
            let new_id = match map.get(&src.id) {
                Some(id) => id.clone(),
                None => {
                    let Some(new_parent) = src.parent_id.as_ref().and_then(|p| map.get(p)).cloned() else {
                        continue;
                    };
                    let id = self.create(&new_parent, &src.name, src.folder, by, now)?;
                    map.insert(src.id.clone(), id.clone());
                    id
                }
            };
            if !src.folder {
                self.set_content(&new_id, src.content.clone(), Some(src.hash.clone()), src.text.clone(), by, now)?;
                if let Some(i) = self.items.get_mut(&new_id) {
                    i.etag_n = 1;
                }
            }
        }
        Ok(new_top)
    }

    /// The live items of a subtree as a snapshot (for copies).
    pub fn snapshot(&self, id: &str) -> Vec<ItemRec> {
        self.subtree(id, false).iter().filter_map(|i| self.items.get(i).cloned()).collect()
    }

    /// A special folder, created (in the root) when it does not exist yet.
    pub fn special(&mut self, name: &str, by: &str, now: DateTime<Utc>) -> ApiResult<String> {
        let lower = name.to_ascii_lowercase();
        let Some((key, display)) = SPECIAL_FOLDERS.iter().find(|(k, _)| *k == lower) else {
            return Err(GraphError::new(
                StatusCode::NOT_FOUND,
                "itemNotFound",
                format!(
                    "'{name}' is not a special folder: use documents, photos, cameraroll, approot, music or recordings."
                ),
            ));
        };
        if let Some(i) = self.items.values().find(|i| i.is_live() && i.special == Some(*key)) {
            return Ok(i.id.clone());
        }
        let root = self.root_id.clone();
        let parent = if *key == "cameraroll" { self.special("photos", by, now)? } else { root };
        let id = match self.child_named(&parent, display) {
            Some(existing) if existing.folder && existing.special.is_none() => existing.id.clone(),
            _ => {
                let n = self.unique_name(&parent, display);
                self.create(&parent, &n, true, by, now)?
            }
        };
        if let Some(i) = self.items.get_mut(&id) {
            i.special = Some(key);
        }
        Ok(id)
    }

    /// Whether `user` may read (or write) an item: the owner may; others
    /// through a permission granted to them on the item or above it.
    pub fn allows(&self, id: &str, user: &str, write: bool, now: DateTime<Utc>) -> bool {
        if user == self.owner_id {
            return true;
        }
        std::iter::once(id.to_owned()).chain(self.ancestors(id)).any(|i| {
            self.items.get(&i).is_some_and(|item| {
                item.permissions.iter().any(|p| {
                    p.granted_to.as_deref() == Some(user)
                        && p.expires.is_none_or(|e| e > now)
                        && (!write || p.roles.iter().any(|r| r == "write" || r == "owner"))
                })
            })
        })
    }

    /// Adds a permission granting a user access to an item.
    pub fn grant(&mut self, id: &str, user: &str, roles: &[&str], perm_id: String) -> ApiResult<&PermissionRec> {
        let share_id = format!("s!{}", URL_SAFE_NO_PAD.encode(bytes_from(hash_str(&perm_id), 18)));
        let item = self.item_mut(id)?;
        if let Some(i) = item.permissions.iter().position(|p| p.granted_to.as_deref() == Some(user)) {
            item.permissions[i].roles = roles.iter().map(|r| (*r).to_owned()).collect();
            return Ok(&item.permissions[i]);
        }
        item.permissions.push(PermissionRec {
            id: perm_id,
            roles: roles.iter().map(|r| (*r).to_owned()).collect(),
            link: None,
            granted_to: Some(user.to_owned()),
            expires: None,
            share_id,
        });
        Ok(item.permissions.last().expect("just pushed"))
    }

    /// The webUrl of an item.
    pub fn web_url(&self, id: &str) -> String {
        let base = format!("{TENANT_HOST}/personal/{}/Documents", personal_segment(&self.owner_upn));
        let path: String = self
            .path_of(id)
            .split('/')
            .filter(|s| !s.is_empty())
            .map(|s| format!("/{}", percent_encoding::utf8_percent_encode(s, PATH_SEGMENT)))
            .collect();
        format!("{base}{path}")
    }
}

const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'(')
    .remove(b')')
    .remove(b'\'')
    .remove(b'!');

// ---------------------------------------------------------------------------- delta

/// One entry of a delta round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DeltaEntry {
    /// An item as it is when the page is served.
    Item(String),
    /// A deleted item (recycle bin or removed for good).
    Deleted(String),
}

/// Where a round starts from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Since {
    Start,
    Seq(u64),
    Time(DateTime<Utc>),
}

/// What a drive delta token stands for.
#[derive(Debug, Clone)]
pub(crate) enum DeltaToken {
    Page {
        drive_id: String,
        scope: String,
        entries: Arc<Vec<DeltaEntry>>,
        offset: usize,
        upto: u64,
        select: Option<Vec<String>>,
        page: usize,
    },
    Round {
        drive_id: String,
        scope: String,
        since: u64,
        select: Option<Vec<String>>,
        page: usize,
    },
}

impl Weigh for DeltaToken {
    fn own_bytes(&self) -> usize {
        match self {
            DeltaToken::Page { drive_id, scope, select, .. } | DeltaToken::Round { drive_id, scope, select, .. } => {
                drive_id.len() + scope.len() + select_bytes(select)
            }
        }
    }

    fn shared(&self) -> Vec<(usize, Box<dyn Fn() -> usize + '_>)> {
        match self {
            DeltaToken::Page { entries, .. } => vec![(
                Arc::as_ptr(entries) as usize,
                Box::new(|| {
                    entries
                        .iter()
                        .map(|e| match e {
                            DeltaEntry::Item(id) | DeltaEntry::Deleted(id) => id.len() + 40,
                        })
                        .sum()
                }),
            )],
            DeltaToken::Round { .. } => Vec::new(),
        }
    }
}

impl DriveRec {
    /// The changes a delta round reports for a folder's subtree.
    pub fn delta_entries(&self, scope: &str, since: Since, exclude_parents: bool) -> Vec<DeltaEntry> {
        if let Since::Start = since {
            return self.subtree(scope, false).into_iter().map(DeltaEntry::Item).collect();
        }
        let changed = |seq: u64, at: DateTime<Utc>| match since {
            Since::Seq(s) => seq > s,
            Since::Time(t) => at > t,
            Since::Start => true,
        };
        let mut hits: Vec<(u64, DeltaEntry)> = Vec::new();
        for i in self.items.values() {
            if !changed(i.seq, i.changed_at) || !self.within(&i.id, scope) {
                continue;
            }
            let e = if i.is_live() { DeltaEntry::Item(i.id.clone()) } else { DeltaEntry::Deleted(i.id.clone()) };
            hits.push((i.seq, e));
        }
        for t in &self.tombstones {
            let inside = scope == self.root_id
                || t.parent_id.as_deref().is_some_and(|p| self.items.contains_key(p) && self.within(p, scope));
            if changed(t.seq, t.at) && inside {
                hits.push((t.seq, DeltaEntry::Deleted(t.id.clone())));
            }
        }
        hits.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| format!("{:?}", a.1).cmp(&format!("{:?}", b.1))));
        let mut out: Vec<DeltaEntry> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        for (_, e) in hits {
            if let DeltaEntry::Item(id) = &e
                && !exclude_parents
            {
                let mut chain: Vec<String> =
                    self.ancestors(id).into_iter().take_while(|a| a != scope).collect::<Vec<_>>();
                if id != scope && self.within(id, scope) {
                    chain.push(scope.to_owned());
                }
                chain.reverse();
                for a in chain {
                    if seen.insert(a.clone()) {
                        out.push(DeltaEntry::Item(a));
                    }
                }
            }
            let key = match &e {
                DeltaEntry::Item(id) | DeltaEntry::Deleted(id) => id.clone(),
            };
            if seen.insert(key) {
                out.push(e);
            }
        }
        out
    }
}

// ---------------------------------------------------------------------------- the drives

/// A copy in progress, as its monitor URL reports it.
#[derive(Debug, Clone)]
pub(crate) struct CopyMonitor {
    pub polls: u32,
    pub resource_id: String,
}

/// Where a large upload to a drive goes.
#[derive(Debug, Clone)]
pub(crate) struct DriveUploadTarget {
    pub drive_id: String,
    /// The session was made on this existing file: its content is replaced.
    pub item_id: Option<String>,
    pub parent_id: String,
    pub name: String,
    pub conflict: Conflict,
    pub by: String,
    pub description: Option<String>,
}

/// Every drive of the tenant, and their tokens.
#[derive(Debug)]
pub(crate) struct DriveState {
    pub drives: Vec<DriveRec>,
    /// Whether the demo users' drives start with the demo files.
    pub demo_content: bool,
    /// Signs pre-authenticated URLs (downloads, thumbnails).
    pub key: u64,
    tokens: TokenTable<DeltaToken>,
    monitors: HashMap<String, CopyMonitor>,
    monitor_order: VecDeque<String>,
}

impl Default for DriveState {
    fn default() -> Self {
        let nanos = Utc::now().timestamp_nanos_opt().unwrap_or_default() as u64;
        DriveState {
            drives: Vec::new(),
            demo_content: true,
            key: splitmix(nanos ^ 0x006b_6579),
            tokens: TokenTable::default(),
            monitors: HashMap::new(),
            monitor_order: VecDeque::new(),
        }
    }
}

/// Copy monitors kept at most.
const MAX_TOKENS: usize = 10_000;

impl DriveState {
    /// A drive by id.
    pub fn by_id(&self, id: &str) -> Option<usize> {
        self.drives.iter().position(|d| d.id == id)
    }

    /// The drive of a user, if provisioned.
    pub fn of_user(&self, user_id: &str) -> Option<usize> {
        self.drives.iter().position(|d| d.owner_id == user_id)
    }

    /// Keeps a delta token.
    pub fn issue_token(&mut self, token: String, state: DeltaToken) {
        self.tokens.issue(token, state);
    }

    /// A delta token's state.
    pub fn token(&self, token: &str) -> Option<&DeltaToken> {
        self.tokens.get(token)
    }

    /// Forgets every delta token.
    pub fn clear_tokens(&mut self) {
        self.tokens.clear();
    }

    /// Live delta tokens.
    pub fn token_count(&self) -> usize {
        self.tokens.len()
    }

    /// Starts a copy monitor.
    pub fn add_monitor(&mut self, id: String, resource_id: String) {
        self.monitor_order.push_back(id.clone());
        self.monitors.insert(id, CopyMonitor { polls: 0, resource_id });
        while self.monitor_order.len() > MAX_TOKENS {
            if let Some(old) = self.monitor_order.pop_front() {
                self.monitors.remove(&old);
            }
        }
    }

    /// A copy monitor, counting the poll.
    pub fn poll_monitor(&mut self, id: &str) -> Option<CopyMonitor> {
        let m = self.monitors.get_mut(id)?;
        m.polls += 1;
        Some(m.clone())
    }

    /// Items of other drives shared with a user: (drive index, item id),
    /// the items the permissions are on (not their descendants).
    pub fn shared_with(&self, user_id: &str, now: DateTime<Utc>) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        for (di, d) in self.drives.iter().enumerate() {
            if d.owner_id == user_id {
                continue;
            }
            let mut ids: Vec<&ItemRec> = d
                .items
                .values()
                .filter(|i| {
                    i.is_live()
                        && i.permissions
                            .iter()
                            .any(|p| p.granted_to.as_deref() == Some(user_id) && p.expires.is_none_or(|e| e > now))
                })
                .collect();
            ids.sort_by_key(|i| i.name.to_lowercase());
            out.extend(ids.into_iter().map(|i| (di, i.id.clone())));
        }
        out
    }
}

// ---------------------------------------------------------------------------- provisioning

/// The drive of a user (by id), provisioned (and seeded for demo users) on first use.
pub(crate) fn ensure_drive(store: &mut Store, user_id: &str) -> ApiResult<usize> {
    if let Some(i) = store.drive.of_user(user_id) {
        return Ok(i);
    }
    let user = store.users.iter().find(|u| u.id == user_id).cloned().ok_or_else(|| {
        GraphError::new(StatusCode::NOT_FOUND, "itemNotFound", format!("The user '{user_id}' has no drive."))
    })?;
    let anchor = store.anchor;
    let created = anchor - Duration::days(400);
    let mut drive = DriveRec::new(&user, created);
    if store.drive.demo_content {
        seed_drive(&mut drive, anchor);
    }
    store.drive.drives.push(drive);
    Ok(store.drive.drives.len() - 1)
}

/// Provisions every user's drive (what searches across drives need).
pub(crate) fn ensure_all_drives(store: &mut Store) {
    let ids: Vec<String> = store.users.iter().map(|u| u.id.clone()).collect();
    for id in ids {
        let _ = ensure_drive(store, &id);
    }
}

fn add_file(d: &mut DriveRec, parent: &str, name: &str, f: &DemoFile, by: &str, at: DateTime<Utc>) -> String {
    let id = d.create(parent, name, false, by, at).unwrap_or_default();
    let _ = d.set_content(&id, f.content.clone(), Some(f.hash.clone()), Some(f.text.clone()), by, at);
    if let Some(i) = d.items.get_mut(&id) {
        i.etag_n = 1;
        i.created = at;
    }
    id
}

fn folder(d: &mut DriveRec, parent: &str, name: &str, by: &str, at: DateTime<Utc>) -> String {
    d.create(parent, name, true, by, at).unwrap_or_default()
}

fn perm_id(d: &DriveRec, item: &str, n: u64) -> String {
    URL_SAFE_NO_PAD.encode(bytes_from(hash_str(&d.id) ^ hash_str(item) ^ n, 24))
}

/// The demo users' files. Shares between users are set on the owner's
/// items (a permission granting the other user), so they exist whichever
/// drive is provisioned first.
fn seed_drive(d: &mut DriveRec, anchor: DateTime<Utc>) {
    let files = demo_files();
    let owner = d.owner_id.clone();
    let o = owner.as_str();
    let day = |n: i64| anchor - Duration::days(n) + Duration::hours(9);
    let root = d.root_id.clone();
    match o {
        demo::USER_ID => {
            let docs = folder(d, &root, "Documents", o, day(300));
            let pics = folder(d, &root, "Pictures", o, day(300));
            for (id, key) in [(&docs, "documents"), (&pics, "photos")] {
                if let Some(i) = d.items.get_mut(id.as_str()) {
                    i.special = Some(key);
                }
            }
            let report = add_file(d, &docs, "report.pdf", &files.report_pdf, o, day(30));
            let pid = perm_id(d, &report, 1);
            if let Some(i) = d.items.get_mut(&report) {
                i.permissions.push(PermissionRec {
                    share_id: format!("u!{}", URL_SAFE_NO_PAD.encode(bytes_from(7, 18))),
                    link: Some(LinkRec {
                        kind: "view".into(),
                        scope: "organization".into(),
                        web_url: format!(
                            "{TENANT_HOST}/:b:/g/personal/{}/{}",
                            personal_segment(&d.owner_upn),
                            URL_SAFE_NO_PAD.encode(bytes_from(hash_str(&pid), 33))
                        ),
                        has_password: false,
                    }),
                    id: pid,
                    roles: vec!["read".into()],
                    granted_to: None,
                    expires: None,
                });
            }
            let plan = add_file(d, &docs, "Project Plan.docx", &files.project_plan_v1, o, day(20));
            let _ = d.set_content(
                &plan,
                files.project_plan.content.clone(),
                Some(files.project_plan.hash.clone()),
                Some(files.project_plan.text.clone()),
                o,
                day(5),
            );
            let budget = add_file(d, &docs, "Budget 2024.xlsx", &files.budget_xlsx, o, day(12));
            let pid = perm_id(d, &budget, 2);
            let _ = d.grant(&budget, demo::SECOND_USER_ID, &["write"], pid);
            add_file(d, &docs, "Team Meeting.pptx", &files.team_meeting_pptx, o, day(3));
            add_file(d, &docs, "notes.txt", &files.notes_txt, o, day(1));
            let archive = folder(d, &docs, "Archive", o, day(200));
            add_file(d, &archive, "old-notes.md", &files.old_notes_md, o, day(190));
            add_file(d, &pics, "contoso-logo.png", &files.logo_png, o, day(280));
            add_file(d, &pics, "team-offsite.png", &files.offsite_png, o, day(40));
            add_file(d, &pics, "whiteboard.png", &files.whiteboard_png, o, day(8));
            add_file(d, &root, "Expenses.csv", &files.expenses_csv, o, day(15));
        }
        demo::SECOND_USER_ID => {
            let docs = folder(d, &root, "Documents", o, day(350));
            if let Some(i) = d.items.get_mut(&docs) {
                i.special = Some("documents");
            }
            let sales = folder(d, &docs, "Sales Materials", o, day(60));
            add_file(d, &sales, "Contoso Sales Pitch.pptx", &files.sales_pitch_pptx, o, day(14));
            add_file(d, &sales, "Price List.xlsx", &files.price_list_xlsx, o, day(9));
            let pid = perm_id(d, &sales, 3);
            let _ = d.grant(&sales, demo::USER_ID, &["write"], pid);
        }
        demo::THIRD_USER_ID => {
            let docs = folder(d, &root, "Documents", o, day(320));
            if let Some(i) = d.items.get_mut(&docs) {
                i.special = Some("documents");
            }
            let plan = add_file(d, &docs, "Marketing Plan.docx", &files.marketing_plan_docx, o, day(18));
            let pid = perm_id(d, &plan, 4);
            let _ = d.grant(&plan, demo::USER_ID, &["read"], pid);
            add_file(d, &docs, "Contoso Brand Guide.pdf", &files.brand_guide_pdf, o, day(50));
        }
        _ => {}
    }
    // The demo state is the starting point: nothing in it is a "change".
    for i in d.items.values_mut() {
        i.etag_n = 1;
    }
}

// ---------------------------------------------------------------------------- signed URLs

fn mac(key: u64, payload: &str) -> String {
    let mut h = splitmix(key);
    for chunk in payload.as_bytes().chunks(8) {
        let mut b = [0u8; 8];
        b[..chunk.len()].copy_from_slice(chunk);
        h = splitmix(h ^ u64::from_le_bytes(b));
    }
    format!("{:016x}{:016x}", h, splitmix(h ^ key))
}

/// A signed, expiring token for a pre-authenticated URL.
pub(crate) fn sign(key: u64, fields: &[&str], now: DateTime<Utc>) -> String {
    let exp = (now + Duration::seconds(URL_LIFETIME_SECS)).timestamp();
    let payload = format!("{}|{exp}", fields.join("|"));
    format!("{}.{}", URL_SAFE_NO_PAD.encode(&payload), mac(key, &payload))
}

/// The fields of a token this emulator signed, if it is still valid.
pub(crate) fn verify(key: u64, token: &str, now: DateTime<Utc>) -> Option<Vec<String>> {
    let (payload, sig) = token.split_once('.')?;
    let payload = String::from_utf8(URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
    if mac(key, &payload) != sig {
        return None;
    }
    let mut fields: Vec<String> = payload.split('|').map(str::to_owned).collect();
    let exp: i64 = fields.pop()?.parse().ok()?;
    (exp > now.timestamp()).then_some(fields)
}

// ---------------------------------------------------------------------------- rendering

/// What rendering needs besides the drive: where the client is, who the users are.
pub(crate) struct View<'a> {
    /// The origin of pre-authenticated URLs (another host name for the same socket).
    pub preauth: &'a str,
    pub key: u64,
    pub users: &'a [UserRec],
    pub now: DateTime<Utc>,
}

impl View<'_> {
    /// `{"user": {"email", "id", "displayName"}}`.
    pub fn identity(&self, user_id: &str) -> Value {
        match self.users.iter().find(|u| u.id == user_id) {
            Some(u) => json!({"user": {"email": u.mail, "id": u.id, "displayName": u.display_name}}),
            None => json!({"user": {"displayName": "System Account"}}),
        }
    }

    /// A download URL for a file (or one of its versions).
    pub fn download_url(&self, drive: &DriveRec, item: &ItemRec, version: &str) -> String {
        format!("{}/download/{}", self.preauth, sign(self.key, &["d", &drive.id, &item.id, version], self.now))
    }

    /// The drive resource.
    pub fn drive(&self, d: &DriveRec) -> Value {
        let (used, deleted) = d.usage();
        json!({
            "id": d.id,
            "driveType": "business",
            "name": "OneDrive",
            "description": "",
            "createdDateTime": format_utc(d.created),
            "lastModifiedDateTime": format_utc(d.items.get(&d.root_id).map(|r| r.modified).unwrap_or(d.created)),
            "webUrl": format!("{TENANT_HOST}/personal/{}/Documents", personal_segment(&d.owner_upn)),
            "createdBy": {"user": {"displayName": "System Account"}},
            "lastModifiedBy": self.identity(&d.owner_id),
            "owner": self.identity(&d.owner_id),
            "quota": {
                "deleted": deleted,
                "remaining": DRIVE_TOTAL.saturating_sub(used + deleted),
                "state": "normal",
                "total": DRIVE_TOTAL,
                "used": used,
            },
        })
    }

    fn parent_reference(&self, d: &DriveRec, item: &ItemRec, with_path: bool) -> Value {
        let mut p = Map::new();
        p.insert("driveType".into(), json!("business"));
        p.insert("driveId".into(), json!(d.id));
        if let Some(parent) = item.parent_id.as_deref().and_then(|id| d.items.get(id)) {
            p.insert("id".into(), json!(parent.id));
            if parent.parent_id.is_some() {
                p.insert("name".into(), json!(parent.name));
            }
            if with_path && parent.is_live() {
                p.insert("path".into(), json!(format!("/drives/{}/root:{}", d.id, d.path_of(&parent.id))));
            }
        }
        Value::Object(p)
    }

    /// A driveItem as Graph renders it. In delta answers, `cTag` and
    /// `parentReference.path` are left out, as OneDrive for Business does.
    pub fn item(&self, d: &DriveRec, item: &ItemRec, in_delta: bool) -> Value {
        let mut o = Map::new();
        o.insert("id".into(), json!(item.id));
        o.insert("name".into(), json!(if item.parent_id.is_none() { "root" } else { item.name.as_str() }));
        o.insert("eTag".into(), json!(item.etag()));
        o.insert("createdDateTime".into(), json!(format_utc(item.created)));
        o.insert("lastModifiedDateTime".into(), json!(format_utc(item.modified)));
        o.insert("createdBy".into(), self.identity(&item.created_by));
        o.insert("lastModifiedBy".into(), self.identity(&item.modified_by));
        o.insert("webUrl".into(), json!(d.web_url(&item.id)));
        o.insert("size".into(), json!(d.size_of(&item.id)));
        o.insert("parentReference".into(), self.parent_reference(d, item, !in_delta));
        o.insert(
            "fileSystemInfo".into(),
            json!({
                "createdDateTime": item.fs_created.clone().unwrap_or_else(|| format_utc(item.created)),
                "lastModifiedDateTime": item.fs_modified.clone().unwrap_or_else(|| format_utc(item.modified)),
            }),
        );
        if let Some(desc) = &item.description {
            o.insert("description".into(), json!(desc));
        }
        if item.folder {
            o.insert("folder".into(), json!({"childCount": d.children(&item.id).len()}));
        } else {
            if !in_delta {
                o.insert("cTag".into(), json!(item.ctag()));
            }
            o.insert("file".into(), json!({"mimeType": item.mime, "hashes": {"quickXorHash": item.hash}}));
            o.insert("@microsoft.graph.downloadUrl".into(), json!(self.download_url(d, item, "")));
            if let Some((w, h)) = png_size(&item.content) {
                o.insert("image".into(), json!({"width": w, "height": h}));
            }
        }
        if item.parent_id.is_none() {
            o.insert("root".into(), json!({}));
        }
        if let Some(s) = item.special {
            o.insert("specialFolder".into(), json!({"name": s}));
        }
        let live_perms: Vec<&PermissionRec> =
            item.permissions.iter().filter(|p| p.expires.is_none_or(|e| e > self.now)).collect();
        if !live_perms.is_empty() {
            let scope = if live_perms.iter().any(|p| p.link.as_ref().is_some_and(|l| l.scope == "anonymous")) {
                "anonymous"
            } else if live_perms.iter().any(|p| p.link.as_ref().is_some_and(|l| l.scope == "organization")) {
                "organization"
            } else {
                "users"
            };
            o.insert("shared".into(), json!({"scope": scope, "owner": self.identity(&d.owner_id)}));
        }
        Value::Object(o)
    }

    /// A deleted item in a delta answer: id, the `deleted` facet, its parent and kind.
    pub fn deleted_item(&self, d: &DriveRec, id: &str) -> Value {
        let (parent, folder, at) = match d.items.get(id) {
            Some(i) => (i.parent_id.clone(), i.folder, i.deleted.as_ref().map(|x| x.at).unwrap_or(i.changed_at)),
            None => match d.tombstones.iter().rev().find(|t| t.id == id) {
                Some(t) => (t.parent_id.clone(), t.folder, t.at),
                None => (None, false, self.now),
            },
        };
        let mut o = Map::new();
        o.insert("id".into(), json!(id));
        o.insert("deleted".into(), json!({"state": "deleted"}));
        o.insert("lastModifiedDateTime".into(), json!(format_utc(at)));
        let mut p = json!({"driveType": "business", "driveId": d.id});
        if let Some(pid) = parent {
            p["id"] = json!(pid);
        }
        o.insert("parentReference".into(), p);
        if folder {
            o.insert("folder".into(), json!({"childCount": 0}));
        } else {
            o.insert("file".into(), json!({}));
        }
        Value::Object(o)
    }

    /// An item of another drive, as search across drives and `sharedWithMe`
    /// show it: the `remoteItem` facet says where it lives.
    pub fn remote_item(&self, mine: Option<&DriveRec>, owner: &DriveRec, item: &ItemRec) -> Value {
        let full = self.item(owner, item, false);
        let mut remote = Map::new();
        for k in [
            "id",
            "name",
            "size",
            "webUrl",
            "createdBy",
            "lastModifiedBy",
            "createdDateTime",
            "lastModifiedDateTime",
            "fileSystemInfo",
            "file",
            "folder",
            "image",
        ] {
            if let Some(v) = full.get(k) {
                remote.insert(k.into(), v.clone());
            }
        }
        remote.insert("parentReference".into(), self.parent_reference(owner, item, false));
        remote.insert("shared".into(), json!({"owner": self.identity(&owner.owner_id)}));
        let mut o = Map::new();
        for k in [
            "id",
            "name",
            "size",
            "webUrl",
            "createdBy",
            "lastModifiedBy",
            "createdDateTime",
            "lastModifiedDateTime",
            "file",
            "folder",
        ] {
            if let Some(v) = full.get(k) {
                o.insert(k.into(), v.clone());
            }
        }
        if let Some(m) = mine {
            o.insert("parentReference".into(), json!({"driveId": m.id, "driveType": "business"}));
        }
        o.insert("remoteItem".into(), Value::Object(remote));
        Value::Object(o)
    }

    /// The item's thumbnail sets (one, `"0"`), for images and documents.
    pub fn thumbnails(&self, d: &DriveRec, item: &ItemRec) -> Vec<Value> {
        let Some((w, h)) = thumbnail_source_size(item) else {
            return Vec::new();
        };
        let mut set = Map::new();
        set.insert("id".into(), json!("0"));
        for (name, longest) in [("small", 96u32), ("medium", 176), ("large", 800)] {
            let (tw, th) = scale(w, h, longest);
            set.insert(name.into(), self.thumbnail(d, item, tw, th));
        }
        vec![Value::Object(set)]
    }

    /// One thumbnail: its size and pre-authenticated URL.
    pub fn thumbnail(&self, d: &DriveRec, item: &ItemRec, w: u32, h: u32) -> Value {
        let (ws, hs) = (w.to_string(), h.to_string());
        let token = sign(self.key, &["t", &d.id, &item.id, &ws, &hs], self.now);
        json!({"width": w, "height": h, "url": format!("{}/thumbnails/{token}", self.preauth)})
    }

    /// The versions of a file, newest (current) first.
    pub fn versions(&self, d: &DriveRec, item: &ItemRec) -> Vec<Value> {
        if item.folder {
            return Vec::new();
        }
        let mut out = vec![json!({
            "id": format!("{}.0", item.version),
            "lastModifiedDateTime": format_utc(item.modified),
            "lastModifiedBy": self.identity(&item.modified_by),
            "size": item.content.len(),
            "@microsoft.graph.downloadUrl": self.download_url(d, item, ""),
        })];
        for v in item.versions.iter().rev() {
            out.push(json!({
                "id": v.label,
                "lastModifiedDateTime": format_utc(v.modified),
                "lastModifiedBy": self.identity(&v.modified_by),
                "size": v.content.len(),
                "@microsoft.graph.downloadUrl": self.download_url(d, item, &v.label),
            }));
        }
        out
    }

    /// A permission resource.
    pub fn permission(&self, d: &DriveRec, p: &PermissionRec, inherited_from: Option<&ItemRec>) -> Value {
        let mut o = Map::new();
        o.insert("id".into(), json!(p.id));
        o.insert("roles".into(), json!(p.roles));
        o.insert("shareId".into(), json!(p.share_id));
        if let Some(l) = &p.link {
            let mut link = json!({"type": l.kind, "scope": l.scope, "webUrl": l.web_url, "preventsDownload": false});
            if l.kind == "embed" {
                link["webHtml"] = json!(format!(
                    "<iframe src=\"{}\" width=\"98\" height=\"120\" frameborder=\"0\" scrolling=\"no\"></iframe>",
                    l.web_url
                ));
            }
            o.insert("link".into(), link);
            if l.has_password {
                o.insert("hasPassword".into(), json!(true));
            }
        }
        if let Some(u) = &p.granted_to {
            let who = self.identity(u);
            o.insert("grantedTo".into(), who.clone());
            o.insert("grantedToV2".into(), who);
        }
        if let Some(e) = p.expires {
            o.insert("expirationDateTime".into(), json!(format_utc(e)));
        }
        if let Some(from) = inherited_from {
            o.insert(
                "inheritedFrom".into(),
                json!({"driveId": d.id, "driveType": "business", "id": from.id, "path": format!("/drives/{}/root:{}", d.id, d.path_of(&from.id))}),
            );
        }
        Value::Object(o)
    }

    /// Everything `GET .../permissions` lists: the owner, the item's own, the inherited ones.
    pub fn permissions(&self, d: &DriveRec, item: &ItemRec) -> Vec<Value> {
        let owner_id = URL_SAFE_NO_PAD.encode(bytes_from(hash_str(&d.owner_id) ^ 0x6f776e, 18));
        let who = self.identity(&d.owner_id);
        let mut out = vec![
            json!({"id": owner_id, "roles": ["owner"], "grantedTo": who, "grantedToV2": who, "shareId": format!("s!{owner_id}")}),
        ];
        let live = |p: &&PermissionRec| p.expires.is_none_or(|e| e > self.now);
        out.extend(item.permissions.iter().filter(live).map(|p| self.permission(d, p, None)));
        for a in d.ancestors(&item.id) {
            if let Some(anc) = d.items.get(&a) {
                out.extend(anc.permissions.iter().filter(live).map(|p| self.permission(d, p, Some(anc))));
            }
        }
        out
    }
}

/// The size thumbnails are made from: an image's, or a page for documents.
pub(crate) fn thumbnail_source_size(item: &ItemRec) -> Option<(u32, u32)> {
    if item.folder {
        return None;
    }
    if let Some(size) = png_size(&item.content) {
        return Some(size);
    }
    let ext = item.name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "pptx" | "ppt" => Some((1280, 720)),
        "docx" | "doc" | "pdf" | "xlsx" | "xls" | "txt" | "md" | "csv" => Some((816, 1056)),
        "jpg" | "jpeg" | "gif" | "bmp" => Some((800, 600)),
        _ => None,
    }
}

/// `(w, h)` scaled so the longest side is at most `longest`.
pub(crate) fn scale(w: u32, h: u32, longest: u32) -> (u32, u32) {
    let big = w.max(h).max(1);
    if big <= longest {
        return (w.max(1), h.max(1));
    }
    let f = longest as f64 / big as f64;
    (((w as f64 * f).round() as u32).max(1), ((h as f64 * f).round() as u32).max(1))
}

/// Keeps `@odata.*` annotations, `id` and the `$select`ed properties (an
/// explicitly selected `@microsoft.graph.downloadUrl` included).
pub(crate) fn select(item: Value, sel: Option<&[String]>) -> Value {
    let (Some(sel), Value::Object(obj)) = (sel, &item) else {
        return item;
    };
    if sel.iter().any(|s| s == "*") {
        return item;
    }
    let mut out = Map::new();
    for (k, v) in obj {
        if k.starts_with("@odata.") || k == "id" || sel.iter().any(|s| s.eq_ignore_ascii_case(k)) {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user() -> UserRec {
        UserRec {
            id: demo::USER_ID.into(),
            upn: demo::USER_UPN.into(),
            mail: demo::USER_UPN.into(),
            display_name: "Adele Vance".into(),
            profile: Map::new(),
        }
    }

    #[test]
    fn ids_are_business_shaped_and_deterministic() {
        let a = DriveRec::new(&user(), Utc::now());
        let b = DriveRec::new(&user(), Utc::now());
        assert_eq!(a.id, b.id);
        assert!(a.id.starts_with("b!") && a.id.len() == 66, "{}", a.id);
        assert_eq!(a.root_id.len(), 34);
        assert!(a.root_id.starts_with("01") && a.root_id.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
    }

    #[test]
    fn paths_resolve_case_insensitively_and_report_the_missing_part() {
        let now = Utc::now();
        let mut d = DriveRec::new(&user(), now);
        let root = d.root_id.clone();
        let docs = d.create(&root, "Documents", true, demo::USER_ID, now).unwrap();
        let f = d
            .put_file(&docs, "a b#c.txt", Conflict::Fail, Bytes::from_static(b"x"), None, demo::USER_ID, now)
            .unwrap()
            .1;
        assert_eq!(d.resolve(&root, &["documents".into(), "A B#C.TXT".into()]).unwrap(), Lookup::Found(f.clone()));
        assert_eq!(
            d.resolve(&root, &["Documents".into(), "new".into(), "x.txt".into()]).unwrap(),
            Lookup::Missing { parent: docs.clone(), rest: vec!["new".into(), "x.txt".into()] }
        );
        assert_eq!(d.path_of(&f), "/Documents/a b#c.txt");
        assert!(d.web_url(&f).ends_with("/Documents/Documents/a%20b%23c.txt"));
        assert_eq!(d.unique_name(&docs, "a b#c.txt"), "a b#c 1.txt");
        assert!(check_name("what?.txt", false).is_err());
    }

    #[test]
    fn signed_tokens_verify_and_reject_tampering() {
        let now = Utc::now();
        let t = sign(42, &["d", "drive", "item", ""], now);
        assert_eq!(verify(42, &t, now).unwrap(), vec!["d", "drive", "item", ""]);
        assert!(verify(43, &t, now).is_none());
        assert!(verify(42, &t, now + Duration::hours(2)).is_none());
        assert!(verify(42, &format!("x{t}"), now).is_none());
    }

    #[test]
    fn tags_match_with_or_without_quotes() {
        let now = Utc::now();
        let d = DriveRec::new(&user(), now);
        let root = &d.items[&d.root_id];
        assert!(root.matches_tag(&root.etag()));
        assert!(root.matches_tag(root.etag().trim_matches('"')));
        assert!(root.matches_tag("*"));
        assert!(!root.matches_tag("\"{00000000-0000-0000-0000-000000000000},1\""));
    }
}
