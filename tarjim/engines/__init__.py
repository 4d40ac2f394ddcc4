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
COMPUTES = ("int8", "float32")  # --compute: the CPU's int8 shortcut, or none

Notify = Callable[[str], None]


def check_engine(engine: str | None) -> None:
    """An engine name given by the user (--engine), or None for the model's own."""
    if engine and engine not in ENGINES:
        raise UsageError(f"--engine: unknown engine {engine!r} (known: {', '.join(ENGINES)})")


def check_compute(engine: str, compute: str | None) -> None:
    """--compute: int8 or float32; the transformers engine computes in float32 only."""
    if compute is None:
        return
    if compute not in COMPUTES:
        raise UsageError(f"--compute: unknown compute type {compute!r} (known: {', '.join(COMPUTES)})")
    if engine == "transformers" and compute != "float32":
        raise UsageError(f"--compute {compute} needs the ctranslate2 engine (transformers computes in float32)")


def load_translator(spec: ModelSpec, *, engine: str | None = None, threads: int | None = None,
                    beams: int | None = None, compute: str | None = None,
                    shortlist: bool | None = None) -> Translator:
    """Load the model once; the returned Translator is reused for every segment.
    compute and shortlist (ctranslate2 only; None: the environment's or the default)."""
    name = engine or spec.engine
    check_compute(name, compute)
    if name == "transformers":
        from tarjim.engines.hf import HFTranslator

        return HFTranslator(spec, threads=threads, beams=beams)
    if name == "ctranslate2":
        from tarjim.engines.ct2 import CT2Translator

        return CT2Translator(spec, threads=threads, beams=beams, compute_type=compute, shortlist=shortlist)
    raise ModelError(f"unknown engine {name!r} (known: {', '.join(ENGINES)})")


def prepare_model(spec: ModelSpec, engine: str | None = None, *, notify: Notify | None = None,
                  compute: str | None = None, update: bool = False) -> Path:
    """Make the model's files ready for its engine, each step once and in the open:
    download the weights (the hub's progress bars go to stderr) and convert them for
    CTranslate2. notify(message) is called before a download and before a conversion.
    Returns the directory the engine loads (the conversion, for CTranslate2).
    compute: the CTranslate2 compute type to convert for (default: the device's).
    update: download the newest files of the model's revision even when a pinned copy
    is cached (`tarjim models pull NAME --update`)."""
    from tarjim.models import download, local_model_dir

    check_engine(engine)
    size = f", about {spec.size_mb:,} MB" if spec.size_mb else ""
    on_download = _bind(notify, (
        f"downloading {spec.name} ({spec.hub}{size}); this happens once, then tarjim works offline"))
    if update and spec.hub and not spec.path:
        d = download(spec, on_download, update=True)
    else:
        d = local_model_dir(spec, on_download=on_download)
    if (engine or spec.engine) == "ctranslate2":
        from tarjim.convert import prepare
        from tarjim.engines.ct2 import default_compute_type, default_device

        return prepare(d, compute or default_compute_type(default_device()),
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
    compute: str | None = None,
    shortlist: bool | None = None,
) -> tuple[Translator, float]:
    """prepare_model, then load: the Translator and the seconds its load took.
    loading(spec) wraps the load itself (a spinner on a terminal)."""
    check_compute(engine or spec.engine, compute)
    prepare_model(spec, engine, notify=notify, compute=compute)
    t0 = time.perf_counter()
    with (loading(spec) if loading else nullcontext()):
        translator = load_translator(spec, engine=engine, beams=beams, threads=threads,
                                     compute=compute, shortlist=shortlist)
    return translator, time.perf_counter() - t0


def _bind(notify: Notify | None, message: str) -> Callable[[], None] | None:
    return (lambda: notify(message)) if notify else None
