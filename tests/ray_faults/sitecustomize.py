"""Faults for tests/test_distributed.py, in Ray worker processes only: the test puts this
folder on the workers' PYTHONPATH, so Python runs it at start-up. An article whose text
holds CRASH-ME kills its worker process (as a segfault in a native library would); one
that holds PY-ERROR raises inside the translation."""

import os

import tarjim.pipeline

_translate_documents = tarjim.pipeline.translate_documents


def _faulty(docs, *args, **kwargs):
    if any("CRASH-ME" in d.text for d in docs):
        os._exit(1)
    if any("PY-ERROR" in d.text for d in docs):
        raise ValueError("a bug on this article")
    return _translate_documents(docs, *args, **kwargs)


tarjim.pipeline.translate_documents = _faulty
