"""tarjim.segment: sentence rules, chunking, boilerplate, invariants (hypothesis), and
quality on the FLORES-200 gold and the Baghouz article (../shared, skipped when absent)."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tarjim.document import Chunk, Document
from tarjim.segment import (
    BRACKET_CAP,
    approx_tokens,
    chunk_sentence,
    is_boilerplate,
    segment,
    sentence_spans,
)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FLORES_DOCS = SHARED / "data" / "segment" / "flores200_devtest_docs.jsonl"
BAGHOUZ = SHARED / "samples" / "baghouz.ar.txt"


def sents(text: str) -> list[str]:
    return [s.text for s in segment(text).sentences]


def squeeze(text: str) -> str:
    return "".join(text.split())


# --- terminal marks ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ذهب الولد. عاد المطر.", ["ذهب الولد.", "عاد المطر."]),
        ("هل جاء؟ نعم جاء!", ["هل جاء؟", "نعم جاء!"]),
        ("Did he come? Yes! He did.", ["Did he come?", "Yes!", "He did."]),
        ("هل هذا معقول؟! لا أصدق… ثم رحل.", ["هل هذا معقول؟!", "لا أصدق…", "ثم رحل."]),
        ("انتظر... ثم غادر.", ["انتظر...", "ثم غادر."]),
        ("ماذا؟؟؟ لا!!! حسنا.", ["ماذا؟؟؟", "لا!!!", "حسنا."]),
        ("جملة بلا نقطة", ["جملة بلا نقطة"]),
    ],
)
def test_terminal_marks_and_runs(text, expected):
    assert sents(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قال: «انتهى الأمر.» ثم غادر.", ["قال: «انتهى الأمر.»", "ثم غادر."]),
        ('قال "انتهى الأمر." ثم غادر.', ['قال "انتهى الأمر."', "ثم غادر."]),
        ("قال “انتهى الأمر.” ثم غادر.", ["قال “انتهى الأمر.”", "ثم غادر."]),
        ("(وقد انتهى الأمر.) ثم غادر.", ["(وقد انتهى الأمر.)", "ثم غادر."]),
        ("قالوا «لا؟!» وغادروا.", ["قالوا «لا؟!»", "وغادروا."]),
        ("الأمر مقبول!). ثم غادر.", ["الأمر مقبول!).", "ثم غادر."]),
    ],
)
def test_closing_quotes_and_brackets_stay_with_the_sentence(text, expected):
    assert sents(text) == expected


# --- quotations ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opening", "closing"), [("«", "»"), ('"', '"'), ("“", "”"), ("«", " »")]
)
def test_a_quotation_of_several_sentences_is_split_like_any_text(opening, closing):
    quote = f"{opening}لن نفعل شيئا الآن. لقد اتصلنا به. هذا يكفي{closing}"
    text = f"قال المتحدث {quote}. وأضاف أنه سيعود."
    assert sents(text) == [
        f"قال المتحدث {opening}لن نفعل شيئا الآن.",  # the opening mark stays with the first
        "لقد اتصلنا به.",
        f"هذا يكفي{closing}.",  # the closing mark with the last
        "وأضاف أنه سيعود.",
    ]


def test_a_mark_before_the_closing_quote_ends_the_sentence_after_it():
    text = 'قال دانيوس "لن نقوم الآن بأي شيء. هذا يكفي." ثم غادر.'
    assert sents(text) == ['قال دانيوس "لن نقوم الآن بأي شيء.', 'هذا يكفي."', "ثم غادر."]
    assert sents("قال «انتهى الأمر. » وغادر.") == ["قال «انتهى الأمر. »", "وغادر."]
    assert sents("قال «كفى! ») وغادر.") == ["قال «كفى! »)", "وغادر."]


@pytest.mark.parametrize(
    "text",
    [
        "«لن نستسلم أبدا!» قال المتحدث باسم الجيش.",
        "«هل هذا معقول؟» تساءل الوزير أمام الصحفيين.",
        '"متى ينتهي هذا؟" يتساءل سكان المدينة.',
        "«إنها كارثة!» قالت الأم وهي تبكي.",
        "«لن نتراجع!» كما أضاف القائد.",
        "«هذا ظلم!!» وقالت النائبة إنها ستطعن في القرار.",
        "«لماذا الآن؟!» فتساءل أحد الحاضرين عن التوقيت.",
        "«إلى متى؟» هكذا قال أحد السكان.",
        "وقال إن «الأمر انتهى!» مضيفاً أن القوات ستواصل تقدمها.",
        "«أين العدالة؟ » تساءلت المحامية.",
    ],
)
def test_a_quotation_ending_in_a_question_or_exclamation_keeps_its_attribution(text):
    assert sents(text) == [text]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the quotation already has its attribution: "وأضاف" starts the next sentence
        (
            "وقال المتحدث: «لن نستسلم!» وأضاف أن القوات ستواصل.",
            ["وقال المتحدث: «لن نستسلم!»", "وأضاف أن القوات ستواصل."],
        ),
        # a full stop before the closing quote ends the sentence
        ("«انتهى الأمر.» قال المتحدث ذلك وغادر.", ["«انتهى الأمر.»", "قال المتحدث ذلك وغادر."]),
        # no quotation: nothing to attribute
        ("لن نستسلم! قال المتحدث ذلك بحزم.", ["لن نستسلم!", "قال المتحدث ذلك بحزم."]),
        # not an attribution verb
        ("«هل انتهى؟» الجواب لا يزال مجهولا.", ["«هل انتهى؟»", "الجواب لا يزال مجهولا."]),
    ],
)
def test_what_is_not_an_attribution(text, expected):
    assert sents(text) == expected


def test_a_quotation_of_several_sentences_and_its_attribution():
    text = "«انتهى الأمر. لن نعود إلى هناك أبدا!» قال أحد الناجين. ثم صمت."
    assert sents(text) == ["«انتهى الأمر.", "لن نعود إلى هناك أبدا!» قال أحد الناجين.", "ثم صمت."]


def test_nested_guillemets():
    text = "وقال القيادي «قد يكون هذا آخر هجوم لهم»، مضيفاً «بدأت اللحظات الأخيرة «لداعش». انتهى». وتأتي المعارك."
    assert sents(text) == [
        "وقال القيادي «قد يكون هذا آخر هجوم لهم»، مضيفاً «بدأت اللحظات الأخيرة «لداعش».",
        "انتهى».",
        "وتأتي المعارك.",
    ]
    text = 'قال الشاهد: «سمعت أحدهم يصرخ "النجدة". لم أر شيئا بعدها». وغادر المكان.'
    assert sents(text) == ['قال الشاهد: «سمعت أحدهم يصرخ "النجدة".', "لم أر شيئا بعدها».", "وغادر المكان."]


def test_straight_quotes_after_a_proclitic():
    text = 'في دول "الدنمارك" و"السويد". ثم "النرويج" أيضا. وانتهى.'
    assert sents(text) == ['في دول "الدنمارك" و"السويد".', 'ثم "النرويج" أيضا.', "وانتهى."]


def test_an_unclosed_quotation_does_not_swallow_the_article():
    text = 'أضاف قائلاً، "لدينا الآن فئران تعافت. نبه الدكتور إلى أن البحث مبكر. مثل باقي الخبراء، هو متشكك.'
    assert sents(text) == [
        'أضاف قائلاً، "لدينا الآن فئران تعافت.',
        "نبه الدكتور إلى أن البحث مبكر.",
        "مثل باقي الخبراء، هو متشكك.",
    ]
    text = "قال «هذا أمر مهم. ثم ذهب. وعاد."
    assert len(sents(text)) == 3


def test_an_unclosed_quotation_followed_by_a_closed_one():
    text = 'قال "لدينا الآن فئران. ثم قال "نعم" وذهب. وعاد.'
    assert sents(text) == ['قال "لدينا الآن فئران.', 'ثم قال "نعم" وذهب.', "وعاد."]


def test_a_bracket_pair_is_kept_whole():
    text = "وقال المتحدث (وهو ضابط سابق. ويعرف المنطقة جيدا) إن الوضع مستقر. ثم غادر."
    assert sents(text) == ["وقال المتحدث (وهو ضابط سابق. ويعرف المنطقة جيدا) إن الوضع مستقر.", "ثم غادر."]


def test_a_stray_closing_bracket_far_away_is_capped():
    filler = "وقال المسؤول إن الوضع مستقر تماما. " * (BRACKET_CAP // 30)
    text = "بدأ (الحديث. " + filler + "انتهى) الأمر."
    assert len(sents(text)) > BRACKET_CAP // 40


def test_a_quotation_does_not_cross_a_line_break():
    text = "قال «هذا أمر مهم.\nثم ذهب. وعاد»."
    assert sents(text) == ["قال «هذا أمر مهم.", "ثم ذهب.", "وعاد»."]


# --- glued sentences, line breaks ------------------------------------------------------------


def test_glued_sentences_split():
    text = "وفق ما ذكرت وزارة الدفاع الروسية.ودارت منذ الصباح اشتباكات عنيفة."
    assert sents(text) == ["وفق ما ذكرت وزارة الدفاع الروسية.", "ودارت منذ الصباح اشتباكات عنيفة."]
    assert sents("حدث ذلك عام 2014.وقال إنه") == ["حدث ذلك عام 2014.", "وقال إنه"]
    assert sents("هل أتى؟قال لا") == ["هل أتى؟", "قال لا"]
    assert sents("انتهى الأمر.«وبدأ» غيره") == ["انتهى الأمر.", "«وبدأ» غيره"]


def test_glued_latin_is_not_split():
    for text in ("زوروا example.com اليوم", "يعمل Node.js جيدا", "معيار 802.11n اللاسلكي", "ملف report.PDF هنا"):
        assert sents(text) == [text]


def test_line_breaks_always_end_a_sentence():
    text = "عنوان الخبر\nالتعليق على الصورة\n- البند الأول\n- البند الثاني\nقال «بداية\nنهاية» الأمر"
    assert sents(text) == ["عنوان الخبر", "التعليق على الصورة", "- البند الأول", "- البند الثاني", "قال «بداية", "نهاية» الأمر"]
    assert sents("سطر أول\r\nسطر ثان\u2028سطر ثالث") == ["سطر أول", "سطر ثان", "سطر ثالث"]


# --- abbreviations, numbers, addresses ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "قال د. محمد إن الوضع مستقر.",
        "وصل م. أحمد إلى الموقع.",
        "انظر ص. 15 من التقرير.",
        "ج. 2 من الكتاب.",
        "في القرن الثالث ق.م. ازدهرت روما.",
        "العنوان ص.ب. 1234 الرياض.",
        "وقال أ.د. خالد إن البحث مهم.",
        "نشر في ش. الجمهورية.",
        "قال رئيس برنامج ناسا، ن. وين هالي الابن إن الرغوة سقطت.",
        "وقال نائب المفتش العام دي. كي. أريا إنهم اعتقلوا خمسة.",
        "قال Dr. Smith إن الأمر جيد.",
        "وصل إلى U.S. في الصباح.",
        "حصل على Ph.D. من جامعة القاهرة.",
        "تشمل الفواكه التفاح والموز etc. وغيرها.",
        "كتبت J. K. Rowling الرواية.",
        "اشترت شركة Apple Inc. الشركة الناشئة.",
    ],
)
def test_abbreviations_do_not_end_a_sentence(text):
    assert sents(text) == [text]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ولد عام 1990 م. وعاش في القاهرة.", ["ولد عام 1990 م.", "وعاش في القاهرة."]),
        ("توفي سنة 1440 هـ. ودفن في مكة.", ["توفي سنة 1440 هـ.", "ودفن في مكة."]),
        ("بنيت عام 300 ق.م. وما زالت قائمة.", ["بنيت عام 300 ق.م.", "وما زالت قائمة."]),
        ("يحتاج الجسم إلى فيتامين د. وتوجد دراسات كبيرة.", ["يحتاج الجسم إلى فيتامين د.", "وتوجد دراسات كبيرة."]),
        ("ذكرت بي بي سي. وقال المتحدث إنه بخير.", ["ذكرت بي بي سي.", "وقال المتحدث إنه بخير."]),
        ("استخدمنا الحرف C. ثم انتقلنا.", ["استخدمنا الحرف C.", "ثم انتقلنا."]),
    ],
)
def test_what_looks_like_an_abbreviation_but_ends_a_sentence(text, expected):
    assert sents(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "ارتفع بنسبة 3.5 في المئة.",
        "ارتفع بنسبة ٣٫٥ في المئة.",
        "ارتفع بنسبة ٣.٥ في المئة.",
        "بلغ العدد 1.200 شخص.",
        "في 24.11.2026 الساعة 7.30 مساء.",
        "يعمل معيار 802.11n على ترددي 2.4 جيغاهرتز و5.0 جيغاهرتز.",
        "زوروا https://www.example.com/news?id=3.5&x=y!ok اليوم.",
        "زوروا https://ar.example.com/أخبار.سياسة/مقال اليوم.",
        "زوروا www.aljazeera.net/news للمزيد.",
        "راسلونا على info.desk@example.co.uk للمزيد.",
        "راسلونا على خدمة.العملاء@مثال.كوم للمزيد.",
    ],
)
def test_numbers_urls_and_emails_are_not_split(text):
    assert sents(text) == [text]


def test_an_address_at_the_end_of_a_sentence_keeps_the_boundary():
    text = "المصدر https://example.com/a/b. وقال المتحدث كلاما."
    assert sents(text) == ["المصدر https://example.com/a/b.", "وقال المتحدث كلاما."]
    text = "راسلونا على info@example.com. وقال المتحدث كلاما."
    assert sents(text) == ["راسلونا على info@example.com.", "وقال المتحدث كلاما."]


def test_list_markers_do_not_make_sentences():
    text = "1. البند الأول مهم.\n2. البند الثاني أهم."
    assert sents(text) == ["1. البند الأول مهم.", "2. البند الثاني أهم."]


def test_no_sentence_starts_with_a_comma_or_lowercase_latin():
    assert sents("قال انتهى... ، ثم عاد.") == ["قال انتهى... ، ثم عاد."]
    assert sents("the approx. value was here.") == ["the approx. value was here."]


def test_space_before_the_period():
    assert sents("استسلموا في اليومين الأخيرين . وأضاف أنه") == ["استسلموا في اليومين الأخيرين .", "وأضاف أنه"]


# --- document structure ---------------------------------------------------------------------------


def test_paragraphs_indices_and_spans():
    text = "  عنوان\n\n الجملة الأولى. الجملة الثانية.\n \nفقرة ثالثة؟ نعم!  \n"
    doc = segment(text)
    assert isinstance(doc, Document) and doc.text == text
    assert [(p.index, text[p.start : p.end]) for p in doc.paragraphs] == [
        (0, "عنوان"),
        (1, "الجملة الأولى. الجملة الثانية."),
        (2, "فقرة ثالثة؟ نعم!"),
    ]
    assert [(s.index, s.paragraph, s.text) for s in doc.sentences] == [
        (0, 0, "عنوان"),
        (1, 1, "الجملة الأولى."),
        (2, 1, "الجملة الثانية."),
        (3, 2, "فقرة ثالثة؟"),
        (4, 2, "نعم!"),
    ]
    for s in doc.sentences:
        assert text[s.start : s.end] == s.text
    assert sentence_spans(text) == [(s.start, s.end) for s in doc.sentences]


def test_windows_line_endings_are_not_blank_lines():
    doc = segment("سطر أول\r\nسطر ثان\r\n\r\nفقرة ثانية")
    assert [len(p.sentences) for p in doc.paragraphs] == [2, 1]


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t\n", "\u00a0\u2028"])
def test_empty_text(text):
    doc = segment(text)
    assert doc.paragraphs == () and doc.sentences == ()


# --- boilerplate ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    ["مشاركة :", "مشاركة", "شارك:", "شارك الخبر", "اقرأ أيضا", "اقرأ أيضاً:", "إقرأ ايضا", "Share:", "share this article",
     "Read more", "مشاركة : فيسبوك تويتر واتساب", "طباعة"],
)
def test_boilerplate_lines(line):
    assert is_boilerplate(line)
    doc = segment(f"وقال المتحدث إن الأمر انتهى.\n{line}")
    assert [s.content for s in doc.sentences] == [True, False]


@pytest.mark.parametrize(
    "line",
    ["شارك آلاف المتظاهرين في المسيرة.", "اقرأ أيضا: السعودية تعلن موازنة جديدة", "Share prices fell sharply.",
     "مشاركة واسعة في الانتخابات", "(وكالات)", "المصدر: رويترز"],
)
def test_content_that_only_starts_like_boilerplate(line):
    assert not is_boilerplate(line)
    assert all(s.content for s in segment(line).sentences)


# --- chunks -------------------------------------------------------------------------------------------


LONG = (
    "أحبطت قوات سوريا الديمقراطية هجومين مضادين شنهما مقاتلو التنظيم في محيط الباغوز؛ "
    "بعد محاولات ليلية لتنفيذ هجمات انتحارية، لكنه فشل في ذلك، في وقت شنت طائرات التحالف غارات جديدة "
    "على مواقع التنظيم في البلدة، بعدما دفع القصف العنيف ثلاثة آلاف من مقاتليه إلى الاستسلام."
)


def check_chunks(sentence, offset, chunks: tuple[Chunk, ...], budget, count, doc: str | None = None):
    """Chunks spell the sentence back, in order, trimmed, at their spans in doc, in budget."""
    doc = doc if doc is not None else " " * offset + sentence
    assert squeeze("".join(c.text for c in chunks)) == squeeze(sentence)
    last = offset
    for c in chunks:
        assert c.text and c.text == c.text.strip()
        assert doc[c.start : c.end] == c.text
        assert c.start >= last
        last = c.end
        assert count(c.text) <= budget or len(c.text) == 1


def test_a_sentence_within_budget_is_one_chunk():
    assert chunk_sentence("جملة قصيرة.", 7, 50) == (Chunk("جملة قصيرة.", 7, 18),)
    assert chunk_sentence("   ", 0, 50) == ()


def test_chunks_split_at_the_semicolon_first():
    chunks = chunk_sentence(LONG, 100, 60)
    check_chunks(LONG, 100, chunks, 60, approx_tokens)
    assert len(chunks) == 2
    assert chunks[0].text.endswith("الباغوز؛")


def test_chunks_split_at_commas_next():
    chunks = chunk_sentence(LONG, 0, 24)
    check_chunks(LONG, 0, chunks, 24, approx_tokens)
    assert all(c.text.endswith(("؛", "،", ".")) for c in chunks)


def test_chunks_split_at_a_conjunction_before_white_space():
    text = (
        "قال المسؤول إن القوات وصلت إلى المدينة في ساعة مبكرة صباح اليوم "
        "ثم بدأت عمليات التفتيش في الأحياء الشرقية من المدينة القديمة"
    )
    chunks = chunk_sentence(text, 0, 20)
    check_chunks(text, 0, chunks, 20, approx_tokens)
    assert [c.text.split()[0] for c in chunks] == ["قال", "ثم"]
    text = "وصل الوفد إلى العاصمة مساء أمس بعد رحلة طويلة وبدأ محادثاته مع المسؤولين صباح اليوم في القصر"
    chunks = chunk_sentence(text, 0, 18)
    check_chunks(text, 0, chunks, 18, approx_tokens)
    assert chunks[1].text.startswith("وبدأ")


def test_chunks_are_balanced_without_tiny_tails():
    text = " ".join(f"كلمة{i}" for i in range(30))
    chunks = chunk_sentence(text, 0, 32)  # 20 words fit; greedy would give 20 + 10
    check_chunks(text, 0, chunks, 32, approx_tokens)
    assert [len(c.text.split()) for c in chunks] == [15, 15]


def test_a_pathological_word_is_split_by_characters():
    word = "ب" * 1000
    chunks = chunk_sentence(f"قال {word} ثم", 5, 100, len)
    check_chunks(f"قال {word} ثم", 5, chunks, 100, len)
    assert max(len(c.text) for c in chunks) <= 100
    assert len(chunks) <= 12


def test_max_tokens_must_be_positive():
    with pytest.raises(ValueError):
        chunk_sentence("نص", 0, 0)


def test_a_long_run_on_sentence():
    text = " ".join(["كلمة"] * 5000)  # thousands of units: grouped block by block
    chunks = chunk_sentence(text, 0, 100)
    check_chunks(text, 0, chunks, 100, approx_tokens)


# --- invariants (hypothesis) --------------------------------------------------------------------------

_PIECES = [
    "د.", "م.", "ص.ب.", "ق.م.", "هـ.", "U.S.", "Dr.", "e.g.", "3.5", "٣٫٥", "1.200", "24.11.2026", "7.30",
    "https://x.com/a?b=1.", "www.site.org", "a.b@c.com", "الروسية.ودارت", "مشاركة :", "Share:", "...", "…",
    "؟!", "«", "»", '"', "“", "”", "(", ")", "[", "]", "'", "’", "،", "؛", ",", ";", ":", " - ", "و", "ف",
    "قال", "وأضاف", "تساءل", "مضيفاً", "كما", "!»", '؟"', ". »", "كلمة", "الحكومة", "دي.", "كيه.",
    "Hello", "world", "1.", "\n", "\n\n", " ", "  ", "\t", "\r\n", "\u00a0", "\u2028",
]
_ALPHABET = "ابتثجحخدذرزسشصضطظعغفقكلمنهوييءآأإؤئةىـًٌٍَُِّْabcXYZ0129٠١٩.!?؟…،؛,;:«»\"“”()'- \n\t"
texts = st.lists(
    st.one_of(st.sampled_from(_PIECES), st.text(alphabet=_ALPHABET, max_size=6)), max_size=40
).map("".join)
_FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_document(text: str) -> Document:
    doc = segment(text)
    assert doc.text == text
    last = 0
    for k, p in enumerate(doc.paragraphs):
        assert p.index == k and p.start >= last and p.start < p.end
        last = p.end
        for s in p.sentences:
            assert s.paragraph == k and p.start <= s.start < s.end <= p.end
    last = 0
    for k, s in enumerate(doc.sentences):
        assert s.index == k
        assert s.text == text[s.start : s.end] == s.text.strip() != ""
        assert s.start >= last
        last = s.end
    assert "".join(squeeze(s.text) for s in doc.sentences) == squeeze(text)
    return doc


@_FAST
@given(texts)
def test_sentences_spell_the_text_back(text):
    check_document(text)


@_FAST
@given(texts)
def test_a_sentence_segmented_alone_comes_back_whole(text):
    for s in segment(text).sentences:
        again = segment(s.text).sentences
        assert [(t.text, t.start, t.content) for t in again] == [(s.text, 0, s.content)]


_COUNTS = [
    (len, 1),
    (approx_tokens, 2),
    (lambda t: len(t.encode("utf-8")) // 3 + 1, 2),
    (lambda t: len(t.split()) + sum(not c.isalnum() and not c.isspace() for c in t), 2),
]


@settings(max_examples=200, deadline=None)
@given(texts, st.integers(min_value=0, max_value=len(_COUNTS) - 1), st.integers(min_value=0, max_value=40))
def test_chunks_fit_the_budget_and_spell_the_sentence(text, which, extra):
    count, floor = _COUNTS[which]
    budget = floor + extra
    for s in segment(text).sentences:
        chunks = chunk_sentence(s.text, s.start, budget, count)
        check_chunks(s.text, s.start, chunks, budget, count, doc=text)
        assert all(count(c.text) <= budget for c in chunks)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_any_unicode_text(text):
    doc = check_document(text)
    for s in doc.sentences:
        check_chunks(s.text, s.start, chunk_sentence(s.text, s.start, 3, len), 3, len, doc=text)


# --- the module stays light ----------------------------------------------------------------------------


def test_import_is_light():
    heavy = ("torch", "transformers", "regex", "numpy", "sentencepiece")
    code = f"import sys, tarjim.segment; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


# --- tarjim's own news gold -------------------------------------------------------------------------------

NEWS_GOLD = [json.loads(line) for line in (ROOT / "tests" / "data" / "news_gold.jsonl").read_text("utf-8").splitlines()]


def test_the_news_gold_is_well_formed():
    assert 20 <= len(NEWS_GOLD) <= 30
    for doc in NEWS_GOLD:
        assert squeeze("".join(doc["sentences"])) == squeeze(doc["text"]), doc["doc_id"]
    covered = " ".join(doc["covers"] for doc in NEWS_GOLD)
    for case in ("three-sentence statement", "attribution", "nested", "bracket", "Dr.", "spelt Latin initials",
                 "Arabic-Indic", "headline", "glued"):
        assert case in covered or any(case in d["doc_id"] for d in NEWS_GOLD), case


@pytest.mark.parametrize("doc", NEWS_GOLD, ids=[d["doc_id"] for d in NEWS_GOLD])
def test_news_gold(doc):
    assert sents(doc["text"]) == doc["sentences"]


def test_news_gold_beats_both_regexes():
    bench = _bench()
    ours = bench.score(NEWS_GOLD, sentence_spans)
    assert ours["f1"] == 1.0 and ours["lost"] == 0
    for rival in (bench.regex_spans, bench.regex_q_spans):
        assert bench.score(NEWS_GOLD, rival)["f1"] < 0.9  # 0.836 and 0.846


# --- shared data -------------------------------------------------------------------------------------------


def _bench():
    """bench/segment.py, whose scoring the tests share."""
    spec = importlib.util.spec_from_file_location("bench_segment", ROOT / "bench" / "segment.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _flores_docs() -> list[dict]:
    return _bench().flores_docs()


@pytest.mark.shared
@pytest.mark.skipif(not FLORES_DOCS.is_file(), reason="../shared is absent")
def test_flores_gold_quality():
    bench = _bench()
    docs = _flores_docs()
    ours = bench.score(docs, sentence_spans)
    regex, regex_q = bench.score(docs, bench.regex_spans), bench.score(docs, bench.regex_q_spans)
    assert ours["lost"] == 0
    assert ours["recall"] >= 0.99
    # Raw F1 on translation units (0.928; the regexes 0.920 and 0.925): tarjim splits
    # quotations now, as news gold does, and this gold keeps them whole; the excused
    # score below is the one that measures sentences.
    assert ours["f1"] >= max(regex["f1"], regex_q["f1"])
    assert ours["f1"] >= 0.92


@pytest.mark.shared
@pytest.mark.skipif(not FLORES_DOCS.is_file(), reason="../shared is absent")
def test_flores_f1_where_the_gold_lines_are_sentences():
    bench = _bench()
    docs = _flores_docs()
    if not bench.attach_english(docs):
        pytest.skip("../shared/data/mt/flores200_devtest is absent")
    units = bench.translation_unit_check(docs, sentence_spans)
    assert units["excused"] >= 0.85 * units["fp"]  # 101 of 113
    assert units["f1"] >= 0.99
    assert units["f1"] > bench.translation_unit_check(docs, bench.regex_q_spans)["f1"]


@pytest.mark.shared
@pytest.mark.skipif(not BAGHOUZ.is_file(), reason="../shared is absent")
def test_baghouz_article_reads_right():
    text = BAGHOUZ.read_text(encoding="utf-8")
    doc = check_document(text)
    got = [s.text for s in doc.sentences]
    assert len(got) == 15
    assert got[0].endswith("وفق ما ذكرت وزارة الدفاع الروسية.")  # the glued sentence is split
    assert got[1].startswith("ودارت منذ الصباح")
    assert got[6] == "وقال القيادي الكردي جياكر أمد في الباغوز «قد يكون هذا آخر هجوم لهم»، مضيفاً «بدأت اللحظات الأخيرة «لداعش»»."
    assert got[-2:] == ["(وكالات)", "مشاركة :"]
    assert [s.content for s in doc.sentences] == [True] * 14 + [False]
    for s in doc.sentences:
        for budget in (16, 48):
            check_chunks(s.text, s.start, chunk_sentence(s.text, s.start, budget), budget, approx_tokens, doc=text)
    assert not any(re.search(r"[«»]", c) and c.count("«") != c.count("»") for c in got)


@pytest.mark.shared
@pytest.mark.skipif(not (SHARED / "data" / "mt" / "tico19_ar_en" / "tico19-test.ar").is_file(),
                    reason="../shared is absent")
def test_tico19_held_out_no_worse():
    bench = _bench()
    docs = bench.tico_docs()
    ours = bench.score(docs, sentence_spans)
    assert ours["lost"] == 0 and ours["recall"] >= 0.99
    assert ours["f1"] >= 0.953  # issue 3's figure; 0.954 with quotations split
    assert bench.translation_unit_check(docs, sentence_spans)["f1"] >= 0.99


def test_the_issues_regex_baseline():
    bench = _bench()
    text = "قال «انتهى الأمر.» وغادر. هل عاد؟ لا… ربما\nسطر"
    def pieces(split):
        return [text[s:e] for s, e in split(text)]

    assert pieces(bench.regex_q_spans) == ["قال «انتهى الأمر.»", "وغادر.", "هل عاد؟", "لا…", "ربما", "سطر"]
    assert pieces(bench.regex_spans) == ["قال «انتهى الأمر.» وغادر.", "هل عاد؟", "لا… ربما", "سطر"]
