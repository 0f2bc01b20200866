//! Builders that send page HTML: [`CreatePage`] (XHTML or multipart) and
//! [`UpdatePage`] (PATCH commands, JSON or multipart).

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset, SecondsFormat, TimeZone};
use msgraph_core::{Action, Error, GraphPath, Request, RequestOptions, Result, WithOptions};

use crate::markdown::LocalImage;
use crate::parts::{check_names, encode, image_type};
use crate::xhtml::{check_well_formed, escape_html};
use crate::{Onenote, OnenotePage, Part, PatchCommand};

/// Creates a page; see [`Pages::create`](crate::Pages::create).
#[must_use = "builders do nothing until sent"]
#[derive(Debug)]
pub struct CreatePage {
    on: Onenote,
    /// `POST .../pages` (without body), or the input error found so far.
    request: Result<Request>,
    title: String,
    body: String,
    created: Option<DateTime<FixedOffset>>,
    parts: Vec<Part>,
    base_dir: Option<PathBuf>,
    options: RequestOptions,
}

impl CreatePage {
    pub(crate) fn new(on: Onenote, request: Result<Request>, title: String, body: String) -> Self {
        CreatePage {
            on,
            request,
            title,
            body,
            created: None,
            parts: Vec::new(),
            base_dir: None,
            options: RequestOptions::default(),
        }
    }

    pub(crate) fn fail(mut self, e: Error) -> Self {
        if self.request.is_ok() {
            self.request = Err(e);
        }
        self
    }

    pub(crate) fn local_images(mut self, images: Vec<LocalImage>) -> Self {
        for i in images {
            let content_type = image_type(&i.path);
            self.parts.push(Part::file(i.part_name, content_type, i.path));
        }
        self
    }

    /// The page's creation time (`<meta name="created">`; Graph's default: now).
    pub fn created<Tz: TimeZone>(mut self, at: DateTime<Tz>) -> Self {
        self.created = Some(at.fixed_offset());
        self
    }

    /// A binary part (image or file) the body refers to as `name:{part}`;
    /// the request becomes multipart.
    pub fn part(mut self, part: Part) -> Self {
        self.parts.push(part);
        self
    }

    /// The directory relative file paths of parts (and of local images in
    /// Markdown) are read from (default: the working directory).
    pub fn base_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.base_dir = Some(dir.into());
        self
    }

    /// The page's input HTML: the document around the body, as sent.
    pub fn document(&self) -> String {
        let mut doc = String::from("<!DOCTYPE html>\n<html>\n<head>\n<title>");
        doc.push_str(&escape_html(self.title.trim()));
        doc.push_str("</title>\n");
        if let Some(at) = &self.created {
            doc.push_str("<meta name=\"created\" content=\"");
            doc.push_str(&at.to_rfc3339_opts(SecondsFormat::Secs, false));
            doc.push_str("\" />\n");
        }
        doc.push_str("</head>\n<body>\n");
        doc.push_str(&self.body);
        doc.push_str("\n</body>\n</html>\n");
        doc
    }

    fn check(&self) -> Result<()> {
        if self.title.trim().is_empty() {
            return Err(Error::invalid_input("a page title must not be empty"));
        }
        let head = self.body.trim_start().get(..9).unwrap_or_default().to_ascii_lowercase();
        if head.starts_with("<!doctype") || head.starts_with("<html") {
            return Err(Error::invalid_input(
                "give the page's body content, not a whole document: the SDK writes <html>, <head> and <title>",
            ));
        }
        check_well_formed(&self.body, "the page body")?;
        check_names(&self.parts, "Presentation")
    }

    /// Checks the input, reads the parts (sizes first) and creates the page.
    pub async fn send(mut self) -> Result<OnenotePage> {
        let request = std::mem::replace(&mut self.request, Err(Error::invalid_input("sent")))?;
        self.check()?;
        let document = self.document();
        let CreatePage { on, parts, base_dir, options, .. } = self;
        let request = if parts.is_empty() {
            request.bytes(document, "text/html")
        } else {
            let parts = parts.into_iter().map(|p| p.resolve(base_dir.as_deref())).collect();
            let (body, content_type) = encode(Part::bytes("Presentation", "text/html", document), parts).await?;
            request.bytes(body, content_type)
        };
        on.action(Action::json(on.client.clone(), Ok(request)).with_options(options)).send().await
    }
}

impl WithOptions for CreatePage {
    fn request_options(&mut self) -> &mut RequestOptions {
        &mut self.options
    }
}

msgraph_core::into_future!(CreatePage => OnenotePage);

/// Changes a page; see [`Pages::update`](crate::Pages::update).
#[must_use = "builders do nothing until sent"]
#[derive(Debug)]
pub struct UpdatePage {
    on: Onenote,
    /// `.../pages/{id}/content`, or the input error.
    path: Result<GraphPath>,
    commands: Vec<PatchCommand>,
    parts: Vec<Part>,
    options: RequestOptions,
}

impl UpdatePage {
    pub(crate) fn new(on: Onenote, path: Result<GraphPath>, commands: Vec<PatchCommand>) -> Self {
        UpdatePage { on, path, commands, parts: Vec::new(), options: RequestOptions::default() }
    }

    /// Another command.
    pub fn command(mut self, command: PatchCommand) -> Self {
        self.commands.push(command);
        self
    }

    /// A binary part the commands' content refers to as `name:{part}`; the
    /// request becomes multipart with a `Commands` part.
    pub fn part(mut self, part: Part) -> Self {
        self.parts.push(part);
        self
    }

    fn check(&self) -> Result<()> {
        if self.commands.is_empty() {
            return Err(Error::invalid_input("a page update needs at least one PATCH command"));
        }
        for c in &self.commands {
            c.check()?;
        }
        check_names(&self.parts, "Commands")
    }

    /// Checks the commands and sends them (Graph answers 204).
    pub async fn send(self) -> Result<()> {
        self.check()?;
        let UpdatePage { on, path, commands, parts, options } = self;
        let request = Request::patch(path?);
        let request = if parts.is_empty() {
            request.json(&commands)?
        } else {
            let json = serde_json::to_vec(&commands)
                .map_err(|e| Error::invalid_input(format!("the commands cannot be serialized: {e}")))?;
            let (body, content_type) = encode(Part::bytes("Commands", "application/json", json), parts).await?;
            request.bytes(body, content_type)
        };
        on.action(Action::empty(on.client.clone(), Ok(request)).with_options(options)).send().await
    }
}

impl WithOptions for UpdatePage {
    fn request_options(&mut self) -> &mut RequestOptions {
        &mut self.options
    }
}

msgraph_core::into_future!(UpdatePage => ());
