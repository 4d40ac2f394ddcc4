import os
import sys
from pathlib import Path

import pytest

# Never reach for the hub from tests: a miss must fail fast ("not cached, and offline").
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# Tiny models run fastest on one thread; more only fight over this machine's two cores.
os.environ.setdefault("TARJIM_THREADS", "1")

sys.path.insert(0, str(Path(__file__).parent))

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLES = ROOT / "samples"

needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is absent")


@pytest.fixture(scope="session")
def tiny_marian(tmp_path_factory) -> Path:
    from tiny_models import build_tiny_marian

    return build_tiny_marian(tmp_path_factory.mktemp("tiny-marian"))


@pytest.fixture(scope="session")
def tiny_nllb(tmp_path_factory) -> Path:
    from tiny_models import build_tiny_nllb

    return build_tiny_nllb(tmp_path_factory.mktemp("tiny-nllb"))


@pytest.fixture(scope="session")
def marian_translator(tiny_marian):
    from tarjim.config import resolve_model
    from tarjim.engines import load_translator

    return load_translator(resolve_model(str(tiny_marian)), engine="transformers", beams=2)


@pytest.fixture
def sample_text() -> str:
    return (SAMPLES / "dinosaur-feathers.ar.txt").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _isolated_user_config(tmp_path, monkeypatch):
    """No user's ~/.config/tarjim/models.toml leaks into a test."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("TARJIM_MODELS", raising=False)
    from tarjim.config import load_registry

    load_registry.cache_clear()
    yield
    load_registry.cache_clear()
