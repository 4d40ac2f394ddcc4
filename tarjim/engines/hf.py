"""The transformers engine: the tokenizer and model.generate(), batched by token budget
over length-sorted inputs, with a guard against outputs that loop."""

from __future__ import annotations

from collections.abc import Sequence

from tarjim.config import ModelSpec, check_guard
from tarjim.document import TranslationResult
from tarjim.engines.base import Progress, batches_by_tokens, default_threads, guarded_results
from tarjim.errors import ModelError
from tarjim.models import local_model_dir

BATCH_TOKENS = 2048  # padded source tokens a batch (× beams), a good CPU trade-off
MAX_BATCH = 32


class HFTranslator:
    engine = "transformers"

    def __init__(self, spec: ModelSpec, *, threads: int | None = None, beams: int | None = None,
                 repetition_guard: int | None = None):
        import torch
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
        from transformers.utils import logging as hf_logging

        self.spec = spec
        self.beams = beams or spec.beams
        # n-gram size forbidden when a looping output is decoded again; 0: no guard.
        self.repetition_guard = (spec.repetition_guard if repetition_guard is None
                                 else check_guard(repetition_guard, "repetition_guard"))
        self.model_dir = local_model_dir(spec)  # may download, with the hub's progress bars
        torch.set_num_threads(threads or default_threads())
        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()  # transformers' "Loading weights" bars, not downloads
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(self.model_dir)
            self.model = AutoModelForSeq2SeqLM.from_pretrained(self.model_dir).eval()
        except Exception as e:  # a corrupt or incomplete model directory
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise ModelError(f"cannot load model {spec.name} from {self.model_dir}: {first}") from None
        finally:
            hf_logging.enable_progress_bar()
        self._generate_kwargs: dict = {}
        if spec.family == "nllb":
            self.tokenizer.src_lang = spec.source
            lang = self.tokenizer.convert_tokens_to_ids(spec.target)
            if lang is None or lang == self.tokenizer.unk_token_id:
                raise ModelError(f"model {spec.name}: its tokenizer has no language code {spec.target!r}")
            self._generate_kwargs["forced_bos_token_id"] = lang
        positions = getattr(self.model.config, "max_position_embeddings", 512)
        self.max_input_tokens = min(spec.max_input_tokens, positions - 2)
        self._special = set(self.tokenizer.all_special_ids)

    def count_tokens(self, text: str) -> int:
        # verbose=False: counting a sentence longer than the model's input, to chunk it,
        # is on purpose; transformers would warn "Token indices sequence length is longer
        # than the specified maximum" on stderr.
        return len(self.tokenizer(text, verbose=False).input_ids)

    def _generate(self, ids: list[list[int]], limit: int, **extra) -> list[list[int]]:
        import torch

        batch = self.tokenizer.pad({"input_ids": ids}, return_tensors="pt")
        with torch.inference_mode():
            out = self.model.generate(
                **batch, num_beams=self.beams, max_new_tokens=limit, do_sample=False,
                **self._generate_kwargs, **extra,
            )
        # Drop the decoder start token, the forced language code, EOS and padding.
        return [[t for t in row[1:] if t not in self._special] for row in out.tolist()]

    def _decode(self, toks: list[int]) -> str:
        return self.tokenizer.decode(toks, skip_special_tokens=True)

    def translate(self, texts: Sequence[str], progress: Progress | None = None) -> list[TranslationResult]:
        ids = [self.tokenizer(t).input_ids for t in texts]
        results: list[TranslationResult | None] = [None] * len(texts)
        budget = max(BATCH_TOKENS // self.beams, max((len(i) for i in ids), default=1))
        for batch in batches_by_tokens([len(i) for i in ids], budget, MAX_BATCH):
            # The batch runs to its longest member's limit; each is held to its own.
            lengths = [len(ids[i]) for i in batch]
            limits = [self.spec.length_limit(n) for n in lengths]
            outs = self._generate([ids[i] for i in batch], max(limits))
            redo = lambda ks, batch=batch, limits=limits: self._generate(  # noqa: E731
                [ids[batch[k]] for k in ks], max(limits[k] for k in ks), no_repeat_ngram_size=self.repetition_guard)
            for i, r in zip(batch, guarded_results(outs, lengths, limits, redo, self._decode,
                                                        guard=self.repetition_guard > 0)):
                results[i] = r
            if progress:
                progress(len(batch))
        return results  # type: ignore[return-value]
