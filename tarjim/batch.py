"""Folders of articles into folders of Markdown: incremental (unchanged articles are
skipped), resumable (every file is written atomically, so a kill leaves no partial
.md), and failures stay per file."""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from tarjim import __version__
from tarjim.config import ModelSpec
from tarjim.document import Brief, Document, Translation
from tarjim.errors import InputError, TarjimError, UsageError
from tarjim.markdown import front_matter, table_cell, to_markdown
from tarjim.reading import is_url, read_bytes, source_from_bytes

_TMP_PREFIX = ".tarjim-"  # write_atomic's temporary files, and only they, are cleaned up
_TMP_GLOB = f"{_TMP_PREFIX}*.tmp"


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, fsync, then rename over it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f"{_TMP_PREFIX}{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


GROUP_SENTENCES = 64  # articles are written every ~64 sentences: a kill loses little work


DEFAULT_GLOBS = ("*.txt", "*.html", "*.htm")  # text and saved web pages


@dataclass(frozen=True)
class BatchOptions:
    glob: str | None = None  # None: DEFAULT_GLOBS
    recursive: bool = False
    bilingual: bool = False
    brief: bool = True
    summarizer: str | None = None
    engine: str | None = None
    beams: int | None = None
    force: bool = False
    glossary: str | None = None  # the glossary's sha256: a new glossary redoes the articles


@dataclass(frozen=True)
class Outcome:
    rel: str  # the article's path relative to IN_DIR
    status: str  # "translated" | "unchanged" | "failed" | "pending"
    out: str | None = None  # the .md, relative to OUT_DIR
    message: str = ""
    headline: str = ""
    segments: int = 0
    checks: tuple = ()  # (sentence index, its checks) for each sentence checked, in order
    flagged: int = 0  # sentences a check flagged (for an unchanged article: as its .md records)


@dataclass
class BatchProgress:
    """Callbacks the CLI draws with; the library never prints."""

    start: Callable[[int, int], None] = lambda articles, chunks: None  # to translate
    chunks: Callable[[int], None] = lambda n: None
    done: Callable[[Outcome], None] = lambda outcome: None


@dataclass(frozen=True)
class BatchReport:
    outcomes: tuple[Outcome, ...]
    index: Path
    cache_hits: int = 0

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failed(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.status == "failed")


@dataclass
class _Article:
    path: Path
    rel: str
    out: Path
    sha256: str = ""
    text: str = ""
    doc: Document | None = None
    extra: dict = field(default_factory=dict)
    url: str | None = None  # an article from a URL list, fetched
    source: object | None = None  # tarjim.document.Source: encoding, format, title, language…
    report: object | None = None  # tarjim.language.LanguageReport


def settings_key(spec: ModelSpec, options: BatchOptions, summarizer: str) -> str:
    """What decides an article's output besides its bytes (known without loading a model)."""
    parts = {
        "model": spec.name, "hub": spec.hub, "path": spec.path, "engine": options.engine or spec.engine,
        "beams": options.beams or spec.beams, "max_length": spec.max_length,
        "repetition_guard": spec.repetition_guard,
        "bilingual": options.bilingual, "brief": options.brief, "summarizer": summarizer if options.brief else None,
        "ct2": [os.environ.get(v, "") for v in ("TARJIM_CT2_COMPUTE", "TARJIM_CT2_SHORTLIST", "TARJIM_DEVICE")],
    }
    if options.glossary:
        parts["glossary"] = options.glossary
    from tarjim.models import pinned_revision

    if revision := pinned_revision(spec):  # after `models pull --update`, articles are redone
        parts["revision"] = revision
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


def read_front_matter(path: Path) -> dict | None:
    """The front matter of a .md tarjim wrote, or None (no front matter, or not ours)."""
    try:
        with path.open(encoding="utf-8") as f:
            return parse_front_matter(f)
    except (OSError, UnicodeDecodeError):
        return None


def parse_front_matter(lines) -> dict | None:
    """read_front_matter on lines (each ending in \\n): a file, or an object's text."""
    lines = iter(lines)
    if next(lines, None) != "---\n":
        return None
    fields = {}
    for line in lines:
        if line == "---\n":
            return fields if "tarjim" in fields else None
        key, _, raw = line.rstrip("\n").partition(": ")
        try:
            fields[key] = json.loads(raw)
        except ValueError:
            fields[key] = raw
    return None


def _inside(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


def find_articles(in_dir: Path, glob: str | None, recursive: bool) -> list[Path]:
    found = {p for g in ((glob,) if glob else DEFAULT_GLOBS) for p in (in_dir.rglob(g) if recursive else in_dir.glob(g))}
    return sorted(p for p in found if p.is_file() and not any(part.startswith(".") for part in p.relative_to(in_dir).parts))


def read_url_list(path: Path) -> list[str]:
    """URLs one a line; blank lines and # comments skipped. Anything else: InputError."""
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read the URL list ({getattr(e, 'strerror', None) or e})") from None
    urls = []
    for n, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not is_url(line):
            raise InputError(f"{path}:{n}: not an http(s) URL: {line[:80]}")
        urls.append(line)
    if not urls:
        raise InputError(f"{path}: no URLs in it (one a line)")
    return urls


def url_rel(url: str) -> str:
    """Where a URL's article goes: urls/<host>_<path>, a file name a reader recognises."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    path = re.sub(r"\.(html?|php|aspx?)$", "", parts.path.rstrip("/"))
    stem = f"{parts.netloc}{path}" + (f"_{parts.query}" if parts.query else "")
    stem = re.sub(r"[^\w-]+", "_", stem.replace(".", "-")).strip("_")[:120] or "page"  # no dot: .md is added
    return f"urls/{stem}"


def fetch_page(url: str):
    from tarjim.extract import fetch

    return fetch(url)


def read_article(label: str, data: bytes, path: str | None = None, page=None):
    """Bytes (or a fetched page) → (Source with its language facts, LanguageReport). Batch
    translates Arabic only: another language raises InputError naming it."""
    from tarjim.language import understand

    if page is not None:
        src = source_from_bytes(page.data, label, url=page.url, declared=page.charset, html=page.html)
    else:
        src = source_from_bytes(data, label, path=path)
    try:
        source, report, _ = understand(src, "marian")
    except InputError as e:  # translate's advice (--source, an NLLB model) is not batch's to give
        found = str(e).split("; ")[0]
        raise InputError(found + ("; tarjim batch translates Arabic only (`tarjim translate` takes "
                                  "other languages, one file at a time)" if "not Arabic" in found else "")) from None
    return source, report


def _out_path(out_dir: Path, rel: Path) -> Path:
    out = out_dir / rel.with_suffix(".md")
    if out == out_dir / "index.md":  # never collide with the index
        out = out_dir / (str(rel) + ".md")
    return out


def _natural(name: str) -> list:
    """a2 before a10, as a reader counts."""
    return [(0, int(p), "") if p.isdigit() else (1, 0, p.lower()) for p in re.split(r"(\d+)", name)]


def _link_text(text: str) -> str:
    return text.replace("[", "\\[").replace("]", "\\]")


def write_index(out_dir: Path, outcomes: list[Outcome], model: str,
                write: Callable[[Path, str], None] | None = None) -> Path:
    counts = {s: sum(1 for o in outcomes if o.status == s) for s in ("translated", "unchanged", "failed", "pending")}
    lines = [front_matter({"tarjim": __version__, "model": model, "articles": len(outcomes), **counts}).rstrip("\n"),
             "", "# Translations", "", "| article | headline | status |", "|---|---|---|"]
    for o in sorted(outcomes, key=lambda o: _natural(o.rel)):
        name = table_cell(o.rel)
        link = f"[{_link_text(name)}]({quote(Path(o.out).as_posix())})" if o.out and o.status in ("translated", "unchanged") else name
        status = o.status + (f": {o.message}" if o.message else "")
        lines.append(f"| {link} | {table_cell(o.headline) or '—'} | {table_cell(status)} |")
    path = out_dir / "index.md"
    (write or write_atomic)(path, "\n".join(lines) + "\n")
    return path


def run_batch(
    in_dir: Path,
    out_dir: Path,
    spec: ModelSpec,
    load_translator: Callable[[], object],
    summarize: Callable[[list[str]], Brief] | None,
    summarizer_name: str,
    options: BatchOptions = BatchOptions(),
    progress: BatchProgress | None = None,
    urls: list[str] | None = None,
    glossary=None,
) -> BatchReport:
    """Translate every article that changed since the last run; the model is loaded only
    if one did, once, and sentences of many articles share its batches. in_dir may be a
    file of URLs (one a line) instead of a folder; urls: more URLs to fetch."""
    from tarjim.pipeline import kept_paragraphs, model_info, plan_chunks

    progress = progress or BatchProgress()
    in_dir, out_dir = Path(in_dir), Path(out_dir)
    scan = scan_batch(in_dir, out_dir, spec, summarizer_name, options, urls)
    outcomes, todo, key = scan.outcomes, scan.todo, scan.key
    for o in outcomes.values():
        progress.done(o)
    translator = None
    cache_hits = 0
    try:
        if todo:
            translator = load_translator()
            # a first download pins the model's revision: the key the next run computes
            key = settings_key(spec, options, summarizer_name)
            plans = {a.rel: plan_chunks(a.doc, translator, kept_paragraphs(a.report)) for a in todo}
            progress.start(len(todo), sum(len(c) for plan in plans.values() for c in plan))
            info = model_info(translator)
            for group in _groups(todo):
                for o in translate_group(group, translator, info, key, summarize, summarizer_name, options, out_dir,
                                         progress.chunks, plans, glossary=glossary):
                    outcomes[o.rel] = o
                    progress.done(o)
    finally:
        ordered, index = finish_batch(scan, out_dir, spec)
        if translator is not None:
            cache_hits = getattr(translator, "hits", 0)
    return BatchReport(tuple(ordered), index, cache_hits)


@dataclass(frozen=True)
class Scan:
    """What a batch decided before loading any model: which articles are unchanged or
    failed already (outcomes), which to translate (todo, in order), under which settings."""

    rels: tuple[str, ...]  # every article, in the order of the index
    key: str
    outcomes: dict[str, Outcome]
    todo: list[_Article]


def scan_batch(in_dir: Path, out_dir: Path, spec: ModelSpec, summarizer_name: str, options: BatchOptions,
               urls: list[str] | None = None) -> Scan:
    """Check the folders, walk IN (or read its URL list), and decide per article: read or
    fetch, hash, skip check, segment."""
    in_dir, out_dir = Path(in_dir), Path(out_dir)
    url_list = in_dir.is_file()
    urls = (read_url_list(in_dir) if url_list else []) + list(urls or [])
    if not url_list and not in_dir.is_dir():
        raise InputError(f"{in_dir}: not a folder, nor a file of URLs")
    if not url_list and _inside(out_dir.resolve(), in_dir.resolve()):
        raise UsageError(f"the output folder {out_dir} is inside the input folder {in_dir}: tarjim never writes into it")
    if options.glob is not None and (
            not options.glob or Path(options.glob).is_absolute() or ".." in Path(options.glob).parts):
        raise UsageError(f"--glob {options.glob!r}: give a pattern relative to the input folder, e.g. '*.txt'")
    index = out_dir / "index.md"
    if index.exists() and read_front_matter(index) is None and not options.force:
        raise UsageError(f"{index} exists and was not written by tarjim (use --force to replace it)")
    files = [] if url_list else find_articles(in_dir, options.glob, options.recursive)
    pattern = options.glob or ", ".join(DEFAULT_GLOBS)
    if not files and not urls:
        raise InputError(f"{in_dir}: no files match {pattern!r}" + ("" if options.recursive else " (try --recursive)"))
    out_dir.mkdir(parents=True, exist_ok=True)
    clean_stale(None if url_list else in_dir, out_dir)

    key = settings_key(spec, options, summarizer_name)
    outcomes: dict[str, Outcome] = {}
    todo: list[_Article] = []
    in_root = in_dir.resolve()
    claimed: dict[str, str] = {}  # output → the article that has it
    items = [(path, str(path.relative_to(in_dir)), None) for path in files]
    rels = {rel for _, rel, _ in items}
    for u in dict.fromkeys(urls):  # a second URL with the same file name is listed (and fails) as itself
        rel = u if url_rel(u) in rels else url_rel(u)
        rels.add(rel)
        items.append((None, rel, u))
    for path, rel, url in items:
        art = _Article(path, rel, _out_path(out_dir, Path(url_rel(url) if url else rel)), url=url)
        out_rel = str(art.out.relative_to(out_dir))

        def fail(msg: str) -> None:
            outcomes[art.rel] = Outcome(art.rel, "failed", None, msg)

        if not url_list and _inside(art.out.resolve(), in_root):
            fail("its output would land inside the input folder")
            continue
        taken = claim(claimed, out_rel, art.rel)
        if taken:
            fail(taken)
            continue
        try:
            load_article(art)
        except InputError as e:
            fail(str(e).removeprefix(f"{url or art.rel}: ").removeprefix(f"{path}: "))
            continue
        if art.out.exists():
            fm = read_front_matter(art.out)
            if fm is None and not options.force:
                fail(f"{out_rel} exists and was not written by tarjim (use --force to replace it)")
                continue
            if fm and fm.get("sha256") == art.sha256 and fm.get("settings") == key and not options.force:
                outcomes[art.rel] = Outcome(art.rel, "unchanged", out_rel, headline=str(fm.get("headline") or ""),
                                            segments=int(fm.get("segments") or 0),
                                            flagged=fm.get("flagged") if isinstance(fm.get("flagged"), int) else 0)
                continue
        segment_article(art)
        todo.append(art)
    return Scan(tuple(rel for _, rel, _ in items), key, outcomes, todo)


def claim(claimed: dict[str, str], out_rel: str, rel: str) -> str | None:
    """Record that rel writes out_rel; or why it cannot: another article has it (a.txt
    and a.html both make a.md)."""
    if out_rel in claimed:
        return f"its output {out_rel} is already {claimed[out_rel]}'s (same name, other extension)"
    claimed[out_rel] = rel
    return None


def clean_stale(in_dir: Path | None, out_dir: Path) -> None:
    """Remove write_atomic's temporary files left in OUT by a run that was killed mid-write
    (never under IN, when IN is a folder)."""
    for stale in Path(out_dir).rglob(_TMP_GLOB):
        if in_dir is None or not _inside(stale.resolve(), Path(in_dir).resolve()):
            stale.unlink(missing_ok=True)


def load_article(art: _Article, read: Callable[[Path], bytes] = read_bytes) -> _Article:
    """The article's bytes (read, or fetched for a URL) → its sha256, Source (encoding,
    format, language…), language report and text. InputError when it cannot be read or
    decoded, or is not Arabic."""
    page = fetch_page(art.url) if art.url else None
    data = page.data if page else read(art.path)
    art.sha256 = hashlib.sha256(data).hexdigest()
    art.source, art.report = read_article(art.url or art.rel, data, art.rel, page)
    art.text = art.source.text
    return art


def segment_article(art: _Article) -> _Article:
    from tarjim.segment import segment

    art.doc = segment(art.text)
    return art


def finish_batch(scan: Scan, out_dir: Path, spec: ModelSpec, outcomes: dict[str, Outcome] | None = None,
                 write: Callable[[Path, str], None] | None = None) -> tuple[list[Outcome], Path]:
    """Every article's outcome in index order (those never reached are pending), and the index."""
    outcomes = scan.outcomes if outcomes is None else outcomes
    for art in scan.todo:
        outcomes.setdefault(art.rel, Outcome(art.rel, "pending", None, "not translated yet: run again"))
    ordered = [outcomes[rel] for rel in scan.rels]
    return ordered, write_index(out_dir, ordered, spec.name, write)


def translate_group(group: list[_Article], translator, info, key, summarize, summarizer_name, options, out_dir,
                    on_chunks=None, plans=None, write=None, glossary=None) -> list[Outcome]:
    """One batch of whole articles: translated together (foreign paragraphs kept, every
    sentence checked), then each briefed and written."""
    from tarjim.pipeline import translate_documents

    results = translate_documents([a.doc for a in group], translator, on_chunks,
                                  plans=[plans[a.rel] for a in group] if plans else None,
                                  reports=[a.report for a in group], glossary=glossary)
    return [_write_article(art, sentences, info, key, summarize, summarizer_name, options, out_dir, write)
            for art, sentences in zip(group, results)]


def _groups(articles: list[_Article]) -> list[list[_Article]]:
    groups: list[list[_Article]] = [[]]
    size = 0
    for a in articles:
        if groups[-1] and size + len(a.doc.sentences) > GROUP_SENTENCES:
            groups.append([])
            size = 0
        groups[-1].append(a)
        size += len(a.doc.sentences)
    return groups


def _write_article(art, sentences, info, key, summarize, summarizer_name, options, out_dir, write=None) -> Outcome:
    out_rel = str(art.out.relative_to(out_dir))
    try:
        from tarjim.pipeline import brief_texts

        brief = summarize(brief_texts(sentences)) if (summarize and options.brief) else None
        tr = Translation(art.doc, sentences, info, art.url or art.rel, art.sha256, brief, source=art.source)
        headline = brief.headline if brief else ""
        from tarjim.checks import flagged

        n_flagged = sum(1 for s in sentences if s.sentence.content and flagged(s.checks))
        extra = {"source": art.url or art.rel, "summarizer": summarizer_name if options.brief else None,
                 "bilingual": options.bilingual, "brief": options.brief, "settings": key, "headline": headline,
                 "flagged": n_flagged}
        if info.path:
            extra["path"] = info.path
        (write or write_atomic)(art.out, to_markdown(tr, bilingual=options.bilingual, brief=options.brief, extra=extra))
    except TarjimError as e:
        return Outcome(art.rel, "failed", None, str(e))
    except OSError as e:  # e.g. a file where a folder should be: this article fails, not the batch
        return Outcome(art.rel, "failed", None, f"cannot write {out_rel}: {e.strerror or e}")
    return Outcome(art.rel, "translated", out_rel, headline=headline, segments=len(sentences),
                   checks=tuple((s.sentence.index, s.checks) for s in sentences
                                if s.sentence.content and "foreign" not in s.flags),
                   flagged=n_flagged)
