//! [`Pages`]: list, read, create, update, delete, copy and search pages.

use msgraph_core::{Action, Error, GraphPath, Request, RequestOptions, Response, Result, WithOptions};

use crate::limit::onenote_operation;
use crate::onenote::{SECTION_FORBIDDEN, check_name, non_empty};
use crate::{
    CopyPage, CreatePage, Onenote, OnenoteAction, OnenoteGet, OnenoteList, OnenotePage, OnenotePagePreview,
    PageWithContent, PatchCommand, PatchTarget, SearchPages, UpdatePage,
};

/// The most pages Graph returns in one page of results (`$top`).
pub const MAX_PAGES_TOP: u32 = 100;

/// The pages of a user's OneNote; from [`Onenote::pages`].
///
/// ```no_run
/// use futures::TryStreamExt;
/// use msgraph_onenote::OnenoteExt;
/// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
/// let pages = client.me().onenote().pages();
/// let mut recent = pages.list().select(["id", "title", "lastModifiedDateTime"]).top(100).stream();
/// while let Some(p) = recent.try_next().await? {
///     println!("{:?}", p.title);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Pages {
    pub(crate) on: Onenote,
}

impl Pages {
    pub(crate) fn new(on: Onenote) -> Self {
        Pages { on }
    }

    pub(crate) fn root(&self) -> GraphPath {
        self.on.root.clone().push("pages")
    }

    pub(crate) fn path(&self, id: impl Into<String>) -> GraphPath {
        self.root().id(id)
    }

    fn id_path(&self, id: String) -> Result<GraphPath> {
        non_empty(&id, "a page id").map(|()| self.path(id))
    }

    /// Every page the user can reach, newest change first (Graph's default
    /// `lastModifiedDateTime desc`, 20 a page, at most 100 with `top`).
    ///
    /// `GET /me/onenote/pages` · [List pages](https://learn.microsoft.com/graph/api/onenote-list-pages) ·
    /// permissions: delegated `Notes.Read`, application `Notes.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_onenote::OnenoteExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let latest = client.me().onenote().pages().list().top(5).send().await?;
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> OnenoteList<OnenotePage> {
        self.on.list(self.root()).max_top(MAX_PAGES_TOP)
    }

    /// The pages of one section ([`page_level`](OnenoteList::page_level)
    /// adds their indentation and order).
    ///
    /// `GET /me/onenote/sections/{id}/pages` · [List pages](https://learn.microsoft.com/graph/api/section-list-pages) ·
    /// permissions: delegated `Notes.Read`, application `Notes.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_onenote::OnenoteExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let pages = client.me().onenote().pages().list_in("1-0f8a").page_level().order_by("order").send().await?;
    /// # Ok(()) }
    /// ```
    pub fn list_in(&self, section_id: impl Into<String>) -> OnenoteList<OnenotePage> {
        let path = self.on.root.clone().push("sections").id(section_id).push("pages");
        self.on.list(path).max_top(MAX_PAGES_TOP)
    }

    /// A page's metadata; [`with_content`](OnenoteGet::with_content) adds its HTML.
    ///
    /// `GET /me/onenote/pages/{id}` · [Get page](https://learn.microsoft.com/graph/api/page-get) ·
    /// permissions: delegated `Notes.Read`, application `Notes.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_onenote::OnenoteExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let page = client.me().onenote().pages().get("1-9a6b!1-0f8a").with_content().await?;
    /// println!("{:?}\n{}", page.page.title, page.text());
    /// # Ok(()) }
    /// ```
    pub fn get(&self, id: impl Into<String>) -> OnenoteGet<OnenotePage> {
        self.on.get(self.path(id))
    }

    /// A page's HTML (OneNote's output HTML); with
    /// [`include_ids`](PageContent::include_ids) the generated ids that
    /// PATCH commands target.
    ///
    /// `GET /me/onenote/pages/{id}/content[?includeIDs=true]` · [Get page](https://learn.microsoft.com/graph/api/page-get) ·
    /// permissions: delegated `Notes.Read`, application `Notes.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_onenote::OnenoteExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let html = client.me().onenote().pages().content("1-9a6b!1-0f8a").include_ids(true).await?;
    /// # Ok(()) }
    /// ```
    pub fn content(&self, id: impl Into<String>) -> PageContent {
        PageContent { pages: self.clone(), id: id.into(), include_ids: false, options: RequestOptions::default() }
    }

    /// A page's preview: its first words and an image.
    ///
    /// `GET /me/onenote/pages/{id}/preview` · [onenotePagePreview](https://learn.microsoft.com/graph/api/resources/onenotepagepreview) ·
    /// permissions: delegated `Notes.Read`, application `Notes.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_onenote::OnenoteExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let preview = client.me().onenote().pages().preview("1-9a6b!1-0f8a").await?;
    /// println!("{:?}", preview.preview_text);
    /// # Ok(()) }
    /// ```
    pub fn preview(&self, id: impl Into<String>) -> OnenoteAction<OnenotePagePreview> {
        let request = self.id_path(id.into()).map(|p| Request::get(p.push("preview")));
        self.on.action(Action::json(self.on.client.clone(), request))
    }

    /// Creates a page in a section from an XHTML body: the SDK writes the
    /// document around it (`<title>` from `title`, `<meta name="created">`
    /// with [`created`](CreatePage::created)). With parts
    /// ([`part`](CreatePage::part)) it is a multipart request whose body
    /// refers to them as `name:{part}`; OneNote's limits (6 parts, 25 MB a
    /// part, 70 MB in all) and well-formed XHTML are checked before sending.
    ///
    /// `POST /me/onenote/sections/{id}/pages` · [Create page](https://learn.microsoft.com/graph/api/section-post-pages) ·
    /// permissions: delegated `Notes.Create`, application `Notes.ReadWrite.All`.
    ///
    /// ```no_run
    /// use msgraph_onenote::{OnenoteExt, Part};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let page = client.me().onenote().pages()
    ///     .create("1-0f8a", "Site visit", r#"<p>Photos:</p><img src="name:photo1" alt="front door" />"#)
    ///     .part(Part::image_file("photo1", "visit/door.jpg"))
    ///     .created(chrono::Utc::now())
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn create(
        &self,
        section_id: impl Into<String>,
        title: impl Into<String>,
        body_html: impl Into<String>,
    ) -> CreatePage {
        let section = section_id.into();
        let path = non_empty(&section, "a section id")
            .map(|()| self.on.root.clone().push("sections").id(section).push("pages"));
        CreatePage::new(self.on.clone(), path.map(Request::post), title.into(), body_html.into())
    }

    /// Creates a page in the top-level section of that name in the user's
    /// default notebook; Graph creates the section if there is none.
    ///
    /// `POST /me/onenote/pages?sectionName={name}` · [Create page](https://learn.microsoft.com/graph/api/section-post-pages) ·
    /// permissions: delegated `Notes.Create`, application `Notes.ReadWrite.All`.
    ///
    /// ```no_run
    /// use msgraph_onenote::OnenoteExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let page = client.me().onenote().pages()
    ///     .create_in_section_named("Quick Notes", "Idea", "<p>Ship the emulator first.</p>")
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn create_in_section_named(
        &self,
        section_name: impl Into<String>,
        title: impl Into<String>,
        body_html: impl Into<String>,
    ) -> CreatePage {
        let name = section_name.into();
        let request = check_name(&name, "a section name", 50, SECTION_FORBIDDEN)
            .map(|()| Request::post(self.root()).query("sectionName", name));
        CreatePage::new(self.on.clone(), request, title.into(), body_html.into())
    }

    /// Changes a page with OneNote's PATCH commands (checked before sending:
    /// each action must be one its target allows, content well-formed).
    ///
    /// `PATCH /me/onenote/pages/{id}/content` · [Update page](https://learn.microsoft.com/graph/api/page-update) ·
    /// permissions: delegated `Notes.ReadWrite`, application `Notes.ReadWrite.All`.
    ///
    /// ```no_run
    /// use msgraph_onenote::{OnenoteExt, PatchCommand, Position};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().onenote().pages().update("1-9a6b!1-0f8a", [
    ///     PatchCommand::set_title("Weekly sync (done)"),
    ///     PatchCommand::insert("#agenda", Position::After, "<p>Added after the meeting.</p>"),
    /// ]).await?;
    /// # Ok(()) }
    /// ```
    pub fn update(&self, id: impl Into<String>, commands: impl IntoIterator<Item = PatchCommand>) -> UpdatePage {
        let path = self.id_path(id.into()).map(|p| p.push("content"));
        UpdatePage::new(self.on.clone(), path, commands.into_iter().collect())
    }

    /// Appends HTML at the end of the page's body (the common update).
    ///
    /// `PATCH /me/onenote/pages/{id}/content` · [Update page](https://learn.microsoft.com/graph/api/page-update) ·
    /// permissions: delegated `Notes.ReadWrite`, application `Notes.ReadWrite.All`.
    ///
    /// ```no_run
    /// use msgraph_onenote::OnenoteExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().onenote().pages().append("1-9a6b!1-0f8a", "<p>Follow-up: budget approved.</p>").await?;
    /// # Ok(()) }
    /// ```
    pub fn append(&self, id: impl Into<String>, html: impl Into<String>) -> UpdatePage {
        self.update(id, [PatchCommand::append(PatchTarget::Body, html)])
    }

    /// Deletes a page.
    ///
    /// `DELETE /me/onenote/pages/{id}` · [Delete page](https://learn.microsoft.com/graph/api/page-delete) ·
    /// permissions: delegated `Notes.ReadWrite`, application `Notes.ReadWrite.All`.
    ///
    /// ```no_run
    /// use msgraph_onenote::OnenoteExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().onenote().pages().delete("1-9a6b!1-0f8a").await?;
    /// # Ok(()) }
    /// ```
    pub fn delete(&self, id: impl Into<String>) -> OnenoteAction<()> {
        let request = self.id_path(id.into()).map(Request::delete);
        self.on.action(Action::empty(self.on.client.clone(), request))
    }

    /// Copies a page to a section: Graph answers 202 with an
    /// `Operation-Location`, the SDK polls `/onenote/operations/{id}` with
    /// core's monitor and answers the new page.
    ///
    /// `POST /me/onenote/pages/{id}/copyToSection` · [Copy to section](https://learn.microsoft.com/graph/api/page-copytosection) ·
    /// permissions: delegated `Notes.Create`, application `Notes.ReadWrite.All`.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use msgraph_onenote::OnenoteExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let copy = client.me().onenote().pages()
    ///     .copy_to_section("1-9a6b!1-0f8a", "1-77aa")
    ///     .max_wait(Duration::from_secs(60))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn copy_to_section(&self, page_id: impl Into<String>, section_id: impl Into<String>) -> CopyPage {
        CopyPage::new(self.clone(), page_id.into(), section_id.into())
    }

    /// Searches pages: Graph's `search` parameter where the account has it
    /// (consumer notebooks), else a title match through `$filter`, plus,
    /// opt-in, a match on the text of the most recent pages. The result says
    /// which way each page was found. See [`SearchPages`].
    ///
    /// `GET /me/onenote/pages?search={q}` or `?$filter=contains(tolower(title),'{q}')` ·
    /// [List pages](https://learn.microsoft.com/graph/api/onenote-list-pages) ·
    /// permissions: delegated `Notes.Read`, application `Notes.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_onenote::OnenoteExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let found = client.me().onenote().pages().search("budget").content_scan(50).await?;
    /// println!("found by {:?}", found.found_by);
    /// for hit in &found.hits {
    ///     println!("{:?} ({:?})", hit.page.title, hit.matched);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn search(&self, query: impl Into<String>) -> SearchPages {
        SearchPages::new(self.clone(), query.into())
    }
}

impl OnenoteList<OnenotePage> {
    /// `pagelevel=true`: each page's `level` (indentation) and `order` in
    /// its section (Graph takes it on a section's pages).
    pub fn page_level(self) -> Self {
        self.param("pagelevel", "true")
    }
}

impl OnenoteGet<OnenotePage> {
    /// `pagelevel=true`: the page's `level` and `order`.
    pub fn page_level(self) -> Self {
        self.param("pagelevel", "true")
    }

    /// The page's metadata and its HTML in one call (two requests, sent together).
    pub fn with_content(self) -> GetPageWithContent {
        GetPageWithContent { get: self, include_ids: false }
    }
}

/// A page's metadata and HTML; see [`OnenoteGet::with_content`].
#[must_use = "builders do nothing until sent"]
#[derive(Debug)]
pub struct GetPageWithContent {
    get: OnenoteGet<OnenotePage>,
    include_ids: bool,
}

impl GetPageWithContent {
    /// `includeIDs=true` on the content: the generated ids PATCH commands target.
    pub fn include_ids(mut self, on: bool) -> Self {
        self.include_ids = on;
        self
    }

    /// Reads both.
    pub async fn send(mut self) -> Result<PageWithContent> {
        let options = self.get.get.request_options().clone();
        let content_path = self.get.get.path().clone().push("content");
        let mut request = Request::get(content_path);
        if self.include_ids {
            request = request.query("includeIDs", "true");
        }
        let content = OnenoteAction::new(
            Action::with_decoder(self.get.client.clone(), Ok(request), utf8).with_options(options),
            self.get.gate.clone(),
        );
        let (page, html) = futures::try_join!(self.get.send(), content.send())?;
        Ok(PageWithContent { page, html })
    }
}

impl WithOptions for GetPageWithContent {
    fn request_options(&mut self) -> &mut RequestOptions {
        self.get.request_options()
    }
}

msgraph_core::into_future!(GetPageWithContent => PageWithContent);

/// A page's HTML; see [`Pages::content`].
#[must_use = "builders do nothing until sent"]
#[derive(Debug, Clone)]
pub struct PageContent {
    pages: Pages,
    id: String,
    include_ids: bool,
    options: RequestOptions,
}

impl PageContent {
    /// `includeIDs=true`: the generated ids (`p:{...}{40}`) PATCH commands target.
    pub fn include_ids(mut self, on: bool) -> Self {
        self.include_ids = on;
        self
    }

    fn into_action(self) -> OnenoteAction<String> {
        let request = self.pages.id_path(self.id).map(|p| {
            let r = Request::get(p.push("content"));
            if self.include_ids { r.query("includeIDs", "true") } else { r }
        });
        self.pages
            .on
            .action(Action::with_decoder(self.pages.on.client.clone(), request, utf8).with_options(self.options))
    }
}

onenote_operation!(PageContent => String);

/// A body as UTF-8 text.
pub(crate) fn utf8(r: Response) -> Result<String> {
    let status = r.status();
    String::from_utf8(r.into_body().to_vec()).map_err(|e| Error::Decode {
        message: format!("the page content is not UTF-8: {e}"),
        path: None,
        status,
        body_prefix: String::new(),
    })
}
