"""Web pages → articles, and URLs fetched from a server on 127.0.0.1 (tests/http_fixture.py)."""

import pytest

from conftest import ROOT
from http_fixture import Handler, pages  # noqa: F401  (the fixture)
from tarjim import extract
from tarjim.errors import InputError
from tarjim.reading import read_source

PAGES = ROOT / "tests" / "data" / "pages"
CHROME = ("الرئيسية", "التعليقات", "شارك", "فيسبوك", "الأكثر قراءة", "جميع الحقوق", "اقرأ أيضا", "إعلان",
          "أضف تعليقك", "نتمنى", "اشترك", "مواضيع ذات صلة", "تعليقات القراء", "ملفات تعريف الارتباط")


@pytest.mark.parametrize("name, title, date, author, paragraphs", [
    ("port-expansion.html", "توسعة ميناء العقبة تبدأ الشهر المقبل", "2024-03-18", "سلمى الحسيني", 6),
    ("quoted-english.html", "الأمم المتحدة تحذر من نقص المياه في الإقليم", "2023-11-02", "كريم منصور", 6),
    ("hospital-table-cp1256.html", "افتتاح مستشفى جديد في مدينة صفاقس", None, None, 5),
    ("wheat-harvest.html", "موسم حصاد القمح يتجاوز التوقعات في سهل البقاع", "2022-06-27", "نادين حداد", 6),
])
def test_news_pages_become_their_article(name, title, date, author, paragraphs):
    s = read_source(str(PAGES / name))
    assert s.format == "html" and s.title == title and s.date == date and s.author == author
    blocks = s.text.strip().split("\n\n")
    assert blocks[0] == title and title not in blocks[1]  # the title once, first
    assert len(blocks) - 1 >= paragraphs  # every paragraph of the article…
    for word in CHROME:  # …and no menu, share button, sidebar, comment or footer
        assert word not in s.text, (name, word)
    assert "<" not in s.text and "{" not in s.text  # no tags, no script, no JSON-LD


def test_windows_1256_page_is_decoded_by_its_meta_charset():
    s = read_source(str(PAGES / "hospital-table-cp1256.html"))
    assert s.encoding == "cp1256" and "مستشفى" in s.text
    assert s.date is None  # trafilatura says 2009-01-01 from the year alone: no tag states it


def test_a_page_without_an_article_is_refused():
    with pytest.raises(InputError, match="no article found in this web page"):
        read_source(str(PAGES / "no-article.html"))


def test_html_text_without_html_suffix(tmp_path):
    p = tmp_path / "saved.txt"
    p.write_bytes((PAGES / "port-expansion.html").read_bytes())
    s = read_source(str(p))
    assert s.format == "html" and s.title.startswith("توسعة")


def test_html_text_in_utf16_without_bom(tmp_path):
    p = tmp_path / "saved.txt"
    p.write_bytes((PAGES / "port-expansion.html").read_text(encoding="utf-8").encode("utf-16-le"))
    s = read_source(str(p))
    assert s.format == "html" and s.encoding == "utf-16-le" and "<" not in s.text


def test_url_is_fetched_with_user_agent_and_redirects(pages):
    s = read_source(f"{pages}/moved")
    assert s.format == "url" and s.url == f"{pages}/pages/port-expansion.html"  # where the redirect led
    assert s.title == "توسعة ميناء العقبة تبدأ الشهر المقبل" and s.path is None
    assert Handler.seen_agents and all(a.startswith("tarjim/") for a in Handler.seen_agents)


def test_plain_text_url(pages):
    s = read_source(f"{pages}/plain")
    assert s.format == "url" and s.title is None and "المزارعين" in s.text


def test_a_page_served_without_a_type_is_still_a_web_page(pages):
    s = read_source(f"{pages}/untyped")
    assert s.format == "url" and s.title.startswith("توسعة") and "<" not in s.text


@pytest.mark.parametrize("route, message", [
    ("/nowhere", "the server answered HTTP 404"),
    ("/loop-a", "too many redirects"),
    ("/report.pdf", "the server sent application/pdf"),
    ("/huge-declared", "over tarjim's 10 MB cap"),
])
def test_url_failures_are_one_line(pages, route, message):
    with pytest.raises(InputError, match=message) as e:
        read_source(f"{pages}{route}")
    assert "\n" not in str(e.value) and str(e.value).startswith(f"{pages}{route}: ")


def test_size_cap_holds_without_content_length(pages, monkeypatch):
    monkeypatch.setattr(extract, "MAX_BYTES", 100_000)
    with pytest.raises(InputError, match="over tarjim's 0.0954 MB cap"):
        read_source(f"{pages}/huge")


def test_timeout(pages, monkeypatch):
    monkeypatch.setattr(extract, "FETCH_TIMEOUT_S", 0.3)
    with pytest.raises(InputError, match="timed out"):
        read_source(f"{pages}/slow")


def test_nothing_listening():
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(InputError, match="cannot fetch it"):
        read_source(f"http://127.0.0.1:{port}/x")
