//! [`Todo`]: the user's task lists.

use futures::TryStreamExt as _;
use msgraph_core::delta::DeltaSync;
use msgraph_core::odata::filter_literal;
use msgraph_core::{Action, Error, GetBuilder, GraphClient, GraphPath, ListBuilder, Request, Result};
use serde_json::json;

use crate::{NewTaskList, Tasks, TodoTaskList, WellknownListName};

/// A task list by id, or a list you already have (then the SDK knows
/// whether it is a built-in list).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ListRef {
    id: String,
    built_in: Option<WellknownListName>,
}

impl From<&str> for ListRef {
    fn from(id: &str) -> Self {
        ListRef { id: id.to_owned(), built_in: None }
    }
}

impl From<String> for ListRef {
    fn from(id: String) -> Self {
        ListRef { id, built_in: None }
    }
}

impl From<&TodoTaskList> for ListRef {
    fn from(list: &TodoTaskList) -> Self {
        ListRef {
            id: list.id.clone().unwrap_or_default(),
            built_in: list.is_built_in().then(|| list.wellknown_list_name.clone()).flatten(),
        }
    }
}

/// The user's Microsoft To Do. Get it from [`TodoExt::todo`](crate::TodoExt::todo).
///
/// Every operation needs `Tasks.Read` (reads) or `Tasks.ReadWrite`
/// (delegated; application: `Tasks.Read.All` / `Tasks.ReadWrite.All`).
///
/// ```no_run
/// use msgraph_todo::TodoExt;
/// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
/// for list in client.me().todo().lists().send().await?.value {
///     println!("{:?}", list.display_name);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Todo {
    client: GraphClient,
    /// `{user}/todo`
    root: GraphPath,
}

impl Todo {
    pub(crate) fn new(client: GraphClient, root: GraphPath) -> Self {
        Todo { client, root }
    }

    fn lists_path(&self) -> GraphPath {
        self.root.clone().push("lists")
    }

    /// The task lists.
    ///
    /// `GET /me/todo/lists` · [List lists](https://learn.microsoft.com/graph/api/todo-list-lists) ·
    /// permissions: delegated `Tasks.Read`, application `Tasks.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_todo::TodoExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let lists = client.me().todo().lists().send().await?;
    /// # Ok(()) }
    /// ```
    pub fn lists(&self) -> ListBuilder<TodoTaskList> {
        ListBuilder::new(self.client.clone(), self.lists_path())
    }

    /// One list.
    ///
    /// `GET /me/todo/lists/{id}` · [Get list](https://learn.microsoft.com/graph/api/todotasklist-get) ·
    /// permissions: delegated `Tasks.Read`, application `Tasks.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_todo::TodoExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let list = client.me().todo().list("AAMkADIyAAAAABrJAAA=").await?;
    /// # Ok(()) }
    /// ```
    pub fn list(&self, id: impl Into<String>) -> GetBuilder<TodoTaskList> {
        GetBuilder::new(self.client.clone(), self.lists_path().id(id))
    }

    /// Creates a list (an empty name is an `InvalidInput` before sending).
    ///
    /// `POST /me/todo/lists` · [Create list](https://learn.microsoft.com/graph/api/todo-post-lists) ·
    /// permissions: delegated `Tasks.ReadWrite`, application `Tasks.ReadWrite.All`.
    ///
    /// ```no_run
    /// use msgraph_todo::TodoExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let list = client.me().todo().create_list("Groceries").await?;
    /// # Ok(()) }
    /// ```
    pub fn create_list(&self, list: impl Into<NewTaskList>) -> Action<TodoTaskList> {
        let list = list.into();
        let request = list.checked().and_then(|l| Request::post(self.lists_path()).json(l));
        Action::json(self.client.clone(), request)
    }

    /// Renames a list. A built-in list ("Tasks", "Flagged emails") cannot
    /// be renamed: given as a [`TodoTaskList`], that is an `InvalidInput`
    /// before sending; given by id, Graph's error.
    ///
    /// `PATCH /me/todo/lists/{id}` · [Update list](https://learn.microsoft.com/graph/api/todotasklist-update) ·
    /// permissions: delegated `Tasks.ReadWrite`, application `Tasks.ReadWrite.All`.
    ///
    /// ```no_run
    /// use msgraph_todo::TodoExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().todo().rename_list("AAMkADIyAAAEFTTrJAAA=", "Monthly chores").await?;
    /// # Ok(()) }
    /// ```
    pub fn rename_list(&self, list: impl Into<ListRef>, display_name: impl Into<String>) -> Action<TodoTaskList> {
        let list = list.into();
        let name = display_name.into();
        let request = not_built_in(&list, "renamed")
            .and_then(|()| non_empty(&name, "a list name"))
            .and_then(|()| Request::patch(self.lists_path().id(list.id.clone())).json(&json!({ "displayName": name })));
        Action::json(self.client.clone(), request)
    }

    /// Deletes a list and its tasks. Built-in lists as with [`rename_list`](Self::rename_list).
    ///
    /// `DELETE /me/todo/lists/{id}` · [Delete list](https://learn.microsoft.com/graph/api/todotasklist-delete) ·
    /// permissions: delegated `Tasks.ReadWrite`, application `Tasks.ReadWrite.All`.
    ///
    /// ```no_run
    /// use msgraph_todo::TodoExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().todo().delete_list("AAMkADIyAAAEFTTrJAAA=").await?;
    /// # Ok(()) }
    /// ```
    pub fn delete_list(&self, list: impl Into<ListRef>) -> Action<()> {
        let list = list.into();
        let request = not_built_in(&list, "deleted").map(|()| Request::delete(self.lists_path().id(list.id.clone())));
        Action::empty(self.client.clone(), request)
    }

    /// The list named `display_name`, ignoring case: `Ok(None)` when there
    /// is none; two or more are an [`Error::InvalidInput`] naming their ids.
    ///
    /// `GET /me/todo/lists` (every page) · [List lists](https://learn.microsoft.com/graph/api/todo-list-lists) ·
    /// permissions: delegated `Tasks.Read`, application `Tasks.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_todo::TodoExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// if let Some(list) = client.me().todo().find_list("groceries").await? {
    ///     println!("{:?}", list.id);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn find_list(&self, display_name: &str) -> Result<Option<TodoTaskList>> {
        let want = display_name.trim();
        non_empty(want, "a list name")?;
        let mut found: Vec<TodoTaskList> = self
            .lists()
            .stream()
            .try_filter(|l| {
                futures::future::ready(l.display_name.as_deref().is_some_and(|n| n.trim().eq_ignore_ascii_case(want)))
            })
            .try_collect()
            .await?;
        match found.len() {
            0 => Ok(None),
            1 => Ok(found.pop()),
            _ => Err(Error::invalid_input(format!(
                "{} lists are called {want:?}: {}",
                found.len(),
                found
                    .iter()
                    .map(|l| format!("{:?}", l.id.as_deref().unwrap_or_default()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }

    /// The default list ("Tasks"): `wellknownListName eq 'defaultList'`.
    ///
    /// `GET /me/todo/lists?$filter=wellknownListName eq 'defaultList'` · [List lists](https://learn.microsoft.com/graph/api/todo-list-lists) ·
    /// permissions: delegated `Tasks.Read`, application `Tasks.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_todo::TodoExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let tasks = client.me().todo().default_list().await?;
    /// # Ok(()) }
    /// ```
    pub async fn default_list(&self) -> Result<TodoTaskList> {
        let page =
            self.lists().filter(format!("wellknownListName eq {}", filter_literal("defaultList"))).send().await?;
        page.value.into_iter().next().ok_or_else(|| Error::Paging("Graph listed no default To Do list".into()))
    }

    /// The tasks of a list.
    pub fn tasks(&self, list_id: impl Into<String>) -> Tasks {
        Tasks::new(self.client.clone(), self.lists_path().id(list_id).push("tasks"))
    }

    /// What changed in the lists since the last committed round (core's delta sync).
    ///
    /// `GET /me/todo/lists/delta` · [List delta](https://learn.microsoft.com/graph/api/todotasklist-delta) ·
    /// permissions: delegated `Tasks.Read`, application `Tasks.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_todo::TodoExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let round = client.me().todo().lists_delta().run().await?;
    /// round.commit().await?;
    /// # Ok(()) }
    /// ```
    pub fn lists_delta(&self) -> DeltaSync<TodoTaskList> {
        DeltaSync::new(self.client.clone(), self.lists_path().push("delta"))
    }
}

fn non_empty(s: &str, what: &str) -> Result<()> {
    if s.trim().is_empty() { Err(Error::invalid_input(format!("{what} must not be empty"))) } else { Ok(()) }
}

fn not_built_in(list: &ListRef, verb: &str) -> Result<()> {
    match &list.built_in {
        Some(name) => Err(Error::invalid_input(format!("the built-in list {name} cannot be {verb}"))),
        None => Ok(()),
    }
}
