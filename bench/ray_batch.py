"""`tarjim batch` against `tarjim batch --ray` (1 and 2 actors) on the same folder.

    python bench/ray_batch.py [--articles 200] [--model PATH] [--engine ctranslate2] [--threads 1]

Builds N Arabic articles (FLORES-200 devtest documents from ../shared, as bench/batch.py
does), then times, each into a fresh OUT:
  local       `tarjim batch IN OUT --no-cache`, a whole process (what a user waits for);
  ray-cold    `tarjim batch IN OUT --ray`, a whole process: starts a local cluster, runs
              one actor, shuts the cluster down;
  ray-1, ray-2  run_distributed in this process with the cluster already up (the issue's
              "once the cluster is up"), 1 actor, then 2 actors at 0.5 CPU each.
and Ray's fixed costs: cluster start, the time from the call to the first article written
(scan, model check on the node, actor start and model load, the first group), shutdown.
It reports wall time, articles/s, and how many Markdown files are byte-equal to the
local batch's. Every side translates everything (the SQLite cache is off).
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
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))


def same_files(a: Path, b: Path) -> tuple[int, int]:
    ours = {p.relative_to(a): p.read_bytes() for p in a.rglob("*.md") if p.name != "index.md"}
    return sum(1 for rel, data in ours.items() if (b / rel).is_file() and (b / rel).read_bytes() == data), len(ours)


def cli(args: list[str], env: dict) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "tarjim", "batch", *args], check=True, env=env, cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> None:
    from batch import articles  # bench/batch.py: the same FLORES documents

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--model", help="a model directory (default: the tiny test Marian)")
    ap.add_argument("--engine", default=None, help="ctranslate2 or transformers (default: the model's)")
    ap.add_argument("--beams", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1, help="threads for the local batch and for each actor")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="tj-bench-"))
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TARJIM_CACHE_DIR": str(tmp / "cache"),
           "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0", "RAY_USAGE_STATS_ENABLED": "0"}
    os.environ.update(env)  # before ray is imported: a loopback-only local cluster
    model = args.model
    if not model:
        from tiny_models import build_tiny_marian

        model = str(build_tiny_marian(tmp / "tiny-marian"))
    src = tmp / "in"
    src.mkdir()
    for i, text in enumerate(articles(args.articles)):
        (src / f"doc{i:04d}.txt").write_text(text, encoding="utf-8")
    common = ["-m", model, "--beams", str(args.beams), "--threads", str(args.threads)]
    common += ["--engine", args.engine] if args.engine else []

    from tarjim.config import resolve_model
    from tarjim.engines import prepare_model

    spec = resolve_model(model)
    prepare_model(spec, args.engine)  # a CTranslate2 conversion happens once, outside every timing
    n = args.articles
    rows: dict[str, dict] = {}
    rows["local"] = {"wall_s": cli([str(src), str(tmp / "local"), "--no-cache", *common], env)}
    rows["ray-cold"] = {"wall_s": cli([str(src), str(tmp / "ray-cold"), *common, "--ray"], env)}

    import ray

    from tarjim.batch import BatchOptions, BatchProgress
    from tarjim.distributed import ClusterOptions, connect, run_distributed

    t0 = time.perf_counter()
    connect(ray, ClusterOptions(temp_dir=str(tmp / "ray")))
    fixed = {"cluster_start_s": time.perf_counter() - t0}
    options = BatchOptions(engine=args.engine, beams=args.beams)
    for actors, cpus in ((1, 1.0), (2, 0.5)):
        done: list[float] = []
        started: list[float] = []
        progress = BatchProgress(start=lambda a, c: started.append(time.perf_counter()),
                                 done=lambda o: done.append(time.perf_counter()))
        t0 = time.perf_counter()
        run_distributed(src, tmp / f"ray-{actors}", spec, "extractive", options,
                        ClusterOptions(actors=actors, cpus_per_actor=cpus), threads=args.threads, progress=progress)
        wall = time.perf_counter() - t0
        # steady rate: the articles after the first reply over the time after it (actor starts excluded)
        k = sum(1 for t in done if t <= done[0] + 0.1)  # the rows of the first reply
        rows[f"ray-{actors}"] = {"wall_s": wall, "driver_scan_s": started[0] - t0, "first_article_s": done[0] - t0,
                                 "steady_per_actor_articles_per_s": (n - k) / (done[-1] - done[0]) / actors
                                 if n > k else None}
    t0 = time.perf_counter()
    ray.shutdown()
    fixed["shutdown_s"] = time.perf_counter() - t0

    for name, row in rows.items():
        row["articles_per_s"] = n / row["wall_s"]
        if name != "local":
            row["equal_md"], row["of"] = same_files(tmp / "local", tmp / name)
        row["vs_local"] = row["wall_s"] / rows["local"]["wall_s"]
    report = {"articles": n, "model": model, "engine": args.engine or spec.engine, "threads": args.threads,
              "cpus": os.cpu_count(), "runs": rows, "ray_fixed": fixed}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"{n} articles, engine {report['engine']}, {args.threads} thread(s) each, {os.cpu_count()} CPUs")
        for name, row in rows.items():
            extra = (f"  scan {row['driver_scan_s']:.1f} s, first article after {row['first_article_s']:.1f} s, "
                     f"steady {row['steady_per_actor_articles_per_s'] or 0:.1f} articles/s per actor"
                     if "first_article_s" in row else "")
            same = f"  {row['equal_md']}/{row['of']} .md byte-equal to local" if "equal_md" in row else ""
            print(f"{name:9} {row['wall_s']:7.1f} s  {row['articles_per_s']:6.1f} articles/s  "
                  f"{row['vs_local']:.2f}x local{extra}{same}")
        print("ray fixed costs: " + ", ".join(f"{k} {v:.1f}" for k, v in fixed.items()))
    import shutil

    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
