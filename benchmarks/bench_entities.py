"""Entity recognition against the answer keys: precision, recall and linking accuracy per entity type.

Each fixture case in tests/cases/ has a ``key.json`` written by hand, independently of the converter: every
mention a historian would mark in the body and the notes, with its type, exact text and the entity it
means. This script converts each case, reads the mentions back from the JSON export (the TEI alone) and
compares them as multisets of (type, text). A matched mention is linked correctly when its register id is
the key's entity (looked up through the register's name forms), or, for a key entity of null, when it
points to a local entry.

    .venv/bin/python benchmarks/bench_entities.py [--verbose]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from tei_cable.convert import convert_file
from tei_cable.entities.finders import name_index
from tei_cable.entities.register import Register
from tei_cable.export import export

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"
#: Cases written after the converter and the register were tuned, by someone who saw neither: the honest figure.
HELDOUT = ROOT / "tests" / "heldout"
TYPES = ("person", "place", "org", "treaty", "date")
#: JSON entity groups -> key types (conferences and other events count as "treaty" mentions here).
GROUPS = {"person": "person", "place": "place", "org": "org", "treaty": "treaty", "event": "treaty"}
DATE_FIELDS = (("when", "when"), ("not_before", "notBefore"), ("not_after", "notAfter"), ("from", "from"),
               ("to", "to"))


def predicted(doc: dict) -> list[dict]:
    out = []
    for group, entries in doc["entities"].items():
        if group not in GROUPS:
            continue
        for entry in entries:
            for m in entry["mentions"]:
                if m["section"] in ("body", "notes"):
                    out.append({"type": GROUPS[group], "text": m["text"], "ref": entry["ref"]})
    for d in doc["dates"]:
        if d["section"] in ("body", "notes"):
            out.append({"type": "date", "text": d["text"], **{k: d[v] for k, v in DATE_FIELDS}})
    return out


#: Key entity names the register knows under another name, mapped by hand (see the file's comment).
ALIASES: dict[str, str] = {k: v for k, v in json.loads((CASES / "entity-ids.json").read_text(encoding="utf-8")).items()
                           if not k.startswith("_")}


def key_ids(entity: str | None, register: Register) -> set[str] | None:
    """Register ids a key's entity name may stand for (None for a null entity, empty when not registered)."""
    if entity is None:
        return None
    if entity in ALIASES:
        return {ALIASES[entity]}
    ids = {e.id for e in register if entity in (e.preferred, *e.forms())}
    if not ids:
        for m in name_index(register).matches(entity):
            if (m.start, m.end) == (0, len(entity)):
                ids |= set(m.form.targets)
    return ids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every miss and every extra mention")
    args = parser.parse_args()
    register = Register.default()
    for title, folder in (("development cases (tests/cases: the register and rules were tuned on them)", CASES),
                          ("held-out cases (tests/heldout: blind at first, since used for tuning: see its README)",
                           HELDOUT)):
        print(title)
        evaluate(sorted(p.parent for p in folder.glob("*/key.json")), register, verbose=args.verbose)
        print()
    return 0


def evaluate(cases: list[Path], register: Register, *, verbose: bool) -> None:
    """Print precision, recall and linking accuracy per type over ``cases``."""
    tp: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    linked: Counter[str] = Counter()
    link_total: Counter[str] = Counter()
    for case in cases:
        key = json.loads((case / "key.json").read_text(encoding="utf-8"))
        doc = json.loads(export(convert_file(case / "input.txt").tree, "json"))
        pred = predicted(doc)
        gold = key["mentions"]
        for kind in TYPES:
            p = Counter(m["text"] for m in pred if m["type"] == kind)
            g = Counter(m["text"] for m in gold if m["type"] == kind)
            tp[kind] += sum((p & g).values())
            n_pred[kind] += sum(p.values())
            n_gold[kind] += sum(g.values())
            if verbose:
                for text, count in (g - p).items():
                    print(f"{case.name}: missed {kind} {text!r} x{count}")
                for text, count in (p - g).items():
                    print(f"{case.name}: extra  {kind} {text!r} x{count}")
        # Linking: pair gold and predicted mentions of the same type and text in reading order.
        pool: dict[tuple[str, str], list[dict]] = {}
        for m in pred:
            pool.setdefault((m["type"], m["text"]), []).append(m)
        for g in gold:
            candidates = pool.get((g["type"], g["text"]))
            if not candidates:
                continue
            p = candidates.pop(0)
            link_total[g["type"]] += 1
            if g["type"] == "date":
                wanted = {k: g[k] for k, _ in DATE_FIELDS if g.get(k)}
                ok = all(str(p[k] or "") == v for k, v in wanted.items())
            else:
                ids = key_ids(g.get("entity"), register)
                if ids is None:
                    # The key names no notable entity: any link (local or register) is acceptable.
                    link_total[g["type"]] -= 1
                    continue
                # An entity the register lacks must get a local entry, not someone else's id.
                ok = (p["ref"] or "").startswith("local-") if not ids else p["ref"] in ids
            linked[g["type"]] += ok
            if verbose and not ok:
                print(f"{case.name}: wrong {g['type']} {g['text']!r}: got {p.get('ref') or p}, key {g.get('entity')}")
    print(f"{len(cases)} annotated cases, {sum(n_gold.values())} key mentions")
    print(f"{'type':<8}{'key':>6}{'found':>7}{'precision':>11}{'recall':>8}{'linked':>9}")
    for kind in (*TYPES, "all"):
        if kind == "all":
            t, p, g = sum(tp.values()), sum(n_pred.values()), sum(n_gold.values())
            lk, lt = sum(linked.values()), sum(link_total.values())
        else:
            t, p, g, lk, lt = tp[kind], n_pred[kind], n_gold[kind], linked[kind], link_total[kind]
        precision = t / p if p else 1.0
        recall = t / g if g else 1.0
        link = lk / lt if lt else 1.0
        print(f"{kind:<8}{g:>6}{p:>7}{precision:>11.1%}{recall:>8.1%}{link:>9.1%}")


if __name__ == "__main__":
    sys.exit(main())
