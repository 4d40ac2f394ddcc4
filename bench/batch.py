"""Batch vs one process per article, as whole processes, in one run.

    python bench/batch.py [--articles 50] [--model PATH]

Builds N Arabic articles (FLORES-200 devtest documents from ../shared when present,
else the texts in samples/), then times one `tarjim batch IN OUT` against N separate
`tarjim translate FILE -f markdown -o OUT` calls on the same model and settings.
Without --model it uses the tiny random Marian the tests build (it measures what
batching saves around the model: start-up, loading, batches across articles); pass
the shape twin (bench/speed.py builds one) or a real model directory to include the
model's own compute. The translation cache is off, so both sides translate everything.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "tests"))


def articles(n: int) -> list[str]:
    docs_file = SHARED / "data" / "segment" / "flores200_devtest_docs.jsonl"
    if docs_file.exists():
        docs = [json.loads(line)["text"] for line in docs_file.open(encoding="utf-8")]
    else:
        docs = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples").glob("*.ar.txt"))]
    return [docs[i % len(docs)] for i in range(n)]


def run(cmd: list[str], env: dict) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=50)
    ap.add_argument("--model", help="a model directory (default: the tiny test Marian)")
    ap.add_argument("--beams", default="1")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        model = args.model
        if not model:
            from tiny_models import build_tiny_marian

            model = str(build_tiny_marian(tmp / "tiny-marian"))
        src = tmp / "in"
        src.mkdir()
        for i, text in enumerate(articles(args.articles)):
            (src / f"article{i:03d}.txt").write_text(text, encoding="utf-8")
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "TARJIM_CACHE_DIR": str(tmp / "cache")}
        if not args.model:
            env.setdefault("TARJIM_THREADS", "1")
        tarjim = [sys.executable, "-m", "tarjim"]
        common = ["--model", model, "--beams", args.beams]
        t_batch = run([*tarjim, "batch", str(src), str(tmp / "out-batch"), *common, "--no-cache"], env)
        t_each = 0.0
        (tmp / "out-each").mkdir()
        for f in sorted(src.glob("*.txt")):
            t_each += run([*tarjim, "translate", str(f), *common, "-f", "markdown", "-o",
                           str(tmp / "out-each" / (f.stem + ".md"))], env)
        n = args.articles
        words = sum(len(t.split()) for t in articles(n))
        print(f"{n} articles, {words} Arabic words, model {Path(model).name}, beams {args.beams}, "
              f"threads {env.get('TARJIM_THREADS', 'default')}, {os.cpu_count()} CPUs")
        print("| run | wall s | articles/s |\n|---|---|---|")
        print(f"| one `tarjim batch` | {t_batch:.1f} | {n / t_batch:.2f} |")
        print(f"| {n} × `tarjim translate` | {t_each:.1f} | {n / t_each:.2f} |")
        print(f"batch is {t_each / t_batch:.1f}× faster")


if __name__ == "__main__":
    main()
