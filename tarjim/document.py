"""The data that flows through tarjim: plain, frozen dataclasses, no behaviour
beyond a few derived views. Spans are character offsets into Document.text."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Dialect:
    """Dialect markers found in a document (tarjim.language): a warning, never a refusal."""

    flagged: bool  # enough markers to warn
    markers: tuple[str, ...] = ()  # distinct markers found, in order of first occurrence
    region: str | None = None  # a guess: the region most of the markers belong to


@dataclass(frozen=True)
class Source:
    """What was read (tarjim.reading) and what is known about it before translation."""

    text: str
    path: str | None  # None for stdin and URLs
    sha256: str  # of the bytes as read
    encoding: str = "utf-8"
    encoding_guessed: bool = False  # too few bytes, or low confidence
    format: str = "text"  # "text" | "html" | "url"
    url: str | None = None
    title: str | None = None
    date: str | None = None  # YYYY-MM-DD, as the page declares it
    author: str | None = None
    language: str | None = None  # the language it is translated from (tarjim.language)
    language_confidence: float | None = None
    dialect: Dialect | None = None
    detected_language: str | None = None  # what the detector said, where --source overrode it

    @property
    def label(self) -> str:
        return self.url or self.path or "<stdin>"


@dataclass(frozen=True)
class Chunk:
    """A piece of a sentence sized for the model; chunks rejoin to the sentence."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    index: int  # position in the document, 0-based, counting every sentence
    paragraph: int  # index of the paragraph it belongs to
    text: str  # exactly text[start:end] of the source
    start: int
    end: int
    content: bool = True  # False for boilerplate ("مشاركة :"): kept, not translated


@dataclass(frozen=True)
class Paragraph:
    index: int
    start: int
    end: int
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class Document:
    text: str
    paragraphs: tuple[Paragraph, ...]

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(s for p in self.paragraphs for s in p.sentences)


@dataclass(frozen=True)
class TranslationResult:
    """What an engine returns for one input string."""

    text: str
    source_tokens: int
    target_tokens: int  # tokens the engine really generated (EOS excluded)
    flags: tuple[str, ...] = ()  # e.g. "length_limit", "repetition"


@dataclass(frozen=True)
class Check:
    """One problem a check found in a translated sentence (tarjim.checks)."""

    check: str  # number, year, extra_number, date, link, latin, arabic, length, glossary, repetition…
    detail: str  # one line for a reader
    evidence: str = ""  # what in the source it rests on
    expected: str = ""  # what the English should hold
    level: str = "warning"  # "info": recorded, not a problem (a glossary substitution)


@dataclass(frozen=True)
class SentenceTranslation:
    sentence: Sentence
    text: str  # the English; "" for a sentence that is not content
    chunks: tuple[Chunk, ...]  # what was sent to the model, in order
    source_tokens: int
    target_tokens: int
    flags: tuple[str, ...] = ()
    language: str | None = None  # of its paragraph; a foreign one is kept as it is, flagged "foreign"
    checks: tuple[Check, ...] = ()  # what tarjim.checks found against the source


@dataclass(frozen=True)
class BriefPoint:
    text: str
    sources: tuple[int, ...]  # indices of the sentences it came from
    flags: tuple[str, ...] = ()  # e.g. "unsupported_number"


@dataclass(frozen=True)
class Brief:
    headline: str
    points: tuple[BriefPoint, ...]
    summarizer: str
    headline_sources: tuple[int, ...] = ()


@dataclass(frozen=True)
class ModelInfo:
    name: str
    hub: str | None
    path: str | None
    engine: str
    family: str
    licence: str | None = None
    revision: str | None = None  # the hub commit of a cached model (pinned), else None


@dataclass(frozen=True)
class Translation:
    """One article, translated: the result of the pipeline."""

    document: Document
    sentences: tuple[SentenceTranslation, ...]  # parallel to document.sentences
    model: ModelInfo
    source_path: str | None
    source_sha256: str
    brief: Brief | None = None
    timings: dict[str, float] = field(default_factory=dict)
    source: Source | None = None  # what was read: encoding, format, title, language, dialect
