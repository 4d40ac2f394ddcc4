"""Transformers checkpoint → CTranslate2 model, converted once and cached beside the weights.

A conversion lives in `<model_dir>/ctranslate2-int8/` (int8 weights) or
`<model_dir>/ctranslate2/` (float32 weights). Where the model directory cannot be
written (a read-only share, another user's cache) it goes to
`$XDG_CACHE_HOME/tarjim/ct2/<sha of the path>/` instead. Each conversion is written
into a hidden temporary directory and renamed into place only when complete, with a
marker file (tarjim-ct2.json) recording the converter version: a kill at any moment
leaves either no conversion or a whole one, never half of one.

Which weights are stored: int8 for the int8 compute types (int8, int8_float32,
int8_float16, int8_bfloat16; the CPU default). CTranslate2 can quantize float32 weights
at load time, so one float32 conversion could serve every compute type, but loading it
costs a transient ~175 MB more (the float32 file is read whole, then quantized) and
~0.2-0.6 s more per start for opus-mt-ar-en; int8 storage loads in ~0.1 s and is a
quarter of the disk (77 MB vs 294 MB). The quantization is the same either way: on the
shape twin both give identical translations. Float32 compute (no quantization at all)
gets its own float32 conversion, since dequantizing int8 weights would silently keep
int8's rounding.

The tokenizer is not copied: tarjim keeps loading it from the model directory.

Marian models whose separate target SentencePiece model (target.spm) is present also
get a target-vocabulary map (vmap.txt): the pieces the target tokenizer can produce.
It is only used when the engine asks for it (use_vmap), see tarjim.engines.ct2.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from tarjim.errors import ModelError
from tarjim.models import fingerprint

FORMAT = 1  # bump when what tarjim writes into a conversion changes
MARKER = "tarjim-ct2.json"
VMAP = "vmap.txt"
_TMP_TAG = ".tmp-"
_lock = threading.Lock()

# Compute types whose weights are int8: they load an int8 conversion as it is.
INT8_COMPUTE = ("int8", "int8_float32", "int8_float16", "int8_bfloat16")


def storage_for(compute_type: str) -> str:
    """The stored quantization that serves this compute type faithfully."""
    return "int8" if compute_type in INT8_COMPUTE else "float32"


def _variant(quantization: str | None) -> str:
    q = quantization or "float32"
    return "ctranslate2" if q == "float32" else f"ctranslate2-{q}"


def cache_root() -> Path:
    from tarjim.config import user_cache_dir

    return user_cache_dir() / "ct2"


def _fallback_parent(model_dir: Path) -> Path:
    key = hashlib.sha256(str(model_dir.resolve()).encode("utf-8")).hexdigest()[:16]
    return cache_root() / key


def candidate_dirs(model_dir: Path, quantization: str | None = None) -> list[Path]:
    """Where a conversion may be, in order of preference: beside the weights, then the
    user cache."""
    model_dir = Path(model_dir)
    v = _variant(quantization)
    return [model_dir / v, _fallback_parent(model_dir) / v]


def read_marker(conv_dir: Path) -> dict | None:
    try:
        data = json.loads((conv_dir / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _complete(conv_dir: Path, source: str | None = None) -> bool:
    """Whole, of our format, and (given source, the model's fingerprint) made from the
    weights that are there now: replaced weights make an old conversion stale."""
    marker = read_marker(conv_dir)
    return (bool(marker) and marker.get("format") == FORMAT and (conv_dir / "model.bin").is_file()
            and (source is None or marker.get("fingerprint") == source))


def find_converted(model_dir: Path, quantization: str | None = None) -> Path | None:
    """The complete, current conversion of model_dir at this quantization, or None.
    Never converts."""
    source = fingerprint(Path(model_dir))
    for d in candidate_dirs(model_dir, quantization):
        if _complete(d, source):
            return d
    return None


def is_converted(model_dir: Path, quantization: str | None = None) -> bool:
    """Whether a conversion exists; with quantization None, any stored quantization."""
    if quantization is not None:
        return find_converted(model_dir, quantization) is not None
    return any(find_converted(model_dir, q) is not None for q in ("int8", "float32"))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_stale_temps(parent: Path, variant: str) -> None:
    """Temporary directories left by a conversion that was killed (SIGKILL, power cut)."""
    if not parent.is_dir():
        return
    for p in parent.glob(f".{variant}{_TMP_TAG}*"):
        try:
            pid = int(p.name[len(variant) + 1 + len(_TMP_TAG):].split("-")[0])
        except ValueError:
            continue
        if pid == os.getpid() or not _pid_alive(pid):
            shutil.rmtree(p, ignore_errors=True)


def target_vocabulary(model_dir: Path) -> list[str] | None:
    """The vocabulary pieces the target SentencePiece model can produce (Marian with
    separate source/target models), or None when there is no separate target model."""
    spm_file = Path(model_dir) / "target.spm"
    vocab_file = Path(model_dir) / "vocab.json"
    if not spm_file.is_file() or not vocab_file.is_file():
        return None
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(spm_file))
    vocab = json.loads(vocab_file.read_text(encoding="utf-8"))
    pieces = (sp.id_to_piece(i) for i in range(sp.get_piece_size()))
    # vmap.txt is space-separated: a piece with white space in it cannot be listed.
    keep = [p for p in pieces if p in vocab and not any(c.isspace() for c in p)]
    return keep or None


@contextlib.contextmanager
def _marian_pad_fix():
    """CTranslate2's Marian loader always drops the last embedding row (where Marian keeps
    <pad>) but drops "<pad>" from the vocabulary only when it is the last token: a model
    whose pad is elsewhere (id 0, as in tests/tiny_models.py) fails to convert. Keep every
    row in that case. Real OPUS-MT models (pad last) convert exactly as upstream does."""
    from ctranslate2.converters import transformers as ct2t

    loaders = ct2t._MODEL_LOADERS
    base = loaders.get("MarianConfig")
    if base is None:
        yield
        return

    class PadSafeMarianLoader(type(base)):
        def get_model_spec(self, model):
            cfg = model.config
            if cfg.pad_token_id == cfg.vocab_size - 1:
                return super().get_model_spec(model)
            cfg.normalize_before = False
            cfg.normalize_embedding = False
            return ct2t.BartLoader.get_model_spec(self, model)

    loaders["MarianConfig"] = PadSafeMarianLoader()
    try:
        yield
    finally:
        loaders["MarianConfig"] = base


def _versions() -> dict:
    import ctranslate2
    import transformers

    return {"ctranslate2": ctranslate2.__version__, "transformers": transformers.__version__}


def _convert_into(model_dir: Path, out: Path, quantization: str, vmap: Path | None) -> None:
    from ctranslate2.converters import TransformersConverter
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()  # transformers' "Loading weights" bars
    try:
        with _marian_pad_fix():
            TransformersConverter(str(model_dir), low_cpu_mem_usage=True).convert(
                str(out), vmap=str(vmap) if vmap else None, quantization=quantization, force=True,
            )
    finally:
        hf_logging.enable_progress_bar()


# Tests replace this to interrupt a conversion half-way.
_convert_hook: Callable[[Path, Path, str, Path | None], None] = _convert_into


def _can_write(parent: Path) -> bool:
    try:
        parent.mkdir(parents=True, exist_ok=True)
        os.rmdir(tempfile.mkdtemp(prefix=".tarjim-probe-", dir=parent))
        return True
    except OSError:
        return False


def _writable_parent(candidates: list[Path]) -> Path:
    for conv in candidates:
        if _can_write(conv.parent):
            return conv.parent
    tried = ", ".join(str(c.parent) for c in candidates)
    raise ModelError(f"cannot write a CTranslate2 conversion: no writable place (tried {tried})")


def converted_dir(model_dir: Path, quantization: str | None = None, *, force: bool = False,
                  on_convert: Callable[[], None] | None = None) -> Path:
    """The CTranslate2 conversion of a transformers checkpoint, converting it the first
    time (this needs torch and transformers; opus-mt-ar-en: ~6 s, ~0.9 GB peak RSS).
    quantization: the stored weights, None or "float32" (serves every compute type), or
    "int8" (serves the int8 compute types; smaller and faster to load). on_convert is
    called just before a conversion starts (the CLI says what is happening)."""
    model_dir = Path(model_dir)
    q = quantization or "float32"
    if not force:
        found = find_converted(model_dir, q)
        if found is not None:
            return found
    if not (model_dir / "config.json").is_file():
        raise ModelError(f"{model_dir} has no config.json: not a transformers model directory")
    variant = _variant(q)
    with _lock:
        if not force:
            found = find_converted(model_dir, q)
            if found is not None:  # another thread converted it meanwhile
                return found
        parent = _writable_parent(candidate_dirs(model_dir, q))
        final = parent / variant
        _remove_stale_temps(parent, variant)
        tmp = Path(tempfile.mkdtemp(prefix=f".{variant}{_TMP_TAG}{os.getpid()}-", dir=parent))
        try:
            vmap = None
            vocab = target_vocabulary(model_dir)
            if vocab:
                vmap = tmp / "_target.vmap"
                vmap.write_text("\t" + " ".join(vocab) + "\n", encoding="utf-8")
            out = tmp / "model"
            if on_convert:
                on_convert()
            t0 = time.perf_counter()
            _convert_hook(model_dir, out, q, vmap)
            marker = {
                "format": FORMAT, **_versions(), "quantization": q, "source": str(model_dir.resolve()),
                "fingerprint": fingerprint(model_dir),
                "vmap": "target-vocabulary" if vmap else None, "seconds": round(time.perf_counter() - t0, 1),
            }
            (out / MARKER).write_text(json.dumps(marker, indent=1) + "\n", encoding="utf-8")
            _install(out, final, replace=force)
        except ModelError:
            raise
        except Exception as e:
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise ModelError(f"cannot convert {model_dir} to CTranslate2: {first}") from e
        finally:  # Ctrl-C included: never leave half a conversion behind
            shutil.rmtree(tmp, ignore_errors=True)
    if not _complete(final):
        raise ModelError(f"the CTranslate2 conversion at {final} is incomplete")
    return final


def _install(out: Path, final: Path, *, replace: bool = False) -> None:
    """Rename the finished conversion into place (atomic on one filesystem). A complete
    conversion already there (another process won the race) is kept unless replace; an
    incomplete or outdated one is replaced."""
    try:
        os.rename(out, final)
        return
    except OSError:
        if not final.exists():
            raise
    if _complete(final, (read_marker(out) or {}).get("fingerprint")) and not replace:
        return
    trash = final.with_name(f".{final.name}{_TMP_TAG}{os.getpid()}-old")
    shutil.rmtree(trash, ignore_errors=True)
    os.rename(final, trash)
    os.rename(out, final)
    shutil.rmtree(trash, ignore_errors=True)


def prepare(model_dir: Path, compute_type: str = "int8", on_convert: Callable[[], None] | None = None) -> Path:
    """For `tarjim models pull` (and a first use): convert now what the ctranslate2 engine
    will load for this compute type; a no-op when it is there already."""
    return converted_dir(model_dir, storage_for(compute_type), on_convert=on_convert)
