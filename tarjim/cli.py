"""The command line: parse arguments, call the library, print. A TarjimError becomes
one line on stderr and its exit code; nothing else here knows how translation works."""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from tarjim import __version__
from tarjim.errors import TarjimError, UsageError

app = typer.Typer(
    name="tarjim",
    help="ترجم — translate Arabic news articles into English, offline, with a short brief.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
models_app = typer.Typer(help="List the translation models, or download one (`pull`).", invoke_without_command=True)
app.add_typer(models_app, name="models")


class Format(str, Enum):
    auto = "auto"
    text = "text"
    markdown = "markdown"
    json = "json"


class Rtl(str, Enum):
    logical = "logical"
    visual = "visual"


class PlainFormat(str, Enum):
    text = "text"
    json = "json"


PathArg = Annotated[
    Optional[str], typer.Argument(help="A text file (UTF-8, UTF-16, cp1256…), a web page or a URL; '-' or nothing "
                                  "with a pipe reads stdin.", show_default=False)
]
ModelOpt = Annotated[
    Optional[str], typer.Option("--model", "-m", help="A model name or alias from `tarjim models`, or a model directory.")
]
EngineOpt = Annotated[Optional[str], typer.Option(
    "--engine", help="ctranslate2 (int8, fast) or transformers (default: the model's, from models.toml).")]
BeamsOpt = Annotated[Optional[int], typer.Option("--beams", min=1, max=16, help="Beam size (default: the model's).")]
ThreadsOpt = Annotated[Optional[int], typer.Option("--threads", min=1, help="CPU threads (default: physical cores).")]
SummarizerOpt = Annotated[Optional[str], typer.Option("--summarizer", help="Brief summarizer name from models.toml.")]
EncodingOpt = Annotated[Optional[str], typer.Option(
    "--encoding", help="Read the input in this encoding (e.g. cp1256, utf-16) instead of detecting it.")]
SourceOpt = Annotated[str, typer.Option(
    "--source", help="The input's language: auto (detect it; refuse what is not Arabic), or a code such as ar "
                     "(translate it as Arabic whatever the detector says) or fa/ur (with an NLLB model).")]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Exit 5 when a check flags any sentence.")]
GlossaryOpt = Annotated[Optional[Path], typer.Option(
    "--glossary", help="Glossary (TOML or TSV: Arabic term → English rendering, optional variants); "
    "default: glossary.toml or glossary.tsv in ~/.config/tarjim ($XDG_CONFIG_HOME/tarjim).", show_default=False)]


def _stderr():
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def fail(err: TarjimError) -> None:
    print(f"tarjim: error: {err}", file=sys.stderr)
    raise typer.Exit(err.exit_code)


@contextmanager
def errors_to_exit():
    """TarjimError → one stderr line + exit code; Ctrl-C → 130; a bug → one line, not a wall."""
    try:
        yield
    except TarjimError as e:
        fail(e)
    except KeyboardInterrupt:
        print("tarjim: interrupted", file=sys.stderr)
        raise typer.Exit(130) from None
    except (typer.Exit, typer.Abort, SystemExit):
        raise
    except BrokenPipeError:  # the reader stopped reading (head, or q in less): nothing to report
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        raise typer.Exit(1) from None
    except OSError as e:  # a path we were told to write to or read from
        where = f": {e.filename}" if e.filename else ""
        print(f"tarjim: error: {e.strerror or e}{where}", file=sys.stderr)
        raise typer.Exit(1) from None
    except Exception as e:
        if os.environ.get("TARJIM_DEBUG"):
            raise
        print(f"tarjim: internal error: {type(e).__name__}: {e} (TARJIM_DEBUG=1 shows the traceback)", file=sys.stderr)
        raise typer.Exit(70) from None


def _read(path: str | None, encoding: str | None = None, keep_cr: bool = False):
    from tarjim.reading import read_source

    if path is None and _stdin_is_terminal():
        raise UsageError("give a file to read, or '-' / a pipe for stdin (see `tarjim translate --help`)")
    source = read_source(path, encoding, keep_cr)
    if source.encoding not in ("utf-8", "utf-16") and not encoding:
        guess = " (a guess: too little text or low confidence; --encoding NAME sets it)" if source.encoding_guessed else ""
        print(f"tarjim: read {source.label} as {source.encoding}{guess}", file=sys.stderr)
    return source


def _understand(source, family: str, forced: str | None):
    """The language report of what was read, the policy applied (InputError for a
    document that is not Arabic, unless the model knows its language), and the
    notices a reader should see: dialect, kept paragraphs, another source language.
    Returns (source with the facts, report, the model's source code or None)."""
    from tarjim.language import name, understand

    source, report, code = understand(source, family, forced)
    if code:
        print(f"tarjim: {source.label} is {name(report.language)} ({report.language}): "
              f"translating it from {code}, not Arabic", file=sys.stderr)
    if report.dialect.flagged:
        region = f", {report.dialect.region} by its words (a guess)" if report.dialect.region else ""
        print(f"tarjim: warning: {source.label} reads as colloquial Arabic{region} "
              f"({', '.join(report.dialect.markers[:6])}): the models are trained and scored on Modern "
              f"Standard Arabic; expect lower quality", file=sys.stderr)
    if report.foreign:
        kinds = sorted({p.language for p in report.foreign})
        print(f"tarjim: {len(report.foreign)} paragraph(s) in {', '.join(f'{name(k)} ({k})' for k in kinds)} "
              f"kept as they are, not translated", file=sys.stderr)
    return source, report, code


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def _notify(message: str) -> None:
    print(f"tarjim: {message}", file=sys.stderr, flush=True)


def _loading(spec):
    if sys.stderr.isatty():
        return _stderr().status(f"Loading {spec.name}…")
    from contextlib import nullcontext

    return nullcontext()


def _load(model: str | None, engine: str | None, beams: int | None, threads: int | None,
          source_code: str | None = None):
    from dataclasses import replace

    from tarjim.config import resolve_model
    from tarjim.engines import open_translator

    spec = resolve_model(model)
    if source_code:  # an NLLB model, given a language it knows that is not Arabic
        spec = replace(spec, source=source_code)
    return open_translator(spec, engine=engine, beams=beams, threads=threads,
                           notify=_notify, loading=_loading)


def _summarize_fn(name: str | None):
    from tarjim.brief import brief_function

    return brief_function(name)


def _glossary(path: Path | None):
    """The glossary to check with: --glossary FILE, else the user's default one, else None."""
    from tarjim.config import default_glossary

    path = path or default_glossary()
    if path is None:
        return None
    from tarjim.checks import load_glossary

    return load_glossary(path)


def _report_checks(summary: str, flagged: bool, strict: bool) -> None:
    """The run's one summary line on stderr; exit 5 under --strict when a sentence was flagged."""
    print(f"tarjim: {summary}", file=sys.stderr)
    if strict and flagged:
        raise typer.Exit(5)


def _translate(path, model, engine, beams, threads, summarizer, with_brief: bool, encoding=None, language="auto",
               glossary_path: Path | None = None):
    from tarjim.config import resolve_model
    from tarjim.pipeline import translate_text

    source = _read(path, encoding)
    source, report, code = _understand(source, resolve_model(model).family, None if language == "auto" else language)
    summarize = _summarize_fn(summarizer) if with_brief else None
    glossary = _glossary(glossary_path)
    translator, load_s = _load(model, engine, beams, threads, code)
    kwargs = dict(source_path=source.path or source.url, source_sha256=source.sha256, summarize=summarize,
                  load_s=load_s, source=source, language=report, glossary=glossary)
    if not sys.stderr.isatty():
        return translate_text(source.text, translator, **kwargs)
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(TextColumn("Translating"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=_stderr(), transient=True) as bar:
        task = bar.add_task("translate", total=None)
        return translate_text(
            source.text, translator, **kwargs,
            on_total=lambda n: bar.update(task, total=n),
            progress=lambda n: bar.advance(task, n),
        )


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from tarjim.batch import write_atomic

    write_atomic(output, text)


@app.command()
def translate(
    path: PathArg = None,
    model: ModelOpt = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="auto: rich on a terminal, plain text in a pipe.")] = Format.auto,
    bilingual: Annotated[bool, typer.Option("--bilingual", "-b", help="Each Arabic sentence beside its English.")] = False,
    rtl: Annotated[Rtl, typer.Option("--rtl", envvar="TARJIM_RTL", help=(
        "Arabic on a terminal: logical (for terminals that do bidi) or visual "
        "(shaped and reordered, for terminals that do not)."))] = Rtl.logical,
    brief: Annotated[Optional[bool], typer.Option("--brief/--no-brief", help="Show the brief first (default: on, except for plain text).")] = None,
    summarizer: SummarizerOpt = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
    engine: EngineOpt = None,
    beams: BeamsOpt = None,
    threads: ThreadsOpt = None,
    encoding: EncodingOpt = None,
    language: SourceOpt = "auto",
    strict: StrictOpt = False,
    glossary: GlossaryOpt = None,
):
    """Translate an Arabic article (a text file, a web page, or a URL) into English, checking each sentence."""
    with errors_to_exit():
        if output is not None and path not in (None, "-") and Path(path).exists() and output.exists() \
                and output.resolve() == Path(path).resolve():
            raise UsageError(f"--output {output} is the input file: tarjim will not overwrite its source")
        if fmt is Format.auto:
            fmt = Format.auto if (output is None and _stdout_is_terminal()) else Format.text
        with_brief = brief if brief is not None else fmt is not Format.text
        tr = _translate(path, model, engine, beams, threads, summarizer, with_brief, encoding, language, glossary)
        if fmt is Format.auto:
            from rich.console import Console

            from tarjim.render import translation_view

            Console().print(translation_view(tr, bilingual=bilingual, brief=with_brief, rtl=rtl.value))
        elif fmt is Format.json:
            from tarjim.serialize import translation_dict

            _write(json.dumps(translation_dict(tr), ensure_ascii=False, indent=2) + "\n", output)
        elif fmt is Format.markdown:
            from tarjim.markdown import to_markdown

            _write(to_markdown(tr, bilingual=bilingual, brief=with_brief), output)
        elif bilingual:  # a pipe or -f text: each Arabic sentence, its English and its check marks
            from tarjim.render import bilingual_text

            _write(bilingual_text(tr), output)
        else:
            from tarjim.render import to_text

            _write(to_text(tr, brief=with_brief), output)
        _report_translation_checks(tr, strict)


def _report_translation_checks(tr, strict: bool) -> None:
    from tarjim.checks import flagged
    from tarjim.render import checks_summary

    _report_checks(checks_summary(tr), any(flagged(s.checks) for s in tr.sentences), strict)


@app.command("brief")
def brief_cmd(
    path: PathArg = None,
    model: ModelOpt = None,
    summarizer: SummarizerOpt = None,
    fmt: Annotated[PlainFormat, typer.Option("--format", "-f")] = PlainFormat.text,
    engine: EngineOpt = None,
    beams: BeamsOpt = None,
    threads: ThreadsOpt = None,
    encoding: EncodingOpt = None,
    language: SourceOpt = "auto",
    strict: StrictOpt = False,
    glossary: GlossaryOpt = None,
):
    """Translate an Arabic article and print only its brief."""
    with errors_to_exit():
        tr = _translate(path, model, engine, beams, threads, summarizer, True, encoding, language, glossary)
        if fmt is PlainFormat.json:
            from tarjim.serialize import brief_dict

            print(json.dumps({"brief": brief_dict(tr.brief), "model": tr.model.name}, ensure_ascii=False, indent=2))
        elif tr.brief is None:  # nothing but page furniture ("مشاركة :", "اقرأ أيضا"): no brief to print
            print("tarjim: no brief: nothing in it but boilerplate (share buttons, 'read also'…)", file=sys.stderr)
        elif _stdout_is_terminal():
            from rich.console import Console

            from tarjim.render import brief_panel

            Console().print(brief_panel(tr.brief))
        else:
            from tarjim.render import brief_text

            print(brief_text(tr.brief))
        _report_translation_checks(tr, strict)


@app.command()
def summarize(
    path: PathArg = None,
    summarizer: SummarizerOpt = None,
    sentences: Annotated[int, typer.Option("--sentences", "-n", min=1, max=20, help="How many points.")] = 4,
    fmt: Annotated[PlainFormat, typer.Option("--format", "-f")] = PlainFormat.text,
):
    """Summarize English text directly (no translation)."""
    with errors_to_exit():
        from tarjim.brief import check_numbers, get_summarizer, split_sentences

        source = _read(path)
        sents = split_sentences(source.text)
        s = get_summarizer(summarizer)
        b = check_numbers(s.summarize(sents, sentences), sents)
        if fmt is PlainFormat.json:
            from tarjim.serialize import brief_dict

            out = {"brief": [p.text for p in b.points], "summarizer": b.summarizer, "headline": b.headline,
                   "points": brief_dict(b)["points"]}
            print(json.dumps(out, ensure_ascii=False, indent=2))
        else:
            print("\n".join(p.text for p in b.points))


@app.command("check")
def check_cmd(
    arabic: Annotated[str, typer.Argument(help="Arabic text, one sentence a line ('-': stdin).", metavar="ARABIC",
                                          show_default=False)],
    english: Annotated[str, typer.Argument(help="Its English (any MT output or a human translation), line by line.",
                                           metavar="ENGLISH", show_default=False)],
    fmt: Annotated[PlainFormat, typer.Option("--format", "-f")] = PlainFormat.text,
    strict: StrictOpt = False,
    glossary: GlossaryOpt = None,
):
    """Check an English translation against its Arabic source, line by line."""
    with errors_to_exit():
        from tarjim.checks import check_line, flagged, summary_line
        from tarjim.errors import InputError
        if arabic == "-" and english == "-":
            raise UsageError("only one of ARABIC and ENGLISH can be '-' (stdin)")
        def split(text: str) -> list[str]:  # at \n only, as wc -l, paste and sacrebleu count lines (not at U+2028…)
            return text.removesuffix("\n").split("\n")

        # _read: a notice for cp1256…; keep_cr: a lone \r is inside its line, as for wc -l
        src, tgt = split(_read(arabic, keep_cr=True).text), split(_read(english, keep_cr=True).text)
        if len(src) != len(tgt):
            def lines(name, n):
                return f"{'stdin' if name == '-' else name} has {n} line{'' if n == 1 else 's'}"

            raise InputError(f"{lines(arabic, len(src))} and {lines(english, len(tgt))}: "
                             "give line-aligned files (one sentence a line, in the same order)")
        gloss = _glossary(glossary)
        lines = [(i, a, e, check_line(a, e, gloss)) for i, (a, e) in enumerate(zip(src, tgt))]
        summary = summary_line([(i, cs) for i, _, _, cs in lines], len(lines))
        bad = [(i, cs) for i, _, _, cs in lines if flagged(cs)]
        if fmt is PlainFormat.json:
            from collections import Counter

            from tarjim.serialize import check_dict

            by_check = Counter(c.check for _, cs in bad for c in flagged(cs))
            print(json.dumps({
                "lines": [{"index": i, "source": a, "translation": e, "checks": [check_dict(c) for c in cs]}
                          for i, a, e, cs in lines],
                "summary": {"lines": len(lines), "flagged": len(bad), "by_check": dict(by_check.most_common()),
                            "text": summary},
            }, ensure_ascii=False, indent=2))
        else:
            for i, cs in bad:
                print(f"#{i + 1} ⚠ " + "; ".join(c.detail for c in flagged(cs)))
        _report_checks(summary, bool(bad), strict)


@app.command()
def segment(
    path: PathArg = None,
    chunks: Annotated[bool, typer.Option("--chunks", help="Print translation chunks instead of sentences.")] = False,
    max_tokens: Annotated[int, typer.Option("--max-tokens", min=4, help="Chunk budget (estimated tokens).")] = 128,
    fmt: Annotated[PlainFormat, typer.Option("--format", "-f")] = PlainFormat.text,
):
    """Split Arabic text into sentences (one a line, exactly as in the source)."""
    with errors_to_exit():
        from tarjim.segment import chunk_sentence
        from tarjim.segment import segment as seg

        source = _read(path)
        doc = seg(source.text)
        rows = []
        for s in doc.sentences:
            pieces = chunk_sentence(s.text, s.start, max_tokens) if chunks else [s]
            for piece in pieces:
                rows.append({"index": s.index, "paragraph": s.paragraph, "start": piece.start, "end": piece.end,
                             "text": piece.text, "content": s.content})
        if fmt is PlainFormat.json:
            print(json.dumps({"segments": rows}, ensure_ascii=False, indent=2))
        else:
            sys.stdout.write("".join(r["text"] + "\n" for r in rows))


@app.command()
def batch(
    in_dir: Annotated[str, typer.Argument(
        help="Folder of Arabic articles (text, .html/.htm), or a file of URLs one a line; with --ray, also "
             "s3://bucket/prefix.", show_default=False)],
    out_dir: Annotated[str, typer.Argument(
        help="Folder for the Markdown (never inside IN_DIR; with --ray, also s3://…).", show_default=False)],
    address: Annotated[Optional[str], typer.Argument(
        help="With --ray: the Ray cluster to join (auto, ray://head:10001, head:6379); "
             "none starts a local one on 127.0.0.1.", show_default=False)] = None,
    model: ModelOpt = None,
    glob: Annotated[Optional[str], typer.Option(
        "--glob", help="Which files are articles (default: *.txt, *.html, *.htm).", show_default=False)] = None,
    recursive: Annotated[bool, typer.Option("--recursive", "-r", help="Descend into sub-folders.")] = False,
    bilingual: Annotated[bool, typer.Option("--bilingual", "-b", help="A bilingual table per paragraph.")] = False,
    brief: Annotated[bool, typer.Option("--brief/--no-brief", help="Put a brief at the top of each file.")] = True,
    summarizer: SummarizerOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Redo unchanged articles; replace .md files tarjim did not write.")] = False,
    cache: Annotated[bool, typer.Option("--cache/--no-cache", help="Reuse translations of sentences seen before.")] = True,
    engine: EngineOpt = None,
    beams: BeamsOpt = None,
    threads: ThreadsOpt = None,
    urls: Annotated[Optional[Path], typer.Option("--urls", help="Also fetch and translate these URLs (a file, one a line).")] = None,
    strict: StrictOpt = False,
    glossary: GlossaryOpt = None,
    ray: Annotated[bool, typer.Option(  # \[: rich would read [ray] as markup and drop it
        "--ray", help="Translate on a Ray cluster (pip install 'tarjim\\[ray]'): `IN OUT --ray` starts a local one, "
                      "`IN OUT --ray ADDRESS` joins one.")] = False,
    actors: Annotated[Optional[int], typer.Option("--actors", min=1, help="With --ray: model copies (default: leave one CPU free).")] = None,
    cpus_per_actor: Annotated[float, typer.Option("--cpus-per-actor", min=0.01, help="With --ray: CPUs each actor holds.")] = 1.0,
    object_store_mb: Annotated[int, typer.Option("--object-store-mb", min=80, help="With --ray, a local cluster's object store.")] = 512,
):
    """Translate a folder of articles (or URLs) into a folder of Markdown, with an index.md."""
    with errors_to_exit():
        from tarjim.batch import BatchOptions, run_batch
        from tarjim.config import load_registry, resolve_model

        spec = resolve_model(model)
        summarizer_name = summarizer or load_registry().default_summarizer
        summarize = _summarize_fn(summarizer_name) if brief else None
        gloss = _glossary(glossary)
        options = BatchOptions(glob=glob, recursive=recursive, bilingual=bilingual, brief=brief,
                               summarizer=summarizer_name, engine=engine, beams=beams, force=force,
                               glossary=gloss.key() if gloss else None)

        from tarjim.engines import check_engine

        check_engine(engine)

        def load():
            from tarjim.engines import open_translator

            translator, _ = open_translator(spec, engine=engine, beams=beams, threads=threads, notify=_notify)
            if cache:
                from tarjim.cache import CachedTranslator

                translator = CachedTranslator(translator)
            return translator

        if address is not None and not ray:
            raise UsageError(f"{address!r}: a third argument is a Ray cluster's address, with --ray")
        if ray:
            if urls is not None or ("://" not in in_dir and Path(in_dir).is_file()):
                raise UsageError("URL lists are fetched by the local batch; --ray takes folders or s3:// prefixes")
            from tarjim.distributed import ClusterOptions, run_distributed

            cluster = ClusterOptions(address=address, actors=actors,
                                     cpus_per_actor=cpus_per_actor, object_store_mb=object_store_mb)
            with _batch_progress() as progress:
                report = run_distributed(in_dir, out_dir, spec, summarizer_name, options, cluster, threads=threads,
                                         progress=progress, notify=_notify, glossary=gloss)
        else:
            if "://" in in_dir or "://" in out_dir:
                raise UsageError("object-store URIs (s3://…) need --ray")
            from tarjim.batch import read_url_list

            extra_urls = read_url_list(urls) if urls is not None else None
            with _batch_progress() as progress:
                report = run_batch(Path(in_dir), Path(out_dir), spec, load, summarize, summarizer_name, options,
                                   progress, extra_urls, glossary=gloss)
        counts = ", ".join(f"{report.count(s)} {s}" for s in ("translated", "unchanged", "failed") if report.count(s))
        print(f"tarjim: {counts} → {report.index}", file=sys.stderr)
        for o in report.failed:
            print(f"tarjim: failed: {o.rel}: {o.message}", file=sys.stderr)
        from tarjim.checks import flagged, summary_line

        items = [(f"{o.rel} #{i + 1}", cs) for o in report.outcomes for i, cs in o.checks]
        # an unchanged article is not re-checked, but what its .md records still counts (--strict)
        earlier = sum(o.flagged for o in report.outcomes if o.status == "unchanged")
        summary = summary_line(items, len(items)) + (
            f" (articles left unchanged were not re-checked; their .md files hold {earlier} flagged sentence"
            f"{'' if earlier == 1 else 's'})" if report.count("unchanged") else "")
        if report.failed:
            print(f"tarjim: {summary}", file=sys.stderr)
            raise typer.Exit(4)
        _report_checks(summary, earlier > 0 or any(flagged(cs) for _, cs in items), strict)


@contextmanager
def _batch_progress():
    from tarjim.batch import BatchProgress

    if not sys.stderr.isatty():
        def done(o):
            print(f"tarjim: {o.status}: {o.rel}" + (f" ({o.message})" if o.message else ""), file=sys.stderr, flush=True)

        def start(articles, chunks):
            print(f"tarjim: translating {articles} articles ({chunks} segments)", file=sys.stderr, flush=True)

        yield BatchProgress(start=start, done=done)
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    started = []
    columns = (TextColumn("{task.description:<9}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]}"), TimeRemainingColumn())
    with Progress(*columns, console=_stderr()) as bar:
        articles = bar.add_task("articles", total=None, rate="")
        chunks = bar.add_task("segments", total=None, rate="")

        def start(a, c):
            started.append(True)
            bar.update(articles, total=a)
            bar.update(chunks, total=c)

        def advance(n):
            bar.advance(chunks, n)
            speed = bar.tasks[chunks].speed
            bar.update(chunks, rate=f"{speed:.1f}/s" if speed else "")

        def done(o):
            if started:
                bar.advance(articles, 1)

        yield BatchProgress(start=start, chunks=advance, done=done)


@models_app.callback()
def models_list(
    ctx: typer.Context,
    fmt: Annotated[PlainFormat, typer.Option("--format", "-f")] = PlainFormat.text,
):
    """List the models, their licences and sizes, and whether they are cached here."""
    if ctx.invoked_subcommand:
        return
    with errors_to_exit():
        from tarjim.config import load_registry
        from tarjim.models import cached_dir, revision_of

        reg = load_registry()
        rows = []
        for spec in [*reg.translators.values(), *reg.summarizers.values()]:
            kind = "translator" if spec.name in reg.translators else "summarizer"
            d = cached_dir(spec) if (spec.hub or spec.path) else None
            cached = None if not spec.hub and not spec.path else d is not None
            converted = None
            if kind == "translator" and getattr(spec, "engine", None) == "ctranslate2":
                from tarjim.convert import is_converted

                converted = d is not None and is_converted(d)
            rows.append({
                "name": spec.name, "kind": kind, "aliases": list(getattr(spec, "aliases", ())),
                "default": spec.name in (reg.default, reg.default_summarizer),
                "hub": spec.hub, "licence": spec.licence, "size_mb": spec.size_mb,
                "cached": cached, "converted": converted, "description": spec.description,
                "revision": revision_of(d),
            })
        if fmt is PlainFormat.json:
            print(json.dumps({"models": rows}, ensure_ascii=False, indent=2))
            return
        from rich.console import Console
        from rich.table import Table

        t = Table(title="tarjim models", title_justify="left")
        t.add_column("name", no_wrap=True)
        for col in ("kind", "licence", "size", "cached", "ct2", "revision"):
            t.add_column(col, overflow="fold")
        console = Console()
        wide = console.width >= 120  # on a narrow terminal the description would be a ribbon
        if wide:
            t.add_column("description", overflow="fold", ratio=1)
        for r in rows:
            name = r["name"] + (" (default)" if r["default"] else "")
            if r["aliases"]:
                name += "\n= " + ", ".join(r["aliases"])
            lic = r["licence"] or "—"
            if "NC" in lic:
                lic = f"[yellow]{lic}\nnon-commercial[/]"
            size = f"~{r['size_mb']:,} MB" if r["size_mb"] else "—"
            cached = {None: "built in", True: "[green]yes[/]", False: "no"}[r["cached"]]
            converted = {None: "—", True: "[green]yes[/]", False: "no"}[r["converted"]]
            revision = r["revision"][:12] if r["revision"] else "—"
            t.add_row(name, r["kind"], lic, size, cached, converted, revision, *([r["description"]] if wide else []))
        console.print(t)


@models_app.command("pull")
def models_pull(
    name: Annotated[str, typer.Argument(help="A model or summarizer name from `tarjim models`.")],
    update: Annotated[bool, typer.Option("--update", help="Move to the newest commit of the model's revision (default: keep the pinned one).")] = False,
):
    """Download a model into the Hugging Face cache, so that tarjim works offline."""
    with errors_to_exit():
        from tarjim.config import load_registry, resolve_model
        from tarjim.models import cached_dir, download

        reg = load_registry()
        spec = reg.summarizers[name] if name in reg.summarizers else resolve_model(name)
        if not spec.hub and not spec.path:
            print(f"{name}: built in, nothing to download")
            return
        if name in reg.summarizers:
            on_start = lambda: _notify(f"downloading {spec.name} ({spec.hub})")  # noqa: E731
            d = (None if update else cached_dir(spec)) or download(spec, on_start=on_start, update=update)
        else:
            from tarjim.engines import prepare_model

            d = prepare_model(spec, notify=_notify, update=update)
        from tarjim.models import pinned_revision

        pin = pinned_revision(spec)
        print(f"{spec.name}: ready at {d}" + (f" (revision {pin})" if pin else ""))


# ---------------------------------------------------------------- tarjim eval


class EvalFormat(str, Enum):
    text = "text"
    json = "json"
    csv = "csv"


class Compute(str, Enum):
    int8 = "int8"
    float32 = "float32"


class OnOff(str, Enum):
    on = "on"
    off = "off"


class TestSetName(str, Enum):
    flores200 = "flores200"
    tico19 = "tico19"


@app.command("eval")
def eval_cmd(
    source: Annotated[Optional[str], typer.Argument(help="Arabic test file, one sentence a line.", show_default=False)] = None,
    reference: Annotated[Optional[str], typer.Argument(help="English reference, line-aligned with SOURCE.", show_default=False)] = None,
    model: Annotated[Optional[list[str]], typer.Option("--model", "-m", help="A model name or directory; repeat to compare.")] = None,
    engine: Annotated[Optional[list[str]], typer.Option("--engine", help="ctranslate2 or transformers; repeat to compare.")] = None,
    beams: Annotated[Optional[list[int]], typer.Option("--beams", min=1, max=16, help="Beam size; repeat to compare.")] = None,
    compute: Annotated[Optional[list[Compute]], typer.Option("--compute", help="ctranslate2 compute type; repeat to compare.")] = None,
    shortlist: Annotated[Optional[list[OnOff]], typer.Option("--shortlist", help="ctranslate2 target shortlist; repeat to compare.")] = None,
    hyp: Annotated[Optional[list[str]], typer.Option("--hyp", help="An existing English translation of SOURCE, scored as a system.")] = None,
    test_set: Annotated[Optional[TestSetName], typer.Option("--set", help="A public test set instead of SOURCE and REFERENCE (downloaded once).")] = None,
    limit: Annotated[Optional[int], typer.Option("--limit", min=1, help="Evaluate the first N lines.")] = None,
    fmt: Annotated[EvalFormat, typer.Option("--format", "-f", help="text: a table on a terminal, TSV in a pipe.")] = EvalFormat.text,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
    threads: ThreadsOpt = None,
    in_process: Annotated[bool, typer.Option("--in-process", help="Run the systems in this process (no peak RSS per system).")] = False,
    translations: Annotated[Optional[Path], typer.Option("--translations", help="Write each system's output to this folder (one file per system).")] = None,
):
    """Score models and settings on a line-aligned test set: BLEU, chrF, TER, speed, memory."""
    with errors_to_exit():
        from tarjim.evaluate import evaluate, fetch_test_set, plan_systems

        if test_set is not None:
            if source or reference:
                raise UsageError("give SOURCE and REFERENCE, or --set, not both")
            source, reference = (str(p) for p in fetch_test_set(test_set.value, _notify))
        elif not (source and reference):
            raise UsageError("give SOURCE and REFERENCE files (line-aligned), or --set flores200|tico19")
        models = list(model or ([] if hyp else [None]))
        systems = plan_systems(
            models, list(engine or [None]), list(beams or [None]), [c.value for c in compute or []] or [None],
            [s is OnOff.on for s in shortlist or []] or [None], list(hyp or []))

        def started(i, system):
            _notify(f"system {i + 1}/{len(systems)}: {system.name}")

        report = evaluate(systems, source, reference, limit=limit, threads=threads, isolate=not in_process,
                          notify=_notify, on_system=started)
        if translations is not None:
            from tarjim.batch import write_atomic
            from tarjim.evaluate import translation_files

            for name, text in translation_files(report).items():
                write_atomic(translations / name, text)
        _write_eval(report, fmt, output)


def _write_eval(report, fmt: "EvalFormat", output: Path | None) -> None:
    from tarjim.evaluate import report_dict, signature_lines, table_rows

    if fmt is EvalFormat.json:
        _write(json.dumps(report_dict(report), ensure_ascii=False, indent=2) + "\n", output)
        return
    header, rows = table_rows(report)
    if fmt is EvalFormat.text and output is None and _stdout_is_terminal():
        from rich.console import Console
        from rich.table import Table

        t = Table(title=f"tarjim eval: {report.lines} lines of {report.source}", title_justify="left")
        for h in header:
            t.add_column(h, justify="left" if h in ("system", "engine", "compute") else "right", overflow="fold")
        for r in rows:
            t.add_row(*r)
        console = Console()
        console.print(t)
        console.print("\n".join(signature_lines(report)), highlight=False, soft_wrap=True)
        return
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t" if fmt is EvalFormat.text else ",", lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    _write(buf.getvalue(), output)
    for line in signature_lines(report):  # once, beside the data: stdout stays a clean table
        print(f"tarjim: {line}", file=sys.stderr)


def _version(value: bool):
    if value:
        print(f"tarjim {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")] = False,
):
    """ترجم — translate Arabic news articles into English, offline, with a short brief."""


def main() -> None:
    app()
