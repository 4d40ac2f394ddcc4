"""A model directory decodes as models.toml decodes the same model; a downloaded model is
pinned to the commit it resolved to until `tarjim models pull --update`."""

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tarjim.cli import app
from tarjim.config import ModelSpec, load_registry, resolve_model

runner = CliRunner()
ARTICLE = "قالت قوات سوريا الديمقراطية إنها صدت هجومين. وقال قيادي ميداني إن الهجوم الثاني كان أقوى!"
DECODING = ("beams", "max_length", "repetition_guard", "max_input_tokens")


def run(*args, input=None):
    return runner.invoke(app, [str(a) for a in args], input=input)


def copy_model(src: Path, dst: Path, name_or_path: str | None = None) -> Path:
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("ctranslate2*", "_spm"))
    if name_or_path:
        cfg = json.loads((dst / "config.json").read_text(encoding="utf-8"))
        cfg["_name_or_path"] = name_or_path
        (dst / "config.json").write_text(json.dumps(cfg), encoding="utf-8")
    return dst


def user_registry(tmp_path, monkeypatch, text: str) -> None:
    f = tmp_path / "user-models.toml"
    f.write_text(text, encoding="utf-8")
    monkeypatch.setenv("TARJIM_MODELS", str(f))
    load_registry.cache_clear()


def test_unknown_directory_gets_the_registry_defaults_not_the_dataclass_ones(tiny_marian):
    spec = resolve_model(str(tiny_marian))
    default = load_registry().translator(load_registry().default)
    assert {k: getattr(spec, k) for k in DECODING} == {k: getattr(default, k) for k in DECODING}
    assert spec.beams == 1 != ModelSpec.__dataclass_fields__["beams"].default
    assert spec.path == str(tiny_marian.resolve()) and spec.hub is None


def test_directory_of_a_registry_model_decodes_as_models_toml_says(tiny_marian, tmp_path, monkeypatch):
    # OPUS-MT's config.json records the path it was exported from, ending in the hub id.
    d = copy_model(tiny_marian, tmp_path / "my-copy", "/tmp/Helsinki-NLP/opus-mt-ar-en")
    user_registry(tmp_path, monkeypatch, '[translators.opus-mt-ar-en]\nhub = "Helsinki-NLP/opus-mt-ar-en"\n'
                  'family = "marian"\nbeams = 5\nrepetition_guard = 4\nmax_length = "1.5 * source + 10"\n')
    spec = resolve_model(str(d))
    assert (spec.beams, spec.repetition_guard, spec.max_length) == (5, 4, "1.5 * source + 10")
    assert spec.hub == "Helsinki-NLP/opus-mt-ar-en" and spec.path == str(d.resolve())
    from tarjim.engines import open_translator

    translator, _ = open_translator(spec, engine="transformers")
    assert translator.beams == 5  # what decodes is what models.toml says


def test_explicit_path_entry_and_hub_cache_snapshot(tiny_marian, tmp_path, monkeypatch):
    d = copy_model(tiny_marian, tmp_path / "weights")
    user_registry(tmp_path, monkeypatch, f'[translators.mine]\npath = "{d}"\nfamily = "marian"\nbeams = 3\n')
    spec = resolve_model(str(d))
    assert spec.name == "mine" and spec.beams == 3
    snap = copy_model(tiny_marian, tmp_path / "hub" / "models--Helsinki-NLP--opus-mt-ar-en" / "snapshots" / ("a" * 40))
    spec = resolve_model(str(snap))
    assert spec.hub == "Helsinki-NLP/opus-mt-ar-en"
    assert spec.beams == load_registry().translator("opus-mt-ar-en").beams


def test_other_directory_of_an_entry_with_hub_and_path_is_loaded_not_the_entrys(tiny_marian, tmp_path, monkeypatch):
    """An entry that names both hub and path matches another copy of the model by its
    hub id: its decoding applies, but the directory given is the one loaded."""
    mine = copy_model(tiny_marian, tmp_path / "entry-copy")
    other = copy_model(tiny_marian, tmp_path / "other-copy", "me/my-opus")
    user_registry(tmp_path, monkeypatch, f'[translators.mine]\nhub = "me/my-opus"\npath = "{mine}"\n'
                  'family = "marian"\nbeams = 3\n')
    assert resolve_model(str(mine)).name == "mine"  # the entry's own directory: the entry
    spec = resolve_model(str(other))
    assert spec.path == str(other.resolve()) and spec.beams == 3


# ---------------------------------------------------------------- revision pinning

class FakeHub:
    """Stands in for the transfer only: a hub whose branch moves, writing snapshots into
    the real cache layout (models--ORG--NAME/snapshots/SHA, refs/main) as
    huggingface_hub does. Everything around it (cache lookup, pin, conversion) is real."""

    def __init__(self, model: Path, cache: Path):
        self.model, self.cache = model, cache
        self.branches = {"main": "1" * 40}
        self.calls: list[str | None] = []

    def repo(self, repo_id: str) -> Path:
        return self.cache / ("models--" + repo_id.replace("/", "--"))

    def snapshot_download(self, repo_id, local_files_only=False, allow_patterns=None, revision=None, **kw):
        repo = self.repo(repo_id)
        if local_files_only:
            ref = repo / "refs" / (revision or "main")
            commit = ref.read_text() if ref.is_file() else revision
            d = repo / "snapshots" / str(commit)
            if not commit or not d.is_dir():
                raise FileNotFoundError("not in the cache")
            return str(d)
        self.calls.append(revision)
        commit = self.branches.get(revision or "main", revision)
        d = repo / "snapshots" / commit
        if not d.is_dir():
            copy_model(self.model, d)
        (repo / "refs").mkdir(parents=True, exist_ok=True)
        (repo / "refs" / (revision or "main")).write_text(commit)
        return str(d)


@pytest.fixture
def hub(tiny_marian, tmp_path, monkeypatch):
    import huggingface_hub

    import tarjim.models

    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    fake = FakeHub(tiny_marian, tmp_path / "hf" / "hub")
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    monkeypatch.setattr(tarjim.models, "hub_reachable", lambda timeout=3.0: True)
    monkeypatch.setattr(huggingface_hub, "snapshot_download", fake.snapshot_download)
    monkeypatch.setattr(huggingface_hub.HfApi, "list_repo_files",
                        lambda self, repo, revision=None: ["config.json", "model.safetensors"])
    return fake


def revision_in_json(*extra) -> str:
    r = run("translate", "-", "--model", "fast", "--engine", "transformers", "-f", "json", *extra, input=ARTICLE)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)["model"]["revision"]


def test_download_is_pinned_until_update(hub, monkeypatch):
    first, second = "1" * 40, "2" * 40
    r = run("models", "pull", "fast")
    assert r.exit_code == 0, r.output
    assert first in r.stdout and hub.calls == [None]
    rows = {m["name"]: m for m in json.loads(run("models", "-f", "json").stdout)["models"]}
    assert rows["opus-mt-ar-en"]["revision"] == first
    assert revision_in_json() == first

    # Upstream moves, and another tool fetches the new commit into the same cache:
    # tarjim keeps the commit it pinned, offline or not.
    hub.branches["main"] = second
    hub.snapshot_download("Helsinki-NLP/opus-mt-ar-en")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert revision_in_json() == first

    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    r = run("models", "pull", "fast", "--update")
    assert r.exit_code == 0, r.output
    assert second in r.stdout and hub.calls[-1] is None
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert revision_in_json() == second
    rows = {m["name"]: m for m in json.loads(run("models", "-f", "json").stdout)["models"]}
    assert rows["opus-mt-ar-en"]["revision"] == second


def test_models_toml_revision_is_what_is_fetched(hub, tmp_path, monkeypatch):
    from tarjim.models import download, pinned_revision

    hub.branches["v1.0"] = "3" * 40
    user_registry(tmp_path, monkeypatch, '[translators.opus-mt-ar-en]\nhub = "Helsinki-NLP/opus-mt-ar-en"\n'
                  'family = "marian"\nrevision = "v1.0"\n')
    spec = resolve_model("fast")
    d = download(spec)
    assert hub.calls == ["v1.0"] and d.name == "3" * 40
    assert pinned_revision(spec) == "3" * 40
    # A pin is for the revision it was made for: another requested revision ignores it.
    from dataclasses import replace

    assert pinned_revision(replace(spec, revision="v2.0")) is None


def test_update_offline_says_it_cannot_look_and_keeps_the_pin(hub, monkeypatch):
    """A cached, pinned model is not 'not cached': offline, --update says what it could not do."""
    assert run("models", "pull", "fast").exit_code == 0
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    r = run("models", "pull", "fast", "--update")
    assert r.exit_code == 3
    assert "not cached" not in r.stderr and "1" * 40 in r.stderr and "offline" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert revision_in_json() == "1" * 40
