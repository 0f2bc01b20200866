#![doc = include_str!("../README.md")]
//!
//! ## Map of the crate
//!
//! | Area | Handler | Graph |
//! | --- | --- | --- |
//! | notebooks: list (with sections and section groups), get, by web URL, create; their sections and section groups | [`Notebooks`] | [notebook](https://learn.microsoft.com/graph/api/resources/notebook) |
//! | section groups: list, get, nested groups, sections, create a section | [`SectionGroups`] | [sectionGroup](https://learn.microsoft.com/graph/api/resources/sectiongroup) |
//! | sections: list, get, their pages | [`Sections`] | [onenoteSection](https://learn.microsoft.com/graph/api/resources/onenotesection) |
//! | pages: list (`top`, `$orderby`, `$select`, `pagelevel`), get, content (`includeIDs`), preview | [`Pages`], [`OnenoteGet::with_content`] | [onenotePage](https://learn.microsoft.com/graph/api/resources/onenotepage) |
//! | create a page: XHTML, multipart parts, `?sectionName=` | [`Pages::create`], [`CreatePage`], [`Part`] | [create page](https://learn.microsoft.com/graph/api/section-post-pages) |
//! | update a page: PATCH commands, append | [`Pages::update`], [`PatchCommand`] | [update page](https://learn.microsoft.com/graph/api/page-update) |
//! | delete, copy to a section (monitor), operations | [`Pages::delete`], [`Pages::copy_to_section`], [`Onenote::operation`] | [copyToSection](https://learn.microsoft.com/graph/api/page-copytosection) |
//! | search, with the fallback for accounts without it | [`Pages::search`], [`SearchPages`] | [list pages](https://learn.microsoft.com/graph/api/onenote-list-pages) |
//! | Markdown and templates to pages | [`render_markdown`], [`Template`], [`TemplateRegistry`], [`Onenote::create_page_from_markdown`], [`Onenote::create_page_from_template`] | [input HTML](https://learn.microsoft.com/graph/onenote-input-output-html) |
//! | plain text of a page | [`page_text`], [`Onenote::extract_text`] | [get content](https://learn.microsoft.com/graph/api/page-get) |
//!
//! Every handler comes from [`OnenoteExt`] on core's user scope. Each
//! request waits for one of the user's request slots
//! ([`DEFAULT_CONCURRENCY`], shared by every handler of that user), then
//! goes through core's pipeline (retries, backoff on OneNote's 429s that
//! carry no `Retry-After`). Input OneNote would refuse (an empty title or
//! id, HTML that is not well-formed, a PATCH action its target does not
//! allow, too many or too large parts, a missing template variable) is an
//! `InvalidInput` before anything is sent.
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

mod copy;
mod create;
mod ext;
mod limit;
mod markdown;
mod models;
mod onenote;
mod pages;
mod parts;
mod patch;
mod search;
mod templates;
mod text;
mod xhtml;

pub use copy::CopyPage;
pub use create::{CreatePage, UpdatePage};
pub use ext::OnenoteExt;
pub use limit::{DEFAULT_CONCURRENCY, OnenoteAction, OnenoteGet, OnenoteList, OnenoteStream};
pub use markdown::{LocalImage, RenderedMarkdown, render_markdown};
pub use models::{
    ExternalLink, Notebook, OnenoteLinks, OnenoteOperation, OnenoteOperationError, OnenotePage, OnenotePagePreview,
    OnenotePagePreviewLinks, OnenoteSection, OnenoteUserRole, OperationStatus, PageWithContent, SectionGroup,
};
pub use onenote::{Notebooks, Onenote, SectionGroups, Sections};
pub use pages::{GetPageWithContent, MAX_PAGES_TOP, PageContent, Pages};
pub use parts::{MAX_PART_BYTES, MAX_PARTS, MAX_TOTAL_BYTES, Part};
pub use patch::{PatchAction, PatchCommand, PatchTarget, Position};
pub use search::{FoundBy, MatchedBy, SearchHit, SearchMode, SearchPages, SearchResults};
pub use templates::{Template, TemplateRegistry};
pub use text::page_text;
pub use xhtml::{check_well_formed, escape_html};
