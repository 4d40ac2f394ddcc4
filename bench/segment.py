"""Benchmark tarjim.segment on its own news gold and the FLORES-200 devtest documents (../shared).

    python bench/segment.py [--errors N] [--repeat N] [--baghouz]

Scores sentence boundaries against the gold: a boundary is the character offset where a
sentence ends; the end of each document is left out (every method gets it right), as in
the reference points of ../shared/README.md (plain regex 0.920). Prints precision, recall,
F1 and the number of documents whose predicted sentences do not spell the text back, for
tarjim and two regex baselines computed in the same run: "regex" splits after . ! ? ؟
followed by white space, and at line breaks (../shared/README.md's reference); "regex+q"
is issue 10's rival, after a run of . ! ? ؟ … and its closing quotes when white space
follows, and at line breaks. First on tarjim's own news gold (tests/data), then on
FLORES-200, then on TICO-19 (held out: never tuned on); then speed in MB of UTF-8 text
per second on the FLORES text repeated.

FLORES and TICO-19 lines are translation units, and many hold several sentences. So the
bench also says how many of the boundaries the gold calls false fall inside a line whose
English original has as many sentence breaks, and scores again without those.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tarjim.segment import approx_tokens, chunk_sentence, segment, sentence_spans  # noqa: E402

SHARED = ROOT.parent / "shared"
GOLD = SHARED / "data" / "segment" / "flores200_devtest_docs.jsonl"
FLORES_MT = SHARED / "data" / "mt" / "flores200_devtest"
TICO = SHARED / "data" / "mt" / "tico19_ar_en"
BAGHOUZ = SHARED / "samples" / "baghouz.ar.txt"
NEWS_GOLD = ROOT / "tests" / "data" / "news_gold.jsonl"  # tarjim's own small news gold

Spans = list[tuple[int, int]]

# --- the baselines ----------------------------------------------------------------------------

_REGEX = re.compile(r"(?<=[.!?؟])\s+|\n")
# Issue 10's reference: after a run of . ! ? ؟ … and its closing quotes, when white space
# follows; and at line breaks.
_REGEX_Q = re.compile(r"(?<=[.!?؟…])[\"'»”’]*\s+|\n")


def _split_at(pattern: re.Pattern, text: str) -> Spans:
    """Trimmed pieces between the matches of pattern (a match's leading closing quotes
    stay with the piece before it)."""
    out, pos = [], 0
    for m in [*pattern.finditer(text), None]:
        end = m.start() if m else len(text)
        if m:
            end += len(m.group()) - len(m.group().lstrip("\"'»”’"))
        piece = text[pos:end]
        if piece.strip():
            out.append((pos + len(piece) - len(piece.lstrip()), pos + len(piece.rstrip())))
        pos = end if m else len(text)
    return out


def regex_spans(text: str) -> Spans:
    """The plain baseline: split after . ! ? ؟ followed by white space, and at line breaks."""
    return _split_at(_REGEX, text)


def regex_q_spans(text: str) -> Spans:
    """Issue 10's baseline: split after a run of . ! ? ؟ … and its closing quotes, when
    white space follows; and at line breaks."""
    return _split_at(_REGEX_Q, text)


# --- scoring -----------------------------------------------------------------------------------


def gold_lines(doc: dict) -> Spans:
    text, pos, out = doc["text"], 0, []
    for sentence in doc["sentences"]:
        sentence = sentence.strip()
        i = text.index(sentence, pos)
        pos = i + len(sentence)
        out.append((i, pos))
    return out


def loses_text(text: str, spans: Spans) -> bool:
    last = 0
    for s, e in spans:
        if s < last or e <= s:
            return True
        last = e
    return "".join("".join(text[s:e].split()) for s, e in spans) != "".join(text.split())


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(docs: list[dict], split) -> dict:
    tp = fp = fn = lost = 0
    errors = []
    for doc in docs:
        text = doc["text"]
        end = len(text.rstrip())
        gold = {e for _, e in gold_lines(doc)} - {end}
        spans = split(text)
        pred = {e for _, e in spans} - {end}
        tp, fp, fn = tp + len(gold & pred), fp + len(pred - gold), fn + len(gold - pred)
        lost += loses_text(text, spans)
        # a false boundary inside a gold line whose English original has a sentence break
        # is marked "fp" (likely a real sentence end in a translation unit), and listed last
        units = [(a, b) for (a, b), en in zip(gold_lines(doc), doc.get("english", ()), strict=False)
                 if english_breaks(en)]
        for kind, where in (("FP", pred - gold), ("FN", gold - pred)):
            for b in sorted(where):
                if kind == "FP" and any(a < b < e for a, e in units):
                    kind = "fp"
                context = f"{text[max(0, b - 50):b]}‖{text[b:b + 30]}".replace("\n", "⏎")
                errors.append(f"{kind} {doc['doc_id']}: …{context}…")
    errors.sort(key=lambda line: line.startswith("fp"))
    p, r, f = _prf(tp, fp, fn)
    return {"precision": p, "recall": r, "f1": f, "fp": fp, "fn": fn, "lost": lost, "errors": errors}


# English sentence breaks: a terminal mark (and closing quotes) before white space and a
# capital, digit or opening quote, or glued to a capitalised word; not after a title, an
# initial or a dotted initialism. Conservative: it misses some breaks, never invents many.
_EN_BREAK = re.compile(
    r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"“'(\[]?[A-Z0-9])|(?<=[a-z0-9)%][.!?])(?=[A-Z][a-z])"
    r"|(?<=[a-z][.!?][\"”])(?=[A-Z][a-z])"
)
_EN_ABBR = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Mt|Jr|Sr|Gen|Lt|Col|Capt|Gov|Sen|Rep|Rev|No|vs|etc|Inc|Ltd|Co|"
    r"Corp|Jan|Feb|Mar|Apr|Aug|Sep|Sept|Oct|Nov|Dec)|\b[A-Z]|(?:\b[A-Za-z]\.)+[A-Za-z])\.$"
)


def english_breaks(line: str) -> int:
    """Sentence breaks inside one English line."""
    return sum(not _EN_ABBR.search(line[: m.start()].rstrip("\"'”’)] ")) for m in _EN_BREAK.finditer(line))


def translation_unit_check(docs: list[dict], split) -> dict:
    """How many of the predicted boundaries that the gold calls false fall inside a gold
    line whose English original has at least as many sentence breaks: the line is then a
    translation unit of several sentences, and the boundary a real sentence end. Scores
    again without counting those (they are left out, not counted as right)."""
    tp = fp = fn = excused = 0
    for doc in docs:
        text, lines = doc["text"], gold_lines(doc)
        end = len(text.rstrip())
        gold = {e for _, e in lines} - {end}
        pred = {e for _, e in split(text)} - {end}
        tp, fn = tp + len(gold & pred), fn + len(gold - pred)
        false = pred - gold
        fp += len(false)
        for (a, b), english in zip(lines, doc["english"], strict=True):
            excused += min(english_breaks(english), sum(a < x < b for x in false))
    p, r, f = _prf(tp, fp - excused, fn)
    return {"fp": fp, "excused": excused, "precision": p, "recall": r, "f1": f}


# --- data ----------------------------------------------------------------------------------------


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def flores_docs() -> list[dict]:
    return read_jsonl(GOLD)


def news_gold_docs() -> list[dict]:
    """tests/data/news_gold.jsonl: 25 news paragraphs written for tarjim's tests, one
    sentence a gold line (quotations split as news gold splits them)."""
    return read_jsonl(NEWS_GOLD)


def attach_english(docs: list[dict]) -> bool:
    """Give each FLORES document the English original of each of its lines."""
    ar_path, en_path = FLORES_MT / "arb_Arab.devtest", FLORES_MT / "eng_Latn.devtest"
    if not (ar_path.is_file() and en_path.is_file()):
        return False
    arabic = [line.strip() for line in ar_path.read_text(encoding="utf-8").splitlines()]
    english = dict(zip(arabic, en_path.read_text(encoding="utf-8").splitlines(), strict=True))
    for doc in docs:
        doc["english"] = [english.get(s.strip(), "") for s in doc["sentences"]]
    return True


_ENDS_SENTENCE = re.compile(r"[.!?؟…][\"'”»)\]]*$")


def tico_docs() -> list[dict]:
    """TICO-19 test regrouped into its 19 documents the way the FLORES file is built: a
    space after a line that ends in terminal punctuation, a line break after one that does
    not. (COVID-19 Wikipedia, Wikinews, PubMed, Wikisource: a held-out check.)"""
    lines = (TICO / "tico19-test.ar").read_text(encoding="utf-8").splitlines()
    english = (TICO / "tico19-test.en").read_text(encoding="utf-8").splitlines()
    info = (TICO / "tico19-test.en.info").read_text(encoding="utf-8").splitlines()
    docs: dict[str, list[tuple[str, str]]] = {}
    for line, en, meta in zip(lines, english, info, strict=True):
        if line.strip():
            docs.setdefault(meta.split(":")[0], []).append((line.strip(), en))
    out = []
    for doc_id, pairs in docs.items():
        text = "".join(s + (" " if _ENDS_SENTENCE.search(s) else "\n") for s, _ in pairs).rstrip()
        out.append({"doc_id": doc_id, "text": text, "sentences": [s for s, _ in pairs],
                    "english": [e for _, e in pairs]})
    return out


# --- report ----------------------------------------------------------------------------------------


SPLITTERS = (("tarjim", sentence_spans), ("regex", regex_spans), ("regex+q", regex_q_spans))


def report(name: str, docs: list[dict], errors: int) -> None:
    """Scores of tarjim and the two regex baselines; excused scores where the documents
    carry their English originals."""
    scores = {who: score(docs, split) for who, split in SPLITTERS}
    print(f"{name}: {len(docs)} documents, {sum(len(d['sentences']) for d in docs)} gold lines")
    print(f"  {'':8} {'F1':>6} {'prec':>6} {'recall':>6} {'FP':>4} {'FN':>4}  docs losing text"
          + ("  | excused: F1   prec  (FP excused)" if "english" in docs[0] else ""))
    for who, split in SPLITTERS:
        s = scores[who]
        line = (f"  {who:8} {s['f1']:6.3f} {s['precision']:6.3f} {s['recall']:6.3f} {s['fp']:4d} {s['fn']:4d}"
                f"  {s['lost']:<16}")
        if "english" in docs[0]:
            u = translation_unit_check(docs, split)
            line += f"  |       {u['f1']:5.3f} {u['precision']:5.3f}  ({u['excused']} of {u['fp']})"
        print(line.rstrip())
    if "english" in docs[0]:
        print("  excused: false boundaries inside gold lines whose English original has as many sentence")
        print("  breaks are left out (the line is a translation unit of several sentences)")
    ours = scores["tarjim"]
    if errors and ours["errors"]:
        print(f"  first {errors} of {len(ours['errors'])} errors:")
        for line in ours["errors"][:errors]:
            print("   ", line)


def speed(text: str, fn, min_seconds: float = 1.0) -> float:
    size = len(text.encode("utf-8")) / 1e6
    runs, t0 = 0, time.perf_counter()
    while True:
        fn(text)
        runs += 1
        elapsed = time.perf_counter() - t0
        if elapsed >= min_seconds:
            return size * runs / elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", type=int, default=0, help="print the first N boundary errors")
    ap.add_argument("--repeat", type=int, default=20, help="copies of the FLORES text for the speed test")
    ap.add_argument("--baghouz", action="store_true", help="print the sentences of the Baghouz article")
    args = ap.parse_args()

    report("tarjim's news gold (tests/data/news_gold.jsonl)", news_gold_docs(), args.errors)
    if not GOLD.is_file():
        print(f"segment bench: {GOLD} is absent (../shared is not there); nothing more to score.")
        return 0
    docs = flores_docs()
    attach_english(docs)
    report("FLORES-200 devtest", docs, args.errors)
    if (TICO / "tico19-test.ar").is_file():
        report("TICO-19 test (held out)", tico_docs(), args.errors)

    corpus = "\n\n".join(d["text"] for d in docs)
    big = "\n\n".join([corpus] * args.repeat)
    mb = len(big.encode("utf-8")) / 1e6
    seg_speed, regex_speed = speed(big, segment), speed(big, regex_spans)
    t0 = time.perf_counter()
    for s in segment(big).sentences:
        chunk_sentence(s.text, s.start, 24)
    chunk_speed = mb / (time.perf_counter() - t0)
    print(f"speed on {mb:.1f} MB (FLORES x{args.repeat}): segment {seg_speed:.2f} MB/s "
          f"(regex {regex_speed:.2f} MB/s); chunk_sentence, 24-token budget: {chunk_speed:.2f} MB/s")

    if args.baghouz and BAGHOUZ.is_file():
        text = BAGHOUZ.read_text(encoding="utf-8")
        print(f"\n{BAGHOUZ.name}:")
        for s in segment(text).sentences:
            print(f"  [{s.index}] {s.text}{'' if s.content else '   [boilerplate]'}")
            chunks = chunk_sentence(s.text, s.start, 48)
            if len(chunks) > 1:
                for c in chunks:
                    print(f"       · ({approx_tokens(c.text)}) {c.text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
