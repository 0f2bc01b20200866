//! OneDrive's rules for file and folder names, checked before sending
//! ([restrictions](https://support.microsoft.com/office/restrictions-and-limitations-in-onedrive-and-sharepoint-64883a5d-228e-48f5-b3d2-eb39e07630fa)).

use msgraph_core::{Error, Result};

const FORBIDDEN: &[char] = &['"', '*', ':', '<', '>', '?', '/', '\\', '|'];
const RESERVED: &[&str] = &[".lock", "CON", "PRN", "AUX", "NUL", "desktop.ini"];

/// Checks a new item's name: not empty, none of `" * : < > ? / \ |` or
/// control characters, no leading or trailing space, not a reserved name
/// (`CON`, `PRN`, `AUX`, `NUL`, `COM0`-`COM9`, `LPT0`-`LPT9`, `.lock`,
/// `desktop.ini`), not starting with `~$`, at most 255 characters.
///
/// ```
/// use msgraph_drive::check_name;
/// assert!(check_name("Q3 report.pdf").is_ok());
/// assert!(check_name("a:b.txt").is_err());
/// assert!(check_name("CON").is_err());
/// ```
pub fn check_name(name: &str) -> Result<()> {
    let bad = |why: &str| Err(Error::invalid_input(format!("{name:?} is not a valid OneDrive name: {why}")));
    if name.is_empty() {
        return Err(Error::invalid_input("a OneDrive name must not be empty"));
    }
    if name.chars().count() > 255 {
        return bad("longer than 255 characters");
    }
    if let Some(c) = name.chars().find(|c| FORBIDDEN.contains(c) || c.is_control()) {
        return bad(&format!("it contains {c:?}"));
    }
    if name.starts_with(' ') || name.ends_with(' ') {
        return bad("it starts or ends with a space");
    }
    if name == "." || name == ".." {
        return bad("it is a relative path");
    }
    let stem = name.split('.').next().unwrap_or(name);
    let reserved = RESERVED.iter().any(|r| r.eq_ignore_ascii_case(name) || r.eq_ignore_ascii_case(stem))
        || matches!(stem.as_bytes(), [a, b, c, d]
            if ([*a, *b, *c].eq_ignore_ascii_case(b"COM") || [*a, *b, *c].eq_ignore_ascii_case(b"LPT"))
                && d.is_ascii_digit());
    if reserved {
        return bad("it is a reserved name");
    }
    if name.starts_with("~$") {
        return bad("names starting with ~$ are reserved for lock files");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_name;

    #[test]
    fn names_onedrive_refuses() {
        for bad in [
            "",
            " lead",
            "trail ",
            "a*b",
            "a\"b",
            "a<b",
            "a>b",
            "a?b",
            "a/b",
            "a\\b",
            "a|b",
            "a:b",
            "CON",
            "con.txt",
            "COM1",
            "lpt9.doc",
            ".lock",
            "desktop.ini",
            "~$temp.docx",
            "tab\there",
            "..",
        ] {
            assert!(check_name(bad).is_err(), "{bad:?} should be refused");
        }
        for good in [
            "report.pdf",
            "Q3 report (final).docx",
            "COM10",
            "console.log",
            "émoji 🎉.txt",
            "#1 & more%.txt",
            "x€",
            "Cé€",
        ] {
            assert!(check_name(good).is_ok(), "{good:?} should be fine");
        }
        assert!(check_name(&"a".repeat(256)).is_err());
    }
}
