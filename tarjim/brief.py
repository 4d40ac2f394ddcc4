"""Briefs: a headline and a few points, each point tied to the source sentences it
came from.

Two kinds of summarizer share one protocol:

* ``extractive`` (the default): no model, standard library only.  It scores each
  sentence by how much of the article's content it shares (degree centrality over
  TF-IDF cosine similarities, as in LexRank), weighted by a lead-position prior
  (news puts the news first) and per word (a brief should be brief), and picks
  sentences greedily by maximal marginal relevance so that two points do not say
  the same thing.  Points come back in article order.
* ``seq2seq``: an abstractive model (BART-style, via transformers), loaded lazily;
  torch and transformers are imported only inside its methods.  Each generated
  point is traced to the source sentences it overlaps most, and points whose
  numbers are not in the source are dropped.

``check_numbers`` flags points whose numbers do not appear in the source sentences.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from tarjim.checks import numbers_in
from tarjim.document import Brief, BriefPoint
from tarjim.errors import InputError, ModelError, UsageError

if TYPE_CHECKING:  # pragma: no cover
    from tarjim.config import SummarizerSpec

__all__ = [
    "Summarizer",
    "ExtractiveSummarizer",
    "Seq2SeqSummarizer",
    "get_summarizer",
    "split_sentences",
    "check_numbers",
    "numbers_in",
    "UNSUPPORTED_NUMBER",
]

UNSUPPORTED_NUMBER = "unsupported_number"


@runtime_checkable
class Summarizer(Protocol):
    name: str

    def summarize(self, sentences: Sequence[str], n: int = 4) -> Brief:
        """sentences: the article, one string per source sentence, in order ("" for
        a sentence to skip).  Brief point sources index into ``sentences``."""
        ...


# --------------------------------------------------------------------------------------
# English sentence splitting

# Abbreviations before a name: their period never ends a sentence.
_TITLES = frozenset(
    """mr mrs ms messrs dr prof st sr jr gen col lt sgt capt cmdr adm maj rep sen gov
    rev hon fr pres supt insp det cpl pvt brig mt vs v approx""".split()
)
# Abbreviations before a number ("No. 10", "Jan. 5"): no sentence ends there.
_BEFORE_NUMBER = frozenset(
    "no nos fig figs vol art sec ch p pp jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
# Abbreviations that may end a sentence ("Apple Inc.", "the U.S.", "5 p.m.", "J."): a
# sentence ends after one only if a word that commonly opens a sentence follows.
_AMBIGUOUS = frozenset("inc ltd co corp bros etc al ave blvd est dept".split())
_STARTERS = frozenset(
    """a an the he she it they we i you his her its their our this that these those
    there here but and so yet however meanwhile in on at for if when while after
    before as since although though then now also some many most all both no not
    what who why how where which mr mrs ms dr""".split()
)
_OPEN = "\"'“‘«([`"
# Terminal punctuation, any closing quotes/brackets (PTB: ''), then whitespace.
_BOUNDARY = re.compile(r"([.!?…]+)((?:\s?(?:''|[\"'”’»)\]]))*)(\s+)")
_ACRONYM = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")  # U.S U.K a.m p.m (final period aside)
_NEXT_WORD = re.compile(r"[`'\"“‘«(\[\s]*([^\W_]+)")


def _opens_sentence(text: str) -> bool:
    """Does text (what follows a candidate boundary) look like a sentence start?"""
    m = _NEXT_WORD.match(text)
    if not m:
        return False
    c = m.group(1)[0]
    return c.isupper() or c.isdigit() or (c.isalpha() and not c.islower())  # or uncased


def _period_ends_sentence(word: str, following: str) -> bool:
    """word ends with a period that may not end the sentence; following: the text after."""
    stem = word.lstrip(_OPEN)[:-1]
    key = stem.lower()
    nxt = _NEXT_WORD.match(following)
    next_word = nxt.group(1) if nxt else ""
    if key in _TITLES:
        return False
    if key in _BEFORE_NUMBER:
        return not next_word[:1].isdigit()
    if key in _AMBIGUOUS or _ACRONYM.match(stem) or (len(stem) == 1 and stem.isupper()):
        return next_word.lower() in _STARTERS
    return True


# A straight single quote used as a quotation mark, not an apostrophe ("'s", "o'hare"):
# opening a word, closing one, standing alone (PTB) or after punctuation.
_SINGLE_QUOTES = re.compile(
    r"(?:(?<=\s)|^)'(?!(?:s|re|ve|ll|d|m|t)\b)(?=\S)"
    r"|(?<=[^\W\d_])'(?=\s|$)"
    r"|(?:(?<=\s)|^)'(?=\s|$)"
    r"|(?<=[.,!?])'",
    re.IGNORECASE,
)


def _quote_open(segment: str, quote: str) -> bool:
    """Is a straight quote (' or ") left open in segment?  Apostrophes ("'s", "o'hare")
    are not quotes."""
    if quote == '"':
        return segment.count('"') % 2 == 1
    return len(_SINGLE_QUOTES.findall(segment)) % 2 == 1


def _sentence_end(text: str, start: int, m: re.Match) -> int:
    """Where the sentence ends at boundary m: after the terminal punctuation and the
    closing quotes that belong to it.  A straight quote standing apart (PTB: ". ' He")
    closes the sentence only if the sentence has a quote open; else it opens the next."""
    end = m.end(1)
    for q in re.finditer(r"\s?(''|[\"'”’»)\]])", m.group(2)):
        mark = q.group(1)
        if q.group(0)[0].isspace() and mark in "'\"" and not _quote_open(text[start:end], mark):
            break
        end = m.start(2) + q.end()
    return end


def _split_paragraph(text: str) -> list[str]:
    out: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if m.start() < start:
            continue
        end = _sentence_end(text, start, m)
        following = text[end:].lstrip()
        if not following or not _opens_sentence(following):
            continue
        if m.group(1) == "." and m.start(1) > start and not text[m.start(1) - 1].isspace():
            word = text[start : m.end(1)].split()[-1]  # the word the period is glued to
            if not _period_ends_sentence(word, following):
                continue
        piece = text[start:end].strip()
        if piece:
            out.append(piece)
        start = end
    piece = text[start:].strip()
    if piece:
        out.append(piece)
    return out


def split_sentences(text: str) -> list[str]:
    """English text → sentences.  Line breaks end a sentence (a headline has no final
    period); within a line, a sentence ends at . ! ? (and any closing quotes) before
    a word that can start one.  Knows titles (Mr. Dr.), initials, acronyms (U.S.),
    decimals (3.5) and PTB-tokenised text ("word . Next")."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    sentences: list[str] = []
    for line in text.split("\n"):
        line = " ".join(line.split())
        if line:
            sentences.extend(_split_paragraph(line))
    return sentences


# --------------------------------------------------------------------------------------
# Words and sentence vectors

_STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because
    been before being below between both but by can could did do does doing down during
    each few for from further had has have having he her here hers herself him himself
    his how i if in into is it its itself just me more most my myself no nor not now of
    off on once only or other our ours ourselves out over own same she should so some
    such than that the their theirs them themselves then there these they this those
    through to too under until up very was we were what when where which while who whom
    why will with would you your yours yourself yourselves us may might must shall
    said says say told according n't""".split()
)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _stem(w: str) -> str:
    """A light suffix stripper: enough to match plurals and verb forms."""
    if len(w) <= 4 or w.isdigit():
        return w
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", "e"), ("ly", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)] + repl
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def _words(sentence: str) -> list[str]:
    return _WORD.findall(sentence)


def _content_words(sentence: str) -> list[str]:
    out = []
    for w in _WORD.findall(sentence.lower()):
        w = re.sub(r"['’]s$", "", w)
        if w in _STOPWORDS or (len(w) < 2 and not w.isdigit()):
            continue
        out.append(_stem(w))
    return out


class _Vectors:
    """TF-IDF vectors of a set of sentences (IDF from those sentences), unit length."""

    def __init__(self, token_lists: Sequence[Sequence[str]]):
        n = len(token_lists)
        df = Counter(w for toks in token_lists for w in set(toks))
        idf = {w: math.log(1 + n / d) for w, d in df.items()}
        self.vecs: list[dict[str, float]] = []
        for toks in token_lists:
            v = {w: (1 + math.log(c)) * idf[w] for w, c in Counter(toks).items()}
            norm = math.sqrt(sum(x * x for x in v.values()))
            self.vecs.append({w: x / norm for w, x in v.items()} if norm else {})

    def cos(self, i: int, j: int) -> float:
        a, b = self.vecs[i], self.vecs[j]
        if len(a) > len(b):
            a, b = b, a
        return sum(x * b.get(w, 0.0) for w, x in a.items())


# --------------------------------------------------------------------------------------
# Extractive summarizer

_TERMINAL = re.compile(r"[.!?…](?:\s?(?:''|[\"'”’»)\]]))*$")
MMR_LAMBDA = 0.7  # relevance vs novelty (Carbonell & Goldstein's maximal marginal relevance)
MIN_CONTENT_WORDS = 3  # fewer: a fragment ("Watch the video."), not a point, if others exist


def _is_content(s: str) -> bool:
    return bool(s and _WORD.search(s))


def _is_title(s: str) -> bool:
    """A headline line: no final punctuation, short."""
    return not _TERMINAL.search(s) and len(_words(s)) <= 25


def _rank(sentences: Sequence[str], vec: _Vectors) -> list[float]:
    """Salience of each sentence: centrality × lead prior, per word.

    Centrality: the sum of its TF-IDF cosine similarities to the other sentences
    (degree centrality, as in LexRank): a sentence that shares content with much of
    the article carries it.  Lead prior: 1/(position+1), as news writing puts the
    news first.  Per word: divided by the sentence's length in words, so that a long
    sentence must carry proportionally more (a brief should be brief)."""
    n = len(sentences)
    degree = [0.0] * n
    for i in range(n):
        for j in range(i + 1, n):
            c = vec.cos(i, j)
            degree[i] += c
            degree[j] += c
    return [degree[i] / (i + 1) / max(1, len(_words(sentences[i]))) for i in range(n)]


def _select(sentences: Sequence[str], n: int) -> tuple[list[int], list[float]]:
    """Positions (into sentences) of the n sentences to keep, in article order, and the
    salience of every sentence (the greatest is 1)."""
    tokens = [_content_words(s) for s in sentences]
    vec = _Vectors(tokens)
    rel = _rank(sentences, vec)
    top = max(rel)
    if top <= 0:  # no sentence shares a word with another: the lead carries the article
        rel = [1.0 / (i + 1) for i in range(len(sentences))]
        top = 1.0
    rel = [r / top for r in rel]
    # Fragments ("Watch the video.") are not points, unless there is nothing else.
    full = [i for i, t in enumerate(tokens) if len(set(t)) >= MIN_CONTENT_WORDS]
    pool = full if len(full) >= min(n, len(sentences)) else list(range(len(sentences)))
    chosen: list[int] = []
    while pool and len(chosen) < n:

        def mmr(i: int) -> float:
            redundancy = max((vec.cos(i, j) for j in chosen), default=0.0)
            return MMR_LAMBDA * rel[i] - (1 - MMR_LAMBDA) * redundancy

        best = max(pool, key=lambda i: (mmr(i), -i))
        chosen.append(best)
        pool.remove(best)
    return sorted(chosen), rel


class ExtractiveSummarizer:
    """Picks the sentences that carry the article.  No model; standard library only."""

    kind = "extractive"

    def __init__(self, name: str = "extractive"):
        self.name = name

    def summarize(self, sentences: Sequence[str], n: int = 4) -> Brief:
        _check_n(n)
        content = [i for i, s in enumerate(sentences) if _is_content(s)]
        if not content:
            raise InputError("nothing to summarize: the article has no text")
        title: int | None = None
        if len(content) > 1 and _is_title(sentences[content[0]]):
            title, content = content[0], content[1:]
        body = [" ".join(sentences[i].split()) for i in content]
        picked, rel = _select(body, n)
        points = tuple(BriefPoint(body[k], (content[k],)) for k in picked)
        if title is not None:
            headline, h_src = _shorten(sentences[title]), (title,)
        else:
            k = max(picked, key=lambda k: (rel[k], -k))
            headline, h_src = _shorten(body[k]), (content[k],)
        brief = Brief(headline=headline, points=points, summarizer=self.name, headline_sources=h_src)
        return check_numbers(brief, sentences)


def _check_n(n: int) -> None:
    if not isinstance(n, int) or n < 1:
        raise UsageError(f"the number of brief points must be a positive integer, not {n!r}")


# --------------------------------------------------------------------------------------
# Headlines: a source sentence, shortened at a clause boundary (never new words)

HEADLINE_WORDS = 14
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Za-z .,'-]{0,40}?\s*)?\(\s*(?:CNN|AP|AFP|Reuters|UPI|BBC)\s*\)\s*(?:--|[-—–:])?\s*",
    re.IGNORECASE,
)
_CLAUSE_WORDS = frozenset(
    """after as because before while when since amid despite following who which
    whose where but though although until unless whereas so""".split()
)
_PHRASE_WORDS = frozenset("in on at near with for from over during into against than by".split())
# An opening phrase set off by a comma ("On Sunday, ...", "With the deal done, ..."):
# the headline can start after it.
_INTRO_WORDS = _CLAUSE_WORDS | _PHRASE_WORDS | frozenset("earlier last this yesterday today".split())
_PAIRS = (("(", ")"), ("[", "]"), ("“", "”"), ("``", "''"))


def _balanced(words: Sequence[str]) -> bool:
    text = " ".join(words)
    if any(text.count(a) != text.count(b) for a, b in _PAIRS):
        return False
    return text.count('"') % 2 == 0 and not _quote_open(text, "'")


def _nwords(words: Sequence[str]) -> int:
    return len(_words(" ".join(words)))


def _shorten(sentence: str, limit: int = HEADLINE_WORDS) -> str:
    """A one-line headline from a source sentence: its dateline, final period and any
    opening phrase set off by a comma dropped, and, if still long, cut back to its
    longest leading clause (or phrase) of at most ``limit`` words.  Never adds a word;
    an ellipsis marks a cut at neither."""
    text = " ".join(sentence.split())
    text = _DATELINE.sub("", text, count=1) or text
    text = re.sub(r"\s*[.!…]+(?:\s*(?:''|[\"'”’]))?$", "", text).strip() or text
    words = text.split(" ")
    if _nwords(words) > limit and words[0].lower() in _INTRO_WORDS:
        for k, w in enumerate(words[:limit]):
            if w == "," or w.endswith(","):
                rest = words[k + 1 :]
                if _nwords(rest) >= 4 and _balanced(words[: k + 1]):
                    words = [rest[0][:1].upper() + rest[0][1:], *rest[1:]]
                break
    if _nwords(words) <= limit:
        return " ".join(words)
    clauses: list[int] = []
    phrases: list[int] = []
    for k in range(2, len(words)):
        if _nwords(words[:k]) > limit:
            break
        if _nwords(words[:k]) < 4 or not _balanced(words[:k]):
            continue
        nxt, prev = words[k].lower(), words[k - 1]
        if prev.endswith((",", ";", ":")) or nxt in {",", ";", ":", "--", "-", "–", "—"} or nxt in _CLAUSE_WORDS:
            clauses.append(k)
        elif nxt in _PHRASE_WORDS:
            phrases.append(k)
    if clauses and _nwords(words[: clauses[-1]]) >= limit // 2:
        cut = clauses[-1]
    else:
        cut = max(clauses + phrases, default=0)
    if cut:
        return " ".join(words[:cut]).rstrip(" ,;:-–—")
    kept: list[str] = []
    for w in words:
        if _nwords([*kept, w]) > limit:
            break
        kept.append(w)
    while len(kept) > 3 and (kept[-1].lower().strip(",;:") in _STOPWORDS or not _WORD.search(kept[-1])):
        kept.pop()
    return " ".join(kept).rstrip(" ,;:-–—") + "…"


# --------------------------------------------------------------------------------------
# Numbers

# The number reader is tarjim.checks's (figures, "3.5 million", number words,
# Arabic-Indic digits), shared with the source-vs-English checks.


def _unsupported(text: str, known: set[float]) -> bool:
    return any(not (values & known) for values in numbers_in(text))


def check_numbers(brief: Brief, sentences: Sequence[str]) -> Brief:
    """Flag UNSUPPORTED_NUMBER on each point that mentions a number (in digits or in
    words) that no source sentence has.  1,200 matches 1200; 3.5 million matches
    3,500,000; twenty matches 20."""
    known: set[float] = set()
    for s in sentences:
        for values in numbers_in(s):
            known |= values
    points = []
    for p in brief.points:
        flags = tuple(f for f in p.flags if f != UNSUPPORTED_NUMBER)
        if _unsupported(p.text, known):
            flags += (UNSUPPORTED_NUMBER,)
        points.append(BriefPoint(p.text, p.sources, flags))
    return Brief(brief.headline, tuple(points), brief.summarizer, brief.headline_sources)


# --------------------------------------------------------------------------------------
# Provenance: which source sentences a generated sentence came from


def provenance(text: str, sentences: Sequence[str], max_sources: int = 3) -> tuple[int, ...]:
    """The source sentences that best cover text's content words, by greedy set cover:
    the one sharing most words, then any that add at least two more; article order."""
    wanted = set(_content_words(text))
    pools = [set(_content_words(s)) if _is_content(s) else set() for s in sentences]
    chosen: list[int] = []
    while wanted and len(chosen) < max_sources:
        best = max(range(len(pools)), key=lambda i: (len(wanted & pools[i]), -i), default=None)
        if best is None:
            break
        gain = len(wanted & pools[best])
        if gain == 0 or (chosen and gain < 2):
            break
        chosen.append(best)
        wanted -= pools[best]
    return tuple(sorted(chosen))


# --------------------------------------------------------------------------------------
# Abstractive summarizer (transformers, loaded lazily)


class Seq2SeqSummarizer:
    """An encoder-decoder summarization model (BART fine-tuned on news, e.g.).

    An article longer than the model's input is cut into chunks at sentence
    boundaries; each chunk is summarized, and the partial summaries are summarized
    again while they still do not fit (map-reduce).  Points whose numbers are not in
    the article, or that share no content word with it, are dropped."""

    kind = "seq2seq"

    def __init__(self, spec: SummarizerSpec, device: str | None = None):
        self.spec = spec
        self.name = spec.name
        self.device = device
        self._tokenizer = None
        self._model = None

    # -- loading -------------------------------------------------------------------
    def load(self) -> None:
        if self._model is not None:
            return
        from tarjim.models import local_model_dir

        path = local_model_dir(self.spec)
        try:
            import torch
            from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
        except ImportError as e:  # pragma: no cover - both are dependencies
            raise ModelError(f"summarizer {self.name} needs torch and transformers: {e}") from None
        from transformers.utils import logging as hf_logging

        bars = hf_logging.is_progress_bar_enabled()
        hf_logging.disable_progress_bar()  # the library does not print; the CLI draws progress
        try:
            tokenizer = AutoTokenizer.from_pretrained(str(path))
            model = AutoModelForSeq2SeqLM.from_pretrained(str(path))
        except (OSError, ValueError, KeyError) as e:
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise ModelError(f"summarizer {self.name}: cannot load the model in {path}: {first}") from None
        finally:
            if bars:
                hf_logging.enable_progress_bar()
        device = self.device or ("cuda" if torch.cuda.is_available() else "cpu")
        model.to(device).eval()
        self.device = device
        self._tokenizer, self._model = tokenizer, model

    @property
    def max_input_tokens(self) -> int:
        limit = self.spec.max_input_tokens
        positions = getattr(self._model.config, "max_position_embeddings", None) if self._model else None
        return min(limit, positions) if positions else limit

    # -- chunking ------------------------------------------------------------------
    def token_counts(self, texts: Sequence[str]) -> list[int]:
        self.load()
        if not texts:
            return []
        # verbose=False: a text longer than the model's input is counted to be chunked
        ids = self._tokenizer([" " + t for t in texts], add_special_tokens=False, verbose=False)["input_ids"]
        return [len(x) for x in ids]

    def chunks(self, texts: Sequence[str]) -> list[list[int]]:
        """Consecutive groups of text indices, each group fitting the model's input
        (a single text longer than that is a group of its own, truncated)."""
        self.load()
        budget = max(8, self.max_input_tokens - self._tokenizer.num_special_tokens_to_add())
        groups: list[list[int]] = []
        used = 0
        for i, count in enumerate(self.token_counts(texts)):
            if groups and used + count <= budget:
                groups[-1].append(i)
                used += count
            else:
                groups.append([i])
                used = count
        return groups

    def _generate(self, text: str) -> str:
        import torch

        tok, model = self._tokenizer, self._model
        enc = tok(text, return_tensors="pt", truncation=True, max_length=self.max_input_tokens).to(self.device)
        source_len = int(enc["input_ids"].shape[1])
        max_length = max(2, self.spec.max_length)
        min_length = min(self.spec.min_length, max(1, source_len // 2), max_length - 1)
        try:
            with torch.inference_mode():
                out = model.generate(
                    input_ids=enc["input_ids"],
                    attention_mask=enc["attention_mask"],
                    num_beams=max(1, self.spec.beams),
                    do_sample=False,
                    min_length=min_length,
                    max_length=max_length,
                    no_repeat_ngram_size=3,
                    early_stopping=True,
                )
        except (RuntimeError, ValueError) as e:  # out of memory, a broken model
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise ModelError(f"summarizer {self.name} failed: {first}") from None
        return tok.decode(out[0], skip_special_tokens=True).strip()

    def _summarize_texts(self, texts: list[str], depth: int = 0) -> list[str]:
        groups = self.chunks(texts)
        partials = [self._generate(" ".join(texts[i] for i in g)) for g in groups]
        sents = list(dict.fromkeys(s for p in partials for s in split_sentences(p)))
        if len(groups) == 1 or depth >= 2 or not sents:
            return sents
        if sum(self.token_counts(sents)) >= sum(self.token_counts(texts)):
            return sents  # not shrinking: keep the partial summaries
        return self._summarize_texts(sents, depth + 1)

    # -- the protocol --------------------------------------------------------------
    def summarize(self, sentences: Sequence[str], n: int = 4) -> Brief:
        _check_n(n)
        content = [i for i, s in enumerate(sentences) if _is_content(s)]
        if not content:
            raise InputError("nothing to summarize: the article has no text")
        self.load()
        generated = self._summarize_texts([" ".join(sentences[i].split()) for i in content])
        seen: set[str] = set()
        candidates: list[BriefPoint] = []
        for g in generated:
            key = " ".join(_content_words(g))
            if not key or key in seen:
                continue
            seen.add(key)
            sources = provenance(g, sentences)
            if sources:  # a sentence that shares no content word with the article: dropped
                candidates.append(BriefPoint(g, sources))
        checked = check_numbers(Brief("", tuple(candidates), self.name), sentences)
        points = [p for p in checked.points if UNSUPPORTED_NUMBER not in p.flags]
        if len(points) > n:  # keep the n that carry the summary, in their order
            keep, _ = _select([p.text for p in points], n)
            points = [points[k] for k in keep]
        if not points:  # nothing trustworthy came out: fall back to the article's own sentences
            fallback = ExtractiveSummarizer(self.name).summarize(sentences, n)
            return Brief(
                fallback.headline,
                tuple(BriefPoint(p.text, p.sources, (*p.flags, "extractive_fallback")) for p in fallback.points),
                self.name,
                fallback.headline_sources,
            )
        return Brief(_shorten(points[0].text), tuple(points), self.name, points[0].sources)


# --------------------------------------------------------------------------------------
# By name


def get_summarizer(name: str | None = None) -> Summarizer:
    """The summarizer called name in the model registry (None: the registry's
    default).  A seq2seq model is not loaded until it is first used."""
    from tarjim.config import load_registry

    registry = load_registry()
    spec = registry.summarizer(name or registry.default_summarizer)
    if spec.kind == "extractive":
        return ExtractiveSummarizer(spec.name)
    if spec.kind == "seq2seq":
        return Seq2SeqSummarizer(spec)
    raise ModelError(f"summarizer {spec.name}: unknown kind {spec.kind!r} (extractive or seq2seq)")


def brief_function(name: str | None):
    """sentences → a number-checked Brief (None for nothing but boilerplate): what the
    CLI and the batch workers brief an article with."""
    summarizer = get_summarizer(name)

    def run(sentences):
        if not any(s.strip() for s in sentences):
            return None  # nothing but boilerplate: a translation, and no brief
        return check_numbers(summarizer.summarize(sentences), sentences)

    return run
