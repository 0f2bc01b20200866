//! [`Onenote`]: a user's OneNote, and its notebooks, section groups and sections.

use std::collections::HashMap;

use msgraph_core::{Action, Error, GetBuilder, GraphClient, GraphPath, ListBuilder, Request, Response, Result};
use serde_json::json;

use crate::limit::Gate;
use crate::{
    CreatePage, Notebook, OnenoteAction, OnenoteGet, OnenoteList, OnenoteOperation, OnenoteSection, Pages,
    SectionGroup, Template, page_text,
};

/// A user's OneNote. Get it from [`OnenoteExt::onenote`](crate::OnenoteExt::onenote).
///
/// Permissions: delegated `Notes.Read` to read, `Notes.Create` to create
/// notebooks, sections and pages, `Notes.ReadWrite` to change or delete
/// pages; application `Notes.Read.All` / `Notes.ReadWrite.All` with
/// `client.user(id)`.
///
/// At most [`DEFAULT_CONCURRENCY`](crate::DEFAULT_CONCURRENCY) requests of
/// one user are in flight at once, over every handler of that user
/// (OneNote throttles beyond that, with 429s that carry no `Retry-After`).
///
/// ```no_run
/// use msgraph_onenote::OnenoteExt;
/// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
/// let onenote = client.me().onenote();
/// for nb in onenote.notebooks().list().with_sections().send().await?.value {
///     println!("{:?}: {} sections", nb.display_name, nb.sections.map_or(0, |s| s.len()));
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Onenote {
    pub(crate) client: GraphClient,
    /// `{user}/onenote`
    pub(crate) root: GraphPath,
    pub(crate) gate: Gate,
}

impl Onenote {
    pub(crate) fn new(client: GraphClient, user: GraphPath) -> Self {
        let key = user.to_url(client.base_url()).map(|u| u.to_string()).unwrap_or_else(|_| user.to_string());
        let gate = Gate::shared(key);
        Onenote { client, root: user.push("onenote"), gate }
    }

    /// This handler (and its clones) with a request limit of its own:
    /// at most `max` requests in flight (at least one).
    pub fn with_concurrency_limit(mut self, max: usize) -> Self {
        self.gate = Gate::new(max);
        self
    }

    /// The most requests this handler has in flight at once.
    pub fn concurrency_limit(&self) -> usize {
        self.gate.max()
    }

    pub(crate) fn list<T: serde::de::DeserializeOwned + Send + 'static>(&self, path: GraphPath) -> OnenoteList<T> {
        OnenoteList::new(ListBuilder::new(self.client.clone(), path), self.gate.clone())
    }

    pub(crate) fn get<T: serde::de::DeserializeOwned + Send + 'static>(&self, path: GraphPath) -> OnenoteGet<T> {
        OnenoteGet::new(GetBuilder::new(self.client.clone(), path), self.gate.clone())
    }

    pub(crate) fn action<T>(&self, action: Action<T>) -> OnenoteAction<T> {
        OnenoteAction::new(action, self.gate.clone())
    }

    /// The notebooks.
    pub fn notebooks(&self) -> Notebooks {
        Notebooks { on: self.clone() }
    }

    /// The section groups.
    pub fn section_groups(&self) -> SectionGroups {
        SectionGroups { on: self.clone() }
    }

    /// The sections.
    pub fn sections(&self) -> Sections {
        Sections { on: self.clone() }
    }

    /// The pages.
    pub fn pages(&self) -> Pages {
        Pages::new(self.clone())
    }

    /// The status of a long-running operation (a page copy). [`Pages::copy_to_section`]
    /// polls it for you.
    ///
    /// `GET /me/onenote/operations/{id}` · [Get onenoteOperation](https://learn.microsoft.com/graph/api/onenoteoperation-get) ·
    /// permissions: delegated `Notes.Read`, application `Notes.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_onenote::OnenoteExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let op = client.me().onenote().operation("copy-5c4d2d0b").await?;
    /// println!("{:?} {:?}", op.status, op.resource_id);
    /// # Ok(()) }
    /// ```
    pub fn operation(&self, id: impl Into<String>) -> OnenoteAction<OnenoteOperation> {
        let id = id.into();
        let request =
            non_empty(&id, "an operation id").map(|()| Request::get(self.root.clone().push("operations").id(id)));
        self.action(Action::json(self.client.clone(), request))
    }

    /// Creates a page from Markdown (CommonMark, tables, task lists; see
    /// [`render_markdown`](crate::render_markdown)). Images given as local
    /// files are sent as parts of a multipart request (relative paths from
    /// the working directory, or from [`CreatePage::base_dir`]).
    ///
    /// `POST /me/onenote/sections/{id}/pages` · [Create page](https://learn.microsoft.com/graph/api/section-post-pages) ·
    /// permissions: delegated `Notes.Create`, application `Notes.ReadWrite.All`.
    ///
    /// ```no_run
    /// use msgraph_onenote::OnenoteExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let md = "## Results\n\n| Team | Score |\n| --- | ---: |\n| Red | 3 |\n\n- [x] Review\n- [ ] Ship\n\n![chart](chart.png)";
    /// let page = client.me().onenote()
    ///     .create_page_from_markdown("1-0f8a8f4c-8d6e-4f0b-9b9b-0a0a0a0a0a0a", "Weekly report", md)
    ///     .base_dir("out")
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn create_page_from_markdown(
        &self,
        section_id: impl Into<String>,
        title: impl Into<String>,
        markdown: &str,
    ) -> CreatePage {
        let page = crate::render_markdown(markdown);
        self.pages().create(section_id, title, page.html).local_images(page.images)
    }

    /// Creates a page from a [`Template`] and its variables (HTML-escaped;
    /// a missing variable is an [`Error::InvalidInput`] naming every missing
    /// one, before anything is sent). `{{title}}` is the page title unless given.
    ///
    /// `POST /me/onenote/sections/{id}/pages` · [Create page](https://learn.microsoft.com/graph/api/section-post-pages) ·
    /// permissions: delegated `Notes.Create`, application `Notes.ReadWrite.All`.
    ///
    /// ```no_run
    /// use msgraph_onenote::{OnenoteExt, Template};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let page = client.me().onenote().create_page_from_template(
    ///     "1-0f8a8f4c-8d6e-4f0b-9b9b-0a0a0a0a0a0a",
    ///     &Template::MeetingNotes,
    ///     "Weekly sync",
    ///     [
    ///         ("date", "2026-03-02"),
    ///         ("attendees", "Ada, Grace, Linus"),
    ///         ("agenda", "Budget\nHiring"),
    ///         ("notes", "Budget approved."),
    ///         ("action_items", "Send minutes\nBook room for next week"),
    ///     ],
    /// ).await?;
    /// # Ok(()) }
    /// ```
    pub fn create_page_from_template<I, K, V>(
        &self,
        section_id: impl Into<String>,
        template: &Template,
        title: impl Into<String>,
        variables: I,
    ) -> CreatePage
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let title = title.into();
        let mut vars: HashMap<String, String> = variables.into_iter().map(|(k, v)| (k.into(), v.into())).collect();
        vars.entry("title".to_owned()).or_insert_with(|| title.clone());
        match template.render_map(&vars) {
            Ok(page) => self.pages().create(section_id, title, page.html).local_images(page.images),
            Err(e) => self.pages().create(section_id, title, String::new()).fail(e),
        }
    }

    /// The plain text of a page ([`page_text`] of its content).
    ///
    /// `GET /me/onenote/pages/{id}/content` · [Get page content](https://learn.microsoft.com/graph/api/page-get) ·
    /// permissions: delegated `Notes.Read`, application `Notes.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_onenote::OnenoteExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let text = client.me().onenote().extract_text("1-9a6b1f0f0a4c4e2b8f8c0e1d2c3b4a59!1-0f8a8f4c").await?;
    /// # Ok(()) }
    /// ```
    pub fn extract_text(&self, page_id: impl Into<String>) -> OnenoteAction<String> {
        let id = page_id.into();
        let request = non_empty(&id, "a page id").map(|()| Request::get(self.pages().path(id).push("content")));
        self.action(Action::with_decoder(self.client.clone(), request, |r: Response| {
            crate::pages::utf8(r).map(|html| page_text(&html))
        }))
    }
}

/// The notebooks of a user's OneNote; from [`Onenote::notebooks`].
///
/// ```no_run
/// use msgraph_onenote::OnenoteExt;
/// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
/// let notebooks = client.me().onenote().notebooks();
/// let work = notebooks.create("Work").await?;
/// let inbox = notebooks.create_section(work.id.unwrap_or_default(), "Inbox").await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Notebooks {
    on: Onenote,
}

impl Notebooks {
    fn path(&self) -> GraphPath {
        self.on.root.clone().push("notebooks")
    }

    /// The notebooks (add [`with_sections`](OnenoteList::with_sections) for
    /// their sections and section groups in the same call).
    ///
    /// `GET /me/onenote/notebooks` · [List notebooks](https://learn.microsoft.com/graph/api/onenote-list-notebooks) ·
    /// permissions: delegated `Notes.Read`, application `Notes.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_onenote::OnenoteExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let all = client.me().onenote().notebooks().list().order_by("displayName").send().await?;
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> OnenoteList<Notebook> {
        self.on.list(self.path())
    }

    /// One notebook.
    ///
    /// `GET /me/onenote/notebooks/{id}` · [Get notebook](https://learn.microsoft.com/graph/api/notebook-get) ·
    /// permissions: delegated `Notes.Read`, application `Notes.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_onenote::OnenoteExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let nb = client.me().onenote().notebooks().get("1-0f8a8f4c").with_sections().await?;
    /// # Ok(()) }
    /// ```
    pub fn get(&self, id: impl Into<String>) -> OnenoteGet<Notebook> {
        self.on.get(self.path().id(id))
    }

    /// The notebook at a URL (its `oneNoteWebUrl`, a SharePoint or group
    /// notebook's address; an `onenote:` prefix is allowed).
    ///
    /// `POST /me/onenote/notebooks/GetNotebookFromWebUrl` · [Get notebook from web URL](https://learn.microsoft.com/graph/api/notebook-getnotebookfromweburl) ·
    /// permissions: delegated `Notes.Read`, application `Notes.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_onenote::OnenoteExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let nb = client.me().onenote().notebooks()
    ///     .from_web_url("https://contoso.sharepoint.com/sites/team/SiteAssets/Team%20Notebook")
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn from_web_url(&self, web_url: impl Into<String>) -> OnenoteAction<Notebook> {
        let url = web_url.into();
        let request = non_empty(&url, "a notebook URL")
            .and_then(|()| Request::post(self.path().push("GetNotebookFromWebUrl")).json(&json!({ "webUrl": url })));
        self.on.action(Action::json(self.on.client.clone(), request))
    }

    /// Creates a notebook (names: up to 128 characters, none of `? * \ / : < > | ' "`).
    ///
    /// `POST /me/onenote/notebooks` · [Create notebook](https://learn.microsoft.com/graph/api/onenote-post-notebooks) ·
    /// permissions: delegated `Notes.Create`, application `Notes.ReadWrite.All`.
    ///
    /// ```no_run
    /// use msgraph_onenote::OnenoteExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let nb = client.me().onenote().notebooks().create("Meeting notes").await?;
    /// # Ok(()) }
    /// ```
    pub fn create(&self, display_name: impl Into<String>) -> OnenoteAction<Notebook> {
        let name = display_name.into();
        let request = check_name(&name, "a notebook name", 128, NOTEBOOK_FORBIDDEN)
            .and_then(|()| Request::post(self.path()).json(&json!({ "displayName": name })));
        self.on.action(Action::json(self.on.client.clone(), request))
    }

    /// The sections directly in a notebook.
    ///
    /// `GET /me/onenote/notebooks/{id}/sections` · [List sections](https://learn.microsoft.com/graph/api/notebook-list-sections) ·
    /// permissions: delegated `Notes.Read`, application `Notes.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_onenote::OnenoteExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let sections = client.me().onenote().notebooks().sections("1-0f8a8f4c").send().await?;
    /// # Ok(()) }
    /// ```
    pub fn sections(&self, notebook_id: impl Into<String>) -> OnenoteList<OnenoteSection> {
        self.on.list(self.path().id(notebook_id).push("sections"))
    }

    /// The section groups directly in a notebook.
    ///
    /// `GET /me/onenote/notebooks/{id}/sectionGroups` · [List section groups](https://learn.microsoft.com/graph/api/notebook-list-sectiongroups) ·
    /// permissions: delegated `Notes.Read`, application `Notes.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_onenote::OnenoteExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let groups = client.me().onenote().notebooks().section_groups("1-0f8a8f4c").send().await?;
    /// # Ok(()) }
    /// ```
    pub fn section_groups(&self, notebook_id: impl Into<String>) -> OnenoteList<SectionGroup> {
        self.on.list(self.path().id(notebook_id).push("sectionGroups"))
    }

    /// Creates a section in a notebook (names: up to 50 characters, none of
    /// `? * \ / : < > | & # " % ~`).
    ///
    /// `POST /me/onenote/notebooks/{id}/sections` · [Create section](https://learn.microsoft.com/graph/api/notebook-post-sections) ·
    /// permissions: delegated `Notes.Create`, application `Notes.ReadWrite.All`.
    ///
    /// ```no_run
    /// use msgraph_onenote::OnenoteExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let s = client.me().onenote().notebooks().create_section("1-0f8a8f4c", "Inbox").await?;
    /// # Ok(()) }
    /// ```
    pub fn create_section(
        &self,
        notebook_id: impl Into<String>,
        display_name: impl Into<String>,
    ) -> OnenoteAction<OnenoteSection> {
        let (id, name) = (notebook_id.into(), display_name.into());
        let request = non_empty(&id, "a notebook id")
            .and_then(|()| check_name(&name, "a section name", 50, SECTION_FORBIDDEN))
            .and_then(|()| Request::post(self.path().id(id).push("sections")).json(&json!({ "displayName": name })));
        self.on.action(Action::json(self.on.client.clone(), request))
    }

    /// Creates a section group in a notebook (names as for sections).
    ///
    /// `POST /me/onenote/notebooks/{id}/sectionGroups` · [Create section group](https://learn.microsoft.com/graph/api/notebook-post-sectiongroups) ·
    /// permissions: delegated `Notes.Create`, application `Notes.ReadWrite.All`.
    ///
    /// ```no_run
    /// use msgraph_onenote::OnenoteExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let g = client.me().onenote().notebooks().create_section_group("1-0f8a8f4c", "2026").await?;
    /// # Ok(()) }
    /// ```
    pub fn create_section_group(
        &self,
        notebook_id: impl Into<String>,
        display_name: impl Into<String>,
    ) -> OnenoteAction<SectionGroup> {
        let (id, name) = (notebook_id.into(), display_name.into());
        let request = non_empty(&id, "a notebook id")
            .and_then(|()| check_name(&name, "a section group name", 50, SECTION_FORBIDDEN))
            .and_then(|()| {
                Request::post(self.path().id(id).push("sectionGroups")).json(&json!({ "displayName": name }))
            });
        self.on.action(Action::json(self.on.client.clone(), request))
    }
}

/// `$expand=sections,sectionGroups($expand=sections)`: a notebook with its
/// sections and section groups (and theirs) in one call.
const EXPAND_SECTIONS: [&str; 2] = ["sections", "sectionGroups($expand=sections)"];

impl OnenoteList<Notebook> {
    /// Each notebook with its sections and section groups (with their
    /// sections): `$expand=sections,sectionGroups($expand=sections)`.
    pub fn with_sections(self) -> Self {
        self.expand(EXPAND_SECTIONS)
    }
}

impl OnenoteGet<Notebook> {
    /// The notebook with its sections and section groups (with their
    /// sections): `$expand=sections,sectionGroups($expand=sections)`.
    pub fn with_sections(self) -> Self {
        self.expand(EXPAND_SECTIONS)
    }
}

/// The section groups of a user's OneNote; from [`Onenote::section_groups`].
#[derive(Debug, Clone)]
pub struct SectionGroups {
    on: Onenote,
}

impl SectionGroups {
    fn path(&self) -> GraphPath {
        self.on.root.clone().push("sectionGroups")
    }

    /// Every section group, in every notebook.
    ///
    /// `GET /me/onenote/sectionGroups` · [List section groups](https://learn.microsoft.com/graph/api/onenote-list-sectiongroups) ·
    /// permissions: delegated `Notes.Read`, application `Notes.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_onenote::OnenoteExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let groups = client.me().onenote().section_groups().list().send().await?;
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> OnenoteList<SectionGroup> {
        self.on.list(self.path())
    }

    /// One section group.
    ///
    /// `GET /me/onenote/sectionGroups/{id}` · [Get section group](https://learn.microsoft.com/graph/api/sectiongroup-get) ·
    /// permissions: delegated `Notes.Read`, application `Notes.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_onenote::OnenoteExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let g = client.me().onenote().section_groups().get("1-7b9c").await?;
    /// # Ok(()) }
    /// ```
    pub fn get(&self, id: impl Into<String>) -> OnenoteGet<SectionGroup> {
        self.on.get(self.path().id(id))
    }

    /// The sections in a section group.
    ///
    /// `GET /me/onenote/sectionGroups/{id}/sections` · [List sections](https://learn.microsoft.com/graph/api/sectiongroup-list-sections) ·
    /// permissions: delegated `Notes.Read`, application `Notes.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_onenote::OnenoteExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let sections = client.me().onenote().section_groups().sections("1-7b9c").send().await?;
    /// # Ok(()) }
    /// ```
    pub fn sections(&self, group_id: impl Into<String>) -> OnenoteList<OnenoteSection> {
        self.on.list(self.path().id(group_id).push("sections"))
    }

    /// The section groups nested in a section group.
    ///
    /// `GET /me/onenote/sectionGroups/{id}/sectionGroups` · [List section groups](https://learn.microsoft.com/graph/api/sectiongroup-list-sectiongroups) ·
    /// permissions: delegated `Notes.Read`, application `Notes.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_onenote::OnenoteExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let nested = client.me().onenote().section_groups().section_groups("1-7b9c").send().await?;
    /// # Ok(()) }
    /// ```
    pub fn section_groups(&self, group_id: impl Into<String>) -> OnenoteList<SectionGroup> {
        self.on.list(self.path().id(group_id).push("sectionGroups"))
    }

    /// Creates a section in a section group.
    ///
    /// `POST /me/onenote/sectionGroups/{id}/sections` · [Create section](https://learn.microsoft.com/graph/api/sectiongroup-post-sections) ·
    /// permissions: delegated `Notes.Create`, application `Notes.ReadWrite.All`.
    ///
    /// ```no_run
    /// use msgraph_onenote::OnenoteExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let s = client.me().onenote().section_groups().create_section("1-7b9c", "March").await?;
    /// # Ok(()) }
    /// ```
    pub fn create_section(
        &self,
        group_id: impl Into<String>,
        display_name: impl Into<String>,
    ) -> OnenoteAction<OnenoteSection> {
        let (id, name) = (group_id.into(), display_name.into());
        let request = non_empty(&id, "a section group id")
            .and_then(|()| check_name(&name, "a section name", 50, SECTION_FORBIDDEN))
            .and_then(|()| Request::post(self.path().id(id).push("sections")).json(&json!({ "displayName": name })));
        self.on.action(Action::json(self.on.client.clone(), request))
    }
}

/// The sections of a user's OneNote; from [`Onenote::sections`].
#[derive(Debug, Clone)]
pub struct Sections {
    on: Onenote,
}

impl Sections {
    fn path(&self) -> GraphPath {
        self.on.root.clone().push("sections")
    }

    /// Every section, in every notebook and section group.
    ///
    /// `GET /me/onenote/sections` · [List sections](https://learn.microsoft.com/graph/api/onenote-list-sections) ·
    /// permissions: delegated `Notes.Read`, application `Notes.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_onenote::OnenoteExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let sections = client.me().onenote().sections().list().expand(["parentNotebook"]).send().await?;
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> OnenoteList<OnenoteSection> {
        self.on.list(self.path())
    }

    /// One section.
    ///
    /// `GET /me/onenote/sections/{id}` · [Get section](https://learn.microsoft.com/graph/api/section-get) ·
    /// permissions: delegated `Notes.Read`, application `Notes.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_onenote::OnenoteExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let s = client.me().onenote().sections().get("1-0f8a").await?;
    /// # Ok(()) }
    /// ```
    pub fn get(&self, id: impl Into<String>) -> OnenoteGet<OnenoteSection> {
        self.on.get(self.path().id(id))
    }

    /// The pages of a section (as [`Pages::list_in`]).
    ///
    /// `GET /me/onenote/sections/{id}/pages` · [List pages](https://learn.microsoft.com/graph/api/section-list-pages) ·
    /// permissions: delegated `Notes.Read`, application `Notes.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_onenote::OnenoteExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let pages = client.me().onenote().sections().pages("1-0f8a").top(50).send().await?;
    /// # Ok(()) }
    /// ```
    pub fn pages(&self, section_id: impl Into<String>) -> OnenoteList<crate::OnenotePage> {
        self.on.pages().list_in(section_id)
    }
}

pub(crate) fn non_empty(s: &str, what: &str) -> Result<()> {
    if s.trim().is_empty() { Err(Error::invalid_input(format!("{what} must not be empty"))) } else { Ok(()) }
}

const NOTEBOOK_FORBIDDEN: &[char] = &['?', '*', '\\', '/', ':', '<', '>', '|', '\'', '"'];
pub(crate) const SECTION_FORBIDDEN: &[char] = &['?', '*', '\\', '/', ':', '<', '>', '|', '&', '#', '"', '%', '~'];

/// OneNote's rules for names (errors 20152-20155): not blank, no leading
/// space, no forbidden character, not too long.
pub(crate) fn check_name(name: &str, what: &str, max: usize, forbidden: &[char]) -> Result<()> {
    non_empty(name, what)?;
    if name.starts_with(char::is_whitespace) {
        return Err(Error::invalid_input(format!("{what} must not start with a space: {name:?}")));
    }
    if let Some(c) = name.chars().find(|c| forbidden.contains(c) || c.is_control()) {
        return Err(Error::invalid_input(format!("{what} must not contain {c:?}: {name:?}")));
    }
    let len = name.chars().count();
    if len > max {
        return Err(Error::invalid_input(format!("{what} has {len} characters; OneNote allows {max}")));
    }
    Ok(())
}
