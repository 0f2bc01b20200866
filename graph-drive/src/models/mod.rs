//! The drive's models: [`DriveItem`] and its facets, [`Drive`], sharing,
//! versions, thumbnails. All are re-exported at the crate root.

mod drive;
mod drive_item;
mod sharing;
mod thumbnail;
mod version;

pub use drive::{Drive, DriveType, Quota};
pub use drive_item::{
    AudioFacet, DeletedFacet, DriveItem, FileFacet, FileSystemInfo, FolderFacet, Hashes, ImageFacet, ItemReference,
    PackageFacet, PhotoFacet, SharedFacet, SpecialFolderFacet, VideoFacet,
};
pub use msgraph_core::upload::UploadSession;
pub use sharing::{LinkScope, LinkType, Permission, SharingLink};
pub use thumbnail::{Thumbnail, ThumbnailSet};
pub use version::DriveItemVersion;
