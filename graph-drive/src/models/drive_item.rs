use chrono::{DateTime, Utc};
use msgraph_core::models::{Additional, IdentitySet, utc};
use serde::{Deserialize, Serialize};

use super::ThumbnailSet;

/// A file, folder or other item in a drive
/// ([driveItem](https://learn.microsoft.com/graph/api/resources/driveitem)).
///
/// Which facets are present says what the item is: [`file`](Self::file),
/// [`folder`](Self::folder), [`package`](Self::package) (e.g. a OneNote
/// notebook), [`remote_item`](Self::remote_item) (an item shared from
/// another drive), [`deleted`](Self::deleted) (in delta results).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DriveItem {
    /// The item's id, unique in its drive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The name, with its extension.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Size in bytes (of a folder: of everything in it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    /// Changes when anything about the item changes (use with `If-Match`).
    #[serde(default, rename = "eTag", skip_serializing_if = "Option::is_none")]
    pub e_tag: Option<String>,
    /// Changes when the content changes.
    #[serde(default, rename = "cTag", skip_serializing_if = "Option::is_none")]
    pub c_tag: Option<String>,
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
    /// A link to the item in a browser.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_url: Option<String>,
    /// A description shown in the OneDrive web app.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where it is: the drive and the parent folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_reference: Option<ItemReference>,
    /// Present on files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<FileFacet>,
    /// Present on folders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder: Option<FolderFacet>,
    /// Present on images.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<ImageFacet>,
    /// Present on photos (camera data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<PhotoFacet>,
    /// Present on videos.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<VideoFacet>,
    /// Present on audio files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio: Option<AudioFacet>,
    /// Present on packages (a OneNote notebook, an album).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<PackageFacet>,
    /// Present on items shared from another drive (search results, "shared with me").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_item: Option<Box<DriveItem>>,
    /// Present (and empty) on the drive's root folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root: Option<Additional>,
    /// Present on deleted items in delta results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted: Option<DeletedFacet>,
    /// Present on shared items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared: Option<SharedFacet>,
    /// Present on special folders (Documents, Photos, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub special_folder: Option<SpecialFolderFacet>,
    /// Times the client reported (may differ from the service's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_system_info: Option<FileSystemInfo>,
    /// A short-lived, pre-authenticated URL of the content (a credential:
    /// do not log it).
    #[serde(default, rename = "@microsoft.graph.downloadUrl", skip_serializing_if = "Option::is_none")]
    pub download_url: Option<String>,
    /// Thumbnails, with `$expand=thumbnails`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnails: Option<Vec<ThumbnailSet>>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

impl DriveItem {
    /// True for a folder (or a remote folder).
    pub fn is_folder(&self) -> bool {
        self.folder.is_some() || self.remote_item.as_ref().is_some_and(|r| r.folder.is_some())
    }

    /// True for a file (or a remote file).
    pub fn is_file(&self) -> bool {
        self.file.is_some() || self.remote_item.as_ref().is_some_and(|r| r.file.is_some())
    }

    /// The MIME type of a file, when Graph gave one.
    pub fn mime_type(&self) -> Option<&str> {
        let file = self.file.as_ref().or_else(|| self.remote_item.as_ref().and_then(|r| r.file.as_ref()));
        file.and_then(|f| f.mime_type.as_deref())
    }
}

/// Where an item is, or where to put one
/// ([itemReference](https://learn.microsoft.com/graph/api/resources/itemreference)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ItemReference {
    /// The drive's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drive_id: Option<String>,
    /// `personal`, `business` or `documentLibrary`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drive_type: Option<String>,
    /// The item's (or parent's) id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its path, e.g. `/drive/root:/Documents`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The SharePoint site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_id: Option<String>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

impl ItemReference {
    /// A reference to a folder by id.
    pub fn id(id: impl Into<String>) -> Self {
        ItemReference { id: Some(id.into()), ..Default::default() }
    }

    /// A reference to a folder by its path in the same drive, e.g. `/Documents`.
    pub fn path(path: &str) -> Self {
        let trimmed = path.trim_matches('/');
        let path = if trimmed.is_empty() { "/drive/root:".to_owned() } else { format!("/drive/root:/{trimmed}") };
        ItemReference { path: Some(path), ..Default::default() }
    }
}

/// The file facet ([file](https://learn.microsoft.com/graph/api/resources/file)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FileFacet {
    /// The MIME type Graph determined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// Hashes of the content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hashes: Option<Hashes>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// Hashes of a file's content ([hashes](https://learn.microsoft.com/graph/api/resources/hashes)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Hashes {
    /// QuickXorHash, base64 (OneDrive for Business and personal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quick_xor_hash: Option<String>,
    /// SHA-1, hex (personal OneDrive only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha1_hash: Option<String>,
    /// SHA-256, hex (personal OneDrive only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256_hash: Option<String>,
    /// CRC32, hex (personal OneDrive only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crc32_hash: Option<String>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// The folder facet ([folder](https://learn.microsoft.com/graph/api/resources/folder)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FolderFacet {
    /// How many items are directly in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child_count: Option<i64>,
    /// Properties not named above (`view`).
    #[serde(flatten)]
    pub additional: Additional,
}

/// The image facet ([image](https://learn.microsoft.com/graph/api/resources/image)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ImageFacet {
    /// Width in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<i64>,
    /// Height in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<i64>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// The photo facet ([photo](https://learn.microsoft.com/graph/api/resources/photo)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PhotoFacet {
    /// When the photo was taken.
    #[serde(default, deserialize_with = "utc::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub taken_date_time: Option<DateTime<Utc>>,
    /// Camera maker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub camera_make: Option<String>,
    /// Camera model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub camera_model: Option<String>,
    /// Properties not named above (exposure, focal length, ISO, ...).
    #[serde(flatten)]
    pub additional: Additional,
}

/// The video facet ([video](https://learn.microsoft.com/graph/api/resources/video)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct VideoFacet {
    /// Duration in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<i64>,
    /// Width in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<i64>,
    /// Height in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<i64>,
    /// Properties not named above (bitrate, codecs, ...).
    #[serde(flatten)]
    pub additional: Additional,
}

/// The audio facet ([audio](https://learn.microsoft.com/graph/api/resources/audio)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AudioFacet {
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Artist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artist: Option<String>,
    /// Album.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub album: Option<String>,
    /// Duration in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<i64>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// The package facet ([package](https://learn.microsoft.com/graph/api/resources/package)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PackageFacet {
    /// `oneNote` for a notebook.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub package_type: Option<String>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// The deleted facet, on items a delta round reports as deleted
/// ([deleted](https://learn.microsoft.com/graph/api/resources/deleted)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DeletedFacet {
    /// The state of the deletion, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// The shared facet ([shared](https://learn.microsoft.com/graph/api/resources/shared)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SharedFacet {
    /// Who owns the shared item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<IdentitySet>,
    /// `anonymous`, `organization` or `users`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Who shared it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_by: Option<IdentitySet>,
    /// When it was shared.
    #[serde(default, deserialize_with = "utc::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub shared_date_time: Option<DateTime<Utc>>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// The special-folder facet ([specialFolder](https://learn.microsoft.com/graph/api/resources/specialfolder)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SpecialFolderFacet {
    /// `documents`, `photos`, `cameraroll`, `approot`, `music`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// Times the client reported
/// ([fileSystemInfo](https://learn.microsoft.com/graph/api/resources/filesysteminfo)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FileSystemInfo {
    /// Created, as the client says.
    #[serde(default, deserialize_with = "utc::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub created_date_time: Option<DateTime<Utc>>,
    /// Last modified, as the client says.
    #[serde(default, deserialize_with = "utc::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub last_modified_date_time: Option<DateTime<Utc>>,
    /// Last opened (recent files only).
    #[serde(default, deserialize_with = "utc::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub last_accessed_date_time: Option<DateTime<Utc>>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}
