"""The translator's page at ``/``: a plain form, rendered on the server.

Everything from the user or the model is escaped with :func:`html.escape`;
the page loads only its own stylesheet and script (a Content-Security-Policy
forbids anything else, inline scripts included), and works without
JavaScript: the form posts to ``/`` and the answer is a rendered page. The
script only adds a copy button.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from urllib.parse import quote

from translate.server.batcher import SentenceOutcome

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


@dataclass(frozen=True)
class PageState:
    """What the page shows: the form's values, and a result or an error."""

    glossaries: Sequence[str]
    glossary: str = "default"
    text: str = ""
    key_required: bool = False
    char_limit: int = 5000
    translation: str | None = None
    segments: Sequence[SentenceOutcome] = ()
    error: str | None = None
    model: str = ""


def highlight(text: str, needles: Sequence[tuple[str, str]]) -> str:
    """``text`` escaped, with each needle's first free occurrence in ``<mark title=...>``."""
    spans: list[tuple[int, int, str]] = []
    folded = text.casefold()
    for needle, title in needles:
        if not needle:
            continue
        start = folded.find(needle.casefold())
        while start != -1 and any(s < start + len(needle) and start < e for s, e, _ in spans):
            start = folded.find(needle.casefold(), start + 1)
        if start != -1 and len(folded) == len(text):  # casefold kept positions
            spans.append((start, start + len(needle), title))
    spans.sort()
    parts: list[str] = []
    position = 0
    for start, end, title in spans:
        parts.append(escape(text[position:start]))
        parts.append(f'<mark title="{escape(title)}">{escape(text[start:end])}</mark>')
        position = end
    parts.append(escape(text[position:]))
    return "".join(parts)


def _segment_row(number: int, outcome: SentenceOutcome) -> str:
    from translate.server.service import outcome_flags

    source = highlight(outcome.source, [(t.source, f"glossary: {t.target}") for t in outcome.terms])
    output = highlight(
        outcome.output,
        [(t.target, f"glossary term for {t.source} ({t.method})") for t in outcome.terms],
    )
    flags = [f"{flag['name']}: {flag['reason']}" for flag in outcome_flags(outcome)]
    flag_html = "".join(f'<span class="flag">{escape(flag)}</span>' for flag in flags)
    row_class = ' class="flagged"' if flags else ""
    return (
        f'<tr{row_class} data-segment="{number}"><td class="n">{number}</td>'
        f'<td lang="nl">{source}</td><td lang="en">{output}{flag_html}</td></tr>'
    )


def _form(state: PageState) -> str:
    options = "".join(
        f'<option value="{escape(name)}"{" selected" if name == state.glossary else ""}>'
        f"{escape(name)}</option>"
        for name in state.glossaries
    )
    key = (
        '<label>API key <input name="api_key" type="password" autocomplete="off"></label>'
        if state.key_required
        else ""
    )
    return f"""<form method="post" action="/" enctype="multipart/form-data" id="translate-form">
<label for="q">Dutch text</label>
<textarea id="q" name="q" rows="10" maxlength="{state.char_limit}" lang="nl"
 placeholder="Plak hier de Nederlandse tekst.">{escape(state.text)}</textarea>
<div class="controls">
<label>or upload a .txt file <input type="file" name="file" accept=".txt,text/plain"></label>
<label>Glossary <select name="glossary">{options}</select></label>
{key}
<button type="submit" id="submit">Translate</button>
</div>
</form>"""


def _result(state: PageState) -> str:
    if state.error:
        return f'<p class="error" role="alert">{escape(state.error)}</p>'
    if state.translation is None:
        return ""
    rows = "".join(_segment_row(n, o) for n, o in enumerate(state.segments, 1))
    terms = sum(len(o.terms) for o in state.segments)
    verified = sum(1 for o in state.segments for t in o.terms if t.verified)
    download = "data:text/plain;charset=utf-8," + quote(state.translation)
    return f"""<section id="result">
<h2>English</h2>
<p class="summary">{len(state.segments)} sentences, {terms} glossary terms ({verified} verified),
model {escape(state.model)}</p>
<textarea id="translation" readonly rows="8" lang="en">{escape(state.translation)}</textarea>
<p class="actions"><a id="download" download="translation.en.txt"
 href="{escape(download)}">Download</a>
<button type="button" id="copy" hidden>Copy</button></p>
<table class="side-by-side"><thead><tr><th>#</th><th>Dutch</th><th>English</th></tr></thead>
<tbody>{rows}</tbody></table>
</section>"""


def render_page(state: PageState) -> str:
    """The whole page for ``state``."""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>vertaal: Dutch to English</title>
<link rel="stylesheet" href="/static/page.css">
<script src="/static/page.js" defer></script>
</head><body>
<header><h1>vertaal</h1><p>Dutch → English with the glossary enforced.
The same service answers LibreTranslate clients at <code>/translate</code>.</p></header>
<main>{_form(state)}{_result(state)}</main>
</body></html>
"""
