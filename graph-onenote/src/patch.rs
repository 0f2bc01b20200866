//! OneNote's PATCH commands, typed: a target, an action, a position and
//! content, checked against what the target allows before sending
//! ([Update OneNote page content](https://learn.microsoft.com/graph/onenote-update-page)).

use msgraph_core::{Error, Result};
use serde::Serialize;

use crate::xhtml::{check_well_formed, escape_html};

/// The element a [`PatchCommand`] changes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PatchTarget {
    /// `body`: the first `div` of the page (append and prepend only).
    Body,
    /// `title`: the page title (replace only).
    Title,
    /// `#{data-id}`: an element the input HTML gave a `data-id`.
    DataId(String),
    /// A generated id from the output HTML (`GET .../content?includeIDs=true`),
    /// e.g. `p:{33f8a242-7c33-4bb2-90c5-8425a68cc5bf}{40}`. Its prefix names
    /// the element, so the SDK checks the action before sending.
    Id(String),
}

impl PatchTarget {
    /// Reads a target as OneNote writes it: `body`, `title`, `#data-id`, or a generated id.
    pub fn parse(s: &str) -> Self {
        let s = s.trim();
        if s.eq_ignore_ascii_case("body") {
            PatchTarget::Body
        } else if s.eq_ignore_ascii_case("title") {
            PatchTarget::Title
        } else if let Some(id) = s.strip_prefix('#') {
            PatchTarget::DataId(id.to_owned())
        } else {
            PatchTarget::Id(s.to_owned())
        }
    }

    /// The value on the wire.
    pub fn wire(&self) -> String {
        match self {
            PatchTarget::Body => "body".to_owned(),
            PatchTarget::Title => "title".to_owned(),
            PatchTarget::DataId(id) => format!("#{id}"),
            PatchTarget::Id(id) => id.clone(),
        }
    }

    /// The element a generated id names (`p` for `p:{...}{40}`).
    pub fn element(&self) -> Option<String> {
        match self {
            PatchTarget::Id(id) => {
                let (tag, rest) = id.split_once(':')?;
                (!tag.is_empty() && tag.chars().all(|c| c.is_ascii_alphanumeric()) && rest.starts_with('{'))
                    .then(|| tag.to_ascii_lowercase())
            }
            _ => None,
        }
    }
}

impl From<&str> for PatchTarget {
    fn from(s: &str) -> Self {
        PatchTarget::parse(s)
    }
}

impl From<String> for PatchTarget {
    fn from(s: String) -> Self {
        PatchTarget::parse(&s)
    }
}

msgraph_core::string_enum! {
    /// What a [`PatchCommand`] does.
    pub enum PatchAction {
        /// Adds the content as the last (or, `before`, the first) child of
        /// the target: body, div, ol, ul.
        Append => "append",
        /// Adds the content as a sibling after (or `before`) the target.
        Insert => "insert",
        /// Adds the content as the first child (append + before).
        Prepend => "prepend",
        /// Replaces the target.
        Replace => "replace",
    }
}

msgraph_core::string_enum! {
    /// Where appended or inserted content goes (Graph's default: `after`).
    pub enum Position {
        /// Before: the first child (append) or the preceding sibling (insert).
        Before => "before",
        /// After: the last child (append) or the next sibling (insert).
        After => "after",
    }
}

/// One change of a page: `{"target", "action", "position", "content"}`.
///
/// ```
/// use msgraph_onenote::{PatchCommand, PatchTarget, Position};
/// let cmds = vec![
///     PatchCommand::append(PatchTarget::Body, "<p>Appended</p>"),
///     PatchCommand::insert("#para1", Position::Before, "<p>Above para1</p>"),
///     PatchCommand::replace("p:{33f8a242-7c33-4bb2-90c5-8425a68cc5bf}{40}", "<p>New text</p>"),
///     PatchCommand::set_title("New title"),
/// ];
/// assert!(cmds.iter().all(|c| c.check().is_ok()));
/// // OneNote does not append to a paragraph
/// assert!(PatchCommand::append("p:{33f8a242-7c33-4bb2-90c5-8425a68cc5bf}{40}", "<p>x</p>").check().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PatchCommand {
    /// The element to change.
    #[serde(serialize_with = "target_wire")]
    pub target: PatchTarget,
    /// What to do.
    pub action: PatchAction,
    /// Where (append and insert only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    /// The HTML to add (the title's text for a title replace).
    pub content: String,
}

fn target_wire<S: serde::Serializer>(t: &PatchTarget, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&t.wire())
}

/// What OneNote allows on an element named by a generated id
/// (replace, append, insert), per the docs' support matrix.
fn allowed(element: &str) -> Option<(bool, bool, bool)> {
    Some(match element {
        "div" | "ol" | "ul" => (true, true, true),
        "img" | "object" | "table" | "p" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => (true, false, true),
        "tr" | "td" | "meta" | "head" | "span" | "a" | "style" => (false, false, false),
        _ => return None,
    })
}

impl PatchCommand {
    /// A command with any action and content (checked when sent).
    pub fn new(target: impl Into<PatchTarget>, action: PatchAction, content: impl Into<String>) -> Self {
        PatchCommand { target: target.into(), action, position: None, content: content.into() }
    }

    /// Appends `html` as the last child of the target (body, div, ol, ul).
    pub fn append(target: impl Into<PatchTarget>, html: impl Into<String>) -> Self {
        Self::new(target, PatchAction::Append, html)
    }

    /// Adds `html` as the first child of the target (body, div, ol, ul).
    pub fn prepend(target: impl Into<PatchTarget>, html: impl Into<String>) -> Self {
        Self::new(target, PatchAction::Prepend, html)
    }

    /// Inserts `html` as a sibling before or after the target.
    pub fn insert(target: impl Into<PatchTarget>, position: Position, html: impl Into<String>) -> Self {
        Self::new(target, PatchAction::Insert, html).position(position)
    }

    /// Replaces the target with `html` (most elements need their generated id).
    pub fn replace(target: impl Into<PatchTarget>, html: impl Into<String>) -> Self {
        Self::new(target, PatchAction::Replace, html)
    }

    /// Replaces the page title with `text` (escaped here).
    pub fn set_title(text: impl AsRef<str>) -> Self {
        Self::new(PatchTarget::Title, PatchAction::Replace, escape_html(text.as_ref()))
    }

    /// Sets the position (append and insert).
    pub fn position(mut self, position: Position) -> Self {
        self.position = Some(position);
        self
    }

    /// Checks the command as OneNote would, before anything is sent: the
    /// action is one its target allows, the position fits the action, and
    /// the content is well-formed XHTML.
    pub fn check(&self) -> Result<()> {
        let target = self.target.wire();
        let refuse = |why: String| Err(Error::invalid_input(format!("PATCH {} on {target}: {why}", self.action)));
        match &self.target {
            PatchTarget::DataId(id) | PatchTarget::Id(id) if id.trim().is_empty() => {
                return refuse("the target id is empty".into());
            }
            _ => {}
        }
        let (replace, append, insert) = match &self.target {
            PatchTarget::Body => (false, true, false),
            PatchTarget::Title => (true, false, false),
            PatchTarget::DataId(_) => (true, true, true),
            PatchTarget::Id(_) => self.target.element().and_then(|e| allowed(&e)).unwrap_or((true, true, true)),
        };
        let ok = match &self.action {
            PatchAction::Replace => replace,
            PatchAction::Append | PatchAction::Prepend => append,
            PatchAction::Insert => insert,
            PatchAction::Unknown(a) => return refuse(format!("{a:?} is not a OneNote PATCH action")),
        };
        if !ok {
            let what = match (&self.target, self.target.element()) {
                (PatchTarget::Body, _) => "body".to_owned(),
                (PatchTarget::Title, _) => "the title".to_owned(),
                (_, Some(e)) => format!("a <{e}>"),
                _ => "this target".to_owned(),
            };
            let hint = match &self.action {
                PatchAction::Append | PatchAction::Prepend => "OneNote appends only to body, div, ol and ul",
                PatchAction::Insert => "OneNote inserts siblings of elements inside the page, not of body or title",
                _ => "OneNote replaces the title and elements named by generated id (img and object also by data-id)",
            };
            return refuse(format!("{what} does not allow {} ({hint})", self.action));
        }
        match (&self.action, &self.position) {
            (PatchAction::Prepend | PatchAction::Replace, Some(p)) => {
                return refuse(format!("a position ({p}) applies only to append and insert"));
            }
            (_, Some(Position::Unknown(p))) => return refuse(format!("{p:?} is not a position (before, after)")),
            _ => {}
        }
        if self.target == PatchTarget::Title {
            if self.content.contains('<') {
                return refuse("the title is text; use PatchCommand::set_title".into());
            }
            return Ok(());
        }
        if self.content.trim().is_empty() {
            return refuse("the content is empty".into());
        }
        check_well_formed(&self.content, "the PATCH content")
    }
}
