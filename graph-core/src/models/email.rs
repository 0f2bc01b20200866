use serde::{Deserialize, Serialize};

/// A name and SMTP address
/// ([emailAddress](https://learn.microsoft.com/graph/api/resources/emailaddress)).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct EmailAddress {
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// SMTP address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

impl EmailAddress {
    /// True when `addr` looks like an SMTP address the SDK sends: a
    /// non-empty local part, `@`, a non-empty domain, and no spaces or
    /// control characters (the check every crate runs before sending).
    ///
    /// ```
    /// use msgraph_core::models::EmailAddress;
    /// assert!(EmailAddress::is_valid("ada@contoso.com"));
    /// assert!(!EmailAddress::is_valid("ada lovelace@contoso.com"));
    /// assert!(!EmailAddress::is_valid("ada"));
    /// ```
    pub fn is_valid(addr: &str) -> bool {
        match addr.rsplit_once('@') {
            Some((local, domain)) => {
                !local.is_empty() && !domain.is_empty() && !addr.chars().any(|c| c.is_whitespace() || c.is_control())
            }
            None => false,
        }
    }

    /// An address without a display name.
    pub fn new(address: impl Into<String>) -> Self {
        EmailAddress { name: None, address: Some(address.into()) }
    }

    /// An address with a display name.
    pub fn with_name(name: impl Into<String>, address: impl Into<String>) -> Self {
        EmailAddress { name: Some(name.into()), address: Some(address.into()) }
    }
}

/// A recipient of a message or an organizer
/// ([recipient](https://learn.microsoft.com/graph/api/resources/recipient)).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Recipient {
    /// The address.
    #[serde(default)]
    pub email_address: EmailAddress,
}

impl Recipient {
    /// A recipient from an SMTP address.
    pub fn new(address: impl Into<String>) -> Self {
        Recipient { email_address: EmailAddress::new(address) }
    }

    /// A recipient with a display name.
    pub fn with_name(name: impl Into<String>, address: impl Into<String>) -> Self {
        Recipient { email_address: EmailAddress::with_name(name, address) }
    }

    /// The SMTP address, if set.
    pub fn address(&self) -> Option<&str> {
        self.email_address.address.as_deref()
    }
}

impl From<&str> for Recipient {
    fn from(s: &str) -> Self {
        Recipient::new(s)
    }
}

impl From<String> for Recipient {
    fn from(s: String) -> Self {
        Recipient::new(s)
    }
}

impl From<EmailAddress> for Recipient {
    fn from(email_address: EmailAddress) -> Self {
        Recipient { email_address }
    }
}
