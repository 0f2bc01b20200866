//! OneNote tools (`onenote_*`). Permission: delegated `Notes.ReadWrite`
//! (`Notes.Read` for the read-only ones, `Notes.Create` to create pages).

use std::collections::BTreeMap;
use std::time::Duration;

use msgraph_core::Error;
use msgraph_onenote::{
    FoundBy, MatchedBy, Notebook, OnenoteExt, OnenoteLinks, OnenotePage, OnenoteSection, Template, render_markdown,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::args::non_blank;
use crate::catalogue::{Access, Service};
use crate::dispatch::{Ctx, Meta, OrTool, Registry, ToolError, graph_error, limit, page};

const NO_NOTEBOOK: &str = "no such notebook; call onenote_list_notebooks to see the notebooks and their ids";
const NO_SECTION: &str = "no such section; call onenote_list_sections to see the sections and their ids";
const NO_PAGE: &str = "no such page; call onenote_list_pages or onenote_search to find the page and its id";
const NO_PAGE_OR_SECTION: &str = "no such page or section; call onenote_list_pages for the page's id and \
                                  onenote_list_sections for the section's id";
/// Characters of a page's text in onenote_get_page.
const PAGE_TEXT_CHARS: usize = 8_000;
/// Characters of a page's text in onenote_extract_page_text.
const FULL_TEXT_CHARS: usize = 16_000;
/// Bytes (UTF-8) of a page's text, so that the result stays under the size cap.
const TEXT_BYTES: usize = 24 * 1024;
/// How many recently changed pages a search reads the text of, when Graph's own search is refused.
const CONTENT_SCAN: usize = 25;
/// The longest wait for a page copy.
const COPY_MAX_WAIT: Duration = Duration::from_secs(60);

fn web_url(links: Option<OnenoteLinks>) -> Option<String> {
    links.and_then(|l| l.one_note_web_url).and_then(|u| u.href)
}

/// A notebook, trimmed.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct NotebookView {
    /// The notebook's id (pass it as `notebook_id`).
    id: String,
    /// Its name.
    name: String,
    /// True for the user's default notebook.
    #[serde(skip_serializing_if = "Option::is_none")]
    is_default: Option<bool>,
    /// True when it is shared with others.
    #[serde(skip_serializing_if = "Option::is_none")]
    is_shared: Option<bool>,
    /// When it last changed (UTC, RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    last_modified: Option<String>,
    /// A link that opens it in OneNote on the web (for the user).
    #[serde(skip_serializing_if = "Option::is_none")]
    web_url: Option<String>,
}

impl From<Notebook> for NotebookView {
    fn from(n: Notebook) -> Self {
        NotebookView {
            id: n.id.unwrap_or_default(),
            name: n.display_name.unwrap_or_default(),
            is_default: n.is_default,
            is_shared: n.is_shared,
            last_modified: n.last_modified_date_time.map(|t| t.to_rfc3339()),
            web_url: web_url(n.links),
        }
    }
}

/// A section, trimmed.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct SectionView {
    /// The section's id (pass it as `section_id`).
    id: String,
    /// Its name.
    name: String,
    /// The name of the notebook it is in.
    #[serde(skip_serializing_if = "Option::is_none")]
    notebook: Option<String>,
    /// The id of the notebook it is in.
    #[serde(skip_serializing_if = "Option::is_none")]
    notebook_id: Option<String>,
    /// The name of the section group it is in, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    section_group: Option<String>,
    /// True for the notebook's default section.
    #[serde(skip_serializing_if = "Option::is_none")]
    is_default: Option<bool>,
    /// When it last changed (UTC, RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    last_modified: Option<String>,
}

impl From<OnenoteSection> for SectionView {
    fn from(s: OnenoteSection) -> Self {
        let notebook = s.parent_notebook.as_deref();
        SectionView {
            notebook: notebook.and_then(|n| n.display_name.clone()),
            notebook_id: notebook.and_then(|n| n.id.clone()),
            section_group: s.parent_section_group.and_then(|g| g.display_name),
            id: s.id.unwrap_or_default(),
            name: s.display_name.unwrap_or_default(),
            is_default: s.is_default,
            last_modified: s.last_modified_date_time.map(|t| t.to_rfc3339()),
        }
    }
}

/// A page, trimmed.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct PageView {
    /// The page's id (pass it as `page_id`).
    id: String,
    /// Its title.
    title: String,
    /// The name of the section it is in.
    #[serde(skip_serializing_if = "Option::is_none")]
    section: Option<String>,
    /// The id of the section it is in.
    #[serde(skip_serializing_if = "Option::is_none")]
    section_id: Option<String>,
    /// When it was created (UTC, RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    created: Option<String>,
    /// When it last changed (UTC, RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    last_modified: Option<String>,
    /// A link that opens it in OneNote on the web (for the user; not in lists).
    #[serde(skip_serializing_if = "Option::is_none")]
    web_url: Option<String>,
}

impl From<OnenotePage> for PageView {
    fn from(p: OnenotePage) -> Self {
        let section = p.parent_section.as_ref();
        PageView {
            section: section.and_then(|s| s.display_name.clone()),
            section_id: section.and_then(|s| s.id.clone()),
            id: p.id.unwrap_or_default(),
            title: p.title.unwrap_or_default(),
            created: p.created_date_time.map(|t| t.to_rfc3339()),
            last_modified: p.last_modified_date_time.map(|t| t.to_rfc3339()),
            web_url: web_url(p.links),
        }
    }
}

impl PageView {
    /// Without the (long) web link, for lists.
    fn brief(mut self) -> Self {
        self.web_url = None;
        self
    }
}

#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Notebooks {
    /// The notebooks.
    notebooks: Vec<NotebookView>,
    /// Pass as `cursor` to get the next notebooks; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_cursor: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Sections {
    /// The sections.
    sections: Vec<SectionView>,
    /// Pass as `cursor` to get the next sections; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_cursor: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Pages {
    /// The pages, most recently changed first.
    pages: Vec<PageView>,
    /// Pass as `cursor` to get the next pages; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_cursor: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct PageDetail {
    /// The page.
    #[serde(flatten)]
    page: PageView,
    /// The page's content as plain text (cut after about 8,000 characters, see `truncated`).
    text: String,
    /// True when `text` was cut; onenote_extract_page_text gives more of it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    truncated: bool,
}

#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct PageText {
    /// The page's content as plain text (title first; cut after about 16,000 characters, see `truncated`).
    text: String,
    /// True when `text` was cut: the page is longer.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    truncated: bool,
}

#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Updated {
    /// True: the HTML was appended.
    updated: bool,
    /// The page's id.
    id: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Deleted {
    /// True: it is gone.
    deleted: bool,
    /// The id that was deleted.
    id: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Hit {
    /// The page.
    #[serde(flatten)]
    page: PageView,
    /// How it matched: `search` (OneNote's search), `title` or `content`.
    matched: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct SearchResult {
    /// The matching pages.
    pages: Vec<Hit>,
    /// How the search ran: `search` (OneNote's full-text search), `title` (titles only: the account has no
    /// full-text search), or `title_and_recent_content` (titles, and the text of the most recently changed pages).
    searched: String,
}

/// Arguments of `onenote_list_notebooks`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListNotebooksArgs {
    /// How many notebooks to return (1-50, default 10).
    limit: Option<u32>,
    /// The `next_cursor` of an earlier call, for the next notebooks.
    cursor: Option<String>,
}

/// Arguments of `onenote_list_sections`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListSectionsArgs {
    /// Only the sections of this notebook (its id, from onenote_list_notebooks); default: every section.
    notebook_id: Option<String>,
    /// How many sections to return (1-50, default 10).
    limit: Option<u32>,
    /// The `next_cursor` of an earlier call, for the next sections.
    cursor: Option<String>,
}

/// Arguments of `onenote_list_pages`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListPagesArgs {
    /// Only the pages of this section (its id, from onenote_list_sections); default: every page.
    section_id: Option<String>,
    /// How many pages to return (1-50, default 10).
    limit: Option<u32>,
    /// The `next_cursor` of an earlier call, for the next pages.
    cursor: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PageIdArgs {
    /// The page's id, from onenote_list_pages or onenote_search.
    page_id: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreatePageArgs {
    /// The id of the section to create the page in, from onenote_list_sections.
    section_id: String,
    /// The page's title.
    title: String,
    /// The page's body as well-formed XHTML, e.g. "<p>Hello</p><ul><li>one</li></ul>" (no <html>, <head> or
    /// <title>: the title is `title`). Images only as https URLs.
    html: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateFromMarkdownArgs {
    /// The id of the section to create the page in, from onenote_list_sections.
    section_id: String,
    /// The page's title.
    title: String,
    /// The page's body as Markdown (headings, lists, `- [ ]` to-dos, tables, links, code). Images only as https
    /// URLs.
    markdown: String,
}

/// A built-in page template.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum TemplateName {
    /// Variables: date, attendees, agenda (a list), notes, action_items (to-dos).
    MeetingNotes,
    /// Variables: date, goals (to-dos), notes, reflections.
    DailyJournal,
    /// Variables: high, medium, low (to-dos by priority).
    Todo,
    /// Variables: overview, objectives, timeline, resources (lists).
    Project,
}

impl TemplateName {
    fn template(self) -> Template {
        match self {
            TemplateName::MeetingNotes => Template::MeetingNotes,
            TemplateName::DailyJournal => Template::DailyJournal,
            TemplateName::Todo => Template::Todo,
            TemplateName::Project => Template::Project,
        }
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateFromTemplateArgs {
    /// The id of the section to create the page in, from onenote_list_sections.
    section_id: String,
    /// The template: meeting_notes, daily_journal, todo or project.
    template: TemplateName,
    /// The page's title.
    title: String,
    /// The template's variables as plain text, e.g. {"date": "2026-03-02", "agenda": "Budget\nHiring"}. In list
    /// and to-do variables each line becomes one item. Every variable of the template is required ("" for none).
    #[serde(default)]
    variables: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct UpdatePageArgs {
    /// The page's id, from onenote_list_pages or onenote_search.
    page_id: String,
    /// Well-formed XHTML to append at the end of the page, e.g. "<p>Follow-up: budget approved.</p>".
    html: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SearchArgs {
    /// Words to look for in page titles and text, e.g. "budget".
    query: String,
    /// Only pages of this section (its id, from onenote_list_sections).
    section_id: Option<String>,
    /// How many pages to return (1-50, default 10).
    limit: Option<u32>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CopyPageArgs {
    /// The id of the page to copy, from onenote_list_pages or onenote_search.
    page_id: String,
    /// The id of the section to copy it into, from onenote_list_sections.
    section_id: String,
}

/// An optional id: absent or blank is none.
fn optional(id: Option<&str>) -> Option<&str> {
    id.map(str::trim).filter(|s| !s.is_empty())
}

/// At most `max_chars` characters and [`TEXT_BYTES`] bytes of `s`, and whether it was cut.
fn cut(s: &str, max_chars: usize) -> (String, bool) {
    crate::dispatch::cut(s.trim(), max_chars, TEXT_BYTES)
}

async fn list_notebooks(ctx: Ctx, a: ListNotebooksArgs) -> Result<Notebooks, ToolError> {
    let n = limit(a.limit)?;
    let list = ctx.client.me().onenote().notebooks().list();
    let (notebooks, next_cursor) = page(&ctx, list, n, a.cursor.as_deref(), NO_NOTEBOOK).await?;
    Ok(Notebooks { notebooks: notebooks.into_iter().map(NotebookView::from).collect(), next_cursor })
}

async fn list_sections(ctx: Ctx, a: ListSectionsArgs) -> Result<Sections, ToolError> {
    let n = limit(a.limit)?;
    let onenote = ctx.client.me().onenote();
    let list = match optional(a.notebook_id.as_deref()) {
        Some(nb) => onenote.notebooks().sections(nb),
        None => onenote.sections().list(),
    };
    let (sections, next_cursor) = page(&ctx, list, n, a.cursor.as_deref(), NO_NOTEBOOK).await?;
    Ok(Sections { sections: sections.into_iter().map(SectionView::from).collect(), next_cursor })
}

async fn list_pages(ctx: Ctx, a: ListPagesArgs) -> Result<Pages, ToolError> {
    let n = limit(a.limit)?;
    let pages = ctx.client.me().onenote().pages();
    let list = match optional(a.section_id.as_deref()) {
        Some(s) => pages.list_in(s),
        None => pages.list(),
    };
    let (pages, next_cursor) = page(&ctx, list, n, a.cursor.as_deref(), NO_SECTION).await?;
    Ok(Pages { pages: pages.into_iter().map(|p| PageView::from(p).brief()).collect(), next_cursor })
}

async fn get_page(ctx: Ctx, a: PageIdArgs) -> Result<PageDetail, ToolError> {
    let id = non_blank("page_id", &a.page_id)?;
    let got = ctx.client.me().onenote().pages().get(id).with_content().send().await.or_tool(NO_PAGE)?;
    let (text, truncated) = cut(&got.text(), PAGE_TEXT_CHARS);
    Ok(PageDetail { page: got.page.into(), text, truncated })
}

async fn extract_page_text(ctx: Ctx, a: PageIdArgs) -> Result<PageText, ToolError> {
    let id = non_blank("page_id", &a.page_id)?;
    let text = ctx.client.me().onenote().extract_text(id).send().await.or_tool(NO_PAGE)?;
    let (text, truncated) = cut(&text, FULL_TEXT_CHARS);
    Ok(PageText { text, truncated })
}

async fn create(ctx: &Ctx, section: &str, title: &str, html: String) -> Result<PageView, ToolError> {
    let page = ctx.client.me().onenote().pages().create(section, title, html).send().await.or_tool(NO_SECTION)?;
    Ok(page.into())
}

async fn create_page(ctx: Ctx, a: CreatePageArgs) -> Result<PageView, ToolError> {
    let section = non_blank("section_id", &a.section_id)?;
    let title = non_blank("title", &a.title)?;
    create(&ctx, section, title, a.html).await
}

/// Refuses Markdown that refers to local image files: a tool never reads the local disk for the model.
fn no_local_images(images: &[msgraph_onenote::LocalImage]) -> Result<(), ToolError> {
    if images.is_empty() {
        return Ok(());
    }
    let paths: Vec<String> = images.iter().map(|i| format!("`{}`", i.path.display())).collect();
    Err(ToolError::new(format!(
        "only https image URLs are allowed in pages: local image files ({}) are not read. Use an https:// URL for \
         each image, or leave it out",
        paths.join(", ")
    )))
}

async fn create_page_from_markdown(ctx: Ctx, a: CreateFromMarkdownArgs) -> Result<PageView, ToolError> {
    let section = non_blank("section_id", &a.section_id)?;
    let title = non_blank("title", &a.title)?;
    let rendered = render_markdown(&a.markdown);
    no_local_images(&rendered.images)?;
    create(&ctx, section, title, rendered.html).await
}

async fn create_page_from_template(ctx: Ctx, a: CreateFromTemplateArgs) -> Result<PageView, ToolError> {
    let section = non_blank("section_id", &a.section_id)?;
    let title = non_blank("title", &a.title)?;
    let template = a.template.template();
    let wanted = template.variables();
    let unknown: Vec<&str> =
        a.variables.keys().map(String::as_str).filter(|k| *k != "title" && !wanted.iter().any(|w| w == k)).collect();
    if !unknown.is_empty() {
        return Err(ToolError::new(format!(
            "template {} has no variable {}; its variables are: {}",
            template.name(),
            unknown.join(", "),
            wanted.join(", ")
        )));
    }
    let missing: Vec<&str> =
        wanted.iter().map(String::as_str).filter(|w| *w != "title" && !a.variables.contains_key(*w)).collect();
    if !missing.is_empty() {
        return Err(ToolError::new(format!(
            "template {} needs the variables {} in `variables` (pass \"\" for one you have nothing for)",
            template.name(),
            missing.join(", ")
        )));
    }
    let mut vars = a.variables;
    vars.entry("title".to_owned()).or_insert_with(|| title.to_owned());
    let rendered = template.render(vars).map_err(|e| graph_error(e, NO_SECTION))?;
    no_local_images(&rendered.images)?;
    create(&ctx, section, title, rendered.html).await
}

async fn update_page(ctx: Ctx, a: UpdatePageArgs) -> Result<Updated, ToolError> {
    let id = non_blank("page_id", &a.page_id)?;
    let html = non_blank("html", &a.html)?;
    ctx.client.me().onenote().pages().append(id, html).send().await.or_tool(NO_PAGE)?;
    Ok(Updated { updated: true, id: id.to_owned() })
}

async fn delete_page(ctx: Ctx, a: PageIdArgs) -> Result<Deleted, ToolError> {
    let id = non_blank("page_id", &a.page_id)?;
    ctx.client.me().onenote().pages().delete(id).send().await.or_tool(NO_PAGE)?;
    Ok(Deleted { deleted: true, id: id.to_owned() })
}

async fn search(ctx: Ctx, a: SearchArgs) -> Result<SearchResult, ToolError> {
    let n = limit(a.limit)?;
    let query = non_blank("query", &a.query)?;
    let mut search = ctx.client.me().onenote().pages().search(query).limit(n).content_scan(CONTENT_SCAN);
    if let Some(s) = optional(a.section_id.as_deref()) {
        search = search.in_section(s);
    }
    let found = search.send().await.or_tool(NO_SECTION)?;
    let searched = match found.found_by {
        FoundBy::GraphSearch => "search",
        FoundBy::TitleFilter => "title",
        _ => "title_and_recent_content",
    };
    let pages = found
        .hits
        .into_iter()
        .map(|h| Hit {
            matched: match h.matched {
                MatchedBy::GraphSearch => "search",
                MatchedBy::Title => "title",
                _ => "content",
            }
            .to_owned(),
            page: PageView::from(h.page).brief(),
        })
        .collect();
    Ok(SearchResult { pages, searched: searched.to_owned() })
}

async fn copy_page(ctx: Ctx, a: CopyPageArgs) -> Result<PageView, ToolError> {
    let id = non_blank("page_id", &a.page_id)?;
    let section = non_blank("section_id", &a.section_id)?;
    let copy = ctx
        .client
        .me()
        .onenote()
        .pages()
        .copy_to_section(id, section)
        .max_wait(COPY_MAX_WAIT)
        .poll_interval(Duration::from_millis(500))
        .send()
        .await;
    match copy {
        Ok(page) => Ok(page.into()),
        Err(Error::Timeout { .. }) => Err(ToolError::new(format!(
            "the copy did not finish within {} seconds; it may still complete: call onenote_list_pages with this \
             section_id later to check before copying again",
            COPY_MAX_WAIT.as_secs()
        ))),
        Err(e) => Err(graph_error(e, NO_PAGE_OR_SECTION)),
    }
}

pub(crate) fn register(r: &mut Registry) {
    let onenote =
        |name, title, description, access| Meta { name, title, description, service: Service::OneNote, access };
    r.add(
        onenote(
            "onenote_list_notebooks",
            "List OneNote notebooks",
            "List the user's OneNote notebooks (id, name, is_default). Returns {notebooks, next_cursor}; pass \
             next_cursor as `cursor` for more. Then call onenote_list_sections with a notebook_id.",
            Access::Read,
        ),
        list_notebooks,
    );
    r.add(
        onenote(
            "onenote_list_sections",
            "List OneNote sections",
            "List OneNote sections (id, name, notebook, section_group): those of one notebook with `notebook_id`, \
             else every section of every notebook. Call this to find the `section_id` that onenote_list_pages \
             and the page-creating tools need. Returns {sections, next_cursor}.",
            Access::Read,
        ),
        list_sections,
    );
    r.add(
        onenote(
            "onenote_list_pages",
            "List OneNote pages",
            "List OneNote pages, most recently changed first: those of one section with `section_id`, else every \
             page. Each page has id, title, section, created, last_modified. Returns {pages, next_cursor}; pass \
             next_cursor as `cursor` for more. Read a page with onenote_get_page.",
            Access::Read,
        ),
        list_pages,
    );
    r.add(
        onenote(
            "onenote_get_page",
            "Get a OneNote page",
            "Get one OneNote page by `page_id`: its title, section, dates and its content as plain text (cut after \
             about 8,000 characters; `truncated` then true).",
            Access::Read,
        ),
        get_page,
    );
    r.add(
        onenote(
            "onenote_extract_page_text",
            "Extract a page's text",
            "Get the plain text of a OneNote page (`page_id`): headings, paragraphs, lists, tables (tab-separated), \
             to-dos as [ ] / [x]. Returns {text} (cut after about 16,000 characters; `truncated` then true).",
            Access::Read,
        ),
        extract_page_text,
    );
    r.add(
        onenote(
            "onenote_create_page",
            "Create a OneNote page",
            "Create a OneNote page in a section (`section_id` from onenote_list_sections) with a `title` and a \
             body of well-formed XHTML (`html`: p, h1-h6, b, i, a, ul/ol/li, table, img with an https src). For \
             Markdown use onenote_create_page_from_markdown. Returns the new page with its id.",
            Access::Write,
        ),
        create_page,
    );
    r.add(
        onenote(
            "onenote_create_page_from_markdown",
            "Create a OneNote page from Markdown",
            "Create a OneNote page in a section (`section_id`) from Markdown: headings, bold/italic, lists, \
             `- [ ]` / `- [x]` to-dos (OneNote to-do tags), tables, links, code. Images must be https URLs; local \
             image files are refused. Returns the new page with its id.",
            Access::Write,
        ),
        create_page_from_markdown,
    );
    r.add(
        onenote(
            "onenote_create_page_from_template",
            "Create a OneNote page from a template",
            "Create a OneNote page in a section (`section_id`) from a built-in template, filling its variables \
             (plain text; in list and to-do variables each line becomes one item). Templates and their variables: \
             meeting_notes: date, attendees, agenda (list), notes, action_items (to-dos); daily_journal: date, \
             goals (to-dos), notes, reflections; todo: high, medium, low (to-dos by priority); project: overview, \
             objectives (list), timeline (list), resources (list). Every variable is required (\"\" for none). \
             Returns the new page with its id.",
            Access::Write,
        ),
        create_page_from_template,
    );
    r.add(
        onenote(
            "onenote_update_page",
            "Append to a OneNote page",
            "Append well-formed XHTML (`html`, e.g. \"<p>Follow-up: approved.</p>\") at the end of a OneNote page. \
             OneNote pages cannot be replaced as a whole: to rewrite one, create a new page and delete the old \
             one. Returns {updated, id}.",
            Access::Write,
        ),
        update_page,
    );
    r.add(
        onenote(
            "onenote_delete_page",
            "Delete a OneNote page",
            "Delete a OneNote page (`page_id`), permanently. Returns {deleted, id}.",
            Access::Destructive,
        ),
        delete_page,
    );
    r.add(
        onenote(
            "onenote_search",
            "Search OneNote pages",
            "Search OneNote pages for `query`, optionally in one section (`section_id`). Uses OneNote's full-text \
             search where the account has it; otherwise matches titles and the text of the 25 most recently \
             changed pages (`searched` says which). Returns {pages (each with `matched`), searched}.",
            Access::Read,
        ),
        search,
    );
    r.add(
        onenote(
            "onenote_copy_page",
            "Copy a OneNote page",
            "Copy a OneNote page (`page_id`) into a section (`section_id`, from onenote_list_sections), waiting up \
             to a minute for OneNote to finish. Returns the new page with its id.",
            Access::Write,
        ),
        copy_page,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_description_names_every_variable() {
        let def = crate::Catalogue::all();
        let Some(tool) = def.get("onenote_create_page_from_template") else { panic!("registered") };
        for t in Template::built_in() {
            assert!(tool.description.contains(&format!("{}:", t.name())), "{}", t.name());
            for v in t.variables() {
                assert!(tool.description.contains(&v), "{} {v}", t.name());
            }
        }
    }

    #[test]
    fn text_is_cut_on_characters() {
        assert_eq!(cut(" héllo ", 3), ("hél".to_owned(), true));
        assert_eq!(cut("hello", 10), ("hello".to_owned(), false));
    }
}
