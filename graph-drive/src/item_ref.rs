//! How an operation addresses an item: by id, by path, the root, or a special folder.

use msgraph_core::GraphPath;

/// A special folder of a drive
/// ([get special folder](https://learn.microsoft.com/graph/api/drive-get-specialfolder)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SpecialFolder {
    /// The Documents folder.
    Documents,
    /// The Photos folder.
    Photos,
    /// The Camera Roll folder.
    CameraRoll,
    /// The app's own folder (`Apps/<app name>`), created on first use.
    AppRoot,
    /// The Music folder.
    Music,
}

impl SpecialFolder {
    /// The name Graph uses in the URL.
    pub fn as_str(self) -> &'static str {
        match self {
            SpecialFolder::Documents => "documents",
            SpecialFolder::Photos => "photos",
            SpecialFolder::CameraRoll => "cameraroll",
            SpecialFolder::AppRoot => "approot",
            SpecialFolder::Music => "music",
        }
    }
}

/// An item of a drive: by id, by path from the root, the root itself, or a
/// special folder.
///
/// From a string: a value starting with `/` is a **path** (`"/Documents/report.pdf"`,
/// `"/"` is the root); anything else is an **id** (`"01BYE5RZ..."`). Paths
/// are sent as `root:/Documents/report.pdf:` with each name encoded on its
/// own, so a `#`, `?`, `%` or `:` in a name never changes the request; `..`
/// is refused before anything is sent.
///
/// ```
/// use msgraph_drive::ItemRef;
/// assert_eq!(ItemRef::from("/Documents/a b.txt"), ItemRef::Path("/Documents/a b.txt".into()));
/// assert_eq!(ItemRef::from("01BYE5RZ"), ItemRef::Id("01BYE5RZ".into()));
/// assert_eq!(ItemRef::from("/"), ItemRef::Root);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ItemRef {
    /// The drive's root folder.
    Root,
    /// An item id.
    Id(String),
    /// A path from the root, e.g. `/Documents/report.pdf`.
    Path(String),
    /// A special folder.
    Special(SpecialFolder),
}

impl ItemRef {
    /// An item by id (even one that starts with `/`).
    pub fn id(id: impl Into<String>) -> Self {
        ItemRef::Id(id.into())
    }

    /// An item by its path from the root.
    pub fn path(path: impl Into<String>) -> Self {
        let p = path.into();
        if p.trim_matches('/').is_empty() { ItemRef::Root } else { ItemRef::Path(p) }
    }

    /// The item's path below `drive` (`/me/drive`, `/drives/{id}`, ...).
    pub(crate) fn under(&self, drive: &GraphPath) -> GraphPath {
        match self {
            ItemRef::Root => drive.clone().push("root"),
            ItemRef::Id(id) => drive.clone().push("items").id(id.clone()),
            ItemRef::Path(p) => drive.clone().push("root").item_path(p),
            ItemRef::Special(f) => drive.clone().push("special").push(f.as_str()),
        }
    }

    /// The child called `name` of this folder, addressed by path.
    pub(crate) fn child(&self, drive: &GraphPath, name: &str) -> GraphPath {
        match self {
            ItemRef::Path(p) => drive.clone().push("root").item_path(&format!("{}/{name}", p.trim_end_matches('/'))),
            other => other.under(drive).item_path(name),
        }
    }
}

impl From<&str> for ItemRef {
    fn from(s: &str) -> Self {
        if s.starts_with('/') { ItemRef::path(s) } else { ItemRef::Id(s.to_owned()) }
    }
}

impl From<String> for ItemRef {
    fn from(s: String) -> Self {
        if s.starts_with('/') { ItemRef::path(s) } else { ItemRef::Id(s) }
    }
}

impl From<&String> for ItemRef {
    fn from(s: &String) -> Self {
        ItemRef::from(s.as_str())
    }
}

impl From<SpecialFolder> for ItemRef {
    fn from(f: SpecialFolder) -> Self {
        ItemRef::Special(f)
    }
}

impl From<&crate::DriveItem> for ItemRef {
    /// The item by its id (an item without one addresses nothing: empty id,
    /// refused before sending).
    fn from(item: &crate::DriveItem) -> Self {
        ItemRef::Id(item.id.clone().unwrap_or_default())
    }
}
