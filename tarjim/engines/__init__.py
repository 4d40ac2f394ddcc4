"""Translation engines behind one protocol, chosen by name (models.toml or --engine)."""

from __future__ import annotations

from tarjim.config import ModelSpec
from tarjim.engines.base import Translator
from tarjim.errors import ModelError

ENGINES = ("transformers", "ctranslate2")


def load_translator(spec: ModelSpec, *, engine: str | None = None, threads: int | None = None,
                    beams: int | None = None) -> Translator:
    """Load the model once; the returned Translator is reused for every segment."""
    name = engine or spec.engine
    if name == "transformers":
        from tarjim.engines.hf import HFTranslator

        return HFTranslator(spec, threads=threads, beams=beams)
    if name == "ctranslate2":
        from tarjim.engines.ct2 import CT2Translator

        return CT2Translator(spec, threads=threads, beams=beams)
    raise ModelError(f"unknown engine {name!r} (known: {', '.join(ENGINES)})")
