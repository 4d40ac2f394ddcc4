"""Where a model's files are: a local directory, or the Hugging Face cache, downloading
on first use (with a progress bar) and working offline afterwards."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Protocol
from urllib.parse import urlparse

from tarjim.errors import ModelError

# What tarjim needs from a model repo: configs, tokenizers and one copy of the weights.
_META = ["*.json", "*.spm", "*.model", "*.txt"]
_WEIGHTS = ["*.safetensors", "pytorch_model.bin"]
_TRUTHY = {"1", "true", "yes", "on"}


PIN = "tarjim-revision.json"  # beside a cached hub model: the commit tarjim uses


class HasFiles(Protocol):
    name: str
    hub: str | None
    path: str | None
    revision: str | None  # a hub branch, tag or commit; None: the hub's main branch


def offline() -> bool:
    return any(os.environ.get(v, "").lower() in _TRUTHY for v in ("HF_HUB_OFFLINE", "TARJIM_OFFLINE"))


def hub_reachable(timeout: float = 3.0) -> bool:
    """A quick TCP probe, so that a machine with no network fails in seconds, not after
    the hub client's ~24 s of retries."""
    return reachable(os.environ.get("HF_ENDPOINT", "https://huggingface.co"), timeout)


def reachable(endpoint: str, timeout: float = 3.0) -> bool:
    """Whether a TCP connection to the URL's host opens within timeout seconds."""
    url = urlparse(endpoint)
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        with socket.create_connection((url.hostname or "", port), timeout=timeout):
            return True
    except OSError:
        return False


def fingerprint(model_dir: Path) -> str:
    """Names, sizes and mtimes of a model directory's config, tokenizer and weight files:
    it changes when the weights are replaced, so nothing derived from the old ones (a
    conversion, a cached translation) is served for the new. Cheap: no file is read."""
    import hashlib

    d = Path(model_dir)
    parts = []
    for pattern in [*_META, *_WEIGHTS]:
        for f in sorted(d.glob(pattern)):
            try:
                st = f.stat()  # follows the hub cache's symlinks to the blobs
            except OSError:
                continue
            parts.append(f"{f.name}:{st.st_size}:{st.st_mtime_ns}")
    return hashlib.sha256("\n".join(sorted(set(parts))).encode()).hexdigest()[:16]


def _has_weights(d: Path) -> bool:
    return any(d.glob("*.safetensors")) or (d / "pytorch_model.bin").exists()


def hub_cache() -> Path:
    """The Hugging Face hub cache, found as huggingface_hub finds it (read at each call,
    so that a changed HF_HOME counts)."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    home = os.environ.get("HF_HOME") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "huggingface"
    return Path(home) / "hub"


def _pin_file(spec: HasFiles) -> Path | None:
    if spec.path or not spec.hub:
        return None
    return hub_cache() / ("models--" + spec.hub.replace("/", "--")) / PIN


def _requested(spec: HasFiles) -> str:
    return getattr(spec, "revision", None) or "main"


def revision_of(model_dir: str | Path | None) -> str | None:
    """The hub commit a cached model directory holds (its snapshot's name), else None."""
    if not model_dir:
        return None
    d = Path(model_dir)
    return d.name if d.parent.name == "snapshots" and len(d.name) == 40 else None


def pinned_revision(spec: HasFiles) -> str | None:
    """The commit recorded when the model was first downloaded (or first found cached) for
    the revision models.toml asks for: tarjim uses it until `tarjim models pull --update`."""
    f = _pin_file(spec)
    try:
        pin = json.loads(f.read_text(encoding="utf-8")) if f else None
    except (OSError, ValueError):
        return None
    if isinstance(pin, dict) and pin.get("requested") == _requested(spec) and pin.get("hub") == spec.hub:
        return pin.get("commit") or None
    return None


def _record_pin(spec: HasFiles, d: Path) -> None:
    commit = revision_of(d)
    if commit is None or spec.path or not spec.hub:
        return
    f = d.parents[1] / PIN
    data = {"hub": spec.hub, "requested": _requested(spec), "commit": commit}
    try:
        if f.is_file() and json.loads(f.read_text(encoding="utf-8")) == data:
            return
        tmp = f.with_name(f"{PIN}.tmp-{os.getpid()}")
        tmp.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, f)
    except (OSError, ValueError):
        pass  # a read-only cache: nothing new can arrive there either


def _revision_kw(rev: str | None) -> dict:
    return {"revision": rev} if rev else {}


def cached_dir(spec: HasFiles) -> Path | None:
    """The complete local copy of the model's files, or None. Never touches the network.
    A hub model is taken at its pinned commit (recorded now if it was cached before)."""
    if spec.path:
        p = Path(spec.path)
        return p if p.is_dir() else None
    if not spec.hub:
        return None
    from huggingface_hub import snapshot_download

    rev = pinned_revision(spec) or getattr(spec, "revision", None)
    try:
        d = Path(snapshot_download(spec.hub, local_files_only=True, allow_patterns=_META + _WEIGHTS,
                                   **_revision_kw(rev)))
    except Exception:  # not cached, partly cached, or a corrupt cache entry
        return None
    if not ((d / "config.json").exists() and _has_weights(d)):
        return None
    _record_pin(spec, d)
    return d


def _not_available(spec: HasFiles, why: str) -> ModelError:
    return ModelError(
        f"model {spec.name} ({spec.hub}) is {why}: run `tarjim models pull {spec.name}` "
        f"on a connected machine, or pass --model PATH to a local model directory"
    )


def download(spec: HasFiles, on_start: Callable[[], None] | None = None, *, update: bool = False) -> Path:
    """Fetch the model into the Hugging Face cache (tqdm progress bars on stderr).
    on_start is called once the hub is known to be reachable, before the transfer.
    The pinned commit is fetched, if there is one; update: the newest commit of the
    requested revision instead, which becomes the pin."""
    if spec.path:
        return local_model_dir(spec)
    why = ("offline (HF_HUB_OFFLINE is set)" if offline()
           else None if hub_reachable() else "offline (the hub cannot be reached)")
    if why:
        have = cached_dir(spec) if update else None  # --update of a cached model: it is there, pinned
        if have is not None:
            raise ModelError(f"model {spec.name} ({spec.hub}): cannot look for a newer revision, {why}; "
                             f"it stays at {revision_of(have) or have}")
        raise _not_available(spec, f"not cached, and {why}")
    from huggingface_hub import HfApi, snapshot_download

    if on_start:
        on_start()
    rev = getattr(spec, "revision", None) if update else (pinned_revision(spec) or getattr(spec, "revision", None))
    try:
        files = HfApi().list_repo_files(spec.hub, **_revision_kw(rev))
        weights = ["*.safetensors"] if any(f.endswith(".safetensors") for f in files) else ["pytorch_model.bin"]
        d = Path(snapshot_download(spec.hub, allow_patterns=_META + weights, **_revision_kw(rev)))
    except KeyboardInterrupt:
        raise
    except Exception as e:
        raise ModelError(f"could not download {spec.hub}: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}") from None
    if not (d / "config.json").exists() or not _has_weights(d):
        raise ModelError(f"{spec.hub}: the download has no config.json or weights")
    _record_pin(spec, d)
    return d


def local_model_dir(spec: HasFiles, *, download_missing: bool = True,
                    on_download: Callable[[], None] | None = None) -> Path:
    """The directory holding the model's files, downloading them on first use."""
    if spec.path:
        p = Path(spec.path)
        if not p.is_dir():
            raise ModelError(f"model directory {spec.path} does not exist")
        if not (p / "config.json").exists():
            raise ModelError(f"{spec.path} has no config.json: not a transformers model directory")
        return p
    d = cached_dir(spec)
    if d is not None:
        return d
    if not download_missing:
        raise _not_available(spec, "not cached")
    return download(spec, on_download)
