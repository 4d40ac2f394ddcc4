"""Web pages → the article: a URL fetched (redirects followed, a timeout, a size cap,
text/html or text/plain only), and HTML reduced to its title, paragraphs, date and
author with trafilatura. Library code: returns data, raises InputError, never prints."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tarjim import __version__
from tarjim.errors import InputError

USER_AGENT = f"tarjim/{__version__} (offline Arabic-to-English news translator)"
FETCH_TIMEOUT_S = 20.0
MAX_BYTES = 10 * 1024 * 1024  # 10 MB: no news page is larger; a download that is, is not one
MAX_REDIRECTS = 10
_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


@dataclass(frozen=True)
class Page:
    """A fetched URL: its bytes, the final URL after redirects, the charset the server
    declared, and whether it is HTML: True by its type, None for text/plain (or no type,
    which urllib reports as text/plain): then the bytes decide."""

    data: bytes
    url: str
    charset: str | None
    html: bool | None


@dataclass(frozen=True)
class Article:
    text: str  # the title (if any) then the paragraphs, blank lines between
    title: str | None = None
    date: str | None = None
    author: str | None = None


def _opener():
    import urllib.request

    class Redirects(urllib.request.HTTPRedirectHandler):
        max_redirections = MAX_REDIRECTS
        max_repeats = 2

    return urllib.request.build_opener(Redirects)


def _mb(n: int) -> str:
    return f"{n / 2**20:.3g} MB"


def fetch(url: str, *, timeout: float | None = None, max_bytes: int | None = None) -> Page:
    """GET url → Page; every failure is one InputError line (exit 1)."""
    import http.client
    import socket
    import urllib.error
    import urllib.request

    timeout = FETCH_TIMEOUT_S if timeout is None else timeout
    cap = MAX_BYTES if max_bytes is None else max_bytes
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,text/plain;q=0.9"})
    try:
        with _opener().open(req, timeout=timeout) as resp:
            ctype = resp.headers.get_content_type()
            if ctype not in _TYPES:
                raise InputError(f"{url}: the server sent {ctype}, not a web page or text; tarjim reads text and HTML")
            length = resp.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > cap:
                raise InputError(f"{url}: the page is {_mb(int(length))}, over tarjim's {_mb(cap)} cap")
            data = resp.read(cap + 1)
            if len(data) > cap:
                raise InputError(f"{url}: the page is over tarjim's {_mb(cap)} cap")
            return Page(data, resp.geturl(), resp.headers.get_content_charset(), ctype != "text/plain" or None)
    except urllib.error.HTTPError as e:
        if 300 <= e.code < 400:
            raise InputError(f"{url}: too many redirects (a redirect loop?)") from None
        raise InputError(f"{url}: the server answered HTTP {e.code} {e.reason}") from None
    except urllib.error.URLError as e:
        reason = e.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise InputError(f"{url}: no answer within {timeout:g} s (timed out)") from None
        raise InputError(f"{url}: cannot fetch it ({getattr(reason, 'strerror', None) or reason})") from None
    except (TimeoutError, socket.timeout):
        raise InputError(f"{url}: no answer within {timeout:g} s (timed out)") from None
    except (http.client.HTTPException, ConnectionError, OSError, ValueError) as e:
        raise InputError(f"{url}: cannot fetch it ({str(e).strip() or type(e).__name__})") from None


def _clean(value) -> str | None:
    value = " ".join(str(value).split()) if value else ""
    return value or None


def _declared_date(date: str, html: str) -> bool:
    """A date is trusted when the page states it in a tag, not only when trafilatura
    inferred a year (which it reports as YYYY-01-01)."""
    if not date.endswith("-01-01"):
        return True
    return re.search(re.escape(date), html) is not None


MIN_ARTICLE_WORDS = 12  # fewer, in all, is a menu or an error page, not an article


def _lines(doc) -> list[str]:
    body = (getattr(doc, "text", None) or "") if doc is not None else ""
    return [line for line in (" ".join(x.split()) for x in body.splitlines()) if line]


def _is_article(lines: list[str]) -> bool:
    """Some running text: enough words, and at least one line that is a sentence, not a menu."""
    words = [len(line.split()) for line in lines]
    return sum(words) >= MIN_ARTICLE_WORDS and max(words, default=0) >= 6


def extract_article(html: str, label: str, url: str | None = None) -> Article:
    """The article in a web page: title (from its metadata), paragraphs, date, author.
    No article (an empty page, a page of links): InputError."""
    import trafilatura

    doc, lines = None, []
    # Precision first; an old table-layout page often yields nothing with it, so a second,
    # default pass follows. Layout tables are not article tables: tables stay out.
    for precision in (True, False):
        doc = trafilatura.bare_extraction(
            html, url=url, favor_precision=precision, include_comments=False,
            include_tables=False, with_metadata=True, deduplicate=False,
        )
        lines = _lines(doc)
        if _is_article(lines):
            break
    title = _clean(getattr(doc, "title", None)) if doc is not None else None
    if title and lines and lines[0] == title:
        lines = lines[1:]
    if not _is_article(lines):
        raise InputError(f"{label}: no article found in this web page")
    date = _clean(getattr(doc, "date", None))
    if date and not _declared_date(date, html):
        date = None
    author = _clean(getattr(doc, "author", None))
    text = "\n\n".join(([title] if title else []) + lines) + "\n"
    return Article(text, title, date, author)
