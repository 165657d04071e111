/*
 * tei-cable viewer: CETEIcean behaviours for tei-cable's shared behaviour vocabulary.
 *
 * Why this shape. tei-cable says once, in Python (tei_cable/export/behaviours.py), what each TEI element *is*:
 * a paragraph, a note, a name linked to the register, a date... The exporter writes that verdict for every
 * element of the document into the page (the "codes" of #tc-config), and this file implements each behaviour
 * for the browser, as the text and HTML exporters implement it for theirs. No element knowledge is repeated
 * here: a new element in the Python table reaches this page without a change to this file.
 *
 * CETEIcean keeps every TEI element as a custom element (<tei-persname>, <tei-note>...), so the page *is* the
 * TEI. The behaviours never replace an element of the text: they add links, markers, brackets and tooltips
 * around and inside it, and move footnotes (the elements themselves) into the list of notes at the end.
 *
 * The TEI may have been edited by hand. Everything is built with DOM methods and textContent, never
 * innerHTML, and event-handler attributes are dropped, so the TEI cannot inject script; the page's
 * Content-Security-Policy (inline scripts allowed by hash only) is the second fence.
 */
(function () {
  "use strict";

  const TEI_NS = "http://www.tei-c.org/ns/1.0";
  const XML_NS = "http://www.w3.org/XML/1998/namespace";
  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];
  // Register groups in reading order, with their headings (the same groups as the Python exporters' indexes).
  const GROUPS = [["person", "Persons"], ["place", "Places"], ["org", "Organisations"], ["treaty", "Treaties"],
    ["event", "Events"], ["other", "Other entries"]];
  const ENTRY_ELEMENTS = { person: "person", personGrp: "person", place: "place", org: "org", event: "event",
    object: "other" };
  const TREATY_TYPES = new Set(["treaty", "agreement", "convention", "protocol"]);
  const NAME_ELEMENTS = new Set(["persName", "placeName", "orgName", "eventName", "name", "geogName", "label",
    "objectName"]);
  const AUTHORITIES = { wikidata: "Wikidata", viaf: "VIAF", geonames: "GeoNames", gnd: "GND" };
  // The index group of a name in the text ("name" and "rs" take theirs from @type or from the register).
  const MENTION_KINDS = { persName: "person", placeName: "place", geogName: "place", orgName: "org" };

  // -- small helpers -------------------------------------------------------------------------------------------

  function isTei(node, name) {
    return node && node.nodeType === 1 && node.namespaceURI === TEI_NS && (!name || node.localName === name);
  }

  function teiChildren(el, name) {
    return el ? Array.from(el.children).filter((child) => isTei(child, name)) : [];
  }

  function teiChild(el, name) {
    return teiChildren(el, name)[0] || null;
  }

  function xmlId(el) {
    return el.getAttributeNS(XML_NS, "id") || "";
  }

  function squash(text) {
    return (text || "").replace(/[ \t\r\n]+/g, " ").trim();
  }

  // The first pointer of @ref when it is local ("#mao-zedong" -> "mao-zedong"); EVT and TEI Publisher read
  // only this form, so the viewer links only this form too.
  function localPointer(value) {
    const first = (value || "").trim().split(/\s+/)[0] || "";
    return first.length > 1 && first[0] === "#" ? first.slice(1) : null;
  }

  // An absolute http(s) URL with a host, or null: never javascript:, data: or a relative path from the TEI.
  function safeUrl(value) {
    const text = (value || "").trim();
    if (!/^https?:\/\/[^\s<>"'`\\]+$/.test(text)) {
      return null;
    }
    try {
      const url = new URL(text);
      return (url.protocol === "http:" || url.protocol === "https:") && url.hostname ? text : null;
    } catch (error) {
      return null;
    }
  }

  // "1952-08-28" -> "August 28, 1952" (the archive's style); anything else is shown as written.
  function formatIso(value) {
    const match = /^(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T(\d{2}):(\d{2}))?/.exec(value || "");
    if (!match) {
      return value || "";
    }
    const [, year, month, day, hour, minute] = match;
    const m = month ? Number(month) : 0;
    if (month && (m < 1 || m > 12)) {
      return value;
    }
    let text = !month ? year : !day ? `${MONTHS[m - 1]} ${year}` : `${MONTHS[m - 1]} ${Number(day)}, ${year}`;
    if (hour) {
      text += `, ${hour}:${minute}`;
    }
    return text;
  }

  // The normalised value of a date or time on one line: "1952-08-28", "1953/1954", "not before 1963-01-01".
  function dateValue(el) {
    const when = el.getAttribute("when");
    if (when) {
      return when;
    }
    const from = el.getAttribute("from");
    const to = el.getAttribute("to");
    if (from || to) {
      return `${from || ".."}/${to || ".."}`;
    }
    const bounds = [];
    if (el.getAttribute("notBefore") || el.getAttribute("notbefore")) {
      bounds.push(`not before ${el.getAttribute("notBefore") || el.getAttribute("notbefore")}`);
    }
    if (el.getAttribute("notAfter") || el.getAttribute("notafter")) {
      bounds.push(`not after ${el.getAttribute("notAfter") || el.getAttribute("notafter")}`);
    }
    return bounds.join(", ");
  }

  // make(doc, "a", {className: "x", href: "#y"}, "text", child) builds an HTML element.
  function make(doc, tag, props, ...children) {
    const el = doc.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) {
        continue;
      }
      if (key === "className") {
        el.className = value;
      } else {
        el.setAttribute(key, value === true ? "" : String(value));
      }
    }
    for (const child of children) {
      if (child === null || child === undefined || child === "") {
        continue;
      }
      el.append(child);
    }
    return el;
  }

  function insideText(xmlEl) {
    for (let node = xmlEl.parentNode; node && node.nodeType === 1; node = node.parentNode) {
      if (isTei(node, "text")) {
        return true;
      }
      if (isTei(node, "teiHeader") || isTei(node, "standOff")) {
        return false;
      }
    }
    return false;
  }

  // -- what the TEI says outside the running text: register, taxonomy, header ----------------------------------

  function readEntry(el) {
    const id = xmlId(el);
    const kind = el.localName;
    let group = ENTRY_ELEMENTS[kind] || "other";
    if (group === "event" && TREATY_TYPES.has(el.getAttribute("type") || "")) {
      group = "treaty";
    }
    const names = teiChildren(el).filter((child) => NAME_ELEMENTS.has(child.localName));
    const preferred = names.find((n) => n.getAttribute("type") === "preferred") || names[0] || null;
    const others = names.filter((n) => n !== preferred).map((n) => [n.getAttribute("type") || "", squash(n.textContent)])
      .filter(([, text]) => text);
    const birth = teiChild(el, "birth");
    const death = teiChild(el, "death");
    const note = teiChild(el, "note");
    const authority = [];
    for (const idno of teiChildren(el, "idno")) {
      const type = (idno.getAttribute("type") || "").toLowerCase();
      const url = safeUrl(idno.textContent);
      if (AUTHORITIES[type] && url && !authority.some(([t]) => t === type)) {
        authority.push([type, url]);
      }
    }
    const lived = birth || death
      ? `${((birth && (birth.getAttribute("when") || squash(birth.textContent))) || "?").slice(0, 4)}–` +
        `${((death && (death.getAttribute("when") || squash(death.textContent))) || "?").slice(0, 4)}`
      : "";
    return {
      id, group,
      name: squash(preferred ? preferred.textContent : "") || id,
      others,
      description: note ? squash(note.textContent) : "",
      authority,
      years: lived,
      when: el.getAttribute("when") || el.getAttribute("from") || el.getAttribute("notBefore") || "",
      local: id.startsWith("local-"),
      parties: [],
    };
  }

  // Every register entry with an xml:id, wherever it is (EVT reads the lists anywhere as well).
  function readRegister(xml) {
    const register = new Map();
    for (const el of Array.from(xml.getElementsByTagNameNS(TEI_NS, "*"))) {
      if (ENTRY_ELEMENTS[el.localName] && xmlId(el) && !register.has(xmlId(el))) {
        register.set(xmlId(el), readEntry(el));
      }
    }
    // Treaty parties: <relation name="party" active="#china #soviet-union" passive="#treaty-..."/>.
    for (const relation of Array.from(xml.getElementsByTagNameNS(TEI_NS, "relation"))) {
      if (relation.getAttribute("name") !== "party") {
        continue;
      }
      const parties = (relation.getAttribute("active") || relation.getAttribute("mutual") || "").split(/\s+/)
        .map(localPointer).filter(Boolean);
      for (const target of (relation.getAttribute("passive") || "").split(/\s+/).map(localPointer)) {
        const entry = target && register.get(target);
        if (entry) {
          entry.parties.push(...parties.filter((p) => !entry.parties.includes(p)));
        }
      }
    }
    return register;
  }

  // Why a date value says more than the text: category id -> its description (@ana on dates points here).
  function readTaxonomy(xml) {
    const taxonomy = new Map();
    for (const category of Array.from(xml.getElementsByTagNameNS(TEI_NS, "category"))) {
      const description = teiChild(category, "catDesc");
      if (xmlId(category)) {
        taxonomy.set(xmlId(category), squash(description ? description.textContent : ""));
      }
    }
    return taxonomy;
  }

  // -- the viewer --------------------------------------------------------------------------------------------

  class Viewer {
    constructor(xml, config, doc) {
      this.xml = xml;
      this.doc = doc;
      this.config = config;
      this.register = readRegister(xml);
      this.taxonomy = readTaxonomy(xml);
      this.behaviourOf = new Map();   // XML element -> behaviour name
      this.mentionOf = new Map();     // XML element -> id of its mention anchor in the page
      this.mentions = new Map();      // register id -> [mention anchor ids], in document order
      this.source = new WeakMap();    // page element -> XML element (for the header and the register)
      this.noteCount = 0;
      this.readCodes();
    }

    // The Python exporter wrote one behaviour code per element, in document order; pair them with the elements.
    readCodes() {
      const elements = this.xml.getElementsByTagName("*");
      const codes = this.config.codes || "";
      const legend = this.config.legend || [];
      if (elements.length !== codes.length) {
        console.warn(`tei-cable: ${codes.length} behaviour codes for ${elements.length} elements; ` +
          "showing the TEI without tei-cable behaviours");
        this.codesMatch = false;
        return;
      }
      this.codesMatch = true;
      for (let i = 0; i < elements.length; i++) {
        const behaviour = legend[parseInt(codes[i], 36)];
        const el = elements[i];
        this.behaviourOf.set(el, behaviour);
        const target = behaviour === "entity" && insideText(el) ? localPointer(el.getAttribute("ref")) : null;
        if (target) {
          const list = this.mentions.get(target) || [];
          const anchor = xmlId(el) || `tc-m-${target}-${list.length + 1}`;
          list.push(anchor);
          this.mentions.set(target, list);
          this.mentionOf.set(el, anchor);
        }
      }
    }

    // Called by CETEIcean for every element it creates, before any behaviour runs.
    prepare(pageEl, xmlEl) {
      for (const attr of Array.from(pageEl.attributes)) {
        if (/^on/i.test(attr.name)) {   // event handlers from a hand-edited TEI never reach the page
          pageEl.removeAttribute(attr.name);
        }
      }
      const behaviour = this.behaviourOf.get(xmlEl);
      if (behaviour) {
        pageEl.setAttribute("data-tc-behaviour", behaviour);
      }
      const anchor = this.mentionOf.get(xmlEl);
      if (anchor && !pageEl.id) {
        pageEl.id = anchor;
      }
      if (isTei(xmlEl, "teiHeader") || isTei(xmlEl, "standOff")) {
        this.source.set(pageEl, xmlEl);
      }
    }

    // The CETEIcean behaviours table: the header and the standOff are page furniture (a metadata panel and the
    // register); every other element runs the behaviour the Python table gave it.
    behaviours() {
      const table = {};
      const names = new Set(Array.from(this.xml.getElementsByTagNameNS(TEI_NS, "*"), (el) => el.localName));
      for (const name of names) {
        table[name] = (elt) => this.dispatch(elt);
      }
      table.teiHeader = (elt) => this.headerPanel(elt);
      table.standOff = (elt) => this.registerPanel(elt);
      return { namespaces: { tei: TEI_NS }, tei: table };
    }

    dispatch(elt) {
      const behaviour = VOCABULARY[elt.getAttribute("data-tc-behaviour")];
      return behaviour ? behaviour.call(this, elt) : undefined;
    }

    // -- page furniture --------------------------------------------------------------------------------------

    // The metadata panel: kind, title, sender and recipients, date, language, translator, source, archive link,
    // summary. CETEIcean keeps the header itself hidden beside it.
    headerPanel(elt) {
      const doc = this.doc;
      const header = this.source.get(elt);
      if (!header) {
        return undefined;
      }
      const find = (path) => path.reduce((els, name) => els.flatMap((el) => teiChildren(el, name)), [header]);
      const panel = make(doc, "header", { className: "tc-meta" });
      const kind = find(["profileDesc", "textClass", "keywords", "term"])
        .find((t) => t.getAttribute("type") === "document-type");
      if (kind) {
        panel.append(make(doc, "p", { className: "tc-kind" }, squash(kind.textContent)));
      }
      const titles = find(["fileDesc", "titleStmt", "title"]);
      const title = titles.find((t) => t.getAttribute("type") === "main") || titles[0];
      panel.append(make(doc, "h1", { className: "tc-title" }, squash(title ? title.textContent : "") || "Untitled"));

      const actions = find(["profileDesc", "correspDesc", "correspAction"]);
      const sent = actions.find((a) => a.getAttribute("type") === "sent");
      const received = actions.find((a) => a.getAttribute("type") === "received");
      const line = make(doc, "p", { className: "tc-corresp" });
      const parties = (action) => teiChildren(action).filter((c) => /Name$|^name$/.test(c.localName));
      const appendParties = (list) => list.forEach((party, i) => {
        if (i > 0) {
          line.append(i === list.length - 1 ? " and " : ", ");
        }
        line.append(this.entryLink(party, squash(party.textContent)));
      });
      if (sent && parties(sent).length) {
        line.append("From ");
        appendParties(parties(sent));
      }
      if (received && parties(received).length) {
        line.append(line.childNodes.length ? " to " : "To ");
        appendParties(parties(received));
      }
      if (line.childNodes.length) {
        panel.append(line);
      }

      const facts = make(doc, "dl", { className: "tc-facts" });
      const fact = (label, ...value) => {
        if (value.some((v) => v !== "" && v !== null && v !== undefined)) {
          facts.append(make(doc, "dt", {}, label), make(doc, "dd", {}, ...value));
        }
      };
      const sentDate = sent ? teiChild(sent, "date") : null;
      const sourceBibl = find(["fileDesc", "sourceDesc", "bibl"]);
      const citation = sourceBibl.find((b) => xmlId(b) === "source") ||
        sourceBibl.find((b) => b.getAttribute("type") !== "original");
      const citedDate = citation ? teiChild(citation, "date") : null;
      const when = (sentDate && dateValue(sentDate)) || (citedDate && dateValue(citedDate)) || "";
      if (when) {
        const iso = (sentDate && sentDate.getAttribute("when")) || (citedDate && citedDate.getAttribute("when"));
        fact("Date", make(doc, "time", iso ? { datetime: iso } : {}, iso ? formatIso(iso) : when));
      }
      const received_date = received ? teiChild(received, "date") : null;
      if (received_date && dateValue(received_date)) {
        fact("Received", formatIso(received_date.getAttribute("when") || "") || dateValue(received_date));
      }
      const originals = find(["fileDesc", "sourceDesc", "bibl"]).filter((b) => b.getAttribute("type") === "original")
        .flatMap((b) => teiChildren(b, "textLang")).map((t) => squash(t.textContent)).filter(Boolean);
      fact("Original language", originals.join(", "));
      for (const stmt of find(["fileDesc", "titleStmt", "respStmt"])) {
        const resp = squash((teiChild(stmt, "resp") || {}).textContent);
        const who = teiChildren(stmt).filter((c) => c.localName !== "resp").map((c) => squash(c.textContent))
          .filter(Boolean);
        if (/^\s*translat|translated by/i.test(resp) && who.length) {   // not "Publication of the translation"
          fact("Translated by", who.join(", "));
        }
      }
      if (citation) {
        const copy = citation.cloneNode(true);
        teiChildren(copy, "idno").forEach((idno) => idno.remove());   // the URL is shown once, as a link below
        fact("Source", squash(copy.textContent));
      }
      const url = safeUrl((find(["fileDesc", "publicationStmt", "idno"])
        .find((i) => /^url$/i.test(i.getAttribute("type") || "")) || {}).textContent);
      if (url) {
        fact("Archive record", make(doc, "a", { href: url, rel: "noopener noreferrer" }, url));
      }
      const funders = find(["fileDesc", "titleStmt", "funder"]).map((f) => squash(f.textContent)).filter(Boolean);
      fact("Funding", funders.join("; "));
      if (facts.childNodes.length) {
        panel.append(facts);
      }
      const summary = find(["profileDesc", "abstract"]);
      if (summary.length && squash(summary[0].textContent)) {
        const section = make(doc, "section", { className: "tc-summary", "aria-label": "Summary" },
          make(doc, "h2", {}, "Summary"));
        const paragraphs = teiChildren(summary[0], "p");
        for (const p of paragraphs.length ? paragraphs : summary) {
          section.append(make(doc, "p", {}, squash(p.textContent)));
        }
        panel.append(section);
      }
      return panel;
    }

    // A link to a register entry for a name in the header (the correspondents), or plain text.
    entryLink(el, text) {
      const target = localPointer(el.getAttribute("ref"));
      if (target && this.register.has(target)) {
        return make(this.doc, "a", { className: `tc-ref tc-${this.register.get(target).group}`, href: `#${target}` },
          text);
      }
      return text;
    }

    // The register: one entry per person, place, organisation and treaty of the standOff, with its dates,
    // description, other names, authority links, treaty parties and links back to every mention in the text.
    registerPanel(elt) {
      const doc = this.doc;
      const standOff = this.source.get(elt);
      if (!standOff) {
        return undefined;
      }
      const inside = Array.from(standOff.getElementsByTagNameNS(TEI_NS, "*"))
        .filter((el) => ENTRY_ELEMENTS[el.localName] && xmlId(el)).map(xmlId);
      const entries = inside.map((id) => this.register.get(id)).filter(Boolean);
      if (!entries.length) {
        return undefined;
      }
      const panel = make(doc, "section", { className: "tc-register", "aria-labelledby": "tc-register-heading" },
        make(doc, "h2", { id: "tc-register-heading" }, "Register"));
      for (const [group, heading] of GROUPS) {
        const members = entries.filter((entry) => entry.group === group);
        if (!members.length) {
          continue;
        }
        const list = make(doc, "ul", { className: "tc-entries" });
        for (const entry of members) {
          list.append(this.registerEntry(entry));
        }
        panel.append(make(doc, "h3", {}, heading), list);
      }
      return panel;
    }

    registerEntry(entry) {
      const doc = this.doc;
      const item = make(doc, "li", { id: entry.id, className: `tc-entry tc-${entry.group}` });
      const head = make(doc, "p", { className: "tc-entry-head" }, make(doc, "strong", {}, entry.name));
      if (entry.years) {
        head.append(` (${entry.years})`);
      } else if (entry.when) {
        head.append(` (${entry.group === "treaty" ? "signed " : ""}${formatIso(entry.when)})`);
      }
      if (entry.local) {
        head.append(make(doc, "span", { className: "tc-local" }, " named in this document only"));
      }
      item.append(head);
      if (entry.description) {
        item.append(make(doc, "p", { className: "tc-entry-desc" }, entry.description));
      }
      const others = entry.others.filter(([type]) => type !== "adjective").map(([, text]) => text);
      if (others.length) {
        item.append(make(doc, "p", { className: "tc-entry-names" }, `Also: ${others.join("; ")}`));
      }
      if (entry.parties.length) {
        const line = make(doc, "p", { className: "tc-entry-parties" }, "Parties: ");
        entry.parties.forEach((party, i) => {
          const known = this.register.get(party);
          line.append(i ? ", " : "", known ? make(doc, "a", { href: `#${party}` }, known.name) : party);
        });
        item.append(line);
      }
      const links = make(doc, "p", { className: "tc-entry-links" });
      for (const [type, url] of entry.authority) {
        links.append(links.childNodes.length ? " · " : "",
          make(doc, "a", { href: url, rel: "noopener noreferrer" }, AUTHORITIES[type]));
      }
      const mentions = this.mentions.get(entry.id) || [];
      if (mentions.length) {
        links.append(links.childNodes.length ? " · " : "", "In the text: ");
        mentions.forEach((anchor, i) => {
          links.append(i ? " " : "", make(doc, "a", { className: "tc-backref", href: `#${anchor}`,
            "aria-label": `mention ${i + 1} of ${entry.name}` }, `↑${i + 1}`));
        });
      }
      if (links.childNodes.length) {
        item.append(links);
      }
      return item;
    }

    // Where the notes go: a numbered list at the end of the text the note belongs to.
    notesList(text) {
      let section = Array.from(text.children).find((child) => child.classList.contains("tc-notes"));
      if (!section) {
        section = make(this.doc, "section", { className: "tc-notes", "aria-label": "Notes" },
          make(this.doc, "h2", {}, "Notes"), make(this.doc, "ol", { className: "tc-note-list" }));
        text.append(section);
      }
      return section.querySelector("ol");
    }

    // After CETEIcean has run: the register goes after the text it serves (reading order for screen readers
    // too), and the page says it is ready (tests and other scripts wait for this).
    finish(container) {
      for (const standOff of Array.from(container.querySelectorAll("tei-standoff"))) {
        const parent = standOff.parentElement;
        const text = parent ? Array.from(parent.children).filter((c) => c.localName === "tei-text").pop() : null;
        if (text) {
          text.after(standOff);
        }
      }
      this.doc.documentElement.setAttribute("data-tc-rendered", this.codesMatch ? "true" : "partial");
      this.doc.dispatchEvent(new CustomEvent("tei-cable:rendered"));
    }
  }

  // -- the vocabulary: one entry per behaviour of tei_cable/export/behaviours.py ------------------------------
  // Block and inline layout is CSS (keyed on data-tc-behaviour); these functions add what CSS cannot. Each
  // returns nothing, so CETEIcean keeps the TEI element and its content in the page.
  const VOCABULARY = {
    // The reader sees nothing: an element of the text that is not part of the reading text (pb, del...).
    omit(elt) {
      elt.hidden = true;
    },
    // A heading line ("Annex One: ...") announced as a heading one level below the document title.
    heading(elt) {
      elt.setAttribute("role", "heading");
      elt.setAttribute("aria-level", String(Math.min(6, Number(elt.getAttribute("data-level") || "1") + 1)));
    },
    // Numbered points and participant lists, announced as lists.
    list(elt) {
      elt.setAttribute("role", "list");
    },
    item(elt) {
      elt.setAttribute("role", "listitem");
    },
    // A printed separator ("* * *"), shown as printed.
    rule(elt) {
      elt.setAttribute("role", "separator");
      elt.append(make(this.doc, "span", { className: "tc-rule" }, elt.getAttribute("rend") || "* * *"));
    },
    // A line break inside a block (letterhead, signature and title).
    "line-break"(elt) {
      elt.append(make(this.doc, "br", {}));
    },
    // Words the translator or archive added: shown in square brackets, as in every tei-cable rendering.
    supplied(elt) {
      elt.prepend(make(this.doc, "span", { className: "tc-bracket" }, "["));
      elt.append(make(this.doc, "span", { className: "tc-bracket" }, "]"));
      const reason = elt.getAttribute("reason");
      if (reason && !elt.title) {
        elt.title = `supplied (${reason.replace(/-/g, " ")})`;
      }
    },
    // An omission, shown as printed ("[...]").
    gap(elt) {
      elt.append(make(this.doc, "span", { className: "tc-gap" }, elt.getAttribute("rend") || "[...]"));
      elt.title = `omitted${elt.getAttribute("reason") ? ` (${elt.getAttribute("reason")})` : ""}`;
    },
    // Two readings (sic/corr...): the preferred one is shown (the other was marked "omit"), the other on hover.
    alternate(elt) {
      const hidden = Array.from(elt.children).filter((c) => c.getAttribute("data-tc-behaviour") === "omit");
      const other = squash(hidden.map((c) => c.textContent).join(" "));
      if (other) {
        elt.title = `also read: ${other}`;
      }
    },
    // A name linked to its register entry: the words become a link (colour by kind), the tooltip names the
    // entry. Nested names keep their own links: the outer name links only the words around them.
    entity(elt) {
      const kind = MENTION_KINDS[elt.getAttribute("data-origname")] ||
        ((elt.getAttribute("type") || "").split(/\s+/).includes("treaty") ? "treaty" : null);
      const target = localPointer(elt.getAttribute("ref"));
      const entry = target ? this.register.get(target) : null;
      elt.classList.add("tc-entity", `tc-${kind || (entry ? entry.group : "other")}`);
      let href = entry ? `#${target}` : null;
      let title = entry ? [entry.name + (entry.years ? ` (${entry.years})` : ""), entry.description]
        .filter(Boolean).join(" — ") : "";
      if (!href) {
        const external = safeUrl((elt.getAttribute("ref") || "").trim().split(/\s+/)[0]);
        href = external;
        title = external || (target ? `${target}: not in the register` : "not linked to the register");
      }
      if (!href) {
        elt.classList.add("tc-unlinked");
        elt.title = title;
        return;
      }
      // Runs of text and plain inline children become links; names, notes and blocks inside stay outside them.
      const keepOut = (node) => node.nodeType === 1 && (
        ["entity", "note"].includes(node.getAttribute("data-tc-behaviour")) ||
        node.querySelector("[data-tc-behaviour=entity], [data-tc-behaviour=note]") !== null);
      let run = [];
      const flush = () => {
        if (run.some((node) => node.nodeType === 1 || node.textContent.trim())) {
          const link = make(this.doc, "a", { className: "tc-ref", href, title: title || null });
          if (!href.startsWith("#")) {
            link.rel = "noopener noreferrer";
          }
          run[0].before(link);
          link.append(...run);
        }
        run = [];
      };
      for (const node of Array.from(elt.childNodes)) {
        if (keepOut(node)) {
          flush();
        } else if (node.nodeType === 1 || node.nodeType === 3) {
          run.push(node);
        }
      }
      flush();
    },
    // A date or time: its ISO value (and why any part of it was inferred) on hover.
    date(elt) {
      const value = dateValue(elt);
      const reasons = (elt.getAttribute("ana") || "").split(/\s+/).map(localPointer).filter(Boolean)
        .map((id) => this.taxonomy.get(id) || id);
      const parts = [value || "no normalised value"];
      if (reasons.length) {
        parts.push(`inferred: ${reasons.join("; ")}`);
      }
      if (elt.getAttribute("cert")) {
        parts.push(`certainty: ${elt.getAttribute("cert")}`);
      }
      elt.classList.add("tc-date");
      if (reasons.length) {
        elt.classList.add("tc-inferred");
      }
      elt.title = parts.join(" — ");
    },
    // A footnote: a numbered marker where it stands; the note itself moves to the numbered notes at the end of
    // the text, with a link back to its marker.
    note(elt) {
      if (elt.hasAttribute("data-tc-note")) {   // moving the note re-connects it; number it once
        return;
      }
      let text = elt.parentElement;
      while (text && text.localName !== "tei-text") {
        text = text.parentElement;
      }
      if (!text) {
        return;
      }
      this.noteCount += 1;
      const k = this.noteCount;
      const number = (elt.getAttribute("n") || "").trim() || String(k);
      elt.setAttribute("data-tc-note", String(k));
      const marker = make(this.doc, "sup", { className: "tc-noteref" },
        make(this.doc, "a", { id: `tc-noteref-${k}`, href: `#tc-note-${k}`, "aria-label": `note ${number}` },
          number));
      elt.before(marker);
      const back = make(this.doc, "a", { className: "tc-noteback", href: `#tc-noteref-${k}`,
        "aria-label": `back to the text of note ${number}` }, number);
      this.notesList(text).append(make(this.doc, "li", { id: `tc-note-${k}`, className: "tc-note" }, back, elt));
    },
  };

  // -- start ------------------------------------------------------------------------------------------------

  function fail(container, message) {
    container.replaceChildren(make(document, "p", { className: "tc-error", role: "alert" }, message));
    document.documentElement.setAttribute("data-tc-rendered", "error");
    document.dispatchEvent(new CustomEvent("tei-cable:rendered"));
  }

  function readIsland(island) {
    const text = island.textContent;
    if (island.getAttribute("data-encoding") !== "base64") {
      return text;
    }
    const bytes = Uint8Array.from(atob(text.replace(/\s+/g, "")), (c) => c.charCodeAt(0));
    return new TextDecoder("utf-8").decode(bytes);
  }

  function start() {
    const container = document.getElementById("tc-document");
    const config = JSON.parse(document.getElementById("tc-config").textContent);
    if (typeof window.CETEI !== "function") {
      fail(container, `CETEIcean could not be loaded from ${config.ceteicean}, so the TEI cannot be shown here. ` +
        "Open the page with a network connection, or export it again with --ceteicean-js pointing to a local " +
        `copy of CETEI.js. The TEI itself is in ${config.tei}.`);
      return;
    }
    const xml = new DOMParser().parseFromString(readIsland(document.getElementById("tc-tei")), "application/xml");
    if (xml.documentElement.localName === "parsererror" || xml.getElementsByTagName("parsererror").length) {
      fail(container, `The TEI embedded in this page is not well-formed XML; see ${config.tei}.`);
      return;
    }
    const viewer = new Viewer(xml, config, document);
    const ceteicean = new window.CETEI({ omitDefaultBehaviors: true });
    ceteicean.addBehaviors(viewer.behaviours());
    ceteicean.domToHTML5(xml, (html) => {
      container.replaceChildren(html);   // the behaviours run here, as the custom elements connect
      viewer.finish(container);
    }, (pageEl, xmlEl) => viewer.prepare(pageEl, xmlEl));
  }

  start();
})();
