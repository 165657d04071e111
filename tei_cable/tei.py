"""TEI namespaces, an element maker, and the one safe way to read and write XML.

Every module that builds or reads TEI imports its names from here, so the
namespace strings and the parser settings exist exactly once.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lxml import etree
from lxml.builder import ElementMaker

from .errors import InputError
from .files import read_limited

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NSMAP = {"tei": TEI_NS}
XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"

#: ``E.p("text")`` builds ``<p xmlns="http://www.tei-c.org/ns/1.0">text</p>``.
E = ElementMaker(namespace=TEI_NS, nsmap={None: TEI_NS})

#: Documents larger than this are refused before parsing (a register or an
#: edition is a few hundred kilobytes; 50 MB leaves room for whole corpora).
MAX_XML_BYTES = 50 * 1024 * 1024


def tei(name: str) -> str:
    """Clark name of a TEI element: ``tei("p") == "{http://www.tei-c.org/ns/1.0}p"``."""
    return f"{{{TEI_NS}}}{name}"


def local(element: etree._Element) -> str:
    """Local name of an element (``"p"``); comments and PIs give ``""``."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def is_tei(element: etree._Element) -> bool:
    tag = element.tag
    return isinstance(tag, str) and tag.startswith(f"{{{TEI_NS}}}")


class _RefuseEverything(etree.Resolver):
    """Answers every request for an outside resource (DTD, entity file, URL) with nothing.

    ``collect_ids=False`` makes lxml ask libxml2 to load the external DTD subset; without this resolver
    libxml2 would then open whatever file a document's DOCTYPE names.
    """

    def resolve(self, system_url: str, public_id: str, context: object) -> Any:
        return self.resolve_string("", context)


def schema_parser() -> etree.XMLParser:
    """The parser for the schemas tei-cable ships or the user names (trusted files): no entity expansion and
    no network, but libxml2 may follow the schema's own references (the XSD's import of xml.xsd)."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def safe_parser() -> etree.XMLParser:
    """The parser for documents: it never reads anything but the bytes it is given.

    No DTD loading, no entity expansion, no network, every outside reference answered with nothing;
    ``huge_tree`` stays off, so libxml2's own depth and size limits apply as well.
    """
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
        # Duplicate or malformed xml:ids are validation findings (exit 1), not unreadable XML (exit 2).
        collect_ids=False,
    )
    parser.resolvers.add(_RefuseEverything())
    return parser


#: What may stand before the root element: the XML declaration, comments, processing instructions, space.
_PROLOG_ITEM = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)


def _has_doctype(data: bytes) -> bool:
    """True when a DOCTYPE comes before the root element (checked before libxml2 sees the bytes)."""
    pos = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    while m := _PROLOG_ITEM.match(data, pos):
        pos = m.end()
    return data.startswith(b"<!DOCTYPE", pos)


def parse_xml(data: bytes, path: str | Path = "<input>") -> etree._ElementTree:
    """Parse XML bytes safely; errors name the file and line where the XML breaks."""
    if len(data) > MAX_XML_BYTES:
        raise InputError(f"XML file is larger than {MAX_XML_BYTES // (1024 * 1024)} MB; refusing to read it", path=path)
    if _has_doctype(data):
        line = data.count(b"\n", 0, data.find(b"<!DOCTYPE")) + 1
        raise InputError("document type declarations (DTDs) are not accepted in TEI input", path=path, line=line)
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser=safe_parser(), base_url=str(path)))
    except etree.XMLSyntaxError as err:
        line = err.lineno if err.lineno else None
        message = err.msg or "unreadable"
        if "Excessive depth" in message:
            message = "the elements are nested too deep (a maximum depth of 256 levels; no TEI edition needs more)"
        elif not message.startswith("the elements"):
            message = f"not well-formed XML: {message}"
        raise InputError(message, path=path, line=line) from None
    except ValueError as err:  # e.g. an encoding declaration lxml cannot use
        raise InputError(f"not readable as XML: {err}", path=path) from None
    if tree.docinfo.doctype:
        raise InputError("document type declarations (DTDs) are not accepted in TEI input", path=path, line=1)
    return tree


def read_xml(path: str | Path) -> etree._ElementTree:
    """Read and safely parse an XML file (its size is checked before it is read)."""
    return parse_xml(read_limited(path, MAX_XML_BYTES, "XML file"), path)


#: Elements whose children are blocks: only these are indented, and only when they hold no text of
#: their own, so no whitespace ever lands inside running text.
BLOCK_CONTAINERS = frozenset({
    "TEI", "teiHeader", "fileDesc", "titleStmt", "publicationStmt", "sourceDesc", "encodingDesc", "profileDesc",
    "revisionDesc", "respStmt", "availability", "projectDesc", "editorialDecl", "classDecl", "taxonomy",
    "category", "appInfo", "application", "abstract", "langUsage", "textClass", "keywords", "correspDesc",
    "correspAction", "notesStmt", "standOff", "listPerson", "listPlace", "listOrg", "listEvent", "listRelation",
    "person", "place", "org", "event", "text", "body", "front", "back", "div", "list", "sp", "opener", "closer",
    "postscript", "note", "listBibl", "bibl", "biblStruct", "relatedItem",
})


def _has_text(el: etree._Element) -> bool:
    if el.text and el.text.strip():
        return True
    return any(child.tail and child.tail.strip() for child in el)


def indent(root: etree._Element, level: int = 0) -> None:
    """Indent block containers by two spaces; running text is never touched."""
    if not len(root) or local(root) not in BLOCK_CONTAINERS or _has_text(root):
        return
    pad = "\n" + "  " * (level + 1)
    root.text = pad
    for child in root:
        indent(child, level + 1)
        child.tail = pad
    root[-1].tail = "\n" + "  " * level


def serialize(tree: etree._ElementTree | etree._Element) -> bytes:
    """The one serialisation of TEI: UTF-8 with an XML declaration; block containers indented."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    indent(root)
    return etree.tostring(root.getroottree() if isinstance(tree, etree._ElementTree) else root, encoding="UTF-8",
                          xml_declaration=True) + b"\n"
