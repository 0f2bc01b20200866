//! The master category list ([outlookCategory](https://learn.microsoft.com/graph/api/resources/outlookcategory)).

use msgraph_core::{GraphClient, GraphPath, ListBuilder, Request};
use serde::Serialize;

use crate::{CategoryColor, OutlookCategory, validate};
use msgraph_core::Action;

/// The categories a user can apply to messages and events. Get it from
/// [`MailExt::master_categories`](crate::MailExt::master_categories).
/// Apply a category to a message with
/// [`Messages::set_categories`](crate::Messages::set_categories).
#[derive(Debug, Clone)]
pub struct MasterCategories {
    client: GraphClient,
    root: GraphPath,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NewCategory<'a> {
    display_name: &'a str,
    color: &'a CategoryColor,
}

impl MasterCategories {
    pub(crate) fn new(client: GraphClient, root: GraphPath) -> Self {
        MasterCategories { client, root }
    }

    fn collection(&self) -> GraphPath {
        self.root.clone().push("outlook").push("masterCategories")
    }

    /// Lists the categories.
    ///
    /// `GET /me/outlook/masterCategories` · [List masterCategories](https://learn.microsoft.com/graph/api/outlookuser-list-mastercategories) ·
    /// permissions: delegated `MailboxSettings.Read`, application `MailboxSettings.Read`.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// for c in client.me().master_categories().list().send().await?.value {
    ///     println!("{:?} {:?}", c.display_name, c.color);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> ListBuilder<OutlookCategory> {
        ListBuilder::new(self.client.clone(), self.collection())
    }

    /// Creates a category with a preset color.
    ///
    /// `POST /me/outlook/masterCategories` · [Create outlookCategory](https://learn.microsoft.com/graph/api/outlookuser-post-mastercategories) ·
    /// permissions: delegated `MailboxSettings.ReadWrite`, application `MailboxSettings.ReadWrite`.
    ///
    /// The name must be unique in the list; an empty name or one over 255 characters is an
    /// [`Error::InvalidInput`](msgraph_core::Error::InvalidInput) and nothing is sent.
    ///
    /// ```no_run
    /// use msgraph_mail::{CategoryColor, MailExt};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let c = client.me().master_categories().create("Needs reply", CategoryColor::Preset0).await?;
    /// # Ok(()) }
    /// ```
    pub fn create(&self, name: impl Into<String>, color: CategoryColor) -> Action<OutlookCategory> {
        let name = name.into();
        let request = validate::category(&name)
            .and_then(|()| Request::post(self.collection()).json(&NewCategory { display_name: &name, color: &color }));
        Action::json(self.client.clone(), request)
    }

    /// Deletes a category by id. Items keep the name in their `categories`.
    ///
    /// `DELETE /me/outlook/masterCategories/{id}` · [Delete outlookCategory](https://learn.microsoft.com/graph/api/outlookcategory-delete) ·
    /// permissions: delegated `MailboxSettings.ReadWrite`, application `MailboxSettings.ReadWrite`.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().master_categories().delete("5a9a6aa8-b65f-4357-b1f9-60c6bf6330d8").await?;
    /// # Ok(()) }
    /// ```
    pub fn delete(&self, id: impl Into<String>) -> Action<()> {
        Action::empty(self.client.clone(), Ok(Request::delete(self.collection().id(id))))
    }
}
