//! Test helpers: a local fake Graph (wiremock) and a client pointed at it.
//!
//! Enabled by the `test-util` feature. Every test server carries a catch-all
//! mock that answers any request no other mock matched with status 599 and
//! fails the test when the server is dropped, so an unexpected request can
//! never pass silently.
//!
//! ```no_run
//! use msgraph_core::test_util::MockGraph;
//! use wiremock::{Mock, ResponseTemplate, matchers::{method, path}};
//!
//! # async fn run() {
//! let graph = MockGraph::start().await;
//! Mock::given(method("GET")).and(path("/v1.0/me"))
//!     .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"id":"1","displayName":"Ada"}"#))
//!     .expect(1)
//!     .mount(&graph.server).await;
//! let me = graph.client().me().get().await.unwrap();
//! assert_eq!(me.display_name.as_deref(), Some("Ada"));
//! # }
//! ```

use std::time::Duration;

use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::{GraphClient, GraphClientBuilder, RetryPolicy, StaticTokenCredential};

/// The bearer token [`MockGraph::client`] sends.
pub const TEST_TOKEN: &str = "test-token";

/// A wiremock server standing in for Graph, with a catch-all that fails the
/// test on any unexpected request.
#[derive(Debug)]
pub struct MockGraph {
    /// The wiremock server; mount your mocks on it.
    pub server: MockServer,
}

impl MockGraph {
    /// Starts the server and mounts the catch-all.
    pub async fn start() -> Self {
        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(599).set_body_string("unexpected request: no mock matched"))
            .with_priority(u8::MAX)
            .named("catch-all: any request no other mock matched")
            .expect(0)
            .mount(&server)
            .await;
        MockGraph { server }
    }

    /// The service root: `http://127.0.0.1:PORT/v1.0`.
    pub fn base_url(&self) -> String {
        format!("{}/v1.0", self.server.uri())
    }

    /// A client builder pointed at the server, with [`TEST_TOKEN`] and a
    /// fast retry policy (1 ms backoff) so retry tests take no time.
    pub fn client_builder(&self) -> GraphClientBuilder {
        GraphClient::builder()
            .base_url(self.base_url())
            .credential(StaticTokenCredential::new(TEST_TOKEN))
            .retry_policy(
                RetryPolicy::default().initial_delay(Duration::from_millis(1)).max_delay(Duration::from_millis(5)),
            )
    }

    /// A client pointed at the server (see [`client_builder`](Self::client_builder)).
    pub fn client(&self) -> GraphClient {
        match self.client_builder().build() {
            Ok(c) => c,
            Err(e) => panic!("test client could not be built: {e}"),
        }
    }

    /// Every request the server received, in order.
    pub async fn requests(&self) -> Vec<wiremock::Request> {
        self.server.received_requests().await.unwrap_or_default()
    }
}
