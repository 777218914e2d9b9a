// Search in the static copy of the portal: Pagefind's index, made at freeze time, searched in
// the browser. Results are built with DOM methods only; no markup from the index is trusted.
// Each result's details are a request of their own, so only the shown ones are loaded: a page
// at a time, the next on "More results".
const PAGE_SIZE = 10;
const form = document.querySelector("form[data-static-search]");
if (form) {
  start(form);
}

async function start(form) {
  const input = form.querySelector("input[name=q]");
  const status = document.getElementById("static-search-status");
  const list = document.getElementById("static-search-results");
  const more = document.getElementById("static-search-more");
  const plural = new Intl.PluralRules(document.documentElement.lang);
  const countForms = JSON.parse(form.dataset.countForms);
  let pending = [];
  const filterBox = document.getElementById("static-search-filters");
  let pagefind;
  let fold;
  try {
    pagefind = await import(form.dataset.pagefind);
    await pagefind.options({ baseUrl: form.dataset.baseUrl });
    fold = await (await fetch(form.dataset.fold)).json();
  } catch (error) {
    status.textContent = form.dataset.unavailable;
    return;
  }
  const params = new URLSearchParams(window.location.search);
  const holdsNumber = numberTest(JSON.parse(form.dataset.numberShapes));
  const notice = document.getElementById("search-number-withheld");
  input.value = params.get("q") || "";
  const selects = await buildFilters(pagefind, form, filterBox, params);

  // A search holding an identity number is not run, and leaves the address bar and the field.
  function withhold(texts) {
    notice.hidden = !texts.some(holdsNumber);
    if (notice.hidden) return false;
    input.value = "";
    window.history.replaceState(null, "", window.location.pathname);
    showNothing("");
    return true;
  }

  function showNothing(message) {
    pending = [];
    more.hidden = true;
    list.replaceChildren();
    status.textContent = message;
  }

  // The next page of results, their details loaded together; focus goes to the first of them
  // when asked for by the button, so that a keyboard user reads on from there.
  async function showMore(focus) {
    const next = pending.slice(0, PAGE_SIZE);
    pending = pending.slice(PAGE_SIZE);
    const items = (await Promise.all(next.map((result) => result.data()))).map(renderResult);
    list.append(...items);
    more.hidden = pending.length === 0;
    if (focus && items.length) items[0].querySelector("a").focus();
  }

  async function run() {
    // Traditional characters folded to simplified with OpenCC's table, as the live search does.
    const query = Array.from(input.value.trim(), (c) => (Object.hasOwn(fold, c) ? fold[c] : c)).join("");
    const filters = {};
    for (const [name, select] of selects) {
      if (select.value) filters[name] = select.value;
    }
    if (!query && Object.keys(filters).length === 0) {
      showNothing("");
      return;
    }
    const search = await pagefind.search(query || null, { filters });
    const results = (await allWordsKnown(pagefind, query, filters)) ? search.results : [];
    if (results.length === 0) {
      showNothing(form.dataset.none);
      return;
    }
    showNothing("");
    pending = results;
    await showMore(false);
    const forms = countForms[plural.select(results.length)] || countForms.other;
    status.textContent = forms.replace("{num}", String(results.length));
  }

  more.addEventListener("click", () => showMore(true));

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (withhold([input.value])) return;
    const next = new URLSearchParams();
    if (input.value.trim()) next.set("q", input.value.trim());
    for (const [name, select] of selects) {
      if (select.value) next.set(name, select.value);
    }
    window.history.replaceState(null, "", `?${next}`);
    run();
  });
  if (!withhold([...params.keys(), ...params.values()])) run();
}

// Pagefind answers a word it does not know with the pages holding its longest known beginning
// (asdkjhqwe finds "as"); the live search, which wants every word, finds nothing then. Every
// page a word finds matched the same beginning, so the word's best page tells: the word is
// known if the word matched there starts like it but for an ending of up to three letters, as
// stemming allows (lend, lends, lending, companies and company all match each other). One
// page's details per typed word, instead of every result's. Chinese words are segmented by
// Pagefind and not checked.
async function allWordsKnown(pagefind, query, filters) {
  const typed = query.toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
  const latin = [...new Set(typed.filter((word) => !/\p{Script=Han}/u.test(word)))];
  const known = await Promise.all(
    latin.map(async (term) => {
      const best = (await pagefind.search(term, { filters })).results[0];
      return best !== undefined && wellMatched(term, await best.data());
    }),
  );
  return known.every(Boolean);
}

function wellMatched(term, data) {
  const words = data.content.toLowerCase().split(/\s+/);
  const matched = data.locations.map((at) => (words[at] || "").replace(/[^\p{L}\p{N}]+/gu, ""));
  return matched.some((word) => commonStart(word, term) >= Math.max(2, term.length - 3));
}

function commonStart(a, b) {
  let length = 0;
  while (length < a.length && length < b.length && a[length] === b[length]) length++;
  return length;
}

// portal/text/identity_numbers.py's holds_identity_number, with its shapes (number_shapes):
// the text read as a typed number is (NFKC, no spaces or hyphens, upper case), then every window
// of each length that could start a number, tested against that length's shapes.
function numberTest(shapes) {
  const byLength = Object.entries(shapes).map(([length, patterns]) =>
    [Number(length), patterns.map((pattern) => new RegExp(pattern))]);
  const shortest = Math.min(...byLength.map(([length]) => length));
  const runs = new RegExp(`[0-9A-Z]{${shortest},}`, "g");
  return (text) => {
    const compact = text.normalize("NFKC").replace(/[\s-]/g, "").toUpperCase();
    for (const [run] of compact.matchAll(runs)) {
      for (let start = 0; start < run.length; start++) {
        for (const [length, patterns] of byLength) {
          const part = run.slice(start, start + length);
          if (part.length === length && patterns.some((p) => p.test(part))) return true;
        }
      }
    }
    return false;
  };
}

async function buildFilters(pagefind, form, box, params) {
  const names = JSON.parse(form.dataset.filterNames);
  const available = await pagefind.filters();
  const selects = new Map();
  for (const [name, label] of Object.entries(names)) {
    const values = Object.keys(available[name] || {}).sort();
    if (values.length === 0) continue;
    const wrapper = document.createElement("div");
    const id = `static-filter-${name}`;
    const labelElement = document.createElement("label");
    labelElement.htmlFor = id;
    labelElement.textContent = label;
    const select = document.createElement("select");
    select.id = id;
    select.name = name;
    select.append(new Option(form.dataset.all, ""));
    for (const value of values) select.append(new Option(value, value));
    select.value = params.get(name) || "";
    wrapper.append(labelElement, select);
    box.append(wrapper);
    selects.set(name, select);
  }
  return selects;
}

function renderResult(data) {
  const item = document.createElement("li");
  item.className = "search-result";
  const heading = document.createElement("h3");
  heading.className = "search-result__title";
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  const snippet = document.createElement("p");
  snippet.className = "search-result__snippet";
  snippet.append(...excerptNodes(data.excerpt));
  item.append(heading, snippet);
  return item;
}

// Pagefind marks matches with <mark>; keep those as marks and everything else as plain text.
function excerptNodes(excerpt) {
  const parsed = new DOMParser().parseFromString(`<p>${excerpt}</p>`, "text/html");
  const nodes = [];
  for (const node of parsed.body.firstChild.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      nodes.push(mark);
    } else {
      nodes.push(document.createTextNode(node.textContent));
    }
  }
  return nodes;
}
