import pytest

from tarjim.config import ModelSpec, load_registry, parse_length_rule, resolve_model
from tarjim.errors import ModelError


def test_registry_has_the_three_models_with_licences():
    reg = load_registry()
    assert reg.default == "opus-mt-tc-big-ar-en"
    for name in ("opus-mt-tc-big-ar-en", "opus-mt-ar-en", "nllb-200-distilled-600M"):
        spec = reg.translator(name)
        assert spec.hub and spec.licence and spec.family in ("marian", "nllb")
    nllb = reg.translator("nllb-200-distilled-600M")
    assert nllb.licence == "CC-BY-NC-4.0" and (nllb.source, nllb.target) == ("arb_Arab", "eng_Latn")
    assert reg.translator("fast").name == "opus-mt-ar-en"
    assert "extractive" in reg.summarizers


@pytest.mark.parametrize("rule, expected", [("1.5 * source + 10", (1.5, 10)), ("2*source+16", (2.0, 16)), ("3 * source", (3.0, 0))])
def test_length_rules(rule, expected):
    assert parse_length_rule(rule) == expected


def test_length_rule_never_below_the_floor():
    """Arabic→English runs to ~1.3× the source tokens: every shipped limit is ≥ 1.5 × n + 10."""
    for spec in load_registry().translators.values():
        for n in (1, 10, 50, 200):
            assert spec.length_limit(n) >= 1.5 * n + 10


def test_bad_length_rule_is_a_model_error():
    with pytest.raises(ModelError):
        ModelSpec(name="x", family="marian", max_length="source squared").length_limit(3)


def test_resolve_default_alias_and_unknown():
    assert resolve_model(None).name == "opus-mt-tc-big-ar-en"
    assert resolve_model("fast").name == "opus-mt-ar-en"
    with pytest.raises(ModelError, match="unknown model"):
        resolve_model("gpt-17")


def test_resolve_local_directory(tmp_path):
    d = tmp_path / "my-model"
    d.mkdir()
    with pytest.raises(ModelError, match="config.json"):
        resolve_model(str(d))
    (d / "config.json").write_text('{"model_type": "m2m_100"}')
    spec = resolve_model(str(d))
    assert spec.family == "nllb" and spec.path == str(d.resolve()) and spec.hub is None
    (d / "config.json").write_text('{"model_type": "bert"}')
    with pytest.raises(ModelError, match="not supported"):
        resolve_model(str(d))
    with pytest.raises(ModelError, match="does not exist"):
        resolve_model(str(tmp_path / "nowhere"))


def test_user_registry_layers_on_top(tmp_path, monkeypatch):
    user = tmp_path / "models.toml"
    user.write_text('default = "mine"\n[translators.mine]\nhub = "me/mine"\nfamily = "marian"\nlicence = "MIT"\n')
    monkeypatch.setenv("TARJIM_MODELS", str(user))
    load_registry.cache_clear()
    reg = load_registry()
    assert reg.default == "mine" and "opus-mt-ar-en" in reg.translators


def test_unknown_key_is_reported(tmp_path, monkeypatch):
    user = tmp_path / "models.toml"
    user.write_text('[translators.x]\nhub = "a/b"\nfamily = "marian"\nbeems = 3\n')
    monkeypatch.setenv("TARJIM_MODELS", str(user))
    load_registry.cache_clear()
    with pytest.raises(ModelError, match="beems"):
        load_registry()


@pytest.mark.parametrize("value", ["-1", "true", '"3"', "2.5"])
def test_bad_repetition_guard_is_reported(tmp_path, monkeypatch, value):
    user = tmp_path / "models.toml"
    user.write_text(f'[translators.x]\nhub = "a/b"\nfamily = "marian"\nrepetition_guard = {value}\n')
    monkeypatch.setenv("TARJIM_MODELS", str(user))
    load_registry.cache_clear()
    with pytest.raises(ModelError, match="repetition_guard"):
        load_registry()


def test_shipped_models_guard_against_loops():
    for spec in load_registry().translators.values():
        assert spec.repetition_guard == 3


def test_a_bool_or_negative_guard_is_refused_everywhere(tiny_marian):
    """True would read as an n-gram size of 1 (no token may ever repeat): refused in a
    spec however it is made, and as an engine argument."""
    import dataclasses

    from tarjim.engines import load_translator
    from tarjim.engines.hf import HFTranslator

    spec = resolve_model(str(tiny_marian))
    for bad in (True, -1):
        with pytest.raises(ModelError, match="repetition_guard"):
            dataclasses.replace(spec, repetition_guard=bad)
        with pytest.raises(ModelError, match="repetition_guard"):
            HFTranslator(spec, beams=1, repetition_guard=bad)
    assert load_translator(spec, engine="transformers", beams=1).repetition_guard == 3
