"""Every input case of issue 11, through the CLI on tiny real models: the right exit code,
one clear line, and nothing half-written."""

import json

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from http_fixture import pages  # noqa: F401  (the fixture)
from tarjim import extract
from tarjim.cli import app
from test_language import ARABIC as NEWS  # the texts the detector is tested on
from test_language import ENGLISH, PERSIAN, URDU

runner = CliRunner()
PAGES = ROOT / "tests" / "data" / "pages"

EGYPTIAN = ("أنا مش عارف الحكومة عايزة إيه بالظبط من الناس دلوقتي.\n"
            "كل يوم الأسعار بتزيد كده ومفيش حد بيسأل فينا.\n"
            "إمبارح رحت السوق والطماطم بقت غالية أوي.")
QUOTE = "Water scarcity is no longer a distant threat for this region, the report's authors said on Monday."


def run(*args, input=None):
    return runner.invoke(app, [str(a) for a in args], input=input)


def translate_json(path, model, *extra):
    r = run("translate", path, "-m", model, "--beams", "1", "-f", "json", *extra)
    return r, (json.loads(r.stdout) if r.exit_code == 0 else None)


def write(tmp_path, name, data: bytes):
    p = tmp_path / name
    p.write_bytes(data)
    return p


def assert_refused(r, *needles, code=1, out=None):
    assert r.exit_code == code, r.output
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr, r.stderr
    for n in needles:
        assert n in r.stderr, r.stderr
    assert r.stdout == ""
    if out is not None:
        assert not out.exists()  # nothing half-written


@pytest.mark.parametrize("codec", ["cp1256", "iso-8859-6"])
def test_windows_1256_and_iso_8859_6_are_decoded_with_a_notice(tmp_path, tiny_marian, codec):
    r, data = translate_json(write(tmp_path, "a.txt", NEWS.encode(codec)), tiny_marian)
    assert r.exit_code == 0, r.output
    assert f"as {codec}" in r.stderr
    assert data["source"]["encoding"] == codec and data["source"]["format"] == "text"
    assert [s["source"] for s in data["segments"]][0].startswith("أعلنت")


def test_utf16_without_bom(tmp_path, tiny_marian):
    r, data = translate_json(write(tmp_path, "a.txt", NEWS.encode("utf-16-le")), tiny_marian)
    assert r.exit_code == 0, r.output
    assert data["source"]["encoding"] == "utf-16-le" and data["paragraphs"] == 2


def test_forced_encoding(tmp_path, tiny_marian):
    p = write(tmp_path, "a.txt", NEWS.encode("cp1256"))
    r, data = translate_json(p, tiny_marian, "--encoding", "cp1256")
    assert r.exit_code == 0 and data["source"]["encoding"] == "cp1256"
    assert "read" not in r.stderr  # asked for, so no notice
    assert_refused(run("translate", p, "-m", tiny_marian, "--encoding", "utf-8"), "not valid utf-8")


def test_saved_web_page(tiny_marian):
    r, data = translate_json(PAGES / "port-expansion.html", tiny_marian)
    assert r.exit_code == 0, r.output
    src = data["source"]
    assert src["format"] == "html" and src["title"] == "توسعة ميناء العقبة تبدأ الشهر المقبل"
    assert src["date"] == "2024-03-18" and src["author"] == "سلمى الحسيني" and src["url"] is None
    assert data["paragraphs"] == 7  # the title and six paragraphs
    joined = " ".join(s["source"] for s in data["segments"])
    assert "فيسبوك" not in joined and "التعليقات" not in joined and "dataLayer" not in joined


def test_markdown_front_matter_has_the_page_facts(tiny_marian):
    r = run("translate", PAGES / "quoted-english.html", "-m", tiny_marian, "--beams", "1", "-f", "markdown")
    assert r.exit_code == 0, r.output
    head = r.stdout.split("---\n")[1]
    assert 'format: "html"' in head and 'title: "الأمم المتحدة' in head and 'date: "2023-11-02"' in head
    assert 'language: "ar"' in head and 'encoding: "utf-8"' in head
    assert "kept in English (en), not translated" in r.stdout


@pytest.mark.parametrize("text, needle", [(ENGLISH, "this looks like English (en), not Arabic"),
                                          (PERSIAN, "this looks like Persian (fa), not Arabic"),
                                          (URDU, "this looks like Urdu (ur), not Arabic")])
def test_not_arabic_is_refused_naming_the_language(tmp_path, tiny_marian, text, needle):
    out = tmp_path / "out.json"
    r = run("translate", write(tmp_path, "a.txt", text.encode()), "-m", tiny_marian, "-f", "json", "-o", out)
    assert_refused(r, needle, out=out)


@pytest.mark.parametrize("text, code, lang", [(PERSIAN, "pes_Arab", "fa"), (URDU, "urd_Arab", "ur")])
def test_nllb_translates_persian_and_urdu(tmp_path, tiny_nllb, text, code, lang):
    r, data = translate_json(write(tmp_path, "a.txt", text.encode()), tiny_nllb)
    assert r.exit_code == 0, r.output
    assert f"translating it from {code}, not Arabic" in r.stderr
    assert data["source"]["language"] == lang and data["model"]["family"] == "nllb"
    assert all(s["language"] == lang and s["translation"] for s in data["segments"])


def test_source_ar_overrides_the_check(tmp_path, tiny_marian):
    r, data = translate_json(write(tmp_path, "a.txt", ENGLISH.encode()), tiny_marian, "--source", "ar")
    assert r.exit_code == 0, r.output
    assert data["source"]["language"] == "ar" and data["source"]["detected_language"] == "en"
    assert all("foreign" not in s["flags"] for s in data["segments"])


def test_source_fa_needs_nllb(tmp_path, tiny_marian):
    r = run("translate", write(tmp_path, "a.txt", PERSIAN.encode()), "-m", tiny_marian, "--source", "fa")
    assert_refused(r, "--source fa: this model translates only from Arabic", code=2)


def test_egyptian_colloquial_is_translated_with_a_warning(tmp_path, tiny_marian):
    r, data = translate_json(write(tmp_path, "a.txt", EGYPTIAN.encode()), tiny_marian)
    assert r.exit_code == 0, r.output
    assert "warning:" in r.stderr and "colloquial Arabic, Egyptian by its words (a guess)" in r.stderr
    d = data["source"]["dialect"]
    assert d["flagged"] and d["region_guess"] == "Egyptian" and "مش" in d["markers"]


def test_english_paragraph_in_an_arabic_article_is_kept(tmp_path, tiny_marian):
    text = NEWS + "\n\n" + QUOTE + "\n\nوأضاف الوزير أن العمل سيبدأ في الشهر المقبل."
    r, data = translate_json(write(tmp_path, "a.txt", text.encode()), tiny_marian)
    assert r.exit_code == 0, r.output
    assert "1 paragraph(s) in English (en) kept as they are" in r.stderr
    segs = data["segments"]
    kept = [s for s in segs if s["paragraph"] == 2]
    assert kept and all(s["language"] == "en" and s["translation"] == s["source"] and s["flags"] == ["foreign"]
                        and s["chunks"] == [] for s in kept)
    assert all(s["language"] == "ar" and s["chunks"] for s in segs if s["paragraph"] != 2)
    assert data["source"]["language"] == "ar" and 0.5 < data["source"]["language_confidence"] <= 1


def test_mixed_script_file(tmp_path, tiny_marian):
    text = NEWS + "\n\nPARIS (AFP) - Le gouvernement français a annoncé lundi un nouveau plan.\n\n" + QUOTE
    r, data = translate_json(write(tmp_path, "a.txt", text.encode()), tiny_marian)
    assert r.exit_code == 0, r.output
    assert [s["language"] for s in data["segments"] if s["paragraph"] >= 2] == ["fr", "en"]


@pytest.mark.parametrize("data", [b"123 456\n\n789", "١٢٣ ... !!! ؟ — 2024".encode()])
def test_only_digits_or_punctuation(tmp_path, tiny_marian, data):
    assert_refused(run("translate", write(tmp_path, "n.txt", data), "-m", tiny_marian),
                   "only digits or punctuation")


def test_empty_web_page(tiny_marian):
    assert_refused(run("translate", PAGES / "no-article.html", "-m", tiny_marian),
                   "no-article.html: no article found in this web page")


@pytest.mark.parametrize("name, data, kind", [
    ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF file; tarjim reads text and HTML"),
    ("letter.docx", None, "a DOCX (Word) document; tarjim reads text and HTML"),
])
def test_pdf_and_docx(tmp_path, tiny_marian, name, data, kind):
    if data is None:
        from test_reading import _docx

        data = _docx()
    out = tmp_path / "out.md"
    assert_refused(run("translate", write(tmp_path, name, data), "-m", tiny_marian, "-o", out), kind, out=out)


def test_url(pages, tiny_marian):
    r, data = translate_json(f"{pages}/pages/wheat-harvest.html", tiny_marian)
    assert r.exit_code == 0, r.output
    src = data["source"]
    assert src["format"] == "url" and src["url"] == f"{pages}/pages/wheat-harvest.html"
    assert src["path"] == src["url"] and src["title"].startswith("موسم حصاد القمح")


@pytest.mark.parametrize("route, needle", [
    ("/gone", "the server answered HTTP 404"),
    ("/loop-a", "too many redirects (a redirect loop?)"),
    ("/huge-declared", "over tarjim's 10 MB cap"),
    ("/slow", "timed out"),
])
def test_url_failures(pages, tiny_marian, monkeypatch, tmp_path, route, needle):
    monkeypatch.setattr(extract, "FETCH_TIMEOUT_S", 0.3)
    out = tmp_path / "out.md"
    assert_refused(run("translate", f"{pages}{route}", "-m", tiny_marian, "-o", out), needle, out=out)


def test_terminal_marks_foreign_paragraphs(tmp_path, tiny_marian, monkeypatch):
    import tarjim.cli

    monkeypatch.setattr(tarjim.cli, "_stdout_is_terminal", lambda: True)
    text = NEWS + "\n\n" + QUOTE
    r = run("translate", write(tmp_path, "a.txt", text.encode()), "-m", tiny_marian, "--beams", "1", "--no-brief")
    assert r.exit_code == 0, r.output
    assert "⚠ kept in English (en), not translated" in r.stdout
    assert QUOTE[:40] in r.stdout
