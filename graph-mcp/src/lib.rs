#![doc = include_str!("../README.md")]
//!
//! ## Map of the crate
//!
//! | Item | What |
//! | --- | --- |
//! | [`Options`], [`parse_args`], [`USAGE`] | the command line: `--read-only`, `--tools`, `--download-dir` |
//! | [`Options::catalogue`] | the tools the command line selects |
//! | [`mcp_tool`] | one catalogue tool as an MCP tool: schemas and annotations |
//! | [`GraphMcpServer`] | the MCP server (rmcp's [`ServerHandler`]) over an [`Agent`] |
//! | [`connect`], [`Backend`] | the Graph client: the offline emulator, or the user's account by device code |
//!
//! The binary is this library plus rmcp's stdio transport.
#![warn(missing_docs)]
#![forbid(unsafe_code)]

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use msgraph_agent::{Access, Agent, Catalogue, Service, ToolDef};
use msgraph_core::GraphClient;
use msgraph_emulator::Emulator;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation, JsonObject, ListToolsResult,
    PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool, ToolAnnotations,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler};
use serde_json::{Map, Value};

/// The delegated permissions the server asks for when it signs in to a real
/// account: every tool of the catalogue works with these.
pub const SCOPES: [&str; 7] = [
    "User.Read",
    "Mail.ReadWrite",
    "Mail.Send",
    "Calendars.ReadWrite",
    "Files.ReadWrite",
    "Notes.ReadWrite",
    "Tasks.ReadWrite",
];

/// The environment variable naming the token cache file (default: see
/// [`default_token_cache_path`]).
pub const ENV_TOKEN_CACHE: &str = "MSGRAPH_TOKEN_CACHE";

/// `msgraph-mcp --help`.
pub const USAGE: &str = "\
msgraph-mcp: Microsoft Graph (mail, calendar, OneDrive, OneNote, To Do) as MCP tools over stdio.

USAGE:
    msgraph-mcp [--read-only] [--tools LIST] [--download-dir DIR]

OPTIONS:
    --read-only           expose only the tools that do not change anything
    --tools LIST          only these services or tools, comma-separated:
                          mail, calendar, onedrive (or drive), onenote, todo, user,
                          or tool names such as todo_create_task
    --download-dir DIR    where onedrive_download_file may write (it refuses without one)
    -h, --help            print this help
    -V, --version         print the version

ENVIRONMENT:
    MSGRAPH_CLIENT_ID     your app registration's Application (client) ID; when unset or
                          empty the server runs against an offline Graph emulator in its
                          own process (a demo tenant, nothing reaches Microsoft 365)
    MSGRAPH_TENANT_ID     the tenant (default: common)
    MSGRAPH_TOKEN_CACHE   the token cache file (default: msgraph-rs/token_cache.json in
                          the user's data directory)

The server speaks MCP on stdin/stdout; it logs to stderr only. Sign-in uses the
device code flow: the first tool call that needs it answers with the URL and the
code to enter, and the calls after the user has signed in succeed.
";

/// What the command line asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// `--read-only`: only the tools that do not change anything.
    pub read_only: bool,
    /// `--tools`: service and tool names; empty means every tool.
    pub tools: Vec<String>,
    /// `--download-dir`: where `onedrive_download_file` may write.
    pub download_dir: Option<PathBuf>,
}

/// What to do, from the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Serve MCP on stdio with these options.
    Serve(Options),
    /// Print [`USAGE`] and exit.
    Help,
    /// Print the version and exit.
    Version,
}

/// Parses the arguments (without the program name).
///
/// ```
/// use msgraph_mcp::{Command, parse_args};
/// let Ok(Command::Serve(o)) = parse_args(["--read-only", "--tools", "mail,todo"]) else { panic!() };
/// assert!(o.read_only);
/// assert_eq!(o.tools, ["mail", "todo"]);
/// assert!(parse_args(["--bogus"]).is_err());
/// ```
pub fn parse_args<I, S>(args: I) -> Result<Command, String>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let mut options = Options::default();
    let mut args = args.into_iter().map(Into::into);
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline.clone().or_else(|| args.next()).ok_or_else(|| format!("{name} needs a value; see --help"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "-V" | "--version" => return Ok(Command::Version),
            "--read-only" if inline.is_none() => options.read_only = true,
            "--tools" => {
                let list = value("--tools")?;
                options.tools.extend(list.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned));
            }
            "--download-dir" => {
                let dir = value("--download-dir")?;
                if dir.trim().is_empty() {
                    return Err("--download-dir needs a directory".into());
                }
                options.download_dir = Some(PathBuf::from(dir));
            }
            _ => return Err(format!("unknown argument `{arg}`; see --help")),
        }
    }
    Ok(Command::Serve(options))
}

impl Options {
    /// The tools these options select: `--tools` (services or tool names),
    /// then `--read-only`. An unknown name, or a selection with no tool
    /// left, is an error that says what is available.
    pub fn catalogue(&self) -> Result<Catalogue, String> {
        let all = Catalogue::all();
        let mut selected = if self.tools.is_empty() {
            all
        } else {
            let mut services = Vec::new();
            let mut names = Vec::new();
            for item in &self.tools {
                if let Some(service) = Service::parse(item) {
                    services.push(service);
                } else if all.get(item).is_some() {
                    names.push(item.as_str());
                } else {
                    let known: Vec<&str> = Service::ALL.iter().map(|s| s.name()).collect();
                    return Err(format!(
                        "--tools: `{item}` is neither a service ({}) nor a tool name",
                        known.join(", ")
                    ));
                }
            }
            let keep: Vec<&str> = all
                .tools()
                .filter(|t| services.contains(&t.service) || names.contains(&t.name))
                .map(|t| t.name)
                .collect();
            all.named(&keep)
        };
        if self.read_only {
            selected = selected.read_only();
        }
        if selected.is_empty() {
            return Err("no tool is left with these options (--tools, --read-only)".into());
        }
        Ok(selected)
    }
}

/// Tools that change something but give the same state when called again
/// with the same arguments (MCP's `idempotentHint`).
const IDEMPOTENT_WRITES: [&str; 3] = ["todo_update_task", "calendar_update_event", "onedrive_download_file"];

/// The annotations of a tool: `readOnlyHint` for read tools, `destructiveHint`
/// for deleting ones, `idempotentHint` where calling twice changes nothing
/// more, `openWorldHint` always (Microsoft 365 is shared with other people
/// and apps).
pub fn annotations(def: &ToolDef) -> ToolAnnotations {
    let read = def.access == Access::Read;
    let destructive = def.access == Access::Destructive;
    let idempotent = read || destructive || IDEMPOTENT_WRITES.contains(&def.name);
    ToolAnnotations::with_title(def.title)
        .read_only(read)
        .destructive(destructive)
        .idempotent(idempotent)
        .open_world(true)
}

/// One catalogue tool as an MCP tool: name, title, description, the
/// arguments' JSON Schema as `inputSchema`, the result's as `outputSchema`
/// (when it is an object schema, as MCP requires) and the [`annotations`].
pub fn mcp_tool(def: &ToolDef) -> Tool {
    let input = match &def.input_schema {
        Value::Object(map) => map.clone(),
        _ => empty_object_schema(),
    };
    let mut tool =
        Tool::new(def.name, def.description, Arc::new(input)).with_title(def.title).with_annotations(annotations(def));
    if let Value::Object(map) = &def.output_schema
        && map.get("type").and_then(Value::as_str) == Some("object")
    {
        tool = tool.with_raw_output_schema(Arc::new(map.clone()));
    }
    tool
}

fn empty_object_schema() -> JsonObject {
    let mut map = Map::new();
    map.insert("type".into(), Value::String("object".into()));
    map.insert("properties".into(), Value::Object(Map::new()));
    map
}

/// The MCP server: `tools/list` from the agent's catalogue, `tools/call`
/// through [`Agent::call`]. Every tool problem (an unknown tool, bad
/// arguments, a Graph error, a sign-in waiting for the user) is a tool
/// result with `isError` and a message the model can act on, never a
/// protocol error.
#[derive(Debug, Clone)]
pub struct GraphMcpServer {
    agent: Agent,
    tools: Arc<[Tool]>,
    instructions: Option<String>,
}

impl GraphMcpServer {
    /// A server for the tools of this agent's catalogue.
    pub fn new(agent: Agent) -> Self {
        let tools = agent.catalogue().tools().map(mcp_tool).collect();
        GraphMcpServer { agent, tools, instructions: None }
    }

    /// Adds a sentence to the instructions the client gets at `initialize`
    /// (e.g. that this is the emulator's demo tenant).
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.instructions = Some(note.into());
        self
    }

    /// The MCP tools it lists.
    pub fn tools(&self) -> &[Tool] {
        &self.tools
    }

    /// Runs one tool call: the same answer `tools/call` sends.
    pub async fn call(&self, name: &str, arguments: Option<JsonObject>) -> CallToolResult {
        let arguments = arguments.map(Value::Object).unwrap_or(Value::Null);
        // On its own task: a bug that panics in a tool fails that call, not the server.
        let (agent, tool) = (self.agent.clone(), name.to_owned());
        let out = match tokio::spawn(async move { agent.call(&tool, arguments).await }).await {
            Ok(out) => out,
            Err(e) => {
                eprintln!("msgraph-mcp: the tool `{name}` failed unexpectedly: {e}");
                let message = format!("the tool `{name}` failed unexpectedly (a bug in msgraph-mcp); try another way");
                return CallToolResult::error(vec![ContentBlock::text(
                    serde_json::json!({ "error": message }).to_string(),
                )]);
            }
        };
        let text = out.text().to_owned();
        if out.is_error {
            return CallToolResult::error(vec![ContentBlock::text(text)]);
        }
        let mut result = CallToolResult::success(vec![ContentBlock::text(text)]);
        // Structured content must be an object; the catalogue's results all are.
        if out.content.is_object() {
            result.structured_content = Some(out.content);
        }
        result
    }
}

const INSTRUCTIONS: &str = "Tools for the signed-in user's Microsoft 365: Outlook mail and calendar, OneDrive, \
OneNote and Microsoft To Do. List before you act: ids come from the list and search tools (e.g. \
todo_list_task_lists gives the list_id that todo_create_task needs). Results are trimmed; pass `next_cursor` \
back as `cursor` for more. A result with isError says what went wrong and what to do next; if it asks the user \
to sign in, show them the URL and code, then call the tool again once they have.";

impl ServerHandler for GraphMcpServer {
    fn get_info(&self) -> ServerConfig {
        let mut instructions = INSTRUCTIONS.to_owned();
        if let Some(note) = &self.instructions {
            instructions.push(' ');
            instructions.push_str(note);
        }
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(
                Implementation::new(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION")).with_title("Microsoft Graph"),
            )
            .with_instructions(instructions)
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(self.tools.to_vec()))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        Ok(self.call(&request.name, request.arguments).await.into())
    }
}

/// Where the Graph client goes: the offline emulator (kept running here)
/// or the user's Microsoft 365 account.
pub struct Backend {
    /// The client the tools use.
    pub client: GraphClient,
    /// The in-process emulator, when `MSGRAPH_CLIENT_ID` is not set.
    pub emulator: Option<Emulator>,
}

impl fmt::Debug for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Backend").field("emulator", &self.emulator.as_ref().map(|e| e.base_url())).finish()
    }
}

impl Backend {
    /// True against the emulator.
    pub fn is_emulator(&self) -> bool {
        self.emulator.is_some()
    }
}

/// A boxed error for [`connect`] and the binary.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// True when `MSGRAPH_CLIENT_ID` names an app (set and not blank).
pub fn has_client_id() -> bool {
    std::env::var(msgraph_auth::ENV_CLIENT_ID).is_ok_and(|v| !v.trim().is_empty())
}

/// The Graph client: with `MSGRAPH_CLIENT_ID` set, the user's account by
/// device code in chat mode (the prompt is a tool result, polling goes on in
/// the background) with a file token cache; otherwise an offline emulator
/// started in this process, signed in as its demo user. Says which on stderr.
pub async fn connect() -> Result<Backend, BoxError> {
    if has_client_id() {
        let cache = token_cache_path()?;
        eprintln!(
            "msgraph-mcp: signing in to Microsoft 365 ({} is set); token cache {}",
            msgraph_auth::ENV_CLIENT_ID,
            cache.display()
        );
        let credential = msgraph_auth::DeviceCodeCredential::from_env()?
            .scopes(SCOPES)
            .token_cache(msgraph_auth::FileTokenCache::new(cache))
            .sign_in_in_background(true)
            .on_prompt(|p| eprintln!("msgraph-mcp: sign-in: {}", p.message))
            .build()?;
        let client = GraphClient::builder().credential(credential).build()?;
        return Ok(Backend { client, emulator: None });
    }
    // A server may run for days: the demo token outlives it.
    let emulator = Emulator::builder().token_lifetime(Duration::from_secs(365 * 24 * 3600)).start().await?;
    let token = emulator.issue_token(msgraph_emulator::demo::USER_UPN)?;
    let client = GraphClient::builder()
        .base_url(emulator.base_url())
        .credential(msgraph_core::StaticTokenCredential::new(token))
        .build()?;
    eprintln!(
        "msgraph-mcp: {} is not set: serving the offline Microsoft Graph emulator at {} as its demo user {} \
         (nothing reaches Microsoft 365; set {} to use your account)",
        msgraph_auth::ENV_CLIENT_ID,
        emulator.base_url(),
        msgraph_emulator::demo::USER_UPN,
        msgraph_auth::ENV_CLIENT_ID,
    );
    Ok(Backend { client, emulator: Some(emulator) })
}

/// The token cache file: `MSGRAPH_TOKEN_CACHE`, else [`default_token_cache_path`].
pub fn token_cache_path() -> Result<PathBuf, BoxError> {
    if let Some(path) = std::env::var_os(ENV_TOKEN_CACHE).filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    default_token_cache_path().ok_or_else(|| {
        format!("cannot find the user's data directory for the token cache; set {ENV_TOKEN_CACHE} to a file path")
            .into()
    })
}

/// `msgraph-rs/token_cache.json` in the user's data directory:
/// `$XDG_DATA_HOME` or `~/.local/share` on Linux and other Unixes,
/// `~/Library/Application Support` on macOS, `%LOCALAPPDATA%` on Windows.
pub fn default_token_cache_path() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    let base = if cfg!(windows) {
        var("LOCALAPPDATA").or_else(|| var("APPDATA"))
    } else if cfg!(target_os = "macos") {
        var("HOME").map(|h| h.join("Library").join("Application Support"))
    } else {
        var("XDG_DATA_HOME").filter(|p| p.is_absolute()).or_else(|| var("HOME").map(|h| h.join(".local").join("share")))
    }?;
    Some(base.join("msgraph-rs").join("token_cache.json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serve(args: &[&str]) -> Options {
        match parse_args(args.iter().copied()) {
            Ok(Command::Serve(o)) => o,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn arguments_parse() {
        assert_eq!(serve(&[]), Options::default());
        let o = serve(&["--tools=mail, todo", "--tools", "whoami", "--download-dir", "/tmp/x", "--read-only"]);
        assert!(o.read_only);
        assert_eq!(o.tools, ["mail", "todo", "whoami"]);
        assert_eq!(o.download_dir, Some(PathBuf::from("/tmp/x")));
        assert_eq!(parse_args(["-h"]), Ok(Command::Help));
        assert_eq!(parse_args(["--version"]), Ok(Command::Version));
        assert!(parse_args(["--tools"]).unwrap_err().contains("needs a value"));
        assert!(parse_args(["--read-only=yes"]).is_err());
        assert!(parse_args(["serve"]).unwrap_err().contains("unknown argument"));
    }

    #[test]
    fn tools_select_services_and_names() {
        let todo = serve(&["--tools", "todo"]).catalogue().unwrap();
        assert!(!todo.is_empty());
        assert!(todo.tools().all(|t| t.service == Service::Todo));
        let mixed = serve(&["--tools", "todo,whoami"]).catalogue().unwrap();
        assert_eq!(mixed.len(), todo.len() + 1);
        let ro = serve(&["--tools", "todo", "--read-only"]).catalogue().unwrap();
        assert!(ro.get("todo_list_tasks").is_some());
        assert!(ro.get("todo_create_task").is_none());
        let e = serve(&["--tools", "mail,nope"]).catalogue().unwrap_err();
        assert!(e.contains("`nope`"), "{e}");
        assert!(serve(&["--tools", "todo_create_task", "--read-only"]).catalogue().is_err());
    }

    #[test]
    fn tools_have_object_schemas_and_annotations() {
        for def in Catalogue::all().tools() {
            let tool = mcp_tool(def);
            assert_eq!(tool.input_schema.get("type").and_then(Value::as_str), Some("object"), "{}", def.name);
            let a = tool.annotations.as_ref().unwrap();
            assert_eq!(a.read_only_hint, Some(def.access == Access::Read), "{}", def.name);
            assert_eq!(a.destructive_hint, Some(def.access == Access::Destructive), "{}", def.name);
            assert_eq!(a.open_world_hint, Some(true));
            assert_eq!(tool.title.as_deref(), Some(def.title));
        }
    }
}
