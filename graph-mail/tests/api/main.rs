//! Tests of msgraph-mail against a fake Graph (wiremock), one binary.

mod attachments;
mod categories;
mod common;
mod conversation_index;
mod folders;
mod messages_read;
mod messages_send;
mod messages_update;
mod partitioned;
mod samples;
mod settings;
mod triage;
