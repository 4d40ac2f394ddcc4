"""Translation → the JSON document (stable: extend, never rename)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from tarjim import __version__
from tarjim.document import Brief, Check, Dialect, Translation


def brief_dict(brief: Brief | None) -> dict[str, Any] | None:
    if brief is None:
        return None
    return {
        "headline": brief.headline,
        "headline_sources": list(brief.headline_sources),
        "summarizer": brief.summarizer,
        "points": [{"text": p.text, "sources": list(p.sources), "flags": list(p.flags)} for p in brief.points],
    }


def dialect_dict(dialect: Dialect | None) -> dict[str, Any] | None:
    if dialect is None:
        return None
    return {"flagged": dialect.flagged, "region_guess": dialect.region, "markers": list(dialect.markers)}


def source_dict(tr: Translation) -> dict[str, Any]:
    """The source block: what was read, and what tarjim found out about it."""
    out: dict[str, Any] = {"path": tr.source_path, "sha256": tr.source_sha256}
    src = tr.source
    if src is not None:
        out.update({
            "encoding": src.encoding, "encoding_guessed": src.encoding_guessed, "format": src.format,
            "url": src.url, "title": src.title, "date": src.date, "author": src.author,
            "language": src.language, "language_confidence": src.language_confidence,
            "detected_language": src.detected_language, "dialect": dialect_dict(src.dialect),
        })
    return out


def check_dict(c: Check) -> dict[str, Any]:
    """One check as JSON: {"check", "detail", "evidence", "expected", "level"}."""
    return asdict(c)


def translation_dict(tr: Translation) -> dict[str, Any]:
    return {
        "tarjim": __version__,
        "model": asdict(tr.model),
        "source": source_dict(tr),
        "paragraphs": len(tr.document.paragraphs),
        "segments": [
            {
                "index": st.sentence.index,
                "paragraph": st.sentence.paragraph,
                "source": st.sentence.text,
                "translation": st.text,
                "source_tokens": st.source_tokens,
                "target_tokens": st.target_tokens,
                "start": st.sentence.start,
                "end": st.sentence.end,
                "content": st.sentence.content,
                "chunks": [{"start": c.start, "end": c.end} for c in st.chunks],
                "flags": list(st.flags),
                "language": st.language,
                "checks": [check_dict(c) for c in st.checks],
            }
            for st in tr.sentences
        ],
        "brief": brief_dict(tr.brief),
        "timings": dict(tr.timings),
    }
