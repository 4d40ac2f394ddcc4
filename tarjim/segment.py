"""Arabic text → paragraphs → sentences → translation chunks, with source spans.

Standard library only; imports in milliseconds.

Sentences. Paragraphs are split at blank lines, and every line break ends a sentence
(headlines, captions, bullets). Inside a line a sentence ends after a run of terminal
marks (. ! ? ؟ … and their kin) and the closing quotes and brackets that follow it (even
after a space: "انتهى. »"); followed by white space, or glued to an Arabic word
(``الروسية.ودارت``) or an opening quotation.

Quotations. Inside a quotation a sentence ends as it does outside it, as news gold and
translation want it (a five-sentence statement is five segments, not one long input that
MT drops clauses from): the opening mark stays with the first sentence, the closing mark
with the last, and a mark right before the closing quote ends the sentence after the
quote (``«…انتهى.» وقال``). Quotes are paired by context (a straight quote after white
space opens, before white space or punctuation closes), to tell a closing mark, which a
terminal run takes, from an opening one, which starts the next sentence. A quotation
that ends in ! or ? and is followed at once by its attribution is one sentence with it:
``«…!» قال فلان``, ``«…؟» تساءل``, ``كما أضاف``, ``وقالت`` when the quotation opens its
sentence; an adverbial participle (``مضيفاً``, ``قائلاً``) after any quotation. Quotes
never carry a sentence across a line break.

A run is no ending:

* inside a bracket pair, which is kept whole: in the FLORES-200 and TICO-19 documents
  (3,112 lines) no parenthesis holds a sentence end — the 25 that hold a terminal mark
  hold figures, addresses, a one-sentence aside — so a dot inside brackets is taken for
  part of an aside (an abbreviation the rules below may not know), not an ending. A pair
  longer than BRACKET_CAP characters is taken for a mismatch and protects nothing;
* after an abbreviation: a single Arabic letter (د. م. ص. ن.) or a dotted run of them
  (ق.م. ص.ب. أ.د.) — but م/هـ/ق.م after a number (a year, "2014 م.") and a letter after
  a label word ("فيتامين د.") can end a sentence; Latin initials before a Latin name
  (J. K. Rowling), dotted initialisms (U.S. e.g. Ph.D.), a short list of Latin
  abbreviations (Dr. Mr. St. etc. Inc. ...), and Latin letters spelt in Arabic in a run
  of initials (دي. كي. أريا);
* between digits (3.5, ٣.٥, 1.200, 24.11.2026, 7.30, 802.11n), inside a URL or an
  e-mail address, after a list marker opening a sentence ("1. ...");
* before a comma, colon, semicolon or closing bracket, or a lower-case Latin word.

Every sentence is stable: segmenting its text alone gives it back whole.

Boilerplate. A sentence that is only a web-page line ("مشاركة :", "اقرأ أيضا", "Share:")
is kept with content=False.

Chunks. A sentence over the token budget is cut into units at the strongest boundary
that makes each unit fit — ؛ ; then ، , : then a clause connector (ثم، بينما، حيث، لكن،
إلا أن، و/ف + particle or verb ...) or an opening quotation, then any word starting with
و, then white space, then (a pathological word) characters — and the units are grouped
into chunks by a small dynamic programme that prefers strong cuts, few chunks and even
sizes (no tiny tails).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable

from tarjim.document import Chunk, Document, Paragraph, Sentence

__all__ = [
    "approx_tokens",
    "chunk_sentence",
    "is_boilerplate",
    "segment",
    "sentence_spans",
]

BRACKET_CAP = 250  # characters: a longer bracket "pair" is taken for unbalanced brackets

# --- character classes -------------------------------------------------------------

_LB_CHARS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # what str.splitlines breaks at
_LB = r"(?:\r\n|\r(?!\n)|[" + _LB_CHARS.replace("\r", "") + r"])"
_HWS = r"[^\S" + _LB_CHARS + r"]"  # white space that is not a line break
_PARA_BREAK = re.compile(_LB + r"(?:" + _HWS + r"*" + _LB + r")+")
_LINE_BREAK = re.compile(_LB)

_AR_LETTERS = (
    "\u0620-\u063f\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef"
    "\u06fa-\u06fc\u06ff\u0750-\u077f\u08a0-\u08c9\ufb50-\ufdff\ufe70-\ufefc"
)
_AR_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"  # harakat, tatweel
_AR_LETTER = re.compile("[" + _AR_LETTERS + "]")
_TERMINALS = ".!?\u061f\u2026\u06d4\u203c\u2047\u2048\u2049\u2e2e"  # . ! ? ؟ … ۔ ‼ ⁇ ⁈ ⁉ ⸮
_TERM_RUN = re.compile("[" + re.escape(_TERMINALS) + "]+")

# Quotation marks, by family; "conventional" direction breaks ties in context.
_QUOTE_FAMILY = {
    '"': ('"', 0),  # (family, conventional direction: 1 opens, -1 closes, 0 symmetric)
    "\uff02": ('"', 0),
    "\u201c": ("\u201c", 1),
    "\u201d": ("\u201c", -1),
    "\u201e": ("\u201c", 1),
    "\u00ab": ("\u00ab", 1),
    "\u00bb": ("\u00ab", -1),
    "\u2039": ("\u2039", 1),
    "\u203a": ("\u2039", -1),
}
_BRACKETS_OPEN = {"(": "(", "[": "[", "{": "{", "\ufd3e": "\ufd3e", "\uff08": "("}
_BRACKETS_CLOSE = {")": "(", "]": "[", "}": "{", "\ufd3f": "\ufd3e", "\uff09": "("}
_PAIR_CHARS = re.compile(
    "[" + re.escape("".join(_QUOTE_FAMILY) + "".join(_BRACKETS_OPEN) + "".join(_BRACKETS_CLOSE)) + "]"
)
# Characters a terminal run absorbs: closing brackets and quotation marks (quotation marks
# only when they do not open a quotation), single closing quotes, more terminals.
_ABSORB = set(_TERMINALS) | set(_BRACKETS_CLOSE) | set(_QUOTE_FAMILY) | {"'", "\u2019", "\u300d", "\u300f"}
# Characters that may precede an opening quotation (besides white space).
_BEFORE_OPEN = set("([{\u00ab\u201c\u201e\u2039<-\u2013\u2014/:\u060c,\u061b;")
# Characters after which a quote mark closes (besides white space and the end).
_AFTER_CLOSE = set(_TERMINALS) | set(")]}\u00bb\u201d\u203a") | set("\u060c,\u061b;:-\u2013\u2014/")
# A sentence never starts with these.
_NO_START = set("\u060c,\u061b;:)]}%") | set(_TERMINALS)

_URL = re.compile(r"(?:https?://|ftp://|www\.)[^\s\"«»<>]+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL_TRAIL = ".,;:!?\u061f\u060c\u061b)]}\u00bb\u201d\"'"

_DIGITS = re.compile(r"[0-9\u0660-\u0669\u06f0-\u06f9]+")
_AR_ABBR = re.compile(
    "(?:[" + _AR_LETTERS + "][" + _AR_MARKS + "]*\\.)*[" + _AR_LETTERS + "][" + _AR_MARKS + "]*"
)
_YEAR_SUFFIX = {"م", "ه", "ق.م", "ق.ه", "ب.م"}  # AD, AH, BC...: tatweel removed (هـ → ه)
_NEXT_TOKEN = re.compile(r"\s+([^\s.]+)\.")
_LATIN_INITIALISM = re.compile(r"(?:[A-Za-z]{1,2}\.)+[A-Za-z]{1,2}")  # U.S, e.g, Ph.D
_LATIN_ABBR = frozenset(
    """Mr Mrs Ms Mx Dr Drs Prof Sr Jr St Ste Mt Ft Gen Col Lt Maj Sgt Capt Cmdr Adm Cpl
    Gov Sen Rep Pres Rev Hon Fr Msgr Mme Mlle Messrs Sra Srta
    vs etc Inc Ltd Co Corp Bros Dept Univ Assn No Nos Nr Vol Vols Fig Figs Eq Ed Eds
    pp approx est cf ca viz al Ave Blvd Rd Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec""".split()
)
# Latin letters spelt in Arabic, as initials are written: "دي. كي. أريا" (D. K. Arya).
_LETTER_NAMES = frozenset(
    """اي ايه إيه إي بي سي دي إف اف جي جيه إتش اتش إيتش ايتش آي إل ال إم ام إن ان أو او كيو آر ار إس
    اس تي يو دبليو إكس اكس واي زد زي كي كيه""".split()
)
# Words after which a single letter is a label ("فيتامين د", "النوع أ"), not an abbreviation.
_LABEL_WORDS = frozenset(
    """فيتامين الفيتامين نوع النوع فئة الفئة مجموعة المجموعة درجة الدرجة القسم الفقرة البند الملحق
    الجدول الشكل الحرف حرف الخطة خطة الطابق المبنى البوابة الصالة المرحلة الطراز""".split()
)
_OPEN_STRIP = "([{\u00ab\u201c\u201e\u2039\"'\u2018"

# Words are compared without harakat or tatweel, and with أ إ آ ٱ → ا, ى → ي, ة → ه.
_NORMALISE = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ـ": None})
_HARAKAT = re.compile("[\u064b-\u065f\u0670]")


def _normalise(text: str) -> str:
    return _HARAKAT.sub("", text).translate(_NORMALISE)


# A quotation that ends in ! or ? and is followed at once by its attribution is one
# sentence: '"…!" قال فلان', «…؟» تساءل, «…!» كما أضاف; with or without a و/ف prefix.
_ASKS = re.compile("[!?\u061f\u203c\u2047\u2048\u2049\u2e2e]")
_WORD = re.compile("[" + _AR_LETTERS + _AR_MARKS + "]+")
_ATTRIBUTION = frozenset(
    """قال قالت قالا قالتا قالوا قلن قالها قالتها يقول تقول يقولون يقولان
    أضاف أضافت أضافوا يضيف تضيف يضيفون تساءل تساءلت تساءلوا يتساءل تتساءل
    سأل سألت سألوا يسأل تسأل صاح صاحت يصيح تصيح صرخ صرخت يصرخ تصرخ هتف هتفت هتفوا يهتف تهتف
    همس همست يهمس تهمس أجاب أجابت يجيب تجيب رد ردت ردوا يرد ترد علق علقت يعلق تعلق
    تابع تابعت يتابع تتابع استطرد استطردت يستطرد استدرك استدركت يستدرك أردف أردفت يردف
    أكد أكدت يؤكد تؤكد أوضح أوضحت يوضح توضح صرح صرحت يصرح تصرح كتب كتبت يكتب تكتب غرد غردت
    يغرد ذكر ذكرت أشار أشارت أعلن أعلنت ختم ختمت اختتم اختتمت قاطعه قاطعها بحسب حسب حسبما وفق وفقا""".split()
)
_ATTRIBUTION = frozenset(_normalise(w) for w in _ATTRIBUTION)
_ATTRIBUTION_LEADS = frozenset("كما وكما هكذا وهكذا".split())  # "كما أضاف", "هكذا قال"
_PARTICIPLES = frozenset(
    _normalise(w)
    for w in """قائلا قائلة مضيفا مضيفة متسائلا متسائلة مشيرا مشيرة موضحا موضحة مؤكدا مؤكدة
    مستطردا مستدركا مردفا معلقا معلقة""".split()
)


# --- tokens -------------------------------------------------------------------------


def approx_tokens(text: str) -> int:
    """A tokenizer-free estimate: SentencePiece gives about 1.6 pieces per Arabic word."""
    return max(1, round(len(text.split()) * 1.6))


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# --- quotations and brackets ----------------------------------------------------------


def _protected(text: str, ls: int, le: int) -> tuple[list[int], list[int], set[int], dict[int, int]]:
    """Spans inside which no sentence ends, for the line text[ls:le], and quotations.

    Returns (starts, ends, openers, quotes): the merged protected spans (bracket pairs,
    URLs, e-mail addresses), as sorted lists, where a boundary b is protected when
    starts[k] < b <= ends[k]; the positions of the quotation marks that open a quotation
    (a terminal run does not absorb them); and, for each closing quotation mark paired
    with an opening one, the opening one's position. A quotation protects nothing.
    """
    spans: list[tuple[int, int]] = []
    openers: set[int] = set()
    quotes: dict[int, int] = {}
    stack: list[tuple[str, int]] = []  # (family, position) of the open marks
    depth: dict[str, int] = {}  # open marks on the stack, by family
    for m in _PAIR_CHARS.finditer(text, ls, le):
        i = m.start()
        ch = text[i]
        if ch in _BRACKETS_OPEN:
            fam = _BRACKETS_OPEN[ch]
            stack.append((fam, i))
            depth[fam] = depth.get(fam, 0) + 1
            continue
        if ch in _BRACKETS_CLOSE:
            fam = _BRACKETS_CLOSE[ch]
            cap = BRACKET_CAP
        else:
            fam, conventional = _QUOTE_FAMILY[ch]
            prev = text[i - 1] if i > ls else " "
            nxt = text[i + 1] if i + 1 < le else " "
            left_open = prev.isspace() or prev in _BEFORE_OPEN
            right_open = nxt.isspace() or nxt in _AFTER_CLOSE
            if left_open and not right_open:
                direction = 1
            elif right_open and not left_open:
                direction = -1
            elif conventional:
                direction = conventional
            else:  # a straight quote between two letters: it closes one if one is open
                direction = -1 if depth.get(fam) else 1
            if direction == 1:
                stack.append((fam, i))
                depth[fam] = depth.get(fam, 0) + 1
                openers.add(i)
                continue
            cap = 0
        if not depth.get(fam):
            continue  # a stray closing mark
        # pop back to the nearest open mark of this family; those above it never closed
        while True:
            f, o = stack.pop()
            depth[f] -= 1
            if f == fam:
                break
        if cap == 0:
            quotes[i] = o
        elif i - o <= cap:
            spans.append((o, i))
    for pattern, mark in ((_URL, "://"), (_URL, "www."), (_EMAIL, "@")):
        if text.find(mark, ls, le) < 0:
            continue
        for m in pattern.finditer(text, ls, le):
            s, e = m.span()
            while e > s and text[e - 1] in _URL_TRAIL:
                e -= 1
            if e - s > 1:
                spans.append((s, e - 1))
    if not spans:
        return [], [], openers, quotes
    spans.sort()
    starts, ends = [spans[0][0]], [spans[0][1]]
    for o, c in spans[1:]:
        if o <= ends[-1]:
            if c > ends[-1]:
                ends[-1] = c
        else:
            starts.append(o)
            ends.append(c)
    return starts, ends, openers, quotes


# --- sentence boundaries ----------------------------------------------------------------


def _token_before(text: str, pos: int, floor: int) -> tuple[str, int]:
    """The white-space-free token that ends at pos (not before floor), and its start."""
    lo = max(floor, pos - 48)
    i = pos
    while i > lo and not text[i - 1].isspace():
        i -= 1
    if i == lo and lo > floor and not text[lo - 1].isspace():
        return "\u0000long", i  # longer than any abbreviation
    return text[i:pos], i


def _is_abbreviation(text: str, ts: int, floor: int, le: int) -> bool:
    """Whether the single dot at ts closes an abbreviation (and so ends no sentence)."""
    token, tstart = _token_before(text, ts, floor)
    stripped = token.lstrip(_OPEN_STRIP)
    if not stripped:
        return False
    if _AR_ABBR.fullmatch(stripped):
        prev, _ = _token_before(text, _rstrip_pos(text, tstart, floor), floor)
        if stripped.replace("ـ", "") in _YEAR_SUFFIX and _DIGITS.fullmatch(prev):
            return False  # "عام 2014 م." ends a sentence
        if len(stripped) == 1 and (prev in _LABEL_WORDS or prev[:1] in "وفبلك" and prev[1:] in _LABEL_WORDS):
            return False  # a label, not an abbreviation: "فيتامين د."
        return True
    if _LATIN_INITIALISM.fullmatch(stripped) or stripped in _LATIN_ABBR:
        return True
    if stripped in _LETTER_NAMES:
        # one of a run of dotted initials: the word before or the word after is one too
        prev_end = _rstrip_pos(text, tstart, floor)
        if prev_end > floor and text[prev_end - 1] == ".":
            prev, _ = _token_before(text, prev_end - 1, floor)
            if prev.lstrip(_OPEN_STRIP) in _LETTER_NAMES:
                return True
        m = _NEXT_TOKEN.match(text, ts + 1, le)
        return bool(m and m.group(1) in _LETTER_NAMES)
    if len(stripped) == 1 and stripped.isascii() and stripped.isalpha():
        # an initial, when a Latin name follows ("J. Smith")
        k = ts + 1
        while k < le and text[k].isspace():
            k += 1
        return k < le and text[k].isascii() and text[k].isalpha()
    return False


def _rstrip_pos(text: str, pos: int, floor: int) -> int:
    while pos > floor and text[pos - 1].isspace():
        pos -= 1
    return pos


def _closing_mark_after_space(text: str, b: int, le: int, openers: set[int]) -> int:
    """Where the closing marks that follow white space after position b end ("انتهى. »"),
    or b when no closing quotation mark or bracket comes next."""
    k = b
    while k < le and text[k].isspace():
        k += 1
    if k == b or k >= le:
        return b
    c = text[k]
    if c in _BRACKETS_CLOSE or (c in _QUOTE_FAMILY and k not in openers):
        return k
    return b


def _attribution_follows(text: str, k: int, le: int, opens_sentence: bool) -> bool:
    """Whether the words at text[k:] attribute the quotation just closed: an adverbial
    participle ("مضيفا", "قائلا") always; a verb ("قال فلان", "كما أضاف", "وتساءل") only
    when the quotation opens its sentence — after "قال: «…!»" the quotation has its
    attribution, and "وأضاف" starts the next sentence."""
    m = _WORD.match(text, k, le)
    if not m:
        return False
    word = _normalise(m.group())
    if word in _PARTICIPLES:
        return True
    if not opens_sentence:
        return False
    if word in _ATTRIBUTION_LEADS:
        m = _WORD.match(text, m.end() + 1, le) if m.end() < le and text[m.end()].isspace() else None
        if not m:
            return False
        word = _normalise(m.group())
    return word in _ATTRIBUTION or (word[:1] in "وف" and word[1:] in _ATTRIBUTION)


def _opens_sentence(text: str, closing: int, quotes: dict[int, int], ls: int, ends: list[int]) -> bool:
    """Whether the quotation that closes at position closing opened its sentence: nothing
    but white space and marks before its opening mark since the start of the sentence
    where it began (ends: the sentence ends so far, after ls). True when its opening
    mark is not on this line."""
    o = quotes.get(closing)
    if o is None:
        return True
    k = bisect_right(ends, o) - 1
    start = ends[k] if k >= 0 else ls
    return not any(c.isalnum() for c in text[start:o])


def _line_boundaries(text: str, ls: int, le: int) -> list[int]:
    """Sentence ends inside the trimmed line text[ls:le] (le itself excluded)."""
    if not _TERM_RUN.search(text, ls, le):
        return []
    starts, ends, openers, quotes = _protected(text, ls, le)
    out: list[int] = []
    cur = ls  # start of the current sentence
    skip_to = ls
    for m in _TERM_RUN.finditer(text, ls, le):
        ts, te = m.span()
        if ts < skip_to:
            continue
        b = te
        while True:
            while b < le and text[b] in _ABSORB and b not in openers:
                b += 1
            k = _closing_mark_after_space(text, b, le, openers)
            if k == b:
                break
            b = k  # "انتهى. »": the closing mark stays with its sentence
        skip_to = b
        if b >= le:
            break
        if starts:
            k = bisect_left(starts, b) - 1
            if k >= 0 and ends[k] >= b:
                continue
        single_dot = te - ts == 1 and text[ts] == "."
        nxt = text[b]
        if nxt.isspace():
            k = b + 1
            while text[k].isspace():
                k += 1
            c = text[k]
            if c in _NO_START or ("a" <= c <= "z"):
                continue
            if single_dot and b == te:
                if _is_abbreviation(text, ts, cur, le):
                    continue
                token, tstart = _token_before(text, ts, cur)
                if tstart == cur and (
                    (len(token) <= 3 and _DIGITS.fullmatch(token)) or (len(token) == 1 and token.isalpha())
                ):
                    continue  # a list marker: "1. ..."
            if _ASKS.search(text, ts, te):
                closing = next((j for j in range(b - 1, te - 1, -1) if text[j] in _QUOTE_FAMILY), -1)
                if closing >= 0 and _attribution_follows(text, k, le, _opens_sentence(text, closing, quotes, ls, out)):
                    continue  # '"…!" قال فلان': the quotation and its attribution are one sentence
        else:
            # glued: the next word must be Arabic or an opening quotation/bracket
            if not (_AR_LETTER.match(nxt) or b in openers or nxt in _BRACKETS_OPEN):
                continue
            if single_dot and b == te and _is_abbreviation(text, ts, cur, le):
                continue
            if nxt in _BRACKETS_OPEN or b in openers:
                # "word.(" or 'word."' — only when a word follows the opening mark
                if b + 1 >= le or text[b + 1].isspace():
                    continue
        out.append(b)
        cur = b
        while text[cur].isspace():
            cur += 1
    return out


def _line_spans(text: str, ls: int, le: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    s = ls
    for b in _line_boundaries(text, ls, le):
        spans.append(_trimmed(text, s, b))
        s = b
    spans.append(_trimmed(text, s, le))
    if len(spans) == 1:
        return spans
    # Stability: a sentence must come back whole when segmented alone. Quotation pairing
    # is the one decision that looks beyond the sentence, so re-check those that hold a
    # quotation mark or bracket, splitting further until nothing changes.
    out: list[tuple[int, int]] = []
    work = spans[::-1]
    while work:
        s, e = work.pop()
        if _PAIR_CHARS.search(text, s, e):
            inner = _line_boundaries(text, s, e)
            if inner:
                pieces, p = [], s
                for b in inner:
                    pieces.append(_trimmed(text, p, b))
                    p = b
                pieces.append(_trimmed(text, p, e))
                work.extend(reversed(pieces))
                continue
        out.append((s, e))
    return out


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for m in [*_PARA_BREAK.finditer(text), None]:
        end = m.start() if m else len(text)
        s, e = _trimmed(text, pos, end)
        if s < e:
            out.append((s, e))
        if m:
            pos = m.end()
    return out


def _paragraph_sentences(text: str, ps: int, pe: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = ps
    for m in [*_LINE_BREAK.finditer(text, ps, pe), None]:
        end = m.start() if m else pe
        ls, le = _trimmed(text, pos, end)
        if ls < le:
            out.extend(_line_spans(text, ls, le))
        if m:
            pos = m.end()
    return out


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence, in order; text[start:end] is trimmed."""
    return [span for ps, pe in _paragraph_spans(text) for span in _paragraph_sentences(text, ps, pe)]


# --- boilerplate --------------------------------------------------------------------------

_SOCIAL = (
    r"(?:فيسبوك|فيس بوك|تويتر|اكس|واتساب|واتس اب|تلغرام|تليجرام|تيليجرام|تيليغرام|لينكد ان|لينكدان"
    r"|يوتيوب|انستغرام|انستجرام|البريد الالكتروني|بريد الكتروني|ايميل|طباعه"
    r"|facebook|twitter|x|whatsapp|telegram|linkedin|youtube|instagram|e-?mail|print|reddit)"
)
_BOILERPLATE = re.compile(
    r"(?:مشاركه|شارك|شاركها|شاركوا|شارك الخبر|شارك المقال|شارك هذا المقال|شارك هذا الخبر|شارك علي"
    r"|اقرا ايضا|اقرا المزيد|اقرا كذلك|طباعه|ارسل لصديق|تابعونا علي|تابعنا علي|تابعونا"
    r"|share|share this|share this article|share this story|share on|share via|read more|read also"
    r"|see also|also read|print|tweet|follow us|follow us on)"
    r"[\s:：.\-–—]*(?:" + _SOCIAL + r"(?:[\s,،|/·•\-–]+" + _SOCIAL + r")*)?[\s:：.]*",
    re.IGNORECASE,
)


def is_boilerplate(sentence: str) -> bool:
    """Whether the whole sentence is a web-page line ("مشاركة :", "Share:", "اقرأ أيضا")."""
    if len(sentence) > 120:
        return False
    s = _normalise(unicodedata.normalize("NFKC", sentence))
    s = " ".join(s.split())
    return _BOILERPLATE.fullmatch(s) is not None


# --- the document ---------------------------------------------------------------------------


def segment(text: str) -> Document:
    """Paragraphs (split at blank lines) → sentences, with spans into text."""
    paragraphs: list[Paragraph] = []
    index = 0
    for ps, pe in _paragraph_spans(text):
        sentences = []
        for s, e in _paragraph_sentences(text, ps, pe):
            t = text[s:e]
            sentences.append(Sentence(index, len(paragraphs), t, s, e, not is_boilerplate(t)))
            index += 1
        paragraphs.append(Paragraph(len(paragraphs), ps, pe, tuple(sentences)))
    return Document(text, tuple(paragraphs))


# --- chunks ------------------------------------------------------------------------------------

# Cut levels, strongest first: 1 ؛ ; — 2 ، , : and spaced dashes — 3 a clause connector
# or an opening quotation — 4 a word starting with و — 5 any white space — 6 inside a word.
_CUT_PENALTY = {1: 0.0, 2: 0.5, 3: 1.0, 4: 1.6, 5: 2.5, 6: 6.0}
_CUT_COST = 1.0  # every extra chunk costs this much on top of its level's penalty
_DP_BLOCK = 256  # units searched at once
_BALANCE = 3.0  # weight of (1 - size/budget)^2 per chunk: prefers even chunks, no tiny tails

_D = "0-9\u0660-\u0669\u06f0-\u06f9"
_CUTS_AFTER = {
    1: re.compile(r"[؛;]"),
    2: re.compile(r"[،]|(?<![" + _D + r"])[,:]|[,:](?![" + _D + r"])|(?<=\s)[-\u2013\u2014](?=\s)"),
}
_PARTICLES = (
    "قد|لقد|كان|كانت|كانوا|يكون|تكون|هو|هي|هم|هن|في|من|إن|أن|ان|لم|لن|لا|ما|ذلك|هذا|هذه|بعد|قبل|على"
    "|عن|مع|تم|لكن|إذا|إذ|حين|بينما|حيث|كما|قال|قالت|أضاف|أضافت|أكد|أكدت|أشار|أشارت|أوضح|أوضحت|تابع"
    "|ذكر|ذكرت|يقول|تقول|يأتي|تأتي|يرى|ترى|أعلن|أعلنت|كذلك|أيضا|أيضاً|منذ|عند|خلال|بحسب|وفق|وفقا|وفقاً"
    "|يذكر|يشار|بات|أصبح|أصبحت|ليس|ليست|إنه|إنها|أنه|أنها|لذلك|بذلك|عليه|إلى"
)
_CONNECTORS = (
    "ثم|بينما|حيث|لكن|لكنّ|لكنه|لكنها|لكنهم|ولكن|ولكنه|ولكنها|غير أن|إلا أن|الا أن|في حين|فيما|إذ"
    "|كما|بعدما|عندما|حينما|بعد أن|قبل أن|حتى|بل|أما|لأن|لأنه|لأنها|كي|لكي|الذي|التي|الذين|اللذين"
    "|اللتين|اللواتي|اللاتي|مما|إذا|لو|رغم|برغم|بسبب|and|but|while|whereas|which|because|although"
)
_CUTS_BEFORE = {
    3: re.compile(
        r"(?<!\S)(?:[وف](?:" + _PARTICLES + r")|و|" + _CONNECTORS + r")"
        r"(?![" + _AR_LETTERS + _AR_MARKS + r"A-Za-z])|(?<!\S)[«“\"(]"
    ),
    4: re.compile(r"(?<!\S)و[" + _AR_LETTERS + r"]{2}"),
    5: re.compile(r"(?<=\s)\S"),
}


def _cut_points(text: str, a: int, b: int, level: int) -> list[int]:
    if level in _CUTS_AFTER:
        pts = [m.end() for m in _CUTS_AFTER[level].finditer(text, a, b)]
    else:
        pts = [m.start() for m in _CUTS_BEFORE[level].finditer(text, a, b)]
    return [p for p in pts if a < p < b]


def _char_units(text: str, a: int, b: int, fits: Callable[[int, int], bool]) -> list[int]:
    """Cut points that split text[a:b] (no white space inside) into pieces that fit."""
    cuts, i = [], a
    while i < b:
        lo, hi = i + 1, b  # lo: longest known to fit (or one character), hi: upper bound
        if fits(i, hi):
            lo = hi
        else:
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if fits(i, mid):
                    lo = mid
                else:
                    hi = mid
        if lo < b:
            cuts.append(lo)
        i = lo
    # even out: the same number of pieces of equal length, when they all fit
    n = len(cuts) + 1
    if n > 1:
        even = [a + (b - a) * k // n for k in range(1, n)]
        bounds = [a, *even, b]
        if all(fits(bounds[k], bounds[k + 1]) for k in range(n)):
            return even
    return cuts


def _units(
    text: str, a: int, b: int, level: int, first_cut: int, fits: Callable[[int, int], bool]
) -> list[tuple[int, int, int]]:
    """Trimmed pieces (start, end, level of the cut before it) of text[a:b], each of which
    fits the budget, cut at the strongest level that makes it fit."""
    a, b = _trimmed(text, a, b)
    if a >= b:
        return []
    if fits(a, b) or level > 6:
        return [(a, b, first_cut)]
    if level == 6:
        pts = _char_units(text, a, b, fits)
        bounds = [a, *pts, b]
        return [(bounds[k], bounds[k + 1], first_cut if k == 0 else 6) for k in range(len(bounds) - 1)]
    pts = _cut_points(text, a, b, level)
    if not pts:
        return _units(text, a, b, level + 1, first_cut, fits)
    out: list[tuple[int, int, int]] = []
    bounds = [a, *pts, b]
    for k in range(len(bounds) - 1):
        out.extend(_units(text, bounds[k], bounds[k + 1], level + 1, level if k else first_cut, fits))
    return out


def chunk_sentence(
    text: str, start: int, max_tokens: int, count_tokens: Callable[[str], int] | None = None
) -> tuple[Chunk, ...]:
    """Split one sentence (at offset start in its document) into chunks of at most
    max_tokens by count_tokens (default approx_tokens), at the strongest clause boundaries
    that do it, in chunks as even as the boundaries allow. Chunk spans are absolute and
    chunk texts trimmed; in order they hold every non-space character of the sentence.
    A white-space-only sentence gives no chunk. Only where a single character measures
    more than max_tokens can a chunk (that one character) exceed it."""
    if max_tokens < 1:
        raise ValueError(f"max_tokens must be at least 1, not {max_tokens}")
    count = count_tokens or approx_tokens
    a, b = _trimmed(text, 0, len(text))
    if a >= b:
        return ()
    if count(text[a:b]) <= max_tokens:
        return (Chunk(text[a:b], start + a, start + b),)

    def fits(s: int, e: int) -> bool:
        return count(text[s:e]) <= max_tokens

    units = _units(text, a, b, 1, 0, fits)
    chunks: list[Chunk] = []
    # The search looks at every way to group the units; a pathological sentence of
    # thousands of them is first cut into blocks at its strongest cuts.
    i = 0
    while i < len(units):
        j = len(units)
        if j - i > _DP_BLOCK:
            j = min(range(i + _DP_BLOCK * 3 // 4, i + _DP_BLOCK), key=lambda k: units[k][2])
        chunks.extend(_group(text, start, units[i:j], max_tokens, count))
        i = j
    return tuple(chunks)


def _group(
    text: str, start: int, units: list[tuple[int, int, int]], max_tokens: int, count: Callable[[str], int]
) -> list[Chunk]:
    """Group consecutive units into chunks that fit, at the least cost: each cut costs by
    its level, and each chunk by how far it falls short of the budget (squared, so that
    even chunks cost less than a full one and a tiny tail)."""
    n = len(units)
    # best[j]: least cost of chunking units[:j]; back[j]: where its last chunk starts
    inf = float("inf")
    best = [0.0] + [inf] * n
    back = [0] * (n + 1)
    for i in range(n):
        if best[i] == inf:
            continue
        base = best[i] + (_CUT_COST + _CUT_PENALTY[units[i][2]] if i else 0.0)
        s = units[i][0]
        for j in range(i + 1, n + 1):
            size = count(text[s : units[j - 1][1]])
            if size > max_tokens and j > i + 1:
                break
            cost = base + _BALANCE * (1.0 - min(size, max_tokens) / max_tokens) ** 2
            if cost < best[j]:
                best[j], back[j] = cost, i
            if size > max_tokens:
                break
    chunks: list[Chunk] = []
    j = n
    while j > 0:
        i = back[j]
        s, e = units[i][0], units[j - 1][1]
        chunks.append(Chunk(text[s:e], start + s, start + e))
        j = i
    chunks.reverse()
    return chunks
