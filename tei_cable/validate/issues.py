"""Where a finding is: the one way every validator turns an element into an :class:`Issue`.

All validators name places the same way: the element's source line (``sourceline``; None for a tree
built in memory) and a namespace-correct XPath with the conventional ``tei`` prefix, which a user can
paste into an XPath tool: ``/tei:TEI/tei:text/tei:body/tei:div[1]/tei:p[3]/@ref``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from lxml import etree

from ..tei import TEI_NS, XML_NS
from .grammar import FALLBACK_RULE, Grammar
from .report import Issue, Severity


def _step(el: etree._Element) -> str:
    qname = etree.QName(el)
    if qname.namespace == TEI_NS:
        test = f"tei:{qname.localname}"
    elif qname.namespace:
        test = f"*[local-name()='{qname.localname}' and namespace-uri()='{qname.namespace}']"
    else:
        test = qname.localname
    parent = el.getparent()
    if parent is None:
        return test
    same = [s for s in parent.iterchildren(el.tag)]  # siblings with the same name: position only if needed
    return f"{test}[{same.index(el) + 1}]" if len(same) > 1 else test


def element_path(el: etree._Element, attribute: str = "") -> str:
    """``/tei:TEI/tei:text/tei:body/tei:div[2]`` (positions only where siblings share the name), plus
    ``/@attr`` for an attribute (``xml:id`` keeps its prefix, which is always bound)."""
    steps = [_step(a) for a in reversed(list(el.iterancestors()))]
    steps.append(_step(el))
    path = "/" + "/".join(steps)
    if attribute:
        if attribute.startswith(f"{{{XML_NS}}}"):
            attribute = "xml:" + attribute.rpartition("}")[2]
        path += f"/@{attribute}"
    return path


def make_issue(validator: str, rule: str, severity: Severity, element: etree._Element, message: str,
               attribute: str = "") -> Issue:
    return Issue(line=element.sourceline, validator=validator, rule=rule, severity=severity, message=message,
                 xpath=element_path(element, attribute))


def schema_issues(validator: str, grammar: Grammar, tree: etree._ElementTree,
                  engine_messages: Iterable[tuple[int | None, str]]) -> Iterator[Issue]:
    """The issues of a document an engine (libxml2 RELAX NG or XSD, xmlschema) found invalid.

    The engine gives the verdict; the grammar says what is wrong, with the rule id and message that
    every engine shares (see :meth:`Grammar.diagnose`). Should the diagnosis find nothing, the
    engine's own first message is reported, so an invalid document can never pass in silence.
    """
    problems = grammar.diagnose(tree)
    for problem in problems:
        yield make_issue(validator, problem.rule, "error", problem.element, problem.message, problem.attribute)
    if not problems:
        line, message = next(iter(engine_messages), (None, "the document is invalid"))
        yield Issue(line=line, validator=validator, rule=FALLBACK_RULE, severity="error",
                    message=f"{message} (reported by the {validator} engine)", xpath="")
