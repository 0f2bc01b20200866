//! [`SearchPages`]: Graph's page search where the account has it, and a
//! documented fallback where it does not.
//!
//! Graph's `search` query parameter on pages works for consumer notebooks
//! (Microsoft announced its deprecation in 2024); work and school accounts
//! refuse it. Then the SDK matches titles with
//! `$filter=contains(tolower(title),'...')` and, when asked
//! ([`content_scan`](SearchPages::content_scan)), reads the text of the most
//! recently changed pages (at most N) and matches that. The result says
//! which way it went ([`FoundBy`]) and why ([`SearchResults::fallback_reason`]).

use std::collections::HashSet;

use futures::{StreamExt as _, TryStreamExt as _};
use msgraph_core::odata::filter_literal;
use msgraph_core::{Error, Result};

use crate::{OnenotePage, Pages};

/// How a search runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum SearchMode {
    /// Graph's search; if the account refuses it (400, 403, 501), the fallback (default).
    #[default]
    Auto,
    /// Graph's search only (its refusal is the error).
    GraphSearch,
    /// The fallback only: title match, and the text match if asked.
    Fallback,
}

/// Which way a search found its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FoundBy {
    /// Graph's `search` parameter (titles and text, ranked by Graph).
    GraphSearch,
    /// The fallback: titles through `$filter` only.
    TitleFilter,
    /// The fallback: titles through `$filter`, then the text of this many
    /// recent pages read and matched here.
    TitleAndContent {
        /// Pages whose text was read.
        scanned: usize,
    },
}

/// How one page matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MatchedBy {
    /// Graph's search returned it.
    GraphSearch,
    /// Its title contains the query.
    Title,
    /// Its text contains the query.
    Content,
}

/// A page a search found.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SearchHit {
    /// The page.
    pub page: OnenotePage,
    /// How it matched.
    pub matched: MatchedBy,
}

/// What a search found, and how.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SearchResults {
    /// The pages, Graph's order for its search; title matches (newest
    /// change first) before content matches otherwise.
    pub hits: Vec<SearchHit>,
    /// Which way they were found.
    pub found_by: FoundBy,
    /// Why the fallback ran (Graph's refusal), when it did in [`SearchMode::Auto`].
    pub fallback_reason: Option<String>,
}

/// A page search; see [`Pages::search`].
#[must_use = "builders do nothing until sent"]
#[derive(Debug, Clone)]
pub struct SearchPages {
    pages: Pages,
    query: String,
    section: Option<String>,
    mode: SearchMode,
    limit: u32,
    scan: Option<usize>,
}

impl SearchPages {
    pub(crate) fn new(pages: Pages, query: String) -> Self {
        SearchPages { pages, query, section: None, mode: SearchMode::Auto, limit: 20, scan: None }
    }

    /// Only the pages of this section.
    pub fn in_section(mut self, section_id: impl Into<String>) -> Self {
        self.section = Some(section_id.into());
        self
    }

    /// Graph's search, the fallback, or the first then the second (default).
    pub fn mode(mut self, mode: SearchMode) -> Self {
        self.mode = mode;
        self
    }

    /// The most pages answered (default 20, at most 100).
    pub fn limit(mut self, n: u32) -> Self {
        self.limit = n;
        self
    }

    /// In the fallback, also read the text of up to `max_pages` of the most
    /// recently changed pages and keep those that contain the query (each
    /// read is a request in one of the user's slots).
    pub fn content_scan(mut self, max_pages: usize) -> Self {
        self.scan = Some(max_pages);
        self
    }

    fn list(&self) -> crate::OnenoteList<OnenotePage> {
        match &self.section {
            Some(s) => self.pages.list_in(s.clone()),
            None => self.pages.list(),
        }
    }

    /// Runs the search.
    pub async fn send(self) -> Result<SearchResults> {
        let query = self.query.trim().to_owned();
        if query.is_empty() {
            return Err(Error::invalid_input("a search query must not be empty"));
        }
        if self.limit == 0 || self.limit > crate::MAX_PAGES_TOP {
            return Err(Error::invalid_input(format!("limit({}): 1 to {}", self.limit, crate::MAX_PAGES_TOP)));
        }
        if self.section.as_deref().is_some_and(|s| s.trim().is_empty()) {
            return Err(Error::invalid_input("a section id must not be empty"));
        }
        let mut fallback_reason = None;
        if self.mode != SearchMode::Fallback {
            match self.list().param("search", query.clone()).top(self.limit).send().await {
                Ok(page) => {
                    let hits = page
                        .value
                        .into_iter()
                        .map(|page| SearchHit { page, matched: MatchedBy::GraphSearch })
                        .collect();
                    return Ok(SearchResults { hits, found_by: FoundBy::GraphSearch, fallback_reason: None });
                }
                Err(e) if self.mode == SearchMode::Auto && refused(&e) => fallback_reason = Some(e.to_string()),
                Err(e) => return Err(e),
            }
        }
        let limit = self.limit as usize;
        let lower = query.to_lowercase();
        let filter = format!("contains(tolower(title),{})", filter_literal(&lower));
        let mut hits: Vec<SearchHit> = self
            .list()
            .filter(filter)
            .top(self.limit)
            .stream()
            .take(limit)
            .map_ok(|page| SearchHit { page, matched: MatchedBy::Title })
            .try_collect()
            .await?;
        let Some(max_scan) = self.scan else {
            return Ok(SearchResults { hits, found_by: FoundBy::TitleFilter, fallback_reason });
        };
        let seen: HashSet<String> = hits.iter().filter_map(|h| h.page.id.clone()).collect();
        let candidates: Vec<OnenotePage> = self
            .list()
            .order_by("lastModifiedDateTime desc")
            .top(u32::try_from(max_scan.clamp(1, 100)).unwrap_or(100))
            .stream()
            .take(max_scan)
            .try_collect()
            .await?;
        let scanned = candidates.len();
        let on = self.pages.on.clone();
        let words: Vec<String> = lower.split_whitespace().map(str::to_owned).collect();
        let matches: Vec<Option<OnenotePage>> = futures::stream::iter(
            candidates.into_iter().filter(|p| p.id.as_ref().is_some_and(|id| !seen.contains(id))),
        )
        .map(|page| {
            let on = on.clone();
            let words = words.clone();
            async move {
                let id = page.id.clone().unwrap_or_default();
                let text = on.extract_text(id).send().await?.to_lowercase();
                let hit = words.iter().all(|w| text.contains(w.as_str()));
                Ok::<_, Error>(hit.then_some(page))
            }
        })
        .buffered(on.concurrency_limit())
        .try_collect()
        .await?;
        for page in matches.into_iter().flatten() {
            if hits.len() >= limit {
                break;
            }
            hits.push(SearchHit { page, matched: MatchedBy::Content });
        }
        Ok(SearchResults { hits, found_by: FoundBy::TitleAndContent { scanned }, fallback_reason })
    }
}

/// Graph's refusal of the `search` parameter (not a failure to retry or to report).
fn refused(e: &Error) -> bool {
    matches!(e.status(), Some(400 | 403 | 501))
}

msgraph_core::into_future!(SearchPages => SearchResults);
