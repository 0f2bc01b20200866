//! [`CopyPage`]: `copyToSection`, followed to the end with core's monitor.

use std::time::Duration;

use msgraph_core::operation::Monitor;
use msgraph_core::{Action, Error, Request, RequestOptions, Response, Result, WithOptions};
use serde_json::json;

use crate::onenote::non_empty;
use crate::{OnenotePage, Pages};

/// Copies a page to a section; see [`Pages::copy_to_section`].
///
/// The `copyToSection` request is sent in one of the user's request slots;
/// the status polls that follow (one at a time, a second apart unless Graph
/// says otherwise) are not counted against the limit.
#[must_use = "builders do nothing until sent"]
#[derive(Debug)]
pub struct CopyPage {
    pages: Pages,
    page_id: String,
    section_id: String,
    group_id: Option<String>,
    max_wait: Duration,
    poll_interval: Duration,
    options: RequestOptions,
}

impl CopyPage {
    pub(crate) fn new(pages: Pages, page_id: String, section_id: String) -> Self {
        CopyPage {
            pages,
            page_id,
            section_id,
            group_id: None,
            max_wait: Duration::from_secs(300),
            poll_interval: Duration::from_secs(1),
            options: RequestOptions::default(),
        }
    }

    /// The Microsoft 365 group whose notebook has the section (`groupId`).
    pub fn group_id(mut self, id: impl Into<String>) -> Self {
        self.group_id = Some(id.into());
        self
    }

    /// The longest wait for the copy (default 5 minutes; then `Error::Timeout`).
    pub fn max_wait(mut self, wait: Duration) -> Self {
        self.max_wait = wait;
        self
    }

    /// Time between status polls when Graph sends no `Retry-After` (default 1 s).
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = interval;
        self
    }

    /// Starts the copy, waits for it, and answers the new page.
    pub async fn send(self) -> Result<OnenotePage> {
        non_empty(&self.page_id, "a page id")?;
        non_empty(&self.section_id, "a section id")?;
        if self.group_id.as_deref().is_some_and(|g| g.trim().is_empty()) {
            return Err(Error::invalid_input("a group id must not be empty"));
        }
        let mut body = json!({ "id": self.section_id });
        if let Some(g) = &self.group_id {
            body["groupId"] = json!(g);
        }
        let on = &self.pages.on;
        let request = Request::post(self.pages.path(self.page_id.clone()).push("copyToSection")).json(&body);
        let accepted: Response = on
            .action(Action::with_decoder(on.client.clone(), request, Ok).with_options(self.options.clone()))
            .send()
            .await?;
        let done = Monitor::from_response(on.client.clone(), &accepted)?
            .max_wait(self.max_wait)
            .poll_interval(self.poll_interval)
            .wait()
            .await?;
        if let Some(id) = done.resource_id.filter(|id| !id.trim().is_empty()) {
            return self.pages.get(id).send().await;
        }
        match done.resource_location {
            Some(url) => {
                let request = Request::to_url(msgraph_core::reexports::http::Method::GET, &url);
                on.action(Action::json(on.client.clone(), request)).send().await
            }
            None => Err(Error::Paging("the page copy completed without the new page's id or location".into())),
        }
    }
}

impl WithOptions for CopyPage {
    fn request_options(&mut self) -> &mut RequestOptions {
        &mut self.options
    }
}

msgraph_core::into_future!(CopyPage => OnenotePage);
