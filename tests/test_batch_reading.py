"""Batch over web pages, legacy encodings, URL lists and languages (issue 11)."""

import shutil

from typer.testing import CliRunner

from conftest import ROOT
from http_fixture import pages  # noqa: F401  (the fixture)
from tarjim.batch import read_front_matter, url_rel
from tarjim.cli import app
from test_input_cases import ENGLISH, NEWS, PERSIAN

runner = CliRunner()
PAGES = ROOT / "tests" / "data" / "pages"


def batch(*args):
    return runner.invoke(app, ["batch", *map(str, args)])


def test_batch_picks_up_html_and_reads_every_kind(tmp_path, tiny_marian, monkeypatch):
    monkeypatch.setenv("TARJIM_CACHE_DIR", str(tmp_path / "cache"))
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    shutil.copy(PAGES / "port-expansion.html", src / "port.html")
    shutil.copy(PAGES / "hospital-table-cp1256.html", src / "hospital.htm")
    (src / "legacy.txt").write_bytes(NEWS.encode("cp1256"))
    (src / "persian.txt").write_text(PERSIAN, encoding="utf-8")
    (src / "english.txt").write_text(ENGLISH, encoding="utf-8")
    r = batch(src, out, "-m", tiny_marian, "--beams", "1")
    assert r.exit_code == 4, r.output
    assert "persian.txt: this looks like Persian (fa), not Arabic" in r.stderr
    assert "english.txt: this looks like English (en), not Arabic" in r.stderr
    # batch has no --source and one model: it says what it does, not translate's advice
    assert "tarjim batch translates Arabic only" in r.stderr and "--source" not in r.stderr
    port = read_front_matter(out / "port.md")
    assert port["format"] == "html" and port["title"].startswith("توسعة") and port["date"] == "2024-03-18"
    assert port["author"] == "سلمى الحسيني" and port["language"] == "ar" and port["encoding"] == "utf-8"
    hospital = read_front_matter(out / "hospital.md")
    assert hospital["encoding"] == "cp1256" and "date" not in hospital
    assert read_front_matter(out / "legacy.md")["encoding"] == "cp1256"
    assert not (out / "persian.md").exists() and not (out / "english.md").exists()


def test_batch_of_urls(tmp_path, tiny_marian, monkeypatch, pages):
    monkeypatch.setenv("TARJIM_CACHE_DIR", str(tmp_path / "cache"))
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# today's pages\n{pages}/pages/wheat-harvest.html\n\n{pages}/gone\n", encoding="utf-8")
    more = tmp_path / "more.txt"
    more.write_text(f"{pages}/pages/quoted-english.html\n", encoding="utf-8")
    out = tmp_path / "out"
    r = batch(listing, out, "-m", tiny_marian, "--beams", "1", "--urls", more)
    assert r.exit_code == 4, r.output  # the 404 failed, the rest were written
    assert "HTTP 404" in r.stderr
    wheat = out / (url_rel(f"{pages}/pages/wheat-harvest.html") + ".md")
    fm = read_front_matter(wheat)
    assert fm["format"] == "url" and fm["url"] == f"{pages}/pages/wheat-harvest.html"
    assert fm["source"] == fm["url"] and fm["title"].startswith("موسم")
    quoted = (out / (url_rel(f"{pages}/pages/quoted-english.html") + ".md")).read_text(encoding="utf-8")
    assert "kept in English (en), not translated" in quoted
    index = (out / "index.md").read_text(encoding="utf-8")
    assert index.count("| translated |") == 2 and "HTTP 404" in index
    # a second run fetches again, finds the same bytes, and translates nothing
    r = batch(listing, out, "-m", tiny_marian, "--beams", "1", "--urls", more)
    assert r.exit_code == 4 and "2 unchanged" in r.stderr


def test_url_rel_is_a_readable_file_name():
    assert url_rel("https://example.org/news/2024/03/port.html") == "urls/example-org_news_2024_03_port"
    assert url_rel("https://example.org/") == "urls/example-org"


def test_a_bad_url_list_is_one_line(tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text("https://example.org/a\nnot a url\n", encoding="utf-8")
    r = batch(listing, tmp_path / "out")
    assert r.exit_code == 1 and "urls.txt:2: not an http(s) URL" in r.stderr and r.stderr.count("\n") == 1


def test_two_urls_with_one_file_name_each_keep_their_own_row(tmp_path, tiny_marian, pages):
    # http vs https, or a.html vs a: one output name; the first is translated, the second fails
    # on its own row (it used to overwrite the first's outcome: two identical rows in the index)
    from tarjim.batch import BatchOptions, scan_batch
    from tarjim.config import resolve_model

    first, second = f"{pages}/pages/wheat-harvest.html", f"{pages}/pages/wheat-harvest"
    assert url_rel(first) == url_rel(second)
    listing = tmp_path / "urls.txt"
    listing.write_text(f"{first}\n{second}\n", encoding="utf-8")
    scan = scan_batch(listing, tmp_path / "out", resolve_model(str(tiny_marian)), "lead", BatchOptions())
    assert len(set(scan.rels)) == 2
    assert [a.url for a in scan.todo] == [first]
    failed = [o for o in scan.outcomes.values() if o.status == "failed"]
    assert len(failed) == 1 and "already" in failed[0].message and failed[0].rel == second
