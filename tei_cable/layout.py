"""Body layout: raw paragraphs of the export -> typed blocks in sections.

Every decision here is a rule in one of the module-level tables below, tried in
order; the first rule that matches wins. Adding a layout the archive uses means
adding a row, not another ``if``. The text of every block stays verbatim.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass

from .dates import parse_date_value
from .model import Block, BlockKind, Section

MARKER = re.compile(r"\^\[\d+\]")


def plain(text: str) -> str:
    """Text without footnote markers or italics asterisks, for classification only."""
    return MARKER.sub("", text).replace("*", "").strip()


@dataclass
class RawBlock:
    line: int
    lines: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


# -- line and block patterns -----------------------------------------------------------------------

#: Telegram header lines; each becomes ``<seg type="...">`` in the opener.
OPENER_LINES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("classification", re.compile(
        r"^(?:(?:top|strictly|most|highly|special|secret|confidential|urgent|immediate|priority|"
        r"flash|personal|only|for|official|use|eyes|file|copy|making|copies|prohibited|forbidden|of|the|to|is|"
        r"no|exdis|nodis|limdis|noforn|restricted|operational|niact)[\s.,!;/-]*)+$", re.IGNORECASE)),
    ("copy", re.compile(r"^Cop(?:y|ies)\b\s*(?:No\.?|Nr\.?|#|№)?\s*\d+\b.{0,40}$", re.IGNORECASE)),
    ("number", re.compile(
        r"^(?:(?:ciphered|cipher|coded|incoming|outgoing|special|urgent|secret|radio)\s+)*"
        r"(?:telegram|cable|cipher message|message|dispatch|radiogram)(?:\s+(?:No\.?|Nr\.?|#|№)\s*[\w/.\-]+.*)?$",
        re.IGNORECASE)),
    ("number", re.compile(r"^(?:No\.|Nr\.|№|Ref\.|Reference No\.)\s*[\w/.\-]+(?:\s.{0,40})?$")),
    ("number", re.compile(r"^Refs?:\s+\S.{0,80}$")),  # "Ref: Embtel 2410": the telegram this one answers
    ("from", re.compile(r"^From:?\s+\S.{0,80}$")),
    # US telegrams: the action addressee and the information addressees.
    ("to", re.compile(r"^Action:\s+\S.{0,120}$")),
    ("distribution", re.compile(r"^Info:\s+\S.{0,240}$")),
    ("to", re.compile(r"^To:?\s+[A-Z][A-Z ,.'\-]+$|^To:\s+\S.{0,80}$")),
    ("sent", re.compile(r"^(?:Sent|Dispatched|Transmitted|Despatched)\b.{0,80}\d.{0,40}$", re.IGNORECASE)),
    ("received", re.compile(r"^(?:Received|Receipt|Arrived)\b.{0,80}\d.{0,40}$", re.IGNORECASE)),
    ("subject", re.compile(r"^(?:Subject|Re|Concerning|Regarding):\s+\S.{0,200}$")),
)

SALUTE = re.compile(
    r"^(?:To|Dear|My dear|Esteemed|Respected|Deeply respected|Dearly respected|Honou?red|Your Excellency|"
    r"Excellency|Comrades?|Mr\.|Madam|Sir|Gentlemen)\b.{0,240}[:,!]$"
)
ADDRESS_LINE = re.compile(r"^To\s+\S.{0,140}[^.]$")  # "To Filippov [Stalin]" with no final colon

ANNEX_HEAD = re.compile(
    r"^(?:Annex|Appendix|Attachment|Enclosure|Addendum|Supplement|Appended|Attached|Enclosed|"
    r"ANNEX|APPENDIX|ATTACHMENT|ENCLOSURE|ADDENDUM|SUPPLEMENT)"
    r"(?:\s+(?:No\.\s*|NO\.\s*)?[\w.\-]+)?\s*(?::|\.|—|–|$)"
)
SEPARATOR = re.compile(r"^(?:[*•·]\s*){3,}$|^[-–—_=~]{3,}$")

CLOSING = re.compile(
    r"^(?:With\s+(?:\w+\s+){0,3}(?:greetings|regards|respect|salutes?)|(?:Yours\s+)?(?:sincerely|faithfully|truly|"
    r"respectfully)(?:\s+yours)?|Respectfully|Sincerely|Best regards|Comradely greetings|Regards|Salute)\b.{0,60}$",
    re.IGNORECASE,
)
DISTRIBUTION = re.compile(
    r"^(?:Distributed|Distribution|Distribute|Copies (?:to|sent)|Sent to|Send to|Copies|cc)\b[^:\n]{0,40}:",
    re.IGNORECASE,
)
PARTICIPANTS = re.compile(
    r"^(?:Present|Participants|Participating|Attending|Also present|Members present|In attendance|Those present|"
    r"Present at the (?:meeting|conversation|talks?))\b[^:\n]{0,60}:",
    re.IGNORECASE,
)
#: A name as it stands under a letter: "Zhou Enlai", "A. Vyshinsky", "V. M. Molotov", "KIM IL SUNG".
_ONE_NAME = r"(?:[A-Z][a-z]{0,2}\.\s?){0,3}[A-Z][\w'’\-]+(?:[ \-][A-Z][\w'’\-]+){0,3}"
#: A signature line: a name, or a joint signature of up to three ("Kim Il Sung, Peng Dehuai").
NAME_LINE = re.compile(
    rf"^(?:\[signature\]\s*)?{_ONE_NAME}(?:(?:,\s*|,?\s+and\s+){_ONE_NAME}){{0,2}}"
    r"(?:\s*\((?:signature|signed)\))?\s*(?:\[signature\])?$"
)
SIGNER_TITLE = re.compile(
    r"^(?:[A-Z][\w'’\-]*\s+){0,4}(?i:Chairman|Ambassador|Minister|Secretary|President|Premier|Head|Director|"
    r"Commander|Chief|Deputy|Counsellor|Counselor|Chargé|Charge|Consul|Attaché|Representative|Envoy|Marshal|"
    r"General|Colonel|Adviser|Advisor|Member)\b[^.]{0,120}$"
)

#: Numbered and lettered points: (style, pattern with groups label-number and separator).
ITEM_STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("bracket", re.compile(r"^\[(\d{1,3})\]([ \t]+)(?=\S)")),
    ("paren-roman", re.compile(r"^\(([ivx]{1,5})\)([ \t]+)(?=\S)")),
    ("paren", re.compile(r"^\((\d{1,3})\)([ \t]+)(?=\S)")),
    ("paren-alpha", re.compile(r"^\(([a-h])\)([ \t]+)(?=\S)")),
    ("dot", re.compile(r"^(\d{1,3})\.([ \t]+)(?=\S)")),
    ("rparen", re.compile(r"^(\d{1,3})\)([ \t]+)(?=\S)")),
    ("alpha", re.compile(r"^([a-h])\)([ \t]+)(?=\S)")),
    ("roman", re.compile(r"^([IVX]{1,5})\.([ \t]+)(?=[A-Z\"“‘(\[*])")),
    ("alpha-dot", re.compile(r"^([a-h])\.([ \t]+)(?=[A-Z\"“(])")),
    ("dash", re.compile(r"^([-–•])([ \t]+)(?=\S)")),
)

#: Speaker labels: (style, pattern with groups label, speaker, separator). Labels of a WEAK_SPEAKER_STYLES
#: style count only when the document has at least two of them (a lone "Therefore: ..." or "Moscow – the
#: capital ..." is not a conversation).
SPEAKER_STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("side", re.compile(r"^((?:[A-Z][\w\-]+ )?(?:side|Side|delegation|Delegation) \(([^)]{2,60})\):)([ \t]+)(?=\S)")),
    ("caps", re.compile(r"^(([A-Z][A-Z'’\-]{2,}(?:[ .][A-Z][A-Z'’\-]+){0,3})[.:])([ \t]+)(?=\S)")),
    ("colon", re.compile(r"^(([A-Z][\w'’.\-]+(?: [A-Z][\w'’.\-]+| \[[\w .\-]+\]){0,3}):)([ \t]+)(?=\S)")),
    # "Castro — We have had three long meetings ..." (an em or en dash between spaces)
    ("dash", re.compile(r"^(([A-Z][\w'’.\-]+(?: [A-Z][\w'’.\-]+){0,3}) [—–])([ \t]+)(?=\S)")),
)
WEAK_SPEAKER_STYLES = frozenset({"colon", "dash"})
NOT_SPEAKERS = {
    "present", "participants", "participating", "attending", "also", "subject", "note", "notes", "agenda",
    "copy", "copies", "distributed", "distribution", "from", "to", "re", "annex", "enclosure", "attachment",
    "appendix", "translator's", "translator’s", "editor's", "editor’s", "comment", "comments", "conclusion",
    "conclusions", "decision", "decisions", "resolution", "resolved", "proposal", "question", "questions",
    "place", "time", "date", "source", "item", "point", "result", "results", "summary", "record", "minutes",
    "top", "secret", "strictly", "urgent", "confidential", "n.b", "nb", "p.s", "ps", "for", "in", "the",
    "members", "agreed", "decided", "instructions", "answer", "reply", "request", "telegram", "cable", "no",
    "signed", "sent", "received", "remark", "remarks", "postscript", "addendum", "supplement", "draft",
    "first", "second", "third", "fourth", "fifth", "finally", "therefore", "thus", "however", "moreover",
    # telegram header and drafting lines ("Action:", "Info:", "Ref:", "Drafted by:", "Cleared:")
    "action", "info", "ref", "refs", "reference", "references", "drafted", "cleared", "clearance", "approved",
    "cc", "attention", "attn", "classification", "precedence", "fyi", "exdis", "nodis", "limdis", "eyes",
}
REPORTED_SPEECH = re.compile(
    r"^(?:[A-Z][\w'’.\-]*,? ){1,5}(?:\w+ )?(?:said|says|stated|noted|replied|asked|answered|remarked|added|"
    r"emphasi[sz]ed|declared|agreed|proposed|expressed|pointed out|continued|responded|observed|explained|"
    r"suggested|informed|told|thanked|raised|inquired|objected|welcomed)\b"
)
NARRATIVE = re.compile(
    r"^(?:The (?:conversation|meeting|talk|talks|discussion|session)|Recorded by|Record made by|"
    r"(?:First|Second|Third|Fourth|Fifth|Sixth|Final|Last|Next|Another) (?:conversation|meeting|session|talk|day)\b)"
)


# -- predicates ------------------------------------------------------------------------------------


def opener_line_type(line: str) -> str | None:
    text = plain(line)
    for kind, pattern in OPENER_LINES:
        if pattern.match(text):
            return kind
    return None


ADDRESSEE_WORDS = re.compile(
    r"\b(?:Comrades?|Chairman|Premier|Ambassador|Minister|Secretary|President|Marshal|Central Committee|"
    r"Politburo|Presidium|Excellency)\b"
)


def is_address(text: str) -> bool:
    """ "Chairman Mao [Zedong], Comrade [Liu] Shaoqi and the Central Committee:" - a short first line that
    names its addressees by title and ends with a colon, with no sentence inside it."""
    return text.endswith(":") and len(text) < 200 and ". " not in text and text[:1].isupper() \
        and bool(ADDRESSEE_WORDS.search(text)) and not PARTICIPANTS.match(text) and not speaker_match(text) \
        and address_phrase(text)


#: Words a salutation may hold in lower case ("To the First Secretary of the Central Committee and ...").
SALUTE_PARTICLES = frozenset({"and", "of", "the", "to", "in", "for", "at", "on", "de", "von", "van", "la", "le",
                              "du", "des", "der", "my", "dear", "comrade", "comrades", "esteemed", "respected"})


def is_salute(block: RawBlock) -> bool:
    """ "To Chairman Mao [Zedong] and the Central Committee:", "Dear Comrade Ulbricht,": an address phrase, not a
    sentence ("Comrade Zhou Enlai informed me today of the following:" is narrative)."""
    text = plain(block.text)
    return len(block.lines) == 1 and bool(SALUTE.match(text) or ADDRESS_LINE.match(text)) and address_phrase(text)


def address_phrase(text: str) -> bool:
    """Names and titles joined by particles, no verb: every lower-case word is a particle."""
    words = re.findall(r"[^\W\d_][\w'’\-]*", re.sub(r"\[[^\]]*\]", "", text))
    return all(w[:1].isupper() or w.lower() in SALUTE_PARTICLES for w in words)


def is_line_block(block: RawBlock) -> bool:
    """Several short lines that are not sentences, points or a participants list: a letterhead or an address."""
    return len(block.lines) >= 2 and all(
        len(x) < 90 and not x.rstrip().endswith(".") and not item_match(x) and not PARTICIPANTS.match(plain(x))
        for x in block.lines)


#: A time after a dateline's date: "20 June, 10:00 pm".
TRAILING_TIME = re.compile(r",?\s+\d{1,2}[:.]\d{2}(?:\s*(?:[ap]\.?m\.?|hours?))?$", re.IGNORECASE)


def is_dateline(text: str, doc_date: datetime.date | None) -> bool:
    text = TRAILING_TIME.sub("", plain(text))
    if not text or len(text) > 80 or "\n" in text:
        return False
    if parse_date_value(text, doc_date) is not None:
        return True
    place, sep, rest = text.partition(", ")
    return bool(sep) and place[:1].isupper() and len(place) < 40 and parse_date_value(rest, doc_date) is not None


#: "Secretary of the Central Committee of the MPRP Yu. Tsedenbal": a title and an initialled name on one line.
TITLED_SIGNATURE = re.compile(
    r"^(?:[A-Z][\w'’\-]*\s+){0,4}(?:Chairman|Ambassador|Minister|Secretary|President|Premier|Head|Director|"
    r"Commander|Chief|Deputy|Counsellor|Chargé|Consul|Representative|Envoy)\b[^.]{0,120}?\s"
    r"(?:(?:[A-Z][a-z]{0,2}\.\s?){1,3}[A-Z][\w'’\-]+|[A-Z][A-Z'’\-]{2,}(?: [A-Z][A-Z'’\-]+)*)$"
)


def is_signed(block: RawBlock) -> bool:
    lines = [plain(x) for x in block.lines]
    if len(lines) == 1 and TITLED_SIGNATURE.match(lines[0]):
        return True
    if not 1 <= len(lines) <= 3 or any(not x for x in lines):
        return False
    if not any(NAME_LINE.match(x) for x in lines):
        return False
    return all(NAME_LINE.match(x) or SIGNER_TITLE.match(x) for x in lines)


def item_match(text: str) -> tuple[str, re.Match[str]] | None:
    for style, pattern in ITEM_STYLES:
        m = pattern.match(text)
        if m:
            return style, m
    return None


ROMAN_LABEL = re.compile(r"^[IVXLC]+$")


def speaker_match(text: str) -> tuple[str, re.Match[str]] | None:
    for style, pattern in SPEAKER_STYLES:
        m = pattern.match(text)
        if m and m.group(2).split()[0].lower().rstrip(".") not in NOT_SPEAKERS \
                and not ROMAN_LABEL.match(m.group(2)):
            return style, m
    return None


def heading_like(text: str) -> bool:
    text = plain(text)
    return 0 < len(text) <= 200 and "\n" not in text and not text.endswith((".", ",", ";", ":")) and \
        not text[:1].islower()


# -- page breaks -----------------------------------------------------------------------------------

END_OF_SENTENCE = (".", "!", "?", ":", ";", '"', "”", "’", "'", ")", "]", "*")


def join_page_breaks(blocks: list[RawBlock]) -> list[RawBlock]:
    """Rejoin paragraphs that a page break split: one ends mid-sentence, the next starts in lower case."""
    out: list[RawBlock] = []
    for block in blocks:
        prev = out[-1] if out else None
        if (
            prev is not None
            and len(prev.lines) == 1
            and len(block.lines) == 1
            and len(plain(prev.lines[0])) >= 40
            and not MARKER.sub("", prev.lines[0]).rstrip().endswith(END_OF_SENTENCE)
            and block.lines[0][:1].islower()
        ):
            out[-1] = RawBlock(prev.line, [f"{prev.lines[0].rstrip()} {block.lines[0].lstrip()}"])
        else:
            out.append(block)
    return out


# -- sections --------------------------------------------------------------------------------------


def split_sections(blocks: list[RawBlock]) -> list[tuple[Section, list[RawBlock]]]:
    """Cut the body at annex headings and separator lines."""
    sections: list[tuple[Section, list[RawBlock]]] = [(Section(kind="document", line=blocks[0].line), [])]
    pending_separator: str | None = None
    for block in blocks:
        text = plain(block.text)
        if len(block.lines) == 1 and SEPARATOR.match(block.text.strip()):  # a rule line with a ^[n] is text
            pending_separator = block.text
            sections.append((Section(kind="enclosure", line=block.line, separator=block.text), []))
            continue
        if len(block.lines) == 1 and ANNEX_HEAD.match(text) and len(text) <= 300:
            if pending_separator is not None and not sections[-1][1] and sections[-1][0].head is None:
                section = sections[-1][0]  # "* * *" then "Enclosure: ...": one section
            else:
                section = Section(kind="annex", line=block.line)
                sections.append((section, []))
            section.head = Block(kind="p", text=block.text, line=block.line)
            pending_separator = None
            continue
        section, members = sections[-1]
        if pending_separator is not None and not members and section.head is None and heading_like(text) \
                and not is_signed(block) and len(text) <= 150:
            section.head = Block(kind="p", text=block.text, line=block.line)
            pending_separator = None
            continue
        pending_separator = None
        members.append(block)
    return sections


# -- classification inside a section ---------------------------------------------------------------


def classify_opener(blocks: list[RawBlock], doc_date: datetime.date | None) -> tuple[list[Block], int]:
    """Blocks at the start of a section that belong to the opener; return them and how many were used."""
    opener: list[Block] = []
    used = 0
    for index, block in enumerate(blocks):
        types = [opener_line_type(x) for x in block.lines]
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if all(types):
            for offset, (line, kind) in enumerate(zip(block.lines, types, strict=True)):
                opener.append(Block(kind="opener-line", text=line, line=block.line + offset, subtype=kind or ""))
        elif is_line_block(block) and (index == 0 or (following is not None and is_salute(following))):
            # Short lines at the top (letterhead), or just above the salute (the addressee's address).
            kind: BlockKind = "letterhead" if index == 0 else "address"
            opener.append(Block(kind=kind, text=block.text, line=block.line))
        elif is_dateline(block.text, doc_date):
            opener.append(Block(kind="dateline", text=block.text, line=block.line))
        elif is_salute(block) or (index == used and len(block.lines) == 1 and is_address(plain(block.text))):
            opener.append(Block(kind="salute", text=block.text, line=block.line))
            used = index + 1
            break  # the salute ends the opener
        else:
            break
        used = index + 1
    return opener, used


def closer_kind(block: RawBlock, doc_date: datetime.date | None) -> BlockKind | None:
    text = plain(block.text)
    if is_dateline(block.text, doc_date):
        return "dateline"
    if DISTRIBUTION.match(text):
        return "distribution"
    if len(block.lines) == 1 and CLOSING.match(text):
        return "closing"
    if is_signed(block):
        return "signed"
    return None


INITIALLED = re.compile(r"\b[A-Z][a-z]?\.\s?[A-Z]")


def strong_signature(block: RawBlock) -> bool:
    """A signature that cannot be a heading: initials ("A. Vyshinsky"), capitals ("ROSHCHIN"), a title line."""
    lines = [plain(x) for x in block.lines]
    return is_signed(block) and (len(lines) > 1 or any(INITIALLED.search(x) or x.isupper() for x in lines)
                                 or bool(TITLED_SIGNATURE.match(lines[0])))


#: Paragraphs that may follow a letter's signature before its annexes (a short postscript).
MAX_POSTSCRIPT = 3


def classify_closer(blocks: list[RawBlock], doc_date: datetime.date | None) -> tuple[int, int]:
    """Return (start, end) of the closer run in ``blocks``; start == end == len(blocks) when there is none.

    The closer is the last run of closer-like blocks (signature, dateline, closing formula,
    distribution line). It may be followed by up to ``MAX_POSTSCRIPT`` ordinary paragraphs
    (a postscript such as "Annexed below are ...") only when it holds a signature.
    """
    n = len(blocks)
    for trailing in range(MAX_POSTSCRIPT + 1):
        end = n - trailing
        if end <= 0:
            break
        if trailing and (item_match(plain(blocks[end].text)) or closer_kind(blocks[end], doc_date)):
            break  # a postscript is made of plain paragraphs only
        start = end
        kinds: list[BlockKind] = []
        while start > 0 and (kind := closer_kind(blocks[start - 1], doc_date)) is not None:
            kinds.append(kind)
            start -= 1
        if start == end:
            continue
        if trailing and not ({"dateline", "closing"} & set(kinds)
                             or any(strong_signature(b) for b in blocks[start:end])):
            # Paragraphs after a bare "Final Remarks" are not a postscript: that line is a heading.
            continue
        if "signed" in kinds or (trailing == 0 and set(kinds) != {"distribution"}):
            return start, end
    return n, n


def _item_block(block: RawBlock, style: str, m: re.Match[str]) -> Block:
    return Block(kind="item", text=block.text[m.end():], line=block.line, label=block.text[: m.start(2)],
                 n=m.group(1), style=style, label_sep=m.group(2))


def classify_body(blocks: list[RawBlock], confirmed: frozenset[str]) -> list[Block]:
    """Body blocks; ``confirmed``: the weak speaker styles the document uses often enough to be labels."""
    out: list[Block] = []
    in_speech = False
    for block in blocks:
        text = block.text
        stripped = plain(text)
        if len(block.lines) > 1 and all(item_match(x) for x in block.lines):
            for offset, line in enumerate(block.lines):  # "- A\n- B": one item per line
                style, m = item_match(line)  # type: ignore[misc]
                out.append(_item_block(RawBlock(block.line + offset, [line]), style, m))
            continue
        speaker = speaker_match(text) if len(block.lines) == 1 and not item_match(text) else None
        if speaker and (speaker[0] not in WEAK_SPEAKER_STYLES or speaker[0] in confirmed):
            style, m = speaker
            out.append(Block(kind="speech", text=text[m.end():], line=block.line, label=m.group(1),
                             subtype=m.group(2), style=style, label_sep=m.group(3)))
            in_speech = True
            continue
        if PARTICIPANTS.match(stripped):
            out.append(Block(kind="participants", text=text, line=block.line))
            in_speech = False
            continue
        item = item_match(text)
        if item:
            style, m = item
            out.append(_item_block(block, style, m))
            continue
        if DISTRIBUTION.match(stripped):
            out.append(Block(kind="distribution", text=text, line=block.line))
            in_speech = False  # a distribution line ends the conversation
            continue
        if in_speech and not REPORTED_SPEECH.match(stripped) and not NARRATIVE.match(stripped):
            # An unlabelled paragraph after a speaker turn continues that speech.
            out.append(Block(kind="speech", text=text, line=block.line))
            continue
        in_speech = False
        out.append(Block(kind="p", text=text, line=block.line))
    return out


def _caps_heading(block: RawBlock) -> bool:
    """An ALL-CAPS line such as "RECORD OF CONVERSATION" or "MINUTES No. 9" (not a telegram header line)."""
    first = plain(block.text)
    letters = [c for c in first if c.isalpha()]
    caps = sum(c.isupper() for c in letters) >= 0.8 * len(letters) if letters else False
    return len(block.lines) == 1 and caps and len(first.split()) <= 12 and heading_like(first) \
        and not opener_line_type(first) and not speaker_match(block.text) and not item_match(block.text)


def build_sections(raw: list[RawBlock], doc_date: datetime.date | None) -> list[Section]:
    """Typed sections from the raw body paragraphs (see the module docstring)."""
    blocks = join_page_breaks(raw)
    styles = Counter(m[0] for b in blocks if (m := speaker_match(b.text)) and m[0] in WEAK_SPEAKER_STYLES)
    confirmed = frozenset(style for style, count in styles.items() if count >= 2)
    sections: list[Section] = []
    for section, members in split_sections(blocks):
        if section.kind == "enclosure" and section.head is None and sections \
                and all(DISTRIBUTION.match(plain(b.text)) for b in members):
            # "----------" then "Copies: ..." (or nothing): a rule in the closer, not an enclosure.
            previous = sections[-1]
            previous.closer.append(Block(kind="separator", text=section.separator, line=section.line))
            previous.closer.extend(Block(kind="distribution", text=b.text, line=b.line) for b in members)
            continue
        if section.kind == "document" and members and section.head is None and _caps_heading(members[0]):
            section.head = Block(kind="p", text=members[0].text, line=members[0].line)
            members = members[1:]
        section.opener, used = classify_opener(members, doc_date)
        rest = members[used:]
        if section.head is None and rest and _caps_heading(rest[0]):
            # "RECORD OF CONVERSATION" after the classification lines: the document's heading.
            section.head = Block(kind="p", text=rest[0].text, line=rest[0].line)
            rest = rest[1:]
            # A place and date or a salute under that heading ("NOTE" / "Warsaw, 1.VI.61" / "Comrade
            # Wiesław,") still open the document: a second opener after the head.
            more, used = classify_opener(rest, doc_date)
            if more and all(b.kind in ("dateline", "salute", "opener-line") for b in more) \
                    and any(b.kind in ("dateline", "salute") for b in more):
                section.opener.extend(more)
                rest = rest[used:]
        start, end = classify_closer(rest, doc_date)
        for block in rest[start:end]:
            kind = closer_kind(block, doc_date)
            assert kind is not None
            section.closer.append(Block(kind=kind, text=block.text, line=block.line))
        section.blocks = classify_body(rest[:start], confirmed)
        section.postscript = [Block(kind="p", text=b.text, line=b.line) for b in rest[end:]]
        if section.head is None and not section.opener and not section.blocks and not section.closer \
                and not section.postscript and section.kind != "enclosure":
            continue
        sections.append(section)
    return sections
