//! File kinds and name patterns for filtering search results and listings
//! on the client (Graph's search cannot filter by type).

use crate::DriveItem;

/// A kind of file, told by its extension or its MIME type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FileKind {
    /// Word documents (`.docx`, `.doc`, `.docm`, `.dotx`, `.odt`, `.rtf`).
    Word,
    /// Excel workbooks (`.xlsx`, `.xls`, `.xlsm`, `.xlsb`, `.csv`, `.ods`).
    Excel,
    /// PowerPoint decks (`.pptx`, `.ppt`, `.pptm`, `.ppsx`, `.odp`).
    PowerPoint,
    /// PDF documents.
    Pdf,
    /// Images (`.png`, `.jpg`, `.gif`, `.heic`, `.webp`, `.svg`, ...).
    Image,
    /// Videos (`.mp4`, `.mov`, `.mkv`, ...).
    Video,
    /// Audio (`.mp3`, `.m4a`, `.wav`, ...).
    Audio,
    /// Plain text and markup (`.txt`, `.md`, `.json`, ...).
    Text,
    /// Archives (`.zip`, `.7z`, `.tar`, `.gz`, ...).
    Archive,
}

impl FileKind {
    /// Every kind.
    pub const ALL: [FileKind; 9] = [
        FileKind::Word,
        FileKind::Excel,
        FileKind::PowerPoint,
        FileKind::Pdf,
        FileKind::Image,
        FileKind::Video,
        FileKind::Audio,
        FileKind::Text,
        FileKind::Archive,
    ];

    fn extensions(self) -> &'static [&'static str] {
        match self {
            FileKind::Word => &["docx", "doc", "docm", "dotx", "dot", "odt", "rtf"],
            FileKind::Excel => &["xlsx", "xls", "xlsm", "xlsb", "xltx", "csv", "ods"],
            FileKind::PowerPoint => &["pptx", "ppt", "pptm", "ppsx", "pps", "potx", "odp"],
            FileKind::Pdf => &["pdf"],
            FileKind::Image => {
                &["png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "heic", "heif", "webp", "svg", "ico"]
            }
            FileKind::Video => &["mp4", "mov", "m4v", "avi", "mkv", "wmv", "webm", "mpg", "mpeg"],
            FileKind::Audio => &["mp3", "m4a", "wav", "wma", "aac", "flac", "ogg", "oga"],
            FileKind::Text => &["txt", "md", "markdown", "json", "xml", "yaml", "yml", "log", "html", "htm", "ini"],
            FileKind::Archive => &["zip", "7z", "rar", "tar", "gz", "tgz", "bz2", "xz"],
        }
    }

    fn mime_matches(self, mime: &str) -> bool {
        let m = mime.to_ascii_lowercase();
        match self {
            FileKind::Word => m.contains("wordprocessingml") || m == "application/msword",
            FileKind::Excel => m.contains("spreadsheetml") || m == "application/vnd.ms-excel" || m == "text/csv",
            FileKind::PowerPoint => m.contains("presentationml") || m == "application/vnd.ms-powerpoint",
            FileKind::Pdf => m == "application/pdf",
            FileKind::Image => m.starts_with("image/"),
            FileKind::Video => m.starts_with("video/"),
            FileKind::Audio => m.starts_with("audio/"),
            FileKind::Text => m.starts_with("text/") && m != "text/csv",
            FileKind::Archive => {
                m == "application/zip"
                    || m == "application/x-7z-compressed"
                    || m == "application/gzip"
                    || m.contains("x-tar")
            }
        }
    }

    /// True when `item` is a file of this kind (by extension first, then
    /// by `file.mimeType`). Folders are never a match.
    ///
    /// ```
    /// use msgraph_drive::{DriveItem, FileKind};
    /// let item: DriveItem = serde_json::from_str(r#"{"name": "Q3 Review.PPTX", "file": {}}"#).unwrap();
    /// assert!(FileKind::PowerPoint.matches(&item));
    /// assert!(!FileKind::Word.matches(&item));
    /// ```
    pub fn matches(self, item: &DriveItem) -> bool {
        if !item.is_file() {
            return false;
        }
        let name = item.name.as_deref().or_else(|| item.remote_item.as_ref().and_then(|r| r.name.as_deref()));
        if let Some(ext) = name.and_then(|n| n.rsplit_once('.')).map(|(_, e)| e)
            && self.extensions().iter().any(|k| k.eq_ignore_ascii_case(ext))
        {
            return true;
        }
        item.mime_type().is_some_and(|m| self.mime_matches(m))
    }

    /// The kind of `item`, if it is one of these.
    pub fn of(item: &DriveItem) -> Option<FileKind> {
        FileKind::ALL.into_iter().find(|k| k.matches(item))
    }
}

/// A name pattern with `*` (any run of characters) and `?` (one
/// character), matched without regard to case: `*.pdf`, `invoice*`, `Q? report*`.
///
/// ```
/// use msgraph_drive::NamePattern;
/// let p = NamePattern::new("invoice*.PDF");
/// assert!(p.matches("Invoice-2024-03.pdf"));
/// assert!(!p.matches("receipt.pdf"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamePattern {
    pattern: Vec<char>,
}

impl NamePattern {
    /// A pattern.
    pub fn new(pattern: &str) -> Self {
        NamePattern { pattern: pattern.to_lowercase().chars().collect() }
    }

    /// True when `name` matches (linear time, no backtracking blow-up).
    pub fn matches(&self, name: &str) -> bool {
        let text: Vec<char> = name.to_lowercase().chars().collect();
        let p = &self.pattern;
        let (mut ti, mut pi) = (0usize, 0usize);
        let mut star: Option<(usize, usize)> = None;
        while ti < text.len() {
            if pi < p.len() && (p[pi] == '?' || p[pi] == text[ti]) {
                ti += 1;
                pi += 1;
            } else if pi < p.len() && p[pi] == '*' {
                star = Some((pi, ti));
                pi += 1;
            } else if let Some((sp, st)) = star {
                pi = sp + 1;
                ti = st + 1;
                star = Some((sp, st + 1));
            } else {
                return false;
            }
        }
        while pi < p.len() && p[pi] == '*' {
            pi += 1;
        }
        pi == p.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(json: &str) -> DriveItem {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn kinds_by_extension_mime_and_remote_items() {
        assert!(FileKind::Pdf.matches(&item(r#"{"name": "a.pdf", "file": {}}"#)));
        assert!(FileKind::Image.matches(&item(r#"{"name": "noext", "file": {"mimeType": "image/png"}}"#)));
        assert!(FileKind::Word.matches(&item(r#"{"name": "shared.docx", "remoteItem": {"file": {}}}"#)));
        assert!(!FileKind::Pdf.matches(&item(r#"{"name": "folder.pdf", "folder": {}}"#)));
        assert_eq!(FileKind::of(&item(r#"{"name": "data.csv", "file": {}}"#)), Some(FileKind::Excel));
        assert_eq!(FileKind::of(&item(r#"{"name": "x.unknown", "file": {}}"#)), None);
    }

    #[test]
    fn patterns() {
        assert!(NamePattern::new("*").matches(""));
        assert!(NamePattern::new("a*b*c").matches("aXXbYYc"));
        assert!(!NamePattern::new("a*b*c").matches("aXXbYY"));
        assert!(NamePattern::new("?.txt").matches("1.TXT"));
        // no exponential backtracking
        assert!(!NamePattern::new(&"*a".repeat(50)).matches(&"a".repeat(40)));
    }
}
