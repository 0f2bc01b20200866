//! Sign in from a terminal with the device code flow and print who you are.
//!
//! ```sh
//! export MSGRAPH_CLIENT_ID=<Application (client) ID of your app registration>
//! export MSGRAPH_TENANT_ID=common   # optional: organizations, consumers, a tenant id or domain
//! cargo run --example device_login
//! ```
//!
//! The first run shows a code to enter at https://microsoft.com/devicelogin;
//! the token is kept in `data/token_cache.json` (mode 0600), so later runs
//! sign in silently. Without `MSGRAPH_CLIENT_ID` the example explains how to
//! set it up and exits.

use msgraph::auth::{DeviceCodeCredential, ENV_CLIENT_ID, FileTokenCache};
use msgraph::prelude::*;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    if std::env::var(ENV_CLIENT_ID).map_or(true, |v| v.trim().is_empty()) {
        println!(
            "{ENV_CLIENT_ID} is not set, so there is nobody to sign in as.\n\n\
             1. Azure portal > Microsoft Entra ID > App registrations > New registration\n\
             \u{20}  (supported account types: any organizational directory and personal accounts).\n\
             2. Authentication > Advanced settings > \"Allow public client flows\": Yes.\n\
             3. API permissions > Add > Microsoft Graph > Delegated: User.Read.\n\
             4. export {ENV_CLIENT_ID}=<the Application (client) ID from the Overview page>\n\
             \u{20}  (and optionally MSGRAPH_TENANT_ID=<your tenant id>), then run this example again."
        );
        return std::process::ExitCode::SUCCESS;
    }
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            match msgraph::auth::explain_forbidden(&err) {
                Some(explained) => eprintln!("error: {explained}"),
                None => eprintln!("error: {err}"),
            }
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<()> {
    let credential = DeviceCodeCredential::from_env()?
        .scopes(["User.Read"])
        .token_cache(FileTokenCache::new("data/token_cache.json"))
        .on_prompt(|prompt| println!("{}", prompt.message))
        .build()?;
    let client = GraphClient::builder().credential(credential).build()?;

    let me = client.me().get().await?;
    println!("Signed in as {}", me.display_name.as_deref().unwrap_or("(no display name)"));
    if let Some(upn) = &me.user_principal_name {
        println!("  user principal name: {upn}");
    }
    if let Some(mail) = &me.mail {
        println!("  mail: {mail}");
    }
    if let Some(id) = &me.id {
        println!("  id: {id}");
    }
    Ok(())
}
