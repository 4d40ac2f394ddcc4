"""How a translation looks: plain text for pipes, and rich renderables for a terminal
(the caller owns the Console). Pure functions of the data."""

from __future__ import annotations

from itertools import groupby

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from tarjim.document import Brief, SentenceTranslation, Translation

# Flags a reader should see next to the sentence they concern.
_WARN = {"repetition": "repeats itself", "length_limit": "may be cut short", "empty_translation": "no output"}


def paragraphs(tr: Translation) -> list[list[SentenceTranslation]]:
    return [list(g) for _, g in groupby(tr.sentences, key=lambda s: s.sentence.paragraph)]


def paragraph_text(sents: list[SentenceTranslation]) -> str:
    return " ".join(s.text for s in sents if s.sentence.content and s.text)


def foreign_note(language: str | None) -> str:
    from tarjim.language import name

    return f"kept in {name(language)} ({language}), not translated"


def marked_paragraph_text(sents: list[SentenceTranslation]) -> str:
    """paragraph_text, and a note where the paragraph was in another language and kept."""
    text = paragraph_text(sents)
    return text + foreign_suffix(sents) if text else text


def foreign_suffix(sents: list[SentenceTranslation]) -> str:
    """' [kept in English (en), not translated]' for a paragraph kept as it is; '' otherwise."""
    langs = sorted({s.language or "?" for s in sents if "foreign" in s.flags})
    return f" [{'; '.join(foreign_note(lang) for lang in langs)}]" if langs else ""


def to_text(tr: Translation, *, brief: bool = False) -> str:
    """Plain text: one paragraph per source paragraph, blank lines between, no markup."""
    blocks = []
    if brief and tr.brief:
        blocks.append(brief_text(tr.brief))
    blocks.extend(t for t in (marked_paragraph_text(p) for p in paragraphs(tr)) if t)
    return "\n\n".join(blocks) + "\n"


def brief_text(b: Brief) -> str:
    lines = [b.headline, ""] if b.headline else []
    lines += [f"- {p.text}" + (" [unsupported number]" if "unsupported_number" in p.flags else "") for p in b.points]
    return "\n".join(lines)


def brief_panel(b: Brief) -> Panel:
    body = Text()
    for p in b.points:
        body.append("• ", style="bold cyan")
        body.append(p.text)
        if "unsupported_number" in p.flags:
            body.append("  ⚠ number not in the article", style="yellow")
        body.append("\n")
    body.rstrip()
    return Panel(body, title=Text(b.headline, style="bold"), title_align="left", border_style="cyan",
                 subtitle=f"brief · {b.summarizer}", subtitle_align="right")


class ArabicText:
    """Arabic for a terminal cell, right-aligned. "logical" leaves the characters in
    reading order for terminals that do bidi themselves (GNOME Terminal, Konsole,
    mlterm…); "visual" wraps in reading order first, then shapes and reorders each line
    for terminals that do not (Windows Terminal, VS Code, xterm…)."""

    def __init__(self, text: str, mode: str = "logical"):
        self.text, self.mode = text, mode

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, Text(self.text))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.mode != "visual":
            yield Text(self.text, justify="right", overflow="fold")
            return
        import arabic_reshaper
        from bidi import get_display

        for line in Text(self.text, overflow="fold").wrap(console, options.max_width):
            yield Text(get_display(arabic_reshaper.reshape(line.plain)), justify="right")


def _warnings(s: SentenceTranslation) -> str:
    return "; ".join(check_marks(s))


def check_marks(s: SentenceTranslation) -> list[str]:
    """The one-line reasons a reader should see beside a sentence: what its checks
    flagged (tarjim.checks), or, for a translation made without checks, its engine flags."""
    if s.checks:
        return [c.detail for c in s.checks if c.level != "info"]
    return [_WARN[f] for f in s.flags if f in _WARN]


def bilingual_text(tr: Translation) -> str:
    """Each Arabic sentence and its English, with its check marks, as plain text for a
    pipe or a pager: a numbered block per sentence, a blank line between."""
    blocks = []
    for s in tr.sentences:
        english = s.text if s.sentence.content else "[not translated]"
        lines = [f"#{s.sentence.index + 1}", s.sentence.text.strip(), english]
        lines += [f"⚠ {m}" for m in check_marks(s)]
        if "foreign" in s.flags:
            lines.append(f"⚠ {foreign_note(s.language)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def checks_summary(tr: Translation) -> str:
    """One line for stderr: '2 of 15 sentences flagged: year 2014 is not in the English in #9; …'."""
    from tarjim.checks import summary_line

    content = [s for s in tr.sentences if s.sentence.content and "foreign" not in s.flags]
    return summary_line([(s.sentence.index, s.checks) for s in content], len(content))


def _english(s: SentenceTranslation) -> Text:
    if not s.sentence.content:
        return Text(f"[not translated: {s.sentence.text}]", style="dim")
    t = Text(s.text)
    if w := _warnings(s):
        t.append(f" [⚠ {w}]", style="yellow")  # brackets: the next sentence may follow on the line
    if "foreign" in s.flags:
        t.append(f" [⚠ {foreign_note(s.language)}]", style="yellow")
    return t


def translation_view(tr: Translation, *, bilingual: bool = False, brief: bool = True,
                     rtl: str = "logical") -> RenderableType:
    parts: list[RenderableType] = []
    if brief and tr.brief:
        parts.append(brief_panel(tr.brief))
    if bilingual:
        table = Table(show_header=True, header_style="bold", expand=True, show_lines=True)
        table.add_column("#", justify="right", style="dim", no_wrap=True)
        table.add_column("العربية", justify="right", ratio=1, overflow="fold")
        table.add_column("English", ratio=1, overflow="fold")
        for para in paragraphs(tr):
            for s in para:
                table.add_row(str(s.sentence.index + 1), ArabicText(s.sentence.text, rtl), _english(s))
        parts.append(table)
    else:
        for para in paragraphs(tr):
            line = Text()
            for s in para:
                if line:
                    line.append(" ")
                line.append_text(_english(s))
            parts.append(line)
            parts.append(Text())
    m = tr.model
    foot = f"{m.name} · {m.engine} · {len(tr.sentences)} sentences"
    if m.licence and "NC" in m.licence:
        foot += f" · weights {m.licence}: non-commercial use only"
    parts.append(Text(foot, style="dim"))
    return Group(*parts)
