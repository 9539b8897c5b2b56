"""A self-contained HTML report of an evaluation, for translators.

One file, no external resources (inline CSS, JS and SVG; a Content-Security-
Policy forbids loading anything else). Every piece of corpus or model text is
HTML-escaped; the script reads numbers only from ``data-*`` attributes, so no
text is ever handed to JavaScript. When the script has finished rendering it
sets ``data-rendered="yes"`` on ``<body>`` (the browser test waits for that).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from translate.errors import ScoringError
from translate.fileio import atomic_write_text
from translate.scoring.evaluate import Evaluation, SystemRun
from translate.scoring.terms import ExpectedTerm

MarkedSpan = tuple[int, int, str, str]
"""start, end, CSS class, tooltip."""


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def highlight(text: str, spans: Sequence[MarkedSpan]) -> str:
    """``text`` HTML-escaped, with non-overlapping ``spans`` wrapped in ``<mark>``."""
    pieces: list[str] = []
    cursor = 0
    for start, end, css, tip in sorted(spans, key=lambda span: (span[0], -span[1])):
        if start < cursor or end <= start or end > len(text):
            continue
        pieces.append(_esc(text[cursor:start]))
        pieces.append(
            f'<mark class="{_esc(css)}" title="{_esc(tip)}">{_esc(text[start:end])}</mark>'
        )
        cursor = end
    pieces.append(_esc(text[cursor:]))
    return "".join(pieces)


def _source_spans(terms: Sequence[ExpectedTerm]) -> list[MarkedSpan]:
    return [
        (
            term.source_span[0],
            term.source_span[1],
            "term ok" if term.inflected else "term miss",
            f"glossary: {term.source} → {term.target}"
            + ("" if term.inflected else " (missing in the output)"),
        )
        for term in terms
    ]


def _output_spans(terms: Sequence[ExpectedTerm]) -> list[MarkedSpan]:
    return [
        (
            term.output_span[0],
            term.output_span[1],
            "found" if term.exact else "found inflected",
            f"{term.source} → {term.target}" + ("" if term.exact else " (inflected form)"),
        )
        for term in terms
        if term.output_span is not None
    ]


def _missed(terms: Sequence[ExpectedTerm]) -> str:
    missed = [term for term in terms if not term.inflected]
    if not missed:
        return ""
    items = "".join(
        f'<li><span class="want">{_esc(term.target)}</span> '
        f'<span class="for">for {_esc(term.source)}</span></li>'
        for term in missed
    )
    return f'<ul class="missed" aria-label="missed terms">{items}</ul>'


def _score(value: float) -> str:
    return f"{value:.1f}"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def _summary(evaluation: Evaluation) -> str:
    labels = evaluation.metric_labels
    head = "".join(f"<th>{_esc(label)}</th>" for label in labels)
    rows = []
    for run in evaluation.runs:
        cells = "".join(
            f'<td class="num" data-metric="{_esc(score.metric)}">{_score(score.score)}</td>'
            for score in run.scores
        )
        exact = run.terms.exact_accuracy if run.terms else None
        tolerant = run.terms.inflected_accuracy if run.terms else None
        rows.append(
            f'<tr data-system="{_esc(run.label)}"><th scope="row">{_esc(run.label)}</th>{cells}'
            f'<td class="num">{_pct(exact)}</td><td class="num">{_pct(tolerant)}</td>'
            f'<td class="num">{run.seconds:.1f}s</td></tr>'
        )
    table = (
        '<table class="summary"><thead><tr><th>system</th>'
        f"{head}<th>terms</th><th>terms~</th><th>time</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    notes = []
    for comparison in evaluation.comparisons:
        parts = []
        for result in comparison.results:
            better = (result.delta > 0) == result.higher_is_better and result.delta != 0
            css = "sig" if result.significant else "nsig"
            css += " better" if better else (" worse" if result.delta != 0 else "")
            parts.append(
                f'<span class="{css}">{_esc(result.label)} {result.delta:+.1f} '
                f"(p = {result.p_value:.3f}{' *' if result.significant else ''})</span>"
            )
        notes.append(
            f'<p class="effect">Glossary effect on <b>{_esc(comparison.model)}</b>: '
            + ", ".join(parts)
            + f' <span class="test">— {_esc(comparison.test_name)}; * p &lt; '
            f"{evaluation.alpha:g}</span></p>"
        )
    signatures = "".join(
        f"<li><code>{_esc(score.name)}|{_esc(score.signature)}</code></li>"
        for score in (evaluation.runs[0].scores if evaluation.runs else [])
    )
    return (
        table
        + "".join(notes)
        + '<p class="legend-text">terms = glossary terms found exactly (WMT21 exact match); '
        "terms~ = inflection-tolerant.</p>"
        + f'<details class="sigs"><summary>sacreBLEU signatures</summary><ul>{signatures}</ul>'
        "</details>"
    )


def chart(baseline: SystemRun | None, system: SystemRun) -> str:
    """Inline SVG: per-segment chrF bars, without (grey) and with (blue) glossary."""
    count = len(system.chrf)
    left, top, height = 36, 12, 160
    # wide enough to read, and never wider than the page (the SVG scales down)
    bar_group = max(16.0, min(64.0, 900 / max(count, 1)))
    width = left + count * bar_group + 12
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width:.0f} {top + height + 34}" '
        f'width="{width:.0f}" height="{top + height + 34}" '
        f'aria-label="sentence chrF per segment for {_esc(system.label)}">'
    ]
    for tick in (0, 25, 50, 75, 100):
        y = top + height - tick * height / 100
        parts.append(
            f'<line x1="{left}" x2="{width - 6:.0f}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" class="tick" text-anchor="end">{tick}</text>'
        )
    for index in range(count):
        x = left + index * bar_group + 4
        values = []
        if baseline is not None:
            values.append(("base", baseline.chrf[index], baseline.label))
        values.append(("gloss" if system.glossary else "base", system.chrf[index], system.label))
        bar_width = (bar_group - 8) / len(values)
        for offset, (css, value, label) in enumerate(values):
            bar_height = max(value, 0.0) * height / 100
            parts.append(
                f'<rect class="bar {css}" x="{x + offset * bar_width:.1f}" '
                f'y="{top + height - bar_height:.1f}" width="{bar_width - 1:.1f}" '
                f'height="{bar_height:.1f}"><title>segment {index + 1}, {_esc(label)}: '
                f"chrF {value:.1f}</title></rect>"
            )
        parts.append(
            f'<a href="#seg-{_esc(system.model)}-{index + 1}">'
            f'<text x="{x + (bar_group - 8) / 2:.1f}" y="{top + height + 14}" class="tick" '
            f'text-anchor="middle">{index + 1}</text></a>'
        )
    parts.append(
        f'<text x="{left}" y="{top + height + 30}" class="axis">segment (click a number to jump '
        "to it)</text></svg>"
    )
    legend = '<p class="legend">'
    if baseline is not None:
        legend += f'<span class="swatch base"></span>{_esc(baseline.label)} '
    legend += (
        f'<span class="swatch {"gloss" if system.glossary else "base"}"></span>'
        f"{_esc(system.label)} — sentence chrF (0–100, higher is better)</p>"
    )
    return "".join(parts) + legend


def _segment_cards(
    evaluation: Evaluation, baseline: SystemRun | None, system: SystemRun, worst_first: bool
) -> str:
    corpus = evaluation.corpus
    order = list(range(len(corpus.segments)))
    if worst_first:
        order.sort(key=lambda i: (system.chrf[i], i))
    cards = []
    for i in order:
        number = i + 1
        source = corpus.segments[i]
        terms = system.terms.for_line(number) if system.terms else []
        base_terms = baseline.terms.for_line(number) if baseline and baseline.terms else []
        missed = sum(not term.inflected for term in terms)
        delta = system.chrf[i] - baseline.chrf[i] if baseline is not None else 0.0
        columns = [
            f'<div class="col src"><h4>Source (nl)</h4><p lang="nl">'
            f"{highlight(source, _source_spans(terms))}</p></div>",
            f'<div class="col out"><h4>{_esc(system.label)} <span class="chrf">chrF '
            f"{system.chrf[i]:.1f}</span></h4><p>"
            f"{highlight(system.outputs[i], _output_spans(terms))}</p>{_missed(terms)}</div>",
        ]
        if baseline is not None:
            columns.append(
                f'<div class="col out base"><h4>{_esc(baseline.label)} <span class="chrf">chrF '
                f"{baseline.chrf[i]:.1f}</span></h4><p>"
                f"{highlight(baseline.outputs[i], _output_spans(base_terms))}</p>"
                f"{_missed(base_terms)}</div>"
            )
        references = "".join(
            f'<p><span class="refname">{_esc(name)}</span> {_esc(stream[i])}</p>'
            for name, stream in zip(corpus.reference_names, corpus.references, strict=True)
        )
        columns.append(f'<div class="col ref"><h4>References</h4>{references}</div>')
        flags = [flag for flag in system.flags if flag.line == number]
        flag_html = "".join(
            f'<span class="flag" data-flag="{_esc(flag.kind)}">{_esc(flag.kind)}: '
            f"{_esc(flag.reason)}</span>"
            for flag in flags
        )
        delta_html = (
            f'<span class="delta {"up" if delta > 0 else "down" if delta < 0 else ""}">'
            f"{delta:+.1f} chrF with glossary</span>"
            if baseline is not None
            else ""
        )
        missed_html = (
            f'<span class="flag miss">{missed} missed term{"s" if missed != 1 else ""}</span>'
            if missed
            else ""
        )
        cards.append(
            f'<article class="seg{" flagged" if flags else ""}" '
            f'id="seg-{_esc(system.model)}-{number}" data-line="{number}" '
            f'data-chrf="{system.chrf[i]:.4f}" data-missed="{missed}" '
            f'data-flagged="{len(flags)}">'
            f'<header><span class="segno">#{number}</span>{delta_html}{missed_html}{flag_html}'
            f'</header><div class="cols">{"".join(columns)}</div></article>'
        )
    return "".join(cards)


def _flagged_count(system: SystemRun) -> int:
    return len({flag.line for flag in system.flags})


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _model_sections(evaluation: Evaluation, worst_first: bool) -> str:
    sections = []
    models: list[str] = []
    for run in evaluation.runs:
        if run.model not in models:
            models.append(run.model)
    for model in models:
        runs = [run for run in evaluation.runs if run.model == model]
        system = next((run for run in runs if run.glossary), runs[0])
        baseline = (
            next((run for run in runs if not run.glossary), None) if system.glossary else None
        )
        cards = _segment_cards(evaluation, baseline, system, worst_first)
        sections.append(
            f'<section class="model" data-model="{_esc(model)}"><h2>{_esc(model)}</h2>'
            f"{chart(baseline, system)}"
            '<div class="controls">'
            f'<button type="button" data-order="line" aria-pressed="{_bool(not worst_first)}">'
            "Document order</button>"
            f'<button type="button" data-order="chrf" aria-pressed="{_bool(worst_first)}">'
            "Worst first</button>"
            '<label><input type="checkbox" class="only-missed"> only segments with missed terms'
            "</label>"
            '<label><input type="checkbox" class="only-flagged"> only flagged segments'
            f" ({_flagged_count(system)})</label>"
            ' <span class="shown"></span></div>'
            f'<div class="segments">{cards}</div>'
            "</section>"
        )
    return "".join(sections)


STYLE = """
:root{--ink:#1d232b;--muted:#5d6875;--line:#dde3ea;--bg:#f6f8fa;--ok:#d5f2dc;--okb:#2f8f4e;
  --miss:#fde2e1;--missb:#c9302c;--base:#9aa5b1;--gloss:#2a6fdb;--infl:#fff1c2}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--ink);
  background:var(--bg)}
main{max-width:1280px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:18px;margin:28px 0 8px}
.meta{color:var(--muted);margin:0 0 16px}
.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:16px 20px;
  margin-bottom:16px}
table.summary{border-collapse:collapse;width:auto;min-width:60%}
table.summary th,table.summary td{padding:6px 10px;border-bottom:1px solid var(--line);
  text-align:left}
table.summary td.num{text-align:right;font-variant-numeric:tabular-nums}
table.summary thead th{color:var(--muted);font-weight:600;font-size:13px}
.effect{margin:10px 0 0}
.effect .sig.better{color:var(--okb);font-weight:600}
.effect .sig.worse{color:var(--missb);font-weight:600}
.effect .test,.legend-text{color:var(--muted);font-size:13px}
details.sigs{font-size:12px;color:var(--muted)}
details.sigs code{font-size:12px}
svg.chart{max-width:100%;height:auto;background:#fff}
svg .grid{stroke:var(--line)}
svg .tick{font-size:10px;fill:var(--muted)}
svg .axis{font-size:11px;fill:var(--muted)}
svg .bar.base{fill:var(--base)}
svg .bar.gloss{fill:var(--gloss)}
.legend{font-size:13px;color:var(--muted)}
.swatch{display:inline-block;width:12px;height:12px;border-radius:2px;margin:0 4px 0 10px;
  vertical-align:-1px}
.swatch.base{background:var(--base)}
.swatch.gloss{background:var(--gloss)}
.controls{display:flex;gap:8px;align-items:center;margin:8px 0 12px;flex-wrap:wrap}
.controls button{border:1px solid var(--line);background:#fff;border-radius:6px;
  padding:4px 10px;cursor:pointer;font:inherit}
.controls button[aria-pressed=true]{background:var(--ink);color:#fff}
.shown{color:var(--muted);font-size:13px}
article.seg{background:#fff;border:1px solid var(--line);border-radius:10px;margin-bottom:12px;
  overflow:hidden}
article.seg.hidden{display:none}
article.seg.flagged{border-left:4px solid var(--missb)}
article.seg>header{display:flex;gap:10px;align-items:center;padding:6px 14px;background:#fbfcfd;
  border-bottom:1px solid var(--line);font-size:13px}
.segno{font-weight:700}
.delta{color:var(--muted)}
.delta.up{color:var(--okb)}
.delta.down{color:var(--missb)}
.flag{background:var(--miss);color:var(--missb);border-radius:4px;padding:0 6px}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(230px,1fr))}
.col{padding:8px 14px;border-right:1px solid var(--line);overflow-wrap:anywhere;min-width:0}
.col:last-child{border-right:0}
.col h4{margin:0 0 4px;font-size:12px;text-transform:uppercase;letter-spacing:.04em;
  color:var(--muted)}
.col p{margin:0 0 6px}
.col.base p{color:#3c4550}
.chrf{font-weight:400;text-transform:none}
.refname{display:inline-block;min-width:1.4em;color:var(--muted);font-size:12px}
mark{border-radius:3px;padding:0 2px}
mark.term.ok,mark.found{background:var(--ok);box-shadow:inset 0 -2px var(--okb)}
mark.found.inflected{background:var(--infl)}
mark.term.miss{background:var(--miss);box-shadow:inset 0 -2px var(--missb)}
ul.missed{margin:4px 0;padding:0;list-style:none;font-size:13px}
ul.missed li::before{content:"✗ missed: ";color:var(--missb);font-weight:600}
ul.missed .for{color:var(--muted)}
"""

SCRIPT = """
(function(){
  var sections=document.querySelectorAll('section.model');
  sections.forEach(function(section){
    var box=section.querySelector('.segments');
    var cards=Array.prototype.slice.call(box.querySelectorAll('article.seg'));
    var buttons=section.querySelectorAll('button[data-order]');
    var only=section.querySelector('input.only-missed');
    var flagged=section.querySelector('input.only-flagged');
    if(location.hash==='#flagged'){flagged.checked=true;}
    var shown=section.querySelector('.shown');
    function apply(order){
      cards.sort(function(a,b){
        var byChrf=order==='chrf';
        var ka=byChrf?parseFloat(a.dataset.chrf):0, kb=byChrf?parseFloat(b.dataset.chrf):0;
        return (ka-kb)||(parseInt(a.dataset.line,10)-parseInt(b.dataset.line,10));
      });
      cards.forEach(function(card){box.appendChild(card);});
      buttons.forEach(function(b){b.setAttribute('aria-pressed',String(b.dataset.order===order));});
    }
    function filter(){
      var visible=0;
      cards.forEach(function(card){
        var hide=(only.checked&&parseInt(card.dataset.missed,10)===0)||
          (flagged.checked&&parseInt(card.dataset.flagged,10)===0);
        card.classList.toggle('hidden',hide); if(!hide){visible++;}
      });
      shown.textContent=visible+' of '+cards.length+' segments shown';
    }
    buttons.forEach(function(b){b.addEventListener('click',function(){apply(b.dataset.order);});});
    only.addEventListener('change',filter);
    flagged.addEventListener('change',filter);
    var pressed=section.querySelector('button[aria-pressed=true]');
    apply(pressed?pressed.dataset.order:'line');
    filter();
  });
  document.body.setAttribute('data-rendered','yes');
})();
"""


def render_html(evaluation: Evaluation, worst_first: bool = False) -> str:
    """The whole report as one HTML string."""
    corpus = evaluation.corpus
    title = f"vertaal evaluation — {corpus.name}"
    meta = (
        f"{len(corpus.segments)} segments · {len(corpus.references)} references "
        f"({', '.join(path.name for path in corpus.reference_paths)})"
        + (f" · glossary: {evaluation.glossary}" if evaluation.glossary else " · no glossary")
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_esc(title)}</title><style>{STYLE}</style></head>"
        '<body data-rendered="no"><main>'
        f'<h1>{_esc(title)}</h1><p class="meta">{_esc(meta)}</p>'
        f'<div class="card">{_summary(evaluation)}</div>'
        f"{_model_sections(evaluation, worst_first)}"
        "</main>"
        f"<script>{SCRIPT}</script></body></html>\n"
    )


def write_html(path: Path, document: str) -> None:
    """Write ``document`` to ``path`` atomically (temporary file in the same directory)."""
    atomic_write_text(path, document, error=ScoringError)
