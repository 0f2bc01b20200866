//! The tool catalogue: names, descriptions, JSON Schemas, and exports for
//! function-calling APIs.

use serde_json::{Map, Value, json};

/// What a tool does to the user's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Access {
    /// Only reads.
    Read,
    /// Creates or changes something (mail sent, a task added, a file written locally).
    Write,
    /// Deletes something, or changes it in a way that cannot be undone.
    Destructive,
}

impl Access {
    /// True for [`Access::Read`].
    pub fn is_read_only(self) -> bool {
        self == Access::Read
    }
}

/// The Microsoft 365 service a tool belongs to (`--tools mail,todo` in the MCP server).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Service {
    /// Outlook mail (`mail_*`).
    Mail,
    /// Outlook calendar (`calendar_*`).
    Calendar,
    /// OneDrive (`onedrive_*`).
    OneDrive,
    /// OneNote (`onenote_*`).
    OneNote,
    /// Microsoft To Do (`todo_*`).
    Todo,
    /// The signed-in user (`whoami`).
    User,
}

impl Service {
    /// Every service.
    pub const ALL: [Service; 6] =
        [Service::Mail, Service::Calendar, Service::OneDrive, Service::OneNote, Service::Todo, Service::User];

    /// Its short name: `mail`, `calendar`, `onedrive`, `onenote`, `todo`, `user`.
    pub fn name(self) -> &'static str {
        match self {
            Service::Mail => "mail",
            Service::Calendar => "calendar",
            Service::OneDrive => "onedrive",
            Service::OneNote => "onenote",
            Service::Todo => "todo",
            Service::User => "user",
        }
    }

    /// The service of a short name (case-insensitive; `drive` is OneDrive).
    pub fn parse(name: &str) -> Option<Service> {
        let name = name.trim().to_ascii_lowercase();
        match name.as_str() {
            "drive" => Some(Service::OneDrive),
            _ => Service::ALL.into_iter().find(|s| s.name() == name),
        }
    }
}

/// One tool: what a model reads to pick it and call it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ToolDef {
    /// The name the model calls, e.g. `todo_create_task`.
    pub name: &'static str,
    /// A short human title, e.g. "Create a task".
    pub title: &'static str,
    /// What it does, when to use it and what it returns, written for a model.
    pub description: &'static str,
    /// The service it belongs to.
    pub service: Service,
    /// Read-only, writing or destructive.
    pub access: Access,
    /// JSON Schema (an object schema) of its arguments.
    pub input_schema: Value,
    /// JSON Schema of a successful result.
    pub output_schema: Value,
}

impl ToolDef {
    /// The tool in the OpenAI function-calling format:
    /// `{"type": "function", "function": {"name", "description", "parameters"}}`.
    pub fn to_openai(&self) -> Value {
        json!({
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.input_schema,
            }
        })
    }

    /// The tool in the Anthropic Messages API format:
    /// `{"name", "description", "input_schema"}`.
    pub fn to_anthropic(&self) -> Value {
        json!({
            "name": self.name,
            "description": self.description,
            "input_schema": self.input_schema,
        })
    }
}

/// A set of tools: all of them ([`Catalogue::all`]), or a filtered view.
///
/// ```
/// use msgraph_agent::{Catalogue, Service};
/// let tools = Catalogue::all().services(&[Service::Todo]).read_only();
/// assert!(tools.get("todo_list_tasks").is_some());
/// assert!(tools.get("todo_create_task").is_none());
/// let openai = tools.to_openai(); // a JSON array for `tools=`
/// assert!(openai.as_array().is_some_and(|a| !a.is_empty()));
/// ```
#[derive(Debug, Clone)]
pub struct Catalogue {
    pub(crate) entries: Vec<&'static crate::dispatch::Entry>,
}

impl Catalogue {
    /// Every tool this crate has.
    pub fn all() -> Catalogue {
        Catalogue { entries: crate::dispatch::registry().iter().collect() }
    }

    /// Only the read-only tools.
    pub fn read_only(mut self) -> Catalogue {
        self.entries.retain(|e| e.def.access.is_read_only());
        self
    }

    /// Only the tools of these services.
    pub fn services(mut self, services: &[Service]) -> Catalogue {
        self.entries.retain(|e| services.contains(&e.def.service));
        self
    }

    /// Only the tools these names name (unknown names are ignored).
    pub fn named<S: AsRef<str>>(mut self, names: &[S]) -> Catalogue {
        self.entries.retain(|e| names.iter().any(|n| n.as_ref() == e.def.name));
        self
    }

    /// The tools, in catalogue order.
    pub fn tools(&self) -> impl ExactSizeIterator<Item = &'static ToolDef> + '_ {
        self.entries.iter().map(|e| &e.def)
    }

    /// The tool of this name, if it is in this set.
    pub fn get(&self, name: &str) -> Option<&'static ToolDef> {
        self.entry(name).map(|e| &e.def)
    }

    pub(crate) fn entry(&self, name: &str) -> Option<&'static crate::dispatch::Entry> {
        self.entries.iter().copied().find(|e| e.def.name == name)
    }

    /// How many tools.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the set is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The set as OpenAI function-calling tool definitions (a JSON array).
    pub fn to_openai(&self) -> Value {
        Value::Array(self.tools().map(ToolDef::to_openai).collect())
    }

    /// The set as Anthropic Messages API tool definitions (a JSON array).
    pub fn to_anthropic(&self) -> Value {
        Value::Array(self.tools().map(ToolDef::to_anthropic).collect())
    }
}

/// A schema as tool definitions want it: an inline object schema without
/// `$schema` / `title` / `$defs` noise.
pub(crate) fn clean_schema(schema: schemars::Schema) -> Value {
    let mut value = schema.to_value();
    if let Value::Object(map) = &mut value {
        map.remove("$schema");
        map.remove("title");
        if !map.contains_key("type") {
            map.insert("type".into(), Value::String("object".into()));
        }
        if map.get("type").and_then(Value::as_str) == Some("object") && !map.contains_key("properties") {
            map.insert("properties".into(), Value::Object(Map::new()));
        }
    }
    value
}
