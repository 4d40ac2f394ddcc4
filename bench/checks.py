"""How often tarjim's source-vs-English checks cry wolf, and how often they catch planted errors.

    python bench/checks.py [--fit] [--show CHECK] [--limit N] [--seed 0]

On human translations (FLORES-200 devtest arb_Arab→eng_Latn, TICO-19 test ar→en, read
from ../shared/data/mt or $TARJIM_SHARED), which are (nearly) right, every flag is a false
alarm: the share of sentences flagged, and the flags by check.  Then it corrupts the human
English, one kind of error at a time, and reports the share of corrupted sentences the
checks catch (a sentence counts only where the kind applies, e.g. "drop a number" needs a
number in the source that the English holds):

  digit      change one digit of a figure the source also holds
  number     drop a figure (or number words) that the source holds
  thousand   "thousand" → "hundred" (and 3,000 → 300)
  year       change a year's last digit
  latin      drop a Latin-script token the source holds (a name, an acronym)
  halved     delete the second half of the sentence (by words)
  arabic     leave one Arabic word of the source in place of an English word

A corrupted sentence is caught when the checks flag it; planted errors are measured on
sentences the checks do not already flag (else a false alarm would count as a catch).
--fit prints the length-ratio quantiles on FLORES (the fit) and TICO (held out), from
which tarjim.checks.LENGTH_LOW / LENGTH_HIGH were set.  Also times the checks per
30-sentence article.  Exits 0 with a message when the shared data is absent.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tarjim import checks as C  # noqa: E402


def shared_dir() -> Path:
    return Path(os.environ.get("TARJIM_SHARED") or ROOT.parent / "shared")


SETS = {
    "flores200_devtest": ("flores200_devtest/arb_Arab.devtest", "flores200_devtest/eng_Latn.devtest"),
    "tico19_test": ("tico19_ar_en/tico19-test.ar", "tico19_ar_en/tico19-test.en"),
    # short, conversational, partly dialect: far from news, reported for what it shows
    "tatoeba_test": ("tatoeba_ara_eng/tatoeba-test-v2021-08-07.ara", "tatoeba_ara_eng/tatoeba-test-v2021-08-07.eng"),
}


def load(name: str) -> list[tuple[str, str]]:
    base = shared_dir() / "data" / "mt"
    ar, en = (base / p for p in SETS[name])
    a = ar.read_text(encoding="utf-8").splitlines()
    e = en.read_text(encoding="utf-8").splitlines()
    return [(x, y) for x, y in zip(a, e) if x.strip() and y.strip()]


def flags(ar: str, en: str) -> list[C.Check]:
    return C.flagged(C.check(ar, en))


# -- corruptions: each returns the corrupted English, or None where the kind does not apply

def _source_figures(ar: str, en: str) -> list[C.Mention]:
    """English numbers that the source also holds (so changing them is an error)."""
    known: set[float] = set()
    for n in C.arabic_numbers(ar):
        if n.kind in ("figure", "word"):
            known |= n.values
    return [n for n in C.english_numbers(en) if n.kind in ("figure", "word") and n.values & known]


def digit(ar: str, en: str, rng: random.Random) -> str | None:
    cands = [n for n in _source_figures(ar, en) if n.kind == "figure" and not n.year]
    if not cands:
        return None
    n = rng.choice(cands)
    pos = [n.start + i for i, ch in enumerate(n.text) if ch.isdigit()]
    p = rng.choice(pos)
    new = str((int(en[p]) + rng.randint(1, 9)) % 10)
    return en[:p] + new + en[p + 1:]


def year(ar: str, en: str, rng: random.Random) -> str | None:
    cands = [n for n in _source_figures(ar, en) if n.year]
    if not cands:
        return None
    n = rng.choice(cands)
    p = n.start + 3
    return en[:p] + str((int(en[p]) + rng.randint(1, 9)) % 10) + en[p + 1:]


def number(ar: str, en: str, rng: random.Random) -> str | None:
    cands = _source_figures(ar, en)
    if not cands:
        return None
    n = rng.choice(cands)
    return re.sub(r"\s{2,}", " ", en[:n.start] + en[n.start + len(n.text):])


def thousand(ar: str, en: str, rng: random.Random) -> str | None:
    if re.search(r"\bthousand\b", en):
        return re.sub(r"\bthousand\b", "hundred", en, count=1)
    m = re.search(r"(?<![\d.,])(\d{1,3}),000\b(?!,\d)", en)
    if m:
        return en[:m.start()] + m.group(1) + "00" + en[m.end():]
    return None


def latin(ar: str, en: str, rng: random.Random) -> str | None:
    if not C._ARABIC_RUN.search(ar):
        return None  # not an Arabic source (Tatoeba has Arabizi): no Latin token to keep from it
    cands = [t for t in C._latin_tokens(ar) if C._contains_token(en, t)]
    if not cands:
        return None
    t = rng.choice(cands)
    out = re.sub(r"(?<![A-Za-z0-9])" + re.escape(t) + r"(?![A-Za-z0-9])", "", en, flags=re.IGNORECASE)
    return re.sub(r"\s{2,}", " ", out)


def halved(ar: str, en: str, rng: random.Random) -> str | None:
    words = en.split()
    if len(words) < 4:
        return None
    return " ".join(words[: len(words) // 2])


def arabic(ar: str, en: str, rng: random.Random) -> str | None:
    aw = re.findall(r"[\u0621-\u064a]{3,}", ar)
    ew = [m for m in re.finditer(r"[A-Za-z]{4,}", en)]
    if not aw or not ew:
        return None
    m = rng.choice(ew)
    return en[:m.start()] + rng.choice(aw) + en[m.end():]


KINDS = {"digit": digit, "number": number, "thousand": thousand, "year": year, "latin": latin,
         "halved": halved, "arabic": arabic}


def false_alarms(pairs, show: str | None, name: str):
    by_check = Counter()
    bad = 0
    for ar, en in pairs:
        f = flags(ar, en)
        if f:
            bad += 1
            for c in {c.check for c in f}:
                by_check[c] += 1
            if show and any(c.check == show for c in f):
                print(f"  [{name}] {ar}\n    {en}\n    -> {[c.detail for c in f]}")
    return bad, by_check


def recall(pairs, rng: random.Random):
    out = {}
    for kind, fn in KINDS.items():
        tried = caught = 0
        for ar, en in pairs:
            if flags(ar, en):
                continue
            bad = fn(ar, en, rng)
            if bad is None or bad == en:
                continue
            tried += 1
            caught += bool(flags(ar, bad))
        out[kind] = (caught, tried)
    return out


def fit(pairs):
    scores = sorted(C.length_score(a, e) + C.LENGTH_MEAN for a, e in pairs)

    def q(p):
        return scores[min(len(scores) - 1, int(p * len(scores)))]

    out = {"median": q(0.5), "q0.25%": q(0.0025), "q0.5%": q(0.005), "q1%": q(0.01),
           "q99%": q(0.99), "q99.5%": q(0.995), "q99.75%": q(0.9975)}
    out["LENGTH_LOW"] = out["q0.25%"] - out["median"]
    out["LENGTH_HIGH"] = out["q99.75%"] - out["median"]
    return out


def timing(pairs) -> float:
    """Milliseconds to check one 30-sentence article (the first 30 pairs): median and best of 30 runs."""
    art = pairs[:30]
    runs = []
    for _ in range(30):
        C._norm_token.cache_clear()  # a new article: no word seen before
        t0 = time.perf_counter()
        for ar, en in art:
            C.check(ar, en)
        runs.append((time.perf_counter() - t0) * 1000)
    runs.sort()
    return runs[len(runs) // 2], runs[0]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fit", action="store_true", help="print the length-ratio quantiles")
    ap.add_argument("--show", help="print the sentences flagged by this check")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--sets", default="flores200_devtest,tico19_test", help=f"comma-separated, of {', '.join(SETS)}")
    args = ap.parse_args(argv)
    if not (shared_dir() / "data" / "mt").is_dir():
        print(f"bench/checks.py: {shared_dir()}/data/mt is absent; nothing to measure")
        return 0
    for name in args.sets.split(","):
        pairs = load(name)
        if args.limit:
            pairs = pairs[: args.limit]
        if args.fit:
            role = "fit" if name.startswith("flores") else "held out"
            print(f"{name} ({role}): log((en+{C.LENGTH_K})/(ar+{C.LENGTH_K})) quantiles "
                  + ", ".join(f"{k} {v:+.3f}" for k, v in fit(pairs).items()))
        bad, by_check = false_alarms(pairs, args.show, name)
        print(f"{name}: {bad} of {len(pairs)} human translations flagged ({bad / len(pairs):.1%}); by check: "
              + (", ".join(f"{k} {v}" for k, v in by_check.most_common()) or "none"))
        rec = recall(pairs, random.Random(args.seed))
        print(f"{name}: planted errors caught: " + ", ".join(
            f"{k} {c}/{t} ({c / t:.1%})" if t else f"{k} n/a" for k, (c, t) in rec.items()))
        median, best = timing(pairs)
        print(f"{name}: {median:.2f} ms per 30-sentence article (median of 30 runs; best {best:.2f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
