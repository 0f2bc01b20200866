//! Escaping, and the well-formedness check OneNote's input HTML needs
//! ("UTF-8 encoded and well-formed XHTML: all container start tags require
//! matching closing tags, all attribute values quoted"), run before sending.

use msgraph_core::{Error, Result};

/// Elements that never have content: they may be written `<br>` or `<br />`.
const VOID: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"];

/// Escapes text for an element's content or a quoted attribute value
/// (`&`, `<`, `>`, `"`, `'`). Characters XML does not allow (most control
/// characters) are dropped.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    push_escaped(&mut out, text);
    out
}

/// What [`push_escaped`] does with each byte: `KEEP` copies it, `DROP`
/// drops it, `MAYBE_DROP` is the lead byte of U+FFFE / U+FFFF (dropped with
/// its two continuation bytes when they follow), anything else is an index
/// into `REPLACEMENTS`.
const KEEP: u8 = 0;
const DROP: u8 = 6;
const MAYBE_DROP: u8 = 7;
const REPLACEMENTS: [&str; 6] = ["", "&amp;", "&lt;", "&gt;", "&quot;", "&#39;"];
static CLASS: [u8; 256] = {
    let mut class = [KEEP; 256];
    let mut b = 0;
    while b < 0x20 {
        class[b] = DROP;
        b += 1;
    }
    class[b'\t' as usize] = KEEP;
    class[b'\n' as usize] = KEEP;
    class[b'\r' as usize] = KEEP;
    class[0x7f] = DROP;
    class[b'&' as usize] = 1;
    class[b'<' as usize] = 2;
    class[b'>' as usize] = 3;
    class[b'"' as usize] = 4;
    class[b'\'' as usize] = 5;
    class[0xEF] = MAYBE_DROP;
    class
};

pub(crate) fn push_escaped(out: &mut String, text: &str) {
    // copies runs of plain text whole; only the bytes to replace or drop are
    // looked at one by one (every one is ASCII or the lead byte of U+FFFE /
    // U+FFFF, so each cut is on a char boundary)
    let bytes = text.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        let class = CLASS[bytes[i] as usize];
        if class == KEEP {
            i += 1;
            continue;
        }
        let (replacement, len) = match class {
            DROP => ("", 1),
            MAYBE_DROP => {
                if bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)) {
                    ("", 3)
                } else {
                    i += 1;
                    continue;
                }
            }
            r => (REPLACEMENTS[r as usize], 1),
        };
        out.push_str(&text[start..i]);
        out.push_str(replacement);
        i += len;
        start = i;
    }
    out.push_str(&text[start..]);
}

fn refuse(what: &str, at: usize, message: impl std::fmt::Display) -> Error {
    Error::invalid_input(format!("{what} is not well-formed XHTML (at byte {at}): {message}"))
}

/// Checks that `html` is well-formed as OneNote asks: every container
/// element closed in order, attribute values quoted, `&` only as an entity
/// or character reference, `<` only as markup. `what` names the input in
/// the error ("the page body", "the PATCH content").
pub fn check_well_formed(html: &str, what: &str) -> Result<()> {
    let bytes = html.as_bytes();
    let mut open: Vec<(String, usize)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'&' => i = check_reference(html, i, what)?,
            b'<' => {
                let rest = &html[i..];
                if rest.starts_with("<!--") {
                    let end = rest.find("-->").ok_or_else(|| refuse(what, i, "a comment is not closed"))?;
                    i += end + 3;
                } else if rest.starts_with("<![CDATA[") {
                    let end = rest.find("]]>").ok_or_else(|| refuse(what, i, "a CDATA section is not closed"))?;
                    i += end + 3;
                } else if rest.starts_with("<!") || rest.starts_with("<?") {
                    let end = rest.find('>').ok_or_else(|| refuse(what, i, "a declaration is not closed"))?;
                    i += end + 1;
                } else if let Some(close) = rest.strip_prefix("</") {
                    let name_len = close.bytes().take_while(|b| is_name_byte(*b)).count();
                    if name_len == 0 {
                        return Err(refuse(what, i, "an end tag has no name"));
                    }
                    let name = close[..name_len].to_ascii_lowercase();
                    let after = close[name_len..].trim_start();
                    if !after.starts_with('>') {
                        return Err(refuse(what, i, format!("the end tag </{name}> is not closed with '>'")));
                    }
                    match open.pop() {
                        Some((top, _)) if top == name => {}
                        Some((top, at)) => {
                            return Err(refuse(
                                what,
                                i,
                                format!("<{top}> (opened at byte {at}) is closed by </{name}>"),
                            ));
                        }
                        None => return Err(refuse(what, i, format!("</{name}> closes nothing"))),
                    }
                    i += 2 + name_len + (close[name_len..].len() - after.len()) + 1;
                } else {
                    let (name, self_closing, len) = start_tag(html, i, what)?;
                    if !self_closing && !VOID.contains(&name.as_str()) {
                        if name == "script" || name == "style" {
                            let end_tag = format!("</{name}");
                            let body = &html[i + len..];
                            let end = body
                                .to_ascii_lowercase()
                                .find(&end_tag)
                                .ok_or_else(|| refuse(what, i, format!("<{name}> is not closed")))?;
                            i += len + end;
                            open.push((name, i));
                            continue;
                        }
                        open.push((name, i));
                    }
                    i += len;
                }
            }
            b'>' => i += 1,
            _ => i += 1,
        }
    }
    match open.pop() {
        Some((name, at)) => Err(refuse(what, at, format!("<{name}> is never closed"))),
        None => Ok(()),
    }
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.')
}

/// A start tag at `at`: its lower-case name, whether it closes itself, and its length.
fn start_tag(html: &str, at: usize, what: &str) -> Result<(String, bool, usize)> {
    let bytes = html.as_bytes();
    let mut i = at + 1;
    let name_start = i;
    while i < bytes.len() && is_name_byte(bytes[i]) {
        i += 1;
    }
    if i == name_start || !bytes[name_start].is_ascii_alphabetic() {
        return Err(refuse(what, at, "'<' that does not start a tag (write &lt;)"));
    }
    let name = html[name_start..i].to_ascii_lowercase();
    let mut seen: Vec<String> = Vec::new();
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        match bytes.get(i) {
            None => return Err(refuse(what, at, format!("the tag <{name}> is not closed with '>'"))),
            Some(b'>') => return Ok((name, false, i + 1 - at)),
            Some(b'/') => {
                return if bytes.get(i + 1) == Some(&b'>') {
                    Ok((name, true, i + 2 - at))
                } else {
                    Err(refuse(what, i, format!("a stray '/' in <{name}>")))
                };
            }
            Some(b) if is_name_byte(*b) => {
                let a_start = i;
                while i < bytes.len() && is_name_byte(bytes[i]) {
                    i += 1;
                }
                let attr = html[a_start..i].to_ascii_lowercase();
                if seen.contains(&attr) {
                    return Err(refuse(what, a_start, format!("the attribute {attr} appears twice in <{name}>")));
                }
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                if bytes.get(i) != Some(&b'=') {
                    return Err(refuse(what, a_start, format!("the attribute {attr} of <{name}> has no quoted value")));
                }
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                let quote = match bytes.get(i) {
                    Some(q @ (b'"' | b'\'')) => *q,
                    _ => {
                        return Err(refuse(what, a_start, format!("the value of {attr} in <{name}> is not in quotes")));
                    }
                };
                i += 1;
                let v_start = i;
                while i < bytes.len() && bytes[i] != quote {
                    match bytes[i] {
                        b'<' => return Err(refuse(what, i, format!("'<' in the value of {attr} (write &lt;)"))),
                        b'&' => {
                            i = check_reference(html, i, what)?;
                            continue;
                        }
                        _ => i += 1,
                    }
                }
                if i >= bytes.len() {
                    return Err(refuse(what, v_start, format!("the value of {attr} in <{name}> is not closed")));
                }
                i += 1;
                seen.push(attr);
            }
            Some(_) => return Err(refuse(what, i, format!("unexpected character in <{name}>"))),
        }
    }
}

/// An entity or character reference at `at` (`&amp;`, `&#233;`, `&#xE9;`);
/// returns the index after it.
fn check_reference(html: &str, at: usize, what: &str) -> Result<usize> {
    let rest = &html.as_bytes()[at + 1..];
    let body_len = match rest.first() {
        Some(b'#') => match rest.get(1) {
            Some(b'x' | b'X') => {
                let n = rest[2..].iter().take_while(|b| b.is_ascii_hexdigit()).count();
                if n == 0 { 0 } else { 2 + n }
            }
            _ => {
                let n = rest[1..].iter().take_while(|b| b.is_ascii_digit()).count();
                if n == 0 { 0 } else { 1 + n }
            }
        },
        Some(b) if b.is_ascii_alphabetic() => rest.iter().take_while(|b| b.is_ascii_alphanumeric()).count(),
        _ => 0,
    };
    if body_len == 0 || rest.get(body_len) != Some(&b';') {
        return Err(refuse(what, at, "'&' that is not an entity or character reference (write &amp;)"));
    }
    Ok(at + 1 + body_len + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The character-by-character rule the fast path must match.
    fn escaped_slowly(text: &str) -> String {
        let mut out = String::new();
        for c in text.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                '\t' | '\n' | '\r' => out.push(c),
                c if (c as u32) < 0x20 || c == '\u{7f}' || c == '\u{fffe}' || c == '\u{ffff}' => {}
                c => out.push(c),
            }
        }
        out
    }

    #[test]
    fn escaping_copies_runs_and_replaces_exactly_the_special_characters() {
        for text in [
            "",
            "plain",
            "a & b < c > d \" e ' f",
            "\u{1}\u{1f}\u{7f}x\ty\nz\r",
            "\u{fffe}\u{ffff}\u{fffd}\u{fefe}\u{efbf}é漢字🙂&",
            "&&&<<<>>>",
            "\u{ffff}",
            "ends with \u{ef}",
        ] {
            let mut fast = String::new();
            push_escaped(&mut fast, text);
            assert_eq!(fast, escaped_slowly(text), "{text:?}");
        }
    }

    fn ok(html: &str) {
        check_well_formed(html, "x").unwrap_or_else(|e| panic!("{html:?}: {e}"));
    }

    fn bad(html: &str, says: &str) {
        match check_well_formed(html, "x") {
            Err(Error::InvalidInput(m)) => assert!(m.contains(says), "{html:?}: {m:?} should say {says:?}"),
            other => panic!("{html:?}: expected InvalidInput, got {other:?}"),
        }
    }

    #[test]
    fn well_formed_inputs_pass() {
        ok("<p>Hello <b>world</b> &amp; &#233; &#xE9; &nbsp;</p>");
        ok("<img src='a.png' alt=\"x\"/><br><br /><hr>");
        ok("<!DOCTYPE html><html><head><title>t</title></head><body><p data-id=\"a\">x</p></body></html>");
        ok("<!-- a <comment> --><P>mixed case</p>");
        ok("<object data-attachment=\"a.pdf\" data=\"name:part1\" type=\"application/pdf\" />");
        ok("<script>if (a < b && c) {}</script><p>x</p>");
        ok("plain text, no tags");
    }

    #[test]
    fn malformed_inputs_are_named() {
        bad("<p>unclosed", "<p> is never closed");
        bad("<p><b>x</p></b>", "<b> (opened at byte 3) is closed by </p>");
        bad("</p>", "</p> closes nothing");
        bad("<p class=x>y</p>", "not in quotes");
        bad("<p hidden>y</p>", "no quoted value");
        bad("<p a=\"1\" a=\"2\">y</p>", "appears twice");
        bad("a & b", "'&' that is not an entity");
        bad("a < b", "'<' that does not start a tag");
        bad("<p title=\"a<b\">x</p>", "'<' in the value");
        bad("<p", "not closed with '>'");
        bad("<!-- open", "comment is not closed");
    }

    #[test]
    fn escaping_covers_markup_and_drops_control_characters() {
        assert_eq!(
            escape_html("<a href=\"x\">'&'</a>\u{1}\n"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;\n"
        );
    }
}
