//! [`Tasks`]: the tasks of one list, and their checklist items, linked
//! resources and attachments.

use base64::Engine as _;
use bytes::Bytes;
use futures::TryStreamExt as _;
use msgraph_core::delta::DeltaSync;
use msgraph_core::odata::filter_literal;
use msgraph_core::upload::{LargeUpload, SliceRules, UploadSession, UploadSource};
use msgraph_core::{
    Action, Error, GetBuilder, GraphClient, GraphPath, ListBuilder, Request, Response, Result, WithOptions,
};
use serde_json::json;

use crate::{ChecklistItem, LinkedResource, NewTask, TaskFileAttachment, TaskPatch, TaskStatus, TodoTask};

/// Filters a task listing by status. Implemented for the
/// `ListBuilder<TodoTask>` of [`Tasks::list`]; the facade's prelude imports it.
pub trait TaskQuery: Sized {
    /// Only tasks in this status (`$filter=status eq '...'`). A status this
    /// SDK does not know (`TaskStatus::from("done")`) makes the listing an
    /// `InvalidInput` that sends nothing.
    fn status(self, status: TaskStatus) -> Self;

    /// Only tasks not completed yet (`$filter=status ne 'completed'`).
    fn incomplete(self) -> Self;
}

fn and_filter(list: ListBuilder<TodoTask>, clause: String) -> ListBuilder<TodoTask> {
    let combined = match &list.query_options().filter {
        Some(existing) if !existing.trim().is_empty() => format!("({existing}) and {clause}"),
        _ => clause,
    };
    list.filter(combined)
}

impl TaskQuery for ListBuilder<TodoTask> {
    fn status(self, status: TaskStatus) -> Self {
        let list = and_filter(self, format!("status eq {}", filter_literal(status.as_str())));
        match status.unknown_message() {
            Some(m) => list.invalid_input(m),
            None => list,
        }
    }

    fn incomplete(self) -> Self {
        and_filter(self, format!("status ne {}", filter_literal(TaskStatus::Completed.as_str())))
    }
}

/// The tasks of one list. Get it from [`Todo::tasks`](crate::Todo::tasks).
///
/// Permissions: delegated `Tasks.Read` / `Tasks.ReadWrite`, application
/// `Tasks.Read.All` / `Tasks.ReadWrite.All`.
///
/// ```no_run
/// use msgraph_todo::{TaskQuery, TodoExt};
/// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
/// let todo = client.me().todo();
/// let list = todo.default_list().await?;
/// let open = todo.tasks(list.id.unwrap_or_default()).list().incomplete().top(20).send().await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Tasks {
    client: GraphClient,
    /// `.../lists/{id}/tasks`
    path: GraphPath,
}

/// A task written with its own zone is answered in that zone
/// (`Prefer: outlook.timezone`), so the dates that come back are the ones set.
fn answer_in(action: Action<TodoTask>, zone: Option<&str>) -> Action<TodoTask> {
    match zone {
        Some(zone) => action.timezone(zone),
        None => action,
    }
}

impl Tasks {
    pub(crate) fn new(client: GraphClient, path: GraphPath) -> Self {
        Tasks { client, path }
    }

    fn item(&self, id: impl Into<String>) -> GraphPath {
        self.path.clone().id(id)
    }

    fn default_zone(&self) -> String {
        self.client.default_preferences().timezone.clone().unwrap_or_else(|| "UTC".to_owned())
    }

    /// The tasks (filter by status with [`TaskQuery`]; `$orderby`, `$top`, paging from core).
    ///
    /// `GET /me/todo/lists/{id}/tasks` · [List tasks](https://learn.microsoft.com/graph/api/todotasklist-list-tasks) ·
    /// permissions: delegated `Tasks.Read`, application `Tasks.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_todo::{TaskQuery, TaskStatus, TodoExt};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let waiting = client.me().todo().tasks("AAMkADIyAAAAABrJAAA=").list()
    ///     .status(TaskStatus::WaitingOnOthers)
    ///     .order_by("dueDateTime/dateTime")
    ///     .send().await?;
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> ListBuilder<TodoTask> {
        ListBuilder::new(self.client.clone(), self.path.clone())
    }

    /// One task.
    ///
    /// `GET /me/todo/lists/{id}/tasks/{id}` · [Get task](https://learn.microsoft.com/graph/api/todotask-get) ·
    /// permissions: delegated `Tasks.Read`, application `Tasks.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_todo::TodoExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let t = client.me().todo().tasks("LIST").get("TASK").await?;
    /// # Ok(()) }
    /// ```
    pub fn get(&self, id: impl Into<String>) -> GetBuilder<TodoTask> {
        GetBuilder::new(self.client.clone(), self.item(id))
    }

    /// Creates a task: title, notes, due date, importance, reminder,
    /// categories, recurrence, links. Dates go in the task's zone (the
    /// client's default time zone, else UTC, unless the task names one).
    ///
    /// `POST /me/todo/lists/{id}/tasks` · [Create task](https://learn.microsoft.com/graph/api/todotasklist-post-tasks) ·
    /// permissions: delegated `Tasks.ReadWrite`, application `Tasks.ReadWrite.All`.
    ///
    /// ```no_run
    /// use chrono::{Days, Local};
    /// use msgraph_core::models::Importance;
    /// use msgraph_todo::{NewTask, TodoExt};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let tomorrow = Local::now().date_naive() + Days::new(1);
    /// let task = client.me().todo().tasks("AAMkADIyAAAAABrJAAA=").create(
    ///     NewTask::new("Buy groceries").due(tomorrow).importance(Importance::High).time_zone("Europe/Paris"),
    /// ).await?;
    /// # Ok(()) }
    /// ```
    pub fn create(&self, task: NewTask) -> Action<TodoTask> {
        let request = task.wire(&self.default_zone()).and_then(|body| Request::post(self.path.clone()).json(&body));
        answer_in(Action::json(self.client.clone(), request), task.zone())
    }

    /// Changes only what the patch sets.
    ///
    /// `PATCH /me/todo/lists/{id}/tasks/{id}` · [Update task](https://learn.microsoft.com/graph/api/todotask-update) ·
    /// permissions: delegated `Tasks.ReadWrite`, application `Tasks.ReadWrite.All`.
    ///
    /// ```no_run
    /// use chrono::NaiveDate;
    /// use msgraph_todo::{TaskPatch, TodoExt};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let due = NaiveDate::from_ymd_opt(2026, 12, 24).unwrap();
    /// client.me().todo().tasks("LIST").update("TASK", TaskPatch::new().due(due).time_zone("Eastern Standard Time")).await?;
    /// # Ok(()) }
    /// ```
    pub fn update(&self, id: impl Into<String>, patch: TaskPatch) -> Action<TodoTask> {
        let path = self.item(id);
        let request = patch.wire(&self.default_zone()).and_then(|body| Request::patch(path).json(&body));
        answer_in(Action::json(self.client.clone(), request), patch.zone())
    }

    /// Marks a task completed (`status: completed`).
    ///
    /// `PATCH /me/todo/lists/{id}/tasks/{id}` · [Update task](https://learn.microsoft.com/graph/api/todotask-update) ·
    /// permissions: delegated `Tasks.ReadWrite`, application `Tasks.ReadWrite.All`.
    ///
    /// ```no_run
    /// use msgraph_todo::TodoExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().todo().tasks("LIST").complete("TASK").await?;
    /// # Ok(()) }
    /// ```
    pub fn complete(&self, id: impl Into<String>) -> Action<TodoTask> {
        self.update(id, TaskPatch::new().status(TaskStatus::Completed))
    }

    /// Deletes a task.
    ///
    /// `DELETE /me/todo/lists/{id}/tasks/{id}` · [Delete task](https://learn.microsoft.com/graph/api/todotask-delete) ·
    /// permissions: delegated `Tasks.ReadWrite`, application `Tasks.ReadWrite.All`.
    ///
    /// ```no_run
    /// use msgraph_todo::TodoExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().todo().tasks("LIST").delete("TASK").await?;
    /// # Ok(()) }
    /// ```
    pub fn delete(&self, id: impl Into<String>) -> Action<()> {
        Action::empty(self.client.clone(), Ok(Request::delete(self.item(id))))
    }

    /// The tasks whose title is `title`, ignoring case and surrounding spaces
    /// (every page is read; the comparison runs here, as Graph's `$filter`
    /// on titles is exact).
    ///
    /// `GET /me/todo/lists/{id}/tasks` · [List tasks](https://learn.microsoft.com/graph/api/todotasklist-list-tasks) ·
    /// permissions: delegated `Tasks.Read`, application `Tasks.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_todo::TodoExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let found = client.me().todo().tasks("LIST").find("buy groceries").await?;
    /// # Ok(()) }
    /// ```
    pub async fn find(&self, title: &str) -> Result<Vec<TodoTask>> {
        let want = title.trim().to_lowercase();
        if want.is_empty() {
            return Err(Error::invalid_input("a task title must not be empty"));
        }
        self.list()
            .stream()
            .try_filter(|t| futures::future::ready(t.title.as_deref().is_some_and(|n| n.trim().to_lowercase() == want)))
            .try_collect()
            .await
    }

    /// What changed in this list since the last committed round. A task
    /// moved to another list comes out as removed here (and new there, with
    /// a new id).
    ///
    /// `GET /me/todo/lists/{id}/tasks/delta` · [Task delta](https://learn.microsoft.com/graph/api/todotask-delta) ·
    /// permissions: delegated `Tasks.Read`, application `Tasks.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_todo::TodoExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let round = client.me().todo().tasks("LIST").delta().run().await?;
    /// for t in round.upserted() { println!("{:?}", t.title); }
    /// round.commit().await?;
    /// # Ok(()) }
    /// ```
    pub fn delta(&self) -> DeltaSync<TodoTask> {
        DeltaSync::new(self.client.clone(), self.path.clone().push("delta"))
    }

    /// The checklist (sub-steps) of a task.
    pub fn checklist(&self, task_id: impl Into<String>) -> Checklist {
        Checklist { client: self.client.clone(), path: self.item(task_id).push("checklistItems") }
    }

    /// The links of a task back to where it came from.
    pub fn linked_resources(&self, task_id: impl Into<String>) -> LinkedResources {
        LinkedResources { client: self.client.clone(), path: self.item(task_id).push("linkedResources") }
    }

    /// The file attachments of a task.
    pub fn attachments(&self, task_id: impl Into<String>) -> TaskAttachments {
        TaskAttachments { client: self.client.clone(), path: self.item(task_id).push("attachments") }
    }
}

/// The checklist items of a task; see [`Tasks::checklist`].
#[derive(Debug, Clone)]
pub struct Checklist {
    client: GraphClient,
    path: GraphPath,
}

impl Checklist {
    /// The items.
    ///
    /// `GET .../tasks/{id}/checklistItems` · [List checklist items](https://learn.microsoft.com/graph/api/todotask-list-checklistitems) ·
    /// permissions: delegated `Tasks.Read`, application `Tasks.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_todo::TodoExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let steps = client.me().todo().tasks("LIST").checklist("TASK").list().send().await?;
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> ListBuilder<ChecklistItem> {
        ListBuilder::new(self.client.clone(), self.path.clone())
    }

    /// Adds an item.
    ///
    /// `POST .../tasks/{id}/checklistItems` · [Create checklist item](https://learn.microsoft.com/graph/api/todotask-post-checklistitems) ·
    /// permissions: delegated `Tasks.ReadWrite`, application `Tasks.ReadWrite.All`.
    ///
    /// ```no_run
    /// use msgraph_todo::TodoExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().todo().tasks("LIST").checklist("TASK").add("Milk").await?;
    /// # Ok(()) }
    /// ```
    pub fn add(&self, display_name: impl Into<String>) -> Action<ChecklistItem> {
        let name = display_name.into();
        let request = if name.trim().is_empty() {
            Err(Error::invalid_input("a checklist item needs a name"))
        } else {
            Request::post(self.path.clone()).json(&json!({ "displayName": name }))
        };
        Action::json(self.client.clone(), request)
    }

    fn patch(&self, id: impl Into<String>, body: serde_json::Value) -> Action<ChecklistItem> {
        Action::json(self.client.clone(), Request::patch(self.path.clone().id(id)).json(&body))
    }

    /// Ticks an item.
    ///
    /// `PATCH .../checklistItems/{id}` · [Update checklist item](https://learn.microsoft.com/graph/api/checklistitem-update) ·
    /// permissions: delegated `Tasks.ReadWrite`, application `Tasks.ReadWrite.All`.
    ///
    /// ```no_run
    /// use msgraph_todo::TodoExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().todo().tasks("LIST").checklist("TASK").check("ITEM").await?;
    /// # Ok(()) }
    /// ```
    pub fn check(&self, id: impl Into<String>) -> Action<ChecklistItem> {
        self.patch(id, json!({ "isChecked": true }))
    }

    /// Unticks an item (`isChecked: false`).
    ///
    /// `PATCH .../checklistItems/{id}` · [Update checklist item](https://learn.microsoft.com/graph/api/checklistitem-update) ·
    /// permissions: delegated `Tasks.ReadWrite`, application `Tasks.ReadWrite.All`.
    ///
    /// ```no_run
    /// use msgraph_todo::TodoExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().todo().tasks("LIST").checklist("TASK").uncheck("ITEM").await?;
    /// # Ok(()) }
    /// ```
    pub fn uncheck(&self, id: impl Into<String>) -> Action<ChecklistItem> {
        self.patch(id, json!({ "isChecked": false }))
    }

    /// Renames an item (an empty name is an `InvalidInput` before sending).
    ///
    /// `PATCH .../checklistItems/{id}` · [Update checklist item](https://learn.microsoft.com/graph/api/checklistitem-update) ·
    /// permissions: delegated `Tasks.ReadWrite`, application `Tasks.ReadWrite.All`.
    ///
    /// ```no_run
    /// use msgraph_todo::TodoExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().todo().tasks("LIST").checklist("TASK").rename("ITEM", "Oat milk").await?;
    /// # Ok(()) }
    /// ```
    pub fn rename(&self, id: impl Into<String>, display_name: impl Into<String>) -> Action<ChecklistItem> {
        let name = display_name.into();
        if name.trim().is_empty() {
            return Action::json(self.client.clone(), Err(Error::invalid_input("a checklist item needs a name")));
        }
        self.patch(id, json!({ "displayName": name }))
    }

    /// Deletes an item.
    ///
    /// `DELETE .../checklistItems/{id}` · [Delete checklist item](https://learn.microsoft.com/graph/api/checklistitem-delete) ·
    /// permissions: delegated `Tasks.ReadWrite`, application `Tasks.ReadWrite.All`.
    pub fn delete(&self, id: impl Into<String>) -> Action<()> {
        Action::empty(self.client.clone(), Ok(Request::delete(self.path.clone().id(id))))
    }
}

/// The linked resources of a task; see [`Tasks::linked_resources`].
#[derive(Debug, Clone)]
pub struct LinkedResources {
    client: GraphClient,
    path: GraphPath,
}

impl LinkedResources {
    /// The links.
    ///
    /// `GET .../tasks/{id}/linkedResources` · [List linked resources](https://learn.microsoft.com/graph/api/todotask-list-linkedresources) ·
    /// permissions: delegated `Tasks.Read`, application `Tasks.Read.All`.
    pub fn list(&self) -> ListBuilder<LinkedResource> {
        ListBuilder::new(self.client.clone(), self.path.clone())
    }

    /// Adds a link.
    ///
    /// `POST .../tasks/{id}/linkedResources` · [Create linked resource](https://learn.microsoft.com/graph/api/todotask-post-linkedresources) ·
    /// permissions: delegated `Tasks.ReadWrite`, application `Tasks.ReadWrite.All`.
    ///
    /// ```no_run
    /// use msgraph_todo::{LinkedResource, TodoExt};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().todo().tasks("LIST").linked_resources("TASK")
    ///     .add(LinkedResource::new("https://outlook.office.com/mail/id/AAMk", "Outlook", "Mail from Ada"))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn add(&self, link: LinkedResource) -> Action<LinkedResource> {
        let request = if link.web_url.as_deref().is_none_or(|u| u.trim().is_empty())
            && link.external_id.as_deref().is_none_or(|u| u.trim().is_empty())
        {
            Err(Error::invalid_input("a linked resource needs a webUrl or an externalId"))
        } else {
            Request::post(self.path.clone()).json(&link)
        };
        Action::json(self.client.clone(), request)
    }

    /// Deletes a link.
    ///
    /// `DELETE .../linkedResources/{id}` · [Delete linked resource](https://learn.microsoft.com/graph/api/linkedresource-delete) ·
    /// permissions: delegated `Tasks.ReadWrite`, application `Tasks.ReadWrite.All`.
    pub fn delete(&self, id: impl Into<String>) -> Action<()> {
        Action::empty(self.client.clone(), Ok(Request::delete(self.path.clone().id(id))))
    }
}

/// The file attachments of a task; see [`Tasks::attachments`].
#[derive(Debug, Clone)]
pub struct TaskAttachments {
    client: GraphClient,
    path: GraphPath,
}

/// Files under this size go inline (base64) with [`TaskAttachments::add`];
/// larger ones (up to [`MAX_TASK_ATTACHMENT`]) through [`TaskAttachments::add_large`].
pub const MAX_INLINE_TASK_ATTACHMENT: usize = 3 * 1024 * 1024;

/// The largest file To Do takes as an attachment, 25 MB
/// ([attach files to a To Do task](https://learn.microsoft.com/graph/todo-attachments));
/// [`TaskAttachments::add_large`] refuses a larger one before sending.
pub const MAX_TASK_ATTACHMENT: u64 = 25 * 1024 * 1024;

impl TaskAttachments {
    /// The attachments.
    ///
    /// `GET .../tasks/{id}/attachments` · [List attachments](https://learn.microsoft.com/graph/api/todotask-list-attachments) ·
    /// permissions: delegated `Tasks.Read`, application `Tasks.Read.All`.
    pub fn list(&self) -> ListBuilder<TaskFileAttachment> {
        ListBuilder::new(self.client.clone(), self.path.clone())
    }

    /// Adds a small file (under 3 MB), base64 in one request.
    ///
    /// `POST .../tasks/{id}/attachments` · [Add attachment](https://learn.microsoft.com/graph/api/todotask-post-attachments) ·
    /// permissions: delegated `Tasks.ReadWrite`, application `Tasks.ReadWrite.All`.
    ///
    /// ```no_run
    /// use msgraph_todo::TodoExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().todo().tasks("LIST").attachments("TASK").add("list.txt", "text/plain", b"milk, eggs".to_vec()).await?;
    /// # Ok(()) }
    /// ```
    pub fn add(
        &self,
        name: impl Into<String>,
        content_type: impl Into<String>,
        content: impl Into<Bytes>,
    ) -> Action<TaskFileAttachment> {
        let (name, content) = (name.into(), content.into());
        let request = if name.trim().is_empty() {
            Err(Error::invalid_input("an attachment needs a name"))
        } else if content.len() >= MAX_INLINE_TASK_ATTACHMENT {
            Err(Error::invalid_input(format!(
                "attachment {name:?} is {} bytes; files of 3 MB or more need add_large (an upload session)",
                content.len()
            )))
        } else {
            Request::post(self.path.clone()).json(&json!({
                "@odata.type": "#microsoft.graph.taskFileAttachment",
                "name": name,
                "contentType": content_type.into(),
                "contentBytes": base64::engine::general_purpose::STANDARD.encode(&content),
            }))
        };
        Action::json(self.client.clone(), request)
    }

    /// Adds a large file (3 to 25 MB) through an upload session: slices of
    /// up to 4 MiB `PUT` to the session's `{uploadUrl}/content` with the
    /// token (To Do's upload URL is a Graph resource, not a pre-authenticated
    /// link: [attach files to a To Do task](https://learn.microsoft.com/graph/todo-attachments)),
    /// resuming from the server's ranges. Answers the `Location` of the new attachment.
    ///
    /// `POST .../tasks/{id}/attachments/createUploadSession` · [Create upload session](https://learn.microsoft.com/graph/api/taskfileattachment-createuploadsession) ·
    /// permissions: delegated `Tasks.ReadWrite`, application `Tasks.ReadWrite.All`.
    ///
    /// ```no_run
    /// use msgraph_todo::TodoExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().todo().tasks("LIST").attachments("TASK").add_large("scan.pdf", "scans/big.pdf").await?;
    /// # Ok(()) }
    /// ```
    pub async fn add_large(&self, name: &str, source: impl Into<UploadSource>) -> Result<Option<String>> {
        if name.trim().is_empty() {
            return Err(Error::invalid_input("an attachment needs a name"));
        }
        let mut source = source.into();
        let size = source.len().await?;
        if size > MAX_TASK_ATTACHMENT {
            return Err(Error::invalid_input(format!(
                "attachment {name:?} is {size} bytes; To Do takes files up to 25 MB ({MAX_TASK_ATTACHMENT} bytes)"
            )));
        }
        let create = Request::post(self.path.clone().push("createUploadSession"))
            .json(&json!({ "attachmentInfo": { "attachmentType": "file", "name": name, "size": size } }));
        let session: UploadSession = Action::json(self.client.clone(), create).send().await?;
        let done = LargeUpload::<serde_json::Value>::new(self.client.clone(), session, source)
            .rules(SliceRules::TODO)
            .expected_size(size)
            .send()
            .await?;
        Ok(done.location)
    }

    /// Downloads an attachment's content.
    ///
    /// `GET .../attachments/{id}/$value` · [Get attachment](https://learn.microsoft.com/graph/api/taskfileattachment-get) ·
    /// permissions: delegated `Tasks.Read`, application `Tasks.Read.All`.
    pub fn download(&self, id: impl Into<String>) -> Action<Bytes> {
        let path = self.path.clone().id(id).push("$value");
        Action::with_decoder(self.client.clone(), Ok(Request::get(path)), |r: Response| Ok(r.into_body()))
    }

    /// Deletes an attachment.
    ///
    /// `DELETE .../attachments/{id}` · [Delete attachment](https://learn.microsoft.com/graph/api/taskfileattachment-delete) ·
    /// permissions: delegated `Tasks.ReadWrite`, application `Tasks.ReadWrite.All`.
    pub fn delete(&self, id: impl Into<String>) -> Action<()> {
        Action::empty(self.client.clone(), Ok(Request::delete(self.path.clone().id(id))))
    }
}
