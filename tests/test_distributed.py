"""`tarjim batch --ray` on one local Ray cluster for the whole module (2 CPUs, a 256 MB
object store, its temp dir under /tmp): the same files as the local batch, re-runs that
start nothing, an actor killed mid-run, a crashing article, and an s3:// round trip
against moto on 127.0.0.1. Skipped where the `ray` extra is absent."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

# Before ray is imported (read once): the local cluster takes 127.0.0.1 and listens there only.
os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
pytest.importorskip("ray.data")

from tarjim.batch import read_front_matter  # noqa: E402
from test_batch import batch, env, make_articles  # noqa: E402, F401 (env: a fixture)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # Ray Data's own, on its context
ROOT = Path(__file__).resolve().parents[1]
FAULTS = Path(__file__).parent / "ray_faults"
ARGS = ["--beams", "1", "-r", "--engine", "transformers"]  # transformers: the same output however batched


@pytest.fixture(scope="module")
def cluster():
    """One local cluster; every test joins it. Teardown leaves no Ray process behind."""
    import ray

    from tarjim.distributed import ClusterOptions, connect

    temp = tempfile.mkdtemp(prefix="tj-ray-")
    assert connect(ray, ClusterOptions(cpus=2, object_store_mb=256, temp_dir=temp))
    try:
        address = ray.get_runtime_context().gcs_address
        assert address.startswith("127.0.0.1:")  # the local cluster is on the loopback only
        yield address
    finally:
        ray.shutdown()
        deadline = time.time() + 20
        while time.time() < deadline and _ray_processes(temp):
            time.sleep(0.2)
        left = _ray_processes(temp)
        shutil.rmtree(temp, ignore_errors=True)
        assert not left, left


def _ray_processes(temp: str) -> list[str]:
    ps = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True).stdout
    return [line for line in ps.splitlines() if temp in line or "(ArticleWorker)" in line]


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def no_cluster(monkeypatch):
    """Make any attempt to reach Ray fail the test."""
    import tarjim.distributed

    def refuse(*a, **k):
        raise AssertionError("a cluster was contacted with nothing to do")

    monkeypatch.setattr(tarjim.distributed, "connect", refuse)
    monkeypatch.setattr(tarjim.distributed, "_translate_on_ray", refuse)


def test_ray_writes_what_the_local_batch_writes_and_reruns_start_nothing(cluster, env, tiny_marian, monkeypatch):
    src = env / "in"
    make_articles(src, 30)  # 30 articles, a file that is not UTF-8, an empty one
    local = batch(src, env / "local", "-m", tiny_marian, *ARGS, "--no-cache")
    distributed = batch(src, env / "ray", "-m", tiny_marian, *ARGS, "--ray")
    assert local.exit_code == distributed.exit_code == 4, distributed.output
    assert "30 translated, 2 failed" in distributed.stderr
    ours, theirs = files(env / "local"), files(env / "ray")
    assert len(ours) == 31 and ours == theirs  # every .md byte for byte, front matter and index.md included
    assert read_front_matter(env / "ray" / "sub" / "a02.md")["settings"]

    before = {p: p.stat().st_mtime_ns for p in (env / "ray").rglob("a*.md")}
    no_cluster(monkeypatch)
    again = batch(src, env / "ray", "-m", tiny_marian, *ARGS, "--ray")
    assert again.exit_code == 4 and "30 unchanged, 2 failed" in again.stderr
    assert before == {p: p.stat().st_mtime_ns for p in (env / "ray").rglob("a*.md")}
    # the local batch agrees that the Ray run's files are up to date
    assert "30 unchanged" in batch(src, env / "ray", "-m", tiny_marian, *ARGS, "--no-cache").stderr


def _actor_pids() -> list[int]:
    """The pool's actors (Ray names each process after its class)."""
    ps = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True).stdout
    return [int(line.split()[0]) for line in ps.splitlines() if "(ArticleWorker)" in line and "defunct" not in line]


def test_killed_actor_is_replaced_and_every_article_completes(cluster, env, tiny_marian):
    src, out = env / "in", env / "out"
    make_articles(src, 40, bad=False)
    cmd = [sys.executable, "-m", "tarjim", "batch", str(src), str(out), "--ray", cluster,
           "-m", str(tiny_marian), *ARGS]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 60
        while time.time() < deadline and not list(out.rglob("a*.md")):
            time.sleep(0.05)
        pids = _actor_pids()
        assert pids, "no actor to kill"
        os.kill(pids[0], signal.SIGKILL)
        killed_at = len(list(out.rglob("a*.md")))
        _, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert killed_at < 40, "the kill should land mid-run"
    assert proc.returncode == 0, err
    assert "40 translated" in err and err.count("tarjim: translated: ") == 40  # every article, once
    assert len(list(out.rglob("a*.md"))) == 40 and not list(out.rglob("*.tmp"))
    index = (out / "index.md").read_text(encoding="utf-8")
    assert index.count("| translated |") == 40


def test_a_crashing_article_fails_in_bounded_time_and_the_rest_completes(cluster, env, tiny_marian):
    from tarjim.batch import BatchOptions
    from tarjim.config import resolve_model
    from tarjim.distributed import ClusterOptions, run_distributed

    src, out = env / "in", env / "out"
    make_articles(src, 12, bad=False)
    (src / "a03.txt").write_text("خبر عاجل CRASH-ME.", encoding="utf-8")
    (src / "a07.txt").write_text("خبر عاجل PY-ERROR.", encoding="utf-8")
    t0 = time.monotonic()
    report = run_distributed(src, out, resolve_model(str(tiny_marian)), "extractive",
                             BatchOptions(recursive=True, engine="transformers", beams=1), ClusterOptions(),
                             runtime_env={"env_vars": {"PYTHONPATH": str(FAULTS)}})
    elapsed = time.monotonic() - t0
    by = {o.rel: o for o in report.outcomes}
    assert by["a03.txt"].status == "failed" and "died" in by["a03.txt"].message
    assert by["a07.txt"].status == "failed" and "ValueError: a bug on this article" in by["a07.txt"].message
    assert report.count("translated") == 10 and len(report.outcomes) == 12
    assert elapsed < 90, elapsed
    index = (out / "index.md").read_text(encoding="utf-8")
    assert index.count("| translated |") == 10 and index.count("| failed: ") == 2


def test_ctrl_c_writes_the_index_with_pending_rows(cluster, env, tiny_marian):
    from tarjim.batch import BatchOptions, BatchProgress
    from tarjim.config import resolve_model
    from tarjim.distributed import ClusterOptions, run_distributed

    src, out = env / "in", env / "out"
    make_articles(src, 8, bad=False)
    make_articles(src / "done", 2, bad=False)
    opts = BatchOptions(recursive=True, engine="transformers", beams=1)
    assert batch(src / "done", out / "done", "-m", tiny_marian, *ARGS, "--no-cache").exit_code == 0

    def interrupt(articles, segments):  # Ctrl-C as the pool is about to start
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_distributed(src, out, resolve_model(str(tiny_marian)), "extractive", opts, ClusterOptions(),
                        progress=BatchProgress(start=interrupt))
    fm = read_front_matter(out / "index.md")
    assert fm["articles"] == 10 and fm["unchanged"] == 2 and fm["pending"] == 8
    assert (out / "index.md").read_text(encoding="utf-8").count("| pending: not translated yet: run again |") == 8


def test_a_node_that_cannot_see_the_model_is_one_line(cluster, tmp_path):
    import dataclasses

    import ray

    from tarjim.config import resolve_model
    from tarjim.distributed import check_nodes, worker_env
    from tarjim.errors import ModelError
    from tiny_models import build_tiny_marian

    model = build_tiny_marian(tmp_path / "m")
    spec = resolve_model(str(model))
    shutil.rmtree(model)  # as on a node whose disk lacks it
    with pytest.raises(ModelError, match=r"^worker node 127\.0\.0\.1 cannot load the model: ") as e:
        check_nodes(ray, dataclasses.replace(spec), "transformers", {"env_vars": worker_env()})
    assert "\n" not in str(e.value)



def test_settings_travel_to_the_workers_and_secrets_do_not(monkeypatch, tmp_path):
    from tarjim.distributed import ray_temp_dir, worker_env

    monkeypatch.setenv("TARJIM_CT2_COMPUTE", "int8_float32")
    monkeypatch.setenv("HF_TOKEN", "secret")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    env = worker_env()
    assert env["TARJIM_CT2_COMPUTE"] == "int8_float32" and env["TARJIM_OFFLINE"] == "1"
    assert "secret" not in env.values() and "TARJIM_CACHE_DIR" not in env
    monkeypatch.setenv("TARJIM_CACHE_DIR", str(tmp_path / ("x" * 60)))  # Ray's socket paths would pass 107 bytes
    assert len(str(ray_temp_dir())) < 40 and ray_temp_dir().name.startswith("tarjim-ray-")
    monkeypatch.setenv("TARJIM_CACHE_DIR", "/tmp/c")
    assert ray_temp_dir() == Path("/tmp/c/ray")


@pytest.fixture
def s3(monkeypatch):
    """moto's S3 in server mode on 127.0.0.1, stopped at the end."""
    pytest.importorskip("moto.server")
    from moto.server import ThreadedMotoServer

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    creds = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1",
             "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}"}
    for k, v in creds.items():
        monkeypatch.setenv(k, v)
    try:
        yield creds
    finally:
        server.stop()


def test_s3_round_trip(cluster, env, tiny_marian, s3, monkeypatch):
    import boto3

    from tarjim.batch import BatchOptions, run_batch
    from tarjim.brief import brief_function
    from tarjim.config import resolve_model
    from tarjim.distributed import MANIFEST, ClusterOptions, run_distributed
    from tarjim.engines import load_translator

    client = boto3.client("s3", endpoint_url=s3["AWS_ENDPOINT_URL"], region_name="us-east-1")
    for bucket in ("news", "english"):
        client.create_bucket(Bucket=bucket)
    src = env / "in"
    make_articles(src, 6, bad=False)
    for p in src.rglob("*.txt"):
        client.put_object(Bucket="news", Key=f"2026/{p.relative_to(src).as_posix()}", Body=p.read_bytes())
    spec, opts = resolve_model(str(tiny_marian)), BatchOptions(recursive=True, engine="transformers", beams=1)

    def run():  # credentials travel to the workers only in this test (a real node has its own)
        return run_distributed("s3://news/2026", "s3://english/en", spec, "extractive", opts, ClusterOptions(),
                               runtime_env={"env_vars": {k: v for k, v in s3.items()}})

    report = run()
    assert report.count("translated") == 6
    keys = sorted(o["Key"] for o in client.list_objects_v2(Bucket="english")["Contents"])
    assert keys == sorted(["en/index.md", f"en/{MANIFEST}", "en/a00.md", "en/a01.md", "en/a03.md", "en/a04.md",
                           "en/sub/a02.md", "en/sub/a05.md"])
    local = env / "local"  # the same articles through the local batch: the same Markdown
    run_batch(src, local, spec, lambda: load_translator(spec, engine="transformers", beams=1),
              brief_function("extractive"), "extractive", opts)
    body = client.get_object(Bucket="english", Key="en/sub/a02.md")["Body"].read()
    assert body == (local / "sub" / "a02.md").read_bytes()

    no_cluster(monkeypatch)  # the manifest says all is done: no cluster, no object rewritten
    stamps = {o["Key"]: o["LastModified"] for o in client.list_objects_v2(Bucket="english")["Contents"]}
    assert run().count("unchanged") == 6
    after = {o["Key"]: o["LastModified"] for o in client.list_objects_v2(Bucket="english")["Contents"]}
    articles = [k for k in stamps if k.endswith(".md") and not k.endswith("index.md")]
    assert len(articles) == 6 and {k: after[k] for k in articles} == {k: stamps[k] for k in articles}
    manifest = client.get_object(Bucket="english", Key=f"en/{MANIFEST}")["Body"].read().decode()
    rows = [json.loads(line) for line in manifest.splitlines()]
    assert sorted(r["source"] for r in rows) == sorted(o.rel for o in report.outcomes)
    assert all(len(r["sha256"]) == 64 and r["settings"] for r in rows)


def test_s3_two_articles_with_one_output_name_fail_as_in_a_folder(env, tiny_marian, s3):
    """a.txt and a.html both make a.md: the second fails at the scan (as the local batch
    says), rather than both being translated into one object."""
    import boto3

    from tarjim.batch import BatchOptions
    from tarjim.config import resolve_model
    from tarjim.distributed import Store, scan_objects

    client = boto3.client("s3", endpoint_url=s3["AWS_ENDPOINT_URL"], region_name="us-east-1")
    client.create_bucket(Bucket="news")
    client.put_object(Bucket="news", Key="in/a.txt", Body="قال الرئيس إن الحكومة ستعمل على خفض الأسعار.".encode())
    client.put_object(Bucket="news", Key="in/a.html",
                      Body=(Path(__file__).parent / "data" / "pages" / "wheat-harvest.html").read_bytes())
    scan = scan_objects(Store("s3://news/in"), Store("s3://news/out"), resolve_model(str(tiny_marian)),
                        "extractive", BatchOptions())
    assert [a.rel for a in scan.todo] == ["a.html"]
    assert scan.outcomes["a.txt"].status == "failed" and "already a.html's" in scan.outcomes["a.txt"].message


def test_s3_an_index_md_tarjim_did_not_write_is_not_replaced(env, tiny_marian, s3):
    """As in a folder: an index.md under OUT that is not tarjim's stops the run (--force replaces it)."""
    import boto3

    from tarjim.batch import BatchOptions
    from tarjim.config import resolve_model
    from tarjim.distributed import Store, scan_objects
    from tarjim.errors import UsageError

    client = boto3.client("s3", endpoint_url=s3["AWS_ENDPOINT_URL"], region_name="us-east-1")
    client.create_bucket(Bucket="news")
    client.put_object(Bucket="news", Key="in/a.txt", Body="قال الرئيس إن الحكومة ستعمل على خفض الأسعار.".encode())
    client.put_object(Bucket="news", Key="out/index.md", Body=b"# Our archive\n")
    spec = resolve_model(str(tiny_marian))
    with pytest.raises(UsageError, match="not written by tarjim"):
        scan_objects(Store("s3://news/in"), Store("s3://news/out"), spec, "extractive", BatchOptions())
    assert scan_objects(Store("s3://news/in"), Store("s3://news/out"), spec, "extractive",
                        BatchOptions(force=True)).todo
