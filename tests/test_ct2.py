"""The CTranslate2 engine and its conversion cache, on the tiny real models (random
weights: assert on counts, order, flags and determinism, never on words)."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("ctranslate2")

from tarjim import convert  # noqa: E402
from tarjim.config import resolve_model  # noqa: E402
from tarjim.engines import ENGINES, load_translator  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

SENTENCES = [
    "قالت قوات سوريا الديمقراطية إنها صدت هجومين مضادين يوم الأربعاء.",
    "استمر القتال لليوم الثاني قرب البلدة، بحسب مسؤولين.",
    "استسلم ثلاثة آلاف مقاتل وعائلاتهم في اليومين الأخيرين.",
    "نعم.",
    "وقال قيادي ميداني إن الهجوم الثاني كان أقوى بكثير من الأول، وإن القوات تقدمت نحو المواقع "
    "التي يسيطر عليها التنظيم في شرق البلاد.",
]


def _model_files(d: Path) -> set[str]:
    return {p.name for p in d.iterdir()}


@pytest.fixture(scope="module")
def converted(tiny_marian, tiny_nllb):
    """Both tiny models converted (int8 and float32), once for this module."""
    for d in (tiny_marian, tiny_nllb):
        convert.converted_dir(d, "int8")
        convert.converted_dir(d, "float32")
    return {"marian": tiny_marian, "nllb": tiny_nllb}


@pytest.fixture(scope="module")
def pairs(converted):
    """(transformers, ctranslate2) translators per family, greedy, on one thread."""
    out = {}
    for family, d in converted.items():
        spec = resolve_model(str(d))
        out[family] = (load_translator(spec, engine="transformers", beams=1),
                       load_translator(spec, engine="ctranslate2", beams=1))
    return out


def test_engine_is_registered():
    assert "ctranslate2" in ENGINES


def test_import_does_not_load_heavy_modules():
    code = ("import sys, json, tarjim.engines.ct2, tarjim.convert, tarjim.engines; "
            "print(json.dumps([m for m in ('torch', 'transformers', 'ctranslate2') if m in sys.modules]))")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == []


@pytest.mark.parametrize("family", ["marian", "nllb"])
def test_engines_agree_on_structure(pairs, family):
    hf, ct = pairs[family]
    a, b = hf.translate(SENTENCES), ct.translate(SENTENCES)
    assert len(a) == len(b) == len(SENTENCES)
    assert ct.engine == "ctranslate2" and ct.max_input_tokens == hf.max_input_tokens
    for s, x, y in zip(SENTENCES, a, b):
        assert x.source_tokens == y.source_tokens == hf.count_tokens(s) == ct.count_tokens(s)
        own = ct.spec.length_limit(y.source_tokens)
        assert y.text.strip() and x.text.strip()
        assert 0 < y.target_tokens <= own and 0 < x.target_tokens <= own
        assert set(y.flags) <= {"length_limit", "repetition", "repetition_guard"}
        assert ("length_limit" in y.flags) == (y.target_tokens >= own - 1)


@pytest.mark.parametrize("family", ["marian", "nllb"])
def test_float32_greedy_matches_transformers_token_counts(converted, family):
    """Same checkpoint, no quantization, greedy: CTranslate2 generates what transformers
    does (random weights can tie, so allow one sentence in five to differ). The guard's
    retries run batched, where padding moves random weights' near-ties: compare without."""
    spec = resolve_model(str(converted[family]))
    from tarjim.engines.ct2 import CT2Translator
    from tarjim.engines.hf import HFTranslator

    hf = HFTranslator(spec, beams=1, repetition_guard=0)
    ct = CT2Translator(spec, beams=1, compute_type="float32", shortlist=False, repetition_guard=0)
    a, b = hf.translate(SENTENCES), ct.translate(SENTENCES)
    same = sum((x.text, x.target_tokens, x.flags) == (y.text, y.target_tokens, y.flags) for x, y in zip(a, b))
    assert same >= len(SENTENCES) - 1


@pytest.mark.parametrize("family", ["marian", "nllb"])
def test_target_tokens_are_what_ctranslate2_generated(converted, family):
    """Count against a raw ctranslate2 call per sentence. As in the transformers engine,
    the batch (all of SENTENCES) runs to its longest member's limit and each member is then
    held to its own (the repetition guard, tested apart, is off here)."""
    import ctranslate2

    from tarjim.engines.ct2 import CT2Translator

    spec = resolve_model(str(converted[family]))
    ct = CT2Translator(spec, beams=1, compute_type="float32", shortlist=False, repetition_guard=0)
    raw = ctranslate2.Translator(str(convert.converted_dir(converted[family], "float32")),
                                 compute_type="float32", intra_threads=1)
    prefix = [spec.target] if family == "nllb" else []
    special = set(ct.tokenizer.all_special_ids)
    batch_limit = spec.length_limit(max(ct.count_tokens(s) for s in SENTENCES))
    for s, r in zip(SENTENCES, ct.translate(SENTENCES)):
        toks = ct.tokenizer.convert_ids_to_tokens(ct.tokenizer(s).input_ids)
        own = spec.length_limit(len(toks))
        out = raw.translate_batch([toks], [prefix] if prefix else None, beam_size=1,
                                  max_decoding_length=batch_limit - 1 + len(prefix), max_input_length=0)
        hyp = out[0].hypotheses[0][len(prefix):][:own]
        content = [t for t in ct.tokenizer.convert_tokens_to_ids(hyp) if t not in special]
        assert r.target_tokens == len(content) <= own
    del raw


@pytest.mark.parametrize("family", ["marian", "nllb"])
def test_deterministic_and_in_source_order(pairs, converted, family):
    _, ct = pairs[family]
    first = ct.translate(SENTENCES)
    assert ct.translate(SENTENCES) == first
    assert ct.translate(SENTENCES[::-1]) == first[::-1]
    again = load_translator(resolve_model(str(converted[family])), engine="ctranslate2", beams=1)
    assert again.translate(SENTENCES) == first
    seen = []
    ct.translate(SENTENCES, progress=seen.append)
    assert sum(seen) == len(SENTENCES)
    assert ct.translate([]) == []


def test_beam_search_and_tight_length_limit(converted):
    spec = dataclasses.replace(resolve_model(str(converted["marian"])), max_length="0 * source + 6")
    for engine in ("transformers", "ctranslate2"):
        tr = load_translator(spec, engine=engine, beams=2)
        res = tr.translate(SENTENCES)
        assert len(res) == len(SENTENCES)
        for r in res:
            assert 0 < r.target_tokens <= 6
            assert ("length_limit" in r.flags) == (r.target_tokens >= 5)


@pytest.mark.parametrize("engine", ["transformers", "ctranslate2"])
def test_repetition_guard_comes_from_models_toml(converted, engine):
    """models.toml's repetition_guard is the n-gram size a looping output's retry forbids;
    0 turns retries off, and the loops are still flagged. (The retry path is watched, not
    replaced: the tiny model really decodes.)"""
    base = resolve_model(str(converted["marian"]))
    assert base.repetition_guard == 3
    runs = {}
    for n in (0, 2):
        tr = load_translator(dataclasses.replace(base, repetition_guard=n), engine=engine, beams=1)
        retry = "_generate" if engine == "transformers" else "_decode"  # the call the retries go through
        real, sizes = getattr(tr, retry), []

        def watch(*args, real=real, sizes=sizes, **kwargs):
            if "no_repeat_ngram_size" in kwargs:
                sizes.append(kwargs["no_repeat_ngram_size"])
            return real(*args, **kwargs)

        setattr(tr, retry, watch)
        runs[n] = (sizes, [r.flags for r in tr.translate(SENTENCES)])
    (off_sizes, off_flags), (on_sizes, on_flags) = runs[0], runs[2]
    looped = [k for k, f in enumerate(off_flags) if "repetition" in f]
    assert looped, "the tiny model should loop on some sentence"
    assert off_sizes == [] and not any("repetition_guard" in f for f in off_flags)
    assert on_sizes and set(on_sizes) == {2}
    assert looped == [k for k, f in enumerate(on_flags) if {"repetition", "repetition_guard"} & set(f)]


@pytest.mark.parametrize("beams", [1, 2])
def test_forced_lengths_for_benchmarks(converted, beams):
    from tarjim.engines.ct2 import CT2Translator

    ct = CT2Translator(resolve_model(str(converted["nllb"])), beams=beams, repetition_guard=0)
    ct._force_lengths = lambda n: n + 3
    res = ct.translate(SENTENCES)
    assert [r.target_tokens for r in res] == [r.source_tokens + 3 for r in res]


def test_shortlist_is_on_for_marian_and_can_be_turned_off(converted, monkeypatch):
    from tarjim.engines.ct2 import CT2Translator

    spec = resolve_model(str(converted["marian"]))
    assert CT2Translator(spec, beams=1).shortlist
    assert not CT2Translator(spec, beams=1, shortlist=False).shortlist
    monkeypatch.setenv("TARJIM_CT2_SHORTLIST", "0")
    assert not CT2Translator(spec, beams=1).shortlist
    # NLLB has one joint SentencePiece model: no target vocabulary to restrict to.
    assert not CT2Translator(resolve_model(str(converted["nllb"])), beams=1).shortlist


def test_conversion_is_cached(tiny_marian, tmp_path, monkeypatch):
    model = tmp_path / "model"
    shutil.copytree(tiny_marian, model, ignore=shutil.ignore_patterns("ctranslate2*", ".ctranslate2*"))
    calls = []
    real = convert._convert_hook

    def counting(*args):
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(convert, "_convert_hook", counting)
    assert not convert.is_converted(model)
    started = []
    d = convert.converted_dir(model, "int8", on_convert=lambda: started.append(1))
    assert started == [1]
    assert d == model / "ctranslate2-int8" and convert.is_converted(model) and convert.is_converted(model, "int8")
    assert not convert.is_converted(model, "float32")
    marker = convert.read_marker(d)
    import ctranslate2

    assert marker["ctranslate2"] == ctranslate2.__version__ and marker["quantization"] == "int8"
    assert marker["vmap"] == "target-vocabulary" and (d / "vmap.txt").is_file()
    mtime = (d / "model.bin").stat().st_mtime_ns
    assert convert.converted_dir(model, "int8") == d
    assert convert.prepare(model, "int8", on_convert=lambda: calls.append("again")) == d
    assert len(calls) == 1 and (d / "model.bin").stat().st_mtime_ns == mtime
    assert not [p for p in model.iterdir() if convert._TMP_TAG in p.name]


def _fake_conversion(model_dir, out, quantization, vmap):
    out.mkdir(parents=True)
    (out / "model.bin").write_bytes(b"\0" * 1024)


def test_interrupted_conversion_leaves_no_half_directory(tiny_marian, tmp_path, monkeypatch):
    model = tmp_path / "model"
    shutil.copytree(tiny_marian, model, ignore=shutil.ignore_patterns("ctranslate2*", ".ctranslate2*"))
    before = _model_files(model)

    def interrupted(model_dir, out, quantization, vmap):
        _fake_conversion(model_dir, out, quantization, vmap)  # half written...
        raise KeyboardInterrupt  # ...and Ctrl-C

    monkeypatch.setattr(convert, "_convert_hook", interrupted)
    with pytest.raises(KeyboardInterrupt):
        convert.converted_dir(model, "int8")
    assert _model_files(model) == before and not convert.is_converted(model)

    def broken(model_dir, out, quantization, vmap):
        raise RuntimeError("converter exploded\nsecond line")

    monkeypatch.setattr(convert, "_convert_hook", broken)
    from tarjim.errors import ModelError

    with pytest.raises(ModelError, match="converter exploded$"):
        convert.converted_dir(model, "int8")
    assert _model_files(model) == before


def test_killed_conversion_is_invisible_and_cleaned_up(tmp_path, monkeypatch):
    """SIGKILL half-way: the hidden temporary directory stays, no conversion appears; the
    next conversion removes the leftover."""
    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text("{}", encoding="utf-8")
    code = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from tarjim import convert\n"
        "def hook(model_dir, out, q, vmap):\n"
        "    out.mkdir(parents=True); (out / 'model.bin').write_bytes(b'half')\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "convert._convert_hook = hook\n"
        "convert.converted_dir(Path(sys.argv[1]), 'int8')\n"
    )
    r = subprocess.run([sys.executable, "-c", code, str(model)], cwd=ROOT, capture_output=True, timeout=60)
    assert r.returncode == -9
    left = [p.name for p in model.iterdir() if p.name != "config.json"]
    assert left and all(n.startswith(".ctranslate2-int8" + convert._TMP_TAG) for n in left)
    assert not convert.is_converted(model)
    monkeypatch.setattr(convert, "_convert_hook", _fake_conversion)
    monkeypatch.setattr(convert, "_versions", lambda: {"ctranslate2": "test", "transformers": "test"})
    d = convert.converted_dir(model, "int8")
    assert convert.is_converted(model, "int8")
    assert sorted(p.name for p in model.iterdir()) == ["config.json", d.name]


def test_read_only_model_dir_converts_into_user_cache(tmp_path, monkeypatch):
    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text("{}", encoding="utf-8")
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    real_can_write = convert._can_write
    monkeypatch.setattr(convert, "_can_write", lambda p: p != model and real_can_write(p))
    monkeypatch.setattr(convert, "_convert_hook", _fake_conversion)
    monkeypatch.setattr(convert, "_versions", lambda: {"ctranslate2": "test", "transformers": "test"})
    d = convert.converted_dir(model)
    assert d.name == "ctranslate2" and cache in d.parents and _model_files(model) == {"config.json"}
    assert convert.is_converted(model) and convert.converted_dir(model) == d


def test_process_exits_cleanly_with_a_live_translator(converted):
    """A ctranslate2.Translator alive at interpreter exit can abort the process (134)."""
    code = (
        "import sys\n"
        "from tarjim.config import resolve_model\n"
        "from tarjim.engines import load_translator\n"
        "tr = load_translator(resolve_model(sys.argv[1]), engine='ctranslate2', beams=1, threads=2)\n"
        "print(len(tr.translate(sys.argv[2:])))\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    r = subprocess.run([sys.executable, "-c", code, str(converted["marian"]), *SENTENCES],
                       cwd=ROOT, capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip() == str(len(SENTENCES))


def test_replaced_weights_make_the_conversion_stale(tiny_marian, tmp_path):
    import shutil
    import time

    from tiny_models import build_tiny_marian

    copy = tmp_path / "m"
    shutil.copytree(tiny_marian, copy, ignore=shutil.ignore_patterns("ctranslate2*"))
    first = convert.converted_dir(copy, "int8")
    assert convert.find_converted(copy, "int8") == first
    time.sleep(0.01)
    build_tiny_marian(copy, seed=7)
    assert convert.find_converted(copy, "int8") is None  # not served for the new weights
    again = convert.converted_dir(copy, "int8")
    assert convert.read_marker(again)["fingerprint"] != ""
    assert convert.find_converted(copy, "int8") == again
