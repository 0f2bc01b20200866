#![doc = include_str!("../README.md")]
//!
//! ## Map of the crate
//!
//! | Item | What |
//! | --- | --- |
//! | [`Catalogue`], [`ToolDef`] | the tools: names, descriptions, JSON Schemas, read-only / writing / destructive; exports for OpenAI and Anthropic function calling |
//! | [`Agent`] | the dispatcher: `call(name, arguments) -> ToolOutput` over a [`GraphClient`](msgraph_core::GraphClient) |
//! | [`ToolOutput`], [`ToolError`] | results trimmed for a model's context; errors a model can act on |
//!
//! Every tool is one SDK call (or a few) of the service crates; the tools add
//! argument checking, trimming and paging cursors, nothing else.
#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod args;
mod catalogue;
mod dispatch;
mod tools;

pub use catalogue::{Access, Catalogue, Service, ToolDef};
pub use dispatch::{Agent, DEFAULT_MAX_RESULT_BYTES, ToolError, ToolOutput};
