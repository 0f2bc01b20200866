//! `msgraph-emulator`: runs the emulator as a standalone server.
//!
//! ```text
//! cargo run -p msgraph-emulator -- --port 8080
//! ```

use std::process::ExitCode;
use std::time::Duration;

use msgraph_emulator::{Emulator, Throttling, demo};

const USAGE: &str = "\
msgraph-emulator: an offline Microsoft Graph on 127.0.0.1

USAGE:
    msgraph-emulator [OPTIONS]

OPTIONS:
    --port <PORT>          Port to listen on (default 8080; 0 picks a free one)
    --no-seed              Start with empty mailboxes (users only)
    --throttle <R[/B]>     Throttle each mailbox to R requests/s, bursts of B (default B = R)
    --latency-ms <MS>      Add this delay to every request
    --token-lifetime <S>   Lifetime of issued access tokens, seconds (default 3599)
    --client-certificate <CLIENT_ID>=<FILE>
                           Register a certificate (PEM or DER) for a client: client
                           credentials then accept assertions signed with its key
                           (repeatable)
    -h, --help             Print this help
";

struct Args {
    port: u16,
    seed: bool,
    throttle: Option<Throttling>,
    latency: Duration,
    token_lifetime: Option<Duration>,
    certificates: Vec<(String, String)>,
}

fn parse_args(mut it: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut args = Args {
        port: 8080,
        seed: true,
        throttle: None,
        latency: Duration::ZERO,
        token_lifetime: None,
        certificates: Vec::new(),
    };
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = |what: &str| inline.clone().or_else(|| it.next()).ok_or_else(|| format!("{name} needs {what}"));
        match name.as_str() {
            "-h" | "--help" => return Ok(None),
            "--port" => {
                args.port = value("a port")?.parse().map_err(|_| "--port needs a number from 0 to 65535".to_owned())?
            }
            "--no-seed" => args.seed = false,
            "--throttle" => {
                let v = value("R or R/B")?;
                let (rate, burst) = match v.split_once('/') {
                    Some((r, b)) => (r.to_owned(), Some(b.to_owned())),
                    None => (v.clone(), None),
                };
                let rate: f64 = rate.parse().map_err(|_| format!("bad rate in --throttle {v}"))?;
                let burst: u32 = match burst {
                    Some(b) => b.parse().map_err(|_| format!("bad burst in --throttle {v}"))?,
                    None => rate.ceil().max(1.0) as u32,
                };
                if rate <= 0.0 {
                    return Err("--throttle needs a positive rate".into());
                }
                args.throttle = Some(Throttling::new(rate, burst));
            }
            "--latency-ms" => {
                let ms: u64 = value("milliseconds")?.parse().map_err(|_| "--latency-ms needs a number".to_owned())?;
                args.latency = Duration::from_millis(ms);
            }
            "--token-lifetime" => {
                let s: u64 = value("seconds")?.parse().map_err(|_| "--token-lifetime needs a number".to_owned())?;
                args.token_lifetime = Some(Duration::from_secs(s));
            }
            "--client-certificate" => {
                let v = value("CLIENT_ID=FILE")?;
                match v.split_once('=') {
                    Some((id, file)) if !id.is_empty() && !file.is_empty() => {
                        args.certificates.push((id.to_owned(), file.to_owned()))
                    }
                    _ => return Err(format!("--client-certificate needs CLIENT_ID=FILE, not '{v}'")),
                }
            }
            other => return Err(format!("unknown argument '{other}'")),
        }
    }
    Ok(Some(args))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(a)) => a,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut builder = Emulator::builder().port(args.port).seed(args.seed).latency(args.latency);
    if let Some(t) = args.throttle {
        builder = builder.throttling(t);
    }
    if let Some(l) = args.token_lifetime {
        builder = builder.token_lifetime(l);
    }
    for (client_id, file) in &args.certificates {
        match std::fs::read(file) {
            Ok(cert) => builder = builder.client_certificate(client_id, cert),
            Err(e) => {
                eprintln!("error: cannot read the certificate {file}: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    let emulator = match builder.start().await {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: cannot start the emulator: {e}");
            return ExitCode::FAILURE;
        }
    };
    let token = emulator.issue_token(demo::USER_UPN).unwrap_or_default();
    println!("msgraph-emulator is running (Ctrl+C to stop)");
    println!();
    println!("  Graph base URL   {}", emulator.base_url());
    println!(
        "  Authority        {}   (e.g. {}/common/oauth2/v2.0/token)",
        emulator.authority_url(),
        emulator.authority_url()
    );
    println!("  Tenant id        {}", demo::TENANT_ID);
    println!("  Client id        {}   (any client id works for the device code flow)", demo::CLIENT_ID);
    println!("  Client secret    {}", demo::CLIENT_SECRET);
    for (client_id, file) in &args.certificates {
        println!("  Certificate      {file} for client {client_id}");
    }
    println!(
        "  Signed-in user   Adele Vance <{}>; also {} and {}",
        demo::USER_UPN,
        demo::SECOND_USER_UPN,
        demo::THIRD_USER_UPN
    );
    println!("  Access token     {token}");
    println!();
    println!(
        "  Try: curl -H \"Authorization: Bearer $TOKEN\" {}/me/mailFolders/inbox/messages?%24top=3",
        emulator.base_url()
    );
    if tokio::signal::ctrl_c().await.is_err() {
        eprintln!("cannot listen for Ctrl+C; stopping");
    }
    emulator.shutdown().await;
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Option<Args>, String> {
        parse_args(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn parses_flags() {
        let a = parse(&["--port", "9000", "--no-seed", "--throttle", "5/10", "--latency-ms=20"]).unwrap().unwrap();
        assert_eq!(a.port, 9000);
        assert!(!a.seed);
        assert_eq!(a.throttle, Some(Throttling::new(5.0, 10)));
        assert_eq!(a.latency, Duration::from_millis(20));
        assert!(parse(&["--help"]).unwrap().is_none());
        assert!(parse(&["--port"]).is_err());
        assert!(parse(&["--bogus"]).is_err());
        assert_eq!(parse(&["--throttle", "2"]).unwrap().unwrap().throttle, Some(Throttling::new(2.0, 2)));
        let c = parse(&["--client-certificate", "app=cert.pem", "--client-certificate=b=x/y.der"]).unwrap().unwrap();
        assert_eq!(c.certificates, [("app".into(), "cert.pem".into()), ("b".into(), "x/y.der".into())]);
        assert!(parse(&["--client-certificate", "no-file"]).is_err());
    }
}
