"""Benchmark the reading stage: bytes → text (reading.py), web page → article (extract.py),
language of the document and its paragraphs and dialect markers (language.py) — the cost
per article, before a word is translated.

    python bench/reading.py [--repeat N] [--accuracy]

Articles: the three samples/ articles (UTF-8 and cp1256), "long" articles of ~4,000
characters (FLORES-200 documents from ../shared joined, where present), and the four news
pages in tests/data/pages (HTML, with navigation, comments, JSON-LD). Each is read from
bytes and identified REPEAT times; prints the median and the 95th percentile in ms, after a
warm-up that loads the detector and trafilatura once (their one-time cost is printed too).

--accuracy (needs ../shared): the language and dialect figures the README cites — FLORES
documents and Arabic/English sentences, the FLORES documents in cp1256/ISO-8859-6/UTF-16
without a BOM, and dialect warnings on FLORES (MSA) and on 5-line passages of the Tatoeba
sentences labelled Egyptian (arz), Algerian (arq) and MSA (ara).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHARED = ROOT.parent / "shared"
DOCS = SHARED / "data" / "segment" / "flores200_devtest_docs.jsonl"
FLORES = SHARED / "data" / "mt" / "flores200_devtest"
TATOEBA = SHARED / "data" / "mt" / "tatoeba_ara_eng"


def articles() -> list[tuple[str, str, bytes]]:
    """(kind, name, bytes)."""
    out = []
    for p in sorted((ROOT / "samples").glob("*.ar.txt")):
        text = p.read_text(encoding="utf-8")
        out.append(("text utf-8", p.name, text.encode()))
        out.append(("text cp1256", p.name, text.encode("cp1256", errors="ignore")))
    if DOCS.is_file():
        texts = [json.loads(line)["text"] for line in DOCS.read_text(encoding="utf-8").splitlines()]
        joined, buf = [], []
        for t in texts:
            buf.append(t)
            if sum(map(len, buf)) >= 4000:
                joined.append("\n\n".join(buf))
                buf = []
        for i, t in enumerate(joined[:10]):
            out.append(("long text utf-8", f"flores-{i}", t.encode()))
    for p in sorted((ROOT / "tests" / "data" / "pages").glob("*.html")):
        if p.name != "no-article.html":
            out.append(("html page", p.name, p.read_bytes()))
    return out


def read_and_identify(data: bytes, name: str):
    from tarjim.language import understand
    from tarjim.reading import source_from_bytes

    path = name if name.endswith(".html") else None
    return understand(source_from_bytes(data, name, path=path), "marian")


def speed(repeat: int) -> None:
    t0 = time.perf_counter()
    from tarjim.language import identify

    identify("نص عربي قصير للتحميل.")
    t1 = time.perf_counter()
    from tarjim.extract import extract_article

    extract_article((ROOT / "tests/data/pages/port-expansion.html").read_text(encoding="utf-8"), "warm-up")
    t2 = time.perf_counter()
    print(f"one-time: detector import + model load {1000 * (t1 - t0):.0f} ms, trafilatura import + first page "
          f"{1000 * (t2 - t1):.0f} ms")
    rows: dict[str, list[float]] = {}
    sizes: dict[str, list[int]] = {}
    for kind, name, data in articles():
        read_and_identify(data, name)  # warm
        for _ in range(repeat):
            t = time.perf_counter()
            read_and_identify(data, name)
            rows.setdefault(kind, []).append(1000 * (time.perf_counter() - t))
        sizes.setdefault(kind, []).append(len(data))
    print(f"{'input':<18}{'articles':>9}{'bytes (mean)':>14}{'median ms':>11}{'p95 ms':>9}")
    for kind, ms in rows.items():
        ms.sort()
        p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
        print(f"{kind:<18}{len(sizes[kind]):>9}{statistics.mean(sizes[kind]):>14,.0f}"
              f"{statistics.median(ms):>11.1f}{p95:>9.1f}")


def accuracy() -> None:
    from tarjim.language import dialect_markers, identify
    from tarjim.reading import decode_bytes

    if not DOCS.is_file():
        sys.exit("--accuracy needs ../shared")
    docs = [json.loads(line)["text"] for line in DOCS.read_text(encoding="utf-8").splitlines()]
    ar = (FLORES / "arb_Arab.devtest").read_text(encoding="utf-8").splitlines()
    en = (FLORES / "eng_Latn.devtest").read_text(encoding="utf-8").splitlines()
    print(f"FLORES documents identified as Arabic: {sum(identify(t).arabic for t in docs)}/{len(docs)}; "
          f"with a paragraph kept as foreign: {sum(bool(identify(t).foreign) for t in docs)}")
    print(f"FLORES Arabic sentences identified as Arabic: {sum(identify(s).arabic for s in ar)}/{len(ar)}")
    print(f"FLORES English sentences identified as Arabic: {sum(identify(s).arabic for s in en)}/{len(en)}")
    for codec in ("cp1256", "iso-8859-6", "utf-16-le", "utf-16-be"):
        ok = 0
        for t in docs:
            data = t.encode(codec, errors="ignore")
            ok += decode_bytes(data, "x").text == data.decode(codec).replace("\r\n", "\n")
        print(f"FLORES documents in {codec} (no BOM) decoded exactly: {ok}/{len(docs)}")
    utf8 = sum(decode_bytes(t.encode(), "x").encoding == "utf-8" for t in docs)
    print(f"FLORES documents in UTF-8 read as UTF-8: {utf8}/{len(docs)}")
    print(f"FLORES documents (MSA) warned as dialect: {sum(dialect_markers(t).flagged for t in docs)}/{len(docs)}")
    src = (TATOEBA / "tatoeba-test-v2021-08-07.ara").read_text(encoding="utf-8").splitlines()
    labels = [line.split("\t")[0].strip() for line in
              (TATOEBA / "tatoeba-test-v2021-08-07.ara.labels").read_text(encoding="utf-8").splitlines()]
    for code in ("arz", "arq", "ara"):
        lines = [s for s, lab in zip(src, labels) if lab == code]
        passages = ["\n".join(lines[i:i + 5]) for i in range(0, len(lines) - 4, 5)]
        found = [dialect_markers(p) for p in passages]
        regions: dict[str, int] = {}
        for d in found:
            if d.flagged and d.region:
                regions[d.region] = regions.get(d.region, 0) + 1
        print(f"Tatoeba {code}: {sum(d.flagged for d in found)}/{len(passages)} five-line passages warned; "
              f"region guessed: {regions}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--accuracy", action="store_true")
    args = ap.parse_args()
    speed(args.repeat)
    if args.accuracy:
        accuracy()


if __name__ == "__main__":
    main()
