"""Translation → Markdown with YAML front matter. A pure function: golden-file tested."""

from __future__ import annotations

import json
from typing import Any

from tarjim import __version__
from tarjim.document import SentenceTranslation, Translation
from tarjim.render import check_marks, foreign_note, foreign_suffix, paragraphs


def _yaml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, int | float):
        return str(v)
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_yaml_value(x) for x in v) + "]"
    return json.dumps(str(v), ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def front_matter(fields: dict[str, Any]) -> str:
    return "---\n" + "".join(f"{k}: {_yaml_value(v)}\n" for k, v in fields.items()) + "---\n"


def table_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def standard_fields(tr: Translation, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "tarjim": __version__,
        "source": tr.source_path or "<stdin>",
        "sha256": tr.source_sha256,
        "model": tr.model.name,
        "hub": tr.model.hub,
        "engine": tr.model.engine,
        "licence": tr.model.licence,
        "summarizer": tr.brief.summarizer if tr.brief else None,
        "segments": len(tr.sentences),
    }
    fields.update(source_fields(tr))
    fields.update(extra or {})
    return fields


def source_fields(tr: Translation) -> dict[str, Any]:
    """What was read and found before translation: encoding, format, page metadata,
    language, dialect. Empty where the translation carries no Source."""
    src = tr.source
    if src is None:
        return {}
    fields: dict[str, Any] = {"encoding": src.encoding, "format": src.format}
    for key in ("url", "title", "date", "author"):
        if getattr(src, key):
            fields[key] = getattr(src, key)
    fields["language"] = src.language
    if src.language_confidence is not None:
        fields["language_confidence"] = src.language_confidence
    if src.dialect is not None and src.dialect.flagged:
        region = f" ({src.dialect.region}, a guess)" if src.dialect.region else ""
        fields["dialect"] = f"colloquial Arabic{region}: expect lower quality"
        fields["dialect_markers"] = list(src.dialect.markers)
    return fields


def to_markdown(tr: Translation, *, bilingual: bool = False, brief: bool = True,
                extra: dict[str, Any] | None = None, title: str | None = None) -> str:
    out = [front_matter(standard_fields(tr, extra)).rstrip("\n"), ""]
    heading = title or (tr.brief.headline if tr.brief and tr.brief.headline else None)
    if heading:
        out += [f"# {heading}", ""]
    if brief and tr.brief and tr.brief.points:
        out += ["## Brief", ""]
        for p in tr.brief.points:
            note = " *(number not found in the article)*" if "unsupported_number" in p.flags else ""
            out.append(f"- {p.text}{note}")
        out.append("")
    out += ["## Translation", ""]
    for para in paragraphs(tr):
        if bilingual:
            out += ["| Arabic | English |", "|---:|---|"]
            for s in para:
                english = s.text + _marker(s) if s.sentence.content else "*(not translated)*"
                if "foreign" in s.flags:
                    english += f" *({foreign_note(s.language)})*"
                out.append(f"| {table_cell(s.sentence.text)} | {table_cell(english)} |")
            out.append("")
        elif text := _marked_paragraph(para):
            out += [text, ""]
    out += checks_section(tr)
    return "\n".join(out).rstrip("\n") + "\n"


def _marker(s: SentenceTranslation) -> str:
    return f" ⚠ #{s.sentence.index + 1}" if check_marks(s) else ""


def _marked_paragraph(sents: list[SentenceTranslation]) -> str:
    text = " ".join(s.text + _marker(s) for s in sents if s.sentence.content and s.text)
    return text + foreign_suffix(sents) if text else text


def checks_section(tr: Translation) -> list[str]:
    """A short "Checks" section: each flagged sentence (its ⚠ #n marker) and its reasons,
    then the glossary's substitutions; nothing when there is neither."""
    lines = []
    for s in tr.sentences:
        if marks := check_marks(s):
            lines.append(f"- ⚠ #{s.sentence.index + 1}: " + "; ".join(marks))
    for s in tr.sentences:
        for c in s.checks:
            if c.level == "info":
                lines.append(f"- #{s.sentence.index + 1}: {c.detail}")
    return ["## Checks", "", *lines, ""] if lines else []
