//! Golden tests: Markdown -> OneNote XHTML (`tests/golden/markdown/*.md`
//! -> `.html`) and page HTML -> text (`tests/golden/text/*.html` ->
//! `.txt`). `UPDATE_GOLDEN=1 cargo test -p msgraph-onenote --test golden`
//! rewrites the expected files (review the diff).

use std::path::{Path, PathBuf};

use msgraph_onenote::{check_well_formed, page_text, render_markdown};

fn cases(dir: &str, ext: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
}

fn compare(input: &Path, expected_ext: &str, got: &str) {
    let expected_path = input.with_extension(expected_ext);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&expected_path, got).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&expected_path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1)", expected_path.display()));
    assert_eq!(got, expected, "{}", input.display());
}

#[test]
fn markdown_renders_to_the_expected_onenote_xhtml() {
    let files = cases("markdown", "md");
    assert!(files.len() >= 12, "{} documents", files.len());
    for md in files {
        let page = render_markdown(&std::fs::read_to_string(&md).unwrap());
        check_well_formed(&page.html, "the rendered Markdown").unwrap_or_else(|e| panic!("{}: {e}", md.display()));
        // one block a line, for reviewable diffs (the renderer writes no newlines between tags)
        let mut got = page.html.clone();
        for tag in ["</p>", "</h1>", "</h2>", "</h3>", "</h4>", "</h5>", "</h6>", "</li>", "</ul>", "</ol>", "</pre>"] {
            got = got.replace(tag, &format!("{tag}\n"));
        }
        for tag in ["<ul>", "<ol>", "</tr>", "</table>"] {
            got = got.replace(tag, &format!("{tag}\n"));
        }
        got = got.replace("<table border=\"1\">", "<table border=\"1\">\n").replace("<ol start=", "\n<ol start=");
        got = got.replace("\n\n", "\n");
        if !got.ends_with('\n') {
            got.push('\n');
        }
        for image in &page.images {
            got.push_str(&format!("<!-- {}: {} -->\n", image.part_name, image.path.display()));
        }
        compare(&md, "html", &got);
    }
}

#[test]
fn page_html_gives_the_expected_text() {
    let files = cases("text", "html");
    assert!(files.len() >= 12, "{} documents", files.len());
    for html in files {
        let mut got = page_text(&std::fs::read_to_string(&html).unwrap());
        got.push('\n');
        compare(&html, "txt", &got);
    }
}
