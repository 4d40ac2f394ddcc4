"""tarjim.brief: sentence splitting, the extractive and seq2seq summarizers, provenance
and the number check.  The seq2seq tests use a tiny random BART built here: they
assert structure, never words."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tarjim.brief import (
    UNSUPPORTED_NUMBER,
    ExtractiveSummarizer,
    Seq2SeqSummarizer,
    Summarizer,
    check_numbers,
    get_summarizer,
    provenance,
    split_sentences,
)
from tarjim.config import SummarizerSpec
from tarjim.document import Brief, BriefPoint
from tarjim.errors import InputError, ModelError, TarjimError, UsageError

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TARJIM_SHARED") or ROOT.parent / "shared")
SUMMARIZE_DATA = SHARED / "data" / "summarize"

ARTICLE = [
    "Floods hit the northern city of Mosul",  # a title: no final period
    "Heavy rain flooded the northern city of Mosul on Monday, killing 12 people and forcing 1,200 families from their homes.",
    "",  # untranslated boilerplate
    "The Tigris river rose by 3.5 metres overnight, the city council said.",
    "Rescue teams used boats to reach families trapped on rooftops in the old city.",
    "Share:",
    "The interior minister said the government would send 200 more rescue workers and tents for the displaced families.",
    "Residents said the drainage system had not been repaired since 2014.",
    "Weather forecasters expect more rain in the north of the country on Wednesday.",
    "The floods are the worst in the city in two decades, officials said.",
]


def _long_article(words: int = 800) -> list[str]:
    """A deterministic synthetic news article of about `words` words."""
    vocab = (
        "government minister police city council river flood rain families homes rescue "
        "teams boats rooftops drainage budget election parliament protest hospital school "
        "road bridge water power electricity army border talks agreement report officials "
        "residents market prices fuel wheat harvest drought summer winter court judge law"
    ).split()
    sentences, total, k = [], 0, 0
    while total < words:
        length = 12 + (k * 7) % 17
        body = [vocab[(k * 13 + j * j * 5 + j) % len(vocab)] for j in range(length)]
        sentence = "The " + " ".join(body) + f" on day {k % 9 + 1}."
        sentences.append(sentence)
        total += len(sentence.split())
        k += 1
    return sentences


def _valid(brief: Brief, sentences: list[str]) -> None:
    assert isinstance(brief.headline, str) and brief.headline.strip()
    assert "\n" not in brief.headline
    for i in brief.headline_sources:
        assert 0 <= i < len(sentences) and sentences[i].strip()
    for p in brief.points:
        assert isinstance(p.text, str) and p.text.strip()
        assert p.sources, p
        for i in p.sources:
            assert 0 <= i < len(sentences) and sentences[i].strip()


# --------------------------------------------------------------------------------------
# Sentence splitting


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mr. Smith went to Washington. He met Dr. Jones at 3.5 p.m. on Friday.",
            ["Mr. Smith went to Washington.", "He met Dr. Jones at 3.5 p.m. on Friday."],
        ),
        (
            "The U.S. economy grew 2.5% in 2014. Officials said it was strong.",
            ["The U.S. economy grew 2.5% in 2014.", "Officials said it was strong."],
        ),
        ("He moved to the U.S. He liked it.", ["He moved to the U.S.", "He liked it."]),
        ("He joined the U.S. Army in 1990.", ["He joined the U.S. Army in 1990."]),
        (
            '"We will win," he said. "It is certain." Then he left.',
            ['"We will win," he said.', '"It is certain."', "Then he left."],
        ),
        ('He asked: "Why?" Nobody answered!', ['He asked: "Why?"', "Nobody answered!"]),
        ("J. K. Rowling wrote it. It sold 1,200 copies.", ["J. K. Rowling wrote it.", "It sold 1,200 copies."]),
        ("He lives at No. 10 Downing St. in London. It is old.", ["He lives at No. 10 Downing St. in London.", "It is old."]),
        ("Title line\nFirst sentence. Second one.", ["Title line", "First sentence.", "Second one."]),
        (
            "( CNN ) One of the biggest TV events . `` Roots , '' the miniseries , had 100 million viewers . Now A & E remakes it .",
            [
                "( CNN ) One of the biggest TV events .",
                "`` Roots , '' the miniseries , had 100 million viewers .",
                "Now A & E remakes it .",
            ],
        ),
        (
            "'Did you miss the coach ? # RubberDub , ' Merson put on Twitter . He said 'no .' Then he left .",
            ["'Did you miss the coach ? # RubberDub , ' Merson put on Twitter .", "He said 'no .'", "Then he left ."],
        ),
        ("It fell 3.5 per cent. Prices rose by 1,200.50 dollars.", ["It fell 3.5 per cent.", "Prices rose by 1,200.50 dollars."]),
        ("", []),
        ("  \n\n ", []),
    ],
)
def test_split_sentences(text, expected):
    assert split_sentences(text) == expected


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["Mr.", "U.S.", "3.5", "1,200", "He", "said", "it", ".", "?", "'", '"', "``", "''",
                                 "rain.", "Dr.", "No.", "10", "\n", "fell", "The", "(CNN)", "p.m.", "A."]), max_size=40))
def test_split_sentences_loses_no_text(tokens):
    text = " ".join(tokens)
    sentences = split_sentences(text)
    assert "".join("".join(sentences).split()) == "".join(text.split())
    assert all(s == s.strip() and s and "\n" not in s for s in sentences)


# --------------------------------------------------------------------------------------
# Extractive summarizer


def test_extractive_provenance_points_at_real_sentences():
    brief = ExtractiveSummarizer().summarize(ARTICLE, n=4)
    _valid(brief, ARTICLE)
    assert brief.summarizer == "extractive"
    assert len(brief.points) == 4
    for p in brief.points:
        assert len(p.sources) == 1
        assert p.text == " ".join(ARTICLE[p.sources[0]].split())  # the sentence itself
    order = [p.sources[0] for p in brief.points]
    assert order == sorted(order) and len(set(order)) == len(order)  # article order, no repeats
    assert 2 not in order and 5 not in order  # "" skipped; "Share:" is a fragment, not a point


def test_extractive_title_line_is_the_headline():
    brief = ExtractiveSummarizer().summarize(ARTICLE, n=3)
    assert brief.headline == ARTICLE[0]
    assert brief.headline_sources == (0,)
    assert all(0 not in p.sources for p in brief.points)


def test_extractive_headline_is_short_and_from_the_source():
    sentences = [s + "." for s in ARTICLE[1:2]] + ARTICLE[3:]  # no title line
    brief = ExtractiveSummarizer().summarize(sentences, n=3)
    (src,) = brief.headline_sources
    words = re.findall(r"\w+", brief.headline)
    assert 3 <= len(words) <= 14
    assert set(words) <= set(re.findall(r"\w+", sentences[src]))  # never invents a word


@pytest.mark.parametrize("n", [1, 3, 5])
def test_extractive_n_points(n):
    assert len(ExtractiveSummarizer().summarize(ARTICLE, n=n).points) == n


def test_extractive_is_deterministic():
    article = _long_article()
    a = ExtractiveSummarizer().summarize(article, n=4)
    b = get_summarizer("extractive").summarize(list(article), n=4)
    assert a == b


def test_short_articles():
    one = ExtractiveSummarizer().summarize(["", "The minister resigned on Monday after the vote."], n=4)
    assert [p.sources for p in one.points] == [(1,)]
    assert one.headline and one.headline_sources == (1,)

    two = ["Minister resigns", "The minister resigned on Monday after losing a vote in parliament."]
    brief = ExtractiveSummarizer().summarize(two, n=4)
    assert brief.headline == "Minister resigns"
    assert [p.sources for p in brief.points] == [(1,)]

    pair = ["Rain fell on Mosul.", "The river rose."]
    brief = ExtractiveSummarizer().summarize(pair, n=4)
    assert [p.sources for p in brief.points] == [(0,), (1,)]


@pytest.mark.parametrize("sentences", [[], [""], ["", "  ", "\n"], ["...", "—"]])
def test_empty_article_is_an_input_error(sentences):
    with pytest.raises(InputError, match="^nothing to summarize"):
        ExtractiveSummarizer().summarize(sentences)


def test_bad_n_is_a_usage_error():
    with pytest.raises(UsageError):
        ExtractiveSummarizer().summarize(ARTICLE, n=0)


def test_extractive_is_fast():
    article = _long_article(800)
    summarizer = ExtractiveSummarizer()
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        summarizer.summarize(article, n=4)
        best = min(best, time.perf_counter() - t0)
    assert best < 0.050, f"{1000 * best:.1f} ms for an 800-word article"


def test_extractive_avoids_redundant_points():
    sentences = [
        "The central bank raised interest rates by half a point on Tuesday.",
        "The central bank raised its interest rates by half a point on Tuesday, the bank said.",
        "Markets fell after the announcement, with the main index down two percent.",
        "Economists had expected a smaller rise in interest rates.",
        "The government said it would cut fuel taxes to ease prices.",
    ]
    brief = ExtractiveSummarizer().summarize(sentences, n=3)
    picked = [p.sources[0] for p in brief.points]
    assert not {0, 1} <= set(picked)


# --------------------------------------------------------------------------------------
# The number check


def _point(text: str) -> Brief:
    return Brief("h", (BriefPoint(text, (0,)),), "test")


@pytest.mark.parametrize(
    ("point", "source"),
    [
        ("1200 families fled.", "Some 1,200 families fled."),
        ("1,200 families fled.", "Some 1200 families fled."),
        ("It rose 3.5 metres.", "The river rose by 3.5 metres."),
        ("A $3.5 million plan.", "The plan costs $3,500,000."),
        ("Twenty people died.", "At least 20 people died."),
        ("At least 21 people died.", "Twenty-one people died."),
        ("Since 2014.", "It has not been repaired since 2014."),
        ("One of them left.", "A man left."),  # "one" alone is not taken as a number
        ("No numbers here.", "None there either."),
        ("١٢ people died.", "12 people died."),  # Arabic-Indic digits
    ],
)
def test_check_numbers_supported(point, source):
    flags = check_numbers(_point(point), [source]).points[0].flags
    assert UNSUPPORTED_NUMBER not in flags


@pytest.mark.parametrize(
    ("point", "source"),
    [
        ("1,300 families fled.", "Some 1,200 families fled."),
        ("It rose 3.6 metres.", "The river rose by 3.5 metres."),
        ("Thirty people died.", "At least 20 people died."),
        ("Since 2015.", "It has not been repaired since 2014."),
        ("12 people died and 7 were hurt.", "12 people died."),
    ],
)
def test_check_numbers_flags_a_number_not_in_the_source(point, source):
    flags = check_numbers(_point(point), [source]).points[0].flags
    assert flags == (UNSUPPORTED_NUMBER,)


def test_check_numbers_keeps_other_flags_and_does_not_repeat():
    brief = Brief("h", (BriefPoint("99 died.", (0,), ("x", UNSUPPORTED_NUMBER)),), "test", (0,))
    out = check_numbers(brief, ["12 died."])
    assert out.points[0].flags == ("x", UNSUPPORTED_NUMBER)
    assert out.headline == "h" and out.headline_sources == (0,) and out.summarizer == "test"


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=10**9))
def test_check_numbers_thousands_separators(n):
    out = check_numbers(_point(f"About {n:,} people."), [f"About {n} people."])
    assert out.points[0].flags == ()


def test_extractive_points_are_flagged_not_dropped():
    brief = ExtractiveSummarizer().summarize(ARTICLE, n=4)
    assert all(p.flags == () for p in brief.points)  # its points are the source's own sentences
    checked = check_numbers(brief, ["nothing numeric here"])
    assert len(checked.points) == len(brief.points)
    assert any(UNSUPPORTED_NUMBER in p.flags for p in checked.points)


# --------------------------------------------------------------------------------------
# Registry and imports


def test_get_summarizer_by_name():
    assert get_summarizer().name == "extractive"
    assert isinstance(get_summarizer(None), Summarizer)
    s = get_summarizer("distilbart")
    assert isinstance(s, Seq2SeqSummarizer) and s.name == "distilbart"
    with pytest.raises(ModelError, match="unknown summarizer"):
        get_summarizer("no-such-summarizer")


def test_import_does_not_import_torch():
    code = (
        "import sys, tarjim.brief as b\n"
        "b.get_summarizer('extractive').summarize(['A man left the city.', 'He went home.'], 2)\n"
        "b.get_summarizer('distilbart')\n"
        "heavy = [m for m in ('torch', 'transformers') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_missing_model_directory_is_a_model_error(tmp_path):
    spec = SummarizerSpec(name="nowhere", kind="seq2seq", path=str(tmp_path / "missing"))
    with pytest.raises(ModelError):
        Seq2SeqSummarizer(spec).summarize(ARTICLE)


# --------------------------------------------------------------------------------------
# Seq2seq on a tiny random BART


@pytest.fixture(scope="module")
def tiny_bart(tmp_path_factory) -> Path:
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers, processors
    from transformers import BartConfig, BartForConditionalGeneration, PreTrainedTokenizerFast
    from transformers.utils import logging as hf_logging

    out = tmp_path_factory.mktemp("tiny-bart")
    words = sorted({w for s in ARTICLE for w in s.lower().replace(",", " ,").replace(".", " .").split()})
    specials = ["<s>", "<pad>", "</s>", "<unk>"]
    vocab = {w: i for i, w in enumerate(specials + words)}
    tk = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    tk.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tk.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", special_tokens=[("<s>", 0), ("</s>", 2)]
    )
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=tk, bos_token="<s>", eos_token="</s>", pad_token="<pad>", unk_token="<unk>"
    )
    torch.manual_seed(0)
    config = BartConfig(
        vocab_size=len(vocab), d_model=16, encoder_layers=1, decoder_layers=1,
        encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=32, decoder_ffn_dim=32,
        max_position_embeddings=128, pad_token_id=1, bos_token_id=0, eos_token_id=2,
        decoder_start_token_id=2, forced_bos_token_id=0,
    )
    hf_logging.disable_progress_bar()
    try:
        BartForConditionalGeneration(config).save_pretrained(out)
        tokenizer.save_pretrained(out)
    finally:
        hf_logging.enable_progress_bar()
    return out


def _tiny(path: Path, max_input_tokens: int = 128, beams: int = 2) -> Seq2SeqSummarizer:
    spec = SummarizerSpec(
        name="tiny", kind="seq2seq", path=str(path), beams=beams, min_length=2, max_length=10,
        max_input_tokens=max_input_tokens,
    )
    return Seq2SeqSummarizer(spec, device="cpu")


def _lower(sentences: list[str]) -> list[str]:
    return [s.lower().replace(",", " ,").replace(".", " .") for s in sentences]


def test_seq2seq_structure_and_determinism(tiny_bart):
    article = _lower(ARTICLE)
    summarizer = _tiny(tiny_bart)
    a = summarizer.summarize(article, n=3)
    b = summarizer.summarize(article, n=3)
    assert a == b
    _valid(a, article)
    assert a.summarizer == "tiny"
    assert 1 <= len(a.points) <= 3
    assert all(UNSUPPORTED_NUMBER not in p.flags for p in a.points)


def test_seq2seq_chunks_a_long_article(tiny_bart, monkeypatch):
    article = _lower(ARTICLE) * 3  # about 180 tokens
    summarizer = _tiny(tiny_bart, max_input_tokens=64, beams=1)
    content = [s for s in article if s.strip()]
    groups = summarizer.chunks(content)
    assert len(groups) > 1
    assert [i for g in groups for i in g] == list(range(len(content)))  # sentence-aligned, in order
    budget = 64 - summarizer._tokenizer.num_special_tokens_to_add()
    counts = summarizer.token_counts(content)
    assert all(sum(counts[i] for i in g) <= budget for g in groups if len(g) > 1)

    inputs: list[str] = []
    generate = summarizer._generate
    monkeypatch.setattr(summarizer, "_generate", lambda text: inputs.append(text) or generate(text))
    brief = summarizer.summarize(article, n=4)
    assert len(inputs) >= len(groups)  # every chunk summarized (and the partials again)
    _valid(brief, article)


def test_seq2seq_drops_unsupported_numbers_and_traces_sources(tiny_bart, monkeypatch):
    summarizer = _tiny(tiny_bart)
    summarizer.load()
    generated = (
        "Heavy rain flooded Mosul, killing 12 people. "
        "Floods killed 45 people in Baghdad. "
        "The government will send 200 rescue workers."
    )
    monkeypatch.setattr(summarizer, "_generate", lambda text: generated)
    brief = summarizer.summarize(ARTICLE, n=4)
    texts = [p.text for p in brief.points]
    assert texts == ["Heavy rain flooded Mosul, killing 12 people.", "The government will send 200 rescue workers."]
    assert 1 in brief.points[0].sources
    assert 6 in brief.points[1].sources
    _valid(brief, ARTICLE)


def test_seq2seq_falls_back_to_extractive_when_nothing_is_supported(tiny_bart, monkeypatch):
    summarizer = _tiny(tiny_bart)
    summarizer.load()
    monkeypatch.setattr(summarizer, "_generate", lambda text: "Zebras counted 999 stars.")
    brief = summarizer.summarize(ARTICLE, n=3)
    assert brief.summarizer == "tiny"
    assert len(brief.points) == 3
    assert all("extractive_fallback" in p.flags for p in brief.points)
    _valid(brief, ARTICLE)


def test_provenance():
    assert provenance("The Tigris rose 3.5 metres.", ARTICLE) == (3,)
    assert provenance("Zebras sing.", ARTICLE) == ()
    both = provenance("Boats reached rooftops as forecasters expect more rain on Wednesday.", ARTICLE)
    assert set(both) == {4, 8}


# --------------------------------------------------------------------------------------
# Real news articles (../shared)


def _shared_rows(name: str, limit: int) -> list[dict]:
    path = SUMMARIZE_DATA / name
    if not path.is_file():
        pytest.skip(f"shared data not found: {path}")
    lines = path.read_text(encoding="utf-8").splitlines()[:limit]
    return [json.loads(line) for line in lines if line.strip()]


@pytest.mark.shared
@pytest.mark.parametrize("name", ["summeval_cnndm_test.jsonl", "realsumm_cnndm_test.jsonl"])
def test_extractive_on_real_articles(name):
    summarizer = ExtractiveSummarizer()
    for row in _shared_rows(name, 40):
        sentences = split_sentences(row["article"])
        assert "".join("".join(sentences).split()) == "".join(row["article"].split())
        assert len(sentences) >= 3
        brief = summarizer.summarize(sentences, n=3)
        _valid(brief, sentences)
        assert len(brief.points) == 3
        assert all(p.flags == () for p in brief.points)
        assert len(re.findall(r"\w+", brief.headline)) <= 15


@pytest.mark.shared
def test_extractive_not_worse_than_lead3_on_real_articles():
    rouge_scorer = pytest.importorskip("rouge_score.rouge_scorer")
    scorer = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)
    ours = lead = 0.0
    rows = _shared_rows("realsumm_cnndm_test.jsonl", 100)
    for row in rows:
        sentences = split_sentences(row["article"])
        ref = "\n".join(split_sentences(row["reference"]))
        picked = [p.text for p in ExtractiveSummarizer().summarize(sentences, n=3).points]
        ours += scorer.score(ref, "\n".join(picked))["rouge1"].fmeasure
        lead += scorer.score(ref, "\n".join(sentences[:3]))["rouge1"].fmeasure
    assert ours / len(rows) >= lead / len(rows) - 0.005  # a regression guard, not the bar


def test_errors_are_tarjim_errors():
    assert issubclass(InputError, TarjimError) and issubclass(ModelError, TarjimError)
