"""`tarjim batch` on a Ray cluster: the same scan, Markdown, front matter and index as
batch.py, with the translation of whole articles spread over a pool of actors.

The driver scans IN and decides what to skip before any actor starts (nothing to do: no
cluster); it prepares the model once, checks every node can load it, then streams groups
of whole articles (batch.py's groups) through `ray.data` `map_batches` into a pool of
actors that each load the model once, translate and write their articles. The driver
writes index.md (also on Ctrl-C, with pending rows) and, on an object store, a manifest
that the next run's skip check reads instead of every object.

Ray is an extra (`pip install 'tarjim[ray]'`) and is imported only here, inside functions.
"""

from __future__ import annotations

import fnmatch
import io
import json
import logging
import os
import sys
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath

from tarjim.batch import (
    DEFAULT_GLOBS,
    BatchOptions,
    BatchProgress,
    BatchReport,
    Outcome,
    Scan,
    _Article,
    _groups,
    _out_path,
    claim,
    clean_stale,
    finish_batch,
    load_article,
    parse_front_matter,
    scan_batch,
    segment_article,
    settings_key,
    translate_group,
)
from tarjim.config import ModelSpec
from tarjim.errors import InputError, ModelError, TarjimError, UsageError

MANIFEST = "tarjim-manifest.jsonl"  # under OUT on an object store: source → sha256, settings, output
TASK_RETRIES = 1  # a group whose process dies is tried once more, then article by article
ALONE_RETRIES = 0  # an article alone whose process dies: reported as failed (it died 1 + TASK_RETRIES + 1 times)
# Environment that shapes a translation or where the model is found; it travels to the workers.
# No secrets (tokens, keys): a worker never downloads, and a node has its own credentials.
_ENV_PREFIXES = ("TARJIM_", "CT2_")
_ENV_NAMES = ("HF_HOME", "HF_HUB_CACHE", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "XDG_CACHE_HOME",
              "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_REGION", "AWS_DEFAULT_REGION", "OMP_NUM_THREADS")
_SOCKET_MAX = 107  # AF_UNIX path limit; Ray puts its sockets under the temp dir
_SOCKET_TAIL = len("/session_2026-12-07_10-45-49_123456_1234567/sockets/plasma_store")


@dataclass(frozen=True)
class ClusterOptions:
    address: str | None = None  # None: start a local cluster on 127.0.0.1; else ray://…, auto, host:port
    actors: int | None = None  # None: as many as leave one CPU of the cluster free
    cpus_per_actor: float = 1.0
    object_store_mb: int = 512  # a local cluster's object store (articles are small)
    cpus: int | None = None  # a local cluster's CPUs (None: the machine's)
    temp_dir: str | None = None  # a local cluster's temp dir (None: under tarjim's cache)


_BOTH_OR_NEITHER = "give both IN and OUT as object-store URIs (s3://bucket/prefix), or both as folders"


def is_uri(location: str | os.PathLike) -> bool:
    return "://" in str(location)


class Store:
    """A folder, or a prefix of an object store (s3://bucket/prefix, through pyarrow.fs):
    where articles are read and Markdown is written. On an object store each object is
    written whole (there is no rename); in a folder, atomically."""

    def __init__(self, location: str | os.PathLike):
        self.location = str(location)
        self.fs = None
        if is_uri(location):
            from pyarrow import fs

            self.fs, root = fs.FileSystem.from_uri(self.location)
            self.root: Path | PurePosixPath = PurePosixPath(root.rstrip("/"))
        else:
            self.root = Path(os.path.abspath(location))

    def path(self, p: str) -> Path | PurePosixPath:
        return PurePosixPath(p) if self.fs else Path(p)

    def read(self, path) -> bytes:
        if not self.fs:
            from tarjim.reading import read_bytes

            return read_bytes(path)
        try:
            with self.fs.open_input_stream(str(path)) as f:
                return f.readall()
        except (OSError, FileNotFoundError) as e:
            raise InputError(f"{path}: cannot read it ({e})") from None

    def write(self, path, text: str) -> None:
        if not self.fs:
            from tarjim.batch import write_atomic

            return write_atomic(path, text)
        with self.fs.open_output_stream(str(path)) as f:
            f.write(text.encode("utf-8"))



# --------------------------------------------------------------------------------------
# The driver


def run_distributed(
    in_dir: str | os.PathLike,
    out_dir: str | os.PathLike,
    spec: ModelSpec,
    summarizer_name: str,
    options: BatchOptions = BatchOptions(),
    cluster: ClusterOptions = ClusterOptions(),
    *,
    threads: int | None = None,
    progress: BatchProgress | None = None,
    notify: Callable[[str], None] | None = None,
    runtime_env: dict | None = None,
    glossary=None,
) -> BatchReport:
    """batch.run_batch on Ray: the same outputs. runtime_env is merged into the workers'
    (its env_vars over the ones tarjim passes); glossary (tarjim.checks.Glossary) goes to
    every actor."""
    progress = progress or BatchProgress()
    if is_uri(in_dir) != is_uri(out_dir):  # before Store(), which may reach the network
        raise UsageError(_BOTH_OR_NEITHER)
    src, dst = Store(in_dir), Store(out_dir)
    if src.fs or dst.fs:
        scan = scan_objects(src, dst, spec, summarizer_name, options)
    else:
        scan = scan_batch(Path(in_dir), Path(out_dir), spec, summarizer_name, options)
    outcomes = dict(scan.outcomes)
    for o in outcomes.values():
        progress.done(o)
    rows: dict[str, dict] = {}  # what the workers reported, for the manifest
    try:
        if scan.todo:
            _translate_on_ray(scan, src, dst, spec, summarizer_name, options, cluster, threads, progress, notify,
                              runtime_env or {}, outcomes, rows, glossary)
    finally:
        if not dst.fs:
            clean_stale(Path(in_dir), Path(out_dir))  # a killed worker's half-written temp files
        ordered, index = finish_batch(scan, dst.root, spec, outcomes, dst.write)
        if dst.fs:
            _write_manifest(dst, scan, ordered, rows)
    return BatchReport(tuple(ordered), index)


def scan_objects(src: Store, dst: Store, spec: ModelSpec, summarizer_name: str, options: BatchOptions) -> Scan:
    """scan_batch for an object store: the same per-article read, hash and segment; the
    skip check reads the manifest under OUT, not every object."""
    from pyarrow import fs as pafs

    if options.glob is not None and (
            not options.glob or options.glob.startswith("/") or ".." in PurePosixPath(options.glob).parts):
        raise UsageError(f"--glob {options.glob!r}: give a pattern relative to the input folder, e.g. '*.txt'")
    if src.fs is None or dst.fs is None:
        raise UsageError(_BOTH_OR_NEITHER)
    if dst.root == src.root or src.root in dst.root.parents:
        raise UsageError(f"the output {dst.location} is inside the input {src.location}: tarjim never writes into it")
    infos = src.fs.get_file_info(pafs.FileSelector(str(src.root), recursive=options.recursive, allow_not_found=True))
    rels = []
    for info in infos:
        if info.type != pafs.FileType.File:
            continue
        rel = PurePosixPath(info.path).relative_to(src.root)
        globs = (options.glob,) if options.glob else DEFAULT_GLOBS
        if any(part.startswith(".") for part in rel.parts) or not any(fnmatch.fnmatchcase(rel.name, g) for g in globs):
            continue
        rels.append(rel)
    rels.sort()
    if not rels:
        raise InputError(f"{src.location}: no objects match {options.glob or ', '.join(DEFAULT_GLOBS)!r}" + ("" if options.recursive else " (try --recursive)"))
    try:  # as in a folder: an index.md that is not tarjim's is never replaced without --force
        index = dst.read(dst.root / "index.md").decode("utf-8", "replace")
    except InputError:
        index = None
    if index is not None and not options.force and parse_front_matter(io.StringIO(index)) is None:
        raise UsageError(f"{dst.location.rstrip('/')}/index.md exists and was not written by tarjim "
                         "(use --force to replace it)")
    done = read_manifest(dst)
    key = settings_key(spec, options, summarizer_name)
    outcomes: dict[str, Outcome] = {}
    todo: list[_Article] = []
    claimed: dict[str, str] = {}
    for rel in rels:
        art = _Article(src.root / rel, str(rel), _out_path(dst.root, rel))
        taken = claim(claimed, str(art.out.relative_to(dst.root)), art.rel)
        if taken:
            outcomes[art.rel] = Outcome(art.rel, "failed", None, taken)
            continue
        try:
            load_article(art, src.read)
        except InputError as e:
            outcomes[art.rel] = Outcome(art.rel, "failed", None, str(e).removeprefix(f"{art.rel}: "))
            continue
        prev = done.get(art.rel)
        if prev and prev.get("sha256") == art.sha256 and prev.get("settings") == key and not options.force:
            outcomes[art.rel] = Outcome(art.rel, "unchanged", prev.get("out"), headline=prev.get("headline") or "",
                                        segments=int(prev.get("segments") or 0), flagged=int(prev.get("flagged") or 0))
            continue
        todo.append(segment_article(art))
    return Scan(tuple(str(r) for r in rels), key, outcomes, todo)


def read_manifest(dst: Store) -> dict[str, dict]:
    try:
        data = dst.read(dst.root / MANIFEST)
    except InputError:
        return {}
    rows = {}
    for line in data.decode("utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            rows[row["source"]] = row
    return rows


def _write_manifest(dst: Store, scan: Scan, ordered: list[Outcome], rows: dict[str, dict]) -> None:
    old = read_manifest(dst)
    lines = []
    for o in ordered:
        if o.status == "translated" and o.rel in rows:
            r = rows[o.rel]
            lines.append({"source": o.rel, "out": o.out, "sha256": r["sha256"], "settings": r["settings"],
                          "headline": o.headline, "segments": o.segments, "flagged": o.flagged})
        elif o.status == "unchanged" and o.rel in old:
            lines.append(old[o.rel])
    dst.write(dst.root / MANIFEST, "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in lines))


def _translate_on_ray(scan, src, dst, spec, summarizer_name, options, cluster, threads, progress, notify,
                      runtime_env, outcomes, rows, glossary=None) -> None:
    from tarjim.engines import prepare_model

    ray = _import_ray(local=cluster.address is None)
    prepare_model(spec, options.engine, notify=notify)  # download and convert once, here
    if options.brief:  # and a summarizer with weights (e.g. distilbart): the workers never download
        from tarjim.config import load_registry
        from tarjim.models import local_model_dir

        summarizer = load_registry().summarizer(summarizer_name)
        if summarizer.hub or summarizer.path:
            local_model_dir(summarizer, on_download=notify and (lambda: notify(
                f"downloading {summarizer.name} ({summarizer.hub}); this happens once")))
    groups = _groups(scan.todo)
    items = [{"group": json.dumps([[a.rel, str(src.root / a.rel), str(_out_path(dst.root, PurePosixPath(a.rel))),
                                    len(a.doc.sentences)] for a in g])} for g in groups]
    total = sum(len(a.doc.sentences) for a in scan.todo)
    for a in scan.todo:  # the workers read their articles again: the driver keeps no text
        a.text, a.doc = "", None
    with ray_output_to(ray, Path(cluster.temp_dir or ray_temp_dir()) / "driver.log"):
        owned = connect(ray, cluster)
        try:
            ctx = _quiet_data_context(ray)
            env = {"env_vars": {**worker_env(), **runtime_env.get("env_vars", {})}}
            env.update({k: v for k, v in runtime_env.items() if k != "env_vars"})
            if not _only_this_machine(ray):  # here, the driver has just prepared the model
                check_nodes(ray, spec, options.engine, env)
            actors = pool_size(ray, cluster)
            worker = dict(spec=spec, options=options, summarizer_name=summarizer_name, in_location=src.location,
                          out_location=dst.location, threads=threads or max(1, round(cluster.cpus_per_actor)),
                          glossary=glossary)
            progress.start(len(scan.todo), total)

            def take(row):
                rows[row["rel"]] = row
                o = Outcome(row["rel"], row["status"], row["out"], row["message"], row["headline"], row["segments"],
                            _checks(row.get("checks", ())), row.get("flagged", 0))
                outcomes[o.rel] = o
                progress.chunks(row["sentences"])
                progress.done(o)

            ctx.max_errored_blocks = len(items)  # a group whose worker keeps dying: its articles are tried alone
            for row in _pool(ray, items, worker, actors, cluster.cpus_per_actor, env, TASK_RETRIES):
                take(row)
            alone = [{"group": json.dumps([a])} for it in items for a in json.loads(it["group"]) if a[0] not in outcomes]
            if alone:
                ctx.max_errored_blocks = len(alone)
                for row in _pool(ray, alone, worker, min(actors, len(alone)), cluster.cpus_per_actor, env, ALONE_RETRIES):
                    take(row)
            tries = 1 + TASK_RETRIES + 1 + ALONE_RETRIES
            for a in scan.todo:
                if a.rel not in outcomes:
                    take({"rel": a.rel, "status": "failed", "out": None, "headline": "", "segments": 0, "sentences": 0,
                          "message": f"its worker process died {tries} times translating it"})
        finally:
            if owned:
                ray.shutdown()


def _checks(rows) -> tuple:
    """Outcome.checks back from a worker's JSON row: (sentence index, its Checks)."""
    from tarjim.document import Check

    return tuple((i, tuple(Check(**c) for c in cs)) for i, cs in rows)


def _pool(ray, items, worker, actors, cpus_per_actor, env, retries):
    import warnings

    ds = ray.data.from_items(items, override_num_blocks=len(items))
    with warnings.catch_warnings():  # max_restarts and max_task_retries have no named parameter yet
        warnings.simplefilter("ignore", DeprecationWarning)
        # alone (no retries), an actor holds one article at a time: its death fails no other
        compute = ray.data.ActorPoolStrategy(size=actors, max_tasks_in_flight_per_actor=None if retries else 1)
        ds = ds.map_batches(ArticleWorker, fn_constructor_kwargs=worker, batch_size=1, batch_format="numpy",
                            compute=compute, num_cpus=cpus_per_actor, runtime_env=env,
                            max_restarts=-1, max_task_retries=retries)
    for row in ds.iter_rows():
        yield json.loads(row["outcome"])


def _import_ray(local: bool = False):
    if local and "ray" not in sys.modules:
        # Ray then takes 127.0.0.1 as the node's address, and its servers listen there only
        # (read once, when ray is imported; the cluster's processes inherit it).
        os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise UsageError("--ray needs Ray: pip install 'tarjim[ray]'") from None
    return ray


def ray_temp_dir() -> Path:
    """Under tarjim's cache, unless that path is too long for Ray's sockets (AF_UNIX
    paths are at most 107 bytes): then a short one in the system temp folder."""
    from tarjim.cache import cache_dir

    d = cache_dir() / "ray"
    if len(str(d).encode()) + _SOCKET_TAIL > _SOCKET_MAX:
        d = Path(tempfile.gettempdir()) / f"tarjim-ray-{os.getuid()}"
    return d


def connect(ray, cluster: ClusterOptions) -> bool:
    """Start a local cluster (127.0.0.1 only) or join one; quiet either way. False when
    Ray was already connected in this process (the caller's cluster: left running)."""
    for name in ("ray", "ray.data", "ray.train", "ray.tune", "ray.serve"):
        logging.getLogger(name).setLevel(logging.ERROR)
    if ray.is_initialized():
        return False
    quiet = dict(log_to_driver=False, logging_level=logging.ERROR, configure_logging=True)
    if cluster.address not in (None, "auto", "local"):
        _check_reachable(cluster.address)
    try:
        if cluster.address is None:
            temp = Path(cluster.temp_dir) if cluster.temp_dir else ray_temp_dir()
            temp.mkdir(parents=True, exist_ok=True)
            ray.init(address="local", num_cpus=cluster.cpus, object_store_memory=cluster.object_store_mb << 20,
                     _temp_dir=str(temp), include_dashboard=False, **quiet)
        else:
            ray.init(address=cluster.address, **quiet)
    except (ConnectionError, ValueError, RuntimeError) as e:
        where = cluster.address or "a local cluster"
        raise UsageError(f"--ray {where}: cannot start or join the Ray cluster ({str(e).splitlines()[0]})") from None
    return True


def _check_reachable(address: str, timeout: float = 5.0) -> None:
    """A host:port (or ray://host:port) that nothing answers on is one line now: Ray alone
    retries for minutes, its messages in the log, with nothing on the terminal."""
    from urllib.parse import urlsplit

    from tarjim.models import reachable

    try:
        u = urlsplit(address if "://" in address else "//" + address)
        host, port = u.hostname, u.port
    except ValueError:
        return  # Ray's own parsing says what is wrong with it
    if host and port and not reachable(f"http://{address.split('://')[-1]}", timeout):
        raise UsageError(f"--ray {address}: nothing answers there (no connection to {host}:{port} in {timeout:g} s)")


@contextmanager
def ray_output_to(ray, log: Path):
    """Ray's chatter into a log file, not onto the terminal. Its C++ core writes to file
    descriptor 2 directly (e.g. each time an actor is created with restarts on): that
    descriptor points at the log, while Python's sys.stderr, which tarjim's progress
    writes to, keeps the terminal. The driver's error listener prints cluster events
    (a worker died, and was replaced) to stdout even with log_to_driver=False: they go
    to the log too."""
    log.parent.mkdir(parents=True, exist_ok=True)
    sys.stderr.flush()
    saved = os.dup(2)
    with open(log, "ab") as f:
        os.dup2(f.fileno(), 2)
    worker = getattr(getattr(ray, "_private", None), "worker", None)
    printer = getattr(worker, "print_to_stdstream", None)
    if printer is not None:
        def to_log(data, ignore_prefix=False):
            with open(log, "a", encoding="utf-8") as f:
                f.writelines(f"({data.get('pid')}) {line}\n" for line in data.get("lines", ()))

        worker.print_to_stdstream = to_log
    swapped = None
    try:
        if sys.stderr.fileno() == 2:
            swapped, sys.stderr = sys.stderr, os.fdopen(os.dup(saved), "w", buffering=1, encoding=sys.stderr.encoding,
                                                        errors=sys.stderr.errors)
    except (AttributeError, OSError, ValueError):  # sys.stderr is not a file (a test runner's capture)
        pass
    try:
        yield
    finally:
        if printer is not None:
            worker.print_to_stdstream = printer
        if swapped is not None:
            sys.stderr.close()
            sys.stderr = swapped
        os.dup2(saved, 2)
        os.close(saved)


def _quiet_data_context(ray):
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    ctx.enable_operator_progress_bars = False
    ctx.print_on_execution_start = False
    ctx.enable_auto_log_stats = False
    ctx.verbose_stats_logs = False
    return ctx


def worker_env() -> dict[str, str]:
    """What the workers' environment must share with the driver's, explicitly: tarjim's
    settings (compute type, shortlist, device…), the model caches, the object store's
    endpoint. Workers never download: the driver prepared the model."""
    env = {k: v for k, v in os.environ.items() if k.startswith(_ENV_PREFIXES) or k in _ENV_NAMES}
    env["TARJIM_OFFLINE"] = "1"
    env.pop("TARJIM_CACHE_DIR", None)  # no SQLite cache under Ray: each node would need its own
    return env


def pool_size(ray, cluster: ClusterOptions) -> int:
    """Actors that leave at least one CPU of the cluster free: a pool holding every CPU
    stalls Ray Data's other stages silently."""
    cpus = ray.cluster_resources().get("CPU", 0)
    if cluster.cpus_per_actor <= 0:
        raise UsageError("--cpus-per-actor must be above 0")
    free = cpus - 1
    if cluster.actors is None:
        n = int(free // cluster.cpus_per_actor)
        if n < 1:
            raise UsageError(f"the cluster has {cpus:g} CPUs: give --cpus-per-actor below {free:g} to leave one free")
        return n
    if cluster.actors < 1 or cluster.actors * cluster.cpus_per_actor > free:
        raise UsageError(f"--actors {cluster.actors} × --cpus-per-actor {cluster.cpus_per_actor:g} would take every "
                         f"CPU of the cluster ({cpus:g}); leave one free, e.g. --cpus-per-actor "
                         f"{max(free, 0.1) / max(cluster.actors, 1):.2g}")
    return cluster.actors


def check_nodes(ray, spec: ModelSpec, engine: str | None, env: dict) -> None:
    """Every node can load the model from its own disk (one line naming the first that cannot)."""
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    probe = ray.remote(num_cpus=0, max_retries=0)(_model_on_node)
    nodes = [n for n in ray.nodes() if n.get("Alive")]
    refs = [probe.options(scheduling_strategy=NodeAffinitySchedulingStrategy(n["NodeID"], soft=False),
                          runtime_env=env).remote(spec, engine) for n in nodes]
    for node, problem in zip(nodes, ray.get(refs)):
        if problem:
            raise ModelError(f"worker node {node.get('NodeManagerAddress')} cannot load the model: {problem}")


def _only_this_machine(ray) -> bool:
    nodes = [n for n in ray.nodes() if n.get("Alive")]
    return len(nodes) == 1 and nodes[0]["NodeID"] == ray.get_runtime_context().get_node_id()


def _model_on_node(spec: ModelSpec, engine: str | None) -> str:
    from tarjim.engines import prepare_model

    try:
        prepare_model(spec, engine)
    except TarjimError as e:
        return str(e)
    return ""


# --------------------------------------------------------------------------------------
# The workers


class ArticleWorker:
    """One actor: loads the model once, then translates, briefs and writes whole groups
    of articles, with batch.py's functions. Settings come in explicitly; the settings
    key in the front matter is computed here, from what this process uses."""

    def __init__(self, spec: ModelSpec, options: BatchOptions, summarizer_name: str, in_location: str,
                 out_location: str, threads: int, glossary=None):
        from tarjim.brief import brief_function
        from tarjim.engines import open_translator
        from tarjim.pipeline import model_info

        self.translator, _ = open_translator(spec, engine=options.engine, beams=options.beams, threads=threads)
        self.info = model_info(self.translator)
        self.key = settings_key(spec, options, summarizer_name)
        self.summarize = brief_function(summarizer_name) if options.brief else None
        self.options, self.summarizer_name, self.glossary = options, summarizer_name, glossary
        self.src, self.dst = Store(in_location), Store(out_location)

    def __call__(self, batch: dict) -> dict:
        rows = []
        for group in batch["group"]:
            rows.extend(self.translate(json.loads(str(group))))
        return {"outcome": [json.dumps(r, ensure_ascii=False) for r in rows]}

    def translate(self, group: list) -> list[dict]:
        arts, rows, sentences = [], [], {}
        for rel, path, out, n in group:
            sentences[rel] = n
            art = _Article(self.src.path(path), rel, self.dst.path(out))
            try:
                arts.append(segment_article(load_article(art, self.src.read)))
            except InputError as e:
                rows.append(self._row(art, Outcome(rel, "failed", None, str(e).removeprefix(f"{rel}: "))))
            except Exception as e:  # noqa: BLE001 — a bug on one article fails that article only
                rows.append(self._row(art, _internal(rel, e)))
        try:
            outcomes = self._translate(arts)
        except Exception:  # noqa: BLE001 — one article's bug must not fail its group: each alone
            outcomes = []
            for art in arts:
                try:
                    outcomes += self._translate([art])
                except Exception as e:  # noqa: BLE001
                    outcomes.append(_internal(art.rel, e))
        by_rel = {a.rel: a for a in arts}
        rows += [self._row(by_rel[o.rel], o) for o in outcomes]
        for r in rows:
            r["sentences"] = sentences[r["rel"]]
        return rows

    def _translate(self, arts: list[_Article]) -> list[Outcome]:
        out_root = self.dst.root
        return translate_group(arts, self.translator, self.info, self.key, self.summarize, self.summarizer_name,
                               self.options, out_root, write=self.dst.write, glossary=self.glossary) if arts else []

    def _row(self, art: _Article, o: Outcome) -> dict:
        return {**asdict(o), "sha256": art.sha256, "settings": self.key}


def _internal(rel: str, e: Exception) -> Outcome:
    return Outcome(rel, "failed", None, f"internal error: {type(e).__name__}: {e}")
