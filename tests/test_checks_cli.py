"""Checks through the pipeline and the command line: `tarjim check`, --strict, --glossary,
segments[i].checks in JSON, the terminal and bilingual marks, Markdown golden files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from tarjim.cli import app
from tarjim.document import Check, SentenceTranslation
from tarjim.segment import segment

runner = CliRunner()
GOLDEN = Path(__file__).parent / "golden"
ARTICLE = "قالت الأمم المتحدة إن ثلاثة آلاف شخص فروا. وقال مسؤول إن الوضع صعب.\n\nوصلت طائرات F-16 يوم الاثنين."
# A rendering no tiny model will produce: every run with this glossary flags sentence 1.
GLOSSARY_TOML = '[terms]\n"الأمم المتحدة" = { english = "Qxzq Vwpv", variants = ["UN"] }\n'


def run(*args, input=None):
    return runner.invoke(app, [str(a) for a in args], input=input)


@pytest.fixture
def files(tmp_path):
    ar = tmp_path / "a.ar.txt"
    en = tmp_path / "a.en.txt"
    ar.write_text("قتل ثلاثة آلاف شخص عام 2014\nوصلت طائرات F-16\nقال المسؤول\n", encoding="utf-8")
    en.write_text("Three hundred people were killed in 2014\nF-16 jets arrived\nThe official said\n", encoding="utf-8")
    return ar, en


@pytest.fixture
def article(tmp_path):
    p = tmp_path / "article.txt"
    p.write_text(ARTICLE, encoding="utf-8")
    return p


@pytest.fixture
def glossary(tmp_path):
    p = tmp_path / "glossary.toml"
    p.write_text(GLOSSARY_TOML, encoding="utf-8")
    return p


# -- tarjim check ------------------------------------------------------------------------------

def test_check_text_report_and_summary(files):
    r = run("check", *files)
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == [
        "#1 ⚠ number ثلاثة آلاف (3,000) is not in the English; number Three hundred in the English is not in the source"]
    assert r.stderr.strip() == ("tarjim: 1 of 3 sentences flagged: number ثلاثة آلاف (3,000) is not in the English "
                                "in #1 (+1 more)")


def test_check_json_schema(files):
    r = run("check", *files, "-f", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert set(data) == {"lines", "summary"}
    assert [line["index"] for line in data["lines"]] == [0, 1, 2]
    assert [line["source"] for line in data["lines"]] == files[0].read_text(encoding="utf-8").splitlines()
    assert [line["translation"] for line in data["lines"]] == files[1].read_text(encoding="utf-8").splitlines()
    first = data["lines"][0]["checks"]
    assert [c["check"] for c in first] == ["number", "extra_number"]
    for c in first:
        assert {"check", "detail", "evidence", "expected", "level"} <= set(c)
    assert data["lines"][1]["checks"] == data["lines"][2]["checks"] == []
    assert data["summary"]["lines"] == 3 and data["summary"]["flagged"] == 1
    assert data["summary"]["by_check"] == {"number": 1, "extra_number": 1}


def test_check_strict_exit_5_and_clean_exit_0(files, tmp_path):
    assert run("check", *files, "--strict").exit_code == 5
    good = tmp_path / "good.en.txt"
    good.write_text("Three thousand people were killed in 2014\nF-16 jets arrived\nThe official said\n", encoding="utf-8")
    r = run("check", files[0], good, "--strict")
    assert r.exit_code == 0, r.output
    assert r.stdout == "" and "0 of 3 sentences flagged" in r.stderr


def test_check_line_counts_must_match(files, tmp_path):
    short = tmp_path / "short.txt"
    short.write_text("One line\n", encoding="utf-8")
    r = run("check", files[0], short)
    assert r.exit_code == 1
    assert "3 lines" in r.stderr and "1" in r.stderr and r.stderr.count("\n") == 1


def test_check_glossary_toml_tsv_and_default(files, tmp_path, monkeypatch):
    ar = tmp_path / "g.ar.txt"
    en = tmp_path / "g.en.txt"
    ar.write_text("قالت الأمم المتحدة\nوقال للأمم المتحده\n", encoding="utf-8")
    en.write_text("The United Nations said\nHe told the UN\n", encoding="utf-8")
    toml = tmp_path / "g.toml"
    toml.write_text('"الأمم المتحدة" = { english = "United Nations", variants = ["UN"] }\n', encoding="utf-8")
    tsv = tmp_path / "g.tsv"
    tsv.write_text("# term\trendering\tvariants\nالأمم المتحدة\tUnited Nations\tUN|U.N.\n", encoding="utf-8")
    for g in (toml, tsv):
        r = run("check", ar, en, "--glossary", g, "-f", "json", "--strict")
        assert r.exit_code == 0, r.output  # a substitution is recorded, not flagged
        lines = json.loads(r.stdout)["lines"]
        assert lines[0]["checks"] == []
        assert [(c["check"], c["level"]) for c in lines[1]["checks"]] == [("glossary", "info")]
    en.write_text("The organisation said\nHe told them\n", encoding="utf-8")
    r = run("check", ar, en, "--glossary", toml, "--strict")
    assert r.exit_code == 5 and r.stdout.count("United Nations") == 2
    # the default location under the user config folder ($XDG_CONFIG_HOME/tarjim)
    xdg = Path(os.environ["XDG_CONFIG_HOME"]) / "tarjim"
    xdg.mkdir(parents=True)
    (xdg / "glossary.tsv").write_text(tsv.read_text(encoding="utf-8"), encoding="utf-8")
    assert run("check", ar, en, "--strict").exit_code == 5


@pytest.mark.parametrize("content, message", [
    ("[terms]\n\"داعش\" = 5\n", "needs an English rendering"),
    ("not = [toml", "glossary"),
    ("\"داعش\" = { english = \"ISIS\", variants = 5 }\n", "variants must be a list"),
    ("terms = \"x\"\n", "must be a table"),
    ("\"داعش\" = { english = \"\" }\n", "needs an English rendering"),
    ("\"داعش\" = \"  \"\n", "needs an English rendering"),
])
def test_bad_glossary_is_one_line_exit_1(files, tmp_path, content, message):
    g = tmp_path / "bad.toml"
    g.write_text(content, encoding="utf-8")
    r = run("check", *files, "--glossary", g)
    assert r.exit_code == 1 and message in r.stderr and r.stderr.count("\n") == 1


def test_missing_glossary(files, tmp_path):
    r = run("check", *files, "--glossary", tmp_path / "nope.tsv")
    assert r.exit_code == 1 and "not found" in r.stderr


# -- translate / brief / batch -------------------------------------------------------------------

def test_translate_json_has_checks_per_segment(tiny_marian, article, glossary):
    r = run("translate", article, "-m", tiny_marian, "--beams", "1", "-f", "json", "--glossary", glossary)
    assert r.exit_code == 0, r.output
    segs = json.loads(r.stdout)["segments"]
    assert len(segs) == len(segment(ARTICLE).sentences)
    for s in segs:
        assert isinstance(s["checks"], list)
        for c in s["checks"]:
            assert isinstance(c["check"], str) and isinstance(c["detail"], str) and c["detail"]
    assert "glossary" in [c["check"] for c in segs[0]["checks"]]
    assert "sentences flagged" in r.stderr and r.stderr.startswith("tarjim: ")


def test_translate_strict_exits_5(tiny_marian, article, glossary):
    r = run("translate", article, "-m", tiny_marian, "--beams", "1", "--glossary", glossary, "--strict")
    assert r.exit_code == 5, r.output
    assert r.stdout.strip()  # the translation is still written
    assert "#1" in r.stderr.splitlines()[-1]


def test_brief_strict_exits_5(tiny_marian, article, glossary):
    r = run("brief", article, "-m", tiny_marian, "--beams", "1", "--glossary", glossary, "--strict")
    assert r.exit_code == 5, r.output
    assert "sentences flagged" in r.stderr


def test_brief_of_nothing_but_boilerplate_is_a_notice_not_an_internal_error(tiny_marian, tmp_path):
    p = tmp_path / "furniture.txt"
    p.write_text("مشاركة :\nاقرأ أيضا\nشارك على فيسبوك\n", encoding="utf-8")
    r = run("brief", p, "-m", tiny_marian, "--beams", "1")
    assert r.exit_code == 0, r.output
    assert r.stdout == "" and "no brief" in r.stderr and "internal error" not in r.stderr


def test_bilingual_in_a_pipe_is_plain_arabic_and_english(tiny_marian, article, glossary):
    r = run("translate", article, "-m", tiny_marian, "--beams", "1", "--bilingual", "--glossary", glossary)
    assert r.exit_code == 0, r.output
    assert "\x1b[" not in r.stdout
    blocks = r.stdout.rstrip("\n").split("\n\n")
    sentences = segment(ARTICLE).sentences
    assert len(blocks) == len(sentences)
    for block, s in zip(blocks, sentences):
        lines = block.splitlines()
        assert lines[0] == f"#{s.index + 1}" and lines[1] == s.text and lines[2].strip()
    assert any(line.startswith("⚠ ") and "Qxzq Vwpv" in line for line in blocks[0].splitlines())


def test_batch_checks_markdown_and_strict(tiny_marian, tmp_path, glossary, monkeypatch):
    monkeypatch.setenv("TARJIM_CACHE_DIR", str(tmp_path / "cache"))
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "a.txt").write_text(ARTICLE, encoding="utf-8")
    r = run("batch", src, out, "-m", tiny_marian, "--beams", "1", "--glossary", glossary, "--strict")
    assert r.exit_code == 5, r.output
    assert "a.txt #1" in r.stderr
    md = (out / "a.md").read_text(encoding="utf-8")
    assert "⚠ #1" in md and "\n## Checks\n" in md and "Qxzq Vwpv" in md.split("## Checks")[1]
    # run again: the article is unchanged, not re-checked, and its flags still fail --strict
    r = run("batch", src, out, "-m", tiny_marian, "--beams", "1", "--glossary", glossary, "--strict")
    assert r.exit_code == 5, r.output
    assert "1 unchanged" in r.stderr and "hold 0 flagged" not in r.stderr and " flagged sentence" in r.stderr
    # a new glossary is a new setting: the article is redone, not skipped
    glossary.write_text('"مسؤول" = "Qxzq official"\n', encoding="utf-8")
    r = run("batch", src, out, "-m", tiny_marian, "--beams", "1", "--glossary", glossary)
    assert r.exit_code == 0, r.output
    assert "1 translated" in r.stderr


# -- views: terminal marks, Markdown golden files ---------------------------------------------------

def checked_translation():
    from test_markdown import fixed_translation

    tr = fixed_translation()
    from dataclasses import replace

    sents = list(tr.sentences)
    sents[1] = replace(sents[1], checks=(Check("number", "number ٣ (3) is not in the English", "٣", "3"),))
    sents[2] = replace(sents[2], checks=(Check("glossary", "'UN' replaced by the glossary's 'United Nations'",
                                               "الأمم المتحدة", "United Nations", level="info"),))
    return replace(tr, sentences=tuple(sents))


@pytest.mark.parametrize("name, kwargs", [("checks.md", {}), ("checks-bilingual.md", {"bilingual": True})])
def test_markdown_golden_with_checks(name, kwargs, monkeypatch):
    from tarjim.markdown import to_markdown

    monkeypatch.setattr("tarjim.markdown.__version__", "0.0.0")
    got = to_markdown(checked_translation(), **kwargs)
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("bilingual", [False, True])
def test_terminal_marks(bilingual):
    from tarjim.render import translation_view

    console = Console(record=True, width=200, color_system=None)
    console.print(translation_view(checked_translation(), bilingual=bilingual))
    out = console.export_text()
    assert out.count("⚠") == 1 + 1  # the flagged sentence, and the brief's unsupported number
    assert "[⚠ number ٣ (3) is not in the English]" in out
    assert "replaced by the glossary" not in out  # recorded (JSON, Markdown), not a warning


def test_engine_flags_show_without_checks():
    from tarjim.render import check_marks

    s = segment("جملة.").sentences[0]
    st = SentenceTranslation(s, "x", (), 1, 1, ("repetition",))
    assert check_marks(st) == ["repeats itself"]


def test_checks_module_is_light():
    import subprocess
    import sys

    code = "import sys, tarjim.checks; print(sorted(m for m in ('torch', 'transformers', 'ctranslate2', 'rich') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_check_flags_an_empty_english_line(tmp_path):
    """A sentence left untranslated (an empty line in ENGLISH) is an omission, not a pass."""
    ar, en = tmp_path / "a.txt", tmp_path / "e.txt"
    ar.write_text("قتل ٣ أشخاص\nفي عام ٢٠١٤\n\n", encoding="utf-8")
    en.write_text("3 people killed\n\n\n", encoding="utf-8")
    r = run("check", ar, en, "-f", "json", "--strict")
    assert r.exit_code == 5, r.output
    lines = json.loads(r.stdout)["lines"]
    assert [[c["check"] for c in line["checks"]] for line in lines] == [[], ["empty_translation"], []]
    assert "1 of 3 sentences flagged" in r.stderr


def test_check_counts_lines_as_wc_does(tmp_path):
    """A line separator (U+2028) or form feed inside a line does not split it: lines are \\n-ended."""
    ar, en = tmp_path / "a.txt", tmp_path / "e.txt"
    ar.write_text("قتل ٣ أشخاص\u2028في عام ٢٠١٤\nسطر\x0cثان\n", encoding="utf-8")
    en.write_text("3 people killed in 2014\nsecond line\n", encoding="utf-8")
    r = run("check", ar, en, "-f", "json")
    assert r.exit_code == 0, r.output
    assert [line["index"] for line in json.loads(r.stdout)["lines"]] == [0, 1]


def test_a_reader_that_stops_early_gets_no_error_line(tmp_path):
    """`tarjim check … | head` or quitting less: no 'tarjim: error: Broken pipe', no traceback."""
    import subprocess
    import sys

    ar, en = tmp_path / "a.txt", tmp_path / "e.txt"
    ar.write_text("قتل ٣ أشخاص في عام ٢٠١٤\n" * 3000, encoding="utf-8")
    en.write_text("3 people were killed in 2014\n" * 3000, encoding="utf-8")
    p = subprocess.Popen([sys.executable, "-m", "tarjim", "check", str(ar), str(en), "-f", "json"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.read(10)
    p.stdout.close()
    err = p.stderr.read().decode()
    p.wait(timeout=60)
    assert "Broken pipe" not in err and "Traceback" not in err and "Exception" not in err, err


def test_check_says_how_it_decoded_a_legacy_file(tmp_path):
    ar, en = tmp_path / "a.txt", tmp_path / "e.txt"
    ar.write_bytes("قتل 3 أشخاص في المدينة القديمة أمس\n".encode("cp1256"))
    en.write_text("3 people were killed in the old city yesterday\n", encoding="utf-8")
    r = run("check", ar, en)
    assert r.exit_code == 0, r.output
    assert f"tarjim: read {ar} as cp1256" in r.stderr and "0 of 1 sentences flagged" in r.stderr


def test_check_keeps_a_lone_carriage_return_inside_its_line(tmp_path):
    """A lone \\r is no line end for wc -l, sacrebleu or `tarjim eval` (read_lines); \\r\\n is one."""
    ar, en = tmp_path / "a.txt", tmp_path / "e.txt"
    ar.write_bytes("قتل ٣ أشخاص\rفي الحادث\r\nسطر ثان\r\n".encode("utf-8"))
    en.write_text("3 people killed in the accident\nsecond line\n", encoding="utf-8")
    r = run("check", ar, en, "-f", "json")
    assert r.exit_code == 0, r.output
    assert [line["index"] for line in json.loads(r.stdout)["lines"]] == [0, 1]
