/*
 * tei-cable viewer: the browser half of the CETEIcean page (the Python half is tei_cable/export/ceteicean.py).
 *
 * What this file knows. Python is the only place that knows TEI: tei_cable/export/behaviours.py says what each
 * element *is* and reads the header, the register and the date taxonomy for every exporter. The exporter writes
 * its verdicts into the page's #tc-config: one behaviour code per element of the TEI (in document order, as
 * getElementsByTagName("*") returns them) with the behaviour names the codes stand for, and, by the same
 * position, the finished data of the elements that need more than a behaviour: a name's index group, link and
 * tooltip (and the anchor its register entry links back to), a date's tooltip, a note's number and the text it
 * belongs to, a gap's or a rule's printed form, the metadata panel of a header, the register of a standOff.
 *
 * This file knows no TEI element or attribute name and reads nothing from the TEI itself: it pairs the TEI's
 * elements with the codes by position, hands the TEI to CETEIcean (which turns every element into a custom
 * element, <persName> into <tei-persname>, keeping the page the TEI) and registers one CETEIcean behaviour per
 * element name found in the document, which runs the behaviour the code names. It knows the behaviour
 * vocabulary (one function per behaviour name) and the page: it builds the panels, links, markers, brackets
 * and tooltips, moves footnotes (the elements themselves) into the list of notes at the end of their text, and
 * reads the heading level that CETEIcean writes itself (data-level). It never replaces an element of the text.
 * A new element in the Python table, a new register group or a new header fact reaches the page without a
 * change to this file.
 *
 * The TEI may have been edited by hand. Everything is built with DOM methods and textContent, never
 * innerHTML, event-handler attributes are dropped, and the only links are "#..." anchors and the http(s) URLs
 * that Python has already checked (checked again here); the page's Content-Security-Policy (inline scripts
 * allowed by hash only) is the second fence.
 */
(function () {
  "use strict";

  const TEI_NS = "http://www.tei-c.org/ns/1.0";

  // -- small helpers -------------------------------------------------------------------------------------------

  // make(doc, "a", {className: "x", href: "#y"}, "text", child) builds an HTML element. An href that is neither
  // a "#" anchor nor an http(s) URL is dropped (the config is Python's, but a link is never more than that).
  function make(doc, tag, props, ...children) {
    const el = doc.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) {
        continue;
      }
      if (key === "className") {
        el.className = value;
      } else if (key !== "href" || /^(#|https?:\/\/)/i.test(String(value))) {
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

  // "A", "A and B", "A, B and C" appended to `parent`.
  function appendJoined(parent, parts) {
    parts.forEach((part, i) => {
      if (i > 0) {
        parent.append(i === parts.length - 1 ? " and " : ", ");
      }
      parent.append(part);
    });
  }

  function own(table, key) {
    return typeof key === "string" && Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
  }

  // -- the viewer --------------------------------------------------------------------------------------------

  class Viewer {
    constructor(xml, config, doc) {
      this.xml = xml;
      this.doc = doc;
      this.config = config;
      this.indexOf = new Map();       // XML element -> its position in document order (the index of its code)
      this.pageOf = new Map();        // position -> the page element CETEIcean made of that XML element
      this.dataOf = new WeakMap();    // page element -> {behaviour, data} from the config
      this.noteCount = 0;
      this.codesMatch = this.readCodes();
    }

    // The Python exporter wrote one behaviour code per element, in document order; pair them with the elements.
    readCodes() {
      const elements = this.xml.getElementsByTagName("*");
      const codes = this.config.codes || "";
      if (elements.length !== codes.length) {
        console.warn(`tei-cable: ${codes.length} behaviour codes for ${elements.length} elements; ` +
          "showing the TEI without tei-cable behaviours");
        return false;
      }
      for (let i = 0; i < elements.length; i++) {
        this.indexOf.set(elements[i], i);
      }
      return true;
    }

    // Called by CETEIcean for every element it creates, before any behaviour runs.
    prepare(pageEl, xmlEl) {
      for (const attr of Array.from(pageEl.attributes)) {
        if (/^on/i.test(attr.name)) {   // event handlers from a hand-edited TEI never reach the page
          pageEl.removeAttribute(attr.name);
        }
      }
      const i = this.indexOf.get(xmlEl);
      if (i === undefined) {
        return;
      }
      const behaviour = (this.config.legend || [])[parseInt(this.config.codes[i], 36)];
      const data = own(this.config.elements || {}, String(i)) || {};
      this.pageOf.set(i, pageEl);
      this.dataOf.set(pageEl, { behaviour, data });
      if (behaviour) {
        pageEl.setAttribute("data-tc-behaviour", behaviour);
      }
      if (data.mention && !pageEl.id) {
        pageEl.id = data.mention;
      }
    }

    // The CETEIcean behaviours table: one entry per element name of this document, all running dispatch().
    behaviours() {
      const table = {};
      for (const el of Array.from(this.xml.getElementsByTagNameNS(TEI_NS, "*"))) {
        table[el.localName] = (elt) => this.dispatch(elt);
      }
      return { namespaces: { tei: TEI_NS }, tei: table };
    }

    // An element with a panel (a header, a register) becomes that panel; any other runs its behaviour.
    dispatch(elt) {
      const found = this.dataOf.get(elt);
      if (!found) {
        return undefined;
      }
      const panel = own(PANELS, found.data.panel);
      const built = panel ? panel.call(this, found.data) : undefined;
      if (built) {
        return built;
      }
      const behaviour = own(VOCABULARY, found.behaviour);
      return behaviour ? behaviour.call(this, elt, found.data) : undefined;
    }

    // A link to a register entry ([name, id, group]) or the name alone ([name]).
    partyLink([name, target, group]) {
      return target ? make(this.doc, "a", { className: `tc-ref tc-${group}`, href: `#${target}` }, name) : name;
    }

    registerEntry(entry, group) {
      const doc = this.doc;
      const item = make(doc, "li", { id: entry.id, className: `tc-entry tc-${group}` });
      const head = make(doc, "p", { className: "tc-entry-head" }, make(doc, "strong", {}, entry.name));
      if (entry.dates) {
        head.append(` (${entry.dates})`);
      }
      if (entry.local) {
        head.append(make(doc, "span", { className: "tc-local" }, " named in this document only"));
      }
      item.append(head);
      if (entry.description) {
        item.append(make(doc, "p", { className: "tc-entry-desc" }, entry.description));
      }
      if ((entry.others || []).length) {
        item.append(make(doc, "p", { className: "tc-entry-names" }, `Also: ${entry.others.join("; ")}`));
      }
      if ((entry.parties || []).length) {
        const line = make(doc, "p", { className: "tc-entry-parties" }, "Parties: ");
        entry.parties.forEach(([name, target], i) => {
          line.append(i ? ", " : "", target ? make(doc, "a", { href: `#${target}` }, name) : name);
        });
        item.append(line);
      }
      const links = make(doc, "p", { className: "tc-entry-links" });
      for (const [label, url] of entry.authority || []) {
        links.append(links.childNodes.length ? " · " : "", make(doc, "a", { href: url, rel: "noopener noreferrer" },
          label));
      }
      const mentions = entry.mentions || [];
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

    // After CETEIcean has run: each register goes after the text it serves (reading order for screen readers
    // too), and the page says it is ready (tests and other scripts wait for this).
    finish() {
      for (const pageEl of this.pageOf.values()) {
        const data = this.dataOf.get(pageEl).data;
        const text = data.panel === "register" && Number.isInteger(data.after) ? this.pageOf.get(data.after) : null;
        if (text) {
          text.after(pageEl);
        }
      }
      this.doc.documentElement.setAttribute("data-tc-rendered", this.codesMatch ? "true" : "partial");
      this.doc.dispatchEvent(new CustomEvent("tei-cable:rendered"));
    }
  }

  // -- page furniture: what a header and a register become ---------------------------------------------------
  // Each returns the panel CETEIcean shows in place of the element's content (kept hidden beside it).
  const PANELS = {
    // The metadata panel: kind, title, sender and recipients, the facts (date, language, translator, source,
    // archive link...) and the summary.
    metadata(data) {
      const doc = this.doc;
      const panel = make(doc, "header", { className: "tc-meta" });
      if (data.kind) {
        panel.append(make(doc, "p", { className: "tc-kind" }, data.kind));
      }
      panel.append(make(doc, "h1", { className: "tc-title" }, data.title));
      const line = make(doc, "p", { className: "tc-corresp" });
      if ((data.from || []).length) {
        line.append("From ");
        appendJoined(line, data.from.map((party) => this.partyLink(party)));
      }
      if ((data.to || []).length) {
        line.append(line.childNodes.length ? " to " : "To ");
        appendJoined(line, data.to.map((party) => this.partyLink(party)));
      }
      if (line.childNodes.length) {
        panel.append(line);
      }
      const facts = make(doc, "dl", { className: "tc-facts" });
      for (const fact of data.facts || []) {
        const value = fact.href ? make(doc, "a", { href: fact.href, rel: "noopener noreferrer" }, fact.text)
          : fact.datetime ? make(doc, "time", { datetime: fact.datetime }, fact.text) : fact.text;
        facts.append(make(doc, "dt", {}, fact.label), make(doc, "dd", {}, value));
      }
      if (facts.childNodes.length) {
        panel.append(facts);
      }
      if ((data.summary || []).length) {
        const section = make(doc, "section", { className: "tc-summary", "aria-label": "Summary" },
          make(doc, "h2", {}, "Summary"));
        for (const paragraph of data.summary) {
          section.append(make(doc, "p", {}, paragraph));
        }
        panel.append(section);
      }
      return panel;
    },
    // The register: its entries by group (persons, places, ...), each with its dates, description, other names,
    // treaty parties, authority links and links back to every mention in the text.
    register(data) {
      const doc = this.doc;
      if (!(data.groups || []).length) {
        return undefined;
      }
      const panel = make(doc, "section", { className: "tc-register", "aria-labelledby": "tc-register-heading" },
        make(doc, "h2", { id: "tc-register-heading" }, "Register"));
      for (const group of data.groups) {
        const list = make(doc, "ul", { className: "tc-entries" });
        for (const entry of group.entries) {
          list.append(this.registerEntry(entry, group.group));
        }
        panel.append(make(doc, "h3", {}, group.heading), list);
      }
      return panel;
    },
  };

  // -- the vocabulary: one entry per behaviour of tei_cable/export/behaviours.py ------------------------------
  // Block and inline layout is CSS (keyed on data-tc-behaviour); these functions add what CSS cannot, from the
  // element's data in the config. Each returns nothing, so CETEIcean keeps the element and its content.
  const VOCABULARY = {
    // The reader sees nothing: an element of the text that is not part of the reading text.
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
    rule(elt, data) {
      elt.setAttribute("role", "separator");
      elt.append(make(this.doc, "span", { className: "tc-rule" }, data.text));
    },
    // A line break inside a block (letterhead, signature and title).
    "line-break"(elt) {
      elt.append(make(this.doc, "br", {}));
    },
    // Words the translator or archive added: shown in brackets, as in every tei-cable rendering.
    supplied(elt, data) {
      const [open, close] = this.config.brackets || ["", ""];
      elt.prepend(make(this.doc, "span", { className: "tc-bracket" }, open));
      elt.append(make(this.doc, "span", { className: "tc-bracket" }, close));
      if (data.title && !elt.title) {
        elt.title = data.title;
      }
    },
    // An omission, shown as printed ("[...]").
    gap(elt, data) {
      elt.append(make(this.doc, "span", { className: "tc-gap" }, data.text));
      elt.title = data.title || "";
    },
    // Two readings (sic/corr...): the preferred one is shown (the other was given "omit"), the other on hover.
    alternate(elt, data) {
      if (data.title) {
        elt.title = data.title;
      }
    },
    // A name linked to its register entry: the words become a link (colour by index group), the tooltip names
    // the entry. Nested names keep their own links: the outer name links only the words around them.
    entity(elt, data) {
      elt.classList.add("tc-entity", `tc-${data.group}`);
      const href = data.href;
      if (!href) {
        elt.classList.add("tc-unlinked");
        elt.title = data.title || "";
        return;
      }
      // Runs of text and plain inline children become links; names, notes and blocks inside stay outside them.
      const keepOut = (node) => node.nodeType === 1 && (
        ["entity", "note"].includes(node.getAttribute("data-tc-behaviour")) ||
        node.querySelector("[data-tc-behaviour=entity], [data-tc-behaviour=note]") !== null);
      let run = [];
      const flush = () => {
        if (run.some((node) => node.nodeType === 1 || node.textContent.trim())) {
          const link = make(this.doc, "a", { className: "tc-ref", href, title: data.title || null });
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
    // A date or time: its normalised value (and why any part of it was inferred) on hover.
    date(elt, data) {
      elt.classList.add("tc-date");
      if (data.inferred) {
        elt.classList.add("tc-inferred");
      }
      elt.title = data.title || "";
    },
    // A footnote: a numbered marker where it stands; the note itself moves to the numbered notes at the end of
    // the text it belongs to, with a link back to its marker.
    note(elt, data) {
      if (elt.hasAttribute("data-tc-note")) {   // moving the note re-connects it; number it once
        return;
      }
      const text = Number.isInteger(data.text) ? this.pageOf.get(data.text) : null;
      if (!text) {
        return;
      }
      this.noteCount += 1;
      const k = this.noteCount;
      const number = data.number || String(k);
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
      viewer.finish();
    }, (pageEl, xmlEl) => viewer.prepare(pageEl, xmlEl));
  }

  start();
})();
