#![doc = include_str!("../README.md")]
//!
//! ## Map of the crate
//!
//! | Area | Handler | Graph |
//! | --- | --- | --- |
//! | drives: mine, a user's, by id, list, quota | [`DriveExt`], [`DriveByIdExt`], [`OneDrive::get`] | [drive](https://learn.microsoft.com/graph/api/resources/drive) |
//! | items by id or path: get, list children, special folders | [`OneDrive::item`], [`OneDrive::list`], [`OneDrive::special`] | [driveItem](https://learn.microsoft.com/graph/api/resources/driveitem) |
//! | content: read, stream to a file, upload (simple or session) | [`OneDrive::content`], [`OneDrive::download`], [`OneDrive::upload`] | [download](https://learn.microsoft.com/graph/api/driveitem-get-content), [upload](https://learn.microsoft.com/graph/api/driveitem-createuploadsession) |
//! | search, with file kinds and name patterns | [`OneDrive::search`], [`DriveSearch`], [`FileKind`] | [search](https://learn.microsoft.com/graph/api/driveitem-search) |
//! | folders, rename, move, copy, delete, restore | [`OneDrive::create_folder`], [`OneDrive::rename`], [`OneDrive::move_to`], [`OneDrive::copy`], [`OneDrive::delete`] | [update](https://learn.microsoft.com/graph/api/driveitem-update), [copy](https://learn.microsoft.com/graph/api/driveitem-copy) |
//! | sharing links and permissions | [`OneDrive::create_link`], [`OneDrive::permissions`] | [permission](https://learn.microsoft.com/graph/api/resources/permission) |
//! | versions, thumbnails | [`OneDrive::versions`], [`OneDrive::thumbnails`] | [driveItemVersion](https://learn.microsoft.com/graph/api/resources/driveitemversion) |
//! | delta | [`OneDrive::delta`] | [delta](https://learn.microsoft.com/graph/api/driveitem-delta) |
//!
//! Items are addressed by [`ItemRef`]: a path (`"/Documents/report.pdf"`),
//! an id, the root or a special folder. Transfers, paging, delta, retries and
//! the per-request options come from `msgraph-core`.
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

mod drive;
mod ext;
mod item_ref;
mod kind;
pub mod models;
mod names;
mod search;
mod transfer;

pub use drive::OneDrive;
pub use ext::{DriveByIdExt, DriveExt};
pub use item_ref::{ItemRef, SpecialFolder};
pub use kind::{FileKind, NamePattern};
pub use models::*;
pub use names::check_name;
pub use search::{DriveItemStream, DriveSearch};
pub use transfer::{ConflictBehavior, CopyItem, CreateFolder, CreateLink, RestoreItem, SIMPLE_UPLOAD_MAX, UploadFile};
