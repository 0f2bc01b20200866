//! The emulator's layering, checked on its sources: `src/state` (the data
//! and the logic that changes it) is below the shared context
//! (`src/context.rs`), the HTTP handlers (`src/routes`, with `Req` and
//! `Reply`), the server (`src/server.rs`, the axum wiring) and change
//! notification delivery (`src/notify.rs`), so no file under `src/state`
//! may name any of them.

use std::path::Path;

const ABOVE_STATE: &[&str] = &["routes", "server", "context", "notify"];

/// The modules above state that `src` names outside `//` comments:
/// `crate::x`, `super::super::x`, or `x` first in an item of a
/// `crate::{...}` group.
fn names_above_state(src: &str) -> Vec<String> {
    let code: String = src.lines().map(|l| l.find("//").map_or(l, |i| &l[..i])).collect::<Vec<_>>().join("\n");
    let flat: String = code.split_whitespace().collect();
    let mut found = Vec::new();
    for m in ABOVE_STATE {
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
            if ABOVE_STATE.contains(&head) {
                found.push(format!("crate::{{{head}}}"));
            }
        }
    }
    found
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
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/state");
    let mut checked = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            let src = std::fs::read_to_string(&path).unwrap();
            let found = names_above_state(&src);
            assert!(found.is_empty(), "{} names {found:?}", path.display());
            checked.push(path.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    for must in ["mod.rs", "delta.rs", "path.rs", "subscriptions.rs", "store.rs"] {
        assert!(checked.iter().any(|f| f == must), "{must} not found under {}", dir.display());
    }
}
