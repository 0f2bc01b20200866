//! Throughput of the crate's text and Markdown work against plain
//! baselines in the same run: `page_text` against html5ever's tokenizer
//! dropping tags, and `render_markdown` against pulldown-cmark's stock HTML
//! renderer, each on about 1 MB: per side 3 warm-up calls, then the median
//! of 15 timed ones. Run with
//! `cargo run --release -p msgraph-onenote --example throughput`.

use std::cell::RefCell;
use std::time::{Duration, Instant};

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{BufferQueue, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};
use msgraph_onenote::{page_text, render_markdown};

const PAGE_UNIT: &str = r#"<div id="div:{6c7b}{1}" style="position:absolute;left:48px;top:120px;width:624px">
<h2 id="h2:{6c7b}{3}">Weekly sync &amp; planning</h2>
<p id="p:{6c7b}{4}" style="margin-top:0pt">The budget was <span style="font-weight:bold">approved</span> with one change: travel goes from $12k to $9k.</p>
<p data-tag="to-do" id="p:{6c7b}{5}">Send the minutes to the team</p>
<ul><li>Budget review</li><li>Hiring plan<ul><li>two roles</li></ul></li></ul>
<table border="1"><tr><td><p>Owner</p></td><td><p>Item</p></td></tr><tr><td>Ada</td><td>Minutes &eacute;t&eacute;</td></tr></table>
</div>
"#;

const MD_UNIT: &str = "## Weekly sync & planning\n\nThe budget was **approved** with one change: travel goes from `$12k` to *$9k*.\n\n\
- [ ] Send the minutes\n- [x] Share the deck\n- Budget review\n  - nested item\n\n| Owner | Item |\n| --- | ---: |\n| Ada | Minutes |\n\n\
> A quote [with a link](https://example.com/a?b=1&c=2).\n\n```\ncode <b>block</b>\n```\n\n";

struct Drop(RefCell<String>);

impl TokenSink for Drop {
    type Handle = ();
    fn process_token(&self, token: Token, _: u64) -> TokenSinkResult<()> {
        if let Token::CharacterTokens(t) = token {
            self.0.borrow_mut().push_str(&t);
        }
        TokenSinkResult::Continue
    }
}

fn baseline_text(html: &str) -> usize {
    let tok = Tokenizer::new(Drop(RefCell::new(String::new())), TokenizerOpts::default());
    let q = BufferQueue::default();
    q.push_back(StrTendril::from_slice(html));
    let _ = tok.feed(&q);
    tok.end();
    tok.sink.0.borrow().len()
}

fn baseline_markdown(md: &str) -> usize {
    let mut out = String::new();
    pulldown_cmark::html::push_html(
        &mut out,
        pulldown_cmark::Parser::new_ext(
            md,
            pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_TASKLISTS,
        ),
    );
    out.len()
}

/// The median throughput of `f` in MB/s: `warmup` untimed calls, then
/// `runs` timed ones. Each side is measured in a block of its own (timing
/// the two alternately lets one side's freed memory change the other's
/// allocations).
fn rate(bytes: usize, warmup: usize, runs: usize, f: impl Fn() -> usize) -> f64 {
    for _ in 0..warmup {
        std::hint::black_box(f());
    }
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect();
    times.sort();
    bytes as f64 / 1e6 / times[runs / 2].as_secs_f64()
}

fn main() {
    let page = format!(
        "<html><head><title>Big page</title></head><body>{}</body></html>",
        PAGE_UNIT.repeat(1_000_000 / PAGE_UNIT.len())
    );
    let md = MD_UNIT.repeat(1_000_000 / MD_UNIT.len());
    let (warmup, runs) = (3, 15);
    let text = rate(page.len(), warmup, runs, || page_text(&page).len());
    let text_base = rate(page.len(), warmup, runs, || baseline_text(&page));
    let mdr = rate(md.len(), warmup, runs, || render_markdown(&md).html.len());
    let md_base = rate(md.len(), warmup, runs, || baseline_markdown(&md));
    println!(
        "page_text       {:>7.1} MB/s   html5ever tokenizer dropping tags {:>7.1} MB/s   ratio {:.2}",
        text,
        text_base,
        text / text_base
    );
    println!(
        "render_markdown {:>7.1} MB/s   pulldown-cmark push_html          {:>7.1} MB/s   ratio {:.2}",
        mdr,
        md_base,
        mdr / md_base
    );
}
