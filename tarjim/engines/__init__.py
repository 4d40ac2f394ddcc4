"""Translation engines behind one protocol, chosen by name (models.toml or --engine), and
model preparation: the one path from a model name to a loaded Translator that every
command (translate, batch, eval, the Ray workers) takes."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from tarjim.config import ModelSpec
from tarjim.engines.base import Translator
from tarjim.errors import ModelError, UsageError

ENGINES = ("transformers", "ctranslate2")

Notify = Callable[[str], None]


def check_engine(engine: str | None) -> None:
    """An engine name given by the user (--engine), or None for the model's own."""
    if engine and engine not in ENGINES:
        raise UsageError(f"--engine: unknown engine {engine!r} (known: {', '.join(ENGINES)})")


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


def prepare_model(spec: ModelSpec, engine: str | None = None, *, notify: Notify | None = None) -> Path:
    """Make the model's files ready for its engine, each step once and in the open:
    download the weights (the hub's progress bars go to stderr) and convert them for
    CTranslate2. notify(message) is called before a download and before a conversion.
    Returns the directory the engine loads (the conversion, for CTranslate2)."""
    from tarjim.models import local_model_dir

    check_engine(engine)
    size = f", about {spec.size_mb:,} MB" if spec.size_mb else ""
    d = local_model_dir(spec, on_download=_bind(notify, (
        f"downloading {spec.name} ({spec.hub}{size}); this happens once, then tarjim works offline")))
    if (engine or spec.engine) == "ctranslate2":
        from tarjim.convert import prepare
        from tarjim.engines.ct2 import default_compute_type, default_device

        return prepare(d, default_compute_type(default_device()),
                       on_convert=_bind(notify, f"converting {spec.name} for CTranslate2 (once)"))
    return d


def open_translator(
    spec: ModelSpec,
    *,
    engine: str | None = None,
    beams: int | None = None,
    threads: int | None = None,
    notify: Notify | None = None,
    loading: Callable[[ModelSpec], AbstractContextManager] | None = None,
) -> tuple[Translator, float]:
    """prepare_model, then load: the Translator and the seconds its load took.
    loading(spec) wraps the load itself (a spinner on a terminal)."""
    prepare_model(spec, engine, notify=notify)
    t0 = time.perf_counter()
    with (loading(spec) if loading else nullcontext()):
        translator = load_translator(spec, engine=engine, beams=beams, threads=threads)
    return translator, time.perf_counter() - t0


def _bind(notify: Notify | None, message: str) -> Callable[[], None] | None:
    return (lambda: notify(message)) if notify else None
