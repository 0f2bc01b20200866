//! [`EmulatorHandle`] methods for OneNote: what a user's notebooks,
//! sections and pages hold, and a page's stored HTML.

use serde_json::{Value, json};

use crate::context::lock;
use crate::state::store::Store;
use crate::{EmulatorHandle, Error, Result};

fn user_id(store: &Store, user: &str) -> Result<String> {
    store.user(user).map(|u| u.id.clone()).ok_or_else(|| Error::NotFound(format!("user {user}")))
}

impl EmulatorHandle {
    /// A user's OneNote sections (UPN, mail or id): `id`, `displayName`,
    /// `notebook` (its name), `sectionGroup` (its name or null), `pageCount`.
    /// The demo users have two notebooks ("{First name}'s Notebook", the
    /// default, and "Personal"), six sections, one of them in the section
    /// group "Archive", and a dozen pages.
    pub fn onenote_sections(&self, user: &str) -> Result<Vec<Value>> {
        let mut store = lock(&self.shared.store);
        let uid = user_id(&store, user)?;
        let notes = store.onenote_mut(&uid);
        Ok(notes
            .sections
            .iter()
            .map(|s| {
                let notebook = notes.notebooks.iter().find(|n| n.id == s.notebook_id).map(|n| n.name.clone());
                let group =
                    s.group_id.as_ref().and_then(|g| notes.groups.iter().find(|x| x.id == *g)).map(|g| g.name.clone());
                json!({
                    "id": s.id,
                    "displayName": s.name,
                    "notebook": notebook,
                    "sectionGroup": group,
                    "isDefault": s.is_default,
                    "pageCount": notes.pages.iter().filter(|p| p.section_id == s.id).count(),
                })
            })
            .collect())
    }

    /// A user's OneNote pages, in the order they were stored: `id`, `title`,
    /// `sectionId`, `section` (its name), `createdDateTime`, `lastModifiedDateTime`.
    pub fn onenote_pages(&self, user: &str) -> Result<Vec<Value>> {
        let mut store = lock(&self.shared.store);
        let uid = user_id(&store, user)?;
        let notes = store.onenote_mut(&uid);
        Ok(notes
            .pages
            .iter()
            .map(|p| {
                let section = notes.sections.iter().find(|s| s.id == p.section_id).map(|s| s.name.clone());
                json!({
                    "id": p.id,
                    "title": p.title,
                    "sectionId": p.section_id,
                    "section": section,
                    "createdDateTime": crate::time::format_utc(p.created),
                    "lastModifiedDateTime": crate::time::format_utc(p.modified),
                })
            })
            .collect())
    }

    /// A page's output HTML as `GET .../pages/{id}/content` serves it
    /// (`include_ids`: with the generated element ids, as `includeIDs=true`).
    pub fn onenote_page_html(&self, user: &str, page_id: &str, include_ids: bool) -> Result<String> {
        let base = format!("http://{}/v1.0/", self.shared.addr);
        let mut store = lock(&self.shared.store);
        let uid = user_id(&store, user)?;
        let notes = store.onenote_mut(&uid);
        let page = notes
            .pages
            .iter()
            .find(|p| p.id == page_id)
            .ok_or_else(|| Error::NotFound(format!("OneNote page {page_id}")))?;
        let resources = format!("{base}users('{uid}')/onenote/resources/");
        Ok(page.output_html(include_ids, &resources, &notes.resources))
    }
}
