//! Checks on caller input, run before anything is sent. Each failure is an
//! [`Error::InvalidInput`] that names what was wrong.

use msgraph_core::models::{EmailAddress, Recipient};
use msgraph_core::{Error, Result};

/// Longest category name Outlook accepts.
pub const MAX_CATEGORY_LEN: usize = 255;

/// Largest file (before base64) sent inline with a message: Graph takes
/// attachments under 3 MB in the message itself; larger files need an
/// upload session.
pub const MAX_INLINE_ATTACHMENT_BYTES: usize = 3 * 1024 * 1024;

/// An SMTP address: a non-empty local part, `@`, a non-empty domain, no spaces.
pub(crate) fn address(addr: &str, what: &str) -> Result<()> {
    if EmailAddress::is_valid(addr) {
        Ok(())
    } else {
        Err(Error::invalid_input(format!("{what}: {addr:?} is not an email address")))
    }
}

/// Every recipient has a valid address.
pub(crate) fn recipients(list: Option<&[Recipient]>, what: &str) -> Result<()> {
    for r in list.unwrap_or_default() {
        match r.address() {
            Some(a) => address(a, what)?,
            None => return Err(Error::invalid_input(format!("{what}: a recipient has no email address"))),
        }
    }
    Ok(())
}

/// An optional single recipient (from, sender) has a valid address.
pub(crate) fn recipient(r: Option<&Recipient>, what: &str) -> Result<()> {
    recipients(r.map(std::slice::from_ref), what)
}

/// A category name: not blank, at most [`MAX_CATEGORY_LEN`] characters.
pub(crate) fn category(name: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::invalid_input("a category name is empty"));
    }
    let len = name.chars().count();
    if len > MAX_CATEGORY_LEN {
        return Err(Error::invalid_input(format!(
            "category name is {len} characters long; Outlook allows at most {MAX_CATEGORY_LEN}"
        )));
    }
    Ok(())
}

/// Every category name is valid.
pub(crate) fn categories(names: Option<&[String]>) -> Result<()> {
    names.unwrap_or_default().iter().try_for_each(|c| category(c))
}

/// An id that goes into a request body (ids in paths are checked by `GraphPath`).
pub(crate) fn id(value: &str, what: &str) -> Result<()> {
    if value.trim().is_empty() { Err(Error::invalid_input(format!("{what} is empty"))) } else { Ok(()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        for good in ["a@b.com", "first.last+tag@sub.example.org", "o'brien@contoso.com", "\"odd@local\"@x.io"] {
            assert!(address(good, "to").is_ok(), "{good}");
        }
        for bad in ["", "plainaddress", "@no-local.com", "no-domain@", "has space@x.com", "a@b.com\n"] {
            let e = address(bad, "to").unwrap_err();
            assert!(matches!(e, Error::InvalidInput(_)), "{bad}");
        }
    }

    #[test]
    fn category_lengths_count_characters() {
        assert!(category(&"é".repeat(255)).is_ok());
        assert!(category(&"a".repeat(256)).is_err());
        assert!(category("  ").is_err());
    }
}
