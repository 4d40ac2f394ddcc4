"""models.toml → frozen specs. The registry is read lazily, once, and a user's own
file (~/.config/tarjim/models.toml or $TARJIM_MODELS) is layered on top of ours."""

from __future__ import annotations

import json
import math
import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from tarjim.errors import ModelError

_LENGTH_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*\*\s*source\s*(?:\+\s*(\d+))?\s*$")


def parse_length_rule(rule: str) -> tuple[float, int]:
    """'1.5 * source + 10' → (1.5, 10)."""
    m = _LENGTH_RE.match(rule)
    if not m:
        raise ModelError(f"models.toml: max_length {rule!r} is not of the form 'A * source + B'")
    return float(m.group(1)), int(m.group(2) or 0)


def check_guard(size: object, where: str) -> int:
    """A repetition guard setting: an n-gram size, 0 for off (a bool is refused: True would
    read as 1, which forbids repeating any token at all)."""
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise ModelError(f"{where}: repetition_guard must be an n-gram size (3), or 0 for off; got {size!r}")
    return size


@dataclass(frozen=True)
class ModelSpec:
    name: str
    family: str  # "marian" | "nllb"
    engine: str = "ctranslate2"
    hub: str | None = None
    path: str | None = None  # a local directory instead of the hub
    licence: str | None = None
    licence_note: str | None = None
    source: str = "ar"
    target: str = "en"
    size_mb: int | None = None
    bleu_flores200: float | None = None
    beams: int = 4
    max_length: str = "2 * source + 16"
    # An output that ends in a phrase repeated over and over is decoded again, forbidding
    # any repeated n-gram of this size, and flagged; 0 turns the guard off.
    repetition_guard: int = 3
    max_input_tokens: int = 128
    description: str = ""
    aliases: tuple[str, ...] = ()
    # A hub branch, tag or commit to download; None: the hub's main branch. The commit a
    # download resolves to is pinned beside the cached model (see tarjim.models).
    revision: str | None = None

    def __post_init__(self):
        check_guard(self.repetition_guard, f"model {self.name}")

    def length_limit(self, source_tokens: int) -> int:
        """Most tokens the model may generate for a segment of source_tokens."""
        a, b = parse_length_rule(self.max_length)
        return max(1, math.ceil(a * source_tokens + b))


@dataclass(frozen=True)
class SummarizerSpec:
    name: str
    kind: str  # "extractive" | "seq2seq"
    hub: str | None = None
    path: str | None = None
    licence: str | None = None
    size_mb: int | None = None
    beams: int = 4
    min_length: int = 30
    max_length: int = 120
    max_input_tokens: int = 1024
    description: str = ""
    revision: str | None = None


@dataclass(frozen=True)
class Registry:
    default: str
    default_summarizer: str
    translators: dict[str, ModelSpec]
    summarizers: dict[str, SummarizerSpec]
    aliases: dict[str, str] = field(default_factory=dict)

    def translator(self, name: str) -> ModelSpec:
        key = self.aliases.get(name, name)
        if key not in self.translators:
            known = ", ".join(sorted([*self.translators, *self.aliases]))
            raise ModelError(f"unknown model {name!r} (known: {known}; or give a path to a model directory)")
        return self.translators[key]

    def summarizer(self, name: str) -> SummarizerSpec:
        if name not in self.summarizers:
            known = ", ".join(sorted(self.summarizers))
            raise ModelError(f"unknown summarizer {name!r} (known: {known})")
        return self.summarizers[name]


def user_config_dir() -> Path:
    """tarjim's folder under the user config folder: $XDG_CONFIG_HOME/tarjim or ~/.config/tarjim."""
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "tarjim"


def user_cache_dir() -> Path:
    """tarjim's folder under the user cache folder: $XDG_CACHE_HOME/tarjim or ~/.cache/tarjim."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tarjim"


def default_glossary() -> Path | None:
    """The user's glossary (glossary.toml, else glossary.tsv, in user_config_dir()), if any."""
    for name in ("glossary.toml", "glossary.tsv"):
        if (user_config_dir() / name).is_file():
            return user_config_dir() / name
    return None


def _registry_files() -> list[Path]:
    here = Path(__file__).resolve().parent
    ours = here / "models.toml"  # inside an installed wheel
    if not ours.exists():
        ours = here.parent / "models.toml"  # a source checkout / editable install
    files = [ours]
    user = os.environ.get("TARJIM_MODELS")
    if user:
        files.append(Path(user))
    else:
        candidate = user_config_dir() / "models.toml"
        if candidate.exists():
            files.append(candidate)
    return files


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise ModelError(f"model registry {path} not found") from None
    except tomllib.TOMLDecodeError as e:
        raise ModelError(f"model registry {path}: {e}") from None


def _build(cls, name: str, entry: dict):
    known = set(cls.__dataclass_fields__)
    unknown = set(entry) - known
    if unknown:
        raise ModelError(f"models.toml: [{name}] has unknown keys: {', '.join(sorted(unknown))}")
    try:
        return cls(name=name, **entry)
    except TypeError as e:
        raise ModelError(f"models.toml: [{name}]: {e}") from None


@lru_cache(maxsize=1)
def load_registry() -> Registry:
    merged: dict = {"translators": {}, "summarizers": {}, "aliases": {}}
    for path in _registry_files():
        data = _read_toml(path)
        for section in ("translators", "summarizers", "aliases"):
            merged[section].update(data.get(section, {}))
        for key in ("default", "default_summarizer"):
            if key in data:
                merged[key] = data[key]
    aliases = dict(merged["aliases"])
    by_target: dict[str, list[str]] = {}
    for alias, target in aliases.items():
        by_target.setdefault(target, []).append(alias)
    translators = {
        n: _build(ModelSpec, n, {**e, "aliases": tuple(by_target.get(n, ()))})
        for n, e in merged["translators"].items()
    }
    for n, spec in translators.items():
        parse_length_rule(spec.max_length)  # fail on load, not mid-article
    summarizers = {n: _build(SummarizerSpec, n, e) for n, e in merged["summarizers"].items()}
    return Registry(
        default=merged.get("default", next(iter(translators))),
        default_summarizer=merged.get("default_summarizer", "extractive"),
        translators=translators,
        summarizers=summarizers,
        aliases=aliases,
    )


def family_of(model_dir: Path) -> str:
    """'marian' or 'nllb', from a transformers model directory's config.json."""
    cfg = model_dir / "config.json"
    try:
        model_type = json.loads(cfg.read_text(encoding="utf-8")).get("model_type", "")
    except FileNotFoundError:
        raise ModelError(f"{model_dir} has no config.json: not a transformers model directory") from None
    except (OSError, ValueError) as e:
        raise ModelError(f"{cfg}: cannot read it ({e})") from None
    if model_type == "marian":
        return "marian"
    if model_type in ("m2m_100", "nllb", "nllb-moe"):
        return "nllb"
    raise ModelError(f"{model_dir}: model type {model_type!r} is not supported (Marian or NLLB/M2M100)")


def resolve_model(name_or_path: str | None) -> ModelSpec:
    """A registry name or alias, or a path to a local transformers model directory."""
    registry = load_registry()
    if not name_or_path:
        return registry.translator(registry.default)
    path = Path(name_or_path).expanduser()
    looks_like_path = os.sep in name_or_path or name_or_path.startswith(".") or path.is_dir()
    if name_or_path in registry.translators or name_or_path in registry.aliases:
        return registry.translator(name_or_path)
    if looks_like_path:
        if not path.exists():
            raise ModelError(f"model directory {name_or_path} does not exist")
        if not path.is_dir():
            raise ModelError(f"{name_or_path} is a file; --model takes a name or a model directory")
        return _local_spec(registry, path)
    return registry.translator(name_or_path)


# What a model directory inherits from the registry: how to decode, never where from.
_DECODING = ("beams", "max_length", "repetition_guard", "max_input_tokens")


def hub_id_of(model_dir: Path) -> str | None:
    """The hub id a model directory was made from: a hub cache snapshot's repository
    (models--ORG--NAME/snapshots/SHA), else config.json's `_name_or_path` (for OPUS-MT
    models a path that ends in the hub id, e.g. /tmp/Helsinki-NLP/opus-mt-ar-en)."""
    d = model_dir.resolve()
    if d.parent.name == "snapshots" and d.parent.parent.name.startswith("models--"):
        return d.parent.parent.name[len("models--"):].replace("--", "/")
    try:
        name = json.loads((d / "config.json").read_text(encoding="utf-8")).get("_name_or_path")
    except (OSError, ValueError, AttributeError):
        return None
    return name.strip().rstrip("/") if isinstance(name, str) and name.strip() else None


def registry_match(registry: Registry, model_dir: Path) -> ModelSpec | None:
    """The registry entry for a model directory: one whose `path =` is this directory,
    else one whose hub id the directory records."""
    d = model_dir.resolve()
    for spec in registry.translators.values():
        if spec.path and Path(spec.path).expanduser().resolve() == d:
            return spec
    hub = hub_id_of(d)
    if hub:
        for spec in registry.translators.values():
            if spec.hub and (hub == spec.hub or hub.endswith("/" + spec.hub)):
                return spec
    return None


def _local_spec(registry: Registry, path: Path) -> ModelSpec:
    """A model directory decodes as models.toml decodes the same model, else with the
    registry's defaults (the default model's beams, length rule and repetition guard):
    never with a dataclass default."""
    family = family_of(path)
    langs = ("arb_Arab", "eng_Latn") if family == "nllb" else ("ar", "en")
    match = registry_match(registry, path)
    if match is not None and match.family != family:
        match = None  # a directory that says it is one model and holds another
    if match is not None and match.path and Path(match.path).expanduser().resolve() == path.resolve():
        return match  # the registry's own entry for this directory (not one matched by hub id)
    base = match or registry.translator(registry.default)
    decoding = {k: getattr(base, k) for k in _DECODING}
    if match is not None:
        return ModelSpec(
            name=path.resolve().name, family=family, engine=match.engine, hub=match.hub,
            path=str(path.resolve()), licence=match.licence, licence_note=match.licence_note,
            source=match.source, target=match.target, size_mb=match.size_mb,
            bleu_flores200=match.bleu_flores200, description=match.description, **decoding,
        )
    return ModelSpec(
        name=path.resolve().name, family=family, engine=base.engine, path=str(path.resolve()),
        source=langs[0], target=langs[1], **decoding,
    )
