//! OneDrive tools (`onedrive_*`). Permission: delegated `Files.Read`
//! (nothing here changes the drive; `onedrive_download_file` writes a local
//! file, only into the agent's download folder).

use std::path::{Component, Path};

use futures::{StreamExt as _, TryStreamExt as _};
use msgraph_drive::{DriveExt, DriveItem, ItemRef};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::args::non_blank;
use crate::catalogue::{Access, Service};
use crate::dispatch::{Ctx, Meta, OrTool, Registry, ToolError, cut, limit, page};

const NO_FOLDER: &str = "no such folder; call onedrive_list_files with folder_path \"/\" (or a parent folder) to see \
                         what exists, or onedrive_search_files to find it by name";
const NO_FILE: &str = "no such file; call onedrive_list_files or onedrive_search_files to find the file and its id or \
                       path";
/// Files larger than this are not read as text.
const MAX_TEXT_BYTES: i64 = 256 * 1024;
/// Characters of a text file's content in results.
const TEXT_CHARS: usize = 16_000;
/// Bytes (UTF-8) of a text file's content in results, so that the result stays under the size cap.
const TEXT_BYTES: usize = 24 * 1024;

/// A file or folder, trimmed.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct FileView {
    /// The item's id (pass it as `id` to onedrive_read_file or onedrive_download_file).
    id: String,
    /// Its name, with the extension.
    name: String,
    /// Its path from the drive's root, e.g. `/Documents/report.pdf`, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    /// True for a folder (list it with onedrive_list_files), false for a file.
    is_folder: bool,
    /// Size in bytes (of a folder: of everything in it).
    #[serde(skip_serializing_if = "Option::is_none")]
    size: Option<i64>,
    /// How many items are directly in a folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    child_count: Option<i64>,
    /// The MIME type of a file, e.g. `application/pdf`.
    #[serde(skip_serializing_if = "Option::is_none")]
    mime_type: Option<String>,
    /// When it last changed (UTC, RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    last_modified: Option<String>,
    /// A link that opens it in a browser (for the user).
    #[serde(skip_serializing_if = "Option::is_none")]
    web_url: Option<String>,
}

/// The path of an item from its parent reference (`/drives/{id}/root:/Documents` + name).
fn item_path(item: &DriveItem) -> Option<String> {
    let parent = item.parent_reference.as_ref()?.path.as_deref()?;
    let (_, below_root) = parent.split_once("root:")?;
    let name = item.name.as_deref()?;
    Some(format!("{}/{name}", below_root.trim_end_matches('/')))
}

impl From<DriveItem> for FileView {
    fn from(i: DriveItem) -> Self {
        let path = item_path(&i);
        let is_folder = i.is_folder();
        let mime_type = i.mime_type().map(str::to_owned);
        let remote = i.remote_item.as_deref();
        FileView {
            path,
            is_folder,
            mime_type,
            child_count: i.folder.as_ref().and_then(|f| f.child_count),
            id: i.id.or_else(|| remote.and_then(|r| r.id.clone())).unwrap_or_default(),
            name: i.name.or_else(|| remote.and_then(|r| r.name.clone())).unwrap_or_default(),
            size: i.size,
            last_modified: i.last_modified_date_time.map(|t| t.to_rfc3339()),
            web_url: i.web_url,
        }
    }
}

#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Files {
    /// The folder listed.
    folder: String,
    /// Its files and folders.
    items: Vec<FileView>,
    /// Pass as `cursor` to get the next items; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_cursor: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct FileContent {
    /// The file.
    #[serde(flatten)]
    file: FileView,
    /// True when `content` holds the file's text.
    is_text: bool,
    /// The file's text (cut after about 16,000 characters, see `truncated`).
    #[serde(skip_serializing_if = "Option::is_none")]
    content: Option<String>,
    /// True when `content` was cut: the file is longer.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    truncated: bool,
    /// Why there is no content (not a text file, or too large).
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Found {
    /// The matching files and folders, best match first.
    items: Vec<FileView>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Saved {
    /// The local path the file was saved to.
    saved_to: String,
    /// Its size in bytes.
    size: u64,
    /// The OneDrive item's id.
    id: String,
}

/// Arguments of `onedrive_list_files`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListArgs {
    /// The folder's path from the root, e.g. `/Documents` or `/Documents/Archive` (default `/`, the root).
    folder_path: Option<String>,
    /// How many items to return (1-50, default 10).
    limit: Option<u32>,
    /// The `next_cursor` of an earlier call, for the next items.
    cursor: Option<String>,
}

/// Arguments of `onedrive_read_file`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReadArgs {
    /// The file's id, from onedrive_list_files or onedrive_search_files. Give `id` or `path`, not both.
    id: Option<String>,
    /// The file's path from the root, e.g. `/Documents/notes.txt`. Give `id` or `path`, not both.
    path: Option<String>,
}

/// Arguments of `onedrive_search_files`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SearchArgs {
    /// Words to look for in file names and content, e.g. "budget 2024".
    query: String,
    /// Only files with this extension, e.g. "pdf", "docx", "xlsx", "md".
    file_type: Option<String>,
    /// How many items to return (1-50, default 10).
    limit: Option<u32>,
}

/// Arguments of `onedrive_download_file`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DownloadArgs {
    /// The file's id, from onedrive_list_files or onedrive_search_files. Give `id` or `path`, not both.
    id: Option<String>,
    /// The file's path from the root, e.g. `/Documents/report.pdf`. Give `id` or `path`, not both.
    path: Option<String>,
    /// The local file name to save as, without folders (default: the file's own name).
    file_name: Option<String>,
    /// Replace a local file of that name if there is one (default false: refuse).
    overwrite: Option<bool>,
}

/// A path from the root, with its leading `/`.
fn normalize_path(what: &str, p: &str) -> Result<String, ToolError> {
    let p = p.trim();
    if p.split(['/', '\\']).any(|c| c == "..") {
        return Err(ToolError::new(format!(
            "`{what}` must not contain `..`; give a path from the root like /Documents"
        )));
    }
    Ok(if p.starts_with('/') { p.to_owned() } else { format!("/{p}") })
}

/// The item named by exactly one of `id` and `path`.
fn target(id: Option<&str>, path: Option<&str>) -> Result<ItemRef, ToolError> {
    let id = id.map(str::trim).filter(|s| !s.is_empty());
    let path = path.map(str::trim).filter(|s| !s.is_empty());
    match (id, path) {
        (Some(_), Some(_)) => Err(ToolError::new("give either `id` or `path`, not both")),
        (None, None) => Err(ToolError::new(
            "give the file's `id` or its `path` (e.g. /Documents/notes.txt); find them with onedrive_list_files or \
             onedrive_search_files",
        )),
        (Some(id), None) => Ok(ItemRef::id(id)),
        (None, Some(p)) => Ok(ItemRef::path(normalize_path("path", p)?)),
    }
}

/// Reads a file's metadata and refuses folders.
async fn file(ctx: &Ctx, item: ItemRef) -> Result<DriveItem, ToolError> {
    let item = ctx.client.me().drive().item(item).send().await.or_tool(NO_FILE)?;
    if item.is_folder() {
        let at = item_path(&item).or_else(|| item.name.clone()).unwrap_or_else(|| "/".into());
        return Err(ToolError::new(format!(
            "`{at}` is a folder, not a file; call onedrive_list_files with folder_path \"{at}\" to see its files"
        )));
    }
    Ok(item)
}

const TEXT_EXTENSIONS: &[&str] = &[
    "txt",
    "text",
    "md",
    "markdown",
    "csv",
    "tsv",
    "json",
    "jsonl",
    "xml",
    "yaml",
    "yml",
    "log",
    "ini",
    "cfg",
    "conf",
    "toml",
    "html",
    "htm",
    "css",
    "js",
    "ts",
    "py",
    "rs",
    "java",
    "c",
    "h",
    "cpp",
    "cs",
    "go",
    "rb",
    "sh",
    "ps1",
    "sql",
    "rtf",
    "srt",
    "vtt",
    "tex",
    "properties",
    "env",
];

fn is_text_like(item: &DriveItem) -> bool {
    let mime = item.mime_type().unwrap_or_default().to_ascii_lowercase();
    let mime = mime.split(';').next().unwrap_or_default().trim();
    let by_mime = mime.starts_with("text/")
        || mime.ends_with("+json")
        || mime.ends_with("+xml")
        || matches!(
            mime,
            "application/json"
                | "application/xml"
                | "application/x-yaml"
                | "application/yaml"
                | "application/javascript"
                | "application/x-sh"
                | "application/sql"
                | "application/x-ndjson"
        );
    let by_ext = item
        .name
        .as_deref()
        .and_then(|n| n.rsplit_once('.'))
        .is_some_and(|(_, e)| TEXT_EXTENSIONS.iter().any(|t| t.eq_ignore_ascii_case(e)));
    by_mime || by_ext
}

/// A local file name: no folders, no `..`, nothing a file system reads specially.
fn check_local_name(name: &str) -> Result<&str, ToolError> {
    let bad = |why: &str| Err(ToolError::new(format!("`file_name` {why}; give a plain file name like report.pdf")));
    if name.trim().is_empty() {
        return bad("must not be empty");
    }
    if name.contains(['/', '\\']) {
        return bad("must not contain a path separator (/ or \\): files are saved only in the download folder");
    }
    if name.contains("..") {
        return bad("must not contain `..`");
    }
    if name.trim() != name {
        return bad("must not start or end with a space");
    }
    if let Some(c) = name.chars().find(|c| c.is_control() || matches!(c, ':' | '<' | '>' | '"' | '|' | '?' | '*')) {
        return bad(&format!("must not contain {c:?}"));
    }
    if name.len() > 255 {
        return bad("is longer than 255 bytes");
    }
    let mut parts = Path::new(name).components();
    match (parts.next(), parts.next()) {
        (Some(Component::Normal(_)), None) => Ok(name),
        _ => bad("is not a plain file name"),
    }
}

async fn list_files(ctx: Ctx, a: ListArgs) -> Result<Files, ToolError> {
    let n = limit(a.limit)?;
    let folder = normalize_path("folder_path", a.folder_path.as_deref().unwrap_or("/"))?;
    let list = ctx.client.me().drive().list(ItemRef::path(folder.clone()));
    let (items, next_cursor) = page(&ctx, list, n, a.cursor.as_deref(), NO_FOLDER).await?;
    let base = folder.trim_end_matches('/').to_owned();
    let items = items
        .into_iter()
        .map(|i| {
            let mut v = FileView::from(i);
            if v.path.is_none() && !v.name.is_empty() {
                v.path = Some(format!("{base}/{}", v.name));
            }
            v
        })
        .collect();
    Ok(Files { folder, items, next_cursor })
}

async fn read_file(ctx: Ctx, a: ReadArgs) -> Result<FileContent, ToolError> {
    let item = file(&ctx, target(a.id.as_deref(), a.path.as_deref())?).await?;
    let size = item.size.unwrap_or(0);
    let text_like = is_text_like(&item);
    if !text_like || size > MAX_TEXT_BYTES {
        let note = if text_like {
            format!(
                "the file is too large to read here ({size} bytes, limit {MAX_TEXT_BYTES}); open web_url, or save it \
                 with onedrive_download_file"
            )
        } else {
            format!(
                "not a text file ({}): only its details are shown; open web_url, or save it with onedrive_download_file",
                item.mime_type().unwrap_or("unknown type")
            )
        };
        return Ok(FileContent {
            file: item.into(),
            is_text: false,
            content: None,
            truncated: false,
            note: Some(note),
        });
    }
    let at = ItemRef::id(item.id.clone().unwrap_or_default());
    let bytes = ctx.client.me().drive().content(at).send().await.or_tool(NO_FILE)?;
    let text = String::from_utf8_lossy(&bytes);
    let (content, truncated) = cut(text.strip_prefix('\u{feff}').unwrap_or(&text), TEXT_CHARS, TEXT_BYTES);
    Ok(FileContent { file: item.into(), is_text: true, content: Some(content), truncated, note: None })
}

async fn search_files(ctx: Ctx, a: SearchArgs) -> Result<Found, ToolError> {
    let n = limit(a.limit)?;
    let query = non_blank("query", &a.query)?;
    let ext = match a.file_type.as_deref().map(|t| t.trim().trim_start_matches('*').trim_start_matches('.')) {
        None | Some("") => None,
        Some(e) if e.chars().all(|c| c.is_ascii_alphanumeric()) => Some(e.to_ascii_lowercase()),
        Some(e) => {
            return Err(ToolError::new(format!(
                "`file_type` must be a file extension like \"pdf\" or \"docx\", got `{e}`"
            )));
        }
    };
    let mut search = ctx.client.me().drive().search(query);
    search = match &ext {
        Some(e) => search.name_like(&format!("*.{e}")).top(MAX_SEARCH_PAGE),
        None => search.top(n),
    };
    let items: Vec<DriveItem> = search
        .stream()
        .try_filter(|i| futures::future::ready(ext.is_none() || i.is_file()))
        .take(n as usize)
        .try_collect()
        .await
        .or_tool(NO_FILE)?;
    Ok(Found { items: items.into_iter().map(FileView::from).collect() })
}

/// Results per search request when filtering by extension (fewer requests for the same matches).
const MAX_SEARCH_PAGE: u32 = 50;

async fn download_file(ctx: Ctx, a: DownloadArgs) -> Result<Saved, ToolError> {
    let Some(dir) = ctx.download_dir.clone() else {
        return Err(ToolError::new(
            "downloads are disabled: this agent has no download folder, so onedrive_download_file cannot save \
             files. Use onedrive_read_file to read a text file, or give the user the file's web_url.",
        ));
    };
    let at = target(a.id.as_deref(), a.path.as_deref())?;
    if let Some(name) = a.file_name.as_deref() {
        check_local_name(name)?;
    }
    let item = file(&ctx, at).await?;
    let id = item.id.clone().unwrap_or_default();
    let name = match a.file_name.as_deref() {
        Some(n) => n.to_owned(),
        None => {
            let own = item.name.clone().unwrap_or_default();
            check_local_name(&own).map_err(|e| {
                ToolError::new(format!("the file's own name cannot be used locally ({e}); pass `file_name`"))
            })?;
            own
        }
    };
    tokio::fs::create_dir_all(dir.as_path())
        .await
        .map_err(|e| ToolError::new(format!("could not create the download folder: {e}")))?;
    let dest = dir.join(&name);
    if !a.overwrite.unwrap_or(false) && tokio::fs::symlink_metadata(&dest).await.is_ok() {
        return Err(ToolError::new(format!(
            "a file named `{name}` already exists in the download folder; pass another `file_name`, or \
             overwrite=true to replace it"
        )));
    }
    let size = ctx.client.me().drive().download(ItemRef::id(id.clone())).to_file(&dest).await.or_tool(NO_FILE)?;
    Ok(Saved { saved_to: dest.display().to_string(), size, id })
}

pub(crate) fn register(r: &mut Registry) {
    let drive =
        |name, title, description, access| Meta { name, title, description, service: Service::OneDrive, access };
    r.add(
        drive(
            "onedrive_list_files",
            "List OneDrive files",
            "List the files and folders in a folder of the user's OneDrive, by path from the root (default `/`, \
             the root; e.g. `/Documents`). Each item has id, name, path, is_folder, size, mime_type, \
             last_modified, web_url. Returns {folder, items, next_cursor}; pass next_cursor as `cursor` for more. \
             To find a file by name or content anywhere, use onedrive_search_files.",
            Access::Read,
        ),
        list_files,
    );
    r.add(
        drive(
            "onedrive_read_file",
            "Read a OneDrive file",
            "Read one OneDrive file by `id` or by `path` (exactly one). For text files (txt, md, csv, json, xml, \
             ...) up to 256 KiB, returns its text in `content` (cut after about 16,000 characters, `truncated` \
             then true). For other files (PDF, Word, images, ...) returns only the file's details with a `note`. \
             Folders are refused: list them with onedrive_list_files.",
            Access::Read,
        ),
        read_file,
    );
    r.add(
        drive(
            "onedrive_search_files",
            "Search OneDrive files",
            "Search the user's OneDrive for files and folders whose name or content matches `query`, optionally \
             only files of one extension (`file_type`, e.g. \"pdf\", \"docx\", \"xlsx\"). Returns {items} with id, \
             name, path, size, mime_type, last_modified, web_url; read one with onedrive_read_file.",
            Access::Read,
        ),
        search_files,
    );
    r.add(
        drive(
            "onedrive_download_file",
            "Download a OneDrive file",
            "Save a OneDrive file (by `id` or `path`, exactly one) into the local download folder this agent was \
             configured with, under `file_name` (a plain name, no folders; default the file's own name). An \
             existing local file is not replaced unless overwrite=true. Refused when downloads are disabled. \
             Returns {saved_to, size, id}. To read a text file's content, use onedrive_read_file instead.",
            Access::Write,
        ),
        download_file,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_names_are_plain_file_names() {
        assert!(check_local_name("report.pdf").is_ok());
        assert!(check_local_name("Q3 review (final).pptx").is_ok());
        for bad in ["", " ", "../x", "a/b", "a\\b", "..", ".", "c:x", "x\u{0}", " x"] {
            assert!(check_local_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn paths_come_from_the_parent_reference() {
        let item: DriveItem = serde_json::from_value(serde_json::json!({
            "name": "a.txt", "parentReference": {"path": "/drives/b!1/root:/Documents"}
        }))
        .unwrap();
        assert_eq!(item_path(&item).as_deref(), Some("/Documents/a.txt"));
        let item: DriveItem =
            serde_json::from_value(serde_json::json!({"name": "a.txt", "parentReference": {"path": "/drive/root:"}}))
                .unwrap();
        assert_eq!(item_path(&item).as_deref(), Some("/a.txt"));
    }
}
