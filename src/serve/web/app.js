// newsdex's page: search, facets, histogram and the article view, over the
// JSON API of `newsdex serve`. Plain DOM, no framework: the state lives in
// the URL (so a search can be bookmarked and the back button works) and
// every view is rendered from it.
"use strict";

const PAGE = 10;
const FILTERS = ["person", "place", "org", "source"];
const TYPES = [["person", "Persons"], ["place", "Places"], ["org", "Organizations"]];
const app = document.getElementById("app");

// ---- state <-> URL ----------------------------------------------------------

function readState() {
  const p = new URLSearchParams(location.search);
  const s = { q: p.get("q") || "", sort: p.get("sort") || "relevance",
              page: Math.max(1, parseInt(p.get("page") || "1", 10) || 1),
              from: p.get("from") || "", to: p.get("to") || "",
              main: p.get("main") === "1", article: p.get("article") || "" };
  for (const f of FILTERS) s[f] = p.getAll(f).filter(Boolean);
  return s;
}

function stateQuery(s, withArticle) {
  const p = new URLSearchParams();
  if (s.q) p.set("q", s.q);
  for (const f of FILTERS) for (const v of s[f]) p.append(f, v);
  if (s.from) p.set("from", s.from);
  if (s.to) p.set("to", s.to);
  if (s.main) p.set("main", "1");
  if (s.sort && s.sort !== "relevance") p.set("sort", s.sort);
  if (s.page > 1) p.set("page", String(s.page));
  if (withArticle && s.article) p.set("article", s.article);
  return p;
}

function go(s) {
  const url = "/?" + stateQuery(s, true).toString();
  history.pushState(null, "", url);
  render();
}

function change(fn) {
  const s = readState();
  fn(s);
  go(s);
}

window.addEventListener("popstate", render);

// ---- API --------------------------------------------------------------------

async function api(path, params) {
  const url = "/api/" + path + (params ? "?" + params.toString() : "");
  const res = await fetch(url);
  let body;
  try { body = await res.json(); } catch (e) { body = { error: res.statusText }; }
  if (!res.ok) throw new Error(body.error || ("HTTP " + res.status));
  return body;
}

function filterParams(s) {
  const p = stateQuery(s, false);
  p.delete("page");
  p.delete("sort");
  return p;
}

// ---- DOM helpers ------------------------------------------------------------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

// Pieces of `text` split at byte ranges (the API's offsets are UTF-8 bytes):
// plain strings, and for each range what `wrap(piece, range)` makes of it.
function byteRanges(text, ranges, wrap) {
  const bytes = new TextEncoder().encode(text);
  const dec = new TextDecoder();
  const out = [];
  let at = 0;
  for (const r of [...ranges].sort((a, b) => a[0] - b[0])) {
    const [start, end] = r;
    if (start < at || end > bytes.length || end <= start) continue;
    if (start > at) out.push(dec.decode(bytes.subarray(at, start)));
    out.push(wrap(dec.decode(bytes.subarray(start, end)), r));
    at = end;
  }
  if (at < bytes.length) out.push(dec.decode(bytes.subarray(at)));
  return out;
}

function dateText(iso) {
  return iso ? iso.slice(0, 10) : "undated";
}

function searchLink(kind, value, label) {
  const s = { q: "", sort: "relevance", page: 1, from: "", to: "", main: false,
              article: "", person: [], place: [], org: [], source: [] };
  s[kind] = [value];
  return el("a", { href: "/?" + stateQuery(s, false), class: "ent-link " + kind,
                   onclick: (e) => { e.preventDefault(); go(s); } }, label || value);
}

function articleLink(hit, s) {
  const next = Object.assign({}, s, { article: hit.id });
  return el("a", { href: "/?" + stateQuery(next, true), class: "title",
                   onclick: (e) => { e.preventDefault(); go(next); } },
            hit.title || "(no title)");
}

// ---- layout -----------------------------------------------------------------

function header(s) {
  const input = el("input", { id: "q", type: "search", name: "q", value: s.q,
    placeholder: 'words, "phrases", AND/OR/NOT, person:"…" place:… after:2019',
    "aria-label": "Search query", autocomplete: "off" });
  const sort = el("select", { id: "sort", "aria-label": "Sort order",
                              onchange: () => change((t) => { t.sort = sort.value; t.page = 1; t.article = ""; }) },
    ...[["relevance", "Relevance"], ["newest", "Newest"], ["oldest", "Oldest"]].map(
      ([v, l]) => el("option", { value: v, selected: v === s.sort }, l)));
  const form = el("form", { role: "search", class: "search",
    onsubmit: (e) => { e.preventDefault();
      change((t) => { t.q = input.value.trim(); t.page = 1; t.article = ""; }); } },
    input, sort, el("button", { type: "submit" }, "Search"));
  return el("header", {},
    el("a", { href: "/", class: "brand", onclick: (e) => { e.preventDefault(); go(readState0()); } }, "newsdex"),
    form);
}

function readState0() {
  return { q: "", sort: "relevance", page: 1, from: "", to: "", main: false,
           article: "", person: [], place: [], org: [], source: [] };
}

function chips(s) {
  const list = [];
  const label = { person: "Person", place: "Place", org: "Org", source: "Source" };
  for (const f of FILTERS) for (const v of s[f]) {
    list.push(chip(label[f] + ": " + v, (t) => { t[f] = t[f].filter((x) => x !== v); }));
  }
  if (s.from) list.push(chip("From: " + s.from, (t) => { t.from = ""; }));
  if (s.to) list.push(chip("To: " + s.to, (t) => { t.to = ""; }));
  if (s.main) list.push(chip("Main entities only", (t) => { t.main = false; }));
  if (!list.length) return null;
  return el("div", { class: "chips", "aria-label": "Active filters" }, ...list);
}

function chip(text, remove) {
  return el("button", { class: "chip", type: "button", title: "Remove filter",
    "aria-label": "Remove filter " + text,
    onclick: () => change((t) => { remove(t); t.page = 1; t.article = ""; }) },
    text, el("span", { "aria-hidden": "true", class: "x" }, "×"));
}

function addFilter(kind, value) {
  change((t) => { if (!t[kind].includes(value)) t[kind].push(value); t.page = 1; t.article = ""; });
}

// ---- search view ------------------------------------------------------------

// Two requests at once: the page of hits, and the facets and histogram
// over every match (no hits). The hits show as soon as they come: counting
// every match is what takes longest on a large archive.
async function renderSearch(s, main, aside) {
  const hitsQuery = filterParams(s);
  hitsQuery.set("limit", String(PAGE));
  hitsQuery.set("offset", String((s.page - 1) * PAGE));
  hitsQuery.set("sort", s.sort);
  const countsQuery = filterParams(s);
  countsQuery.set("limit", "0");
  countsQuery.set("facets", "1");
  countsQuery.set("histogram", "month");
  const counting = api("search", countsQuery);
  counting.catch(() => {});  // awaited below, once the hits are shown
  let r;
  try { r = await api("search", hitsQuery); } catch (e) { return showError(main, e); }
  const count = el("p", { id: "count", "aria-live": "polite" },
    r.total.toLocaleString("en") + (r.total === 1 ? " article" : " articles"));
  const chart = el("div", { class: "histogram-slot" });
  const list = el("ol", { class: "hits", start: String(r.offset + 1) });
  for (const hit of r.hits) list.append(hitItem(hit, s));
  main.replaceChildren(count, chart, list);
  if (!r.hits.length) main.append(el("p", { class: "empty" }, "Nothing matched."));
  main.append(pager(r, s));
  aside.replaceChildren(el("p", { class: "loading" }, "Counting…"));
  let c;
  try { c = await counting; } catch (e) {
    aside.replaceChildren(el("p", { class: "error", role: "alert" }, e.message));
    return;
  }
  if (c.histogram) chart.replaceWith(histogram(c.histogram, s));
  aside.replaceChildren(...facetBlocks(c.facets || {}, s));
}

function hitItem(hit, s) {
  const meta = el("div", { class: "meta" },
    el("time", { datetime: hit.date || "" }, dateText(hit.date)),
    hit.source ? el("span", { class: "source" }, hit.source) : null);
  const snippet = el("p", { class: "snippet" },
    ...byteRanges(hit.snippet.text, hit.snippet.highlights, (t) => el("mark", {}, t)));
  return el("li", { class: "hit" }, meta, el("h2", {}, articleLink(hit, s)), snippet);
}

function pager(r, s) {
  const pages = Math.max(1, Math.ceil(Math.min(r.total, 10000 + PAGE) / PAGE));
  const nav = el("nav", { class: "pager", "aria-label": "Pages" });
  const to = (n) => () => change((t) => { t.page = n; t.article = ""; });
  nav.append(el("button", { type: "button", disabled: s.page <= 1, onclick: to(s.page - 1) }, "← Previous"));
  nav.append(el("span", {}, "Page " + s.page + " of " + pages));
  nav.append(el("button", { type: "button", disabled: s.page >= pages, onclick: to(s.page + 1) }, "Next →"));
  return nav;
}

function histogram(h, s) {
  // Months, or years when they would be too many bars to tell apart.
  let buckets = h.buckets;
  if (buckets.length > 36) {
    const years = new Map();
    for (const b of buckets) {
      const y = b.period.slice(0, 4);
      years.set(y, (years.get(y) || 0) + b.articles);
    }
    buckets = [...years].map(([period, articles]) => ({ period, articles }));
  }
  const box = el("figure", { class: "histogram" });
  if (!buckets.length) return box;
  const max = Math.max(...buckets.map((b) => b.articles));
  const bars = el("div", { class: "bars", role: "group",
                           "aria-label": "Articles over time: click a bar, or drag across bars, to filter by date" });
  let dragFrom = null;
  const pick = (a, b) => change((t) => {
    const [lo, hi] = a <= b ? [a, b] : [b, a];
    t.from = lo; t.to = hi; t.page = 1; t.article = "";
  });
  for (const b of buckets) {
    const bar = el("button", { type: "button", class: "bar", "data-period": b.period,
      title: b.period + ": " + b.articles + " articles",
      "aria-label": b.period + ", " + b.articles + " articles" },
      el("span", { class: "fill" }));
    bar.firstChild.style.height = Math.max(2, Math.round(100 * b.articles / max)) + "%";
    bar.addEventListener("pointerdown", () => { dragFrom = b.period; });
    bar.addEventListener("pointerup", () => {
      const from = dragFrom || b.period;
      dragFrom = null;
      pick(from, b.period);
    });
    bar.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); pick(b.period, b.period); }
    });
    bars.append(bar);
  }
  const first = buckets[0].period, last = buckets[buckets.length - 1].period;
  box.append(bars, el("figcaption", {},
    el("span", {}, first), el("span", {}, h.undated ? h.undated + " undated" : ""), el("span", {}, last)));
  return box;
}

function facetBlocks(facets, s) {
  const main = el("input", { type: "checkbox", id: "main-only", checked: s.main,
    onchange: () => change((t) => { t.main = main.checked; t.page = 1; t.article = ""; }) });
  const blocks = [el("label", { class: "main-toggle", for: "main-only",
    title: "Entity filters and counts only over the entities articles are about: named in the headline, dateline or lead, or mentioned twice" },
    main, " Only entities the articles are about")];
  for (const [kind, title] of TYPES) {
    const values = facets[kind] || [];
    const list = el("ul", { class: "facet facet-" + kind });
    for (const v of values) {
      if (s[kind].includes(v.value)) continue;
      list.append(kind === "place" ? placeNode(v.value, v.value, v.articles, s) : facetItem(kind, v.value, v.value, v.articles));
    }
    blocks.push(el("section", { class: "facets" }, el("h3", {}, title),
      list.childElementCount ? list : el("p", { class: "empty" }, "none")));
  }
  return blocks;
}

function facetItem(kind, value, label, articles) {
  return el("li", {}, facetButton(kind, value, label, articles));
}

function facetButton(kind, value, label, articles) {
  return el("button", { type: "button", class: "value", "data-value": value,
                        title: "Filter by " + value, onclick: () => addFilter(kind, value) },
    el("span", { class: "name" }, label), el("span", { class: "n" }, articles.toLocaleString("en")));
}

// A place of the tree: its button and, for countries and regions, a toggle
// that loads what is inside it (counted over the current results).
function placeNode(path, label, articles, s) {
  const li = el("li", { class: "place" });
  const toggle = el("button", { type: "button", class: "toggle", "aria-expanded": "false",
                                "aria-label": "Show places inside " + label }, "▸");
  const child = el("ul", { class: "facet sub", hidden: true });
  let loaded = false;
  toggle.addEventListener("click", async () => {
    const open = toggle.getAttribute("aria-expanded") === "true";
    toggle.setAttribute("aria-expanded", String(!open));
    toggle.textContent = open ? "▸" : "▾";
    child.hidden = open;
    if (open || loaded) return;
    loaded = true;
    const p = filterParams(s);
    p.set("type", "place");
    p.set("within", path);
    p.set("top", "40");
    try {
      const list = await api("entities", p);
      fillPlaces(child, path, list.values, s);
    } catch (e) { child.append(el("li", { class: "error" }, e.message)); }
  });
  li.append(toggle, facetButton("place", path, label, articles), child);
  return li;
}

// Regions under the country, cities under their region (or the country
// when their region did not make the list).
function fillPlaces(ul, parent, values, s) {
  const depth = parent.split(" / ").length;
  const direct = values.filter((v) => v.path.length === depth + 1);
  const deeper = values.filter((v) => v.path.length > depth + 1);
  for (const v of direct) {
    const kids = deeper.filter((d) => d.name.startsWith(v.name + " / "));
    const li = el("li", { class: "place" }, el("span", { class: "toggle-space" }), facetButton("place", v.name, v.path[v.path.length - 1], v.articles));
    if (kids.length) {
      const sub = el("ul", { class: "facet sub" });
      for (const k of kids) {
        sub.append(el("li", { class: "place" }, el("span", { class: "toggle-space" }),
          facetButton("place", k.name, k.path[k.path.length - 1], k.articles)));
      }
      li.append(sub);
    }
    ul.append(li);
  }
  for (const d of deeper) {
    if (direct.some((v) => d.name.startsWith(v.name + " / "))) continue;
    ul.append(facetItem("place", d.name, d.path.slice(depth).join(" / "), d.articles));
  }
  if (!values.length) ul.append(el("li", { class: "empty" }, "nothing inside"));
}

// ---- article view -------------------------------------------------------------

async function renderArticle(s, main, aside) {
  const id = encodeURIComponent(s.article);
  let a, marks;
  try {
    [a, marks] = await Promise.all([api("article/" + id), api("article/" + id + "/mentions")]);
  } catch (e) { return showError(main, e); }
  const back = Object.assign({}, s, { article: "" });
  const backLink = el("a", { href: "/?" + stateQuery(back, false), class: "back",
                             onclick: (e) => { e.preventDefault(); history.length > 1 ? history.back() : go(back); } },
                      "← Results");
  const by = (field) => marks.mentions.filter((m) => m.field === field).map((m) => [m.start, m.end, m]);
  const marked = (text, field) => byteRanges(text, by(field), (t, r) => {
    const m = r[2];
    return el("mark", { class: "ent " + m.type, "data-type": m.type, "data-value": m.value,
                        title: m.type + ": " + m.value }, t);
  });
  const meta = el("p", { class: "meta" },
    el("time", { datetime: a.published || "" }, dateText(a.published)),
    a.source ? el("span", { class: "source" }, a.source) : null,
    a.dateline ? el("span", {}, a.dateline) : null,
    a.url ? el("a", { href: a.url, rel: "noreferrer noopener", target: "_blank" }, "original") : null);
  const article = el("article", { id: "article" },
    backLink,
    el("h1", { id: "article-title" }, ...marked(a.title, "title")),
    meta,
    a.standfirst ? el("p", { class: "standfirst" }, ...marked(a.standfirst, "standfirst")) : null,
    el("div", { id: "article-text", class: "body" }, ...marked(a.body, "body")),
    el("p", { class: "legend" }, "Marked: ",
      el("mark", { class: "ent person" }, "person"), " ",
      el("mark", { class: "ent place" }, "place"), " ",
      el("mark", { class: "ent org" }, "organization")),
    el("p", { class: "path" }, a.path + (a.record ? " #" + a.record : "")));
  main.replaceChildren(article);
  document.title = a.title + " · newsdex";
  const side = [];
  for (const [kind, title] of TYPES) {
    const values = a[kind + "s"] || [];
    side.push(el("section", { class: "facets entities-" + kind }, el("h3", {}, title),
      values.length ? el("ul", { class: "facet" }, ...values.map((v) => el("li", {}, searchLink(kind, v))))
                    : el("p", { class: "empty" }, "none")));
  }
  const related = el("section", { class: "related" }, el("h3", {}, "Related articles"), el("p", {}, "Loading…"));
  side.push(related);
  aside.replaceChildren(...side);
  try {
    const r = await api("related/" + id, new URLSearchParams({ limit: "8" }));
    related.replaceChildren(el("h3", {}, "Related articles"), r.hits.length
      ? el("ul", { class: "related-list" }, ...r.hits.map((h) => el("li", {}, articleLink(h, back),
          el("span", { class: "meta" }, " " + dateText(h.date)))))
      : el("p", { class: "empty" }, "none"));
  } catch (e) { related.append(el("p", { class: "error" }, e.message)); }
}

function showError(main, e) {
  main.replaceChildren(el("p", { class: "error", role: "alert" }, e.message));
}

// ---- render -----------------------------------------------------------------

let rendering = 0;

async function render() {
  const s = readState();
  const ticket = ++rendering;
  const main = el("main", { id: "main", "aria-busy": "true" }, el("p", { class: "loading" }, "Loading…"));
  const aside = el("aside", { id: "side", "aria-label": s.article ? "Entities and related articles" : "Filters" });
  const filters = chips(s);
  app.replaceChildren(header(s), el("div", { class: "layout" },
    el("div", { class: "content" }, s.article ? null : filters, main), aside));
  document.title = (s.q ? s.q + " · " : "") + "newsdex";
  if (s.article) await renderArticle(s, main, aside);
  else await renderSearch(s, main, aside);
  if (ticket === rendering) main.setAttribute("aria-busy", "false");
}

document.addEventListener("keydown", (e) => {
  const typing = /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName);
  if (e.key === "/" && !typing) { e.preventDefault(); document.getElementById("q").focus(); }
});

render();
