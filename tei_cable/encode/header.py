"""The model's header fields -> ``teiHeader`` (the mapping is stated in docs/ENCODING.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from .. import __version__
from ..citation import Citation
from ..dates import INFERENCES
from ..model import Document
from ..tei import XML_ID, E, tei

#: Language names of "Original Language:" -> BCP 47 codes. Unknown names keep "und" and their text.
LANGUAGE_CODES: dict[str, str] = {
    "english": "en", "chinese": "zh", "russian": "ru", "korean": "ko", "japanese": "ja", "mongolian": "mn",
    "vietnamese": "vi", "german": "de", "french": "fr", "polish": "pl", "czech": "cs", "slovak": "sk",
    "hungarian": "hu", "romanian": "ro", "bulgarian": "bg", "albanian": "sq", "serbo-croatian": "sh",
    "serbian": "sr", "croatian": "hr", "slovenian": "sl", "macedonian": "mk", "italian": "it", "spanish": "es",
    "portuguese": "pt", "arabic": "ar", "hebrew": "he", "persian": "fa", "farsi": "fa", "turkish": "tr",
    "hindi": "hi", "urdu": "ur", "indonesian": "id", "khmer": "km", "lao": "lo", "burmese": "my",
    "thai": "th", "greek": "el", "finnish": "fi", "swedish": "sv", "norwegian": "no", "danish": "da",
    "dutch": "nl", "ukrainian": "uk", "belarusian": "be", "georgian": "ka", "armenian": "hy", "latvian": "lv",
    "lithuanian": "lt", "estonian": "et", "uzbek": "uz", "kazakh": "kk", "tibetan": "bo", "uyghur": "ug",
}
FUNDER = re.compile(r"(?:support|funding|grant)s? (?:from|of|by) (?:the )?(?P<name>.+?)\.?$")

EDITORIAL_DECL = (
    "The text is transcribed from the archive's plain-text export without change. Words the translator or "
    "the archive added in square brackets are encoded as supplied (the brackets are restored in every "
    "rendering); bracketed omissions are gaps. Quotation marks are kept as written. Paragraphs that a page "
    "break of the export split in mid-sentence are joined. Footnote markers become notes at the marker's "
    "position. Names are linked with @ref to entries in the standOff; dates carry normalised ISO values, "
    "and every value part that the text does not state points with @ana to the reason it was inferred."
)


def language_code(name: str) -> str:
    return LANGUAGE_CODES.get(name.strip().lower(), "und")


@dataclass
class HeaderIds:
    """Pointers the body needs: who made the brackets, who signed which note."""

    translator: str  # "#resp-..." or "#wcda"
    people: dict[str, str]  # responsible person's name -> "#resp-..."


def resp_id(name: str) -> str:
    from ..entities import slug  # local import: entities imports nothing from encode

    return f"resp-{slug(name)}"


def is_translation(doc: Document) -> bool:
    """Whether the English text is a translation: false only when the export says the original is English
    (a US or British document); an export that names no language is taken to be a translation, as most are."""
    return {language_code(x) for x in doc.header.languages} != {"en"}


def build_title_stmt(doc: Document, citation: Citation, signers: list[str]) -> tuple[etree._Element, HeaderIds]:
    header = doc.header
    stmt = E.titleStmt(E.title(header.title or "Untitled document", type="main"))
    if header.credits:
        m = FUNDER.search(header.credits)
        stmt.append(E.funder(m.group("name") if m else header.credits))
    # One respStmt per person, with every role the citation and the notes give them: an id appears once.
    roles: dict[str, list[str]] = {}
    for phrase, name in citation.contributors:
        roles.setdefault(name, []).append(phrase)
    for name in signers:
        roles.setdefault(name, []).append("Author of a signed note")
    people: dict[str, str] = {}
    for name, phrases in roles.items():
        people[name] = f"#{resp_id(name)}"
        stmt.append(E.respStmt(*(E.resp(p) for p in dict.fromkeys(phrases)), E.persName(name, {XML_ID: resp_id(name)})))
    what = "the translation" if is_translation(doc) else "the document"
    stmt.append(E.respStmt(E.resp(f"Publication of {what} and its notes"),
                           E.orgName("History and Public Policy Program Digital Archive, Wilson Center",
                                     {XML_ID: "wcda"})))
    stmt.append(E.respStmt(E.resp("TEI encoding"), E.name(f"tei-cable {__version__}", type="software")))
    translator = people[citation.translators[0]] if citation.translators else "#wcda"
    return stmt, HeaderIds(translator=translator, people=people)


def build_publication_stmt(doc: Document) -> etree._Element:
    stmt = E.publicationStmt(E.authority("Encoded with tei-cable from the Digital Archive's plain-text export"))
    if doc.record_id:
        stmt.append(E.idno(doc.record_id, type="wcda"))
    if doc.header.url:
        stmt.append(E.idno(doc.header.url, type="URL"))
    what = "The translation" if is_translation(doc) else "The document"
    stmt.append(E.availability(E.p(
        f"{what} and its notes are published by the Wilson Center's History and Public Policy Program "
        "Digital Archive; consult its terms of use before republishing. The encoding adds no text of its own.")))
    return stmt


def build_source_desc(doc: Document, bibl: etree._Element) -> etree._Element:
    desc = E.sourceDesc(bibl)
    if doc.header.languages:
        codes = [language_code(x) for x in doc.header.languages]
        text_lang = E.textLang(", ".join(doc.header.languages), mainLang=codes[0])
        if codes[1:]:
            text_lang.set("otherLangs", " ".join(codes[1:]))
        original = E.bibl(text_lang, type="original")
        desc.append(original)
    return desc


def build_encoding_desc() -> etree._Element:
    taxonomy = E.taxonomy(E.desc("Why a normalised date value says more than the text"),
                          {XML_ID: "date-inference"})
    for key, description in INFERENCES.items():
        taxonomy.append(E.category(E.catDesc(description), {XML_ID: key}))
    return E.encodingDesc(
        E.projectDesc(E.p("A TEI P5 edition of a translated document from the Wilson Center Digital Archive, "
                          "produced by tei-cable; every entity mention is linked to the register in the "
                          "standOff.")),
        E.editorialDecl(E.p(EDITORIAL_DECL)),
        E.classDecl(taxonomy),
        E.appInfo(E.application(E.label("tei-cable"), {XML_ID: "tei-cable"}, ident="tei-cable", version=__version__)),
    )


def build_lang_usage(doc: Document) -> etree._Element:
    if not is_translation(doc):
        return E.langUsage(E.language("English (the original)", ident="en"))
    usage = E.langUsage(E.language("English (the translation)", ident="en"))
    seen = {"en"}
    for name in doc.header.languages:
        code = language_code(name)
        if code in seen and code != "und":
            continue
        seen.add(code)
        usage.append(E.language(f"{name} (the original)", ident=code))
    return usage


def build_revision_desc() -> etree._Element:
    return E.revisionDesc(E.change(f"Converted from the plain-text export by tei-cable {__version__}.",
                                   who="#tei-cable"))


def text_class(doc: Document) -> etree._Element | None:
    if not doc.header.doc_type:
        return None
    return E.textClass(E.keywords(E.term(doc.header.doc_type, type="document-type")))


def dated(parent: etree._Element, attrs: dict[str, str]) -> None:
    """An empty ``<date>`` with date attributes only (the CMIF convention for correspondence)."""
    if attrs:
        parent.append(etree.Element(tei("date"), attrs))
