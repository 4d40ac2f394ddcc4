"""Translation speed and memory on the opus-mt-ar-en shape twin, every engine config.

    python bench/speed.py [--quick] [--sentences N] [--card-sentences N] [--min-seconds S]
                          [--threads T] [--only CONFIG ...] [--twin-only] [--callback-cost]

The shape twin: the real config and tokenizer of Helsinki-NLP/opus-mt-ar-en
(../shared/models/opus-mt-ar-en-shape) with random weights (torch.manual_seed(0)),
built once into $XDG_CACHE_HOME/tarjim/bench/ and converted to CTranslate2 there (int8
and float32; the one-time conversion is timed and printed). Speed and memory depend on
shapes, not weight values; the output is gibberish.

Work: Arabic sentences spread evenly over FLORES-200 devtest. Random weights stop (EOS)
at random places, so every config is forced to generate exactly T = ceil(1.3 × source
tokens) tokens per sentence (Arabic→English output runs to ~1.3× the source tokens):
transformers through a logits processor that blocks EOS until T and forces it at T (a
finished row of a batch then idles, as it does for real); CTranslate2 greedy through a
per-sentence stop callback (it drops a finished sentence from its batch, as it does at
EOS; the callback costs it a few per cent that real decoding does not pay: --callback-cost
measures how much); CTranslate2 beam search
(which takes no callback) by decoding every sentence of a batch to the batch's longest T
and crediting each only its own T (under-counts its work). The repetition guard is off
everywhere: random weights loop on nearly every sentence, and trained ones seldom do.

Configs, each in its own process (so peak RSS is its own; ru_maxrss):
  card       transformers, one sentence at a time, beam 4 (the model card's way), fp32
  hf-b32     transformers best practice: length-sorted batches of 32, greedy, fp32
  tarjim-*   tarjim's own Translator classes (the real code path): its default engine
             and every other engine config it ships.
The card config translates 40 of the 160 sentences, spread evenly over them: the same mix
of lengths (31.8 source tokens on average, against 32.0; the first 8 of the spread FLORES
lines it took before averaged 20.6, which flattered it). The beam-4 tarjim configs take
a quarter or half of the 160.
Throughput is target tokens (and source words) per second of translate(), after a
warm-up on the sample's longest sentences (steady state, as in `tarjim batch`). Each
config's workload is run again until at least 10 s of it are timed (a 3-second run is
at the mercy of a second's jitter on a shared machine), and the rate is all tokens over
all that time. Load is the Translator's construction (tokenizer + model); ready is from
the script's start to loaded (imports included): what a `tarjim translate` call waits for.
"others" is the CPU other processes used during the timed run (in cores): this machine
is shared, and a busy neighbour slows every number.

Prints "skipped" and exits 0 when ../shared is absent.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

T0 = time.perf_counter()
ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SHAPE = SHARED / "models" / "opus-mt-ar-en-shape"
FLORES = SHARED / "data" / "mt" / "flores200_devtest" / "arb_Arab.devtest"
sys.path.insert(0, str(ROOT))

SEED = 0
RATIO = 1.3  # forced target tokens per source token
MIN_SECONDS = 10.0  # timed work per config, at least (see timed())

# name: (engine, description, options)
CONFIGS: dict[str, dict] = {
    "card": {"engine": "transformers (raw)", "beams": 4, "compute": "float32", "what": "model card: 1 sentence at a time, beam 4"},
    "hf-b32": {"engine": "transformers (raw)", "beams": 1, "compute": "float32", "what": "best practice: sorted batches of 32, greedy"},
    "tarjim-ct2": {"engine": "ctranslate2", "beams": 1, "compute": "int8", "shortlist": True, "what": "tarjim default: int8 + target shortlist, greedy"},
    "tarjim-ct2-beam4": {"engine": "ctranslate2", "beams": 4, "compute": "int8", "shortlist": True, "what": "tarjim ctranslate2, beam 4"},
    "tarjim-ct2-noshort": {"engine": "ctranslate2", "beams": 1, "compute": "int8", "shortlist": False, "what": "tarjim ctranslate2 int8, full vocabulary"},
    "tarjim-ct2-fp32": {"engine": "ctranslate2", "beams": 1, "compute": "float32", "shortlist": False, "what": "tarjim ctranslate2 float32, no shortcuts"},
    "tarjim-hf": {"engine": "transformers", "beams": 1, "compute": "float32", "what": "tarjim transformers engine, greedy"},
    "tarjim-hf-beam4": {"engine": "transformers", "beams": 4, "compute": "float32", "what": "tarjim transformers engine, beam 4"},
}
DEFAULT = "tarjim-ct2"


# ---------------------------------------------------------------- the shape twin

def twin_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "tarjim" / "bench" / f"opus-mt-ar-en-shape-seed{SEED}"


def build_twin() -> dict:
    """Build (once) the random-weight twin and its CTranslate2 conversions."""
    from tarjim import convert

    out = twin_dir()
    info: dict = {}
    if not (out / "model.safetensors").is_file():
        import torch
        from transformers import MarianConfig, MarianMTModel

        t0 = time.perf_counter()
        tmp = out.with_name(out.name + f".tmp-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        config = MarianConfig.from_pretrained(SHAPE)
        torch.manual_seed(SEED)
        MarianMTModel(config).eval().save_pretrained(tmp)
        for f in ("source.spm", "target.spm", "vocab.json", "tokenizer_config.json", "generation_config.json"):
            shutil.copyfile(SHAPE / f, tmp / f)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(out, ignore_errors=True)
        os.rename(tmp, out)
        info["build_s"] = time.perf_counter() - t0
    for q in ("int8", "float32"):
        if not convert.is_converted(out, q):
            t0 = time.perf_counter()
            convert.converted_dir(out, q)
            info[f"convert_{q}_s"] = time.perf_counter() - t0
    return info


# ---------------------------------------------------------------- workload

def evenly(items: list, n: int) -> list:
    """n items spread evenly over the list (all of it when n >= its length)."""
    n = min(n, len(items))
    return [items[i * len(items) // n] for i in range(n)]


def sentences(n: int) -> list[str]:
    return evenly([s for s in FLORES.read_text(encoding="utf-8").splitlines() if s.strip()], n)


def warmup_size(name: str) -> int:
    """Sentences (the longest of the sample) translated before timing, in the config's own
    way: the largest batch a config will meet, so that no config pays its first-use
    allocations inside the timed run (a one-article `tarjim translate` does pay them:
    ~7 % for CTranslate2, measured)."""
    return 1 if name == "card" else (8 if CONFIGS[name]["beams"] > 1 else 32)


def forced(n_source: int) -> int:
    return math.ceil(RATIO * n_source)


def _cpu_busy() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    try:
        with open("/proc/stat", encoding="ascii") as f:
            v = [float(x) for x in f.readline().split()[1:]]
    except OSError:
        return 0.0, 0.0
    idle = v[3] + (v[4] if len(v) > 4 else 0)
    return sum(v) - idle, sum(v)


class Timer:
    """Wall time, this process's CPU time, and the CPU the rest of the machine used."""

    def __enter__(self):
        self.t, self.c, self.m = time.perf_counter(), time.process_time(), _cpu_busy()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.t
        self.cpu = time.process_time() - self.c
        busy, total = _cpu_busy()
        hz = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        machine_cpu = (busy - self.m[0]) / hz
        self.others = max(0.0, (machine_cpu - self.cpu) / self.wall) if self.wall > 0 else 0.0


def timed(once) -> dict:
    """Run the config's whole workload (once() → target tokens) again and again until at
    least MIN_SECONDS of it are timed, and report totals: a 3-second run is at the mercy of
    a second's jitter on a shared machine, and every config is timed over a similar span.
    The rate is all tokens over all time (no best-of, no median)."""
    tokens = runs = 0
    wall = cpu = busy = 0.0
    while runs == 0 or wall < MIN_SECONDS:
        with Timer() as tm:
            tokens += once()
        runs += 1
        wall += tm.wall
        cpu += tm.cpu
        busy += tm.others * tm.wall
    return {"tokens": tokens, "runs": runs, "wall_s": wall, "cpu_s": cpu, "others": busy / wall}


def _force_processor(torch, targets: list[int], eos: int, beams: int):
    """transformers: no EOS before T content tokens, EOS at T (per row)."""
    from transformers import LogitsProcessor

    class Force(LogitsProcessor):
        def __init__(self):
            self.t = torch.tensor(targets).repeat_interleave(beams)

        def __call__(self, input_ids, scores):
            n = input_ids.shape[1] - 1  # generated so far, after the decoder start token
            done = self.t <= n
            scores[~done, eos] = -float("inf")
            scores[done] = -float("inf")
            scores[done, eos] = 0.0
            return scores

    return Force()


def run_raw_transformers(name: str, texts: list[str], threads: int) -> dict:
    import torch
    from transformers import LogitsProcessorList, MarianMTModel, MarianTokenizer

    torch.set_num_threads(threads)
    t0 = time.perf_counter()
    tok = MarianTokenizer.from_pretrained(twin_dir())
    model = MarianMTModel.from_pretrained(twin_dir()).eval()
    load = time.perf_counter() - t0
    ready = time.perf_counter() - T0
    eos, pad = model.config.eos_token_id, model.config.pad_token_id
    beams = CONFIGS[name]["beams"]

    def generate(ids: list[list[int]]) -> int:
        targets = [forced(len(i)) for i in ids]
        batch = tok.pad({"input_ids": ids}, return_tensors="pt")
        with torch.inference_mode():
            out = model.generate(
                **batch, num_beams=beams, do_sample=False, max_new_tokens=max(targets) + 1,
                forced_eos_token_id=None,
                logits_processor=LogitsProcessorList([_force_processor(torch, targets, eos, beams)]),
            )
        n = 0
        for row, t in zip(out.tolist(), targets):
            content = [x for x in row[1:] if x not in (eos, pad)]
            assert len(content) == t, (len(content), t)
            n += len(content)
        return n

    ids = [tok(t).input_ids for t in texts]
    order = sorted(range(len(ids)), key=lambda i: -len(ids[i]))
    if name == "card":
        generate([ids[order[0]]])  # warm-up: the longest sentence

        def once() -> int:
            return sum(generate([i]) for i in ids)
    else:
        generate([ids[i] for i in order[:warmup_size(name)]])  # warm-up: the longest batch

        def once() -> int:
            return sum(generate([ids[i] for i in order[k:k + 32]]) for k in range(0, len(order), 32))
    return {"expected": sum(forced(len(i)) for i in ids), "load_s": load, "ready_s": ready, **timed(once)}


def run_tarjim(name: str, texts: list[str], threads: int) -> dict:
    from tarjim.config import resolve_model

    cfg = CONFIGS[name]
    spec = resolve_model(str(twin_dir()))
    t0 = time.perf_counter()
    if cfg["engine"] == "ctranslate2":
        from tarjim.engines.ct2 import CT2Translator

        tr = CT2Translator(spec, threads=threads, beams=cfg["beams"], compute_type=cfg["compute"],
                           shortlist=cfg["shortlist"], repetition_guard=0)
        tr._force_lengths = forced
    else:
        import tarjim.engines.hf as hf

        torch_mod = __import__("torch")

        class ForcedHF(hf.HFTranslator):
            def _generate(self, ids, limit, **extra):
                targets = [forced(len(i)) for i in ids]
                from transformers import LogitsProcessorList

                proc = _force_processor(torch_mod, targets, self.model.config.eos_token_id, self.beams)
                return super()._generate(ids, max(limit, max(targets) + 1), forced_eos_token_id=None,
                                         logits_processor=LogitsProcessorList([proc]), **extra)

        # The repetition guard is off (see the module docstring).
        tr = ForcedHF(spec, threads=threads, beams=cfg["beams"], repetition_guard=0)
    load = time.perf_counter() - t0
    ready = time.perf_counter() - T0
    tr.translate(sorted(texts, key=len, reverse=True)[:warmup_size(name)])  # warm-up: the longest batch
    out = timed(lambda: sum(r.target_tokens for r in tr.translate(texts)))
    layout = f"{tr.workers} worker(s) × {tr.intra_threads} thread(s)" if hasattr(tr, "workers") else ""
    expected = sum(forced(tr.count_tokens(t)) for t in texts)
    if hasattr(tr, "close"):
        tr.close()
    return {"expected": expected, "load_s": load, "ready_s": ready, "layout": layout, **out}


def callback_cost(texts: list[str], threads: int, pairs: int = 3) -> None:
    """What forcing lengths through a stop callback costs CTranslate2: raw batches of the
    sample (sorted, 24 a batch, every sentence decoded to the same fixed length, no EOS),
    with a no-op callback and without, alternated. Prints one line per pair."""
    from tarjim.config import resolve_model
    from tarjim.engines.ct2 import CT2Translator

    # tarjim's engine for the model, tokenizer and thread layout; its batches sent raw.
    ct = CT2Translator(resolve_model(str(twin_dir())), threads=threads, beams=1, compute_type="int8")
    tok = ct.tokenizer
    src = sorted((tok.convert_ids_to_tokens(tok(t).input_ids) for t in texts), key=len, reverse=True)
    length = 45

    def rate(callback) -> float:
        extra = {"callback": callback} if callback else {}
        t0 = time.perf_counter()
        pending = []
        for k in range(0, len(src), 24):
            pending += ct._translator.translate_batch(src[k:k + 24], beam_size=1, max_decoding_length=length,
                                          min_decoding_length=length, use_vmap=True, asynchronous=True, **extra)
        n = sum(len(r.result().hypotheses[0]) for r in pending)
        return n / (time.perf_counter() - t0)

    rate(None)  # warm-up
    for _ in range(pairs):
        plain, called = rate(None), rate(lambda step: False)
        print(f"no callback {plain:.0f} tok/s, no-op callback {called:.0f} tok/s: costs {1 - called / plain:.1%}")
    ct.close()


def worker(name: str, n: int, size: int, threads: int) -> None:
    texts = evenly(sentences(n), size)
    if CONFIGS[name]["engine"].endswith("(raw)"):
        r = run_raw_transformers(name, texts, threads)
    else:
        r = run_tarjim(name, texts, threads)
    r["expected"] *= r["runs"]
    r.update(
        name=name, sentences=len(texts), words=r["runs"] * sum(len(t.split()) for t in texts), threads=threads,
        rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
    print("RESULT " + json.dumps(r))


# ---------------------------------------------------------------- driver

def machine() -> str:
    from tarjim.engines.base import physical_cores

    model = platform.processor() or "?"
    flags: set[str] = set()
    try:
        for line in open("/proc/cpuinfo", encoding="ascii", errors="replace"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
            elif line.startswith("flags") and not flags:
                flags = set(line.split(":", 1)[1].split())
    except OSError:
        pass
    isa = ", ".join(f for f in ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8") if f in flags) or "?"
    return f"{model}; {physical_cores()} physical cores, {os.cpu_count()} logical; {isa}"


def versions() -> str:
    out = []
    for mod in ("torch", "transformers", "ctranslate2"):
        try:
            from importlib.metadata import version

            out.append(f"{mod} {version(mod)}")
        except Exception:
            out.append(f"{mod} ?")
    return ", ".join(out)


def spawn(args: list[str]) -> dict:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    r = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, env=env)
    for line in r.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise RuntimeError(f"{' '.join(args)} failed (exit {r.returncode}):\n{r.stderr[-3000:]}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="a smaller run (~1 min; too small for stable ratios)")
    ap.add_argument("--sentences", type=int, help="sentences for the batched configs (default 160; quick 40)")
    ap.add_argument("--card-sentences", type=int, help="sentences for the one-at-a-time beam-4 config, spread evenly over the others' (default 40; quick 10)")
    ap.add_argument("--min-seconds", type=float, help="time each config over at least this much repeated work (default 10; quick 2)")
    ap.add_argument("--threads", type=int, help="threads for every config (default: physical cores)")
    ap.add_argument("--only", nargs="+", choices=list(CONFIGS), help="run only these configs")
    ap.add_argument("--retries", type=int, default=2,
                    help="rerun a config when other processes took over 0.3 cores during it (default 2)")
    ap.add_argument("--callback-cost", action="store_true",
                    help="measure what the stop callback that forces CTranslate2's lengths costs it, and stop")
    ap.add_argument("--twin-only", action="store_true", help="build the twin, print its directory, and stop")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--build", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if not SHAPE.is_dir() or not FLORES.is_file():
        print(f"skipped: {SHARED} is absent (the shape twin's config and FLORES-200 live there)")
        return 0
    if args.build:
        print("RESULT " + json.dumps(build_twin()))
        return 0
    from tarjim.engines.base import default_threads

    threads = args.threads or default_threads()
    n = args.sentences or (40 if args.quick else 160)
    n_card = args.card_sentences or (10 if args.quick else 40)
    global MIN_SECONDS
    MIN_SECONDS = args.min_seconds if args.min_seconds is not None else (2.0 if args.quick else MIN_SECONDS)
    sizes = {"card": n_card, "tarjim-hf-beam4": max(4, n // 4), "tarjim-ct2-beam4": max(4, n // 2)}
    if args.worker:
        worker(args.worker, n, sizes.get(args.worker, n), threads)
        return 0

    info = spawn(["--build"])
    if args.twin_only:
        print(twin_dir())
        return 0
    if args.callback_cost:
        callback_cost(sentences(n), threads)
        return 0
    print(f"machine: {machine()}")
    print(f"software: Python {platform.python_version()}, {versions()}")
    print(f"twin: {twin_dir()} (random weights, seed {SEED})"
          + (f"; built in {info['build_s']:.1f} s" if "build_s" in info else "")
          + "".join(f"; CTranslate2 {k[8:-2]} conversion {v:.1f} s (once)" for k, v in info.items() if k.startswith("convert_")))
    print(f"work: FLORES-200 devtest sentences, forced to ceil({RATIO} × source tokens) target tokens each; "
          f"{threads} thread(s) per config")
    names = args.only or list(CONFIGS)
    rows = {}
    for name in names:
        t0 = time.perf_counter()
        cmd = (["--worker", name, "--threads", str(threads)] + (["--quick"] if args.quick else [])
               + (["--sentences", str(args.sentences)] if args.sentences else [])
               + (["--card-sentences", str(args.card_sentences)] if args.card_sentences else [])
               + (["--min-seconds", str(args.min_seconds)] if args.min_seconds is not None else []))
        r = spawn(cmd)
        for _ in range(args.retries):
            if r["others"] <= 0.3:
                break
            print(f"  {name}: other processes took {r['others']:.1f} cores; running it again", file=sys.stderr)
            again = spawn(cmd)
            r = again if again["others"] < r["others"] else r
        rows[name] = r
        print(f"  {name}: {r['tokens'] / r['wall_s']:.0f} tok/s ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)

    def rate(name: str) -> float | None:
        r = rows.get(name)
        return r["tokens"] / r["wall_s"] if r else None

    card, best = rate("card"), rate("hf-b32")
    head = (f"{'config':<19} {'what':<47} {'sent':>4} {'runs':>4} {'timed s':>7} {'tok/s':>7} {'words/s':>7} {'×card':>6} {'×b32':>5} "
            f"{'load s':>6} {'ready s':>7} {'RSS MB':>6} {'others':>6}")
    print()
    print(head)
    print("-" * len(head))
    for name, r in rows.items():
        tps = r["tokens"] / r["wall_s"]
        wps = r["words"] / r["wall_s"]
        xc = f"{tps / card:.1f}" if card else "—"
        xb = f"{tps / best:.2f}" if best else "—"
        print(f"{name:<19} {CONFIGS[name]['what']:<47} {r['sentences']:>4} {r['runs']:>4} {r['wall_s']:>7.1f} {tps:>7.0f} {wps:>7.1f} {xc:>6} {xb:>5} "
              f"{r['load_s']:>6.2f} {r['ready_s']:>7.2f} {r['rss_mb']:>6.0f} {r['others']:>6.2f}")
        if r["tokens"] != r["expected"]:
            print(f"  note: {name} returned {r['tokens']} target tokens, {r['expected']} forced")
    layouts = {n: r["layout"] for n, r in rows.items() if r.get("layout")}
    if layouts:
        print("ctranslate2 threads: " + "; ".join(f"{n} {v}" for n, v in layouts.items()))
    d = rows.get(DEFAULT)
    if d:
        tps = d["tokens"] / d["wall_s"]
        print()
        checks = []
        if best:
            checks.append(f"{tps / best:.2f}× best practice (target ≥ 3×) {'PASS' if tps >= 3 * best else 'FAIL'}")
        if card:
            checks.append(f"{tps / card:.1f}× model card (target ≥ 50×) {'PASS' if tps >= 50 * card else 'FAIL'}")
        checks.append(f"peak RSS {d['rss_mb']:.0f} MB (target < 600) {'PASS' if d['rss_mb'] < 600 else 'FAIL'}")
        print(f"{DEFAULT} (tarjim's default engine): " + "; ".join(checks))
    busy = max((r["others"] for r in rows.values()), default=0)
    if busy > 0.2:
        print(f"warning: other processes used up to {busy:.1f} cores during the runs; every number above is "
              f"lower than on an idle machine, multi-threaded ones most")
    print(f"total {time.perf_counter() - T0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
