//! [`EmulatorHandle`] methods for OneDrive and upload sessions: what a
//! drive holds, putting files in place for a test, expiring sessions.

use axum::body::Bytes;
use chrono::Utc;
use serde_json::Value;

use crate::context::lock;
use crate::state::drive::{Conflict, Lookup, View, ensure_drive};
use crate::state::store::Store;
use crate::state::upload::preauth_origin;
use crate::{EmulatorHandle, Error, Result};

fn components(path: &str) -> Vec<String> {
    path.split('/').filter(|c| !c.is_empty()).map(str::to_owned).collect()
}

impl EmulatorHandle {
    fn with_drive<T>(&self, user: &str, f: impl FnOnce(&mut Store, usize, &View) -> Result<T>) -> Result<T> {
        let mut store = lock(&self.shared.store);
        let uid = store.user(user).map(|u| u.id.clone()).ok_or_else(|| Error::NotFound(format!("user {user}")))?;
        let di = ensure_drive(&mut store, &uid).map_err(|e| Error::NotFound(e.message))?;
        let origin = format!("http://{}", self.shared.addr);
        let preauth = preauth_origin(&origin);
        let users = store.users.clone();
        let view = View { preauth: &preauth, key: store.drive.key, users: &users, now: Utc::now() };
        f(&mut store, di, &view)
    }

    /// A user's drive (UPN, mail or id), as `GET /users/{id}/drive` renders
    /// it. Drives are provisioned on first use, like Graph does.
    pub fn drive(&self, user: &str) -> Result<Value> {
        self.with_drive(user, |store, di, view| Ok(view.drive(&store.drive.drives[di])))
    }

    /// Every item of a user's drive outside the recycle bin, root first,
    /// parents before children, as Graph renders them.
    pub fn drive_items(&self, user: &str) -> Result<Vec<Value>> {
        self.with_drive(user, |store, di, view| {
            let d = &store.drive.drives[di];
            Ok(d.subtree(&d.root_id, false)
                .iter()
                .filter_map(|id| d.items.get(id))
                .map(|i| view.item(d, i, false))
                .collect())
        })
    }

    /// One item of a user's drive by path (`/Documents/report.pdf`; `/` is the root).
    pub fn drive_item(&self, user: &str, path: &str) -> Result<Value> {
        self.with_drive(user, |store, di, view| {
            let d = &store.drive.drives[di];
            match d.resolve(&d.root_id, &components(path)) {
                Ok(Lookup::Found(id)) => Ok(view.item(d, &d.items[&id], false)),
                _ => Err(Error::NotFound(format!("drive item {path}"))),
            }
        })
    }

    /// The content of a file of a user's drive, by path.
    pub fn drive_file_content(&self, user: &str, path: &str) -> Result<Vec<u8>> {
        self.with_drive(user, |store, di, _| {
            let d = &store.drive.drives[di];
            match d.resolve(&d.root_id, &components(path)) {
                Ok(Lookup::Found(id)) if !d.items[&id].folder => Ok(d.items[&id].content.to_vec()),
                _ => Err(Error::NotFound(format!("drive file {path}"))),
            }
        })
    }

    /// Puts a file at a path of a user's drive (`/Reports/q3.csv`), making
    /// the folders on the way. An existing file gets the content as a new
    /// version. Returns the item id. Delta reports it as a change.
    pub fn add_drive_file(&self, user: &str, path: &str, content: impl Into<Vec<u8>>) -> Result<String> {
        let content = Bytes::from(content.into());
        self.with_drive(user, |store, di, _| {
            let d = &mut store.drive.drives[di];
            let comps = components(path);
            let (name, folders) =
                comps.split_last().ok_or_else(|| Error::InvalidInput("a file path is required".into()))?;
            let owner = d.owner_id.clone();
            let root = d.root_id.clone();
            let now = Utc::now();
            let parent = d.ensure_folders(&root, folders, &owner, now).map_err(|e| Error::InvalidInput(e.message))?;
            d.put_file(&parent, name, Conflict::Replace, content, None, &owner, now)
                .map(|(_, id)| id)
                .map_err(|e| Error::InvalidInput(e.message))
        })
    }

    /// Makes a folder (and the folders above it) in a user's drive. Returns its id.
    pub fn add_drive_folder(&self, user: &str, path: &str) -> Result<String> {
        self.with_drive(user, |store, di, _| {
            let d = &mut store.drive.drives[di];
            let owner = d.owner_id.clone();
            let root = d.root_id.clone();
            d.ensure_folders(&root, &components(path), &owner, Utc::now()).map_err(|e| Error::InvalidInput(e.message))
        })
    }

    /// Makes every upload session expired: their upload URLs answer 404
    /// from now on, as after `expirationDateTime` on Graph.
    pub fn expire_upload_sessions(&self) {
        lock(&self.shared.store).uploads.expire_all();
    }

    /// How many upload sessions are open (not completed, cancelled or expired).
    pub fn upload_session_count(&self) -> usize {
        lock(&self.shared.store).uploads.len()
    }
}
