//! The dispatcher: `call(name, arguments) -> result`, with model-readable errors.

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use base64::Engine as _;
use futures::future::BoxFuture;
use msgraph_core::{AuthErrorKind, Continuation, Error, GraphClient, ListBuilder, Page};
use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::catalogue::{Access, Catalogue, Service, ToolDef, clean_schema};

/// Default cap on a result's size: about 8,000 tokens of JSON.
pub const DEFAULT_MAX_RESULT_BYTES: usize = 32 * 1024;

type Runner = Box<dyn Fn(Ctx, Value) -> BoxFuture<'static, Result<Value, ToolError>> + Send + Sync>;

/// A tool: its definition and the function that runs it.
pub(crate) struct Entry {
    pub(crate) def: ToolDef,
    run: Runner,
}

impl fmt::Debug for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Entry").field("name", &self.def.name).finish_non_exhaustive()
    }
}

/// What a tool needs to run.
#[derive(Clone)]
pub(crate) struct Ctx {
    pub(crate) client: GraphClient,
    pub(crate) tool: &'static str,
    pub(crate) download_dir: Option<Arc<PathBuf>>,
}

/// Static facts about a tool, given when it is registered.
pub(crate) struct Meta {
    pub(crate) name: &'static str,
    pub(crate) title: &'static str,
    pub(crate) description: &'static str,
    pub(crate) service: Service,
    pub(crate) access: Access,
}

/// Builds the registry, one `add` per tool.
pub(crate) struct Registry {
    entries: Vec<Entry>,
}

impl Registry {
    pub(crate) fn add<A, R, F, Fut>(&mut self, meta: Meta, run: F)
    where
        A: DeserializeOwned + JsonSchema + Send + 'static,
        R: Serialize + JsonSchema + 'static,
        F: Fn(Ctx, A) -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = Result<R, ToolError>> + Send + 'static,
    {
        let input = SchemaSettings::draft2020_12()
            .with(|s| {
                s.inline_subschemas = true;
                s.meta_schema = None;
            })
            .for_deserialize()
            .into_generator()
            .into_root_schema_for::<A>();
        let output = SchemaSettings::draft2020_12()
            .with(|s| {
                s.inline_subschemas = true;
                s.meta_schema = None;
            })
            .for_serialize()
            .into_generator()
            .into_root_schema_for::<R>();
        let def = ToolDef {
            name: meta.name,
            title: meta.title,
            description: meta.description,
            service: meta.service,
            access: meta.access,
            input_schema: clean_schema(input),
            output_schema: clean_schema(output),
        };
        let name = meta.name;
        let run = Arc::new(run);
        self.entries.push(Entry {
            def,
            run: Box::new(move |ctx, args| {
                let run = run.clone();
                Box::pin(async move {
                    let args: A = parse_args(name, args)?;
                    let out = run(ctx, args).await?;
                    serde_json::to_value(out)
                        .map_err(|e| ToolError::new(format!("could not encode the result of `{name}`: {e}")))
                })
            }),
        });
    }
}

/// Every tool, built once.
pub(crate) fn registry() -> &'static [Entry] {
    static REGISTRY: OnceLock<Vec<Entry>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut r = Registry { entries: Vec::new() };
        crate::tools::register(&mut r);
        r.entries
    })
}

/// A failed tool call, as words a model can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolError {
    message: String,
}

impl ToolError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        ToolError { message: message.into() }
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ToolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ToolError {}

/// Turns SDK errors into short, actionable messages; `not_found` says what
/// to do when the thing named does not exist (e.g. "no such task; list the
/// tasks first with todo_list_tasks").
pub(crate) fn graph_error(e: Error, not_found: &str) -> ToolError {
    if let Some(auth) = e.as_auth() {
        return ToolError::new(match auth.kind {
            AuthErrorKind::InteractionRequired if auth.code.as_deref() == Some("sign_in_pending") => {
                format!(
                    "Sign-in needed. {} Tell the user this, wait until they have signed in, then call the tool again.",
                    auth.message
                )
            }
            _ => format!(
                "Sign-in failed: {}{}",
                auth.message,
                auth.hint.as_deref().map(|h| format!(" ({h})")).unwrap_or_default()
            ),
        });
    }
    if let Some(api) = e.as_api() {
        let said = api.message.as_deref().unwrap_or("no message");
        let code = api.code.as_deref().unwrap_or("");
        return ToolError::new(match api.status {
            404 => format!("Not found: {not_found}."),
            400 if code.contains("InvalidIdMalformed") || code.contains("InvalidId") => {
                format!("Not found (the id is not valid): {not_found}.")
            }
            401 => "Microsoft Graph refused the access token; sign in again.".to_owned(),
            403 => format!(
                "Access denied ({code}): the signed-in account or the app lacks the permission for this. Graph said: {said}"
            ),
            409 | 412 => format!(
                "Conflict ({code}): it changed meanwhile or already exists; read it again first. Graph said: {said}"
            ),
            429 | 503 => "Microsoft Graph is throttling or busy; wait a minute and call the tool again.".to_owned(),
            s if s >= 500 => format!("Microsoft Graph failed ({s} {code}); try again later."),
            s => format!("Microsoft Graph rejected the request ({s} {code}): {said}"),
        });
    }
    match e {
        Error::InvalidInput(m) => ToolError::new(format!("Invalid input: {m}")),
        Error::Timeout { .. } => ToolError::new("Microsoft Graph did not answer in time; try again."),
        Error::Transport { .. } => {
            ToolError::new("Could not reach Microsoft Graph or the sign-in service (network error); try again.")
        }
        other => ToolError::new(format!("The call failed: {other}")),
    }
}

/// Extension for `Result<T, msgraph_core::Error>`.
pub(crate) trait OrTool<T> {
    /// Maps the error with [`graph_error`].
    fn or_tool(self, not_found: &str) -> Result<T, ToolError>;
}

impl<T> OrTool<T> for msgraph_core::Result<T> {
    fn or_tool(self, not_found: &str) -> Result<T, ToolError> {
        self.map_err(|e| graph_error(e, not_found))
    }
}

fn parse_args<A: DeserializeOwned>(tool: &str, args: Value) -> Result<A, ToolError> {
    // A model that calls a tool without arguments sends `null` or nothing.
    let args = if args.is_null() { Value::Object(Default::default()) } else { args };
    if !args.is_object() {
        return Err(ToolError::new(format!("the arguments of `{tool}` must be a JSON object")));
    }
    serde_path_to_error::deserialize(args).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        // serde's messages end with " at line 1 column N" for JSON text; values have none.
        if path == "." || path.is_empty() {
            ToolError::new(format!("invalid arguments for `{tool}`: {inner}"))
        } else {
            ToolError::new(format!("invalid arguments for `{tool}`: `{path}`: {inner}"))
        }
    })
}

/// The outcome of a tool call: a JSON value, or an error message
/// (`is_error`, MCP's `isError`) the model can read and act on.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ToolOutput {
    /// True when the call failed; [`content`](Self::content) is then `{"error": "..."}`.
    pub is_error: bool,
    /// The result (trimmed for a model's context), or `{"error": "..."}`.
    pub content: Value,
    /// `content` as compact JSON, made once.
    text: String,
}

impl ToolOutput {
    fn ok(content: Value, text: String) -> Self {
        ToolOutput { is_error: false, content, text }
    }

    fn error(message: impl Into<String>) -> Self {
        let content = json!({ "error": message.into() });
        ToolOutput { is_error: true, text: content.to_string(), content }
    }

    /// The error message, when the call failed.
    pub fn error_message(&self) -> Option<&str> {
        if self.is_error { self.content.get("error").and_then(Value::as_str) } else { None }
    }

    /// The content as compact JSON text (what a model is shown).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The content as compact JSON text, taken out.
    pub fn into_text(self) -> String {
        self.text
    }
}

/// Runs tools against one Graph client.
///
/// ```no_run
/// use msgraph_agent::Agent;
/// use serde_json::json;
/// # async fn run(client: msgraph_core::GraphClient) {
/// let agent = Agent::new(client);
/// let out = agent.call("todo_list_task_lists", json!({})).await;
/// if out.is_error {
///     eprintln!("{}", out.text());
/// }
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Agent {
    client: GraphClient,
    catalogue: Catalogue,
    max_result_bytes: usize,
    download_dir: Option<Arc<PathBuf>>,
}

impl Agent {
    /// Every tool of [`Catalogue::all`] on this client.
    pub fn new(client: GraphClient) -> Self {
        Agent { client, catalogue: Catalogue::all(), max_result_bytes: DEFAULT_MAX_RESULT_BYTES, download_dir: None }
    }

    /// Only the tools of this catalogue can be called (e.g. [`Catalogue::read_only`]).
    pub fn with_catalogue(mut self, catalogue: Catalogue) -> Self {
        self.catalogue = catalogue;
        self
    }

    /// Results larger than this (compact JSON bytes) become an error asking
    /// for fewer items (default [`DEFAULT_MAX_RESULT_BYTES`]).
    pub fn max_result_bytes(mut self, n: usize) -> Self {
        self.max_result_bytes = n.max(256);
        self
    }

    /// Where `onedrive_download_file` may write (file names only, no paths
    /// out of this folder). Without one, the tool refuses to write.
    pub fn download_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.download_dir = Some(Arc::new(dir.into()));
        self
    }

    /// The tools this agent can call.
    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    /// The client the tools use.
    pub fn client(&self) -> &GraphClient {
        &self.client
    }

    /// Calls a tool. Never fails at the protocol level: an unknown tool, bad
    /// arguments, a Graph error, a pending sign-in or a too-large result are
    /// all a [`ToolOutput`] with `is_error` and a message saying what to do.
    pub async fn call(&self, name: &str, arguments: Value) -> ToolOutput {
        let Some(entry) = self.catalogue.entry(name) else {
            let known = registry().iter().any(|e| e.def.name == name);
            return ToolOutput::error(if known {
                format!("the tool `{name}` is not enabled here; use one of the tools listed")
            } else {
                format!("there is no tool named `{name}`; use one of the tools listed")
            });
        };
        let ctx = Ctx { client: self.client.clone(), tool: entry.def.name, download_dir: self.download_dir.clone() };
        match (entry.run)(ctx, arguments).await {
            Err(e) => ToolOutput::error(e.message),
            Ok(value) => {
                let text = value.to_string();
                if text.len() > self.max_result_bytes {
                    ToolOutput::error(format!(
                        "the result is too large ({} bytes, limit {}); ask for fewer items with `limit` or a narrower query",
                        text.len(),
                        self.max_result_bytes
                    ))
                } else {
                    ToolOutput::ok(value, text)
                }
            }
        }
    }

    /// [`call`](Self::call) with the arguments as JSON text, the result as JSON text.
    pub async fn call_json(&self, name: &str, arguments: &str) -> (bool, String) {
        let args = if arguments.trim().is_empty() { Ok(Value::Null) } else { serde_json::from_str::<Value>(arguments) };
        let out = match args {
            Ok(v) => self.call(name, v).await,
            Err(e) => ToolOutput::error(format!("the arguments are not valid JSON: {e}")),
        };
        (out.is_error, out.into_text())
    }
}

// ---- paging for list tools ----

/// Default and largest `limit` of list tools.
pub(crate) const DEFAULT_LIMIT: u32 = 10;
pub(crate) const MAX_LIMIT: u32 = 50;

/// A `limit` argument checked against [`MAX_LIMIT`].
pub(crate) fn limit(n: Option<u32>) -> Result<u32, ToolError> {
    match n {
        None => Ok(DEFAULT_LIMIT),
        Some(0) => Err(ToolError::new("`limit` must be at least 1")),
        Some(n) if n > MAX_LIMIT => Err(ToolError::new(format!("`limit` must be at most {MAX_LIMIT}"))),
        Some(n) => Ok(n),
    }
}

/// The cursor of the next page: opaque to the model, bound to its tool.
pub(crate) fn encode_cursor(tool: &str, next_link: Option<String>) -> Option<String> {
    let link = next_link?;
    let raw = serde_json::to_vec(&json!({ "t": tool, "l": link })).ok()?;
    Some(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw))
}

fn decode_cursor(tool: &str, cursor: &str) -> Result<Continuation, ToolError> {
    let bad = || ToolError::new("`cursor` is not a cursor this tool returned; call it again without `cursor`");
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(cursor.trim()).map_err(|_| bad())?;
    let v: Value = serde_json::from_slice(&raw).map_err(|_| bad())?;
    match (v.get("t").and_then(Value::as_str), v.get("l").and_then(Value::as_str)) {
        (Some(t), Some(link)) if t == tool => Ok(Continuation::new(link, 0)),
        (Some(t), Some(_)) => Err(ToolError::new(format!(
            "`cursor` belongs to `{t}`, not `{tool}`; pass it to `{t}` or call `{tool}` without `cursor`"
        ))),
        _ => Err(bad()),
    }
}

/// A listing a tool can page through: core's list builder, or a service
/// crate's wrapper of it (OneNote's keeps its per-user request limit).
pub(crate) trait Pageable<T>: Sized + Send {
    fn first(self, limit: u32) -> Self;
    fn resume(self, at: Continuation) -> Self;
    fn fetch(self) -> BoxFuture<'static, msgraph_core::Result<Page<T>>>;
}

impl<T: DeserializeOwned + Send + 'static> Pageable<T> for ListBuilder<T> {
    fn first(self, limit: u32) -> Self {
        self.top(limit)
    }
    fn resume(self, at: Continuation) -> Self {
        self.resume_from(at)
    }
    fn fetch(self) -> BoxFuture<'static, msgraph_core::Result<Page<T>>> {
        Box::pin(self.send())
    }
}

impl<T: DeserializeOwned + Send + 'static> Pageable<T> for msgraph_onenote::OnenoteList<T> {
    fn first(self, limit: u32) -> Self {
        self.top(limit)
    }
    fn resume(self, at: Continuation) -> Self {
        self.resume_from(at)
    }
    fn fetch(self) -> BoxFuture<'static, msgraph_core::Result<Page<T>>> {
        Box::pin(self.send())
    }
}

/// One page of a listing: the first (with `limit`), or the one a cursor names.
pub(crate) async fn page<T, L: Pageable<T>>(
    ctx: &Ctx,
    list: L,
    limit: u32,
    cursor: Option<&str>,
    not_found: &str,
) -> Result<(Vec<T>, Option<String>), ToolError> {
    let list = match cursor {
        Some(c) if !c.trim().is_empty() => list.resume(decode_cursor(ctx.tool, c)?),
        _ => list.first(limit),
    };
    let Page { value, next_link, .. } = list.fetch().await.or_tool(not_found)?;
    Ok((value, encode_cursor(ctx.tool, next_link)))
}

// ---- trimming ----

/// At most `max` characters of `s`, with "…" when cut.
pub(crate) fn preview(s: &str, max: usize) -> String {
    let s = s.trim();
    match s.char_indices().nth(max) {
        None => s.to_owned(),
        Some((at, _)) => format!("{}…", &s[..at]),
    }
}

/// At most `max_chars` characters and `max_bytes` bytes of `s` (cut on a
/// character boundary), and whether it was cut.
pub(crate) fn cut(s: &str, max_chars: usize, max_bytes: usize) -> (String, bool) {
    let mut end = 0;
    for (n, (at, c)) in s.char_indices().enumerate() {
        if n >= max_chars || at + c.len_utf8() > max_bytes {
            return (s[..end].to_owned(), true);
        }
        end = at + c.len_utf8();
    }
    (s.to_owned(), false)
}

/// A body as plain text: HTML turned into text, then cut to `max` characters.
pub(crate) fn body_text(content_type_html: bool, content: &str, max: usize) -> String {
    if content_type_html { preview(&msgraph_onenote::page_text(content), max) } else { preview(content, max) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_are_bound_to_their_tool() {
        let c =
            encode_cursor("todo_list_tasks", Some("https://graph.microsoft.com/v1.0/x?$skiptoken=1".into())).unwrap();
        assert_eq!(
            decode_cursor("todo_list_tasks", &c).unwrap().link,
            "https://graph.microsoft.com/v1.0/x?$skiptoken=1"
        );
        let e = decode_cursor("mail_read_emails", &c).unwrap_err();
        assert!(e.message().contains("belongs to `todo_list_tasks`"), "{e}");
        assert!(decode_cursor("todo_list_tasks", "not a cursor!").is_err());
        assert!(encode_cursor("t", None).is_none());
    }

    #[test]
    fn previews_cut_on_characters() {
        assert_eq!(preview("  héllo wörld ", 5), "héllo…");
        assert_eq!(preview("short", 10), "short");
    }

    #[test]
    fn text_is_cut_on_characters_and_bytes() {
        assert_eq!(cut("héllo", 3, 100), ("hél".to_owned(), true));
        assert_eq!(cut("héllo", 10, 3), ("hé".to_owned(), true));
        assert_eq!(cut("hello", 10, 100), ("hello".to_owned(), false));
    }

    #[test]
    fn limits_are_checked() {
        assert_eq!(limit(None).unwrap(), DEFAULT_LIMIT);
        assert!(limit(Some(0)).is_err());
        assert!(limit(Some(MAX_LIMIT + 1)).is_err());
    }
}
