"""The pipeline on tiny real models: coverage, order, chunking, determinism."""

from tarjim.config import resolve_model
from tarjim.engines import load_translator
from tarjim.engines.base import batches_by_tokens, looping
from tarjim.pipeline import translate_documents, translate_text
from tarjim.segment import segment

ARTICLE = "قالت قوات سوريا الديمقراطية إنها صدت هجومين. وقال قيادي ميداني إن الهجوم الثاني كان أقوى!\n\nاستسلم ثلاثة آلاف مقاتل في اليومين الأخيرين؟ نعم."


def test_every_sentence_translated_in_order(marian_translator):
    tr = translate_text(ARTICLE, marian_translator)
    doc = segment(ARTICLE)
    assert [s.sentence for s in tr.sentences] == list(doc.sentences)
    assert len(tr.sentences) == 4
    assert [s.sentence.paragraph for s in tr.sentences] == [0, 0, 1, 1]
    for s in tr.sentences:
        assert s.text.strip(), s
        assert s.source_tokens > 0 and s.target_tokens > 0
        assert len(s.chunks) >= 1
    assert tr.model.engine == "transformers" and tr.model.family == "marian"
    assert len(tr.source_sha256) == 64


def test_deterministic(marian_translator, sample_text):
    a = translate_text(sample_text, marian_translator)
    b = translate_text(sample_text, marian_translator)
    assert [s.text for s in a.sentences] == [s.text for s in b.sentences]
    assert [s.target_tokens for s in a.sentences] == [s.target_tokens for s in b.sentences]


def test_long_sentence_is_chunked_within_budget_and_rejoined(tiny_marian):
    translator = load_translator(resolve_model(str(tiny_marian)), beams=1)
    translator.max_input_tokens = 24  # a small budget forces clause chunks
    clause = "وقال قيادي ميداني على الخطوط الأمامية إن الهجوم كان قويا"
    sentence = "، ".join([clause] * 6) + "."
    doc = segment(sentence + " جملة قصيرة.")
    [sents] = translate_documents([doc], translator)
    long = sents[0]
    assert len(long.chunks) > 1
    for c in long.chunks:
        assert translator.count_tokens(c.text) <= 24
        assert c.text == doc.text[c.start : c.end]
    # The chunks cover the sentence: nothing but white space and joins is lost.
    covered = "".join(c.text for c in long.chunks).replace(" ", "")
    assert covered == long.sentence.text.replace(" ", "")
    assert long.source_tokens == sum(translator.count_tokens(c.text) for c in long.chunks)
    assert len(sents) == 2 and sents[1].text


def test_progress_reports_every_chunk(marian_translator):
    seen, total = [], []
    translate_text(ARTICLE, marian_translator, progress=seen.append, on_total=total.append)
    assert total == [4] and sum(seen) == 4


def test_nllb_family(tiny_nllb):
    spec = resolve_model(str(tiny_nllb))
    assert spec.family == "nllb" and spec.source == "arb_Arab" and spec.target == "eng_Latn"
    translator = load_translator(spec, beams=1)
    tr = translate_text(ARTICLE, translator)
    assert len(tr.sentences) == 4 and all(s.text for s in tr.sentences)
    assert tr.model.family == "nllb"


def test_length_limit_scales_with_source(marian_translator):
    spec = marian_translator.spec
    assert spec.length_limit(10) >= 1.5 * 10 + 10
    assert spec.length_limit(100) >= 1.5 * 100 + 10
    results = marian_translator.translate(["أمس", ARTICLE.split("\n")[0]])
    for r in results:
        assert r.target_tokens <= spec.length_limit(r.source_tokens)


def test_looping_detector():
    assert looping([5, 6, 7, 7, 7, 7])
    assert looping([1, 2, 3, 4, 3, 4, 3, 4])
    assert not looping([1, 2, 3, 4, 5, 6, 7, 8])
    assert not looping([1, 1, 2])


def test_token_budget_batches_cover_all_once():
    lengths = [5, 50, 7, 30, 30, 2, 90]
    batches = batches_by_tokens(lengths, budget=100, max_batch=3)
    flat = sorted(i for b in batches for i in b)
    assert flat == list(range(len(lengths)))
    for b in batches:
        assert len(b) <= 3
        assert len(b) == 1 or len(b) * max(lengths[i] for i in b) <= 100


def test_guard_policy_holds_limits_retries_loops_together_and_flags():
    from tarjim.engines.base import guarded_results

    outs = [[1, 2, 3], [9, 9, 9, 9, 9, 9], [4, 5, 6, 7, 8, 10, 11, 12], [7, 7, 7, 7, 7]]
    limits = [10, 12, 5, 12]
    asked = []

    def redo(ks):
        asked.append(ks)
        return [[20, 21, 22], [3, 3, 3, 3, 3]][: len(ks)]  # the second retry loops again

    res = guarded_results(outs, [4, 5, 2, 5], limits, redo, decode=lambda t: " ".join(map(str, t)))
    assert asked == [[1, 3]]  # both looping outputs retried in one call
    assert res[0].text == "1 2 3" and res[0].flags == ()
    assert res[1].text == "20 21 22" and res[1].flags == ("repetition_guard",)
    assert res[2].target_tokens == 5 and res[2].flags == ("length_limit",)  # held to its own limit
    assert res[3].text == "7 7 7 7 7" and res[3].flags == ("repetition",)
    assert [r.source_tokens for r in res] == [4, 5, 2, 5]


def test_without_the_guard_loops_are_flagged_not_retried():
    from tarjim.engines.base import guarded_results

    def redo(ks):
        raise AssertionError("no retry without the guard")

    res = guarded_results([[1, 2, 3], [9, 9, 9, 9, 9, 9]], [4, 5], [10, 12], redo, decode=str, guard=False)
    assert [r.flags for r in res] == [(), ("repetition",)]


_LONG_SENTENCE_SCRIPT = """
import sys
from transformers.utils import logging as hf_logging
from tarjim.config import resolve_model
from tarjim.engines import load_translator
from tarjim.pipeline import plan_chunks
from tarjim.segment import segment

translator = load_translator(resolve_model(sys.argv[1]), engine=sys.argv[2], beams=1)
hf_logging.set_verbosity_warning()  # transformers' default, which loading may have lowered
clause = "وقال قيادي ميداني على الخطوط الأمامية إن الهجوم كان قويا جدا"
text = "، ".join([clause] * 455) + "."  # 5,005 words, ~16,000 tokens: far over 512
doc = segment(text)
[chunks] = plan_chunks(doc, translator)
assert len(doc.sentences) == 1 and len(chunks) > 100
assert all(translator.count_tokens(c.text) <= translator.max_input_tokens for c in chunks)
print(len(text.split()), len(chunks))
"""


def test_a_very_long_sentence_is_counted_without_a_warning(tiny_marian):
    """Counting a 5,000-word sentence's tokens to chunk it is on purpose: transformers'
    "Token indices sequence length is longer than the specified maximum" must not reach
    stderr (it did with the ctranslate2 engine), on either engine."""
    import subprocess
    import sys

    engines = ["transformers"]
    try:
        import ctranslate2  # noqa: F401

        from tarjim import convert

        convert.converted_dir(tiny_marian, "int8")
        engines.append("ctranslate2")
    except ImportError:
        pass
    for engine in engines:
        r = subprocess.run(
            [sys.executable, "-c", _LONG_SENTENCE_SCRIPT, str(tiny_marian), engine],
            capture_output=True, text=True, timeout=120,
        )
        assert r.returncode == 0, r.stderr
        assert r.stdout.split()[0] == "5005"
        assert "Token indices" not in r.stderr and "longer than the specified maximum" not in r.stderr, r.stderr


class _Recording:
    """The tiny real model, with a record of every string it was given."""

    def __init__(self, inner):
        self.inner, self.seen = inner, []

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def translate(self, chunks, progress=None):
        self.seen.extend(chunks)
        return self.inner.translate(chunks, progress=progress)


def test_foreign_paragraphs_never_reach_the_model(marian_translator):
    from tarjim.language import identify

    quote = "Water scarcity is no longer a distant threat for this region, the report's authors said on Monday."
    text = ARTICLE + "\n\n" + quote + "\n\nوقال المتحدث إن الوضع تحت السيطرة."
    rec = _Recording(marian_translator)
    tr = translate_text(text, rec, language=identify(text))
    assert rec.seen and not any("Water" in c or "Monday" in c for c in rec.seen)
    kept = [s for s in tr.sentences if s.sentence.paragraph == 2]
    assert kept and all(s.text == s.sentence.text and s.flags == ("foreign",) and s.language == "en"
                        and s.chunks == () and s.source_tokens == 0 for s in kept)
    assert all(s.language == "ar" and s.text for s in tr.sentences if s.sentence.paragraph != 2)


def test_a_paragraph_kept_in_another_language_stays_out_of_the_brief(marian_translator):
    """The brief is English made from translations; a kept paragraph (here English, but as
    well Persian or French) is not one. Its sentences are still counted, so the brief's
    sources index the article's sentences."""
    from tarjim.language import identify

    quote = "Water scarcity is no longer a distant threat for this region, the report's authors said on Monday."
    text = ARTICLE + "\n\n" + quote
    given = []

    def summarize(texts):
        given.append(list(texts))
        return None

    tr = translate_text(text, marian_translator, language=identify(text), summarize=summarize)
    [texts] = given
    assert len(texts) == len(tr.sentences)
    assert [t for t, s in zip(texts, tr.sentences) if "foreign" in s.flags] == [""]
    assert [t for t, s in zip(texts, tr.sentences) if "foreign" not in s.flags] == \
        [s.text for s in tr.sentences if "foreign" not in s.flags]


def test_every_segment_carries_its_paragraph_language(marian_translator):
    from tarjim.language import identify

    report = identify(ARTICLE)
    tr = translate_text(ARTICLE, marian_translator, language=report)
    by_paragraph = {p.index: p.language for p in report.paragraphs}
    assert all(s.language == by_paragraph[s.sentence.paragraph] == "ar" for s in tr.sentences)
    plain = translate_text(ARTICLE, marian_translator)  # no report: as before, no language
    assert [s.text for s in plain.sentences] == [s.text for s in tr.sentences]
    assert all(s.language is None for s in plain.sentences)
