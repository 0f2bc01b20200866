//! Plain text from page HTML, with html5ever's tokenizer (a real HTML
//! parser: entities, raw text, malformed markup handled as browsers do;
//! no DOM is built, so memory stays proportional to the output).

use std::cell::RefCell;

use html5ever::TokenizerResult;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};

/// The plain text of a page's HTML (what Graph returns from
/// `GET /pages/{id}/content`, or any HTML fragment):
///
/// - the `<title>` first, then every block (`p`, `div`, `h1`–`h6`, `li`,
///   `tr`, `pre`, ...) on a line of its own; `<br>` breaks a line;
/// - list items with `• ` (unordered) or `1. ` (ordered), indented two
///   spaces per nesting level;
/// - table cells separated by tabs, one row per line;
/// - OneNote's to-do tags (`data-tag="to-do"`, `"to-do:completed"`) as
///   `[ ] ` and `[x] `;
/// - images as `[image: alt]` (when they have an alt text) and attached
///   files as `[file: name]`;
/// - entities decoded, `<script>` and `<style>` dropped, white space
///   collapsed as a browser does (kept inside `<pre>`).
///
/// ```
/// let html = r#"<html><head><title>Plan</title></head><body>
///   <p data-tag="to-do:completed">Book room</p><ul><li>A &amp; B</li></ul>
///   <table><tr><td>x</td><td>y</td></tr></table></body></html>"#;
/// assert_eq!(msgraph_onenote::page_text(html), "Plan\n[x] Book room\n• A & B\nx\ty");
/// ```
pub fn page_text(html: &str) -> String {
    let sink = TextSink { state: RefCell::new(State::default()) };
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(html));
    while let TokenizerResult::Script(()) = tokenizer.feed(&queue) {}
    tokenizer.end();
    let state = tokenizer.sink.state.into_inner();
    state.finish()
}

const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "html",
    "main",
    "nav",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "thead",
    "tfoot",
];

#[derive(Debug)]
struct List {
    ordered: bool,
    next: u64,
}

#[derive(Debug, Default)]
struct State {
    lines: Vec<String>,
    title: Option<String>,
    in_title: bool,
    /// Inside `<script>` or `<style>`.
    skipping: Option<&'static str>,
    pre: usize,
    cells: usize,
    first_cell: bool,
    lists: Vec<List>,
    /// What starts the current line (indent, bullet, to-do box).
    prefix: String,
    /// The current line's text.
    line: String,
    pending_space: bool,
}

impl State {
    fn break_line(&mut self) {
        let text = self.line.trim_end();
        if !text.trim_start().is_empty() {
            let mut l = std::mem::take(&mut self.prefix);
            l.push_str(text.trim_start_matches(' '));
            self.lines.push(l);
        }
        self.line.clear();
        self.prefix.clear();
        self.pending_space = false;
    }

    fn push_text(&mut self, text: &str) {
        if self.in_title {
            self.title.get_or_insert_with(String::new).push_str(text);
            return;
        }
        if self.skipping.is_some() {
            return;
        }
        if self.pre > 0 {
            let mut parts = text.split('\n');
            if let Some(first) = parts.next() {
                self.line.push_str(first);
            }
            for part in parts {
                let l = std::mem::take(&mut self.line);
                let mut full = std::mem::take(&mut self.prefix);
                full.push_str(&l);
                self.lines.push(full);
                self.line.push_str(part);
            }
            return;
        }
        for c in text.chars() {
            if c.is_whitespace() {
                self.pending_space = true;
            } else {
                if self.pending_space && !self.line.is_empty() && !self.line.ends_with([' ', '\t']) {
                    self.line.push(' ');
                }
                self.pending_space = false;
                self.line.push(c);
            }
        }
    }

    /// Inline text that is not from the page's character data (a marker).
    fn push_marker(&mut self, marker: &str) {
        self.pending_space = true;
        self.push_text(marker);
        self.pending_space = true;
    }

    fn block_boundary(&mut self) {
        if self.cells > 0 {
            self.pending_space = true;
        } else if !self.line.trim().is_empty() || self.prefix.is_empty() {
            // a block inside a list item keeps the bullet already written
            self.break_line();
        }
    }

    fn note_tag(&mut self, tag: &Tag) {
        let Some(value) = attr(tag, "data-tag") else { return };
        for t in value.split(',').map(str::trim) {
            if let Some(state) = t.strip_prefix("to-do") {
                let mark =
                    if state.trim_start_matches(':').eq_ignore_ascii_case("completed") { "[x] " } else { "[ ] " };
                if self.cells > 0 {
                    self.push_marker(mark.trim_end());
                } else {
                    self.prefix.push_str(mark);
                }
                return;
            }
        }
    }

    fn start(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        match name {
            "script" | "style" => {
                self.skipping = Some(if name == "script" { "script" } else { "style" });
                return TokenSinkResult::RawData(if name == "script" { RawKind::ScriptData } else { RawKind::Rawtext });
            }
            "title" => {
                self.in_title = true;
                return TokenSinkResult::RawData(RawKind::Rcdata);
            }
            "textarea" => return TokenSinkResult::RawData(RawKind::Rcdata),
            "br" => {
                if self.cells > 0 {
                    self.pending_space = true;
                } else {
                    self.break_line();
                }
            }
            "ul" | "ol" => {
                self.block_boundary();
                let start = attr(tag, "start").and_then(|s| s.trim().parse().ok()).unwrap_or(1);
                self.lists.push(List { ordered: name == "ol", next: start });
            }
            "li" if self.cells == 0 => {
                self.break_line();
                let depth = self.lists.len().saturating_sub(1);
                self.prefix.push_str(&"  ".repeat(depth));
                match self.lists.last_mut() {
                    Some(l) if l.ordered => {
                        self.prefix.push_str(&format!("{}. ", l.next));
                        l.next = l.next.saturating_add(1);
                    }
                    _ => self.prefix.push_str("• "),
                }
            }
            "tr" => {
                if self.cells == 0 {
                    self.break_line();
                }
                self.first_cell = true;
            }
            "td" | "th" => {
                if !self.first_cell {
                    self.line.push('\t');
                    self.pending_space = false;
                }
                self.first_cell = false;
                self.cells += 1;
            }
            "img" => {
                if let Some(alt) = attr(tag, "alt").filter(|a| !a.trim().is_empty()) {
                    self.push_marker(&format!("[image: {}]", alt.trim()));
                }
            }
            "object" => {
                if let Some(file) = attr(tag, "data-attachment").filter(|a| !a.trim().is_empty()) {
                    self.push_marker(&format!("[file: {}]", file.trim()));
                }
            }
            "pre" => {
                self.block_boundary();
                self.pre += 1;
            }
            n if BLOCKS.contains(&n) => self.block_boundary(),
            _ => {}
        }
        self.note_tag(tag);
        TokenSinkResult::Continue
    }

    fn end(&mut self, tag: &Tag) {
        let name: &str = &tag.name;
        match name {
            "script" | "style" => self.skipping = None,
            "title" => self.in_title = false,
            "ul" | "ol" => {
                self.block_boundary();
                self.lists.pop();
            }
            "li" | "tr" if self.cells == 0 => self.break_line(),
            "td" | "th" => {
                self.cells = self.cells.saturating_sub(1);
                let trimmed = self.line.trim_end_matches(' ').len();
                self.line.truncate(trimmed);
                self.pending_space = false;
            }
            "pre" => {
                self.pre = self.pre.saturating_sub(1);
                self.block_boundary();
            }
            n if BLOCKS.contains(&n) => self.block_boundary(),
            _ => {}
        }
    }

    fn finish(mut self) -> String {
        self.break_line();
        let mut out = String::new();
        if let Some(t) = self.title.as_deref() {
            out.push_str(&t.split_whitespace().collect::<Vec<_>>().join(" "));
        }
        for l in &self.lines {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(l.trim_end());
        }
        out
    }
}

fn attr(tag: &Tag, name: &str) -> Option<String> {
    tag.attrs.iter().find(|a| &*a.name.local == name).map(|a| a.value.to_string())
}

struct TextSink {
    state: RefCell<State>,
}

impl TokenSink for TextSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut s = self.state.borrow_mut();
        match token {
            Token::CharacterTokens(t) => s.push_text(&t),
            Token::TagToken(tag) => match tag.kind {
                TagKind::StartTag => return s.start(&tag),
                TagKind::EndTag => s.end(&tag),
            },
            // comments, doctypes, NUL characters, parse errors (recovered from)
            _ => {}
        }
        TokenSinkResult::Continue
    }
}
