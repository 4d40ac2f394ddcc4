"""Where a model's files are: a local directory, or the Hugging Face cache, downloading
on first use (with a progress bar) and working offline afterwards."""

from __future__ import annotations

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


class HasFiles(Protocol):
    name: str
    hub: str | None
    path: str | None


def offline() -> bool:
    return any(os.environ.get(v, "").lower() in _TRUTHY for v in ("HF_HUB_OFFLINE", "TARJIM_OFFLINE"))


def hub_reachable(timeout: float = 3.0) -> bool:
    """A quick TCP probe, so that a machine with no network fails in seconds, not after
    the hub client's ~24 s of retries."""
    endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co")
    url = urlparse(endpoint)
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        with socket.create_connection((url.hostname or "huggingface.co", port), timeout=timeout):
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


def cached_dir(spec: HasFiles) -> Path | None:
    """The complete local copy of the model's files, or None. Never touches the network."""
    if spec.path:
        p = Path(spec.path)
        return p if p.is_dir() else None
    if not spec.hub:
        return None
    from huggingface_hub import snapshot_download

    try:
        d = Path(snapshot_download(spec.hub, local_files_only=True, allow_patterns=_META + _WEIGHTS))
    except Exception:  # not cached, partly cached, or a corrupt cache entry
        return None
    return d if (d / "config.json").exists() and _has_weights(d) else None


def _not_available(spec: HasFiles, why: str) -> ModelError:
    return ModelError(
        f"model {spec.name} ({spec.hub}) is {why}: run `tarjim models pull {spec.name}` "
        f"on a connected machine, or pass --model PATH to a local model directory"
    )


def download(spec: HasFiles, on_start: Callable[[], None] | None = None) -> Path:
    """Fetch the model into the Hugging Face cache (tqdm progress bars on stderr).
    on_start is called once the hub is known to be reachable, before the transfer."""
    if spec.path:
        return local_model_dir(spec)
    if offline():
        raise _not_available(spec, "not cached, and offline (HF_HUB_OFFLINE is set)")
    if not hub_reachable():
        raise _not_available(spec, "not cached, and offline (the hub cannot be reached)")
    from huggingface_hub import HfApi, snapshot_download

    if on_start:
        on_start()
    try:
        files = HfApi().list_repo_files(spec.hub)
        weights = ["*.safetensors"] if any(f.endswith(".safetensors") for f in files) else ["pytorch_model.bin"]
        d = Path(snapshot_download(spec.hub, allow_patterns=_META + weights))
    except KeyboardInterrupt:
        raise
    except Exception as e:
        raise ModelError(f"could not download {spec.hub}: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}") from None
    if not (d / "config.json").exists() or not _has_weights(d):
        raise ModelError(f"{spec.hub}: the download has no config.json or weights")
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
