//! OneNote: every user's notebooks, section groups, sections and pages, the
//! page HTML (kept as a small element tree, so PATCH commands can be applied
//! to it), binary resources of multipart pages, and page-copy operations.
//!
//! Pages are stored as OneNote stores them after reading the input HTML
//! (<https://learn.microsoft.com/graph/onenote-input-output-html>): input
//! `id` attributes are dropped, `data-id` is kept, every element that PATCH
//! commands can target gets a generated id (`p:{guid}{n}`), the body's
//! content lives in absolutely positioned divs (one `_default` div unless the
//! input positioned its own), and `name:part` images and files become
//! resources served from `/onenote/resources/{id}/$value`.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use crate::errors::{ApiResult, GraphError};
use crate::state::ids::{guid, splitmix};
use crate::state::store::Store;

/// OneNote of every user, and the copy operations in flight.
#[derive(Debug, Default)]
pub(crate) struct OnenoteState {
    pub users: HashMap<String, UserNotes>,
}

/// One user's OneNote.
#[derive(Debug, Clone, Default)]
pub(crate) struct UserNotes {
    /// Seed of this user's ids (from the user id), and the counter after it.
    seed: u64,
    counter: u64,
    pub notebooks: Vec<NotebookRec>,
    pub groups: Vec<GroupRec>,
    pub sections: Vec<SectionRec>,
    pub pages: Vec<PageRec>,
    pub resources: HashMap<String, ResourceRec>,
    pub operations: Vec<OperationRec>,
}

/// A notebook.
#[derive(Debug, Clone)]
pub(crate) struct NotebookRec {
    pub id: String,
    pub name: String,
    pub is_default: bool,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
}

/// A section group: in a notebook, or in another section group.
#[derive(Debug, Clone)]
pub(crate) struct GroupRec {
    pub id: String,
    pub name: String,
    pub notebook_id: String,
    pub parent_group: Option<String>,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
}

/// A section: in a notebook, or in a section group.
#[derive(Debug, Clone)]
pub(crate) struct SectionRec {
    pub id: String,
    pub name: String,
    pub notebook_id: String,
    pub group_id: Option<String>,
    pub is_default: bool,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
}

/// A page: metadata and its stored HTML.
#[derive(Debug, Clone)]
pub(crate) struct PageRec {
    pub id: String,
    pub section_id: String,
    /// The title as text (entities decoded).
    pub title: String,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
    /// `body`, whose children are the page's top-level (absolutely positioned) divs.
    pub body: El,
    /// The GUID in the page's generated element ids.
    pub guid: String,
    /// The next generated element number.
    pub next_n: u32,
    pub level: u32,
    pub order: u32,
}

/// An image or file of a multipart page.
#[derive(Debug, Clone)]
pub(crate) struct ResourceRec {
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// A `copyToSection` in flight: it completes on the third status read.
#[derive(Debug, Clone)]
pub(crate) struct OperationRec {
    pub id: String,
    pub page_id: String,
    pub section_id: String,
    pub polls: u32,
    pub created: DateTime<Utc>,
    pub last_action: DateTime<Utc>,
    /// `Ok(new page id)` or `Err(message)` once done.
    pub outcome: Option<Result<String, String>>,
}

/// How many status reads an operation takes: `NotStarted`, `Running`, then done.
pub(crate) const OPERATION_POLLS: u32 = 3;

// ----------------------------------------------------------------------------------------------
// HTML: a small, forgiving parser and serializer. Text and attribute values
// are kept as written (escaped), so what goes in comes out unchanged.
// ----------------------------------------------------------------------------------------------

/// A node of page HTML.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    /// Text as written (entities not decoded).
    Text(String),
    El(El),
}

/// An element.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct El {
    pub tag: String,
    /// Lowercase names, values as written.
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
    /// The number of its generated id, if it has one.
    pub gid: Option<u32>,
}

const VOID: &[&str] = &["img", "br", "meta", "hr", "input", "link", "col", "area", "base", "wbr", "embed", "source"];
/// Elements whose whitespace-only text children are layout, not content.
const CONTAINERS: &[&str] =
    &["#root", "html", "head", "body", "div", "ul", "ol", "table", "tbody", "thead", "tfoot", "tr"];
/// Elements that get a generated id (the ones PATCH commands can target).
const ID_TAGS: &[&str] = &["div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "img", "object"];
/// The internal attribute that marks a stored resource (never served as such).
pub(crate) const RES_ATTR: &str = "data-emulator-resource";

impl El {
    pub fn new(tag: &str) -> Self {
        El { tag: tag.to_owned(), attrs: Vec::new(), children: Vec::new(), gid: None }
    }

    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn set_attr(&mut self, name: &str, value: String) {
        match self.attrs.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = value,
            None => self.attrs.push((name.to_owned(), value)),
        }
    }

    pub fn remove_attr(&mut self, name: &str) -> Option<String> {
        let i = self.attrs.iter().position(|(k, _)| k == name)?;
        Some(self.attrs.remove(i).1)
    }

    fn finish(&mut self) {
        if CONTAINERS.contains(&self.tag.as_str()) {
            self.children.retain(|n| !matches!(n, Node::Text(t) if t.trim().is_empty()));
        }
    }

    /// Elements below this one, depth first.
    pub fn find<'a>(&'a self, pred: &dyn Fn(&El) -> bool, path: &mut Vec<usize>) -> Option<&'a El> {
        for (i, c) in self.children.iter().enumerate() {
            if let Node::El(e) = c {
                path.push(i);
                if pred(e) {
                    return Some(e);
                }
                if let Some(found) = e.find(pred, path) {
                    return Some(found);
                }
                path.pop();
            }
        }
        None
    }

    /// The element at a path of child indexes.
    pub fn at_mut(&mut self, path: &[usize]) -> Option<&mut El> {
        let mut cur = self;
        for &i in path {
            match cur.children.get_mut(i) {
                Some(Node::El(e)) => cur = e,
                _ => return None,
            }
        }
        Some(cur)
    }

    pub fn at(&self, path: &[usize]) -> Option<&El> {
        let mut cur = self;
        for &i in path {
            match cur.children.get(i) {
                Some(Node::El(e)) => cur = e,
                _ => return None,
            }
        }
        Some(cur)
    }

    fn walk_mut(&mut self, f: &mut dyn FnMut(&mut El)) {
        f(self);
        for c in &mut self.children {
            if let Node::El(e) = c {
                e.walk_mut(f);
            }
        }
    }
}

/// Parses HTML (a document or a fragment) forgivingly: unknown end tags are
/// ignored, unclosed elements closed at the end, comments, doctypes,
/// `script` and `style` dropped.
pub(crate) fn parse_html(s: &str) -> Vec<Node> {
    let mut stack: Vec<El> = vec![El::new("#root")];
    let mut i = 0;
    let b = s.as_bytes();
    let mut text = String::new();
    fn flush(text: &mut String, stack: &mut [El]) {
        if !text.is_empty()
            && let Some(top) = stack.last_mut()
        {
            top.children.push(Node::Text(std::mem::take(text)));
        }
    }
    fn close_top(stack: &mut Vec<El>) {
        if stack.len() > 1 {
            let mut el = stack.pop().unwrap_or_else(|| El::new("#root"));
            el.finish();
            if let Some(parent) = stack.last_mut() {
                parent.children.push(Node::El(el));
            }
        }
    }
    while i < b.len() {
        if b[i] != b'<' {
            let next = s[i..].find('<').map_or(s.len(), |n| i + n);
            text.push_str(&s[i..next]);
            i = next;
            continue;
        }
        let rest = &s[i..];
        if rest.starts_with("<!--") {
            i = rest.find("-->").map_or(s.len(), |n| i + n + 3);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            i = rest.find('>').map_or(s.len(), |n| i + n + 1);
            continue;
        }
        if let Some(after) = rest.strip_prefix("</") {
            let end = after.find('>').map_or(after.len(), |n| n);
            let name = after[..end].trim().to_ascii_lowercase();
            flush(&mut text, &mut stack);
            if let Some(pos) = stack.iter().rposition(|e| e.tag == name)
                && pos > 0
            {
                while stack.len() > pos {
                    close_top(&mut stack);
                }
            }
            i += 2 + (end + 1).min(after.len());
            continue;
        }
        if !rest[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            text.push_str("&lt;");
            i += 1;
            continue;
        }
        // a start tag
        let (el, self_closing, used) = parse_start_tag(rest);
        i += used;
        flush(&mut text, &mut stack);
        if el.tag == "script" || el.tag == "style" {
            let close = format!("</{}", el.tag);
            let lower = s[i..].to_ascii_lowercase();
            i = match lower.find(&close) {
                Some(n) => s[i + n..].find('>').map_or(s.len(), |m| i + n + m + 1),
                None => s.len(),
            };
            continue;
        }
        // a block start closes an open paragraph, as HTML parsers do
        if matches!(el.tag.as_str(), "p" | "div" | "ul" | "ol" | "table" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
            && stack.last().is_some_and(|t| t.tag == "p")
        {
            close_top(&mut stack);
        }
        if self_closing || VOID.contains(&el.tag.as_str()) {
            if let Some(top) = stack.last_mut() {
                top.children.push(Node::El(el));
            }
        } else {
            stack.push(el);
        }
    }
    flush(&mut text, &mut stack);
    while stack.len() > 1 {
        close_top(&mut stack);
    }
    let mut root = stack.pop().unwrap_or_else(|| El::new("#root"));
    root.finish();
    root.children
}

/// Reads `<tag attr="v" ...>`; returns the element, whether it ended with `/>`, and the bytes used.
fn parse_start_tag(s: &str) -> (El, bool, usize) {
    let b = s.as_bytes();
    let mut i = 1;
    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
        i += 1;
    }
    let mut el = El::new(&s[1..i].to_ascii_lowercase());
    let mut self_closing = false;
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        match b[i] {
            b'>' => {
                i += 1;
                break;
            }
            b'/' => {
                self_closing = true;
                i += 1;
                continue;
            }
            _ => {}
        }
        self_closing = false;
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = s[start..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i] as char;
                let end = s[i + 1..].find(q).map_or(s.len(), |n| i + 1 + n);
                value = s[i + 1..end].to_owned();
                if q == '\'' {
                    value = value.replace('"', "&quot;");
                }
                i = (end + 1).min(s.len());
            } else {
                let start = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                value = s[start..i].trim_end_matches('/').to_owned();
            }
        }
        if !name.is_empty() && !el.attrs.iter().any(|(k, _)| *k == name) {
            el.attrs.push((name, value));
        }
    }
    (el, self_closing, i.min(s.len()))
}

/// Decodes the entities of text as written.
pub(crate) fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest[1..].find(';').map(|n| n + 1).filter(|&n| n <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..semi];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Escapes text for HTML.
pub(crate) fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The plain text of nodes (for previews): blocks separated by spaces, white space collapsed.
pub(crate) fn plain_text(nodes: &[Node]) -> String {
    fn walk(nodes: &[Node], out: &mut String) {
        for n in nodes {
            match n {
                Node::Text(t) => out.push_str(&decode_entities(t)),
                Node::El(e) => {
                    if e.tag == "img" {
                        continue;
                    }
                    walk(&e.children, out);
                    out.push(' ');
                }
            }
        }
    }
    let mut out = String::new();
    walk(nodes, &mut out);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ----------------------------------------------------------------------------------------------
// Pages
// ----------------------------------------------------------------------------------------------

/// A binary part of a multipart request.
#[derive(Debug, Clone)]
pub(crate) struct BinaryPart {
    pub name: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

/// OneNote's error: 400 (or the status given) with a numeric code.
pub(crate) fn onenote_error(status: u16, code: &str, message: impl Into<String>) -> GraphError {
    let status = axum::http::StatusCode::from_u16(status).unwrap_or(axum::http::StatusCode::BAD_REQUEST);
    GraphError::new(status, code, message)
}

/// 404 20102: a notebook, section group, section, page, resource or operation that does not exist.
pub(crate) fn not_found() -> GraphError {
    onenote_error(404, "20102", "The specified resource ID does not exist.")
}

/// The default div OneNote puts non-positioned content in.
fn default_div() -> El {
    let mut d = El::new("div");
    d.attrs.push(("data-id".into(), "_default".into()));
    d.attrs.push(("style".into(), "position:absolute;left:48px;top:120px;width:624px".into()));
    d
}

/// What a page's input HTML says: title, created time, and the body content.
pub(crate) struct InputPage {
    pub title: String,
    pub created: Option<DateTime<Utc>>,
    pub body: El,
}

/// Reads a page's input HTML (a document, or a bare fragment as body).
pub(crate) fn read_input(html: &str) -> InputPage {
    let nodes = parse_html(html);
    let mut root = El::new("#root");
    root.children = nodes;
    let title = root
        .find(&|e| e.tag == "title", &mut Vec::new())
        .map(|t| decode_entities(&plain_text_raw(&t.children)).trim().to_owned())
        .unwrap_or_default();
    let created = root
        .find(
            &|e| e.tag == "meta" && e.attr("name").is_some_and(|n| n.eq_ignore_ascii_case("created")),
            &mut Vec::new(),
        )
        .and_then(|m| m.attr("content"))
        .and_then(crate::time::parse_instant);
    let body_el = root.find(&|e| e.tag == "body", &mut Vec::new()).cloned();
    let (absolute, content) = match body_el {
        Some(b) => (b.attr("data-absolute-enabled").is_some_and(|v| v.eq_ignore_ascii_case("true")), b.children),
        None => {
            // a fragment: everything but html/head wrappers
            let mut out = Vec::new();
            for n in root.children {
                match n {
                    Node::El(e) if e.tag == "html" => {
                        out.extend(e.children.into_iter().filter(|c| !matches!(c, Node::El(h) if h.tag == "head")))
                    }
                    Node::El(e) if matches!(e.tag.as_str(), "head" | "title" | "meta") => {}
                    other => out.push(other),
                }
            }
            (false, out)
        }
    };
    let mut body = El::new("body");
    let mut default = default_div();
    for n in content {
        match n {
            Node::El(e)
                if absolute
                    && e.tag == "div"
                    && e.attr("style").is_some_and(|s| s.replace(' ', "").contains("position:absolute")) =>
            {
                body.children.push(Node::El(e))
            }
            other => default.children.push(other),
        }
    }
    if !default.children.is_empty() || body.children.is_empty() {
        body.children.insert(0, Node::El(default));
    }
    InputPage { title, created, body }
}

fn plain_text_raw(nodes: &[Node]) -> String {
    let mut out = String::new();
    for n in nodes {
        match n {
            Node::Text(t) => out.push_str(t),
            Node::El(e) => out.push_str(&plain_text_raw(&e.children)),
        }
    }
    out
}

/// Whether HTML refers to binary parts (`name:...` in an image `src` or an object `data`).
pub(crate) fn refers_to_parts(nodes: &[Node]) -> Option<String> {
    let mut root = El::new("#root");
    root.children = nodes.to_vec();
    root.find(&|e| part_ref(e).is_some(), &mut Vec::new()).and_then(|e| part_ref(e).map(str::to_owned))
}

fn part_ref(e: &El) -> Option<&str> {
    let v = match e.tag.as_str() {
        "img" => e.attr("src"),
        "object" => e.attr("data"),
        _ => None,
    }?;
    v.strip_prefix("name:")
}

impl UserNotes {
    fn new(user_id: &str) -> Self {
        let seed = user_id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3));
        UserNotes { seed, ..UserNotes::default() }
    }

    pub fn next_guid(&mut self) -> String {
        self.counter += 1;
        guid(splitmix(self.seed ^ self.counter))
    }

    fn hex32(&mut self) -> String {
        self.next_guid().replace('-', "")
    }

    /// A notebook, section group or section id: `1-{guid}`.
    pub fn new_entity_id(&mut self) -> String {
        format!("1-{}", self.next_guid())
    }

    /// A page id: `1-{32 hex}!{n}-{section guid}`.
    pub fn new_page_id(&mut self, section_id: &str) -> String {
        let n = 1 + self.counter % 97;
        format!("1-{}!{n}-{}", self.hex32(), section_id.trim_start_matches("1-"))
    }

    pub fn notebook(&self, id: &str) -> ApiResult<&NotebookRec> {
        self.notebooks.iter().find(|n| n.id == id).ok_or_else(not_found)
    }

    pub fn group(&self, id: &str) -> ApiResult<&GroupRec> {
        self.groups.iter().find(|n| n.id == id).ok_or_else(not_found)
    }

    pub fn section(&self, id: &str) -> ApiResult<&SectionRec> {
        self.sections.iter().find(|n| n.id == id).ok_or_else(not_found)
    }

    pub fn page_index(&self, id: &str) -> ApiResult<usize> {
        self.pages.iter().position(|p| p.id == id).ok_or_else(not_found)
    }

    /// Turns input nodes into stored ones: input ids dropped, `name:` parts
    /// stored as resources, generated ids given.
    pub fn ingest(&mut self, el: &mut El, parts: &[BinaryPart], next_n: &mut u32) -> ApiResult<()> {
        let mut missing = None;
        let mut new_resources = Vec::new();
        el.walk_mut(&mut |e| {
            e.remove_attr("id");
            if let Some(name) = part_ref(e).map(str::to_owned) {
                match parts.iter().find(|p| p.name == name) {
                    Some(p) => {
                        new_resources.push(p.clone());
                        let attr = if e.tag == "img" { "src" } else { "data" };
                        e.remove_attr(attr);
                        e.set_attr(RES_ATTR, format!("#{}", new_resources.len() - 1));
                        if e.tag == "object" && e.attr("type").is_none() {
                            e.set_attr("type", escape(&p.content_type));
                        }
                    }
                    None => missing = Some(name),
                }
            }
            if e.gid.is_none() && ID_TAGS.contains(&e.tag.as_str()) {
                e.gid = Some(*next_n);
                *next_n += 1;
            }
        });
        if let Some(name) = missing {
            return Err(onenote_error(
                400,
                "20011",
                format!("The HTML refers to a part named '{name}' that is not in the multipart request."),
            ));
        }
        let mut ids = Vec::new();
        for p in new_resources {
            let rid = format!("0-{}!1-{}", self.hex32(), self.hex32().get(..8).unwrap_or_default());
            self.resources.insert(rid.clone(), ResourceRec { content_type: p.content_type, bytes: p.data });
            ids.push(rid);
        }
        el.walk_mut(&mut |e| {
            if let Some(v) = e.attr(RES_ATTR).and_then(|v| v.strip_prefix('#')).and_then(|n| n.parse::<usize>().ok())
                && let Some(rid) = ids.get(v)
            {
                e.set_attr(RES_ATTR, rid.clone());
            }
        });
        Ok(())
    }

    /// Stores a new page from its input HTML.
    pub fn add_page(
        &mut self,
        section_id: &str,
        html: &str,
        parts: &[BinaryPart],
        now: DateTime<Utc>,
    ) -> ApiResult<String> {
        let input = read_input(html);
        let id = self.new_page_id(section_id);
        let page_guid = self.next_guid();
        let mut body = input.body;
        let mut n = 1;
        self.ingest(&mut body, parts, &mut n)?;
        let order = self.pages.iter().filter(|p| p.section_id == section_id).count() as u32;
        self.pages.push(PageRec {
            id: id.clone(),
            section_id: section_id.to_owned(),
            title: input.title,
            created: input.created.unwrap_or(now),
            modified: now,
            body,
            guid: page_guid,
            next_n: n,
            level: 0,
            order,
        });
        if let Some(s) = self.sections.iter_mut().find(|s| s.id == section_id) {
            s.modified = now;
        }
        Ok(id)
    }

    /// Copies a page to a section (a new id, new generated ids).
    pub fn copy_page(&mut self, page_id: &str, section_id: &str, now: DateTime<Utc>) -> Result<String, String> {
        let src = self
            .pages
            .iter()
            .find(|p| p.id == page_id)
            .cloned()
            .ok_or_else(|| "The page to copy no longer exists.".to_owned())?;
        if !self.sections.iter().any(|s| s.id == section_id) {
            return Err("The destination section no longer exists.".into());
        }
        let id = self.new_page_id(section_id);
        let mut body = src.body.clone();
        let mut n = 1;
        body.walk_mut(&mut |e| {
            if e.gid.is_some() {
                e.gid = Some(n);
                n += 1;
            }
        });
        let order = self.pages.iter().filter(|p| p.section_id == section_id).count() as u32;
        let page_guid = self.next_guid();
        self.pages.push(PageRec {
            id: id.clone(),
            section_id: section_id.to_owned(),
            title: src.title,
            created: src.created,
            modified: now,
            body,
            guid: page_guid,
            next_n: n,
            level: 0,
            order,
        });
        Ok(id)
    }
}

impl PageRec {
    /// A generated id: `p:{guid}{40}`.
    pub fn generated_id(&self, tag: &str, n: u32) -> String {
        format!("{tag}:{{{}}}{{{n}}}", self.guid)
    }

    /// The page's output HTML. `resource_base` is the URL resources are
    /// served under (`.../onenote/resources/`).
    pub fn output_html(
        &self,
        include_ids: bool,
        resource_base: &str,
        resources: &HashMap<String, ResourceRec>,
    ) -> String {
        let mut out = String::from("<html lang=\"en-US\">\n\t<head>\n\t\t<title>");
        out.push_str(&escape(&self.title));
        out.push_str("</title>\n\t\t<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\" />\n");
        out.push_str(&format!(
            "\t\t<meta name=\"created\" content=\"{}\" />\n\t</head>\n",
            crate::time::format_local(self.created.naive_utc())
        ));
        out.push_str("\t<body data-absolute-enabled=\"true\" style=\"font-family:Calibri;font-size:11pt\">\n");
        let ctx = OutCtx { page: self, include_ids, resource_base, resources };
        for c in &self.body.children {
            ctx.write(c, 2, &mut out);
        }
        out.push_str("\t</body>\n</html>\n");
        out
    }

    /// The first words of the page (its preview text).
    pub fn preview_text(&self) -> String {
        let text = plain_text(&self.body.children);
        text.chars().take(300).collect()
    }
}

struct OutCtx<'a> {
    page: &'a PageRec,
    include_ids: bool,
    resource_base: &'a str,
    resources: &'a HashMap<String, ResourceRec>,
}

impl OutCtx<'_> {
    fn write(&self, node: &Node, depth: usize, out: &mut String) {
        match node {
            Node::Text(t) => out.push_str(t),
            Node::El(e) => self.write_el(e, depth, out),
        }
    }

    fn write_el(&self, e: &El, depth: usize, out: &mut String) {
        let block = CONTAINERS.contains(&e.tag.as_str())
            || matches!(
                e.tag.as_str(),
                "p" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "img" | "object" | "pre" | "td"
            );
        if block {
            out.push_str(&"\t".repeat(depth));
        }
        out.push('<');
        out.push_str(&e.tag);
        if self.include_ids
            && let Some(n) = e.gid
        {
            out.push_str(&format!(" id=\"{}\"", self.page.generated_id(&e.tag, n)));
        }
        for (k, v) in &e.attrs {
            if k == RES_ATTR {
                let url = format!("{}{v}/$value", self.resource_base);
                let ct = self.resources.get(v).map_or("application/octet-stream", |r| r.content_type.as_str());
                let ct = escape(ct);
                if e.tag == "img" {
                    out.push_str(&format!(
                        " src=\"{url}\" data-src-type=\"{ct}\" data-fullres-src=\"{url}\" data-fullres-src-type=\"{ct}\""
                    ));
                } else {
                    out.push_str(&format!(" data=\"{url}\""));
                }
                continue;
            }
            out.push(' ');
            out.push_str(k);
            out.push_str("=\"");
            out.push_str(v);
            out.push('"');
        }
        if VOID.contains(&e.tag.as_str()) || (e.children.is_empty() && e.tag == "object") {
            out.push_str(" />");
        } else {
            out.push('>');
            let nested = CONTAINERS.contains(&e.tag.as_str());
            if nested && !e.children.is_empty() {
                out.push('\n');
            }
            for c in &e.children {
                self.write(c, depth + 1, out);
            }
            if nested && !e.children.is_empty() {
                out.push_str(&"\t".repeat(depth));
            }
            out.push_str("</");
            out.push_str(&e.tag);
            out.push('>');
        }
        if block {
            out.push('\n');
        }
    }
}

// ----------------------------------------------------------------------------------------------
// PATCH commands
// ----------------------------------------------------------------------------------------------

/// One PATCH command, as sent.
#[derive(Debug, Clone)]
pub(crate) struct Command {
    pub target: String,
    pub action: String,
    pub position: Option<String>,
    pub content: String,
}

fn unsupported(target: &str, action: &str, code: &str) -> GraphError {
    onenote_error(400, code, format!("The target '{target}' does not support the action '{action}'."))
}

/// Whether a target looks like a generated id (`p:{...}{n}`).
fn is_generated_id(t: &str) -> bool {
    t.split_once(':').is_some_and(|(tag, rest)| {
        !tag.is_empty()
            && tag.chars().all(|c| c.is_ascii_alphanumeric())
            && rest.starts_with('{')
            && rest.ends_with('}')
    })
}

impl UserNotes {
    /// Applies PATCH commands to a page, all or nothing.
    pub fn patch_page(
        &mut self,
        index: usize,
        commands: &[Command],
        parts: &[BinaryPart],
        now: DateTime<Utc>,
    ) -> ApiResult<()> {
        if commands.is_empty() {
            return Err(onenote_error(400, "20125", "The PATCH request contains no actions."));
        }
        let mut page = self.pages[index].clone();
        for cmd in commands {
            self.apply(&mut page, cmd, parts)?;
        }
        page.modified = now;
        self.pages[index] = page;
        Ok(())
    }

    fn apply(&mut self, page: &mut PageRec, cmd: &Command, parts: &[BinaryPart]) -> ApiResult<()> {
        let action = cmd.action.to_ascii_lowercase();
        if !matches!(action.as_str(), "append" | "insert" | "prepend" | "replace") {
            return Err(onenote_error(400, "20122", format!("The PATCH action '{}' is not supported.", cmd.action)));
        }
        let before = match cmd.position.as_deref().map(str::to_ascii_lowercase).as_deref() {
            None | Some("after") => false,
            Some("before") => true,
            Some(other) => {
                return Err(onenote_error(
                    400,
                    "20121",
                    format!("The PATCH position '{other}' is not valid: use before or after."),
                ));
            }
        };
        let target = cmd.target.trim();
        if target.eq_ignore_ascii_case("title") {
            if action != "replace" {
                return Err(unsupported(target, &action, "20141"));
            }
            page.title = decode_entities(&plain_text_raw(&parse_html(&cmd.content))).trim().to_owned();
            return Ok(());
        }
        // locate the target
        let (path, by_data_id) = if target.eq_ignore_ascii_case("body") {
            let first = page.body.children.iter().position(|n| matches!(n, Node::El(e) if e.tag == "div"));
            match first {
                Some(i) => (vec![i], false),
                None => return Err(onenote_error(400, "20120", "The page has no div for the body target.")),
            }
        } else if let Some(data_id) = target.strip_prefix('#') {
            let mut path = Vec::new();
            if page.body.find(&|e| e.attr("data-id") == Some(data_id), &mut path).is_none() {
                return Err(onenote_error(400, "20120", format!("The PATCH target '{target}' cannot be located.")));
            }
            (path, true)
        } else if is_generated_id(target) {
            let mut path = Vec::new();
            let found = page.body.find(&|e| e.gid.is_some_and(|n| page.generated_id(&e.tag, n) == target), &mut path);
            if found.is_none() {
                return Err(onenote_error(400, "20120", format!("The PATCH target '{target}' cannot be located.")));
            }
            (path, false)
        } else {
            return Err(onenote_error(
                400,
                "20134",
                format!(
                    "'{target}' is not a valid PATCH target: prefix a data-id with '#', or use a generated id, 'body' or 'title'."
                ),
            ));
        };
        let el = page.body.at(&path).cloned().unwrap_or_else(|| El::new("div"));
        let is_body = target.eq_ignore_ascii_case("body");
        let top_level = path.len() == 1;
        // OneNote's support matrix: (replace, append, insert)
        let (replace, append, insert) = match el.tag.as_str() {
            _ if is_body => (false, true, false),
            "div" if top_level => (false, true, false),
            "div" | "ol" | "ul" => (true, true, true),
            "img" | "object" | "table" | "p" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => (true, false, true),
            _ => (false, false, false),
        };
        let _ = by_data_id; // replace by data-id is accepted for every replaceable element (see the docs' to-do example)
        let ok = match action.as_str() {
            "replace" => replace,
            "append" | "prepend" => append,
            _ => insert,
        };
        if !ok {
            let code = if matches!(action.as_str(), "append" | "prepend") { "20138" } else { "20141" };
            return Err(unsupported(target, &action, code));
        }
        let mut holder = El::new("#fragment");
        holder.children = parse_html(&cmd.content);
        self.ingest(&mut holder, parts, &mut page.next_n)?;
        let new_nodes = holder.children;
        if new_nodes.is_empty() {
            return Err(onenote_error(400, "20121", "The PATCH content is empty."));
        }
        match action.as_str() {
            "append" | "prepend" => {
                let first = action == "prepend" || before;
                let Some(t) = page.body.at_mut(&path) else { return Err(not_found()) };
                if first {
                    t.children.splice(0..0, new_nodes);
                } else {
                    t.children.extend(new_nodes);
                }
            }
            _ => {
                let (idx, parent_path) = path.split_last().map(|(i, p)| (*i, p.to_vec())).unwrap_or((0, Vec::new()));
                let Some(parent) = page.body.at_mut(&parent_path) else { return Err(not_found()) };
                if action == "replace" {
                    parent.children.splice(idx..idx + 1, new_nodes);
                } else {
                    let at = if before { idx } else { idx + 1 };
                    parent.children.splice(at..at, new_nodes);
                }
            }
        }
        Ok(())
    }
}

// ----------------------------------------------------------------------------------------------
// Provisioning and demo content
// ----------------------------------------------------------------------------------------------

impl Store {
    /// A user's OneNote, provisioned on first use (with the demo notebooks
    /// when the emulator was started with demo data).
    pub(crate) fn onenote_mut(&mut self, user_id: &str) -> &mut UserNotes {
        if !self.onenote.users.contains_key(user_id) {
            let first_name = self
                .user(user_id)
                .map(|u| u.display_name.split_whitespace().next().unwrap_or("My").to_owned())
                .unwrap_or_else(|| "My".to_owned());
            let mut notes = UserNotes::new(user_id);
            if self.drive.demo_content {
                seed(&mut notes, &first_name, self.anchor);
            } else {
                let now = self.anchor;
                let nb = notes.new_entity_id();
                notes.notebooks.push(NotebookRec {
                    id: nb.clone(),
                    name: format!("{first_name}'s Notebook"),
                    is_default: true,
                    created: now,
                    modified: now,
                });
                let s = notes.new_entity_id();
                notes.sections.push(SectionRec {
                    id: s,
                    name: "Quick Notes".into(),
                    notebook_id: nb,
                    group_id: None,
                    is_default: true,
                    created: now,
                    modified: now,
                });
            }
            self.onenote.users.insert(user_id.to_owned(), notes);
        }
        self.onenote.users.get_mut(user_id).unwrap_or_else(|| unreachable!("inserted above"))
    }
}

/// The demo pages: (section, title, days before the anchor, input body).
const DEMO_PAGES: &[(&str, &str, i64, &str)] = &[
    (
        "Quick Notes",
        "Ideas for the offsite",
        9,
        "<p>Brainstorm for the June team offsite:</p><ul><li>Half day of customer visits</li><li>Hackathon on the Mark 8 companion app</li><li>Dinner by the lake</li></ul><p data-tag=\"to-do\">Ask Megan for the budget</p>",
    ),
    (
        "Quick Notes",
        "Phone numbers",
        30,
        "<table border=\"1\"><tr><td>Front desk</td><td>+1 425 555 0100</td></tr><tr><td>IT help desk</td><td>+1 425 555 0199</td></tr><tr><td>Building security</td><td>+1 425 555 0111</td></tr></table>",
    ),
    (
        "Meetings",
        "Weekly team sync",
        1,
        "<h1>Weekly team sync</h1><p>Attendees: Adele Vance, Alex Wilber, Megan Bowen</p><h2>Agenda</h2><ol><li>Mark 8 launch status</li><li>Hiring</li><li>Open issues</li></ol><h2>Notes</h2><p data-id=\"notes\">Launch is on track; the retail demo units ship next week.</p><h2>Action items</h2><p data-tag=\"to-do\" data-id=\"task1\">Alex: send the launch checklist</p><p data-tag=\"to-do:completed\">Megan: book the demo room</p>",
    ),
    (
        "Meetings",
        "Budget review with Finance",
        4,
        "<p>Q2 budget review with the Finance team.</p><table border=\"1\"><tr><td><b>Item</b></td><td><b>Planned</b></td><td><b>Actual</b></td></tr><tr><td>Marketing</td><td>$120,000</td><td>$112,500</td></tr><tr><td>Travel</td><td>$30,000</td><td>$34,200</td></tr></table><p data-tag=\"to-do\">Explain the travel overrun by Friday</p>",
    ),
    (
        "Meetings",
        "1:1 with Megan",
        6,
        "<p>Career goals: lead the companion-app workstream.</p><p>Feedback: the launch plan review went well; keep the weekly status short.</p>",
    ),
    (
        "Projects",
        "Mark 8 launch plan",
        2,
        "<h1>Mark 8 launch plan</h1><p data-id=\"overview\">Launch the Mark 8 drone in North America and Europe.</p><h2>Timeline</h2><table border=\"1\"><tr><td>Beta</td><td>April</td></tr><tr><td>Retail</td><td>June</td></tr></table><h2>Open items</h2><ul data-id=\"open-items\"><li>Packaging sign-off</li><li>Regulatory approval in the EU</li></ul>",
    ),
    (
        "Projects",
        "Contoso website refresh",
        12,
        "<h2>Objectives</h2><ul><li>Faster product pages</li><li>Accessible navigation</li></ul><p>Resources: two designers, one developer from the web team.</p>",
    ),
    (
        "2023 Retrospectives",
        "Q4 retrospective",
        75,
        "<h2>What went well</h2><ul><li>Holiday campaign shipped on time</li></ul><h2>What to improve</h2><ul><li>Fewer late scope changes</li></ul>",
    ),
    (
        "Journal",
        "Monday reflections",
        3,
        "<p>Goals for the week: finish the launch checklist, review two design specs.</p><p>Grateful for a quiet morning to write.</p>",
    ),
    (
        "Journal",
        "Reading list",
        20,
        "<p data-tag=\"to-do:completed\">The Mythical Man-Month</p><p data-tag=\"to-do\">Thinking, Fast and Slow</p><p data-tag=\"to-do\">The Design of Everyday Things</p>",
    ),
    (
        "Recipes",
        "Pancakes",
        40,
        "<h2>Ingredients</h2><ul><li>2 cups flour</li><li>2 eggs</li><li>1 &amp; 1/2 cups milk</li></ul><h2>Steps</h2><ol><li>Whisk everything together</li><li>Cook on a hot pan, 2 minutes a side</li></ol>",
    ),
    (
        "Recipes",
        "Tomato soup",
        55,
        "<p>Roast 1 kg of tomatoes with garlic at 200 &#176;C for 40 minutes, blend with stock, season.</p>",
    ),
];

fn seed(notes: &mut UserNotes, first_name: &str, anchor: DateTime<Utc>) {
    let at = |days: i64, hours: i64| anchor - Duration::days(days) + Duration::hours(hours);
    let main = notes.new_entity_id();
    let personal = notes.new_entity_id();
    notes.notebooks.push(NotebookRec {
        id: main.clone(),
        name: format!("{first_name}'s Notebook"),
        is_default: true,
        created: at(400, 9),
        modified: at(1, 17),
    });
    notes.notebooks.push(NotebookRec {
        id: personal.clone(),
        name: "Personal".into(),
        is_default: false,
        created: at(300, 20),
        modified: at(3, 21),
    });
    let archive = notes.new_entity_id();
    notes.groups.push(GroupRec {
        id: archive.clone(),
        name: "Archive".into(),
        notebook_id: main.clone(),
        parent_group: None,
        created: at(120, 10),
        modified: at(75, 10),
    });
    for (name, nb, group, default) in [
        ("Quick Notes", &main, None, true),
        ("Meetings", &main, None, false),
        ("Projects", &main, None, false),
        ("2023 Retrospectives", &main, Some(archive.clone()), false),
        ("Journal", &personal, None, false),
        ("Recipes", &personal, None, false),
    ] {
        let id = notes.new_entity_id();
        notes.sections.push(SectionRec {
            id,
            name: name.into(),
            notebook_id: nb.clone(),
            group_id: group,
            is_default: default,
            created: at(200, 9),
            modified: at(1, 17),
        });
    }
    for (i, (section, title, days, body)) in DEMO_PAGES.iter().enumerate() {
        let Some(sid) = notes.sections.iter().find(|s| s.name == *section).map(|s| s.id.clone()) else { continue };
        let created = at(*days, 9 + (i as i64 % 8));
        let html = format!(
            "<html><head><title>{}</title><meta name=\"created\" content=\"{}\" /></head><body>{body}</body></html>",
            escape(title),
            created.to_rfc3339()
        );
        if notes.add_page(&sid, &html, &[], created + Duration::minutes(45)).is_err() {
            continue;
        }
    }
}
