"""The CTranslate2 engine: the model's own transformers tokenizer, a CTranslate2 conversion
of the same checkpoint (made once, see tarjim.convert), int8 on CPU, length-sorted
batches by token budget, each with its own length limit, and the same repetition guard
as the transformers engine.

Shortcuts that can change a translation, each of which can be turned off:
- int8 weights (compute_type "int8", the CPU default; TARJIM_CT2_COMPUTE=float32 turns
  it off, at ~1/3 of the speed). CTranslate2's own CPU benchmark (newstest2014 En→De,
  Transformer-base, beam 4) scored int8 26.84 BLEU against float 26.69: within noise.
- the target-vocabulary shortlist (Marian models with a separate target.spm: the output
  layer scores only the 32k pieces the target tokenizer can produce, out of the joint
  63k; TARJIM_CT2_SHORTLIST=0 turns it off, at ~0.8× the speed). The model never saw
  another piece as a training target, and the target tokenizer cannot decode one (it
  prints "⁇"), so a translation can change only where it would have held such a piece;
  the softmax is renormalised over the shortlist, which moves scores by the excluded
  pieces' tiny probability mass. It is NOT a lexical shortlist learnt from aligned
  parallel data (candidates per source word): that would be ~1.5× faster again, but is
  only safe when built from the model's real training data, which tarjim does not ship
  (CTranslate2's benchmark above: int8 + lexical vmap 26.59 BLEU, -0.25).
- beams come from models.toml (or --beams), as for the transformers engine; greedy
  (beams = 1) is ~3× faster than beam 4 and typically a fraction of a BLEU point to
  about one point worse on Transformer models (not measurable here: no trained weights).
- outputs are cut to each segment's own length limit, as the transformers engine does.

Heavy imports (ctranslate2, transformers) happen inside methods: importing this module
is cheap, and loading the engine never imports torch (the tokenizer class is imported
directly, not through AutoTokenizer, which pulls torch in).
"""

from __future__ import annotations

import atexit
import json
import os
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path

from tarjim.config import ModelSpec, check_guard
from tarjim.document import TranslationResult
from tarjim.engines.base import Progress, batches_by_tokens, default_threads, guarded_results
from tarjim.errors import ModelError
from tarjim.models import local_model_dir

# Padded source tokens decoded at once (÷ beams), shared by the workers: one worker's
# batches of 2048 and two workers' of 1024 were the fastest measured on CPU, and a fixed
# total keeps memory flat however many cores there are (peak RSS ~420 MB for opus-mt-ar-en).
BATCH_TOKENS = 2048
MIN_BATCH_TOKENS = 256  # below this, splitting a short input between workers costs more than it saves
MAX_BATCH = 256
_FALSY = {"0", "false", "no", "off"}

_live: "weakref.WeakSet[CT2Translator]" = weakref.WeakSet()
_atexit_registered = False


def _release_all() -> None:
    # A ctranslate2.Translator still alive at interpreter shutdown can abort the process
    # ("terminate called without an active exception", exit 134): seen in 6 of 10 runs of
    # a script that kept a 2-thread Translator, a stop callback and its results to the
    # end; releasing it at exit fixed all 10. Release every one before shutdown.
    for tr in list(_live):
        tr.close()


def default_device() -> str:
    env = os.environ.get("TARJIM_DEVICE", "").lower()
    if env in ("cpu", "cuda"):
        return env
    import ctranslate2

    return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"


def default_compute_type(device: str) -> str:
    """int8 on CPU; int8_float16 on a GPU that supports it. TARJIM_CT2_COMPUTE overrides."""
    env = os.environ.get("TARJIM_CT2_COMPUTE", "").strip()
    if env:
        return env
    if device == "cuda":
        import ctranslate2

        supported = ctranslate2.get_supported_compute_types("cuda")
        for ct in ("int8_float16", "int8_bfloat16", "float16", "int8"):
            if ct in supported:
                return ct
        return "default"
    return "int8"


def load_tokenizer(model_dir: Path, family: str):
    """The class AutoTokenizer would choose, imported directly: AutoTokenizer imports torch
    (~2 s and ~200 MB), which the ctranslate2 engine does not otherwise need."""
    import transformers

    name = None
    try:
        name = json.loads((model_dir / "tokenizer_config.json").read_text(encoding="utf-8")).get("tokenizer_class")
    except (OSError, ValueError):
        pass
    if not name:
        try:
            model_type = json.loads((model_dir / "config.json").read_text(encoding="utf-8")).get("model_type")
        except (OSError, ValueError):
            model_type = None
        name = {"marian": "MarianTokenizer", "m2m_100": "M2M100Tokenizer"}.get(model_type or "")
    cls = getattr(transformers, name, None) if name else None
    if cls is None:
        from transformers import AutoTokenizer as cls  # noqa: N813 (the general case; imports torch)
    return cls.from_pretrained(model_dir)


class CT2Translator:
    engine = "ctranslate2"

    def __init__(self, spec: ModelSpec, *, threads: int | None = None, beams: int | None = None,
                 device: str | None = None, compute_type: str | None = None, shortlist: bool | None = None,
                 workers: int | None = None, return_scores: bool = False, repetition_guard: int | None = None):
        try:
            import ctranslate2
        except ImportError:
            raise ModelError("the ctranslate2 engine needs the ctranslate2 package "
                             "(pip install 'ctranslate2>=4.5'), or use --engine transformers") from None

        from tarjim.convert import VMAP, converted_dir, storage_for

        self.spec = spec
        self.beams = beams or spec.beams
        self.threads = threads or default_threads()
        self.device = device or default_device()
        # CPU threads go to batches decoded side by side (inter_threads), one thread each
        # up to 4, rather than to one batch's matrix products (intra_threads): this model's
        # products are too small to share well (shape twin, 2 cores: one batch on 2 threads
        # ran at 0.6× the speed of one thread, two batches on 1 thread each at 1.8×).
        if workers is None:
            workers = 1 if self.device != "cpu" else min(self.threads, 4)
        self.workers = max(1, workers)
        self.intra_threads = max(1, self.threads // self.workers) if self.device == "cpu" else self.threads
        self.compute_type = compute_type or default_compute_type(self.device)
        self.return_scores = return_scores  # TranslationResult has no score field yet: off saves ~5 %
        # n-gram size forbidden when a looping output is decoded again; 0: no guard.
        self.repetition_guard = (spec.repetition_guard if repetition_guard is None
                                 else check_guard(repetition_guard, "repetition_guard"))
        self.model_dir = local_model_dir(spec)
        self.model_path = converted_dir(self.model_dir, storage_for(self.compute_type))
        try:
            self.tokenizer = load_tokenizer(self.model_dir, spec.family)
            self._translator = ctranslate2.Translator(
                str(self.model_path), device=self.device, compute_type=self.compute_type,
                intra_threads=self.intra_threads, inter_threads=self.workers,
            )
        except Exception as e:  # a corrupt model directory or conversion
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise ModelError(f"cannot load model {spec.name} from {self.model_path}: {first}") from None
        global _atexit_registered
        _live.add(self)
        if not _atexit_registered:
            atexit.register(_release_all)
            _atexit_registered = True

        if shortlist is None:
            env = os.environ.get("TARJIM_CT2_SHORTLIST", "").lower()
            shortlist = env not in _FALSY
        self.shortlist = bool(shortlist) and (self.model_path / VMAP).is_file()

        self._prefix: list[str] = []
        if spec.family == "nllb":
            self.tokenizer.src_lang = spec.source
            lang = self.tokenizer.convert_tokens_to_ids(spec.target)
            if lang is None or lang == self.tokenizer.unk_token_id:
                raise ModelError(f"model {spec.name}: its tokenizer has no language code {spec.target!r}")
            self._prefix = [spec.target]
        try:
            cfg = json.loads((self.model_dir / "config.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            cfg = {}
        positions = cfg.get("max_position_embeddings") or 512
        self.max_input_tokens = min(spec.max_input_tokens, positions - 2)
        self._special = set(self.tokenizer.all_special_ids)
        # For benchmarks only: source token count → exact number of tokens to generate.
        self._force_lengths: Callable[[int], int] | None = None

    def close(self) -> None:
        """Free the model now (also done at exit)."""
        self._translator = None
        _live.discard(self)

    def count_tokens(self, text: str) -> int:
        # verbose=False: counting a sentence longer than the model's input, to chunk it,
        # is on purpose; transformers would warn "Token indices sequence length is longer
        # than the specified maximum" on stderr.
        return len(self.tokenizer(text, verbose=False).input_ids)

    def _max_length(self, limit: int) -> int:
        """CTranslate2's max_decoding_length for a limit on the transformers engine's terms.
        There, max_new_tokens=limit counts the forced language code (NLLB) or the forced
        EOS (Marian): content tokens stop at limit - 1 either way. CTranslate2 (4.x) counts
        the target prefix in max_decoding_length, and a missing EOS not at all."""
        return max(1, limit - 1) + len(self._prefix)

    def _submit(self, sources: list[list[str]], limit: int, *, stops: list[int] | None = None,
                force: bool = False, wait: bool = True, **extra):
        """Start decoding a batch (wait=False: in the background, on a free worker).
        limit: the batch's length limit. stops: per-input caps on content tokens; outputs
        are cut to them (a per-input stop callback would save decoding past them, but it
        costs ~6 % on every token, and batches of length-sorted inputs have limits close
        to their members' own). force (benchmarks): generate stops[i] tokens, no EOS
        before: exactly (greedy, through that callback), or max(stops) for every input, cut
        to stops[i] (beam search, which takes no callback; credits less than was done)."""
        if self._translator is None:
            raise ModelError(f"model {self.spec.name} was closed")
        n = len(self._prefix)
        padded = max(len(s) for s in sources) * len(sources)
        options = dict(
            beam_size=self.beams, max_decoding_length=self._max_length(limit), max_input_length=0,
            # A safety net only: our batches are sized already, and CTranslate2 counts tokens
            # its own way, so a tight value could split one of them.
            max_batch_size=2 * padded, batch_type="tokens",
            return_scores=self.return_scores, use_vmap=self.shortlist, **extra,
        )
        if force and stops:
            top = max(stops) + n
            options.update(max_decoding_length=top, min_decoding_length=top)
        if force and stops and self.beams == 1:
            counts = [0] * len(sources)

            def stop(step) -> bool:
                if step.step < n:  # the language code, when CTranslate2 reports it
                    return False
                counts[step.batch_id] += 1
                return counts[step.batch_id] >= stops[step.batch_id]

            options["callback"] = stop
        prefix = [list(self._prefix) for _ in sources] if n else None
        out = self._translator.translate_batch(sources, prefix, asynchronous=not wait, **options)
        return out, stops, force

    def _finish(self, pending) -> list[list[int]]:
        """Token ids of each input's translation: language code, EOS and padding dropped."""
        out, stops, force = pending
        n = len(self._prefix)
        rows = []
        for k, r in enumerate(out):
            if hasattr(r, "result"):  # asynchronous
                r = r.result()
            hyp = r.hypotheses[0]
            if n and hyp[:n] == self._prefix:
                hyp = hyp[n:]
            if stops is not None:
                hyp = hyp[:stops[k]]
            ids = self.tokenizer.convert_tokens_to_ids(hyp)
            # Forced (benchmarks): every generated token counts, a special one included.
            rows.append(ids if force else [t for t in ids if t not in self._special])
        return rows

    def _decode(self, sources: list[list[str]], limit: int, **kwargs) -> list[list[int]]:
        return self._finish(self._submit(sources, limit, **kwargs))

    def _budget(self, lengths: list[int]) -> int:
        """Padded source tokens a batch: each worker's share of BATCH_TOKENS (÷ beams), but
        small enough that a short input still gives every worker a batch, and never below
        the longest input. (Evening the batches out between workers measured slower:
        smaller batches cost more than the idle tail they save.)"""
        budget = max(BATCH_TOKENS // self.workers, MIN_BATCH_TOKENS) // self.beams
        if self.workers > 1 and lengths:
            share = -(-sum(lengths) // self.workers)
            budget = min(budget, max(share, MIN_BATCH_TOKENS // self.beams))
        return max(budget, max(lengths, default=1))

    def translate(self, texts: Sequence[str], progress: Progress | None = None) -> list[TranslationResult]:
        ids = [self.tokenizer(t).input_ids for t in texts]
        pieces = [self.tokenizer.convert_ids_to_tokens(i) for i in ids]
        lengths = [len(i) for i in ids]
        force = self._force_lengths
        results: list[TranslationResult | None] = [None] * len(texts)
        # Every batch is queued at once: the workers take them in turn, and the results are
        # read back in order while the rest decode.
        queued = []
        for batch in batches_by_tokens(lengths, self._budget(lengths), MAX_BATCH):
            # As the transformers engine: the batch runs to its longest member's limit, and
            # each member is held to its own.
            limit = self.spec.length_limit(max(lengths[i] for i in batch))
            stops = [force(lengths[i]) if force else self.spec.length_limit(lengths[i]) for i in batch]
            queued.append((batch, self._submit([pieces[i] for i in batch], limit, stops=stops,
                                               force=bool(force), wait=False)))
        for batch, pending in queued:
            limits = [self.spec.length_limit(lengths[i]) for i in batch]
            redo = lambda ks, batch=batch, limits=limits: self._decode(  # noqa: E731
                [pieces[batch[k]] for k in ks], max(limits[k] for k in ks),
                stops=[limits[k] for k in ks], no_repeat_ngram_size=self.repetition_guard)
            done = guarded_results(self._finish(pending), [lengths[i] for i in batch], limits, redo,
                                   lambda t: self.tokenizer.decode(t, skip_special_tokens=True),
                                   guard=self.repetition_guard > 0)
            for i, r in zip(batch, done):
                results[i] = r
            if progress:
                progress(len(batch))
        return results  # type: ignore[return-value]
