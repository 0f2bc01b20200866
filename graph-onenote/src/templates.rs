//! Page templates: Markdown with `{{variables}}`, four built in
//! (meeting notes, daily journal, to-do list, project) and any number of
//! the user's own.

use std::collections::{BTreeMap, HashMap};

use msgraph_core::{Error, Result};

use crate::markdown::{RenderedMarkdown, render_markdown};
use crate::xhtml::escape_html;

const MEETING_NOTES: &str = "\
**Date:** {{date}}

**Attendees:** {{attendees}}

## Agenda

- {{agenda}}

## Notes

{{notes}}

## Action items

- [ ] {{action_items}}
";

const DAILY_JOURNAL: &str = "\
**Date:** {{date}}

## Goals

- [ ] {{goals}}

## Notes

{{notes}}

## Reflections

{{reflections}}
";

const TODO: &str = "\
## High priority

- [ ] {{high}}

## Medium priority

- [ ] {{medium}}

## Low priority

- [ ] {{low}}
";

const PROJECT: &str = "\
## Overview

{{overview}}

## Objectives

- {{objectives}}

## Timeline

- {{timeline}}

## Resources

- {{resources}}
";

/// A page template: Markdown with `{{variables}}`.
///
/// Values are text: they are HTML-escaped where they land (Markdown or
/// HTML in a value shows as written). A variable alone on a list line
/// (`- [ ] {{action_items}}`) gives one item per line of its value, and a
/// value with no lines drops the line; elsewhere the lines of a value are
/// joined with `<br />`. `{{title}}` is the page title unless given.
///
/// ```
/// use msgraph_onenote::Template;
/// let page = Template::MeetingNotes
///     .render([
///         ("date", "2026-03-02"),
///         ("attendees", "Ada, Grace"),
///         ("agenda", "Budget\nHiring"),
///         ("notes", "Budget <approved>"),
///         ("action_items", "Send minutes\nBook room"),
///     ])
///     .unwrap();
/// assert!(page.html.contains("<li>Budget</li><li>Hiring</li>"));
/// assert!(page.html.contains("Budget &lt;approved&gt;"));
/// assert!(page.html.contains("<p data-tag=\"to-do\">Send minutes</p><p data-tag=\"to-do\">Book room</p>"));
///
/// let err = Template::MeetingNotes.render([("date", "today")]).unwrap_err();
/// assert!(err.to_string().contains("attendees, agenda, notes, action_items"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Template {
    /// `meeting_notes`: `date`, `attendees`, `agenda` (a list), `notes`,
    /// `action_items` (to-do items).
    MeetingNotes,
    /// `daily_journal`: `date`, `goals` (to-do items), `notes`, `reflections`.
    DailyJournal,
    /// `todo`: `high`, `medium`, `low` (to-do items by priority).
    Todo,
    /// `project`: `overview`, `objectives`, `timeline`, `resources` (lists).
    Project,
    /// A template of the user's own.
    Custom {
        /// Its name.
        name: String,
        /// Its Markdown.
        markdown: String,
    },
}

impl Template {
    /// A template of your own: Markdown with `{{variables}}`.
    pub fn custom(name: impl Into<String>, markdown: impl Into<String>) -> Self {
        Template::Custom { name: name.into(), markdown: markdown.into() }
    }

    /// The built-in templates.
    pub fn built_in() -> [Template; 4] {
        [Template::MeetingNotes, Template::DailyJournal, Template::Todo, Template::Project]
    }

    /// Its name (`meeting_notes`, `daily_journal`, `todo`, `project`, or a custom one's).
    pub fn name(&self) -> &str {
        match self {
            Template::MeetingNotes => "meeting_notes",
            Template::DailyJournal => "daily_journal",
            Template::Todo => "todo",
            Template::Project => "project",
            Template::Custom { name, .. } => name,
        }
    }

    /// Its Markdown.
    pub fn markdown(&self) -> &str {
        match self {
            Template::MeetingNotes => MEETING_NOTES,
            Template::DailyJournal => DAILY_JOURNAL,
            Template::Todo => TODO,
            Template::Project => PROJECT,
            Template::Custom { markdown, .. } => markdown,
        }
    }

    /// The variables it uses, in order of first use.
    pub fn variables(&self) -> Vec<String> {
        let mut names = Vec::new();
        for (_, name, _) in placeholders(self.markdown()) {
            if !names.iter().any(|n| n == name) {
                names.push(name.to_owned());
            }
        }
        names
    }

    /// Renders the template with these values (see [`render_markdown`]).
    /// Every variable it uses must have a value: the missing ones are
    /// listed in one [`Error::InvalidInput`].
    pub fn render<I, K, V>(&self, variables: I) -> Result<RenderedMarkdown>
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let vars: HashMap<String, String> = variables.into_iter().map(|(k, v)| (k.into(), v.into())).collect();
        self.render_map(&vars)
    }

    pub(crate) fn render_map(&self, vars: &HashMap<String, String>) -> Result<RenderedMarkdown> {
        let missing: Vec<String> = self.variables().into_iter().filter(|v| !vars.contains_key(v)).collect();
        if !missing.is_empty() {
            return Err(Error::invalid_input(format!(
                "template {} is missing {} {}: {}",
                self.name(),
                missing.len(),
                if missing.len() == 1 { "variable" } else { "variables" },
                missing.join(", ")
            )));
        }
        let mut values: Vec<String> = Vec::new();
        let mut token = |html: String| {
            values.push(html);
            format!("\u{E000}{}\u{E001}", values.len() - 1)
        };
        let mut source = String::with_capacity(self.markdown().len());
        for line in self.markdown().split_inclusive('\n') {
            let found = placeholders(line);
            let body = line.trim_end_matches(['\r', '\n']);
            let ending = &line[body.len()..];
            if let [(start, name, end)] = found.as_slice()
                && body[*end..].trim().is_empty()
                && is_list_prefix(&body[..*start])
            {
                let value = vars.get(*name).map(String::as_str).unwrap_or_default();
                for item in value.lines().map(strip_bullet).filter(|l| !l.is_empty()) {
                    source.push_str(&body[..*start]);
                    source.push_str(&token(escape_html(item)));
                    source.push_str(if ending.is_empty() { "\n" } else { ending });
                }
                continue;
            }
            let mut at = 0;
            for (start, name, end) in found {
                source.push_str(&line[at..start]);
                let value = vars.get(name).map(String::as_str).unwrap_or_default();
                let html = value.lines().map(escape_html).collect::<Vec<_>>().join("<br />");
                source.push_str(&token(html));
                at = end;
            }
            source.push_str(&line[at..]);
        }
        let mut page = render_markdown(&source);
        page.html = fill(&page.html, &values);
        Ok(page)
    }
}

/// Replaces each token by its value in one pass (a value that looks like a
/// token stays as it is).
fn fill(html: &str, values: &[String]) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('\u{E000}') {
        out.push_str(&rest[..open]);
        let after = &rest[open + '\u{E000}'.len_utf8()..];
        let token = after.find('\u{E001}').and_then(|close| Some((after[..close].parse::<usize>().ok()?, close)));
        match token.and_then(|(i, close)| Some((values.get(i)?, close))) {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + '\u{E001}'.len_utf8()..];
            }
            None => {
                out.push('\u{E000}');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `{{ name }}` placeholders of a text: (start, name, end) byte offsets.
fn placeholders(text: &str) -> Vec<(usize, &str, usize)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find("{{").map(|i| i + from) {
        let Some(close) = text[open + 2..].find("}}").map(|i| i + open + 2) else { break };
        let name = text[open + 2..close].trim();
        let valid = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if valid {
            found.push((open, name, close + 2));
            from = close + 2;
        } else {
            from = open + 2;
        }
    }
    found
}

/// `- `, `* `, `+ `, `1. `, with an optional task box, and indentation.
fn is_list_prefix(prefix: &str) -> bool {
    let p = prefix.trim_start();
    let rest = if let Some(r) = p.strip_prefix(['-', '*', '+']) {
        r
    } else {
        let digits = p.chars().take_while(char::is_ascii_digit).count();
        match p[digits..].strip_prefix(['.', ')']) {
            Some(r) if digits > 0 => r,
            _ => return false,
        }
    };
    let rest = rest.trim_start();
    let rest = ["[ ]", "[x]", "[X]"].iter().find_map(|b| rest.strip_prefix(b)).unwrap_or(rest);
    rest.trim().is_empty() && prefix.ends_with(' ')
}

fn strip_bullet(line: &str) -> &str {
    let l = line.trim();
    for b in ["- ", "* ", "• "] {
        if let Some(r) = l.strip_prefix(b) {
            return r.trim();
        }
    }
    l
}

/// Templates by name: the four built-in ones and the ones you register.
///
/// ```
/// use msgraph_onenote::TemplateRegistry;
/// let mut templates = TemplateRegistry::new();
/// templates.register("standup", "## Yesterday\n\n- {{yesterday}}\n\n## Today\n\n- [ ] {{today}}").unwrap();
/// let standup = templates.get("standup").unwrap();
/// assert_eq!(standup.variables(), ["yesterday", "today"]);
/// assert!(templates.get("meeting_notes").is_some());
/// ```
#[derive(Debug, Clone)]
pub struct TemplateRegistry {
    templates: BTreeMap<String, Template>,
}

impl Default for TemplateRegistry {
    fn default() -> Self {
        Self::new()
    }
}

impl TemplateRegistry {
    /// The built-in templates.
    pub fn new() -> Self {
        TemplateRegistry { templates: Template::built_in().into_iter().map(|t| (t.name().to_owned(), t)).collect() }
    }

    /// Adds (or replaces) a template of your own. The name must not be
    /// empty, nor one of the built-in ones; the Markdown must not be empty.
    pub fn register(&mut self, name: impl Into<String>, markdown: impl Into<String>) -> Result<&Template> {
        let name = name.into();
        let markdown = markdown.into();
        if name.trim().is_empty() {
            return Err(Error::invalid_input("a template name must not be empty"));
        }
        if Template::built_in().iter().any(|t| t.name() == name) {
            return Err(Error::invalid_input(format!("{name:?} is a built-in template")));
        }
        if markdown.trim().is_empty() {
            return Err(Error::invalid_input(format!("template {name:?} is empty")));
        }
        let template = Template::custom(name.clone(), markdown);
        self.templates.insert(name.clone(), template);
        Ok(&self.templates[&name])
    }

    /// The template of that name.
    pub fn get(&self, name: &str) -> Option<&Template> {
        self.templates.get(name)
    }

    /// Every template, by name.
    pub fn iter(&self) -> impl Iterator<Item = &Template> {
        self.templates.values()
    }
}
