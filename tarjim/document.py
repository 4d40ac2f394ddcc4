"""The data that flows through tarjim: plain, frozen dataclasses, no behaviour
beyond a few derived views. Spans are character offsets into Document.text."""

from __future__ import annotations

from dataclasses import dataclass, field


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
class SentenceTranslation:
    sentence: Sentence
    text: str  # the English; "" for a sentence that is not content
    chunks: tuple[Chunk, ...]  # what was sent to the model, in order
    source_tokens: int
    target_tokens: int
    flags: tuple[str, ...] = ()


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
