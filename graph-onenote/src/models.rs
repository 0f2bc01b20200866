//! OneNote's models: notebooks, section groups, sections, pages, page
//! previews and operations. All are re-exported at the crate root.

use chrono::{DateTime, Utc};
use msgraph_core::models::{Additional, IdentitySet, utc};
use serde::{Deserialize, Deserializer, Serialize};

msgraph_core::string_enum! {
    /// The signed-in user's role on a notebook (Graph writes these in PascalCase).
    pub enum OnenoteUserRole {
        /// The user owns the notebook.
        Owner => "Owner",
        /// The user can change it.
        Contributor => "Contributor",
        /// The user can read it.
        Reader => "Reader",
        /// No role.
        None => "None",
    }
}

msgraph_core::string_enum! {
    /// Where a OneNote operation (a page copy) stands.
    pub enum OperationStatus {
        /// Not started yet.
        NotStarted => "NotStarted",
        /// Running.
        Running => "Running",
        /// Done: the new resource is in `resource_id` / `resource_location`.
        Completed => "Completed",
        /// Failed: the reason is in `error`.
        Failed => "Failed",
    }
}

/// A link to open something in a OneNote client or in a browser
/// ([externalLink](https://learn.microsoft.com/graph/api/resources/externallink)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ExternalLink {
    /// The URL (`onenote:https://...` for the client, `https://...` for the web).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// The links of a notebook, section or page: in the OneNote client, in
/// OneNote on the web ([notebookLinks](https://learn.microsoft.com/graph/api/resources/notebooklinks),
/// [sectionLinks](https://learn.microsoft.com/graph/api/resources/sectionlinks),
/// [pageLinks](https://learn.microsoft.com/graph/api/resources/pagelinks)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OnenoteLinks {
    /// Opens it in the OneNote native client, if installed.
    #[serde(default, rename = "oneNoteClientUrl", skip_serializing_if = "Option::is_none")]
    pub one_note_client_url: Option<ExternalLink>,
    /// Opens it in OneNote on the web.
    #[serde(default, rename = "oneNoteWebUrl", skip_serializing_if = "Option::is_none")]
    pub one_note_web_url: Option<ExternalLink>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// A OneNote notebook ([notebook](https://learn.microsoft.com/graph/api/resources/notebook)).
///
/// With `$expand=sections,sectionGroups($expand=sections)`
/// ([`OnenoteList::with_sections`](crate::OnenoteList::with_sections)) it
/// carries its sections and section groups.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Notebook {
    /// The notebook's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// The endpoint of the notebook itself.
    #[serde(default, rename = "self", skip_serializing_if = "Option::is_none")]
    pub self_url: Option<String>,
    /// When it was created.
    #[serde(default, deserialize_with = "utc::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub created_date_time: Option<DateTime<Utc>>,
    /// When it last changed.
    #[serde(default, deserialize_with = "utc::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub last_modified_date_time: Option<DateTime<Utc>>,
    /// Who created it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<IdentitySet>,
    /// Who changed it last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_by: Option<IdentitySet>,
    /// True for the user's default notebook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_default: Option<bool>,
    /// True when it is shared with others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_shared: Option<bool>,
    /// The user's role on it. A value that is not a string (one docs sample
    /// has `{}`) reads as `None`.
    #[serde(default, deserialize_with = "lenient_enum", skip_serializing_if = "Option::is_none")]
    pub user_role: Option<OnenoteUserRole>,
    /// The endpoint of its sections.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sections_url: Option<String>,
    /// The endpoint of its section groups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section_groups_url: Option<String>,
    /// Links to open it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<OnenoteLinks>,
    /// Its sections, when expanded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sections: Option<Vec<OnenoteSection>>,
    /// Its section groups, when expanded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section_groups: Option<Vec<SectionGroup>>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// A section group: sections and nested section groups in a notebook
/// ([sectionGroup](https://learn.microsoft.com/graph/api/resources/sectiongroup)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SectionGroup {
    /// The section group's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// The endpoint of the section group itself.
    #[serde(default, rename = "self", skip_serializing_if = "Option::is_none")]
    pub self_url: Option<String>,
    /// When it was created.
    #[serde(default, deserialize_with = "utc::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub created_date_time: Option<DateTime<Utc>>,
    /// When it last changed.
    #[serde(default, deserialize_with = "utc::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub last_modified_date_time: Option<DateTime<Utc>>,
    /// Who created it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<IdentitySet>,
    /// Who changed it last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_by: Option<IdentitySet>,
    /// The endpoint of its sections.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sections_url: Option<String>,
    /// The endpoint of its section groups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section_groups_url: Option<String>,
    /// The notebook it is in, when expanded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_notebook: Option<Box<Notebook>>,
    /// The section group it is in, when expanded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_section_group: Option<Box<SectionGroup>>,
    /// Its sections, when expanded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sections: Option<Vec<OnenoteSection>>,
    /// Its section groups, when expanded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section_groups: Option<Vec<SectionGroup>>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// A section: pages in a notebook or section group
/// ([onenoteSection](https://learn.microsoft.com/graph/api/resources/onenotesection)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OnenoteSection {
    /// The section's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// The endpoint of the section itself.
    #[serde(default, rename = "self", skip_serializing_if = "Option::is_none")]
    pub self_url: Option<String>,
    /// When it was created.
    #[serde(default, deserialize_with = "utc::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub created_date_time: Option<DateTime<Utc>>,
    /// When it last changed.
    #[serde(default, deserialize_with = "utc::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub last_modified_date_time: Option<DateTime<Utc>>,
    /// Who created it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<IdentitySet>,
    /// Who changed it last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_by: Option<IdentitySet>,
    /// True for the notebook's default section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_default: Option<bool>,
    /// The endpoint of its pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages_url: Option<String>,
    /// Links to open it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<OnenoteLinks>,
    /// The notebook it is in, when expanded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_notebook: Option<Box<Notebook>>,
    /// The section group it is in, when expanded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_section_group: Option<Box<SectionGroup>>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// A page's metadata ([onenotePage](https://learn.microsoft.com/graph/api/resources/onenotepage)).
/// The content (HTML) comes from [`Pages::content`](crate::Pages::content)
/// or [`GetPage::with_content`](crate::OnenoteGet::with_content).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OnenotePage {
    /// The page's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The endpoint of the page itself.
    #[serde(default, rename = "self", skip_serializing_if = "Option::is_none")]
    pub self_url: Option<String>,
    /// The endpoint of its HTML content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_url: Option<String>,
    /// When it was created.
    #[serde(default, deserialize_with = "utc::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub created_date_time: Option<DateTime<Utc>>,
    /// When it last changed.
    #[serde(default, deserialize_with = "utc::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub last_modified_date_time: Option<DateTime<Utc>>,
    /// The id of the app that created it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by_app_id: Option<String>,
    /// Its indentation level (with `pagelevel=true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<i32>,
    /// Its position in the section (with `pagelevel=true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<i32>,
    /// Note tags on the page's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_tags: Option<Vec<String>>,
    /// Links to open it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<OnenoteLinks>,
    /// The notebook it is in, when expanded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_notebook: Option<Notebook>,
    /// The section it is in (Graph expands `id`, `displayName` and `self` by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_section: Option<OnenoteSection>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// A page's metadata and its HTML, read in one call
/// ([`OnenoteGet::with_content`](crate::OnenoteGet::with_content)).
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct PageWithContent {
    /// The metadata.
    pub page: OnenotePage,
    /// The page's output HTML.
    pub html: String,
}

impl PageWithContent {
    /// The page's plain text ([`page_text`](crate::page_text)).
    pub fn text(&self) -> String {
        crate::page_text(&self.html)
    }
}

/// The first words of a page and a preview image, for lists and pickers
/// ([onenotePagePreview](https://learn.microsoft.com/graph/api/resources/onenotepagepreview)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OnenotePagePreview {
    /// The page's text, shortened (up to 300 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview_text: Option<String>,
    /// The preview image, when the page has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<OnenotePagePreviewLinks>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// The links of a page preview.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OnenotePagePreviewLinks {
    /// An image of the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview_image_url: Option<ExternalLink>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// A long-running OneNote operation: a page copy
/// ([onenoteOperation](https://learn.microsoft.com/graph/api/resources/onenoteoperation)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OnenoteOperation {
    /// The operation's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `NotStarted`, `Running`, `Completed` or `Failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<OperationStatus>,
    /// When it started.
    #[serde(default, deserialize_with = "utc::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub created_date_time: Option<DateTime<Utc>>,
    /// When it last did something.
    #[serde(default, deserialize_with = "utc::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub last_action_date_time: Option<DateTime<Utc>>,
    /// The URL of the created resource, when done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_location: Option<String>,
    /// The id of the created resource, when done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<String>,
    /// Percent done (a string on the wire, e.g. `"50"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent_complete: Option<String>,
    /// Why it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<OnenoteOperationError>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// Why a OneNote operation failed
/// ([onenoteOperationError](https://learn.microsoft.com/graph/api/resources/onenoteoperationerror)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OnenoteOperationError {
    /// OneNote's error code (e.g. `20102`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// A string enum that reads any non-string value as absent, so one doc
/// sample's `"userRole": {}` does not fail the whole notebook.
fn lenient_enum<'de, D, E>(d: D) -> Result<Option<E>, D::Error>
where
    D: Deserializer<'de>,
    E: for<'a> From<&'a str>,
{
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Some(E::from(s.as_str())),
        _ => None,
    })
}
