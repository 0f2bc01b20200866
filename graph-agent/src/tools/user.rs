//! `whoami`: the signed-in user. Permission: delegated `User.Read`.

use msgraph_core::models::User;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::catalogue::{Access, Service};
use crate::dispatch::{Ctx, Meta, OrTool, Registry, ToolError};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NoArgs {}

/// The signed-in user.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Me {
    /// The user's id.
    id: String,
    /// Their name.
    display_name: Option<String>,
    /// Their mail address.
    mail: Option<String>,
    /// Their sign-in name.
    user_principal_name: Option<String>,
    /// Their job title.
    #[serde(skip_serializing_if = "Option::is_none")]
    job_title: Option<String>,
}

async fn whoami(ctx: Ctx, _: NoArgs) -> Result<Me, ToolError> {
    let u: User = ctx.client.me().get().send().await.or_tool("the signed-in user was not found")?;
    Ok(Me {
        id: u.id.unwrap_or_default(),
        display_name: u.display_name,
        mail: u.mail,
        user_principal_name: u.user_principal_name,
        job_title: u.job_title,
    })
}

pub(crate) fn register(r: &mut Registry) {
    r.add(
        Meta {
            name: "whoami",
            title: "Who am I",
            description: "The signed-in Microsoft 365 user: id, display name, mail address and sign-in name. \
                          Use it to know whose mailbox, calendar and files the other tools act on.",
            service: Service::User,
            access: Access::Read,
        },
        whoami,
    );
}
