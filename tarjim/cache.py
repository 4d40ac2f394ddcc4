"""A translation cache: SQLite in the user cache directory, keyed by model, decoding
settings and the exact source chunk, so repeated sentences (agency boilerplate,
re-runs) are translated once. It wraps any Translator and is one itself."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from tarjim.document import TranslationResult
from tarjim.engines.base import Progress, Translator


def cache_dir() -> Path:
    base = os.environ.get("TARJIM_CACHE_DIR")
    if base:
        return Path(base)
    from tarjim.config import user_cache_dir

    return user_cache_dir()


def translator_key(translator: Translator) -> str:
    """Everything that can change a translation: the model's identity and decoding settings."""
    from tarjim.models import fingerprint

    spec = translator.spec
    model_dir = getattr(translator, "model_dir", None)
    parts = {
        "model": spec.name, "hub": spec.hub, "path": spec.path, "engine": translator.engine,
        "source": spec.source, "target": spec.target, "files": fingerprint(model_dir) if model_dir else None,
        "beams": getattr(translator, "beams", spec.beams), "max_length": spec.max_length,
        "compute_type": getattr(translator, "compute_type", None),
        "shortlist": getattr(translator, "shortlist", None),
        "repetition_guard": getattr(translator, "repetition_guard", spec.repetition_guard),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:32]


class CachedTranslator:
    """The same protocol as the wrapped translator; only misses reach the model."""

    def __init__(self, inner: Translator, path: Path | None = None):
        self.inner = inner
        self.spec = inner.spec
        self.engine = inner.engine
        self.max_input_tokens = inner.max_input_tokens
        self.key = translator_key(inner)
        self.path = path or cache_dir() / "translations.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS translations (model TEXT, source TEXT, text TEXT, "
            "source_tokens INTEGER, target_tokens INTEGER, flags TEXT, PRIMARY KEY (model, source))"
        )
        self.hits = self.misses = 0

    def __getattr__(self, name):  # model_dir, beams, … of the wrapped engine
        return getattr(self.inner, name)

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def _lookup(self, texts: Sequence[str]) -> dict[str, TranslationResult]:
        found: dict[str, TranslationResult] = {}
        unique = list(dict.fromkeys(texts))
        for i in range(0, len(unique), 500):
            part = unique[i : i + 500]
            rows = self.db.execute(
                f"SELECT source, text, source_tokens, target_tokens, flags FROM translations "
                f"WHERE model = ? AND source IN ({','.join('?' * len(part))})", [self.key, *part],
            )
            for src, text, st, tt, flags in rows:
                found[src] = TranslationResult(text, st, tt, tuple(json.loads(flags)))
        return found

    def translate(self, texts: Sequence[str], progress: Progress | None = None) -> list[TranslationResult]:
        found = self._lookup(texts)
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        self.hits += sum(1 for t in texts if t in found)
        self.misses += len(missing)
        if progress and len(texts) - len(missing):
            progress(len(texts) - len(missing))
        if missing:
            fresh = self.inner.translate(missing, progress=progress)
            with self.db:
                self.db.executemany(
                    "INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?, ?)",
                    [(self.key, s, r.text, r.source_tokens, r.target_tokens, json.dumps(list(r.flags)))
                     for s, r in zip(missing, fresh)],
                )
            found.update(zip(missing, fresh))
        return [found[t] for t in texts]

    def close(self) -> None:
        self.db.close()
