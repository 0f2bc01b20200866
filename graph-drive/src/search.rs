//! [`DriveSearch`]: a search with client-side filters by file kind and name.

use std::pin::Pin;

use futures::{Stream, StreamExt as _, TryStreamExt as _};
use msgraph_core::{ListBuilder, Page, RequestOptions, Result, WithOptions};

use crate::{DriveItem, FileKind, NamePattern};

/// A stream of drive items.
pub type DriveItemStream = Pin<Box<dyn Stream<Item = Result<DriveItem>> + Send>>;

/// A search of a drive; see [`OneDrive::search`](crate::OneDrive::search).
///
/// Graph ranks the results and cannot filter them by type; the kind and
/// name filters here run on each page as it arrives, so a filtered page may
/// hold fewer than `top` items (use [`stream`](Self::stream) for "all
/// matches").
#[must_use = "builders do nothing until sent"]
#[derive(Debug, Clone)]
pub struct DriveSearch {
    list: ListBuilder<DriveItem>,
    kinds: Vec<FileKind>,
    pattern: Option<NamePattern>,
}

impl DriveSearch {
    pub(crate) fn new(list: ListBuilder<DriveItem>) -> Self {
        DriveSearch { list, kinds: Vec::new(), pattern: None }
    }

    /// Only files of this kind (call again to allow several kinds).
    pub fn kind(mut self, kind: FileKind) -> Self {
        self.kinds.push(kind);
        self
    }

    /// Only items whose name matches, e.g. `invoice*.pdf`.
    pub fn name_like(mut self, pattern: &str) -> Self {
        self.pattern = Some(NamePattern::new(pattern));
        self
    }

    /// Results per page (Graph's `$top`).
    pub fn top(self, n: u32) -> Self {
        DriveSearch { list: self.list.top(n), ..self }
    }

    /// `$select`: only these properties (keep `name` and `file` if you filter by kind).
    pub fn select<I, S>(self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        DriveSearch { list: self.list.select(fields), ..self }
    }

    /// The search without the client-side filters, as a core list builder.
    pub fn into_list_builder(self) -> ListBuilder<DriveItem> {
        self.list
    }

    fn keep(kinds: &[FileKind], pattern: Option<&NamePattern>, item: &DriveItem) -> bool {
        let kind_ok = kinds.is_empty() || kinds.iter().any(|k| k.matches(item));
        let name = item.name.as_deref().or_else(|| item.remote_item.as_ref().and_then(|r| r.name.as_deref()));
        let name_ok = pattern.is_none_or(|p| name.is_some_and(|n| p.matches(n)));
        kind_ok && name_ok
    }

    /// The first page of results, filtered.
    pub async fn send(self) -> Result<Page<DriveItem>> {
        let (kinds, pattern) = (self.kinds, self.pattern);
        let mut page = self.list.send().await?;
        page.value.retain(|i| Self::keep(&kinds, pattern.as_ref(), i));
        Ok(page)
    }

    /// Every matching item of every page, lazily.
    pub fn stream(self) -> DriveItemStream {
        let (kinds, pattern) = (self.kinds, self.pattern);
        self.list
            .stream()
            .try_filter(move |item| futures::future::ready(Self::keep(&kinds, pattern.as_ref(), item)))
            .boxed()
    }
}

impl WithOptions for DriveSearch {
    fn request_options(&mut self) -> &mut RequestOptions {
        self.list.request_options()
    }
}
