//! The client credentials grant: app-only tokens for daemons.
//!
//! See <https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow>.

use async_trait::async_trait;
use msgraph_core::Result;

use crate::engine::{Core, Flow};
use crate::token::TokenResponse;

/// Asks for `https://<graph host>/.default` with the client's secret or
/// certificate. App-only tokens have no refresh token: a new one is asked
/// for each time (5 minutes before the old one expires).
#[derive(Debug)]
pub(crate) struct ClientCredentialsFlow;

#[async_trait]
impl Flow for ClientCredentialsFlow {
    fn delegated(&self) -> bool {
        false
    }

    async fn acquire(&self, core: &Core, claims: Option<&str>) -> Result<TokenResponse> {
        let mut form = core.token_form("client_credentials")?;
        form.set("scope", core.scopes.join(" ")).set_opt("claims", claims);
        core.request_token(&form).await.map_err(|e| e.into_error())
    }
}
