"""Markdown output against golden files (UPDATE_GOLDEN=1 rewrites them)."""

import os
from pathlib import Path

import pytest

from tarjim.document import Brief, BriefPoint, ModelInfo, SentenceTranslation, Translation
from tarjim.markdown import to_markdown
from tarjim.render import to_text
from tarjim.segment import segment

GOLDEN = Path(__file__).parent / "golden"
TEXT = "عنوان الخبر\n\nقالت القوات إنها صدت هجومين. وقال قيادي | ميداني إن الهجوم كان أقوى.\n\nمشاركة :"
ENGLISH = ["Headline of the news", "The forces said they repelled two attacks.",
           "A field commander | said the attack was stronger.", ""]


def fixed_translation() -> Translation:
    doc = segment(TEXT)
    assert len(doc.sentences) == len(ENGLISH)
    sents = tuple(
        SentenceTranslation(s, ENGLISH[i] if s.content else "", (), 5, 7, () if s.content else ("boilerplate",))
        for i, s in enumerate(doc.sentences)
    )
    brief = Brief("The forces repelled two attacks", (BriefPoint(ENGLISH[1], (1,)), BriefPoint(ENGLISH[2], (2,), ("unsupported_number",))), "extractive", (1,))
    model = ModelInfo("opus-mt-ar-en", "Helsinki-NLP/opus-mt-ar-en", None, "transformers", "marian", "CC-BY-4.0")
    return Translation(doc, sents, model, "news/a.txt", "0" * 64, brief, {"load_s": 1.0})


@pytest.mark.parametrize("name, kwargs", [("plain.md", {}), ("bilingual.md", {"bilingual": True}),
                                          ("no-brief.md", {"brief": False})])
def test_markdown_golden(name, kwargs, monkeypatch):
    monkeypatch.setattr("tarjim.markdown.__version__", "0.0.0")
    got = to_markdown(fixed_translation(), **kwargs)
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8")


def test_plain_text_keeps_paragraphs_and_drops_boilerplate():
    assert to_text(fixed_translation()) == (
        "Headline of the news\n\nThe forces said they repelled two attacks. A field commander | said the attack was stronger.\n"
    )


def test_markdown_golden_for_a_web_page_with_a_kept_paragraph(monkeypatch):
    """The front matter gains what was read (issue 11); a foreign paragraph is kept and marked."""
    from dataclasses import replace

    from tarjim.document import Dialect, Source

    monkeypatch.setattr("tarjim.markdown.__version__", "0.0.0")
    text = "عنوان الخبر\n\nقالت القوات إنها صدت هجومين.\n\n\"We will not stop,\" the commander said."
    doc = segment(text)
    english = ["Headline of the news", "The forces said they repelled two attacks.", None]
    sents = tuple(
        SentenceTranslation(s, english[i], (), 5, 7) if english[i] is not None
        else SentenceTranslation(s, s.text, (), 0, 0, ("foreign",), "en")
        for i, s in enumerate(doc.sentences)
    )
    sents = tuple(s if s.language else replace(s, language="ar") for s in sents)
    source = Source(text, None, "1" * 64, encoding="cp1256", format="url", url="https://example.org/news/1.html",
                    title="عنوان الخبر", date="2024-03-18", author="سلمى", language="ar", language_confidence=0.99,
                    dialect=Dialect(True, ("مش", "عايز"), "Egyptian"))
    model = ModelInfo("opus-mt-ar-en", "Helsinki-NLP/opus-mt-ar-en", None, "transformers", "marian", "CC-BY-4.0")
    tr = Translation(doc, sents, model, source.url, "1" * 64, None, {}, source=source)
    for name, kwargs in (("web-page.md", {}), ("web-page-bilingual.md", {"bilingual": True})):
        got = to_markdown(tr, brief=False, **kwargs)
        path = GOLDEN / name
        if os.environ.get("UPDATE_GOLDEN"):
            path.write_text(got, encoding="utf-8")
        assert got == path.read_text(encoding="utf-8")
