"""Batch mode on the tiny Marian: outputs, index, re-runs, failures, interruption."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tarjim.batch import read_front_matter
from tarjim.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
SENTENCES = [
    "قالت قوات سوريا الديمقراطية إنها صدت هجومين.",
    "وقال قيادي ميداني إن الهجوم الثاني كان أقوى!",
    "استسلم ثلاثة آلاف مقاتل في اليومين الأخيرين؟",
    "شنت طائرات التحالف الدولي غارات جديدة على مواقع التنظيم.",
    "وأضاف أنه تم تحرير ثلاث نساء وأربعة أطفال.",
]


def make_articles(folder: Path, n: int, bad: bool = True) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        sub = folder / ("sub" if i % 3 == 2 else "")
        sub.mkdir(exist_ok=True)
        body = " ".join(SENTENCES[(i + k) % 5] for k in range(3)) + f"\n\nالخبر رقم {i}."
        (sub / f"a{i:02d}.txt").write_text(body, encoding="utf-8")
    if bad:
        (folder / "broken.txt").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")  # a PDF named .txt
        (folder / "empty.txt").write_text("  \n")


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("TARJIM_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


def batch(*args):
    return runner.invoke(app, ["batch", *map(str, args)])


def test_batch_writes_markdown_index_and_reports_bad_files(env, tiny_marian):
    src, out = env / "in", env / "out"
    make_articles(src, 6)
    r = batch(src, out, "--model", tiny_marian, "--beams", "1", "--recursive")
    assert r.exit_code == 4, r.output  # two files failed, the rest were written
    assert "broken.txt" in r.stderr and "a PDF file" in r.stderr and "empty.txt" in r.stderr
    mds = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.md"))
    assert mds == ["a00.md", "a01.md", "a03.md", "a04.md", "index.md", "sub/a02.md", "sub/a05.md"]
    fm = read_front_matter(out / "sub" / "a02.md")
    assert fm["source"] == "sub/a02.txt" and len(fm["sha256"]) == 64 and fm["model"] == tiny_marian.name
    assert fm["segments"] == 4 and fm["summarizer"] == "extractive" and fm["bilingual"] is False
    assert fm["path"] and fm["tarjim"]
    text = (out / "a00.md").read_text(encoding="utf-8")
    assert "## Brief" in text and "## Translation" in text
    index = (out / "index.md").read_text(encoding="utf-8")
    for name in ("a00.txt", "sub/a05.txt", "broken.txt", "empty.txt"):
        assert name in index
    assert index.count("| translated |") == 6 and index.count("| failed: ") == 2
    assert not list(src.rglob("*.md"))  # nothing written into IN_DIR


def test_rerun_translates_nothing_and_changes_are_picked_up(env, tiny_marian):
    src, out = env / "in", env / "out"
    make_articles(src, 4, bad=False)
    assert batch(src, out, "-m", tiny_marian, "--beams", "1", "-r").exit_code == 0
    before = {p: p.stat().st_mtime_ns for p in out.rglob("a*.md")}
    r = batch(src, out, "-m", tiny_marian, "--beams", "1", "-r")
    assert r.exit_code == 0 and "4 unchanged" in r.stderr and "translated" not in r.stderr.split("→")[0]
    assert len(before) == 4 and before == {p: p.stat().st_mtime_ns for p in out.rglob("a*.md")}
    (src / "a01.txt").write_text("خبر جديد تماما.", encoding="utf-8")
    r = batch(src, out, "-m", tiny_marian, "--beams", "1", "-r")
    assert "1 translated, 3 unchanged" in r.stderr
    r = batch(src, out, "-m", tiny_marian, "--beams", "1", "-r", "--bilingual")  # new settings: redo all
    assert "4 translated" in r.stderr
    assert "| Arabic | English |" in (out / "a00.md").read_text(encoding="utf-8")


def test_cache_serves_repeated_sentences(env, tiny_marian):
    from tarjim.cache import CachedTranslator
    from tarjim.config import resolve_model
    from tarjim.engines import load_translator

    inner = load_translator(resolve_model(str(tiny_marian)), beams=1)
    cached = CachedTranslator(inner, env / "c.sqlite")
    first = cached.translate(SENTENCES + SENTENCES[:2])
    assert cached.misses == 5 and cached.hits == 0
    again = CachedTranslator(inner, env / "c.sqlite").translate(SENTENCES)
    assert [r.text for r in again] == [r.text for r in first[:5]]
    assert [r.target_tokens for r in again] == [r.target_tokens for r in first[:5]]


def test_never_overwrites_foreign_markdown_without_force(env, tiny_marian):
    src, out = env / "in", env / "out"
    make_articles(src, 2, bad=False)
    out.mkdir()
    (out / "a00.md").write_text("# my own notes\n")
    r = batch(src, out, "-m", tiny_marian, "--beams", "1")
    assert r.exit_code == 4 and "not written by tarjim" in r.stderr
    assert (out / "a00.md").read_text() == "# my own notes\n"
    r = batch(src, out, "-m", tiny_marian, "--beams", "1", "--force")
    assert r.exit_code == 0 and read_front_matter(out / "a00.md")


def test_output_inside_input_is_refused(env, tiny_marian):
    src = env / "in"
    make_articles(src, 1, bad=False)
    r = batch(src, src / "en", "-m", tiny_marian)
    assert r.exit_code == 2 and "inside the input folder" in r.stderr
    assert not (src / "en").exists()


def test_no_matching_files(env, tiny_marian):
    (env / "in").mkdir()
    r = batch(env / "in", env / "out", "-m", tiny_marian)
    assert r.exit_code == 1 and "no files match" in r.stderr


def test_killed_batch_leaves_only_complete_files_and_resumes(env, tiny_marian):
    src, out = env / "in", env / "out"
    make_articles(src, 40, bad=False)
    cmd = [sys.executable, "-m", "tarjim", "batch", str(src), str(out), "-m", str(tiny_marian),
           "--beams", "1", "-r", "--no-cache"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            env={**os.environ, "TARJIM_THREADS": "1"})
    deadline = time.time() + 120
    while time.time() < deadline and not [p for p in out.rglob("a*.md")]:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    written = list(out.rglob("a*.md"))
    assert 0 < len(written) < 40, "the kill should land mid-batch"
    for p in written:  # every .md there is whole
        text = p.read_text(encoding="utf-8")
        assert read_front_matter(p) and "## Translation" in text and text.endswith("\n")
    r = batch(src, out, "-m", tiny_marian, "--beams", "1", "-r", "--no-cache")
    assert r.exit_code == 0, r.output
    assert f"{40 - len(written)} translated, {len(written)} unchanged" in r.stderr
    assert len(list(out.rglob("a*.md"))) == 40 and not list(out.rglob("*.tmp"))


def test_cleanup_never_touches_the_input_folder(env, tiny_marian):
    parent = env / "p"
    news = parent / "news"
    make_articles(news, 1, bad=False)
    (news / ".draft.tmp").write_text("keep")
    (parent / ".other-program.tmp").write_text("keep")
    r = batch(news, parent, "-m", tiny_marian, "--beams", "1")
    assert r.exit_code == 0, r.output
    assert (news / ".draft.tmp").read_text() == "keep" and (parent / ".other-program.tmp").exists()


def test_foreign_index_and_same_stem_outputs(env, tiny_marian):
    src, out = env / "in", env / "out"
    src.mkdir()
    (src / "a.txt").write_text(SENTENCES[0], encoding="utf-8")
    (src / "a.text").write_text(SENTENCES[1], encoding="utf-8")
    out.mkdir()
    (out / "index.md").write_text("my own notes\n")
    r = batch(src, out, "-m", tiny_marian, "--beams", "1", "--glob", "a.*")
    assert r.exit_code == 2 and "index.md exists and was not written by tarjim" in r.stderr
    assert (out / "index.md").read_text() == "my own notes\n"
    (out / "index.md").unlink()
    r = batch(src, out, "-m", tiny_marian, "--beams", "1", "--glob", "a.*")
    assert r.exit_code == 4 and "already a.text's" in r.stderr  # a.text sorts first and keeps a.md
    assert read_front_matter(out / "a.md")["source"] == "a.text"


def test_index_links_survive_odd_names(env, tiny_marian):
    src, out = env / "in", env / "out"
    src.mkdir()
    (src / "my article (1).txt").write_text(SENTENCES[0], encoding="utf-8")
    (src / "100%#.txt").write_text(SENTENCES[1], encoding="utf-8")
    assert batch(src, out, "-m", tiny_marian, "--beams", "1").exit_code == 0
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "(my%20article%20%281%29.md)" in index and "(100%25%23.md)" in index


def test_bad_glob_is_a_usage_error(env, tiny_marian):
    make_articles(env / "in", 1, bad=False)
    r = batch(env / "in", env / "out", "-m", tiny_marian, "--glob", "")
    assert r.exit_code == 2 and "--glob" in r.stderr


def test_cache_key_follows_the_model_files(env, tiny_marian, tmp_path):
    import shutil

    from tarjim.cache import translator_key
    from tarjim.config import resolve_model
    from tarjim.engines import load_translator
    from tiny_models import build_tiny_marian

    copy = tmp_path / "m"
    shutil.copytree(tiny_marian, copy)
    before = translator_key(load_translator(resolve_model(str(copy)), engine="transformers", beams=1))
    time.sleep(0.01)
    build_tiny_marian(copy, seed=7)  # new weights in the same folder
    after = translator_key(load_translator(resolve_model(str(copy)), engine="transformers", beams=1))
    assert before != after


def test_index_lists_articles_as_a_reader_counts(env, tiny_marian):
    src, out = env / "in", env / "out"
    src.mkdir()
    for n in (10, 2, 1):
        (src / f"a{n}.txt").write_text(SENTENCES[n % 5], encoding="utf-8")
    assert batch(src, out, "-m", tiny_marian, "--beams", "1", "--no-brief").exit_code == 0
    index = (out / "index.md").read_text(encoding="utf-8")
    assert index.index("a1.txt") < index.index("a2.txt") < index.index("a10.txt")


def test_settings_key_follows_every_decoding_setting():
    """An article is redone when anything that decides its translation changes, the
    models.toml settings included (known before any model is loaded)."""
    import dataclasses

    from tarjim.batch import BatchOptions, settings_key
    from tarjim.config import resolve_model

    spec, opts = resolve_model("fast"), BatchOptions()
    base = settings_key(spec, opts, "extractive")
    assert settings_key(spec, opts, "extractive") == base
    variants = [
        settings_key(dataclasses.replace(spec, repetition_guard=0), opts, "extractive"),
        settings_key(dataclasses.replace(spec, max_length="3 * source + 16"), opts, "extractive"),
        settings_key(dataclasses.replace(spec, beams=4), opts, "extractive"),
        settings_key(spec, dataclasses.replace(opts, engine="transformers"), "extractive"),
        settings_key(spec, dataclasses.replace(opts, bilingual=True), "extractive"),
        settings_key(spec, opts, "distilbart"),
    ]
    assert base not in variants and len(set(variants)) == len(variants)


def test_a_new_model_revision_redoes_articles_and_a_first_download_does_not(env, tiny_marian, monkeypatch):
    """The pinned hub revision is part of the settings key: after `models pull --update`
    every article is redone; the pin a first download records is in the key the articles
    are written with, so the next run finds them unchanged."""
    import tarjim.models
    from tarjim.batch import BatchOptions, run_batch
    from tarjim.config import resolve_model
    from tarjim.engines import load_translator

    pin = {"commit": None}  # no pin yet: the model is not downloaded
    monkeypatch.setattr(tarjim.models, "pinned_revision", lambda spec: pin["commit"])
    spec = resolve_model(str(tiny_marian))

    def load():  # a first download records the pin
        pin["commit"] = pin["commit"] or "a" * 40
        return load_translator(spec, engine="transformers", beams=1)

    make_articles(env / "in", 3, bad=False)
    opts = BatchOptions(engine="transformers", beams=1, recursive=True)
    out = env / "out"
    assert run_batch(env / "in", out, spec, load, None, "extractive", opts).count("translated") == 3
    assert run_batch(env / "in", out, spec, load, None, "extractive", opts).count("unchanged") == 3
    pin["commit"] = "b" * 40  # `tarjim models pull NAME --update`
    assert run_batch(env / "in", out, spec, load, None, "extractive", opts).count("translated") == 3
    assert run_batch(env / "in", out, spec, load, None, "extractive", opts).count("unchanged") == 3
