//! Markdown (CommonMark, tables, task lists) rendered to the XHTML subset
//! OneNote accepts, with pulldown-cmark's parser and this crate's renderer.

use std::path::PathBuf;

use pulldown_cmark::{Alignment, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::xhtml::push_escaped;

/// A local image of a Markdown document: it is sent as a part of the
/// multipart page creation, and the page refers to it as `name:{part_name}`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LocalImage {
    /// The part's name (`image1`, `image2`, ...).
    pub part_name: String,
    /// The path as written in the Markdown (relative paths are resolved
    /// against the page builder's base directory).
    pub path: PathBuf,
}

/// Markdown rendered for OneNote: the page body and the local images it uses.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct RenderedMarkdown {
    /// The body, a well-formed XHTML fragment.
    pub html: String,
    /// Images given as local files, in order of first use.
    pub images: Vec<LocalImage>,
}

/// Renders Markdown to the XHTML OneNote accepts: `h1`–`h6`, `p`, `b`, `i`,
/// `a`, `ul`/`ol`/`li`, `table`/`tr`/`td`, `pre`, `img`, `br` and `span`
/// with an inline style.
///
/// - CommonMark, plus GitHub's tables and task lists. OneNote shows a
///   to-do box only where no list overrides it, so a list of tasks becomes
///   paragraphs (`- [ ] item` is `<p data-tag="to-do">item</p>`, `- [x]`
///   `"to-do:completed"`), and a list that mixes tasks and plain items
///   becomes `<li>` elements outside any `ul`/`ol` (OneNote's way to give
///   items their own tags).
/// - Inline code is a monospace span; code blocks are `pre`.
/// - Everything is escaped, raw HTML in the Markdown included (it shows as
///   text); links other than `http`, `https`, `mailto` and `onenote` keep
///   their text and lose the link.
/// - Images whose address is not a URL (`![chart](out/chart.png)`) are
///   local files: `src="name:image1"`, listed in [`RenderedMarkdown::images`].
///
/// ```
/// let page = msgraph_onenote::render_markdown("# Plan\n\n- [ ] *Book* room\n- [x] Agenda\n\n![chart](chart.png)");
/// assert_eq!(
///     page.html,
///     "<h1>Plan</h1><p data-tag=\"to-do\"><i>Book</i> room</p><p data-tag=\"to-do:completed\">Agenda</p>\
///      <p><img src=\"name:image1\" alt=\"chart\" /></p>"
/// );
/// assert_eq!(page.images[0].path.to_str(), Some("chart.png"));
/// ```
pub fn render_markdown(markdown: &str) -> RenderedMarkdown {
    // One pass over the parser's events. A list's mode depends on all of its
    // items, so the events of an outermost list (nested lists included) wait
    // in `list` until it ends; everything else is rendered as it comes.
    // (Collecting the whole document's events first cost about 80 bytes an
    // event, 16 MB for 1 MB of Markdown, and its page faults.)
    let mut r = Renderer { out: String::with_capacity(markdown.len() + markdown.len() / 2), ..Renderer::default() };
    let mut list: Vec<Event<'_>> = Vec::new();
    let mut depth = 0usize;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS) {
        match event {
            Event::Start(Tag::List(_)) => depth += 1,
            Event::End(TagEnd::List(_)) => depth = depth.saturating_sub(1),
            _ if list.is_empty() => {
                r.event(event);
                continue;
            }
            _ => {}
        }
        list.push(event);
        if depth == 0 {
            r.render_list(&mut list);
        }
    }
    if !list.is_empty() {
        r.render_list(&mut list);
    }
    r.flush_li();
    RenderedMarkdown { html: r.out, images: r.images }
}

/// How a list is written, from its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListMode {
    /// No task items: `ul` / `ol`.
    Plain,
    /// Only task items: one `p` with a to-do tag each (no list).
    Tasks,
    /// Some task items: `li` elements outside any `ul` / `ol`, so each keeps its tag.
    Mixed,
}

/// The mode of each list in `events`, in the order the lists start.
fn list_modes(events: &[Event<'_>], modes: &mut Vec<ListMode>) {
    modes.clear();
    // (index in `modes`, items, task items)
    let mut open: Vec<(usize, usize, usize)> = Vec::new();
    for e in events {
        match e {
            Event::Start(Tag::List(_)) => {
                open.push((modes.len(), 0, 0));
                modes.push(ListMode::Plain);
            }
            Event::Start(Tag::Item) => {
                if let Some(l) = open.last_mut() {
                    l.1 += 1;
                }
            }
            // a marker comes before any nested list of its item
            Event::TaskListMarker(_) => {
                if let Some(l) = open.last_mut() {
                    l.2 += 1;
                }
            }
            Event::End(TagEnd::List(_)) => {
                if let Some((at, items, tasks)) = open.pop() {
                    modes[at] = match tasks {
                        0 => ListMode::Plain,
                        t if t == items => ListMode::Tasks,
                        _ => ListMode::Mixed,
                    };
                }
            }
            _ => {}
        }
    }
}

#[derive(Debug)]
enum Container {
    /// A list item written as `tag` (`li` or `p`); `open` while its element is.
    Item {
        paragraphs: usize,
        tag: &'static str,
        open: bool,
    },
    List(ListMode),
    Quote,
    Other,
}

#[derive(Debug, Default)]
struct Renderer {
    out: String,
    images: Vec<LocalImage>,
    containers: Vec<Container>,
    /// The modes of the lists being rendered (an outermost list and the
    /// lists nested in it), in the order they start.
    list_modes: Vec<ListMode>,
    /// How many of `list_modes` have started.
    lists_started: usize,
    /// `<li` or `<p` written; `>` (and a to-do tag) not yet.
    pending_li: bool,
    /// Collecting an image's alt text: (src, alt, depth of nested images).
    image: Option<(String, String, usize)>,
    /// Collecting a code block's or HTML block's text.
    block_text: Option<String>,
    /// For each open link, whether an `<a>` was written.
    links: Vec<bool>,
    /// The alignments of the current table, and the current column.
    aligns: Vec<Alignment>,
    column: usize,
    in_head: bool,
}

impl Renderer {
    /// Renders the events of an outermost list, and empties `events`.
    fn render_list(&mut self, events: &mut Vec<Event<'_>>) {
        list_modes(events, &mut self.list_modes);
        self.lists_started = 0;
        for event in events.drain(..) {
            self.event(event);
        }
    }

    fn flush_li(&mut self) {
        if self.pending_li {
            self.out.push('>');
            self.pending_li = false;
        }
    }

    fn write(&mut self, s: &str) {
        self.flush_li();
        self.out.push_str(s);
    }

    fn text(&mut self, s: &str) {
        if let Some((_, alt, _)) = &mut self.image {
            alt.push_str(s);
        } else if let Some(buf) = &mut self.block_text {
            buf.push_str(s);
        } else {
            self.flush_li();
            push_escaped(&mut self.out, s);
        }
    }

    fn quote_depth(&self) -> usize {
        self.containers.iter().filter(|c| matches!(c, Container::Quote)).count()
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.text(&t),
            Event::Code(c) => {
                if self.image.is_some() {
                    self.text(&c);
                } else {
                    self.write("<span style=\"font-family:Consolas\">");
                    push_escaped(&mut self.out, &c);
                    self.out.push_str("</span>");
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => self.text(&h),
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => {
                if self.image.is_some() || self.block_text.is_some() {
                    self.text(" ");
                } else {
                    self.write("<br />");
                }
            }
            Event::Rule => self.write("<p>\u{2500}\u{2500}\u{2500}\u{2500}\u{2500}\u{2500}\u{2500}\u{2500}</p>"),
            Event::TaskListMarker(done) => {
                if self.pending_li {
                    self.out.push_str(if done { " data-tag=\"to-do:completed\"" } else { " data-tag=\"to-do\"" });
                    self.flush_li();
                } else {
                    self.text(if done { "[x] " } else { "[ ] " });
                }
            }
            // footnotes and math (not enabled): their text, escaped
            Event::FootnoteReference(t) | Event::InlineMath(t) | Event::DisplayMath(t) => self.text(&t),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        if let Some((_, _, depth)) = &mut self.image {
            // inside an image's alt text only text counts
            if matches!(tag, Tag::Image { .. }) {
                *depth += 1;
            }
            return;
        }
        match tag {
            Tag::Paragraph => match self.containers.last_mut() {
                Some(Container::Item { paragraphs, tag, open }) => {
                    *paragraphs += 1;
                    if !*open {
                        // a task paragraph after a nested list: a paragraph of its own
                        *open = true;
                        let tag = *tag;
                        self.write("<");
                        self.out.push_str(tag);
                        self.out.push('>');
                    } else if *paragraphs > 1 {
                        self.write("<br />");
                    }
                }
                _ => match self.quote_depth() {
                    0 => self.write("<p>"),
                    d => self.write(&format!("<p style=\"margin-left:{}px\">", 24 * d)),
                },
            },
            Tag::Heading { level, .. } => {
                self.write("<");
                self.out.push_str(heading(level));
                self.out.push('>');
            }
            Tag::BlockQuote(_) => self.containers.push(Container::Quote),
            Tag::CodeBlock(_) => self.block_text = Some(String::new()),
            Tag::HtmlBlock => self.block_text = Some(String::new()),
            Tag::List(start) => {
                // a nested list ends the paragraph of a task item
                if let Some(Container::Item { tag: "p", open, .. }) = self.containers.last_mut()
                    && *open
                {
                    *open = false;
                    self.write("</p>");
                }
                let mode = self.list_modes.get(self.lists_started).copied().unwrap_or(ListMode::Plain);
                self.lists_started += 1;
                match (mode, start) {
                    (ListMode::Plain, Some(1)) => self.write("<ol>"),
                    (ListMode::Plain, Some(n)) => self.write(&format!("<ol start=\"{n}\">")),
                    (ListMode::Plain, None) => self.write("<ul>"),
                    _ => {}
                }
                self.containers.push(Container::List(mode));
            }
            Tag::Item => {
                let tag = match self.containers.last() {
                    Some(Container::List(ListMode::Tasks)) => "p",
                    _ => "li",
                };
                self.write("<");
                self.out.push_str(tag);
                self.pending_li = true;
                self.containers.push(Container::Item { paragraphs: 0, tag, open: true });
            }
            Tag::Table(aligns) => {
                self.aligns = aligns;
                self.write("<table border=\"1\">");
            }
            Tag::TableHead => {
                self.in_head = true;
                self.column = 0;
                self.write("<tr>");
            }
            Tag::TableRow => {
                self.column = 0;
                self.write("<tr>");
            }
            Tag::TableCell => {
                let align = match self.aligns.get(self.column) {
                    Some(Alignment::Center) => " style=\"text-align:center\"",
                    Some(Alignment::Right) => " style=\"text-align:right\"",
                    _ => "",
                };
                self.write("<td");
                self.out.push_str(align);
                self.out.push('>');
                if self.in_head {
                    self.out.push_str("<b>");
                }
            }
            Tag::Emphasis => self.write("<i>"),
            Tag::Strong => self.write("<b>"),
            Tag::Strikethrough => self.write("<span style=\"text-decoration:line-through\">"),
            Tag::Link { dest_url, .. } => {
                if safe_link(&dest_url) {
                    self.write("<a href=\"");
                    push_escaped(&mut self.out, &dest_url);
                    self.out.push_str("\">");
                    self.links.push(true);
                } else {
                    self.links.push(false);
                }
            }
            Tag::Image { dest_url, .. } => {
                let src = if is_url(&dest_url) {
                    dest_url.to_string()
                } else {
                    let path = PathBuf::from(dest_url.as_ref());
                    let name = match self.images.iter().find(|i| i.path == path) {
                        Some(i) => i.part_name.clone(),
                        None => {
                            let name = format!("image{}", self.images.len() + 1);
                            self.images.push(LocalImage { part_name: name.clone(), path });
                            name
                        }
                    };
                    format!("name:{name}")
                };
                self.image = Some((src, String::new(), 0));
            }
            _ => self.containers.push(Container::Other),
        }
    }

    fn end(&mut self, tag: TagEnd) {
        if let Some((_, _, depth)) = &mut self.image {
            if matches!(tag, TagEnd::Image) {
                if *depth > 0 {
                    *depth -= 1;
                    return;
                }
                if let Some((src, alt, _)) = self.image.take() {
                    self.write("<img src=\"");
                    push_escaped(&mut self.out, &src);
                    self.out.push_str("\" alt=\"");
                    push_escaped(&mut self.out, alt.trim());
                    self.out.push_str("\" />");
                }
            }
            return;
        }
        match tag {
            TagEnd::Paragraph => match self.containers.last() {
                Some(Container::Item { .. }) => {}
                _ => self.write("</p>"),
            },
            TagEnd::Heading(level) => {
                self.write("</");
                self.out.push_str(heading(level));
                self.out.push('>');
            }
            TagEnd::BlockQuote(_) => {
                self.containers.pop();
            }
            TagEnd::CodeBlock => {
                let text = self.block_text.take().unwrap_or_default();
                self.write("<pre>");
                push_escaped(&mut self.out, text.strip_suffix('\n').unwrap_or(&text));
                self.out.push_str("</pre>");
            }
            TagEnd::HtmlBlock => {
                let text = self.block_text.take().unwrap_or_default();
                self.write("<p>");
                for (i, line) in text.trim_end().lines().enumerate() {
                    if i > 0 {
                        self.out.push_str("<br />");
                    }
                    push_escaped(&mut self.out, line);
                }
                self.out.push_str("</p>");
            }
            TagEnd::List(ordered) => {
                if let Some(Container::List(ListMode::Plain)) = self.containers.pop() {
                    self.write(if ordered { "</ol>" } else { "</ul>" });
                }
            }
            TagEnd::Item => {
                if let Some(Container::Item { tag, open: true, .. }) = self.containers.pop() {
                    self.write("</");
                    self.out.push_str(tag);
                    self.out.push('>');
                }
            }
            TagEnd::Table => self.write("</table>"),
            TagEnd::TableHead => {
                self.in_head = false;
                self.write("</tr>");
            }
            TagEnd::TableRow => self.write("</tr>"),
            TagEnd::TableCell => {
                if self.in_head {
                    self.write("</b>");
                }
                self.write("</td>");
                self.column += 1;
            }
            TagEnd::Emphasis => self.write("</i>"),
            TagEnd::Strong => self.write("</b>"),
            TagEnd::Strikethrough => self.write("</span>"),
            TagEnd::Link => {
                if self.links.pop().unwrap_or(false) {
                    self.write("</a>");
                }
            }
            TagEnd::Image => {}
            _ => {
                self.containers.pop();
            }
        }
    }
}

fn heading(level: HeadingLevel) -> &'static str {
    match level {
        HeadingLevel::H1 => "h1",
        HeadingLevel::H2 => "h2",
        HeadingLevel::H3 => "h3",
        HeadingLevel::H4 => "h4",
        HeadingLevel::H5 => "h5",
        HeadingLevel::H6 => "h6",
    }
}

/// `scheme:` with a scheme of two letters or more (a drive letter is a path).
fn scheme(url: &str) -> Option<&str> {
    let (scheme, _) = url.split_once(':')?;
    let ok = scheme.len() > 1
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    ok.then_some(scheme)
}

fn is_url(url: &str) -> bool {
    scheme(url).is_some()
}

fn safe_link(url: &str) -> bool {
    match scheme(url) {
        Some(s) => ["http", "https", "mailto", "onenote"].iter().any(|ok| s.eq_ignore_ascii_case(ok)),
        // relative links and fragments
        None => !url.trim().is_empty(),
    }
}
