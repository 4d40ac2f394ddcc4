"""Check an English sentence against its Arabic source: numbers, years, dates, Latin-script
tokens, links, untranslated Arabic, length, the engine's own flags, and a glossary.

Pure functions of the two strings, standard library only (``re``, ``math``, ``tomllib``).
``check(source, translation, glossary=None, flags=())`` returns a list of ``Check``:
each names the check, the source evidence, what was expected, and one line for a reader.

Numbers are read on both sides as sets of values a mention may stand for: ``3.5 million``
is {3.5, 3500000}; ``ثلاثة آلاف`` is {3000}; ``٣٫٥ مليون`` is {3.5, 3500000}; ``1.200`` is
{1.2, 1200}.  A source number is found when one English number shares a value with it.
Vague quantities (عشرات، مئات، آلاف alone; "hundreds", "dozens") need no figure.  The
other way round, a figure in the English (digits, or number words from three up) that the
source does not hold is flagged; "one"/"two" are not, since Arabic says them with a
singular or a dual noun and no number at all.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from tarjim.document import Check

__all__ = [
    "Check",
    "Glossary",
    "GlossaryEntry",
    "check",
    "check_sentences",
    "numbers_in",
    "arabic_numbers",
    "english_numbers",
    "normalize_arabic",
    "summary_line",
    "LENGTH_LOW",
    "LENGTH_HIGH",
]

# --------------------------------------------------------------------------------------
# English numbers (also the brief's number reader: tarjim.brief imports numbers_in)

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬", "01234567890123456789.,")
_NUMBER = re.compile(
    r"(?<!\w)(?<!\d[.,])(\d+(?:[.,]\d+)*)(?:\s*\+?\s*(hundred|thousand|million|billion|trillion|bn|m|k)\b)?",
    re.IGNORECASE,
)
_SCALE = {"hundred": 100, "thousand": 1000, "k": 1000, "million": 10**6, "m": 10**6,
          "billion": 10**9, "bn": 10**9, "trillion": 10**12}
_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_NUMBER_WORDS = re.compile(
    r"\b(?:(?:" + "|".join([*_UNITS, *_TENS, "hundred", "thousand", "million", "billion", "trillion", "and"])
    + r")(?:[\s-]+|\b))+",
    re.IGNORECASE,
)
# Words that stand for a number without being one: accepted as a match, never required.
_ORDINALS = {w: i + 1 for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth".split())}
_ORDINALS.update({w: 10 * (i + 2) for i, w in enumerate(
    "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth".split())})
_ORDINALS.update({"hundredth": 100, "thousandth": 1000, "millionth": 10**6})
_OTHER_WORDS = {"once": 1, "twice": 2, "both": 2, "pair": 2, "couple": 2, "dozen": 12, "half": 0.5,
                "single": 1, "double": 2, "triple": 3, "thrice": 3}
_COMPOUND_ORDINAL = re.compile(
    r"\b(" + "|".join(_TENS) + r")[\s-](" + "|".join(list(_ORDINALS)[:9]) + r")\b", re.IGNORECASE)
_ENGLISH_EXTRA = re.compile(r"\b(" + "|".join([*_ORDINALS, *_OTHER_WORDS]) + r")\b", re.IGNORECASE)
_A_SCALE = re.compile(r"\b(?:(?:half|a\s+half|a\s+quarter|quarter)(?:\s+of)?\s+a|a|one)\s+((?:hundred|thousand|million|billion)(?:\s+(?:thousand|million|billion))*)\b(?!\s+and\b|[\s-]+(?:"
                      + "|".join([*_UNITS, *_TENS, "hundred", "thousand", "million", "billion"]) + r")\b)",
                      re.IGNORECASE)
_ROMAN = re.compile(r"\b(?:(?<=type[ -])|(?<=phase[ -])|(?<=class[ -])|(?<=stage[ -])|(?<=level[ -])|(?<=grade[ -]))I\b"
                    r"|\b(?=[IVX]{2,5}\b)X{0,3}(?:IX|IV|V?I{0,3})\b")
_ROMAN_VALUE = {"I": 1, "V": 5, "X": 10}
_IDENTIFIER_DIGITS = re.compile(r"(?:(?<=[A-Za-z])|(?<=[A-Za-z][-‐]))(\d+(?:\.\d+)?)")
_DECADE = re.compile(r"'?\d{1,3}0s\b")


def _digit_values(token: str) -> set[float]:
    """'1,200' → {1200}; '3.5' → {3.5}; '1.200' (ambiguous) → {1.2, 1200}."""
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", token):
        return {float(token.replace(",", ""))}
    if re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?", token):  # 1.200.000 (European)
        return {float(token.replace(".", "").replace(",", "."))}
    values = set()
    if re.fullmatch(r"\d+\.\d+", token):
        values.add(float(token))
        if re.fullmatch(r"\d{1,3}\.\d{3}", token):
            values.add(float(token.replace(".", "")))
    elif re.fullmatch(r"\d+,\d+", token):  # 3,5 (decimal comma) or 12,000 caught above
        values.add(float(token.replace(",", ".")))
    elif token.isdigit():
        values.add(float(token))
    else:  # 1.2.3, 10,20,30: its parts
        values.update(float(p) for p in re.split(r"[.,]", token) if p)
    return values


def _word_value(phrase: str) -> float | None:
    words = [w for w in re.split(r"[\s-]+", phrase.lower()) if w and w != "and"]
    if not words or words in (["one"], ["zero"]) or all(w in _SCALE for w in words):
        return None  # "one of them" is a pronoun more often than a number; "a million" is vague
    total = current = 0
    for w in words:
        if w in _UNITS:
            current += _UNITS[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w == "hundred":
            current = max(current, 1) * 100
        else:
            total += max(current, 1) * _SCALE[w]
            current = 0
    return float(total + current)


@dataclass(frozen=True)
class Mention:
    """A number as written: its text, where, the values it may stand for, and its kind:
    "figure" (digits), "word" (number words), "extra" (an ordinal word, "dozen",
    "both"…: accepted as a match, never required), "vague" (hundreds, عشرات)."""

    text: str
    start: int
    values: frozenset[float]
    kind: str
    year: bool = False
    parts: frozenset[float] = frozenset()  # a time 10:08: matched by 1008, or by both 10 and 8


_EN_ALL = re.compile("|".join(f"(?P<{name}>{rx.pattern})" for name, rx in (
    ("compound", _COMPOUND_ORDINAL), ("ascale", _A_SCALE), ("extra", _ENGLISH_EXTRA), ("ident", _IDENTIFIER_DIGITS),
    ("number", _NUMBER), ("words", _NUMBER_WORDS))), re.IGNORECASE)
# Where a number may start: a run of digits, or a word of the vocabulary below. Trying
# _EN_ALL only there is many times faster than letting it scan every position.
_EN_CANDIDATE = re.compile(r"\d+|[A-Za-z]+")
_EN_VOCAB = frozenset([*_UNITS, *_TENS, *_SCALE, *_ORDINALS, *_OTHER_WORDS, "a", "quarter"])

_SHORT_YEAR_AFTER = re.compile(r"(?<!\d)(1\d{3}|2[01]\d{2})[-/–]$")


def english_numbers(text: str) -> list[Mention]:
    """Every number in an English text, in order of appearance: figures ("figure"),
    number words ("word"), ordinals and the like ("extra"), digits inside a name
    ("identifier": ACE2, COVID-19)."""
    text = text.translate(_DIGITS)
    found: list[Mention] = []
    done = 0
    for c in _EN_CANDIDATE.finditer(text):
        g = c.group(0)
        if c.start() < done or not (g[0].isdigit() or g in _EN_VOCAB or (not g.islower() and g.lower() in _EN_VOCAB)):
            continue
        m = _EN_ALL.match(text, c.start())
        if m is None:
            continue
        done = m.end()
        kind = m.lastgroup
        g = m.group(0)
        if kind == "number":
            raw, scale = _NUMBER.match(text, m.start()).groups()
            values = _digit_values(raw)
            if scale:
                values |= {round(v * _SCALE[scale.lower()], 6) for v in values}
            year = len(raw) == 4 and raw.isdigit() and 1000 <= int(raw) <= 2200
            if len(raw) == 2 and raw.isdigit() and (prev := _SHORT_YEAR_AFTER.search(text, max(0, m.start() - 5), m.start())):
                first = int(prev.group(1))  # the 2020-21 season, fiscal 2022/23: 21 is 2021
                short = first - first % 100 + int(raw)
                values = values | {float(short if short > first else short + 100)}
            kind = "extra" if _DECADE.match(text, m.start()) else "figure"  # the 1850s, the '90s
            found.append(Mention(g, m.start(), frozenset(values), kind, year))
        elif kind == "words":
            v = _word_value(g)
            if v is not None:
                found.append(Mention(g.strip(" -"), m.start(), frozenset({v}), "word"))
        elif kind == "compound":  # twenty-fourth
            first, second = re.split(r"[\s-]", g, maxsplit=1)
            found.append(Mention(g, m.start(), frozenset({float(_TENS[first.lower()] + _ORDINALS[second.lower()])}),
                                 "extra"))
        elif kind == "extra":
            w = g.lower()
            found.append(Mention(g, m.start(), frozenset({float(_ORDINALS.get(w) or _OTHER_WORDS[w])}), "extra"))
        elif kind == "ascale":  # "a thousand", "a hundred thousand", "half a million": one value
            words = g.lower().split()
            part = 0.5 if "half" in words else 0.25 if "quarter" in words else 1
            value = part * math.prod(_SCALE[w] for w in words if w in _SCALE)
            found.append(Mention(g, m.start(), frozenset({float(value)}), "word"))
        else:  # ACE2, COVID19, H1N1: digits inside a name
            found.append(Mention(g, m.start(), frozenset(_digit_values(g)), "identifier"))
    if "I" in text or "V" in text or "X" in text:
        for m in _ROMAN.finditer(text):  # angiotensin II, Louis XVI, type I
            if m.group(0):
                found.append(Mention(m.group(0), m.start(), frozenset({float(_roman(m.group(0)))}), "extra"))
        found.sort(key=lambda n: n.start)
    return found


def _roman(s: str) -> int:
    total = 0
    for a, b in zip(s, s[1:] + " "):
        v = _ROMAN_VALUE[a]
        total += -v if b != " " and _ROMAN_VALUE[b] > v else v
    return total


def numbers_in(text: str) -> list[set[float]]:
    """Each number mentioned in text, as the set of values it may stand for
    ('3.5 million' → {3.5, 3500000}; 'twenty-one' → {21}). Figures and number words
    only, as the brief's check has always read them."""
    return [set(n.values) for n in english_numbers(text) if n.kind == "figure"
            or (n.kind == "word" and not _A_SCALE.fullmatch(n.text))]


# --------------------------------------------------------------------------------------
# Arabic normalization

_ALEF = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"})


# Harakat, Quranic marks, the superscript alef and tatweel are dropped.
_NORMALIZE = {**_ALEF, **{c: None for c in [*range(0x0610, 0x061B), *range(0x064B, 0x0660), 0x0670,
                                            *range(0x06D6, 0x06EE), 0x0640]}}


def normalize_arabic(text: str) -> str:
    """The spelling variants Arabic writers mix: أ إ آ → ا, ة → ه, ى → ي; no diacritics,
    no tatweel; one str.translate."""
    return text.translate(_NORMALIZE)


# --------------------------------------------------------------------------------------
# Arabic numbers

def _forms(*words: str) -> list[str]:
    return [normalize_arabic(w) for w in words]


_AR_UNITS: dict[str, int] = {}
for _value, _words in {
    1: ("واحد", "واحدة"),
    2: ("اثنان", "اثنين", "اثنتان", "اثنتين", "اثنا", "اثني", "اثنتا", "اثنتي"),
    3: ("ثلاث", "ثلاثة"), 4: ("أربع", "أربعة"), 5: ("خمس", "خمسة"), 6: ("ست", "ستة"),
    7: ("سبع", "سبعة"), 8: ("ثمان", "ثماني", "ثمانية"), 9: ("تسع", "تسعة"),
}.items():
    for _w in _forms(*_words):
        _AR_UNITS[_w] = _value
_AR_TEEN_UNIT = {**{w: 1 for w in _forms("أحد", "إحدى", "حادي", "حادية")}}  # only before عشر
_AR_TEN = set(_forms("عشر", "عشرة"))
_AR_TENS: dict[str, int] = {}
for _value, _stem in ((20, "عشر"), (30, "ثلاث"), (40, "أربع"), (50, "خمس"), (60, "ست"), (70, "سبع"),
                      (80, "ثمان"), (90, "تسع")):
    for _w in _forms(_stem + "ون", _stem + "ين"):
        _AR_TENS[_w] = _value
_AR_HUNDREDS: dict[str, int] = {w: 100 for w in _forms("مئة", "مائة", "مئه", "مائه")}
_AR_HUNDREDS.update({w: 200 for w in _forms("مئتان", "مئتين", "مائتان", "مائتين", "مئتا", "مائتا", "مئتي", "مائتي")})
for _value, _stem in ((3, "ثلاث"), (4, "أربع"), (5, "خمس"), (6, "ست"), (7, "سبع"), (8, "ثمان"), (9, "تسع")):
    for _w in _forms(_stem + "مئة", _stem + "مائة", _stem + "مئه", _stem + "مائه"):
        _AR_HUNDREDS[_w] = _value * 100
# Multipliers: singular (ألف = 1000, or × after a count), dual (ألفين = 2000), plural
# (آلاف: × after a count, vague alone).
_AR_SCALES: dict[str, tuple[int, str]] = {}
for _scale, _sing, _dual, _plur in (
    (1000, ("ألف", "ألفا", "الف", "الفا"), ("ألفان", "ألفين", "ألفا", "ألفي"), ("آلاف", "الاف", "ألوف")),
    (10**6, ("مليون", "مليونا"), ("مليونان", "مليونين", "مليونا", "مليوني"), ("ملايين",)),
    (10**9, ("مليار", "مليارا", "بليون", "بليونا"), ("ملياران", "مليارين", "مليارا", "ملياري"), ("مليارات", "بلايين")),
    (10**12, ("تريليون", "تريليونا"), ("تريليونان", "تريليونين"), ("تريليونات",)),
):
    for _w in _forms(*_sing):
        _AR_SCALES[_w] = (_scale, "one")
    for _w in _forms(*_dual):
        _AR_SCALES.setdefault(_w, (_scale, "two"))
    for _w in _forms(*_plur):
        _AR_SCALES[_w] = (_scale, "many")
# Vague quantities: they need no figure in the English.
_AR_VAGUE = set(_forms("عشرات", "مئات", "مئات", "بضع", "بضعة", "عدة", "آلاف", "ملايين", "مليارات",
                       "الآلاف", "الملايين", "عشرات", "المئات", "العشرات"))
_AR_ORDINALS = {w: v for v, ws in {
    1: ("أول", "أولى", "حادي"), 2: ("ثاني", "ثانية"), 3: ("ثالث", "ثالثة"), 4: ("رابع", "رابعة"),
    5: ("خامس", "خامسة"), 6: ("سادس", "سادسة"), 7: ("سابع", "سابعة"), 8: ("ثامن", "ثامنة"),
    9: ("تاسع", "تاسعة"), 10: ("عاشر", "عاشرة"),
}.items() for w in _forms(*ws)}
_AR_CLOCK = {w: v for v, ws in ((30, ("النصف", "والنصف", "نصف")), (15, ("الربع", "والربع", "ربع")),
                                  (20, ("الثلث", "والثلث", "ثلث"))) for w in _forms(*ws)}
_AR_FRACTIONS = {w: v for w, v in ((normalize_arabic("نصف"), 0.5), (normalize_arabic("ربع"), 0.25),
                                    (normalize_arabic("ثلث"), 1 / 3))}
_AR_AND_HALF = set(_forms("ونصف", "ونص"))
_AR_ACCUSATIVE = set(_forms("ألفا", "مليونا", "مليارا"))
_AR_MULTIPLES = {normalize_arabic(w): v for v, w in (
    (2, "ثنائي"), (3, "ثلاثي"), (4, "رباعي"), (5, "خماسي"), (6, "سداسي"), (7, "سباعي"), (2, "ثنائية"),
    (3, "ثلاثية"), (4, "رباعية"), (5, "خماسية"), (2, "مرتين"), (3, "أضعاف"), (2, "ضعف"))}
_AR_DECADES = {normalize_arabic(stem + "ينيات"): v for v, stem in (
    (1920, "عشر"), (1930, "ثلاث"), (1940, "أربع"), (1950, "خمس"), (1960, "ست"), (1970, "سبع"), (1980, "ثمان"),
    (1990, "تسع"))}

_AR_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[\u0621-\u064a\u0660-\u0669\u0671-\u06d3\u06f0-\u06f9\u064b-\u065f\u0670\u0640]+|%|٪")
_HIJRI_MARK = set(_forms("هـ", "ه", "هجري", "هجرية", "للهجرة", "الهجري", "الهجرية", "هجريا"))


class _Tokens:
    """The Arabic words and figures of a text, normalized; their offsets are found only
    for the few tokens that are numbers (finditer over every word costs more)."""

    def __init__(self, text: str):
        self.text = text
        self.raw = _AR_TOKEN.findall(text)
        # Normalizing the whole text at once is much cheaper than word by word; it only
        # drops characters inside words, so the words line up, unless a "word" was all
        # diacritics or a Quranic mark split one: then word by word.
        norm = _AR_TOKEN.findall(normalize_arabic(text))
        if len(norm) != len(self.raw):
            norm = [_norm_token(t) or "\u200b" for t in self.raw]
        self.norm = norm
        self._spans: list[tuple[str, int, int]] = []
        self._cursor = 0

    def __len__(self) -> int:
        return len(self.norm)

    def __getitem__(self, i: int) -> str:
        return self.norm[i]

    def span(self, i: int) -> tuple[str, int, int]:
        while len(self._spans) <= i:
            k = len(self._spans)
            at = self.text.find(self.raw[k], self._cursor)
            self._cursor = at + len(self.raw[k])
            self._spans.append((self.norm[k], at, self._cursor))
        return self._spans[i]


def arabic_numbers(text: str) -> list[Mention]:
    """Every number in an Arabic sentence: digits (Western, Arabic-Indic, Persian) with
    their multipliers, number words with theirs, ordinals and vague quantities."""
    text = text.translate(_DIGITS)
    toks = _Tokens(text)
    norm = toks.norm
    found: list[Mention] = []
    hits = [k for k, w in enumerate(norm) if w in _AR_CANDIDATES or w[0].isdigit()]
    if not hits:
        return found
    i = hits[0]
    while i < len(toks):
        raw = norm[i]
        word = raw
        if word not in _AR_CANDIDATES and not raw[0].isdigit():
            i += 1
            continue
        _, start, stop = toks.span(i)
        if raw[0].isdigit():
            values = _digit_values(raw)
            end = i + 1
            after = start + len(raw)
            if raw.isdigit() and text[after:after + 1] == ":" and end < len(toks) and toks.span(end)[1] == after + 1 \
                    and toks[end].isdigit():  # a time, 12:30: the English may say 1230 GMT
                h, mnt = int(raw), int(toks[end])
                values = {float(h * 100 + mnt), h + mnt / 100} - {0.0}
                found.append(Mention(text[start:toks.span(end)[2]], start, frozenset(values), "figure",
                                     parts=frozenset({float(h), float(mnt)} - {0.0})))
                i = end + 1
                continue
            parts: frozenset[float] = frozenset()
            if end < len(toks) and text[start - 1:start] not in ("-", "‐"):  # not كوف-2 مليون
                nxt = _number_word(toks[end])
                if nxt in _AR_SCALES:
                    scale = _AR_SCALES[nxt][0]
                    values = {round(v * scale, 6) for v in values}  # 52 ألف: 52 hundred is wrong
                    end += 1
                    rest, after_rest = _smaller_part(toks, end, scale)
                    if rest:  # 7 آلاف و500 = 7,500; 2 مليون و300 ألف = 2.3 million
                        parts = frozenset(values | {rest})
                        values = {v + rest for v in values}
                        end = after_rest
            year = False
            if end < len(toks) and toks[end] in _HIJRI_MARK and raw.isdigit():
                h = int(raw)  # a Hijri year: the English may give it, or the Gregorian year
                g = h - h / 33 + 622
                values |= {float(y) for y in range(math.floor(g) - 1, math.ceil(g) + 1)}
                year = True
                end += 1
            elif raw.isdigit() and len(raw) == 4 and 1000 <= int(raw) <= 2200:
                year = True
            found.append(Mention(text[start:toks.span(end - 1)[2]], start, frozenset(values), "figure", year, parts))
            i = end
            continue
        value, end = _read_words(toks, i)
        if end > i:
            single = end == i + 1
            lone = single and (value in (1, 2) and _number_word(word) in _AR_UNITS  # said by the noun
                               or "ال" in word[:4] and _number_word(word) != word  # بالمئة, الأربعة
                               or word in _AR_ACCUSATIVE)  # ألفا: also "alpha"
            parts = frozenset()
            if value >= 1000 and not lone and end < len(toks) and toks[end] == "و":  # مليار و200 مليون
                rest, after_rest = _smaller_part(toks, end, 1000 ** int(math.log(value, 1000) + 1e-9))
                if rest:
                    parts, value, end = frozenset({float(value), rest}), value + rest, after_rest
            found.append(Mention(text[start:toks.span(end - 1)[2]], start,
                                 frozenset({float(value)}), "extra" if lone else "word", parts=parts))
            i = end
            continue
        bare = _OTHER_WORDS_AR.get(word, word)
        if word in _AR_VAGUE or bare in _AR_VAGUE:
            found.append(Mention(text[start:stop], start, frozenset(), "vague"))
        elif bare in _AR_ORDINALS:  # الثالث, سابع: an ordinal (a match, never required)
            value = _AR_ORDINALS[bare]
            k = i + 1
            if k < len(toks) and toks[k] == "و":  # الثالث و العشرين
                k += 1
            extra: set[float] = set()
            if k < len(toks) and (value > 1 or bare in ("حادي", "حاديه")):  # الحادي والعشرين = 21st
                nb = _OTHER_WORDS_AR.get(toks[k]) or _number_word(toks[k])
                if nb in _AR_TENS:
                    value += _AR_TENS[nb]
                    i = k
                elif nb in _AR_TEN:
                    value += 10
                    i = k
                elif toks[k] in _AR_CLOCK:  # الثامنة والنصف: half past eight, 8:30
                    extra = {float(_AR_CLOCK[toks[k]]), value * 100.0 + _AR_CLOCK[toks[k]]}
                    i = k
            found.append(Mention(text[start:stop], start, frozenset({float(value)} | extra), "extra"))
        elif bare in _AR_TENS and bare != word:  # القرن العشرين
            found.append(Mention(text[start:stop], start, frozenset({float(_AR_TENS[bare])}), "extra"))
        elif bare in _AR_MULTIPLES:  # ثلاثي الأبعاد
            found.append(Mention(text[start:stop], start, frozenset({float(_AR_MULTIPLES[bare])}), "extra"))
        elif bare in _AR_DECADES:
            v = _AR_DECADES[bare]
            found.append(Mention(text[start:stop], start, frozenset({float(v), float(v - 1900)}), "extra"))
        i += 1
    return found


_NUMBER_TABLES = (_AR_UNITS, _AR_TEEN_UNIT, _AR_TEN, _AR_TENS, _AR_HUNDREDS, _AR_SCALES)
_PARTICLES = ("وبال", "وال", "فال", "بال", "كال", "ولل", "لل", "ال", "وب", "ول", "ب", "ل", "ك", "و", "ف")


def _with_particles(stems: Iterable[str], short_ok: bool) -> dict[str, str]:
    """Each stem and each stem with attached particles (و ف ب ل ك ال) → the stem."""
    out: dict[str, str] = {}
    for stem in stems:
        for p in _PARTICLES:
            if short_ok or len(stem) >= 3 or p.endswith("ال") or p.endswith("لل") or p == "و":
                out.setdefault(p + stem, stem)
    for stem in stems:
        out[stem] = stem
    return out


# والعشرين → عشرين, لخمس → خمس (but لست, "I am not", is not ست)
_NUMBER_WORDS_AR = _with_particles({w for t in _NUMBER_TABLES for w in t}, short_ok=False)
_OTHER_WORDS_AR = _with_particles({*_AR_VAGUE, *_AR_ORDINALS, *_AR_TENS, *_AR_MULTIPLES, *_AR_DECADES}, short_ok=False)


_AR_CANDIDATES = frozenset([*_NUMBER_WORDS_AR, *_OTHER_WORDS_AR, *_AR_FRACTIONS])


def _number_word(w: str) -> str | None:
    """w when it is a number word, else w without its attached particles when that is one."""
    return _NUMBER_WORDS_AR.get(w)


@lru_cache(maxsize=1 << 16)
def _norm_token(token: str) -> str:
    return normalize_arabic(token)


def _smaller_part(toks: Sequence[str], k: int, scale: int) -> tuple[float, int]:
    """After a figure and its multiplier (7 آلاف), what و adds below that multiplier: و500,
    و300 ألف, وخمسمئة. (value, index after it), or (0, k)."""
    if k >= len(toks) or not toks[k].startswith("و"):
        return 0, k
    if toks[k] == "و" and k + 1 < len(toks) and toks[k + 1].isdigit():
        value, end = float(toks[k + 1]), k + 2
        nxt = _number_word(toks[end]) if end < len(toks) else None
        if nxt in _AR_SCALES:
            value, end = value * _AR_SCALES[nxt][0], end + 1
    else:
        value, end = _read_words(toks, k)
    return (value, end) if 0 < value < scale else (0, k)


def _read_words(toks: Sequence[str], i: int) -> tuple[int, int]:
    """Read a run of Arabic number words from toks[i]: (value, index after the run), or
    (0, i) when none starts there.  ثلاثة آلاف وخمسمائة → 3500; خمسة وعشرون → 25;
    ثلاثة عشر → 13; ألفين → 2000.  A lone واحد/اثنين is not read (a singular or dual
    noun says it without a figure)."""
    total = current = fraction = 0
    j = i
    after_unit = False
    end = i
    if toks[i] in _AR_FRACTIONS and i + 1 < len(toks) and _number_word(toks[i + 1]) in _AR_SCALES:
        fraction = _AR_FRACTIONS[toks[i]]  # نصف مليون = 500,000
        j += 1
    while j < len(toks):
        raw = toks[j]
        if raw == "و" and j > i and j + 1 < len(toks) and _number_word(toks[j + 1]):
            j += 1  # ستة و عشرين: a conjunction written apart
            continue
        if raw[0].isdigit() or raw in "%٪":
            break
        w = _number_word(raw)
        if w is None or (j > i and w != raw and "ال" in raw[:4] and (w in _AR_HUNDREDS or w in _AR_SCALES)):
            break  # خمسون بالمئة: "per cent", not × 100
        if w in _AR_UNITS:
            if after_unit:
                break
            current += _AR_UNITS[w]
            after_unit = True
        elif w in _AR_TEEN_UNIT:
            if not (j + 1 < len(toks) and toks[j + 1] in _AR_TEN):
                break  # أحد / إحدى: "one of", not a figure
            current += 1
            after_unit = True
        elif w in _AR_TEN:
            current += 10  # عشرة, or ثلاثة عشر = 13
            after_unit = False
        elif w in _AR_TENS:
            current += _AR_TENS[w]
            after_unit = False
        elif w in _AR_HUNDREDS:
            h = _AR_HUNDREDS[w]
            current = current * 100 if (h == 100 and 1 < current < 10) else current + h
            after_unit = False
        else:
            scale, kind = _AR_SCALES[w]
            if kind == "many" and not current:
                break  # آلاف alone: vague
            if kind == "two" and not current:
                current = 2
            total += (current or fraction or 1) * scale
            current = fraction = 0
            after_unit = False
            if j + 1 < len(toks) and toks[j + 1] in _AR_AND_HALF:  # مليون ونصف = 1.5 million
                total += scale / 2
                j += 1
        j += 1
        end = j
    if end == i:
        return 0, i
    value = total + current
    return value, end


# --------------------------------------------------------------------------------------
# Dates: months (both Arabic naming traditions) and days of the week

_MONTHS = ("January February March April May June July August September October November December").split()
_AR_MONTHS: dict[str, int] = {}
for _m, _names in enumerate((
    ("يناير", "كانون الثاني"), ("فبراير", "شباط"), ("مارس", "آذار"), ("أبريل", "ابريل", "إبريل", "نيسان"),
    ("مايو", "أيار"), ("يونيو", "يونيه", "حزيران"), ("يوليو", "يوليه", "تموز"), ("أغسطس", "اغسطس", "آب"),
    ("سبتمبر", "أيلول"), ("أكتوبر", "اكتوبر", "تشرين الأول"), ("نوفمبر", "تشرين الثاني"),
    ("ديسمبر", "كانون الأول")), start=1):
    for _n in _names:
        _AR_MONTHS[_n] = _m
# The Hijri months (numbered 101–112 here, so that they never stand for 1–12), with the
# usual English spellings of each.
_HIJRI_MONTHS = (
    ("محرم", "Muharram", r"\bM[uo]h?arr?am\b"),
    ("ربيع الأول", "Rabi al-Awwal", r"\bRabi[`'’‘ʿ]?[\s-]*(?:a[lr]|u[lr]|e[lr])?[\s-]*Aw+al\b|\bRabi[`'’‘ʿ]? I\b"),
    ("ربيع الثاني", "Rabi al-Thani", r"\bRabi[`'’‘ʿ]?[\s-]*(?:a[lrs]|u[lrs]|e[lr])?[\s-]*(?:Th|S)ani\b|"
                                     r"\bRabi[`'’‘ʿ]?[\s-]*(?:al|ul|el)?[\s-]*Akh[ie]r\b|\bRabi[`'’‘ʿ]? II\b"),
    ("ربيع الآخر", "Rabi al-Akhir", r"\bRabi[`'’‘ʿ]?[\s-]*(?:a[lrs]|u[lrs]|e[lr])?[\s-]*(?:Th|S)ani\b|"
                                    r"\bRabi[`'’‘ʿ]?[\s-]*(?:al|ul|el)?[\s-]*Akh[ie]r\b|\bRabi[`'’‘ʿ]? II\b"),
    ("جمادى الأولى", "Jumada al-Ula", r"\bJ[ou]mad[ae]?[\s-]*(?:al|ul|el)?[\s-]*(?:[UO]o?la|Aw+al)\b|\bJ[ou]mad[ae]? I\b"),
    ("جمادى الآخرة", "Jumada al-Akhira", r"\bJ[ou]mad[ae]?[\s-]*(?:a[lrs]|u[lrs]|e[lr])?[\s-]*(?:Akh[ie]ra?h?|(?:Th|S)an[iy]a?h?)\b|"
                                         r"\bJ[ou]mad[ae]? II\b"),
    ("جمادى الثانية", "Jumada al-Thaniya", r"\bJ[ou]mad[ae]?[\s-]*(?:a[lrs]|u[lrs]|e[lr])?[\s-]*(?:Akh[ie]ra?h?|(?:Th|S)an[iy]a?h?)\b|"
                                           r"\bJ[ou]mad[ae]? II\b"),
    ("رجب", "Rajab", r"\bRajab\b"),
    ("شعبان", "Shaban", r"\bSh[ae]'?a?ban\b|\bSha['’‘ʿ]ban\b"),
    ("رمضان", "Ramadan", r"\bRama[dz]h?an\b"),
    ("شوال", "Shawwal", r"\bShaw+[ae]l\b"),
    ("ذو القعدة", "Dhu al-Qadah", r"Q[ai]['’‘ʿ]?[ad]{1,2}a?h?\b"),
    ("ذي القعدة", "Dhu al-Qadah", r"Q[ai]['’‘ʿ]?[ad]{1,2}a?h?\b"),
    ("ذو الحجة", "Dhu al-Hijjah", r"H[ie]jj?a?h?\b"),
    ("ذي الحجة", "Dhu al-Hijjah", r"H[ie]jj?a?h?\b"),
)
_MONTH_NAME = {i + 1: name for i, name in enumerate(_MONTHS)}
for _k, (_ar, _en, _rx) in enumerate(_HIJRI_MONTHS):
    _AR_MONTHS[_ar] = 101 + _k
    _MONTH_NAME[101 + _k] = _en
_HIJRI_IN_CONTEXT = {"محرم", "رجب", "شعبان"}  # also "forbidden" and given names: only as شهر رجب, 5 رجب
_CONTEXT_MONTHS = {"آب", "مارس", "مايو"}  # also a spelling of "father", the verb "practised", Maio/Mayo
_MONTH_RE = re.compile(
    r"(?<![\u0621-\u064a])(?:[وب]|ل|في\s)?(" + "|".join(sorted(map(re.escape, _AR_MONTHS), key=len, reverse=True))
    + r")(?![\u0621-\u064a])"
)
_EN_MONTH = {i + 1: re.compile(rf"\b{name}\b|\b{name[:3]}\.", re.IGNORECASE if i != 4 else 0)
             for i, name in enumerate(_MONTHS)}
_EN_MONTH.update({101 + k: re.compile(rx, re.IGNORECASE) for k, (_, _, rx) in enumerate(_HIJRI_MONTHS)})
_DAYS = "Sunday Monday Tuesday Wednesday Thursday Friday Saturday".split()
_AR_DAYS = {"الأحد": 0, "الاثنين": 1, "الإثنين": 1, "الثلاثاء": 2, "الأربعاء": 3, "الخميس": 4, "الجمعة": 5, "السبت": 6}
_DAY_RE = re.compile(
    r"(?<![\u0621-\u064a])(يوم\s+|[وب]?)(" + "|".join(_AR_DAYS) + r")(?![\u0621-\u064a])"
)
_AMBIGUOUS_DAYS = {"الاثنين", "الإثنين", "الأحد"}  # "the two", "anyone": only after يوم or before a date


def _arabic_months(text: str) -> list[tuple[str, int]]:
    out = []
    for m in _MONTH_RE.finditer(text):
        name = m.group(1)
        if name in _CONTEXT_MONTHS or name in _HIJRI_IN_CONTEXT:
            near = text[max(0, m.start() - 12): m.end() + 12]
            if not re.search(r"[0-9٠-٩]|شهر|أغسطس|آذار|أيار|الماضي|المقبل|القادم|هـ|\(", near):
                continue
        out.append((name, _AR_MONTHS[name]))
    return out


def _arabic_days(text: str) -> list[tuple[str, int]]:
    out = []
    for m in _DAY_RE.finditer(text):
        name = m.group(2)
        if name in _AMBIGUOUS_DAYS and not m.group(1).startswith("يوم"):
            after = text[m.end(): m.end() + 12]
            if not re.search(r"^\s*(?:الماضي|المقبل|القادم|[0-9٠-٩])", after):
                continue
        out.append((name, _AR_DAYS[name]))
    return out


# --------------------------------------------------------------------------------------
# Latin-script tokens, links, Arabic left in the English

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'()«»،]+[^\s<>\"'()«»،.,;:!?؟]", re.IGNORECASE)
_EMAIL = re.compile(r"\b[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\b")
_HANDLE = re.compile(r"(?<![A-Za-z0-9_@.])@\w{2,}")
_HASHTAG = re.compile(r"(?<![\w#])#\w+")
_L = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"  # Latin letters, accented ones too
_LATIN = re.compile(rf"(?<![{_L}0-9])[{_L}](?:[{_L}0-9]|[-.&'’/](?=[{_L}0-9]))*")
_ARABIC_RUN = re.compile(r"[\u0621-\u063a\u0641-\u064a\u0671-\u06d3]{2,}(?:\s+[\u0621-\u063a\u0641-\u064a\u0671-\u06d3]{2,})*")


def _links(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for kind, rx, hint in (("url", _URL, ("http", "www.", "WWW.")), ("e-mail", _EMAIL, "@"), ("handle", _HANDLE, "@"),
                           ("hashtag", _HASHTAG, "#")):
        if not any(h in text for h in hint):
            continue
        for m in rx.finditer(text):
            if not any(m.group(0) in s for _, s in out):
                out.append((kind, m.group(0)))
    return out


def _latin_tokens(text: str) -> list[str]:
    """Latin-script tokens of two characters or more (a lone letter is a label: فيتامين C)."""
    tokens = []
    for m in _LATIN.finditer(text):
        t = m.group(0)
        if len(t) > 1 and t not in tokens:
            tokens.append(t)
    return tokens


def _contains_token(haystack: str, token: str) -> bool:
    """token in haystack as a whole word, in any case, perhaps with a plural s (IFN → IFNs)."""
    return re.search(r"(?<![A-Za-z0-9])" + re.escape(token) + r"(?:s|['’]s)?(?![A-Za-z0-9])", haystack,
                     re.IGNORECASE) is not None


# --------------------------------------------------------------------------------------
# Length: the English's letters against the source's, in log space, with a constant that
# steadies short sentences. Fitted on FLORES-200 devtest (bench/checks.py --fit): the
# 0.25% and 99.75% quantiles of log((en + K) / (ar + K)); TICO-19 is held out.

LENGTH_K = 12
LENGTH_MEAN = 0.134  # median log ratio on FLORES (English letters run ~1.14 × Arabic)
LENGTH_LOW = -0.432  # 0.25% quantile − median: English under exp(−0.432) ≈ 65% of the expected length
LENGTH_HIGH = 0.384  # 99.75% quantile − median: over ≈ 147%
_WORD_RUN = re.compile(r"[^\W_]+")


def _letters(text: str) -> int:
    """Letters and digits (Arabic diacritics are neither)."""
    return sum(map(len, _WORD_RUN.findall(text)))


def length_score(source: str, translation: str) -> float:
    return math.log((_letters(translation) + LENGTH_K) / (_letters(source) + LENGTH_K)) - LENGTH_MEAN


# --------------------------------------------------------------------------------------
# Glossary

@dataclass(frozen=True)
class GlossaryEntry:
    arabic: str
    english: str
    variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class Glossary:
    entries: tuple[GlossaryEntry, ...]
    path: str | None = None

    def key(self) -> str:
        """A fingerprint of the terms (not of the path): a batch's settings key holds it,
        so that a changed glossary redoes the articles."""
        import hashlib
        import json

        rows = [[e.arabic, e.english, *e.variants] for e in self.entries]
        return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()[:16]


def load_glossary(path) -> Glossary:
    """A glossary file: TOML (``"داعش" = "ISIS"`` or ``"داعش" = {english = "ISIS",
    variants = ["Daesh"]}``, at the top level or under ``[terms]``) or TSV (Arabic, a tab,
    the English, then optional variants, each in its own column or joined by ``|``;
    ``#`` starts a comment).  Raises InputError for a file it cannot use."""
    from pathlib import Path

    from tarjim.errors import InputError

    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"glossary {path} not found") from None
    except OSError as e:
        raise InputError(f"glossary {path}: {e.strerror or e}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"glossary {path}: not UTF-8") from None
    entries: list[GlossaryEntry] = []
    if path.suffix.lower() == ".toml":
        import tomllib

        try:
            table = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise InputError(f"glossary {path}: {e}") from None
        terms = table.get("terms", table)
        if not isinstance(terms, dict):
            raise InputError(f"glossary {path}: [terms] must be a table of Arabic term = English rendering")
        for arabic, value in terms.items():
            if isinstance(value, str) and value.strip():
                entries.append(GlossaryEntry(arabic, value))
            elif isinstance(value, dict) and isinstance(value.get("english"), str) and value["english"].strip():
                variants = value.get("variants", [])
                if isinstance(variants, str):
                    variants = [variants]
                if not isinstance(variants, list):
                    raise InputError(f"glossary {path}: {arabic!r}: variants must be a list of strings")
                entries.append(GlossaryEntry(arabic, value["english"], tuple(str(v) for v in variants if str(v).strip())))
            else:
                raise InputError(f"glossary {path}: {arabic!r} needs an English rendering "
                                 "(a string, or a table with english = \"…\")")
    else:
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cols = [c.strip() for c in line.split("\t")]
            if len(cols) < 2 or not cols[0] or not cols[1]:
                raise InputError(f"glossary {path}, line {n}: give the Arabic term, a tab, and its English rendering")
            variants = tuple(v.strip() for c in cols[2:] for v in c.split("|") if v.strip())
            entries.append(GlossaryEntry(cols[0], cols[1], variants))
    return Glossary(tuple(e for e in entries if _term_words(e.arabic)), str(path))




def _stems(word: str) -> set[str]:
    """A normalized word and what it is without attached particles (و ف, ب ل ك, ال, لل)."""
    out = {word}
    for p in ("و", "ف"):
        if word.startswith(p) and len(word) > 3:
            out.add(word[1:])
    for w in list(out):
        if w.startswith("لل") and len(w) > 4:
            out.add(w[2:])
        for p in ("ب", "ل", "ك"):
            if w.startswith(p) and len(w) > 3:
                out.add(w[1:])
    for w in list(out):
        if w.startswith("ال") and len(w) > 3:
            out.add(w[2:])
    return out


def _ar_words(text: str) -> list[str]:
    return re.findall(r"[\u0621-\u064a\u0671-\u06d3]+", normalize_arabic(text))


def _term_words(term: str) -> list[str]:
    return [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in _ar_words(term)]


def _has_term(words: Sequence[set[str]], term: Sequence[str]) -> bool:
    n = len(term)
    return n > 0 and any(all(term[k] in words[i + k] for k in range(n)) for i in range(len(words) - n + 1))


def _case(rendering: str) -> int:
    """An acronym (IS, US, U.N.) matches in its own case only: "is" and "us" are not it."""
    return 0 if rendering.isupper() else re.IGNORECASE


def _has_rendering(english: str, rendering: str) -> bool:
    return re.search(r"(?<![A-Za-z0-9])" + re.escape(rendering) + r"(?:s|['’]s)?(?![A-Za-z0-9])", english,
                     _case(rendering)) is not None


def _glossary_checks(source: str, translation: str, glossary: Glossary) -> tuple[str, list[Check]]:
    stems = [_stems(w) for w in _ar_words(source)]
    out: list[Check] = []
    for e in glossary.entries:
        if not _has_term(stems, _term_words(e.arabic)):
            continue
        if _has_rendering(translation, e.english):
            continue
        for variant in (v for v in e.variants if _has_rendering(translation, v)):
            # only where it stands alone: "militants" holds the variant but is not rewritten
            translation, n = re.subn(r"(?<![A-Za-z0-9])" + re.escape(variant) + r"(?![A-Za-z0-9])",
                                     lambda _m: e.english, translation, flags=_case(variant))
            if n:
                out.append(Check("glossary", f"'{variant}' replaced by the glossary's '{e.english}'",
                                 e.arabic, e.english, level="info"))
                break
        else:
            out.append(Check("glossary", f"{e.arabic} should read '{e.english}'", e.arabic, e.english))
    return translation, out


# --------------------------------------------------------------------------------------
# The checks

_FLAG_CHECKS = {"repetition": "the model repeats itself", "length_limit": "may be cut short (length limit)",
                "empty_translation": "no output"}


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if v == int(v) else f"{v:g}"


def _number_checks(source: str, translation: str, months: list[tuple[str, int]]) -> list[Check]:
    src_plain = _URL.sub(" ", _EMAIL.sub(" ", source)) if ("@" in source or "/" in source) else source
    latin = [m.span() for m in _LATIN.finditer(src_plain)]
    src_all = arabic_numbers(src_plain)
    # F-16's 16 is the Latin check's, not the number check's
    src = [n for n in src_all if not any(a <= n.start < b for a, b in latin)] if latin else src_all
    if latin:
        src_all = src_all + english_numbers(" ".join(_latin_tokens(source)))
    latin_free = src_plain
    en = english_numbers(translation)
    en_values: set[float] = set()
    for n in en:
        en_values |= n.values
    out: list[Check] = []
    wanted = Counter(n.values for n in src if n.kind in ("figure", "word"))
    for n in src:
        if n.kind not in ("figure", "word") or n.values not in wanted or not any(n.values):
            continue  # (00 of 15،00: nothing to look for)
        times = wanted.pop(n.values)
        have = sum(1 for e in en if e.values & n.values)
        if have >= times or (n.parts and n.parts <= en_values):
            continue
        if not have and n.kind == "figure" and _is_date_month(n, latin_free.translate(_DIGITS), months,
                                                               translation):
            continue
        kind = "year" if n.year else "number"
        label = n.text if n.year else _fmt(max(n.values))
        what = f"{kind} {n.text} ({label})" if label != n.text else f"{kind} {n.text}"
        if have:  # 3 killed and 3 wounded → "three killed and wounded"
            out.append(Check(kind, f"{what} is {times} times in the source, {have} in the English", n.text, label))
        else:
            out.append(Check(kind, f"{what} is not in the English", n.text, label))
    known: set[float] = set()
    for n in src_all:
        known |= n.values | n.parts
    known |= {float(m) for _, m in months if m <= 12}
    known |= {1.0, 2.0}  # a singular or dual noun says one or two without a number word
    for n in en:
        if n.kind not in ("figure", "word", "identifier") or n.values & known or n.values <= {0.0}:
            continue
        if n.kind == "word" and all(v < 3 for v in n.values):
            continue
        out.append(Check("extra_number", f"number {n.text.strip()} in the English is not in the source", n.text.strip(), ""))
    return out


def _is_date_month(n: Mention, text: str, months, translation: str) -> bool:
    """The month of a 15/3/2020 date may come back as a month name."""
    at = text.find(n.text, n.start)
    before, after = text[max(0, at - 1):at], text[at + len(n.text): at + len(n.text) + 1]
    if not (before in "/-." and before or after in "/-." and after):
        return False
    values = [int(v) for v in n.values if v == int(v)]
    return any(1 <= v <= 12 and _EN_MONTH[v].search(translation) for v in values)


def check(source: str, translation: str, glossary: Glossary | None = None,
          flags: Iterable[str] = ()) -> list[Check]:
    """The problems found in translation against its source (an empty list: none)."""
    out: list[Check] = [Check(f, _FLAG_CHECKS[f], "", "") for f in flags if f in _FLAG_CHECKS]
    if not translation.strip():
        return out
    months = _arabic_months(source)
    out += _number_checks(source, translation, months)
    for name, num in months:
        if not _EN_MONTH[num].search(translation):
            out.append(Check("date", f"month {name} ({_MONTH_NAME[num]}) is not in the English", name, _MONTH_NAME[num]))
    for name, num in _arabic_days(source):
        if not re.search(rf"\b{_DAYS[num]}\b", translation, re.IGNORECASE):
            out.append(Check("date", f"day {name} ({_DAYS[num]}) is not in the English", name, _DAYS[num]))
    links = _links(source)
    for kind, link in links:
        if link not in translation:
            out.append(Check("link", f"{kind} {link} is not in the English verbatim", link, link))
    rest = source
    for _, link in links:
        rest = rest.replace(link, " ")
    latin_tokens = _latin_tokens(rest)
    if not _ARABIC_RUN.search(rest):
        latin_tokens = []  # a source with no Arabic script (Arabizi, another language): nothing to keep verbatim
    for token in latin_tokens:
        if not _contains_token(translation, token):
            out.append(Check("latin", f"{token} is not in the English", token, token))
    english_rest = translation
    for _, link in links:
        english_rest = english_rest.replace(link, " ")
    for m in _ARABIC_RUN.finditer(english_rest):
        out.append(Check("arabic", f"Arabic left untranslated: {m.group(0)}", m.group(0), "English"))
    if not any(c.check == "length_limit" for c in out):
        score = length_score(source, translation)
        if score < LENGTH_LOW:
            out.append(Check("length", f"the English is short for its source ({math.exp(score):.0%} of the expected length): "
                             "something may be left out", "", ""))
        elif score > LENGTH_HIGH:
            out.append(Check("length", f"the English is long for its source ({math.exp(score):.0%} of the expected length): "
                             "something may be added", "", ""))
    if glossary is not None:
        _, g = _glossary_checks(source, translation, glossary)
        out += g
    return out


def check_line(source: str, translation: str, glossary: Glossary | None = None) -> list[Check]:
    """One line of two line-aligned files (`tarjim check`, `tarjim eval --hyp`): two blank
    lines hold nothing to check; an empty English line against an Arabic one is an
    omission, flagged as an empty model output is (empty_translation)."""
    if not (source.strip() or translation.strip()):
        return []
    return check(source, translation, glossary, () if translation.strip() else ("empty_translation",))


def check_sentences(sentences: Sequence, glossary: Glossary | None = None) -> list:
    """SentenceTranslations with their checks (and glossary substitutions) filled in."""
    out = []
    for st in sentences:
        if not st.sentence.content or "foreign" in st.flags:  # boilerplate, or kept as it is
            out.append(st)
            continue
        text = st.text
        if glossary is not None:
            text, _ = _glossary_checks(st.sentence.text, text, glossary)
        found = check(st.sentence.text, st.text, glossary, st.flags)
        out.append(replace(st, text=text, checks=tuple(found)))
    return out


def flagged(checks: Iterable[Check]) -> list[Check]:
    """The checks that flag a problem (not the glossary's recorded substitutions)."""
    return [c for c in checks if c.level != "info"]


def summary_line(items: Sequence[tuple[int | str, Sequence[Check]]], total: int) -> str:
    """'2 of 15 sentences flagged: year 2014 is not in the English in #9; …'. items: each
    sentence's 0-based index (or a label such as 'a.txt #9') and its checks."""
    bad = [(i, flagged(cs)) for i, cs in items if flagged(cs)]
    if not bad:
        return f"0 of {total} sentences flagged"

    def where(i: int | str) -> str:
        return f"#{i + 1}" if isinstance(i, int) else i

    parts = [f"{cs[0].detail} in {where(i)}" + (f" (+{len(cs) - 1} more)" if len(cs) > 1 else "") for i, cs in bad[:3]]
    more = f"; … {len(bad) - 3} more" if len(bad) > 3 else ""
    return f"{len(bad)} of {total} sentences flagged: " + "; ".join(parts) + more
