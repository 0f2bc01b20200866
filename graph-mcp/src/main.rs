//! `msgraph-mcp`: Microsoft Graph as MCP tools over stdio. See `--help`.
//!
//! stdout carries the protocol only; everything else goes to stderr.

use std::process::ExitCode;

use msgraph_agent::{Agent, Catalogue};
use msgraph_mcp::{BoxError, Command, GraphMcpServer, Options, USAGE, connect, parse_args};
use rmcp::ServiceExt;

#[tokio::main]
async fn main() -> ExitCode {
    let mut options = match parse_args(std::env::args().skip(1)) {
        Ok(Command::Serve(o)) => o,
        Ok(Command::Help) => {
            // Asked for: the one thing that goes to stdout, before any protocol.
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(Command::Version) => {
            println!("msgraph-mcp {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("msgraph-mcp: {e}");
            return ExitCode::from(2);
        }
    };
    // MCP clients start servers in any folder: make the download folder absolute now.
    if let Some(dir) = options.download_dir.take() {
        match std::path::absolute(&dir) {
            Ok(dir) if !dir.exists() || dir.is_dir() => options.download_dir = Some(dir),
            _ => {
                eprintln!("msgraph-mcp: --download-dir {} is not a folder", dir.display());
                return ExitCode::from(2);
            }
        }
    }
    // A bad selection is a usage error too, found before anything starts.
    let catalogue = match options.catalogue() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("msgraph-mcp: {e}");
            return ExitCode::from(2);
        }
    };
    match run(options, catalogue).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("msgraph-mcp: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(options: Options, catalogue: Catalogue) -> Result<(), BoxError> {
    let backend = connect().await?;
    let count = catalogue.len();
    let mut agent = Agent::new(backend.client.clone()).with_catalogue(catalogue);
    if let Some(dir) = &options.download_dir {
        agent = agent.download_dir(dir);
    }
    let mut server = GraphMcpServer::new(agent);
    if backend.is_emulator() {
        server = server.with_note(
            "This server runs against an offline Microsoft Graph emulator with a demo tenant: the data is sample \
             data and is lost when the server stops.",
        );
    }
    eprintln!("msgraph-mcp: serving {count} tools{} over stdio", if options.read_only { " (read-only)" } else { "" });
    let service = server.serve(rmcp::transport::stdio_pipes()).await?;
    let reason = service.waiting().await?;
    eprintln!("msgraph-mcp: stopped ({reason:?})");
    drop(backend);
    Ok(())
}
