"""The protocol every engine implements, and the decoding helpers they share."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Protocol

from tarjim.config import ModelSpec
from tarjim.document import TranslationResult

Tokens = list[int]

Progress = Callable[[int], None]  # called with how many inputs were just finished


class Translator(Protocol):
    spec: ModelSpec
    engine: str
    max_input_tokens: int  # the chunk budget: longer inputs are split before translation

    def count_tokens(self, text: str) -> int: ...

    def translate(self, texts: Sequence[str], progress: Progress | None = None) -> list[TranslationResult]:
        """Same length and order as texts."""
        ...


def physical_cores() -> int:
    """Physical cores (hyper-threads do not help matrix products), at least 1."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            pairs = set()
            phys = core = None
            for line in f:
                if line.startswith("physical id"):
                    phys = line.split(":")[1].strip()
                elif line.startswith("core id"):
                    core = line.split(":")[1].strip()
                    pairs.add((phys, core))
            if pairs:
                return len(pairs)
    except OSError:
        pass
    return max(1, (os.cpu_count() or 2) // 2)


def default_threads() -> int:
    """$TARJIM_THREADS, else the physical cores."""
    env = os.environ.get("TARJIM_THREADS", "")
    return int(env) if env.isdigit() and int(env) > 0 else physical_cores()


def looping(tokens: Sequence[int], min_repeats: int = 3, max_period: int = 8) -> bool:
    """True when the output ends in a phrase repeated over and over: the model is
    looping, not translating (e.g. "the army, the army, the army, ...")."""
    n = len(tokens)
    for period in range(1, max_period + 1):
        reps = max(min_repeats, 4 if period == 1 else min_repeats)
        span = period * reps
        if n < span:
            break
        tail = tokens[n - span:]
        if all(tail[i] == tail[i % period] for i in range(span)):
            return True
    return False


def batches_by_tokens(lengths: Sequence[int], budget: int, max_batch: int) -> list[list[int]]:
    """Indices grouped into batches, longest first, each holding at most `budget` padded
    tokens (count × longest) and `max_batch` items. Sorting by length keeps padding small."""
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    out: list[list[int]] = []
    cur: list[int] = []
    for i in order:
        longest = lengths[cur[0]] if cur else lengths[i]
        if cur and (len(cur) + 1 > max_batch or (len(cur) + 1) * longest > budget):
            out.append(cur)
            cur = []
        cur.append(i)
    if cur:
        out.append(cur)
    return out


def guarded_results(
    outs: Sequence[Tokens], lengths: Sequence[int], limits: Sequence[int],
    redo: Callable[[list[int]], list[Tokens]], decode: Callable[[Tokens], str], guard: bool = True,
) -> list[TranslationResult]:
    """One batch's outputs, each held to its own length limit. Outputs that loop are
    flagged; with the guard on they are first decoded again, together, forbidding
    repeated phrases (redo gets their positions in the batch), and a retry is kept only
    if it stops the loop ("repetition_guard"; "repetition" when it did not, or no guard)."""
    outs = [list(o[:limit]) for o, limit in zip(outs, limits)]
    loopers = [k for k, o in enumerate(outs) if looping(o)]
    again = dict(zip(loopers, redo(loopers))) if guard and loopers else {}
    results = []
    for k, toks in enumerate(outs):
        flags: tuple[str, ...] = ()
        if k in again and not looping(retry := again[k][: limits[k]]):
            toks, flags = retry, ("repetition_guard",)
        elif k in loopers:
            flags = ("repetition",)
        if len(toks) >= limits[k] - 1:
            flags += ("length_limit",)
        results.append(TranslationResult(decode(toks).strip(), lengths[k], len(toks), flags))
    return results
