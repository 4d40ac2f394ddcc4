"""`tarjim batch --ray` without a cluster: usage errors, Ray absent, the pool-size rule.
These run where the `ray` extra is absent too."""

import sys
from types import SimpleNamespace

import pytest

from tarjim.errors import UsageError
from test_batch import batch, env, make_articles  # noqa: F401 (env: a fixture)


def test_without_ray_installed_work_is_a_usage_error_and_nothing_to_do_needs_no_ray(env, tiny_marian, monkeypatch):
    src, out = env / "in", env / "out"
    make_articles(src, 3, bad=False)
    assert batch(src, out, "-m", tiny_marian, "--beams", "1", "-r", "--no-cache").exit_code == 0
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now fails, as where the extra is absent
    r = batch(src, out, "-m", tiny_marian, "--beams", "1", "-r", "--ray")
    assert r.exit_code == 0 and "3 unchanged" in r.stderr  # nothing to do: no cluster, no Ray
    (src / "a01.txt").write_text("خبر جديد تماما.", encoding="utf-8")
    r = batch(src, out, "-m", tiny_marian, "--beams", "1", "-r", "--ray")
    errors = [line for line in r.stderr.splitlines() if line.startswith("tarjim: error")]
    assert r.exit_code == 2 and errors == ["tarjim: error: --ray needs Ray: pip install 'tarjim[ray]'"]
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "| pending: not translated yet: run again |" in index and index.count("| unchanged |") == 2


def test_address_needs_ray_and_object_stores_need_ray(env, tiny_marian):
    make_articles(env / "in", 1, bad=False)
    r = batch(env / "in", env / "out", "auto", "-m", tiny_marian)
    assert r.exit_code == 2 and "with --ray" in r.stderr
    r = batch("s3://bucket/news", env / "out", "-m", tiny_marian)
    assert r.exit_code == 2 and "need --ray" in r.stderr


@pytest.mark.parametrize("cpus, actors, per_actor, expected", [
    (2, None, 1.0, 1),  # a 2-CPU machine: one actor, one CPU left for Ray Data
    (16, None, 2.0, 7),
    (2, 2, 0.5, 2),
    (2, 2, 1.0, UsageError),  # would hold every CPU
    (1, None, 1.0, UsageError),
])
def test_the_pool_always_leaves_a_cpu_free(cpus, actors, per_actor, expected):
    from tarjim.distributed import ClusterOptions, pool_size

    ray = SimpleNamespace(cluster_resources=lambda: {"CPU": float(cpus)})
    cluster = ClusterOptions(actors=actors, cpus_per_actor=per_actor)
    if expected is UsageError:
        with pytest.raises(UsageError, match="CPU"):
            pool_size(ray, cluster)
    else:
        assert pool_size(ray, cluster) == expected


def test_a_folder_and_an_object_store_together_is_a_usage_line_before_any_network(env, tiny_marian):
    make_articles(env / "in", 1, bad=False)
    for args in ((env / "in", "s3://bucket/out"), ("s3://bucket/in", env / "out")):
        r = batch(*args, "-m", tiny_marian, "--ray")
        assert r.exit_code == 2 and "both" in r.stderr, r.output
        assert len(r.stderr.strip().splitlines()) == 1


def test_the_driver_prepares_a_summarizer_model_before_any_cluster(env, tiny_marian, monkeypatch):
    """Workers never download: a summarizer with weights is made ready by the driver, or the
    run stops there with one line (here: offline and not cached), not an article failing
    on every worker."""
    import tarjim.distributed

    def refuse(*a, **k):
        raise AssertionError("a cluster was started")

    monkeypatch.setattr(tarjim.distributed, "_import_ray", lambda local=False: SimpleNamespace())
    monkeypatch.setattr(tarjim.distributed, "connect", refuse)
    monkeypatch.setenv("HF_HOME", str(env / "hf"))  # an empty hub cache: distilbart is not there
    make_articles(env / "in", 2, bad=False)
    r = batch(env / "in", env / "out", "-m", tiny_marian, "--engine", "transformers", "--summarizer", "distilbart",
              "--ray")
    errors = [line for line in r.stderr.splitlines() if line.startswith("tarjim: error")]
    assert r.exit_code == 3 and len(errors) == 1 and "distilbart" in errors[0], r.output


def test_an_address_nothing_answers_on_is_one_line_in_seconds(env, tiny_marian):
    """A mistyped --ray ADDRESS: Ray alone retries for minutes with its chatter in the log
    and nothing on the terminal; tarjim says so at once."""
    import socket
    import time

    pytest.importorskip("ray")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once the block ends: nothing listens there
    make_articles(env / "in", 1, bad=False)
    t0 = time.monotonic()
    r = batch(env / "in", env / "out", f"127.0.0.1:{port}", "-m", tiny_marian, "--engine", "transformers", "--ray")
    assert r.exit_code == 2 and f"127.0.0.1:{port}" in r.stderr, r.output
    assert time.monotonic() - t0 < 20
