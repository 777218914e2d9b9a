// The debtor check of a frozen copy of the portal. From the name typed, it derives the record
// key and the lookup tags exactly as portal/debtors/static_lookup.py does (PBKDF2 with
// WebCrypto, then HMACs), fetches the shards that the tags' prefixes name, and decrypts the
// name's listed records, if any: the live name-only answer. A number typed changes nothing (it
// is never derived from; the page says it can be confirmed only live). Nothing typed leaves
// the browser. Text goes into the page with textContent only. Node loads it too (require),
// without the page, to check that its name key is the Python one.
"use strict";

const StaticLookup = (() => {
  const encoder = new TextEncoder();
  // Unicode's separators and format characters, and the controls that are white space: what a
  // typed number loses before its shape is checked.
  const REMOVED = /[\p{Zs}\p{Zl}\p{Zp}\p{Cf}\t\n\v\f\r\x85]/gu;
  const NUMBER_SHAPE = /^[0-9A-Z]{18}$/;
  const FORMAT_VERSION = 3;

  // The name rule of portal/text/names.py, with its names.json: NFKC, the listed characters
  // removed, every other one replaced through the table (simplified, case-folded), NFKC again.
  // Nothing here relies on this engine's own white space or case mapping.
  function nameKey(name, rule) {
    let folded = "";
    for (const character of name.normalize("NFKC")) {
      if (rule.removed.includes(character)) continue;
      folded += Object.hasOwn(rule.fold, character) ? rule.fold[character] : character;
    }
    return folded.normalize("NFKC");
  }

  function numberKey(number) {
    return number.normalize("NFKC").replace(REMOVED, "").replaceAll("-", "").toUpperCase();
  }

  function hex(buffer) {
    return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, "0")).join(
      "",
    );
  }

  // A name's material, as static_lookup.derive: one PBKDF2 of the name key; the record key and
  // each record's tag are HMACs of the master under fixed contexts.
  async function derive(name, manifest, rule) {
    const secret = encoder.encode(nameKey(name, rule));
    const base = await crypto.subtle.importKey("raw", secret, "PBKDF2", false, ["deriveBits"]);
    const master = await crypto.subtle.deriveBits(
      {
        name: "PBKDF2",
        hash: "SHA-256",
        salt: encoder.encode(manifest.salt),
        iterations: manifest.iterations,
      },
      base,
      256,
    );
    const mac = await crypto.subtle.importKey(
      "raw",
      master,
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    const key = await crypto.subtle.sign("HMAC", mac, encoder.encode("portal record key"));
    const tag = async (index) =>
      hex(await crypto.subtle.sign("HMAC", mac, encoder.encode(`portal lookup tag\u0000${index}`)));
    return { key, tag };
  }

  async function fetchJson(url) {
    const response = await fetch(url, { cache: "no-cache", credentials: "omit" });
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return response.json();
  }

  // The manifest and the name rule, fetched once, at the first check.
  const loaded = new Map();
  function load(root) {
    if (!loaded.has(root)) {
      const both = Promise.all([
        fetchJson(new URL("manifest.json", root)),
        fetchJson(new URL("names.json", root)),
      ]);
      both.catch(() => loaded.delete(root)); // a failed fetch is tried again next time
      loaded.set(root, both);
    }
    return loaded.get(root);
  }

  // A name's listed records, newest first, as the live name-only answer gives them (at most
  // the manifest's limit), and whether the name has more: { records: [], more: false } when
  // it has none. Entry i of a name holds its i-th record and the name's count.
  async function find(root, name) {
    const [manifest, rule] = await load(root);
    if (manifest.version !== FORMAT_VERSION) {
      throw new Error(`unknown format version ${manifest.version}`);
    }
    const { key, tag } = await derive(name, manifest, rule);
    const aes = await crypto.subtle.importKey("raw", key, "AES-GCM", false, ["decrypt"]);
    const records = [];
    let count = 1; // until the first entry says how many the name has
    while (records.length < Math.min(count, manifest.limit)) {
      const entryTag = await tag(records.length);
      const prefix = entryTag.slice(0, manifest.prefix_hex_digits);
      const shard = await fetchJson(new URL(`shards/${prefix}.json`, root));
      if (!Object.hasOwn(shard, entryTag)) break;
      const raw = Uint8Array.from(atob(shard[entryTag]), (character) => character.charCodeAt(0));
      const plain = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: raw.slice(0, 12) },
        aes,
        raw.slice(12),
      );
      const entry = JSON.parse(new TextDecoder().decode(plain));
      count = entry.count;
      records.push(entry.record);
    }
    return { records, more: records.length > 0 && count > records.length };
  }

  return { nameKey, numberKey, derive, find, load, NUMBER_SHAPE };
})();

if (typeof module === "object" && module.exports) module.exports = StaticLookup;

(() => {
  if (typeof document === "undefined") return; // in Node: the functions only
  const form = document.querySelector("form[data-static-lookup]");
  if (!form) return;
  const texts = JSON.parse(form.dataset.texts);
  const labels = JSON.parse(form.dataset.labels);
  const root = new URL(form.dataset.lookupRoot, document.baseURI);
  const status = document.querySelector("[data-static-status]");
  const result = document.querySelector("[data-static-result]");
  const recordsBox = document.querySelector("[data-static-records]");
  // The courts that publish contact details, by the name key of each name a record may give.
  const courts = JSON.parse(result.dataset.courts);
  const fields = {
    name: document.getElementById("debtor-name"),
    number: document.getElementById("debtor-number"),
  };
  const dateFormat = new Intl.DateTimeFormat(form.dataset.lang, {
    dateStyle: "long",
    timeZone: "UTC",
  });

  document.querySelector("[data-static-needs-js]").hidden = true;
  form.hidden = false;

  function element(tag, text, className) {
    const made = document.createElement(tag);
    if (text !== undefined) made.textContent = text;
    if (className) made.className = className;
    return made;
  }

  function showError(field, message) {
    const input = fields[field];
    const box = document.getElementById(`debtor-${field}-error`);
    const hint = field === "number" ? "debtor-number-hint " : "";
    box.textContent = message || "";
    box.hidden = !message;
    input.closest(".field").classList.toggle("field--error", Boolean(message));
    if (message) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", `${hint}debtor-${field}-error`);
    } else {
      input.removeAttribute("aria-invalid");
      if (hint) input.setAttribute("aria-describedby", hint.trim());
      else input.removeAttribute("aria-describedby");
    }
  }

  function validate() {
    const errors = {};
    const name = fields.name.value;
    if (!name.trim()) errors.name = texts.name_required;
    else if (name.length > 200) errors.name = texts.name_too_long;
    // A number is optional and changes nothing here: only its shape is checked, so that a
    // mistyped one is pointed out before the reader is sent to confirm it live.
    const number = StaticLookup.numberKey(fields.number.value);
    if (number && !StaticLookup.NUMBER_SHAPE.test(number)) errors.number = texts.number_invalid;
    showError("name", errors.name);
    showError("number", errors.number);
    return errors;
  }

  function recordArticle(record) {
    const article = element("article", undefined, "debtor-record");
    article.append(element("h3", record.name));
    if (record.demo) article.append(element("p", texts.demo_record, "debtor-record__demo"));
    const list = element("dl");
    const add = (label, value, className) => {
      list.append(element("dt", label));
      const dd = element("dd", undefined, className);
      if (value instanceof Node) dd.append(value);
      else dd.textContent = value ?? "";
      list.append(dd);
    };
    if (record.kind === "person") {
      add(labels.masked_number, record.id_display, "debtor-record__number");
    } else {
      add(labels.credit_code, record.id_display, "debtor-record__number");
      add(labels.legal_representative, record.legal_representative);
    }
    add(labels.court, record.court);
    add(labels.case_number, record.case_number);
    add(labels.basis_document, record.basis_document);
    add(labels.basis_issuer, record.basis_issuer);
    add(labels.obligations, record.obligations);
    add(labels.performance, labels.performance_names[record.performance] ?? record.performance);
    const circumstances = element("ul");
    for (const key of record.circumstances) {
      circumstances.append(element("li", labels.circumstance_names[key] ?? key));
    }
    add(labels.circumstances, circumstances);
    add(labels.listing_period, listingPeriod(record));
    const court = Object.hasOwn(courts, record.court_key) ? courts[record.court_key] : null;
    if (court) add(labels.court_contact, courtContact(court));
    article.append(list);
    return article;
  }

  function dateElement(iso) {
    const time = element("time", dateFormat.format(new Date(iso)));
    time.dateTime = iso;
    return time;
  }

  // "Listed on <start>, until <end>" (or "until removed"), with the dates as <time> elements.
  function listingPeriod(record) {
    const sentence = record.listed_until ? texts.listed_until : texts.listed_until_removed;
    const span = element("span");
    for (const part of sentence.split(/(\{start\}|\{end\})/)) {
      if (part === "{start}") span.append(dateElement(record.published_on));
      else if (part === "{end}") span.append(dateElement(record.listed_until));
      else if (part) span.append(part);
    }
    return span;
  }

  // The court's label and the contact details it publishes, as the live page shows them.
  function courtContact(court) {
    const box = element("span");
    box.append(court.label);
    const list = element("dl", undefined, "court-contact");
    for (const [field, label] of labels.contact_fields) {
      if (!court[field]) continue;
      list.append(element("dt", label));
      const dd = element("dd");
      const href = {
        telephone: `tel:${court[field].replaceAll(" ", "")}`,
        email: `mailto:${court[field]}`,
        website: court[field],
      }[field];
      if (href) {
        const link = element("a", court[field]);
        link.href = href;
        dd.append(link);
      } else dd.textContent = court[field];
      list.append(dd);
    }
    box.append(list);
    return box;
  }

  function answer(records, more, withNumber) {
    const found = records.length > 0;
    const paragraph = element(
      "p",
      undefined,
      `debtor-answer debtor-answer--${found ? "present" : "absent"}`,
    );
    let sentence = texts.no_match;
    if (more) sentence = texts.truncated.replaceAll("{count}", String(records.length));
    else if (found) {
      sentence = (records.length === 1 ? texts.matches_one : texts.matches_other).replace(
        "{count}",
        String(records.length),
      );
    }
    paragraph.append(
      element("strong", found ? texts.on_list : texts.not_on_list),
      ` ${sentence}${texts.as_of ? ` ${texts.as_of}` : ""} ${texts.list_scope}`,
    );
    if (found) {
      const more = element("a", texts.explained);
      more.href = "#debtor-explanation";
      paragraph.append(" ", more);
    }
    const parts = [paragraph];
    // The same answer whatever number was typed: it can be confirmed only live.
    if (withNumber) parts.push(element("p", texts.number_live, "debtor-answer__number"));
    return parts;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const errors = validate();
    if (errors.name || errors.number) {
      fields[errors.name ? "name" : "number"].focus();
      return;
    }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    result.hidden = true;
    recordsBox.replaceChildren();
    status.replaceChildren(element("p", texts.checking));
    try {
      const withNumber = StaticLookup.numberKey(fields.number.value) !== "";
      const { records, more } = await StaticLookup.find(root, fields.name.value);
      const [, rule] = await StaticLookup.load(root);
      for (const record of records) record.court_key = StaticLookup.nameKey(record.court, rule);
      fields.number.value = ""; // as on the live page, the number is not kept in the form
      status.replaceChildren(...answer(records, more, withNumber));
      recordsBox.replaceChildren(...records.map(recordArticle));
      result.hidden = records.length === 0;
    } catch (error) {
      console.error("static debtor check failed:", error.message);
      status.replaceChildren(element("p", texts.failed, "debtor-answer"));
    } finally {
      button.disabled = false;
    }
  });
})();
