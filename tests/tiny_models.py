"""Tiny real models, built at test time: the real transformers architectures (Marian,
NLLB/M2M100) with a couple of layers, random weights from a fixed seed, and
tokenizers trained in a second on samples/. Their output is gibberish: tests assert on
counts, order, structure and determinism, never on words."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"

ENGLISH = """\
The Syrian Democratic Forces said on Wednesday that they had repelled two counter-attacks.
Fighting continued for a second day near the town, officials said.
Three thousand fighters and their families surrendered in the last two days.
The coalition carried out new air strikes on positions held by the group.
A commander on the front line said the second attack was much stronger than the first.
Scientists found feathers preserved in amber, a discovery that changes what we know.
The prime minister agreed to send the bill to a committee for review before a vote.
Austria leads the medal count after the second day of the championships.
""" * 4


def _arabic_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.ar.txt")))


def _train_spm(text: str, prefix: Path, vocab_size: int) -> None:
    import sentencepiece as spm

    corpus = prefix.with_suffix(".txt")
    corpus.write_text(text, encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=str(prefix), vocab_size=vocab_size,
        character_coverage=1.0, model_type="unigram", minloglevel=2,
        bos_id=-1, eos_id=1, unk_id=2, pad_id=0, hard_vocab_limit=False,
    )


def build_tiny_marian(out: Path, seed: int = 0) -> Path:
    """A 2-layer MarianMT model (d_model 32) with its own SentencePiece models."""
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    out.mkdir(parents=True, exist_ok=True)
    work = out / "_spm"
    work.mkdir(exist_ok=True)
    _train_spm(_arabic_text(), work / "source", 400)
    _train_spm(ENGLISH, work / "target", 200)
    import sentencepiece as spm

    vocab: dict[str, int] = {"<pad>": 0, "</s>": 1, "<unk>": 2}
    for name in ("source", "target"):
        sp = spm.SentencePieceProcessor(model_file=str(work / f"{name}.model"))
        for i in range(sp.get_piece_size()):
            vocab.setdefault(sp.id_to_piece(i), len(vocab))
    (work / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tok = MarianTokenizer(str(work / "source.model"), str(work / "target.model"), str(work / "vocab.json"))

    torch.manual_seed(seed)
    config = MarianConfig(
        vocab_size=len(vocab), d_model=32, encoder_layers=2, decoder_layers=2,
        encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=64,
        decoder_ffn_dim=64, max_position_embeddings=512, pad_token_id=0, eos_token_id=1,
        decoder_start_token_id=0, forced_eos_token_id=1, scale_embedding=True,
    )
    model = MarianMTModel(config).eval()
    model.save_pretrained(out)
    tok.save_pretrained(out)
    return out


def build_tiny_nllb(out: Path, seed: int = 0) -> Path:
    """A 2-layer M2M100 (NLLB architecture) with a BPE tokenizer and four language codes."""
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import M2M100Config, M2M100ForConditionalGeneration, NllbTokenizer

    out.mkdir(parents=True, exist_ok=True)
    bpe = Tokenizer(models.BPE(unk_token="<unk>"))
    bpe.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    trainer = trainers.BpeTrainer(vocab_size=500, special_tokens=["<s>", "<pad>", "</s>", "<unk>"], show_progress=False)
    bpe.train_from_iterator([_arabic_text(), ENGLISH], trainer=trainer)
    data = json.loads(bpe.to_str())["model"]
    merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in data["merges"]]
    tok = NllbTokenizer(
        vocab=data["vocab"], merges=merges, src_lang="arb_Arab", tgt_lang="eng_Latn",
        # Persian and Urdu too: tarjim translates them with an NLLB model (issue 11).
        additional_special_tokens=["arb_Arab", "eng_Latn", "pes_Arab", "urd_Arab"],
    )
    torch.manual_seed(seed)
    config = M2M100Config(
        vocab_size=len(tok), d_model=32, encoder_layers=2, decoder_layers=2,
        encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=64,
        decoder_ffn_dim=64, max_position_embeddings=512, pad_token_id=tok.pad_token_id,
        bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id, decoder_start_token_id=tok.eos_token_id,
        scale_embedding=True,
    )
    model = M2M100ForConditionalGeneration(config).eval()
    model.save_pretrained(out)
    tok.save_pretrained(out)
    return out
