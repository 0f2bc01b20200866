//! Property-style tests with a seeded generator: any Markdown (generated
//! from pieces, then mutated) renders to well-formed XHTML, checked by an
//! independent XML parser (roxmltree); nothing panics on any input.

use msgraph_onenote::{Template, check_well_formed, page_text, render_markdown};

const PIECES: &[&str] = &[
    "# Heading\n",
    "## Sub *x*\n",
    "plain words ",
    "*em*",
    "**strong**",
    "***both***",
    "_under_",
    "`code`",
    "``tick ` in``",
    "\n\n",
    "\n",
    "  \n",
    "\\\n",
    "- item\n",
    "  - nested\n",
    "1. one\n",
    "3) three\n",
    "- [ ] todo\n",
    "- [x] done\n",
    "* [X] Done\n",
    "> quote\n",
    "> > deeper\n",
    "```\ncode <b>\n```\n",
    "~~~rust\nfn x() {}\n",
    "    indented\n",
    "| a | b |\n| --- | :-: |\n| 1 | 2 |\n",
    "| x |\n|---|\n",
    "[link](https://example.com?a=1&b=2)",
    "[js](javascript:alert(1))",
    "<https://auto.link>",
    "![img](a.png)",
    "![remote](https://x/y.jpg \"t\")",
    "![a ![nested](b.png) c](c.png)",
    "<div>raw</div>\n",
    "<b>inline</b>",
    "<!-- comment -->",
    "&amp;",
    "&copy;",
    "&#0;",
    "&#x1F600;",
    "&bogus;",
    "<",
    ">",
    "&",
    "\"",
    "'",
    "\u{0}",
    "\u{1}",
    "\u{7}",
    "\u{b}",
    "\u{c}",
    "\u{1b}",
    "\u{7f}",
    "\u{fffe}",
    "\u{ffff}",
    "é",
    "日本",
    "🎉",
    "\u{202e}",
    "\r\n",
    "\t",
    "---\n",
    "***\n",
    "___\n",
    "[ref]: https://r.example\n",
    "[ref]",
    "\\*",
    "\\<",
    "|",
    "{{x}}",
    "\u{E000}0\u{E001}",
    "[^1]",
    "$x$",
    "<script>alert(1)</script>",
    "]]>",
    "<![CDATA[x]]>",
];

const ALPHABET: &[char] = &[
    '#', '*', '_', '`', '[', ']', '(', ')', '!', '<', '>', '&', ';', '|', '-', '+', '\n', ' ', '\t', '\\', '"', '\'',
    '~', ':', '/', 'a', 'x', '1', '.', 'é', '\u{0}', '\u{8}', '{', '}',
];

fn generate(rng: &mut fastrand::Rng) -> String {
    let n = rng.usize(0..40);
    let mut s = String::new();
    for _ in 0..n {
        s.push_str(PIECES[rng.usize(..PIECES.len())]);
    }
    // mutate: insert, delete or replace characters
    let mut chars: Vec<char> = s.chars().collect();
    for _ in 0..rng.usize(0..8) {
        match rng.u8(0..3) {
            0 => {
                let at = rng.usize(0..=chars.len());
                chars.insert(at, ALPHABET[rng.usize(..ALPHABET.len())]);
            }
            1 if !chars.is_empty() => {
                let at = rng.usize(..chars.len());
                chars.remove(at);
            }
            _ if !chars.is_empty() => {
                let at = rng.usize(..chars.len());
                chars[at] = ALPHABET[rng.usize(..ALPHABET.len())];
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}

fn assert_xml(html: &str, input: &str) {
    let doc = format!("<body>{html}</body>");
    if let Err(e) = roxmltree::Document::parse(&doc) {
        panic!("not well-formed XML ({e}) from Markdown {input:?}:\n{html}");
    }
    if let Err(e) = check_well_formed(html, "rendered") {
        panic!("refused by the crate's own check ({e}) from Markdown {input:?}:\n{html}");
    }
}

#[test]
fn any_markdown_renders_to_well_formed_xhtml() {
    let mut rng = fastrand::Rng::with_seed(0x0_4e0_7e5);
    for _ in 0..3000 {
        let md = generate(&mut rng);
        let page = render_markdown(&md);
        assert_xml(&page.html, &md);
        for (i, img) in page.images.iter().enumerate() {
            assert_eq!(img.part_name, format!("image{}", i + 1));
        }
        // its text can be read back
        let _ = page_text(&page.html);
    }
}

#[test]
fn any_template_values_stay_text_and_well_formed() {
    let mut rng = fastrand::Rng::with_seed(42);
    for _ in 0..500 {
        let mut value = || generate(&mut rng);
        let vars = [
            ("date", value()),
            ("attendees", value()),
            ("agenda", value()),
            ("notes", value()),
            ("action_items", value()),
        ];
        let page = Template::MeetingNotes.render(vars.clone()).unwrap();
        assert_xml(&page.html, &format!("{vars:?}"));
        assert!(page.images.is_empty(), "a value never becomes an image part");
    }
}

#[test]
fn no_panic_on_any_html() {
    let mut rng = fastrand::Rng::with_seed(7);
    let tags = [
        "<p>",
        "</p>",
        "<li>",
        "<ul>",
        "</ol>",
        "<td>",
        "<tr>",
        "</td>",
        "<br>",
        "<pre>",
        "</pre>",
        "<script>",
        "</script>",
        "<style>",
        "<title>",
        "</title>",
        "<img alt='x'>",
        "<object data-attachment=\"f\">",
        "<p data-tag=\"to-do:completed\">",
        "<li data-tag='to-do'>",
        "<table>",
        "</table>",
        "<!--",
        "-->",
        "&amp;",
        "&#",
        "&#x",
        "<",
        ">",
        "&",
        "text ",
        "\n",
        "<ol start=\"99999999999999999999\">",
        "<![CDATA[",
        "<!DOCTYPE",
    ];
    for _ in 0..3000 {
        let n = rng.usize(0..60);
        let mut html = String::new();
        for _ in 0..n {
            html.push_str(tags[rng.usize(..tags.len())]);
        }
        let _ = page_text(&html);
        let _ = check_well_formed(&html, "random");
    }
}

#[test]
fn a_value_that_looks_like_a_placeholder_token_is_not_substituted_again() {
    let t = Template::custom("t", "{{a}} / {{b}}");
    let page = t.render([("a", "\u{E000}1\u{E001}"), ("b", "B")]).unwrap();
    assert_eq!(page.html, "<p>\u{E000}1\u{E001} / B</p>");
}
