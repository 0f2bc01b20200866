//! The emulator's layering, checked on its sources: `src/state` (the data
//! and the logic that changes it) is below the shared context
//! (`src/context.rs`), the HTTP handlers (`src/routes`, with `Req` and
//! `Reply`), the server (`src/server.rs`, the axum wiring) and change
//! notification delivery (`src/notify.rs`), so no file under `src/state`
//! may name any of them; and the handlers are below the server, so no file
//! under `src/routes` may name `crate::server`; the `EmulatorHandle` method
//! modules use state and the context, neither routes nor the server.

use std::path::{Path, PathBuf};

const ABOVE_STATE: &[&str] = &["routes", "server", "context", "notify"];

/// Which of `above` `src` names outside `//` comments: `crate::x`,
/// `super::super::x`, or `x` first in an item of a `crate::{...}` group.
fn names_of(src: &str, above: &[&str]) -> Vec<String> {
    let code: String = src.lines().map(|l| l.find("//").map_or(l, |i| &l[..i])).collect::<Vec<_>>().join("\n");
    let flat: String = code.split_whitespace().collect();
    let mut found = Vec::new();
    for m in above {
        for prefix in ["crate::", "super::super::"] {
            if flat.contains(&format!("{prefix}{m}")) {
                found.push(format!("{prefix}{m}"));
            }
        }
    }
    let mut rest = flat.as_str();
    while let Some(i) = rest.find("crate::{") {
        rest = &rest[i + "crate::{".len()..];
        let group = &rest[..rest.find('}').unwrap_or(rest.len())];
        for item in group.split(',') {
            let head = item.split("::").next().unwrap_or_default();
            if above.contains(&head) {
                found.push(format!("crate::{{{head}}}"));
            }
        }
    }
    found
}

fn names_above_state(src: &str) -> Vec<String> {
    names_of(src, ABOVE_STATE)
}

/// Every `.rs` file under `src/{dir}` (recursively), read.
fn sources(dir: &str) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut todo = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir)];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let src = std::fs::read_to_string(&path).unwrap();
                out.push((path, src));
            }
        }
    }
    out
}

fn file_names(files: &[(PathBuf, String)]) -> Vec<String> {
    files.iter().map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned()).collect()
}

#[test]
fn the_check_sees_every_form() {
    assert_eq!(names_above_state("use crate::routes::{Reply, Req};"), ["crate::routes"]);
    assert_eq!(names_above_state("let g = crate::server::\n    lock(&m);"), ["crate::server"]);
    assert_eq!(names_above_state("use crate::{context::Shared, errors::GraphError};"), ["crate::{context}"]);
    assert_eq!(names_above_state("use super::super::routes::split_path;"), ["super::super::routes"]);
    assert!(names_above_state("use crate::state::path::split_path; // not crate::routes").is_empty());
}

#[test]
fn no_state_module_imports_routes_server_or_the_shared_context() {
    let files = sources("state");
    for (path, src) in &files {
        let found = names_above_state(src);
        assert!(found.is_empty(), "{} names {found:?}", path.display());
    }
    let names = file_names(&files);
    for must in ["mod.rs", "delta.rs", "path.rs", "subscriptions.rs", "store.rs"] {
        assert!(names.iter().any(|f| f == must), "no src/state/{must}");
    }
}

#[test]
fn no_route_module_imports_the_server() {
    let files = sources("routes");
    for (path, src) in &files {
        let found = names_of(src, &["server"]);
        assert!(found.is_empty(), "{} names {found:?}", path.display());
    }
    let names = file_names(&files);
    for must in ["mod.rs", "delta.rs", "response.rs", "subscriptions.rs", "mail.rs"] {
        assert!(names.iter().any(|f| f == must), "no src/routes/{must}");
    }
}

#[test]
fn handle_modules_use_state_and_the_context_not_routes_or_server() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for file in ["drive_handle.rs", "onenote_handle.rs", "todo_handle.rs", "notify.rs"] {
        let src = std::fs::read_to_string(dir.join(file)).unwrap();
        let found = names_of(&src, &["routes", "server"]);
        assert!(found.is_empty(), "src/{file} names {found:?}");
    }
}
