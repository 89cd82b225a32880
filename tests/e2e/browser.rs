//! The page of `newsdex serve` in headless Chromium, used as a person would:
//! type a query, click a facet value, remove the chip with the back button,
//! pick a period on the histogram, open an article and see its entities
//! marked. Screenshots of each state go to `$NEWSDEX_SCREENSHOTS` (the
//! committed ones are in `benches/results/serve/`), else to a temp folder.
//!
//! Reported as ignored where no Chromium was found at build time (see
//! `build.rs`); `.ci/run` installs Debian's `chromium`.

use std::path::PathBuf;

use crate::cdp::Browser;
use crate::http::{Served, sample_index};

/// The number the result count shows ("1,234 articles" → 1234).
fn count(browser: &mut Browser) -> u64 {
    let text = browser.wait_for(
        "document.querySelector('main[aria-busy=false] #count')?.textContent",
        "the result count",
    );
    text.as_str()
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .replace(',', "")
        .parse()
        .unwrap_or_else(|_| panic!("count {text}"))
}

fn chips(browser: &mut Browser) -> Vec<String> {
    let chips = browser.eval("[...document.querySelectorAll('.chip')].map(c => c.textContent)");
    chips
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect()
}

#[test]
#[cfg_attr(not(chromium), ignore = "needs chromium (apt-get install chromium)")]
fn a_person_searches_filters_and_reads_in_chromium() {
    let env = sample_index();
    let server = Served::start(&env.index(), &[]);
    let shots = std::env::var_os("NEWSDEX_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| env.dir.path().join("screenshots"));
    std::fs::create_dir_all(&shots).unwrap();
    let mut browser = Browser::launch();
    browser.viewport(1280, 900, false);

    // The whole archive first.
    browser.navigate(&server.url("/"));
    let everything = count(&mut browser);
    assert!(everything > 40, "{everything}");

    // Type a query and press Enter.
    browser.click("#q");
    browser.type_text("syria");
    browser.press("Enter", 13);
    browser.wait_for(
        "location.search.includes('q=syria')",
        "the query in the URL",
    );
    let syria = count(&mut browser);
    assert!(0 < syria && syria < everything, "{syria} of {everything}");
    let api = server.json("/api/search?q=syria&limit=0", 200);
    assert_eq!(syria, api["total"].as_u64().unwrap());
    assert!(chips(&mut browser).is_empty());
    browser.wait_for(
        "document.querySelectorAll('.hit mark').length",
        "highlighted words in the snippets",
    );
    browser.screenshot(&shots.join("search.png"));

    // Click a place in the facet list that narrows the results.
    let picked = browser.wait_for(
        &format!(
            "(() => {{ const b = [...document.querySelectorAll('.facet-place > li > button.value')] \
             .find(b => Number(b.querySelector('.n').textContent.replace(/,/g, '')) < {syria}); \
             if (!b) return null; b.id = 'picked'; \
             return [b.dataset.value, Number(b.querySelector('.n').textContent.replace(/,/g, ''))]; }})()"
        ),
        "a place facet value narrower than the results",
    );
    let (place, articles) = (
        picked[0].as_str().unwrap().to_string(),
        picked[1].as_u64().unwrap(),
    );
    browser.click("#picked");
    browser.wait_for("location.search.includes('place=')", "the place in the URL");
    let narrowed = count(&mut browser);
    assert_eq!(
        narrowed, articles,
        "the facet's count is the filtered total"
    );
    assert!(narrowed < syria);
    assert_eq!(chips(&mut browser), [format!("Place: {place}×")]);
    browser.screenshot(&shots.join("facet-filter.png"));

    // Open the place tree of a country: regions and cities inside it.
    browser.click(".facet-place .toggle");
    browser.wait_for(
        "document.querySelectorAll('.facet-place .sub li').length",
        "places inside the country",
    );
    browser.screenshot(&shots.join("place-tree.png"));

    // The back button removes the filter again.
    browser.eval("history.back()");
    browser.wait_for(
        "!location.search.includes('place=')",
        "the URL without the place",
    );
    assert_eq!(count(&mut browser), syria);
    assert!(chips(&mut browser).is_empty());

    // Removing a chip by clicking it works as well.
    browser.click("#picked, .facet-place > li > button.value");
    browser.wait_for("document.querySelector('.chip')", "a chip");
    browser.click(".chip");
    browser.wait_for("!document.querySelector('.chip')", "no chip");
    assert_eq!(count(&mut browser), syria);

    // Only what the articles are about: a checkbox, then a chip. Facet
    // counts follow; the words still match the same articles.
    browser.click("#main-only");
    browser.wait_for("location.search.includes('main=1')", "main=1 in the URL");
    assert_eq!(count(&mut browser), syria);
    assert_eq!(chips(&mut browser), ["Main entities only×"]);
    browser.click(".chip");
    browser.wait_for("!location.search.includes('main=1')", "main=1 gone");
    assert_eq!(count(&mut browser), syria);

    // Open the first article: its entities are marked in the text.
    let title = browser.wait_for(
        "document.querySelector('.hit a.title')?.textContent",
        "a hit",
    );
    browser.click(".hit a.title");
    browser.wait_for("document.querySelector('#article-text')", "the article");
    assert_eq!(
        browser.eval("document.querySelector('#article-title').textContent"),
        title
    );
    let marked = browser.wait_for(
        "(() => { const m = [...document.querySelectorAll('#article mark.ent[data-value]')]; \
         return m.length ? m.map(e => [e.dataset.type, e.textContent, e.dataset.value]) : null; })()",
        "entities marked in the text",
    );
    let marked = marked.as_array().unwrap();
    assert!(
        marked.iter().any(|m| m[0] == "place"),
        "no place marked: {marked:?}"
    );
    // Each marked value is listed beside the text, as a link to search it.
    let listed =
        browser.eval("[...document.querySelectorAll('aside .ent-link')].map(a => a.textContent)");
    let listed: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for m in marked {
        let value = m[2].as_str().unwrap();
        let kind = m[0].as_str().unwrap();
        assert!(
            listed.contains(&value) || kind == "place",
            "{value} marked but not listed in {listed:?}"
        );
    }
    browser.wait_for(
        "document.querySelector('.related-list li, .related .empty')",
        "related articles",
    );
    browser.screenshot(&shots.join("article.png"));

    // Following an entity link searches by it.
    browser.click("aside .ent-link.place");
    browser.wait_for("location.search.includes('place=')", "a place search");
    assert!(count(&mut browser) >= 1);
    assert_eq!(chips(&mut browser).len(), 1);

    // The histogram of everything: clicking a bar sets from/to to its period.
    browser.navigate(&server.url("/"));
    count(&mut browser);
    let bar = browser.wait_for(
        "(() => { const b = document.querySelector('.bar'); if (!b) return null; \
         b.id = 'first-bar'; return [b.dataset.period, b.getAttribute('aria-label')]; })()",
        "a histogram bar",
    );
    let period = bar[0].as_str().unwrap().to_string();
    let in_bar: u64 = bar[1]
        .as_str()
        .unwrap()
        .split(", ")
        .nth(1)
        .and_then(|n| n.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    browser.click("#first-bar");
    browser.wait_for("location.search.includes('from=')", "from/to in the URL");
    assert_eq!(count(&mut browser), in_bar);
    assert_eq!(
        chips(&mut browser),
        [format!("From: {period}×"), format!("To: {period}×")]
    );
    browser.screenshot(&shots.join("histogram-period.png"));

    // A query the parser rejects shows its message.
    browser.navigate(&server.url("/?q=%28%28%28"));
    let error = browser.wait_for(
        "document.querySelector('[role=alert]')?.textContent",
        "the parser's message",
    );
    assert!(
        error.as_str().unwrap().contains("cannot understand"),
        "{error}"
    );

    // On a phone: one column, still usable.
    browser.viewport(390, 844, true);
    browser.navigate(&server.url("/?q=syria&place=Iraq"));
    count(&mut browser);
    let columns = browser.eval(
        "getComputedStyle(document.querySelector('.layout')).gridTemplateColumns.split(' ').length",
    );
    assert_eq!(columns, 1);
    browser.screenshot(&shots.join("phone.png"));
}
