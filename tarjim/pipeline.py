"""Orchestration: text → Document → chunks → translations (→ brief). No printing; a
progress callback reports finished chunks. Many documents are translated together so
that batch mode shares one model and fills every batch."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from tarjim.checks import Glossary, check_sentences
from tarjim.document import (
    Brief,
    Document,
    ModelInfo,
    Sentence,
    SentenceTranslation,
    Source,
    Translation,
    TranslationResult,
)
from tarjim.engines.base import Progress, Translator
from tarjim.segment import chunk_sentence, segment

if TYPE_CHECKING:
    from tarjim.language import LanguageReport


def model_info(translator: Translator) -> ModelInfo:
    from tarjim.models import revision_of

    spec = translator.spec
    return ModelInfo(
        name=spec.name, hub=spec.hub, path=str(getattr(translator, "model_dir", spec.path) or "") or None,
        engine=translator.engine, family=spec.family, licence=spec.licence,
        revision=revision_of(getattr(translator, "model_dir", None)),
    )


def plan_chunks(doc: Document, translator: Translator, keep: frozenset[int] = frozenset()) -> list[tuple]:
    """The chunks of every content sentence, each within the model's input budget;
    none for the paragraphs in keep (another language: kept as they are)."""
    budget = translator.max_input_tokens
    return [
        chunk_sentence(s.text, s.start, budget, translator.count_tokens) if s.content and s.paragraph not in keep
        else ()
        for s in doc.sentences
    ]


def kept_paragraphs(report: LanguageReport | None) -> frozenset[int]:
    """Paragraphs in another language than the document's: never sent to the model."""
    return frozenset(p.index for p in report.foreign) if report is not None else frozenset()


def with_language(sentences: Sequence[SentenceTranslation], report: LanguageReport | None) -> tuple:
    """Each sentence marked with its paragraph's language; a foreign paragraph's
    sentences keep their text unchanged as their "translation", flagged "foreign"."""
    if report is None:
        return tuple(sentences)
    langs = {p.index: p for p in report.paragraphs}
    out = []
    for st in sentences:
        p = langs.get(st.sentence.paragraph)
        if p is None:
            out.append(replace(st, language=report.language))
        elif p.foreign and st.sentence.content:
            out.append(replace(st, text=st.sentence.text, flags=("foreign",), language=p.language))
        else:
            out.append(replace(st, language=p.language))
    return tuple(out)


def _join(parts: Sequence[str]) -> str:
    return " ".join(p for p in (x.strip() for x in parts) if p)


def _assemble(sentence: Sentence, chunks: tuple, results: Sequence[TranslationResult]) -> SentenceTranslation:
    flags: list[str] = [] if sentence.content else ["boilerplate"]
    for r in results:
        flags.extend(f for f in r.flags if f not in flags)
    if sentence.content and not any(r.text.strip() for r in results):
        flags.append("empty_translation")
    return SentenceTranslation(
        sentence=sentence,
        text=_join([r.text for r in results]),
        chunks=tuple(chunks),
        source_tokens=sum(r.source_tokens for r in results),
        target_tokens=sum(r.target_tokens for r in results),
        flags=tuple(flags),
    )


def translate_documents(
    docs: Sequence[Document],
    translator: Translator,
    progress: Progress | None = None,
    on_total: Callable[[int], None] | None = None,
    plans: Sequence[list[tuple]] | None = None,
    reports: Sequence[LanguageReport | None] | None = None,
    glossary: Glossary | None = None,
) -> list[tuple[SentenceTranslation, ...]]:
    """Every content sentence of every document, translated in one stream of batches,
    and put back in source order. Coverage: one SentenceTranslation per sentence.
    on_total receives the number of chunks before translation starts; progress then
    receives how many chunks each batch finished. plans: plan_chunks of each document,
    when the caller has them already. reports: the language of each document's
    paragraphs (tarjim.language.identify); foreign ones are kept, not translated.
    Every translated sentence is checked against its source (tarjim.checks), with
    the glossary when one is given."""
    reports = list(reports) if reports is not None else [None] * len(docs)
    if plans is None:
        plans = [plan_chunks(d, translator, kept_paragraphs(r)) for d, r in zip(docs, reports)]
    flat = [c.text for plan in plans for chunks in plan for c in chunks]
    if on_total:
        on_total(len(flat))
    results = translator.translate(flat, progress=progress) if flat else []
    if len(results) != len(flat):  # an engine bug must never pass silently
        raise RuntimeError(f"engine returned {len(results)} translations for {len(flat)} chunks")
    out, k = [], 0
    for doc, plan, report in zip(docs, plans, reports):
        sentences = []
        for s, chunks in zip(doc.sentences, plan):
            sentences.append(_assemble(s, chunks, results[k : k + len(chunks)]))
            k += len(chunks)
        out.append(tuple(check_sentences(with_language(sentences, report), glossary)))
    return out


def brief_texts(sentences: Sequence[SentenceTranslation]) -> list[str]:
    """The English the brief is made from, one entry per sentence (so that its sources
    index the sentences): "" for a sentence not translated, boilerplate or a paragraph
    kept in another language, which would put Persian or French into an English brief."""
    return [s.text if "foreign" not in s.flags else "" for s in sentences]


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def translate_text(
    text: str,
    translator: Translator,
    *,
    source_path: str | None = None,
    source_sha256: str | None = None,
    summarize: Callable[[Sequence[str]], Brief] | None = None,
    progress: Progress | None = None,
    on_total: Callable[[int], None] | None = None,
    load_s: float = 0.0,
    source: Source | None = None,
    language: LanguageReport | None = None,
    glossary: Glossary | None = None,
) -> Translation:
    """One article, end to end. source: what was read (encoding, format, title…);
    language: tarjim.language.identify(text), whose foreign paragraphs stay as they are."""
    doc = segment(text)
    t0 = time.perf_counter()
    sentences = translate_documents([doc], translator, progress, on_total, reports=[language],
                                    glossary=glossary)[0]
    timings = {"load_s": round(load_s, 3), "translate_s": round(time.perf_counter() - t0, 3)}
    brief = None
    if summarize is not None:
        t1 = time.perf_counter()
        brief = summarize(brief_texts(sentences))
        timings["brief_s"] = round(time.perf_counter() - t1, 3)
    return Translation(
        document=doc, sentences=sentences, model=model_info(translator), source_path=source_path,
        source_sha256=source_sha256 or sha256_text(text), brief=brief, timings=timings, source=source,
    )
