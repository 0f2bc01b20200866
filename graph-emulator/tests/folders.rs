//! Mail folders, master categories and mailbox settings over plain HTTP.

mod common;

use common::{T, assert_graph_error, seg};
use msgraph_emulator::demo;
use serde_json::json;

#[tokio::test]
async fn top_level_folders_child_folders_and_expand() {
    let t = T::start().await;
    let top = t.get("/me/mailFolders").await;
    assert_eq!(top.status, 200);
    let names: Vec<&str> =
        top.json["value"].as_array().unwrap().iter().map(|f| f["displayName"].as_str().unwrap()).collect();
    for n in ["Inbox", "Sent Items", "Drafts", "Deleted Items", "Archive", "Junk Email", "Receipts"] {
        assert!(names.contains(&n), "{n} in {names:?}");
    }
    let inbox = t.get("/me/mailFolders/inbox").await.json;
    assert_eq!(inbox["childFolderCount"], 2);
    let total = t.emu.messages(demo::USER_UPN, "inbox").unwrap();
    assert_eq!(inbox["totalItemCount"], total.len());
    assert_eq!(inbox["unreadItemCount"], total.iter().filter(|m| m["isRead"] == false).count());

    let kids = t.get("/me/mailFolders/inbox/childFolders").await;
    let kid_names: Vec<&str> =
        kids.json["value"].as_array().unwrap().iter().map(|f| f["displayName"].as_str().unwrap()).collect();
    assert_eq!(kid_names, ["Newsletters", "Projects"]);
    let projects = kids.json["value"].as_array().unwrap().iter().find(|f| f["displayName"] == "Projects").unwrap();
    assert_eq!(projects["parentFolderId"], inbox["id"]);
    let pid = seg(projects["id"].as_str().unwrap());

    // Nested childFolders paths, and $expand=childFolders (one level).
    let grand = t.get(&format!("/me/mailFolders/inbox/childFolders/{pid}/childFolders")).await;
    assert_eq!(grand.json["value"][0]["displayName"], "Contoso Launch");
    let expanded = t.get("/me/mailFolders?$expand=childFolders").await;
    let inbox_x = expanded.json["value"].as_array().unwrap().iter().find(|f| f["displayName"] == "Inbox").unwrap();
    assert_eq!(inbox_x["childFolders"].as_array().unwrap().len(), 2);
    let one = t.get("/me/mailFolders/inbox?$expand=childFolders&$select=displayName,childFolders").await;
    assert_eq!(one.json["childFolders"].as_array().unwrap().len(), 2);
    assert!(one.json.get("totalItemCount").is_none());

    // Messages of a child folder.
    let nl = kids.json["value"].as_array().unwrap().iter().find(|f| f["displayName"] == "Newsletters").unwrap();
    let msgs = t.get(&format!("/me/mailFolders/{}/messages", seg(nl["id"].as_str().unwrap()))).await;
    assert_eq!(msgs.json["value"].as_array().unwrap().len(), 3);

    // A child id under the wrong parent is not found.
    let wrong = t.get(&format!("/me/mailFolders/sentitems/childFolders/{pid}")).await;
    assert_graph_error(&wrong, 404, "ErrorItemNotFound");
    assert_graph_error(&t.get("/me/mailFolders/AAMkAGI2TG93AAAAAAAAAAAAAAAA=").await, 404, "ErrorItemNotFound");
}

#[tokio::test]
async fn create_rename_delete_folders() {
    let t = T::start().await;
    let created =
        t.post("/me/mailFolders/inbox/childFolders", json!({"displayName": "Clients", "isHidden": false})).await;
    assert_eq!(created.status, 201, "{}", created.json);
    assert_eq!(created.json["totalItemCount"], 0);
    let id = seg(created.json["id"].as_str().unwrap());

    let dup = t.post("/me/mailFolders/inbox/childFolders", json!({"displayName": "clients"})).await;
    assert_graph_error(&dup, 409, "ErrorFolderExists");
    let typo = t.post("/me/mailFolders", json!({"name": "x"})).await;
    assert_graph_error(&typo, 400, "RequestBodyRead");

    let renamed = t.patch(&format!("/me/mailFolders/{id}"), json!({"displayName": "Key clients"})).await;
    assert_eq!(renamed.json["displayName"], "Key clients");

    // Deleting moves the folder to Deleted Items; deleting it there removes it.
    assert_eq!(t.delete(&format!("/me/mailFolders/{id}")).await.status, 204);
    let deleted = t.get("/me/mailFolders/deleteditems/childFolders").await;
    assert_eq!(deleted.json["value"][0]["displayName"], "Key clients");
    assert_eq!(t.delete(&format!("/me/mailFolders/{id}")).await.status, 204);
    assert_graph_error(&t.get(&format!("/me/mailFolders/{id}")).await, 404, "ErrorItemNotFound");

    assert_graph_error(&t.delete("/me/mailFolders/inbox").await, 400, "ErrorDeleteDistinguishedFolder");

    let top = t.post("/me/mailFolders", json!({"displayName": "Top"})).await;
    assert_eq!(top.status, 201);
    let root =
        t.emu.folders(demo::USER_UPN).unwrap().into_iter().find(|f| f["wellKnownName"] == "msgfolderroot").unwrap();
    assert_eq!(top.json["parentFolderId"], root["id"]);
}

#[tokio::test]
async fn master_categories_crud() {
    let t = T::start().await;
    let list = t.get("/me/outlook/masterCategories").await;
    assert_eq!(list.status, 200);
    let cats = list.json["value"].as_array().unwrap();
    assert!(cats.iter().any(|c| c["displayName"] == "Red category" && c["color"] == "preset0"));
    assert!(cats.iter().all(|c| c["id"].as_str().unwrap().len() == 36));

    let made = t.post("/me/outlook/masterCategories", json!({"displayName": "Customers", "color": "Preset12"})).await;
    assert_eq!(made.status, 201);
    assert_eq!(made.json["color"], "preset12");
    let id = made.json["id"].as_str().unwrap();
    assert_graph_error(
        &t.post("/me/outlook/masterCategories", json!({"displayName": "customers"})).await,
        409,
        "ErrorDuplicateCategory",
    );
    assert_graph_error(
        &t.post("/me/outlook/masterCategories", json!({"displayName": "x", "color": "pink"})).await,
        400,
        "RequestBodyRead",
    );

    let recolored = t.patch(&format!("/me/outlook/masterCategories/{id}"), json!({"color": "preset3"})).await;
    assert_eq!(recolored.json["color"], "preset3");
    assert_graph_error(
        &t.patch(&format!("/me/outlook/masterCategories/{id}"), json!({"displayName": "y"})).await,
        400,
        "ErrorInvalidRequest",
    );
    assert_eq!(t.delete(&format!("/me/outlook/masterCategories/{id}")).await.status, 204);
    assert_graph_error(&t.get(&format!("/me/outlook/masterCategories/{id}")).await, 404, "ErrorItemNotFound");
}

#[tokio::test]
async fn mailbox_settings_get_and_patch() {
    let t = T::start().await;
    let s = t.get("/me/mailboxSettings").await;
    assert_eq!(s.status, 200);
    assert_eq!(s.json["timeZone"], "Pacific Standard Time");
    assert_eq!(s.json["workingHours"]["timeZone"]["name"], "Pacific Standard Time");
    assert_eq!(s.json["automaticRepliesSetting"]["status"], "disabled");

    let tz = t.get("/me/mailboxSettings/timeZone").await;
    assert_eq!(tz.json["value"], "Pacific Standard Time");
    let wh = t.get("/me/mailboxSettings/workingHours").await;
    assert_eq!(wh.json["startTime"], "08:00:00.0000000");

    let patched = t
        .patch(
            "/me/mailboxSettings",
            json!({"timeZone": "W. Europe Standard Time", "automaticRepliesSetting": {"status": "alwaysEnabled", "internalReplyMessage": "Away"}}),
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.json);
    assert_eq!(patched.json["timeZone"], "W. Europe Standard Time");
    assert_eq!(patched.json["automaticRepliesSetting"]["status"], "alwaysEnabled");
    assert!(patched.json.get("workingHours").is_none(), "PATCH answers with what changed");
    let after = t.emu.mailbox_settings(demo::USER_UPN).unwrap();
    assert_eq!(after["automaticRepliesSetting"]["externalAudience"], "all", "nested objects are merged");

    assert_graph_error(
        &t.patch("/me/mailboxSettings", json!({"userPurpose": "shared"})).await,
        400,
        "ErrorInvalidRequest",
    );
    assert_graph_error(&t.patch("/me/mailboxSettings", json!({"timezone": "UTC"})).await, 400, "RequestBodyRead");
    assert_graph_error(
        &t.patch("/me/mailboxSettings", json!({"timeZone": "Mars Time Zone Of Doom"})).await,
        400,
        "ErrorTimeZoneNotSupported",
    );
}
