//! The loopback redirect listener of the desktop sign-in: a tiny HTTP
//! server on 127.0.0.1 that waits for the browser to come back with
//! `?code=...&state=...`, checks `state`, and shows a friendly page.

use std::time::Duration;

use msgraph_core::{AuthError, AuthErrorKind, Error, Result, Secret};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use url::Url;

use crate::aad_error::{OAuthErrorBody, to_auth_error};

/// The most a request head may take (the query carries the code).
const MAX_HEAD: usize = 16 * 1024;
/// How long one connection may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// A listener bound to 127.0.0.1 on a free (or the given) port.
#[derive(Debug)]
pub(crate) struct Loopback {
    listener: TcpListener,
    redirect_uri: String,
}

/// What one browser request meant.
enum Outcome {
    /// The code, with the state checked.
    Code(Secret),
    /// The platform sent an error (with the right state).
    Failed(AuthError),
    /// Not the redirect, or a forged/foreign one: keep waiting.
    Ignored,
}

impl Loopback {
    /// Binds 127.0.0.1:`port` (0 = any free port). `host` is what the
    /// redirect URI names: `localhost` or `127.0.0.1`.
    pub(crate) async fn bind(host: &str, port: u16) -> Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .map_err(|e| Error::io(format!("listening on 127.0.0.1:{port} for the sign-in redirect"), e))?;
        let port = listener.local_addr().map_err(|e| Error::io("reading the listener's port", e))?.port();
        Ok(Loopback { listener, redirect_uri: format!("http://{host}:{port}/") })
    }

    /// `http://<host>:<port>/`, the `redirect_uri` to send.
    pub(crate) fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// Serves requests until one brings a code with `state`, or an error
    /// with `state`. Requests with another state are answered 400 and ignored.
    ///
    /// Connections are served concurrently: browsers open speculative
    /// connections that send nothing, and one of those must not hold up the
    /// real redirect. Dropping the future stops the listener.
    pub(crate) async fn wait(self, state: String) -> Result<Secret> {
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Outcome>(8);
        let listener = self.listener;
        let acceptor = tokio::spawn(async move {
            loop {
                match listener.accept().await {
                    Ok((stream, _)) => {
                        let (tx, state) = (tx.clone(), state.clone());
                        tokio::spawn(async move {
                            let _ = tx.send(handle(stream, &state).await).await;
                        });
                    }
                    Err(e) => {
                        // Out of file descriptors and the like: back off, keep listening.
                        tracing::warn!(error = %e, "accepting a sign-in redirect connection failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                }
            }
        });
        let _stop = AbortOnDrop(acceptor);
        while let Some(outcome) = rx.recv().await {
            match outcome {
                Outcome::Code(code) => return Ok(code),
                Outcome::Failed(e) => return Err(e.into()),
                Outcome::Ignored => {}
            }
        }
        Err(Error::io("the sign-in redirect listener stopped", std::io::Error::other("listener task ended")))
    }
}

/// Aborts the listener task when the sign-in ends or is dropped.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

async fn handle(mut stream: TcpStream, state: &str) -> Outcome {
    let target = match tokio::time::timeout(READ_TIMEOUT, read_target(&mut stream)).await {
        Ok(Some(t)) => t,
        _ => {
            respond(&mut stream, 400, "Bad request", "<p>This address only receives the sign-in redirect.</p>").await;
            return Outcome::Ignored;
        }
    };
    let Ok(url) = Url::parse("http://127.0.0.1/").and_then(|base| base.join(&target)) else {
        respond(&mut stream, 400, "Bad request", "<p>This address only receives the sign-in redirect.</p>").await;
        return Outcome::Ignored;
    };
    if url.path() != "/" {
        respond(&mut stream, 404, "Not found", "<p>This address only receives the sign-in redirect.</p>").await;
        return Outcome::Ignored;
    }
    let param = |name: &str| url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    if param("state").as_deref() != Some(state) {
        tracing::warn!("sign-in redirect with a missing or wrong state refused");
        respond(
            &mut stream,
            400,
            "Sign-in response not expected",
            "<p>This response does not belong to the sign-in this app started (its <code>state</code> does not \
             match), so it was ignored.</p><p>Go back to the app and start the sign-in again if it is still \
             waiting.</p>",
        )
        .await;
        return Outcome::Ignored;
    }
    if let Some(error) = param("error") {
        let body = OAuthErrorBody { error, error_description: param("error_description"), ..Default::default() };
        let err = to_auth_error(&body, None);
        let page = format!("<p>{}</p><p>You can close this tab and go back to the app.</p>", html_escape(&err.message));
        respond(&mut stream, 200, "Sign-in failed", &page).await;
        return Outcome::Failed(err);
    }
    match param("code").filter(|c| !c.is_empty()) {
        Some(code) => {
            respond(&mut stream, 200, "You are signed in", "<p>You can close this tab and go back to the app.</p>")
                .await;
            Outcome::Code(Secret::new(code))
        }
        None => {
            respond(&mut stream, 400, "Bad request", "<p>The redirect carried no authorization code.</p>").await;
            Outcome::Ignored
        }
    }
}

/// Reads the request head and returns the target of a `GET` request line.
async fn read_target(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        if buf.len() > MAX_HEAD {
            return None;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let head = std::str::from_utf8(&buf).ok()?;
    let mut parts = head.lines().next()?.split_whitespace();
    match (parts.next(), parts.next(), parts.next()) {
        (Some("GET"), Some(target), Some(version)) if version.starts_with("HTTP/1.") => Some(target.to_owned()),
        _ => None,
    }
}

async fn respond(stream: &mut TcpStream, status: u16, title: &str, body: &str) {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        _ => "Bad Request",
    };
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title><style>body{{font-family:\
         system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em;color:#222}}h1{{font-size:1.5em}}</style>\
         </head><body><h1>{title}</h1>{body}</body></html>"
    );
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: \
         no-store\r\nConnection: close\r\n\r\n{page}",
        page.len()
    );
    // The browser may already be gone; the outcome does not depend on it.
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// An [`AuthErrorKind::Cancelled`] error for a sign-in nobody finished.
pub(crate) fn timed_out(after: Duration) -> Error {
    AuthError::new(
        AuthErrorKind::Cancelled,
        format!("no sign-in response reached the app within {} s", after.as_secs()),
    )
    .with_hint("open the sign-in URL in a browser on this machine and finish signing in, or raise the timeout")
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_html() {
        assert_eq!(html_escape("<script>&\"'"), "&lt;script&gt;&amp;&quot;&#39;");
    }
}
