"""ROUGE of tarjim's summarizer against lead-3, on CNN/DailyMail test articles.

    python bench/summarize.py [--summarizer extractive] [--n 3] [--multi mean|max] [--limit N]

Reads ../shared/data/summarize/{summeval,realsumm}_cnndm_test.jsonl (or $TARJIM_SHARED)
and prints ROUGE-1 / ROUGE-2 / ROUGE-Lsum F1 (rouge-score, Porter stemmer; for Lsum the
sentences of both sides are joined with newlines) for the summarizer's points and for
lead-3, both from the same sentence split, in the same run, plus milliseconds per
article (summarize() only).  SummEval has 11 references per article: each score is
the mean over the references (--multi max: the best one), for both systems alike.
Exits 0 with a message when the shared data is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tarjim.brief import get_summarizer, split_sentences  # noqa: E402

FILES = ("summeval_cnndm_test.jsonl", "realsumm_cnndm_test.jsonl")
METRICS = ("rouge1", "rouge2", "rougeLsum")


def shared_dir() -> Path:
    return Path(os.environ.get("TARJIM_SHARED") or ROOT.parent / "shared")


def references(row: dict) -> list[str]:
    refs = row.get("references") or [row["reference"]]
    return [r for r in refs if r and r.strip()]


def rouge(scorer, prediction: list[str], refs: list[str], multi: str) -> list[float]:
    pred = "\n".join(prediction)
    scores = [scorer.score("\n".join(split_sentences(r)), pred) for r in refs]
    per_metric = [[s[m].fmeasure for s in scores] for m in METRICS]
    pick = max if multi == "max" else statistics.mean
    return [100 * pick(v) for v in per_metric]


def run_file(path: Path, summarizer, scorer, n: int, multi: str, limit: int | None) -> dict:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = rows[:limit] if limit else rows
    ours, lead, ms = [], [], []
    for row in rows:
        sentences = split_sentences(row["article"])
        refs = references(row)
        t0 = time.perf_counter()
        brief = summarizer.summarize(sentences, n=n)
        ms.append(1000 * (time.perf_counter() - t0))
        ours.append(rouge(scorer, [p.text for p in brief.points], refs, multi))
        lead.append(rouge(scorer, sentences[:n], refs, multi))
    mean = lambda table: [statistics.mean(col) for col in zip(*table)]  # noqa: E731
    return {
        "articles": len(rows),
        "ours": mean(ours),
        "lead": mean(lead),
        "ms": statistics.mean(ms),
        "ms_p95": sorted(ms)[int(0.95 * (len(ms) - 1))],
        "words": statistics.mean(len(r["article"].split()) for r in rows),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--summarizer", default=None, help="registry name (default: the registry's default)")
    ap.add_argument("--n", type=int, default=3, help="points per brief; lead-N uses the same N (default 3)")
    ap.add_argument("--multi", choices=("mean", "max"), default="mean", help="several references: mean or max")
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles of each file")
    args = ap.parse_args(argv)

    data = shared_dir() / "data" / "summarize"
    if not all((data / f).is_file() for f in FILES):
        print(f"skipped: the shared data is not at {data} (set TARJIM_SHARED to the shared folder)")
        return 0
    try:
        from rouge_score import rouge_scorer
    except ImportError:
        print("skipped: rouge-score is not installed (pip install 'tarjim[bench]')")
        return 0

    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    summarizer = get_summarizer(args.summarizer)
    print(
        f"summarizer {summarizer.name!r}, n={args.n}, ROUGE F1 (x100), "
        f"{args.multi} over references; lead-{args.n} from the same sentence split\n"
    )
    head = f"{'file':<26} {'system':<12} {'R-1':>6} {'R-2':>6} {'R-Lsum':>7} {'ms/article':>11}"
    print(head)
    print("-" * len(head))
    wins = []
    for f in FILES:
        r = run_file(data / f, summarizer, scorer, args.n, args.multi, args.limit)
        label = f"{f.split('_')[0]} ({r['articles']})"
        o, b = r["ours"], r["lead"]
        print(f"{label:<26} {summarizer.name:<12} {o[0]:6.2f} {o[1]:6.2f} {o[2]:7.2f} {r['ms']:8.2f} (p95 {r['ms_p95']:.1f})")
        print(f"{'':<26} {'lead-' + str(args.n):<12} {b[0]:6.2f} {b[1]:6.2f} {b[2]:7.2f}")
        d = [x - y for x, y in zip(o, b)]
        print(f"{'':<26} {'difference':<12} {d[0]:+6.2f} {d[1]:+6.2f} {d[2]:+7.2f}   ({r['words']:.0f} words/article)")
        wins.extend(x > 0 for x in d)
    print(f"\nabove lead-{args.n} on {sum(wins)} of {len(wins)} (file, metric) pairs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
