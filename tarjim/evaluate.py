"""Systems × a line-aligned test set → quality (sacrebleu) and speed, per system.

A system is one model with one set of decoding settings (engine, beams, compute type,
target shortlist), or an existing translation (`hyp`) scored as it is. Each source line
is translated as one unit: the pipeline's own chunking (plan_chunks, translate_documents)
splits a line only when it is longer than the model's input budget, and never segments
it into sentences, so that line i of the output stays aligned with line i of the
reference. The model is loaded once per system, through the same preparation as
`tarjim translate` (tarjim.engines.open_translator).

Peak RSS: every model is first prepared (downloaded, converted) in this process; then
by default each system runs in a fresh worker process (spawned, so it shares nothing
with the others), and peak_rss_mb is that process's own peak resident memory — the
interpreter, the imports, the model and the translation, as `tarjim translate` with the
same settings would need. With isolate=False the
systems run in this process, one after another, and peak_rss_mb is None: a process's
peak only grows, so it cannot be attributed to one of several systems.

Scores are sacrebleu's (imported here only, inside functions), corpus level, with its
default settings, so that `sacrebleu REF -i HYP -m bleu chrf ter` gives the same
figures; its signature says how to reproduce them. With two or more systems,
sacrebleu's paired bootstrap resampling compares each with the first (p_value, for
BLEU; per metric in p_values).
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from tarjim.document import Document, Paragraph, Sentence, SentenceTranslation
from tarjim.errors import InputError, ModelError, UsageError

# Engine flags that mark a line as suspect: the output looped (guarded or not), hit the
# length limit, or came back empty.
FLAGS_COUNTED = ("repetition", "repetition_guard", "length_limit", "empty_translation")
BOOTSTRAP_SAMPLES = 1000  # sacrebleu's default for paired bootstrap resampling
METRICS = ("bleu", "chrf", "ter")

Notify = Callable[[str], None]


@dataclass(frozen=True)
class System:
    """What to evaluate: a model and its settings (None: the model's own), or an
    existing translation file (hyp)."""

    name: str
    model: str | None = None
    engine: str | None = None
    beams: int | None = None
    compute: str | None = None
    shortlist: bool | None = None
    hyp: str | None = None


@dataclass(frozen=True)
class SystemRun:
    """One system's translations and what producing them cost."""

    hypotheses: tuple[str, ...]
    flagged: int | None  # lines with a counted flag or check
    model: str | None = None
    hub: str | None = None
    revision: str | None = None
    engine: str | None = None
    beams: int | None = None
    compute: str | None = None
    shortlist: bool | None = None
    load_s: float | None = None
    translate_s: float | None = None
    source_words: int = 0
    target_tokens: int | None = None
    peak_rss_mb: float | None = None


@dataclass(frozen=True)
class SystemScore:
    name: str
    model: str | None
    engine: str | None
    beams: int | None
    compute: str | None
    shortlist: bool | None
    revision: str | None
    hyp: str | None
    bleu: float
    chrf: float
    ter: float
    flagged: int | None
    lines: int
    target_tokens_per_s: float | None
    source_words_per_s: float | None
    load_s: float | None
    translate_s: float | None
    peak_rss_mb: float | None
    p_value: float | None  # paired bootstrap vs the first system, BLEU; None for the first
    p_values: dict[str, float] = field(default_factory=dict)  # per metric
    hypotheses: tuple[str, ...] = ()  # what was scored, line by line (not in JSON)


@dataclass(frozen=True)
class EvalReport:
    signature: dict[str, str]  # metric → sacrebleu signature; "paired" → the test's
    systems: tuple[SystemScore, ...]
    lines: int
    source: str
    reference: str
    peak_rss: str  # how peak_rss_mb was measured


# ---------------------------------------------------------------- test data

def read_lines(path: str | Path) -> list[str]:
    """A line-aligned file, read as sacrebleu's CLI reads it (UTF-8, lines ending at \\n
    only, trailing whitespace stripped: a \\r\\n's \\r goes, a lone \\r inside a line
    stays), so that scores and line counts agree with it and with `tarjim check`."""
    from tarjim.reading import read_bytes

    try:
        text = read_bytes(path).decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 text (byte {e.start})") from None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline that ends the last line
    return [line.rstrip() for line in lines]


def line_document(line: str) -> Document:
    """One test line as a one-sentence Document: translated as a unit, chunked by the
    pipeline only if it is longer than the model's budget, never re-segmented."""
    sentence = Sentence(index=0, paragraph=0, text=line, start=0, end=len(line), content=bool(line.strip()))
    return Document(text=line, paragraphs=(Paragraph(index=0, start=0, end=len(line), sentences=(sentence,)),))


def source_checks(source: str, translation: str) -> list[str]:
    """The names of the source-vs-English checks that flag one line, as `tarjim check`
    checks it (tarjim.checks.check_line)."""
    from tarjim.checks import check_line, flagged

    return [c.check for c in flagged(check_line(source, translation))]


def line_problems(row: SentenceTranslation) -> list[str]:
    """Why a translated line is flagged: the engine's flags, then the checks."""
    return [f for f in row.flags if f in FLAGS_COUNTED] + source_checks(row.sentence.text, row.text)


# ---------------------------------------------------------------- systems

def _label(value, dim: str) -> str:
    if dim == "beams":
        return f"beam{value}"
    if dim == "shortlist":
        return "shortlist" if value else "no-shortlist"
    return str(value)


def plan_systems(
    models: Sequence[str | None] = (None,),
    engines: Sequence[str | None] = (None,),
    beams: Sequence[int | None] = (None,),
    computes: Sequence[str | None] = (None,),
    shortlists: Sequence[bool | None] = (None,),
    hyps: Sequence[str] = (),
) -> list[System]:
    """Every combination of the given settings is one system (then each hyp file).
    Settings that do not apply to an engine (compute int8, the shortlist, for
    transformers) are dropped, and combinations that then coincide are run once.
    A system's name is its model and the settings that vary."""
    from tarjim.config import resolve_model
    from tarjim.engines import check_compute, check_engine

    for e in engines:
        check_engine(e)
    for c in computes:
        check_compute("ctranslate2", c)  # a known name; whether it fits an engine, below
    dims = {"engine": list(dict.fromkeys(engines)), "beams": list(dict.fromkeys(beams)),
            "compute": list(dict.fromkeys(computes)), "shortlist": list(dict.fromkeys(shortlists))}
    varying = [d for d, values in dims.items() if len(values) > 1 or values[0] is not None]
    models = list(dict.fromkeys(models))
    out: list[System] = []
    seen: set[tuple] = set()
    for model in models:
        spec = resolve_model(model)  # fails here, before anything loads, on an unknown name
        for engine, b, compute, shortlist in itertools.product(*dims.values()):
            if (engine or spec.engine) == "transformers":
                if compute not in (None, "float32"):
                    continue  # transformers computes in float32 only
                shortlist = None
            key = (spec.name, spec.path, engine, b, compute, shortlist)
            if key in seen:
                continue
            seen.add(key)
            values = {"engine": engine, "beams": b, "compute": compute, "shortlist": shortlist}
            label = model if model and not spec.path else spec.name  # a directory: its name
            parts = [label] + [_label(values[d], d) for d in varying if values[d] is not None]
            out.append(System(name=" ".join(parts), model=model, engine=engine, beams=b,
                              compute=compute, shortlist=shortlist))
    if models and not out:
        raise UsageError("no system left to run: --compute int8 needs the ctranslate2 engine")
    for h in hyps:
        out.append(System(name=Path(h).name, hyp=str(h)))
    return _unique_names(out)


def _unique_names(systems: list[System]) -> list[System]:
    counts: dict[str, int] = {}
    out = []
    for s in systems:
        n = counts[s.name] = counts.get(s.name, 0) + 1
        out.append(s if n == 1 else replace(s, name=f"{s.name} #{n}"))
    return out


def _peak_rss_mb() -> float:
    """This process's own peak resident memory. On Linux, VmHWM: ru_maxrss of a spawned
    child starts at its parent's resident size (Linux carries the peak over exec)."""
    import resource
    import sys

    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)  # kB
    except (OSError, ValueError):
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)  # bytes on macOS, KiB on Linux


def prepare_system(system: System, notify: Notify | None = None) -> None:
    """Download and convert the system's model now, in this process, so that a system's
    run (and its peak memory) is its load and translation alone, as in everyday use."""
    from tarjim.config import resolve_model
    from tarjim.engines import prepare_model

    prepare_model(resolve_model(system.model), system.engine, notify=notify, compute=system.compute)


def run_system(system: System, sources: Sequence[str], *, threads: int | None = None,
               notify: Notify | None = None, measure_rss: bool = False) -> SystemRun:
    """Load the system's model once (preparing it as `tarjim translate` does) and
    translate every line as a unit, timing the load and the translation apart."""
    from tarjim.config import resolve_model
    from tarjim.engines import open_translator
    from tarjim.models import revision_of
    from tarjim.pipeline import translate_documents

    spec = resolve_model(system.model)
    translator, load_s = open_translator(spec, engine=system.engine, beams=system.beams, threads=threads,
                                         compute=system.compute, shortlist=system.shortlist, notify=notify)
    try:
        docs = [line_document(line) for line in sources]
        t0 = time.perf_counter()
        rows = [r[0] for r in translate_documents(docs, translator)]
        translate_s = time.perf_counter() - t0
    finally:
        close = getattr(translator, "close", None)
        info = dict(
            engine=translator.engine, beams=getattr(translator, "beams", None),
            compute=getattr(translator, "compute_type", "float32"),
            shortlist=getattr(translator, "shortlist", None),
            revision=revision_of(getattr(translator, "model_dir", None)),
        )
        if close:
            close()
    return SystemRun(
        hypotheses=tuple(r.text for r in rows),
        flagged=sum(1 for r in rows if line_problems(r)),
        model=spec.name, hub=spec.hub, **info,
        load_s=load_s, translate_s=translate_s,
        source_words=sum(len(line.split()) for line in sources),
        target_tokens=sum(r.target_tokens for r in rows),
        peak_rss_mb=_peak_rss_mb() if measure_rss else None,
    )


def _run_isolated(system: System, sources: Sequence[str], threads: int | None, notify: Notify | None) -> SystemRun:
    """run_system in a fresh spawned process: its own imports, model and memory, so
    that its peak RSS is this system's alone. A TarjimError comes back as itself."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        try:
            return pool.submit(run_system, system, list(sources), threads=threads, notify=notify,
                               measure_rss=True).result()
        except BrokenProcessPool:
            raise ModelError(f"system {system.name}: the worker process died (out of memory?)") from None


def read_hyp(system: System, scored: int, total: int) -> list[str]:
    """An existing translation's lines: line-aligned with the whole test set, or (under
    --limit) with exactly the lines scored, as a translation of only those would be."""
    hyps = read_lines(system.hyp)
    if len(hyps) not in (total, scored):
        also = f" (or the {scored} lines --limit scores)" if scored != total else ""
        raise InputError(f"{system.hyp}: {len(hyps)} lines, but the reference has {total}{also}")
    return hyps[:scored]


def hyp_run(system: System, sources: Sequence[str], total: int) -> SystemRun:
    """An existing translation, scored on the lines in sources. Nothing was translated,
    so nothing was timed, and no engine flag exists: only the source-vs-English checks
    can flag a line."""
    hyps = read_hyp(system, len(sources), total)
    flagged = sum(1 for src, hyp in zip(sources, hyps) if source_checks(src, hyp))
    return SystemRun(hypotheses=tuple(hyps), flagged=flagged)


# ---------------------------------------------------------------- scores

def _metrics() -> dict:
    from sacrebleu.metrics import BLEU, CHRF, TER

    return {"bleu": BLEU(), "chrf": CHRF(), "ter": TER()}


def score_systems(named: Sequence[tuple[str, Sequence[str]]], references: Sequence[str], *,
                  samples: int = BOOTSTRAP_SAMPLES) -> tuple[dict[str, str], list[dict[str, float]], list[dict[str, float]]]:
    """Corpus BLEU, chrF and TER of each system (sacrebleu's defaults, one reference),
    and, for two or more, paired bootstrap p-values of each against the first.
    Returns (signatures, scores per system, p-values per system: {} for the first)."""
    from sacrebleu.significance import PairedTest

    metrics = _metrics()
    refs = [list(references)]
    scores = [{k: m.corpus_score(list(hyps), refs).score for k, m in metrics.items()} for _, hyps in named]
    signature = {k: str(m.get_signature()) for k, m in metrics.items()}
    p_values: list[dict[str, float]] = [{} for _ in named]
    if len(named) > 1:
        fresh = _metrics()
        test = PairedTest([(n, list(h)) for n, h in named], fresh, refs, test_type="bs", n_samples=samples)
        _, results = test()
        # results: {"System": names, "BLEU": [...], "chrF2": [...], "TER": [...]}, baseline first
        columns = [c for name, c in results.items() if name != "System"]
        for key, column in zip(fresh, columns):
            for i, r in enumerate(column[1:], start=1):
                p_values[i][key] = r.p_value
        seed = os.environ.get("SACREBLEU_SEED", "12345")
        signature["paired"] = f"bs:{samples}|seed:{seed.lower()}"
    return signature, scores, p_values


def _rate(amount: float | None, seconds: float | None) -> float | None:
    if amount is None or not seconds:
        return None
    return amount / seconds


def evaluate(
    systems: Sequence[System],
    source: str | Path,
    reference: str | Path,
    *,
    limit: int | None = None,
    threads: int | None = None,
    isolate: bool = True,
    samples: int = BOOTSTRAP_SAMPLES,
    notify: Notify | None = None,
    on_system: Callable[[int, System], None] | None = None,
) -> EvalReport:
    """Translate the source with each system (or read its hyp file) and score every
    system against the reference. on_system(i, system) is called as each one starts.
    notify(message) receives the download and conversion notices; with isolate it must
    be picklable (a module-level function)."""
    if not systems:
        raise UsageError("nothing to evaluate: give --model, --hyp, or both")
    sources = read_lines(source)
    references = read_lines(reference)
    if len(sources) != len(references):
        raise InputError(f"{source} has {len(sources)} lines but {reference} has {len(references)}: "
                         "the source and the reference must be line-aligned")
    total = len(references)
    if limit is not None:
        sources, references = sources[:limit], references[:limit]
    if not sources:
        raise InputError(f"{source}: no lines to evaluate")
    for system in systems:  # a misaligned --hyp file fails now, not after the models ran
        if system.hyp:
            read_hyp(system, len(sources), total)
    for system in systems:
        if not system.hyp:
            prepare_system(system, notify)
    runs = []
    for i, system in enumerate(systems):
        if on_system:
            on_system(i, system)
        if system.hyp:
            runs.append(hyp_run(system, sources, total))
        elif isolate:
            runs.append(_run_isolated(system, sources, threads, notify))
        else:
            runs.append(run_system(system, sources, threads=threads, notify=notify))
    signature, scores, p_values = score_systems(
        [(s.name, r.hypotheses) for s, r in zip(systems, runs)], references, samples=samples)
    out = []
    for s, r, sc, p in zip(systems, runs, scores, p_values):
        out.append(SystemScore(
            name=s.name, model=r.model, engine=r.engine, beams=r.beams, compute=r.compute,
            shortlist=r.shortlist, revision=r.revision, hyp=s.hyp,
            bleu=sc["bleu"], chrf=sc["chrf"], ter=sc["ter"], flagged=r.flagged, lines=len(references),
            target_tokens_per_s=_rate(r.target_tokens, r.translate_s),
            source_words_per_s=_rate(r.source_words if not s.hyp else None, r.translate_s),
            load_s=r.load_s, translate_s=r.translate_s, peak_rss_mb=r.peak_rss_mb,
            p_value=p.get("bleu"), p_values=p, hypotheses=r.hypotheses,
        ))
    how = ("not measured: no system translated" if all(s.hyp for s in systems)
           else "each system in its own process: its own peak resident memory" if isolate
           else "not measured: the systems shared one process")
    return EvalReport(signature=signature, systems=tuple(out), lines=len(references),
                      source=str(source), reference=str(reference), peak_rss=how)


# ---------------------------------------------------------------- serialising

COLUMNS = ("name", "model", "engine", "beams", "compute", "bleu", "chrf", "ter", "flagged", "lines",
           "target_tokens_per_s", "source_words_per_s", "load_s", "peak_rss_mb", "p_value")


def _round(v, digits: int):
    return round(v, digits) if isinstance(v, float) else v


def system_dict(s: SystemScore) -> dict:
    """One system as JSON: the issue's fields first, then extensions."""
    d = {
        "name": s.name, "model": s.model, "engine": s.engine, "beams": s.beams, "compute": s.compute,
        "bleu": _round(s.bleu, 4), "chrf": _round(s.chrf, 4), "ter": _round(s.ter, 4),
        "flagged": s.flagged, "lines": s.lines,
        "target_tokens_per_s": _round(s.target_tokens_per_s, 2), "source_words_per_s": _round(s.source_words_per_s, 2),
        "load_s": _round(s.load_s, 3), "peak_rss_mb": s.peak_rss_mb, "p_value": _round(s.p_value, 4),
        "shortlist": s.shortlist, "revision": s.revision, "hyp": s.hyp, "translate_s": _round(s.translate_s, 3),
        "p_values": {k: round(v, 4) for k, v in s.p_values.items()},
    }
    return d


def report_dict(r: EvalReport) -> dict:
    return {"signature": dict(r.signature), "systems": [system_dict(s) for s in r.systems],
            "lines": r.lines, "source": r.source, "reference": r.reference, "peak_rss": r.peak_rss}


# ---------------------------------------------------------------- public test sets

# sacrebleu's own loaders carry neither set for Arabic→English (2.6: WMT21's
# florestest only for six other pairs), and the hub's FLORES copies are gated or
# script-based; so both come from the OPUS-MT test set collection on GitHub, at one
# commit, and each file is checked against its SHA-256.
_OPUS_MT = "https://raw.githubusercontent.com/Helsinki-NLP/OPUS-MT-testsets/ac0f19c0be3cb4e0d9450fcb2d7a9847c4bdd180/"


@dataclass(frozen=True)
class PublicSet:
    name: str
    description: str
    source_url: str
    source_sha256: str
    reference_url: str
    reference_sha256: str


TEST_SETS = {
    "flores200": PublicSet(
        "flores200", "FLORES-200 devtest, arb_Arab → eng_Latn, 1,012 lines (CC-BY-SA 4.0)",
        _OPUS_MT + "datasets/facebook/flores/flores200_dataset/devtest/arb_Arab.devtest",
        "ff09a52e63884e9b5bb1083780b58f37d3d14acb0c58c6b1f1f2544ecea12ff8",
        _OPUS_MT + "datasets/facebook/flores/flores200_dataset/devtest/eng_Latn.devtest",
        "612e9fbe87997617c0fa8fa8929654a4f49b728d96738112c2b86ef6a1d78d88",
    ),
    "tico19": PublicSet(
        "tico19", "TICO-19 test, ar → en, 2,100 lines, COVID-19 domain (CC0)",
        _OPUS_MT + "testsets/ar-en/tico19-test.ar",
        "795c59c9c8470e82c9bbeb37f174b2bf98a47954638182039f9f09fa75774431",
        _OPUS_MT + "testsets/ar-en/tico19-test.en",
        "d26d42b38d0c1c05f33834651eea4b884bf2da447f45c7ead8a6dbfea8ae30de",
    ),
}


def testsets_dir() -> Path:
    from tarjim.config import user_cache_dir

    return user_cache_dir() / "testsets"


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch_test_set(name: str, notify: Notify | None = None, *, timeout: float = 3.0) -> tuple[Path, Path]:
    """(source, reference) files of a public test set: from tarjim's cache, else
    downloaded once (notify says from where). Offline and not cached: ModelError (exit 3)
    at once, without waiting on the network."""
    from tarjim.models import offline, reachable

    if name not in TEST_SETS:
        raise UsageError(f"--set: unknown test set {name!r} (known: {', '.join(TEST_SETS)})")
    ts = TEST_SETS[name]
    d = testsets_dir() / name
    files = [(d / "source.ar", ts.source_url, ts.source_sha256), (d / "reference.en", ts.reference_url, ts.reference_sha256)]
    if all(f.is_file() for f, _, _ in files):
        return files[0][0], files[1][0]
    why = None
    if offline():
        why = "offline (HF_HUB_OFFLINE or TARJIM_OFFLINE is set)"
    elif not reachable(ts.source_url, timeout):
        why = "offline (github.com cannot be reached)"
    if why:
        raise ModelError(f"test set {name} is not cached, and {why}: run this on a connected machine "
                         f"once, or give SOURCE and REFERENCE files")
    import urllib.request

    if notify:
        notify(f"downloading {ts.description} from {ts.source_url.rsplit('/', 1)[0]}/ (once)")
    d.mkdir(parents=True, exist_ok=True)
    for path, url, sha in files:
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        try:
            with urllib.request.urlopen(url, timeout=60) as r:
                tmp.write_bytes(r.read())
        except OSError as e:
            tmp.unlink(missing_ok=True)
            raise ModelError(f"could not download test set {name} ({url}): {e}") from None
        if _sha256(tmp) != sha:
            tmp.unlink(missing_ok=True)
            raise ModelError(f"test set {name}: {url} is not the expected file (SHA-256 differs)")
        os.replace(tmp, path)
    return files[0][0], files[1][0]


# ---------------------------------------------------------------- tables

def _fmt(v, digits: int = 1) -> str:
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "on" if v else "off"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def table_rows(r: EvalReport) -> tuple[list[str], list[list[str]]]:
    """The comparison as a header and rows of text (one row per system), for a terminal
    table, TSV or CSV. Scores to one decimal, as sacrebleu prints them; p < 0.05 marks a
    difference from the first system that resampling says is not chance."""
    header = ["system", "engine", "beams", "compute", "shortlist", "BLEU", "chrF", "TER", "p(BLEU)",
              "flagged", "lines", "tgt tok/s", "src words/s", "load s", "peak RSS MB"]
    rows = []
    for s in r.systems:
        rows.append([s.name, _fmt(s.engine), _fmt(s.beams), _fmt(s.compute), _fmt(s.shortlist),
                     _fmt(s.bleu), _fmt(s.chrf), _fmt(s.ter), _fmt(s.p_value, 4), _fmt(s.flagged), str(s.lines),
                     _fmt(s.target_tokens_per_s), _fmt(s.source_words_per_s), _fmt(s.load_s, 2), _fmt(s.peak_rss_mb, 0)])
    return header, rows


def signature_lines(r: EvalReport) -> list[str]:
    """sacrebleu's signatures, printed once with the table."""
    names = {"bleu": "BLEU", "chrf": "chrF", "ter": "TER", "paired": "paired bootstrap"}
    return [f"sacrebleu {names.get(k, k)}: {v}" for k, v in r.signature.items()] + [f"peak RSS: {r.peak_rss}"]


def translation_files(r: EvalReport) -> dict[str, str]:
    """File name → text of each translating system's output, one line per test line,
    for `sacrebleu REF -i FILE` to re-score."""
    import re

    out = {}
    for s in r.systems:
        if s.hyp:
            continue
        stem = re.sub(r"[^\w.-]+", "_", s.name).strip("_.") or "system"
        name = f"{stem}.en"
        k = 2
        while name in out:
            name, k = f"{stem}-{k}.en", k + 1
        out[name] = "".join(h + "\n" for h in s.hypotheses)
    return out
