//! [`EmulatorHandle`] methods for Microsoft To Do: what a user's lists and
//! tasks hold, and putting a task in place for a test.

use chrono::Utc;
use serde_json::Value;

use crate::context::lock;
use crate::state::calendar::OutZone;
use crate::state::ids::IdKind;
use crate::state::schema::check_body;
use crate::state::store::Store;
use crate::state::todo::{TASK_DATES, TASK_WRITABLE, TaskExpand, TaskRec, normalize_dttz, render_list, render_task};
use crate::{EmulatorHandle, Error, Result};

fn user_id(store: &Store, user: &str) -> Result<String> {
    store.user(user).map(|u| u.id.clone()).ok_or_else(|| Error::NotFound(format!("user {user}")))
}

/// The index of a list by id or display name (case-insensitive).
fn list_index(store: &mut Store, uid: &str, list: &str) -> Result<usize> {
    let todo = store.todo_mut(uid);
    todo.lists
        .iter()
        .position(|l| l.id == list)
        .or_else(|| todo.lists.iter().position(|l| l.display_name.eq_ignore_ascii_case(list)))
        .ok_or_else(|| Error::NotFound(format!("To Do list {list}")))
}

impl EmulatorHandle {
    /// A user's To Do lists (UPN, mail or id), as `GET /users/{id}/todo/lists`
    /// renders them. The built-in "Tasks" and "Flagged emails" always exist.
    pub fn todo_lists(&self, user: &str) -> Result<Vec<Value>> {
        let mut store = lock(&self.shared.store);
        let uid = user_id(&store, user)?;
        Ok(store.todo_mut(&uid).lists.iter().map(render_list).collect())
    }

    /// The tasks of a list (by id or display name), as Graph renders them
    /// (dates in UTC), with their checklist items and linked resources.
    pub fn todo_tasks(&self, user: &str, list: &str) -> Result<Vec<Value>> {
        let mut store = lock(&self.shared.store);
        let uid = user_id(&store, user)?;
        let i = list_index(&mut store, &uid, list)?;
        let expand = TaskExpand { checklist: true, links: true, attachments: true };
        Ok(store.todo_mut(&uid).lists[i].tasks.iter().map(|t| render_task(t, &OutZone::default(), expand)).collect())
    }

    /// Puts a task into a list (by id or display name) from Graph JSON
    /// (`title`, `status`, `importance`, `dueDateTime`, ...), as if another
    /// app had made it. Delta rounds and subscriptions see it as created.
    /// Returns its id.
    pub fn add_todo_task(&self, user: &str, list: &str, task: Value) -> Result<String> {
        let Value::Object(obj) = task else {
            return Err(Error::InvalidInput("a task must be a JSON object".into()));
        };
        let mut data = check_body(&obj, TASK_WRITABLE, "todoTask").map_err(|e| Error::InvalidInput(e.message))?;
        for key in TASK_DATES {
            if let Some(v) = data.get(*key).cloned() {
                let v = normalize_dttz(&v, key).map_err(|e| Error::InvalidInput(e.message))?;
                data.insert((*key).to_owned(), v);
            }
        }
        data.remove("linkedResources");
        data.remove("checklistItems");
        if data.get("title").and_then(Value::as_str).is_none_or(|t| t.trim().is_empty()) {
            return Err(Error::InvalidInput("a task needs a title".into()));
        }
        data.entry("importance").or_insert(Value::from("normal"));
        data.entry("isReminderOn").or_insert(Value::Bool(false));
        data.entry("status").or_insert(Value::from("notStarted"));
        data.entry("body").or_insert(serde_json::json!({"content": "", "contentType": "text"}));
        data.entry("categories").or_insert(serde_json::json!([]));
        let mut store = lock(&self.shared.store);
        let uid = user_id(&store, user)?;
        let i = list_index(&mut store, &uid, list)?;
        let now = Utc::now();
        let seq = store.next_seq();
        let id = store.todo.ids.next(IdKind::Message);
        let rec = TaskRec {
            id: id.clone(),
            data,
            created: now,
            modified: now,
            body_modified: now,
            checklist: Vec::new(),
            links: Vec::new(),
            attachments: Vec::new(),
            changed_seq: seq,
        };
        store.todo_mut(&uid).lists[i].tasks.push(rec);
        Ok(id)
    }
}
