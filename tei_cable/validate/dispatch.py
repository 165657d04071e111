"""Run a compiled ISO Schematron with one select per pattern instead of walks of the whole document.

lxml compiles a Schematron with the ISO skeleton into an XSLT 1.0 stylesheet in which every pattern is a
mode: the root template applies each mode to the document, and the walk visits every element (and
attribute) to find, by template matching, the first rule of the pattern whose context matches it. With 15
patterns that is 15 walks, and libxslt is slow at matching patterns with predicates. :func:`restructure`
keeps everything the skeleton wrote for the rules themselves (variables, tests, messages, SVRL locations)
and changes only how the rules are reached: each pattern becomes ``xsl:for-each`` over the nodes its rule
contexts select (:func:`contexts.select_for`), in document order, calling the rule's template on each. So
the SVRL is the same, failure for failure, as long as:

* every node a context can match is an element or the root (the walk visits those, and the select
  finds the same set);
* within a pattern, a node goes to the first rule (in priority order) whose context selects it, as the
  walk's template priorities make it: a ``xsl:choose`` on node-set membership;
* no rule body reads the context position or size (``position()``, ``last()``), which differ between a
  walk and a ``for-each``.

When a stylesheet does not keep to this (a context that can match an attribute, a rule that reads its
position, templates the skeleton did not write), :class:`Unsupported` is raised and the caller keeps lxml's
stylesheet as it is. ``tests/test_schematron.py`` compares the two on every fixture and on mutated
documents.

Most rules pass on most nodes, so each template call is guarded by the rule's :func:`prefilter`: its tests
in one expression, which costs less than calling the template and binding all its variables.

"The same" holds for documents on which the rules raise no XPath error at run time. The rewrite does not
evaluate exactly what the skeleton's stylesheet does (a context's predicates on nodes template matching
would not have tried, a variable that no test needs is skipped), so such an error (a path on a string, a
``document()`` that access control refuses) could surface in one and not in the other. The project's rules
can raise none: every variable read by a path is a node-set, and no rule reads a file.
"""

from __future__ import annotations

import copy
from collections import Counter

from lxml import etree

from .contexts import NAMES_KEY, NAMESPACE, PREFIX, Unsupported, select_for, tokens
from .xpath1 import inline

XSL = "{http://www.w3.org/1999/XSL/Transform}"
SVRL = "{http://purl.oclc.org/dsdl/svrl}"
#: What the skeleton's walk may apply to the children of a node (it picks one by the schema's contexts):
#: always every element, which is all the walk has to visit for contexts that match elements only.
WALK_SELECTS = frozenset({"*", "@*|*", "node()", "@*|node()", "*|comment()|processing-instruction()",
                          "@*|*|comment()|processing-instruction()"})


def restructure(stylesheet: etree._ElementTree | etree._XSLTResultTree) -> etree._ElementTree:
    """The compiled Schematron ``stylesheet`` with one ``for-each`` per pattern (module docstring)."""
    source = stylesheet.getroot()
    # A new root element, to declare the namespace of the names added below.
    root = etree.Element(source.tag, source.attrib, nsmap={**source.nsmap, PREFIX: NAMESPACE})
    root.text = source.text
    root.extend(copy.deepcopy(child) for child in source)
    templates = root.findall(f"{XSL}template")
    main = [t for t in templates if t.get("match") == "/" and t.get("mode") is None]
    if len(main) != 1:
        raise Unsupported("no root template")
    _drop_default_walks(main[0], templates)
    modes = set()
    for walk in [w for w in main[0].iter(f"{XSL}apply-templates") if w.get("select") == "/"]:
        mode = walk.get("mode") or ""
        if not mode:
            raise Unsupported("a pattern applied without a mode")
        modes.add(mode)
        _replace(walk, mode, _rules(mode, templates))
    # The key the selects look elements up in (after any xsl:import, which must come first).
    imports = len(root.findall(f"{XSL}import"))
    root.insert(imports, etree.Element(f"{XSL}key", name=NAMES_KEY, match="*", use="local-name()"))
    if any(w.get("mode") in modes for w in root.iter(f"{XSL}apply-templates")):
        raise Unsupported("a pattern's mode is applied elsewhere than from the root template")
    return etree.ElementTree(root)


def _drop_default_walks(main: etree._Element, templates: list[etree._Element]) -> None:
    """Remove the walk in the default mode inside each ``svrl:active-pattern``: the default mode has
    only the root template and one that outputs nothing for text, so the walk can output nothing."""
    defaults = {(t.get("match"), t.get("priority")) for t in templates if t.get("mode") is None}
    if not defaults <= {("/", None), ("text()", "-1")}:
        raise Unsupported("templates of the default mode other than the skeleton's")
    for pattern in main.iter(f"{SVRL}active-pattern"):
        for walk in pattern.findall(f"{XSL}apply-templates"):
            if walk.get("select") is None and walk.get("mode") is None:
                pattern.remove(walk)


def _rules(mode: str, templates: list[etree._Element]) -> list[etree._Element]:
    """The rule templates of a pattern's mode in priority order (first rule first), their walk removed;
    the mode's default templates (which only continue the walk) are removed from the stylesheet."""
    rules, defaults = [], set()
    for template in [t for t in templates if t.get("mode") == mode]:
        try:
            priority = float(template.get("priority", ""))
        except ValueError:
            raise Unsupported(f"a template of mode {mode} without a priority") from None
        if priority >= 0:
            rules.append(template)
            continue
        walk = template.find(f"{XSL}apply-templates")
        defaults.add((template.get("match"), priority, walk is not None and walk.get("select") in WALK_SELECTS))
        parent = template.getparent()
        if parent is not None:
            parent.remove(template)
    if defaults != {("text()", -1.0, False), ("@*|node()", -2.0, True)} or not rules:
        raise Unsupported(f"mode {mode} is not a pattern as the skeleton writes it")
    rules.sort(key=lambda t: -float(t.get("priority", "")))
    if len({t.get("priority") for t in rules}) != len(rules):
        raise Unsupported(f"two rules of mode {mode} with one priority")
    for number, rule in enumerate(rules):
        walk = rule[-1] if len(rule) else None
        if walk is None or walk.tag != f"{XSL}apply-templates" or walk.get("mode") != mode \
                or walk.get("select") not in WALK_SELECTS:
            raise Unsupported(f"a rule of mode {mode} that does not end with the walk")
        rule.remove(walk)
        _check_body(rule, mode)
        rule.set("name", f"{PREFIX}:{mode}-{number}")
    return rules


def _check_body(rule: etree._Element, mode: str) -> None:
    """Refuse a rule whose body applies its mode or reads the context position or size."""
    for node in rule.iterdescendants(f"{XSL}*"):
        if node.get("mode") == mode:
            raise Unsupported(f"a rule of mode {mode} applies its own mode")
        for attribute in ("select", "test"):
            expr = node.get(attribute) or ""
            # (Tokenizing is the slow part of compiling; without the names there is no such call.)
            if ("position" in expr or "last" in expr) and any(
                    t.kind == "function" and t.text in ("position", "last") for t in tokens(expr)):
                raise Unsupported(f"a rule reads the context position: {expr}")


def _replace(walk: etree._Element, mode: str, rules: list[etree._Element]) -> None:
    """Replace a pattern's walk with ``for-each`` over the nodes of its rules' contexts, calling on each
    node the rule template it belongs to: with several rules, a variable holds each rule's nodes and a
    ``choose`` calls the first rule whose nodes have the node."""
    parent = walk.getparent()
    if parent is None:
        raise Unsupported("a walk outside the root template")
    names = [str(rule.get("name")) for rule in rules]
    selects = [select_for(rule.get("match", "")) for rule in rules]
    dispatch: list[etree._Element] = []
    each = etree.Element(f"{XSL}for-each", select=selects[0])
    if len(rules) == 1:
        each.append(_call(rules[0]))
    else:
        dispatch += [etree.Element(f"{XSL}variable", name=n, select=s) for n, s in zip(names, selects, strict=True)]
        each.set("select", " | ".join(f"${name}" for name in names))
        choose = etree.SubElement(each, f"{XSL}choose")
        for name, rule in zip(names[:-1], rules, strict=False):
            # . | $nodes has as many nodes as $nodes exactly when . is one of them.
            etree.SubElement(choose, f"{XSL}when", test=f"count(. | ${name}) = count(${name})").append(_call(rule))
        etree.SubElement(choose, f"{XSL}otherwise").append(_call(rules[-1]))
    position = parent.index(walk)
    parent.remove(walk)
    for offset, element in enumerate([*dispatch, each]):
        parent.insert(position + offset, element)


def _call(rule: etree._Element) -> etree._Element:
    """``call-template`` of a rule, inside ``xsl:if`` on its :func:`prefilter` when it has one."""
    call = etree.Element(f"{XSL}call-template", name=rule.get("name", ""))
    test = prefilter(rule)
    if test is None:
        return call
    guard = etree.Element(f"{XSL}if", test=test)
    guard.append(call)
    return guard


def prefilter(rule: etree._Element) -> str | None:
    """One test that holds wherever the rule outputs something (an assertion fails, a report fires): the
    rule's tests with its variables written into them. None when the rule's body holds anything else, or a
    variable cannot be written in (it is read inside a predicate) or would be evaluated more than once.

    A rule whose test passes then costs one XPath evaluation instead of a template call that binds every
    variable; on a failure the template runs as the skeleton wrote it, so the output is the same.
    """
    values: dict[str, str] = {}
    uses: Counter[str] = Counter()
    tests: list[str] = []
    if (rule.text or "").strip():
        return None
    for child in rule:
        if (child.tail or "").strip():
            return None
        if not isinstance(child.tag, str):  # a comment
            continue
        if child.tag == f"{XSL}variable" and child.get("select") is not None and not len(child):
            expr, test_format = child.get("select", ""), ""
        elif child.tag == f"{XSL}choose" and [c.tag for c in child] == [f"{XSL}when", f"{XSL}otherwise"] \
                and not len(child[0]) and not (child[0].text or "").strip():
            expr, test_format = child[0].get("test", ""), "not({})"  # an assertion: output when false
        elif child.tag == f"{XSL}if":
            expr, test_format = child.get("test", ""), "boolean({})"  # a report: output when true
        else:
            return None
        written = inline(expr, values) if expr else None
        if written is None:
            return None
        uses.update(written[1])
        if test_format:
            tests.append(test_format.format(written[0]))
        else:
            values[child.get("name", "")] = written[0]
    if any(count > 1 for count in uses.values()):
        return None
    return " or ".join(tests) or "false()"
