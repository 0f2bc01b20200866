//! The loopback redirect listener of the desktop sign-in: a tiny HTTP
//! server on the loopback interface that waits for the browser to come back
//! with `?code=...&state=...`, checks `state`, and shows a friendly page.
//!
//! A redirect to `localhost` may reach 127.0.0.1 or ::1, whichever the
//! browser tries first, so for `localhost` the listener holds the port on
//! both: no other program can sit on the address we do not listen on and
//! receive the code (or make the sign-in fail).

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
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
/// How many free IPv4 ports to try for one that is also free on ::1.
const PORT_TRIES: usize = 16;

/// Listeners on the loopback address(es) the redirect URI names, all on the
/// same free (or the given) port.
#[derive(Debug)]
pub(crate) struct Loopback {
    listeners: Vec<TcpListener>,
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
    /// Listens on `port` (0 = a free port) of what `host`, the host the
    /// redirect URI names, reaches: `127.0.0.1` alone, or for `localhost`
    /// both 127.0.0.1 and ::1. A port that another program holds on ::1 is
    /// not used (a free port is picked again; a fixed one is an error). On a
    /// machine without an IPv6 loopback, 127.0.0.1 alone (nobody can listen
    /// on ::1 there either).
    pub(crate) async fn bind(host: &str, port: u16) -> Result<Self> {
        let both = host == "localhost";
        let tries = if both && port == 0 { PORT_TRIES } else { 1 };
        for _ in 0..tries {
            let v4 = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
                .await
                .map_err(|e| Error::io(format!("listening on 127.0.0.1:{port} for the sign-in redirect"), e))?;
            let port = v4.local_addr().map_err(|e| Error::io("reading the listener's port", e))?.port();
            let mut listeners = vec![v4];
            if both {
                match TcpListener::bind(SocketAddr::from((Ipv6Addr::LOCALHOST, port))).await {
                    Ok(v6) => listeners.push(v6),
                    Err(e) if e.kind() == io::ErrorKind::AddrInUse => {
                        tracing::debug!(port, "port taken on [::1]; picking another for the sign-in redirect");
                        continue;
                    }
                    Err(e) => {
                        tracing::debug!(error = %e, "no IPv6 loopback; the sign-in redirect listens on 127.0.0.1 only")
                    }
                }
            }
            return Ok(Loopback { listeners, redirect_uri: format!("http://{host}:{port}/") });
        }
        let taken = if port == 0 { "every port tried".to_owned() } else { format!("port {port}") };
        Err(Error::io(
            format!(
                "listening on localhost for the sign-in redirect: {taken} is held on [::1] by another program, which a \
                 browser trying ::1 for localhost would reach instead of this app"
            ),
            io::Error::from(io::ErrorKind::AddrInUse),
        ))
    }

    /// `http://<host>:<port>/`, the `redirect_uri` to send.
    pub(crate) fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// The addresses listened on.
    #[cfg(test)]
    fn addresses(&self) -> Vec<SocketAddr> {
        self.listeners.iter().map(|l| l.local_addr().unwrap()).collect()
    }

    /// Serves requests until one brings a code with `state`, or an error
    /// with `state`. Requests with another state are answered 400 and ignored.
    ///
    /// Connections are served concurrently: browsers open speculative
    /// connections that send nothing, and one of those must not hold up the
    /// real redirect. Dropping the future stops the listener.
    pub(crate) async fn wait(self, state: String) -> Result<Secret> {
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Outcome>(8);
        let _stop: Vec<AbortOnDrop> = self
            .listeners
            .into_iter()
            .map(|listener| AbortOnDrop(tokio::spawn(accept(listener, tx.clone(), state.clone()))))
            .collect();
        drop(tx);
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

/// Serves one listener's connections, each in its own task.
async fn accept(listener: TcpListener, tx: tokio::sync::mpsc::Sender<Outcome>, state: String) {
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
}

/// Aborts a listener task when the sign-in ends or is dropped.
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

    fn ipv6_loopback() -> bool {
        std::net::TcpListener::bind((Ipv6Addr::LOCALHOST, 0)).is_ok()
    }

    #[tokio::test]
    async fn localhost_listens_on_both_loopbacks_and_an_ip_literal_on_itself() {
        let both = Loopback::bind("localhost", 0).await.unwrap();
        let port = both.addresses()[0].port();
        assert_eq!(both.redirect_uri(), format!("http://localhost:{port}/"));
        let mut expected = vec![SocketAddr::from((Ipv4Addr::LOCALHOST, port))];
        if ipv6_loopback() {
            expected.push(SocketAddr::from((Ipv6Addr::LOCALHOST, port)));
        }
        assert_eq!(both.addresses(), expected);

        let v4 = Loopback::bind("127.0.0.1", 0).await.unwrap();
        let port = v4.addresses()[0].port();
        assert_eq!(v4.redirect_uri(), format!("http://127.0.0.1:{port}/"));
        assert_eq!(v4.addresses(), [SocketAddr::from((Ipv4Addr::LOCALHOST, port))]);
    }

    #[tokio::test]
    async fn a_fixed_port_held_on_ipv6_by_another_program_is_refused() {
        let Ok(squatter) = std::net::TcpListener::bind((Ipv6Addr::LOCALHOST, 0)) else {
            eprintln!("no IPv6 loopback here: nothing to test");
            return;
        };
        let port = squatter.local_addr().unwrap().port();
        if std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port)).is_err() {
            eprintln!("port {port} is busy on 127.0.0.1 too: nothing to test");
            return;
        }
        let err = Loopback::bind("localhost", port).await.unwrap_err();
        assert!(err.to_string().contains("[::1]"), "{err}");
        // The IP literal does not care who holds ::1.
        Loopback::bind("127.0.0.1", port).await.unwrap();
    }
}
