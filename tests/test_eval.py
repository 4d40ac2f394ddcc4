"""tarjim eval, run for real: tiny models and --hyp files, scored by sacrebleu and checked
against sacrebleu's own command line on the same files."""

import json
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from tarjim.cli import app

runner = CliRunner()

SOURCE = [
    "قالت قوات سوريا الديمقراطية إنها صدت هجومين.",
    "وقال قيادي ميداني إن الهجوم الثاني كان أقوى!",
    "استسلم ثلاثة آلاف مقاتل في اليومين الأخيرين؟",
    "نفذ التحالف غارات جوية جديدة على مواقع التنظيم.",
]
REFERENCE = [
    "The Syrian Democratic Forces said they had repelled two attacks.",
    "A field commander said the second attack was stronger!",
    "Three thousand fighters surrendered in the last two days?",
    "The coalition carried out new air strikes on the group's positions.",
]
HYP_A = [
    "The Syrian Democratic Forces said they repelled two attacks.",
    "A commander said the second attack was stronger.",
    "3,000 fighters surrendered in the past two days?",
    "The coalition launched new air strikes on the group's positions.",
]
HYP_B = [
    "Syrian forces said two attacks.",
    "A commander said an attack.",
    "Fighters gave up.",
    "The coalition struck.",
]


def run(*args, input=None):
    return runner.invoke(app, [str(a) for a in args], input=input)


@pytest.fixture
def files(tmp_path):
    out = {}
    for name, lines in (("src.ar", SOURCE), ("ref.en", REFERENCE), ("a.en", HYP_A), ("b.en", HYP_B)):
        p = tmp_path / name
        p.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        out[name] = p
    return out


def sacrebleu_cli(ref, hyp) -> list[float]:
    """BLEU, chrF, TER from sacrebleu's own command line."""
    out = subprocess.run(
        [sys.executable, "-m", "sacrebleu", str(ref), "-i", str(hyp), "-m", "bleu", "chrf", "ter", "-b", "-w", "4"],
        capture_output=True, text=True, check=True,
    )
    return json.loads(out.stdout)


def assert_same_scores(system: dict, ref, hyp) -> None:
    bleu, chrf, ter = sacrebleu_cli(ref, hyp)
    assert (f"{system['bleu']:.4f}", f"{system['chrf']:.4f}", f"{system['ter']:.4f}") == \
        (f"{bleu:.4f}", f"{chrf:.4f}", f"{ter:.4f}")


def test_hyp_files_score_as_sacrebleu_cli_with_signature_and_bootstrap(files):
    r = run("eval", files["src.ar"], files["ref.en"], "--hyp", files["a.en"], "--hyp", files["b.en"], "-f", "json")
    assert r.exit_code == 0, r.output
    j = json.loads(r.stdout)
    assert [s["name"] for s in j["systems"]] == ["a.en", "b.en"]
    for s, hyp in zip(j["systems"], (files["a.en"], files["b.en"])):
        assert_same_scores(s, files["ref.en"], hyp)
        assert s["lines"] == 4
        # an existing translation costs nothing to produce: no speed, no memory
        assert s["target_tokens_per_s"] is None and s["source_words_per_s"] is None
        assert s["load_s"] is None and s["peak_rss_mb"] is None
    assert j["peak_rss"].startswith("not measured")  # no system ran: nothing was measured
    import sacrebleu

    assert j["signature"]["bleu"] == f"nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:{sacrebleu.__version__}"
    assert set(j["signature"]) == {"bleu", "chrf", "ter", "paired"}
    first, second = j["systems"]
    assert first["p_value"] is None and first["p_values"] == {}
    assert 0 < second["p_value"] <= 1 and set(second["p_values"]) == {"bleu", "chrf", "ter"}
    assert second["bleu"] < first["bleu"]


ISSUE_FIELDS = ["name", "model", "engine", "beams", "compute", "bleu", "chrf", "ter", "flagged", "lines",
                "target_tokens_per_s", "source_words_per_s", "load_s", "peak_rss_mb", "p_value"]


def test_tiny_model_systems_one_object_each_and_scores_match_cli(tiny_marian, files, tmp_path):
    out = tmp_path / "hyps"
    r = run("eval", files["src.ar"], files["ref.en"], "--model", tiny_marian, "--beams", "1", "--beams", "2",
            "--engine", "ctranslate2", "--hyp", files["a.en"], "-f", "json", "--translations", out, "--in-process")
    assert r.exit_code == 0, r.output
    j = json.loads(r.stdout)
    systems = j["systems"]
    assert len(systems) == 3
    assert [list(s)[: len(ISSUE_FIELDS)] for s in systems] == [ISSUE_FIELDS] * 3
    model_rows = systems[:2]
    assert [s["beams"] for s in model_rows] == [1, 2]
    assert all(s["engine"] == "ctranslate2" and s["compute"] == "int8" for s in model_rows)
    assert all(s["target_tokens_per_s"] > 0 and s["source_words_per_s"] > 0 and s["load_s"] >= 0 for s in model_rows)
    assert all(0 <= s["flagged"] <= 4 for s in model_rows)
    assert all(s["peak_rss_mb"] is None for s in model_rows)  # one process: not attributable
    written = sorted(out.iterdir())
    assert len(written) == 2
    for s, f in zip(model_rows, written):
        assert len(f.read_text(encoding="utf-8").splitlines()) == 4  # line for line
        assert_same_scores(s, files["ref.en"], f)
    assert systems[0]["p_value"] is None and all(0 < s["p_value"] <= 1 for s in systems[1:])


def test_each_system_in_its_own_process_reports_its_peak_rss(tiny_marian, tiny_nllb, files):
    r = run("eval", files["src.ar"], files["ref.en"], "--model", tiny_marian, "--model", tiny_nllb, "-f", "csv")
    assert r.exit_code == 0, r.output
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) == 2
    assert all(float(row["peak RSS MB"]) > 20 for row in rows)
    assert "sacrebleu BLEU: nrefs:1" in r.stderr and r.stderr.count("sacrebleu BLEU") == 1


def test_tsv_in_a_pipe_and_a_table_on_a_terminal(files, monkeypatch):
    r = run("eval", files["src.ar"], files["ref.en"], "--hyp", files["a.en"], "--hyp", files["b.en"])
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert len(lines) == 3 and all(len(line.split("\t")) == len(lines[0].split("\t")) for line in lines)
    assert "\x1b[" not in r.stdout
    import tarjim.cli

    monkeypatch.setattr(tarjim.cli, "_stdout_is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "220")
    r = run("eval", files["src.ar"], files["ref.en"], "--hyp", files["a.en"], "--hyp", files["b.en"])
    assert r.exit_code == 0, r.output
    assert "a.en" in r.stdout and "b.en" in r.stdout and r.stdout.count("sacrebleu BLEU: nrefs:1") == 1


def test_limit_and_misaligned_files(files, tmp_path):
    r = run("eval", files["src.ar"], files["ref.en"], "--hyp", files["a.en"], "--limit", "2", "-f", "json")
    assert r.exit_code == 0, r.output
    [s] = json.loads(r.stdout)["systems"]
    assert s["lines"] == 2
    short = tmp_path / "short.en"
    short.write_text("one line\n", encoding="utf-8")
    r = run("eval", files["src.ar"], short, "--hyp", files["a.en"])
    assert r.exit_code == 1 and "line-aligned" in r.stderr and r.stderr.count("\n") == 1
    r = run("eval", files["src.ar"], files["ref.en"], "--hyp", short)
    assert r.exit_code == 1 and "1 lines" in r.stderr
    longer = tmp_path / "longer.en"
    longer.write_text("".join(h + "\n" for h in HYP_A + ["one more"]), encoding="utf-8")
    r = run("eval", files["src.ar"], files["ref.en"], "--hyp", longer, "--limit", "2")
    assert r.exit_code == 1 and "5 lines" in r.stderr  # misaligned, even where --limit hides it
    r = run("eval", files["src.ar"])
    assert r.exit_code == 2


def test_a_hyp_of_just_the_limited_lines_is_scored_and_a_misaligned_one_fails_first(files, tmp_path, tiny_marian):
    """Under --limit N a translation of only the first N lines is aligned with what is
    scored; a misaligned --hyp file fails before any model is prepared or run."""
    first2 = tmp_path / "first2.en"
    first2.write_text("".join(h + "\n" for h in HYP_A[:2]), encoding="utf-8")
    whole = run("eval", files["src.ar"], files["ref.en"], "--hyp", files["a.en"], "--limit", "2", "-f", "json")
    part = run("eval", files["src.ar"], files["ref.en"], "--hyp", first2, "--limit", "2", "-f", "json")
    assert part.exit_code == 0, part.output
    strip = ("name", "hyp")
    assert [{k: v for k, v in x.items() if k not in strip} for x in json.loads(part.stdout)["systems"]] == \
        [{k: v for k, v in x.items() if k not in strip} for x in json.loads(whole.stdout)["systems"]]
    r = run("eval", files["src.ar"], files["ref.en"], "--hyp", first2, "--limit", "3")
    assert r.exit_code == 1 and "2 lines" in r.stderr and "--limit" in r.stderr
    r = run("eval", files["src.ar"], files["ref.en"], "-m", str(tiny_marian), "--hyp", first2)
    assert r.exit_code == 1 and "2 lines" in r.stderr
    assert "system 1/" not in r.stderr  # failed before translating anything


def test_transformers_drops_int8_and_shortlist(tiny_marian):
    from tarjim.evaluate import plan_systems

    systems = plan_systems([str(tiny_marian)], ["transformers", "ctranslate2"], [None], ["int8", "float32"],
                           [True, False])
    combos = [(s.engine, s.compute, s.shortlist) for s in systems]
    assert ("transformers", "int8", None) not in combos
    assert combos.count(("transformers", "float32", None)) == 1
    assert len([c for c in combos if c[0] == "ctranslate2"]) == 4
    assert len({s.name for s in systems}) == len(systems)


def test_long_line_is_chunked_not_resegmented(marian_translator):
    from tarjim.evaluate import line_document
    from tarjim.pipeline import plan_chunks, translate_documents

    line = " ".join(["قالت قوات سوريا الديمقراطية إنها صدت هجومين. وقال قيادي إن الهجوم كان أقوى!"] * 20)
    doc = line_document(line)
    assert len(doc.sentences) == 1  # two sentences a repeat, but one test line
    [chunks] = plan_chunks(doc, marian_translator)
    assert len(chunks) > 1 and "".join(c.text for c in chunks).replace(" ", "") == line.replace(" ", "")
    [(row,)] = translate_documents([doc], marian_translator)
    assert row.chunks == tuple(chunks) and "\n" not in row.text


def test_flagged_lines_come_from_the_engine_flags():
    from tarjim.document import SentenceTranslation
    from tarjim.evaluate import line_document, line_problems

    s = line_document("نص").sentences[0]
    assert line_problems(SentenceTranslation(s, "x", (), 3, 9, ("length_limit",))) == ["length_limit"]
    assert line_problems(SentenceTranslation(s, "x", (), 3, 3, ())) == []


def test_offline_test_set_is_one_line_exit_3_in_under_a_second(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    t0 = time.perf_counter()
    r = run("eval", "--set", "flores200", "--model", "fast")
    assert time.perf_counter() - t0 < 1.0
    assert r.exit_code == 3, r.output
    assert r.stderr.count("\n") == 1 and "flores200" in r.stderr and "offline" in r.stderr


def test_test_set_downloads_once_checked_then_cached(tmp_path, monkeypatch):
    """The network is stood in for by file:// URLs; the fetch, checksum and cache are real."""
    import hashlib

    import tarjim.evaluate as ev

    src, ref = tmp_path / "arb.devtest", tmp_path / "eng.devtest"
    src.write_text("".join(s + "\n" for s in SOURCE), encoding="utf-8")
    ref.write_text("".join(s + "\n" for s in REFERENCE), encoding="utf-8")
    sha = lambda p: hashlib.sha256(p.read_bytes()).hexdigest()  # noqa: E731
    good = ev.PublicSet("flores200", "test", src.as_uri(), sha(src), ref.as_uri(), sha(ref))
    monkeypatch.setitem(ev.TEST_SETS, "flores200", good)
    monkeypatch.setattr("tarjim.models.reachable", lambda url, timeout=3.0: True)
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    said = []
    s, r = ev.fetch_test_set("flores200", said.append)
    assert s.read_text(encoding="utf-8") == src.read_text(encoding="utf-8") and len(said) == 1
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # cached: works offline from now on
    assert ev.fetch_test_set("flores200") == (s, r)

    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    monkeypatch.setitem(ev.TEST_SETS, "tico19", ev.PublicSet("tico19", "t", src.as_uri(), "0" * 64, ref.as_uri(), sha(ref)))
    from tarjim.errors import ModelError

    with pytest.raises(ModelError, match="SHA-256"):
        ev.fetch_test_set("tico19")
    assert not any((tmp_path / "cache" / "tarjim" / "testsets" / "tico19").iterdir())


def test_eval_imports_sacrebleu_only_when_it_runs():
    from test_cli import _imports_after

    mods = _imports_after("import sys; sys.argv=['tarjim','eval','--help']\nfrom tarjim.cli import app\ntry: app()\nexcept SystemExit: pass")
    assert not {"sacrebleu", "torch", "transformers", "ctranslate2"} & mods
    mods = _imports_after("import tarjim.evaluate, tarjim.cli")
    assert "sacrebleu" not in mods


from hypothesis import given, settings
from hypothesis import strategies as st


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \t\r\nق\u2028\x0c")), max_size=40))
def test_lines_are_read_as_sacrebleu_reads_them(tmp_path_factory, text):
    """Line i of the scores is line i of the files as sacrebleu's CLI sees them, whatever
    the line ends (\\r\\n, a lone \\r inside a line, a Unicode line separator)."""
    from sacrebleu.utils import smart_open

    from tarjim.evaluate import read_lines

    p = tmp_path_factory.mktemp("lines") / "f.txt"
    p.write_bytes(text.encode("utf-8"))
    with smart_open(str(p)) as f:  # what sacrebleu's CLI reads with (lines end at \\n only), then rstrip()
        assert read_lines(p) == [line.rstrip() for line in f]


def test_an_empty_hyp_line_is_flagged_as_tarjim_check_flags_it(files, tmp_path):
    """--hyp lines get `tarjim check`'s checks, the empty-line rule included: an empty
    English line against an Arabic one is an omission (empty_translation)."""
    from tarjim.evaluate import System, hyp_run

    gap = tmp_path / "gap.en"
    gap.write_text("".join(line + "\n" for line in [*REFERENCE[:2], "", REFERENCE[3]]), encoding="utf-8")
    checked = run("check", files["src.ar"], gap, "-f", "json")
    assert json.loads(checked.stdout)["summary"]["flagged"] == 1, checked.output
    assert hyp_run(System(name="gap.en", hyp=str(gap)), SOURCE, len(SOURCE)).flagged == 1


def test_a_lone_carriage_return_does_not_split_a_line(files, tmp_path):
    """sacrebleu's CLI ends lines at \\n only: a stray \\r inside a line keeps the files aligned."""
    src = tmp_path / "cr.ar"
    src.write_bytes("\n".join(SOURCE[:2] + [SOURCE[2] + "\r" + SOURCE[3]]).encode("utf-8") + b"\n")
    ref = tmp_path / "ref3.en"
    ref.write_text("".join(line + "\n" for line in REFERENCE[:3]), encoding="utf-8")
    r = run("eval", src, ref, "--hyp", ref, "-f", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["systems"][0]["lines"] == 3


def test_source_checks_once_they_exist_count_for_every_system(files, tiny_marian, monkeypatch):
    """The hook the source-vs-English checks will fill: a line a check flags counts."""
    import tarjim.evaluate as ev

    monkeypatch.setattr(ev, "source_checks", lambda source, translation: ["number"] if "3" in translation else [])
    systems = ev.plan_systems([str(tiny_marian)], ["transformers"], [1], hyps=[str(files["a.en"])])
    report = ev.evaluate(systems, files["src.ar"], files["ref.en"], isolate=False, samples=10)
    model, hyp = report.systems
    assert hyp.flagged == 1  # "3,000 fighters ..."
    assert model.flagged >= sum(1 for h in model.hypotheses if "3" in h)


def test_an_empty_line_in_a_hyp_file_is_flagged_as_tarjim_check_flags_it(files, tmp_path):
    """An omitted line counts for an existing translation as an empty model output does."""
    hole = tmp_path / "hole.en"
    hole.write_text("".join(line + "\n" for line in [HYP_A[0], "", *HYP_A[2:]]), encoding="utf-8")
    r = run("eval", files["src.ar"], files["ref.en"], "--hyp", files["a.en"], "--hyp", hole, "-f", "json")
    assert r.exit_code == 0, r.output
    a, holed = json.loads(r.stdout)["systems"]
    assert holed["flagged"] == a["flagged"] + 1
    checked = run("check", files["src.ar"], hole, "-f", "json")
    assert json.loads(checked.stdout)["summary"]["flagged"] == holed["flagged"]


def test_a_systems_peak_rss_is_its_own_not_the_parent_process(tiny_marian, files):
    """On Linux a spawned child's ru_maxrss starts at its parent's resident size (the peak
    carries over exec): the parent's memory must not show up as each system's peak."""
    from tarjim.evaluate import _run_isolated, plan_systems, read_lines

    ballast = bytearray(1500 << 20)
    for i in range(0, len(ballast), 4096):  # resident, not only reserved
        ballast[i] = 1
    (system,) = plan_systems([str(tiny_marian)], ["transformers"], [1])
    run_ = _run_isolated(system, read_lines(files["src.ar"]), 1, None)
    del ballast
    assert 20 < run_.peak_rss_mb < 1200
