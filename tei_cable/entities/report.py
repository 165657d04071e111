"""The entity report behind ``tei-cable entities``: from a text export or from TEI alone."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from ..tei import TEI_NS, XML_ID, local, read_xml, tei

#: Mention elements -> kind of entity they point to.
MENTION_KINDS = {"persName": "person", "placeName": "place", "orgName": "org", "name": "event", "rs": "event"}
ENTRY_KINDS = {"person": "person", "place": "place", "org": "org", "event": "event"}


def _mentions(tree: etree._ElementTree) -> Counter[str]:
    text = tree.find(f"{{{TEI_NS}}}text")
    counts: Counter[str] = Counter()
    if text is None:
        return counts
    for el in text.iter(*(tei(n) for n in MENTION_KINDS)):
        ref = (el.get("ref") or "").lstrip("#")
        if ref:
            counts[ref] += 1
    return counts


def _entries(tree: etree._ElementTree) -> dict[str, etree._Element]:
    return {el.get(XML_ID): el for el in tree.iter(*(tei(n) for n in ENTRY_KINDS)) if el.get(XML_ID)}


def entity_report(path: str | Path, registers: Sequence[str | Path] = ()) -> dict[str, list[dict[str, object]]]:
    """Entities with counts and authority ids; for a .txt also the unresolved names and warnings."""
    unresolved: list[dict[str, object]] = []
    warnings: list[dict[str, object]] = []
    if str(path).endswith(".xml"):
        tree = read_xml(path)
    else:
        from ..convert import convert_file

        result = convert_file(path, registers=registers)
        tree = result.tree
        unresolved = [{"text": u.text, "line": u.line, "candidates": list(u.candidates)} for u in result.unresolved]
        warnings = [{"line": f.line, "message": f.message} for f in result.findings]
    counts = _mentions(tree)
    entries = _entries(tree)
    rows: list[dict[str, object]] = []
    for entry_id, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        el = entries.get(entry_id)
        name = ""
        authorities: dict[str, str] = {}
        kind = "?"
        if el is not None:
            kind = ENTRY_KINDS[local(el)]
            names = [n for n in el if local(n).endswith("Name")]
            preferred = [n for n in names if n.get("type") == "preferred"] or names
            name = " ".join("".join(preferred[0].itertext()).split()) if preferred else ""
            authorities = {i.get("type", ""): (i.text or "").strip() for i in el.iter(tei("idno"))}
        rows.append({"id": entry_id, "kind": kind, "name": name, "count": count, "authorities": authorities,
                     "local": entry_id.startswith("local-")})
    return {"entities": rows, "unresolved": unresolved, "warnings": warnings}
