"""Document overhead: a 50-page DOCX and a 1,000-cue SRT against the same text as plain lines.

Usage:
  python benchmarks/bench_documents.py [--pages 50] [--cues 1000] [--repeat 3]
                                       [--beam 4] [--model NAME|PATH] [--no-glossary] [--json OUT]

The text is Dutch Wikipedia and news sentences (``../shared/data/mono/ud.nl``).

* DOCX: ``--pages`` pages of 30 sentences (about 500 words), as paragraphs
  of three sentences built with python-docx, a heading every ten paragraphs
  and a two-column table every page; in every paragraph one word is bold and
  split over two runs (as Word does) and one phrase is italic.
* SRT: ``--cues`` cues; every second sentence runs over two cues.

Each document is timed as ``vertaal translate FILE -o OUT`` translates it
(``translate_document`` with an ``EngineTranslator``: parse, translate,
rebuild), and against it the very same sentences as plain text, one paragraph
(or subtitle sentence) per line, as ``vertaal translate`` translates a text
file (``Engine.translate_document``). Both run in this process on one loaded
engine with the shipped glossary enforced, alternately, ``--repeat`` times;
the medians are compared. Overhead = document / plain - 1 (floor: <= 20%).
Model loading is left out of both (it is the same for both). The document
layer's own work (parsing, tag projection, rebuilding; an identity
translator instead of the model) is timed too: it does not depend on how
busy the machine's cores are with the model, unlike the ratio above.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
# ../shared/data from the main checkout; a worktree under /work/wt/ sits one level deeper
UD = next(
    (
        base / "shared" / "data" / "mono" / "ud.nl"
        for base in (REPO.parent, REPO.parent.parent)
        if (base / "shared" / "data" / "mono" / "ud.nl").exists()
    ),
    REPO.parent / "shared" / "data" / "mono" / "ud.nl",
)
SENTENCES_PER_PAGE = 30
SENTENCES_PER_PARAGRAPH = 3


def sentences(count: int) -> list[str]:
    """The first ``count`` usable sentences of ud.nl (5 to 40 words each)."""
    found: list[str] = []
    with UD.open(encoding="utf-8") as handle:
        for line in handle:
            words = line.split()
            if 5 <= len(words) <= 40:
                found.append(line.strip())
            if len(found) == count:
                return found
    raise SystemExit(f"{UD}: only {len(found)} usable sentences, {count} needed")


def build_docx(pages: int) -> tuple[bytes, str]:
    """The DOCX and the same text as plain lines (one paragraph or cell per line)."""
    import docx

    document = docx.Document()
    lines: list[str] = []
    pool = sentences(pages * SENTENCES_PER_PAGE)
    paragraphs = [
        pool[i : i + SENTENCES_PER_PARAGRAPH] for i in range(0, len(pool), SENTENCES_PER_PARAGRAPH)
    ]
    for number, group in enumerate(paragraphs):
        if number % 10 == 0:
            heading = " ".join(group[0].split()[:5])
            document.add_heading(heading, level=2)
            lines.append(heading)
        text = " ".join(group)
        words = text.split(" ")
        bold = 3 % len(words)
        italic = (bold + 4) % len(words)
        paragraph = document.add_paragraph()
        for index, word in enumerate(words):
            space = " " if index < len(words) - 1 else ""
            if index == bold and len(word) > 3:
                half = len(word) // 2
                paragraph.add_run(word[:half]).bold = True  # Word splits words over runs
                paragraph.add_run(word[half:]).bold = True
                paragraph.add_run(space)
            elif index == italic:
                paragraph.add_run(word + space).italic = True
            else:
                paragraph.add_run(word + space)
        lines.append(text)
        if number % (SENTENCES_PER_PAGE // SENTENCES_PER_PARAGRAPH) == 9:
            table = document.add_table(rows=1, cols=2)
            cells = [" ".join(group[1].split()[:4]), " ".join(group[2].split()[:4])]
            for column, cell in enumerate(cells):
                table.cell(0, column).text = cell
                lines.append(cell)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue(), "\n".join(lines) + "\n"


def build_srt(cues: int) -> tuple[bytes, str]:
    """The SRT and its sentences as plain lines."""
    import datetime

    import srt

    pool = sentences(cues)
    subtitles: list[Any] = []
    lines: list[str] = []
    start = datetime.timedelta(seconds=1)
    for sentence in pool:
        words = sentence.split()
        parts = [sentence]
        if len(subtitles) % 2 == 0 and len(words) > 6:  # this sentence runs over two cues
            parts = [" ".join(words[: len(words) // 2]), " ".join(words[len(words) // 2 :])]
        for part in parts:
            if len(subtitles) == cues:
                break
            end = start + datetime.timedelta(seconds=2)
            subtitles.append(srt.Subtitle(len(subtitles) + 1, start, end, part))
            start = end + datetime.timedelta(milliseconds=200)
        lines.append(" ".join(parts[: cues - len(subtitles) + len(parts)]))
        if len(subtitles) == cues:
            break
    return srt.compose(subtitles).encode("utf-8"), "\n".join(lines) + "\n"


def measure(
    engine: Any, enforcer: Any, fmt: str, data: bytes, plain: str, repeat: int
) -> dict[str, Any]:
    from translate.documents import EngineTranslator, extract_document, translate_document
    from translate.segment import split_sentences

    document_times: list[float] = []
    plain_times: list[float] = []
    model_sentences: list[int] = []
    for _ in range(repeat):
        started = time.perf_counter()
        engine.translate_document(plain, enforcer)
        plain_times.append(time.perf_counter() - started)
        translator = EngineTranslator(engine, enforcer)
        started = time.perf_counter()
        translate_document(data, fmt, translator)
        document_times.append(time.perf_counter() - started)
        model_sentences.append(len(translator.segments))
    document, baseline = statistics.median(document_times), statistics.median(plain_times)
    layer = _layer_seconds(fmt, data, repeat)
    return {
        "format": fmt,
        "bytes": len(data),
        "segments": len(extract_document(data, fmt).segments),
        "plain_sentences": len(split_sentences(plain)),
        "document_sentences_translated": model_sentences[0],
        "plain_seconds": round(baseline, 2),
        "document_seconds": round(document, 2),
        "overhead": round(document / baseline - 1, 3),
        "layer_seconds": round(layer, 3),
        "layer_share": round(layer / baseline, 4),
        "runs": {
            "plain": [round(t, 2) for t in plain_times],
            "document": [round(t, 2) for t in document_times],
        },
    }


class _Identity:
    """A translator that returns its input: what is left is the document layer's own work."""

    def translate_texts(self, texts: list[str]) -> list[str]:
        return list(texts)


def _layer_seconds(fmt: str, data: bytes, repeat: int) -> float:
    """Median time to parse, plan, project tags and rebuild the document, without a model."""
    from translate.documents import translate_document

    times = []
    for _ in range(max(repeat, 3)):
        started = time.perf_counter()
        translate_document(data, fmt, _Identity())
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def tagged_flores(count: int) -> tuple[list[Any], list[str]]:
    """FLORES dev sentences with a bold phrase (words 2-3) and an italic word, and references."""
    from translate.documents.inline import Tag

    base = UD.parent.parent / "flores200"
    sources = (base / "dev.nl").read_text(encoding="utf-8").splitlines()[:count]
    references = (base / "dev.en").read_text(encoding="utf-8").splitlines()[:count]
    segments = []
    for sentence in sources:
        words = sentence.split(" ")
        if len(words) < 7:
            segments.append((sentence,))
            continue
        segments.append(
            (
                words[0] + " ",
                Tag(1, (" ".join(words[1:3]),)),
                " " + " ".join(words[3:5]) + " ",
                Tag(2, (words[5],)),
                " " + " ".join(words[6:]),
            )
        )
    return segments, references


def compare_tag_modes(engine: Any, count: int) -> list[dict[str, Any]]:
    """Tags projected onto the plain translation vs tags sent through the protection layer."""
    import sacrebleu

    from glossary.enforce import build_enforcer
    from translate.documents import EngineTranslator
    from translate.documents.inline import Tag, plain_text, tag_ids
    from translate.documents.translator import translate_segments

    segments, references = tagged_flores(count)
    enforcer = build_enforcer([], use_default=True, protect=True)
    rows = []
    for mode in (False, True):
        translator = EngineTranslator(engine, enforcer)
        started = time.perf_counter()
        outputs = translate_segments(segments, translator, tags_to_model=mode)
        seconds = time.perf_counter() - started
        texts = [" ".join(plain_text(o).split()) for o in outputs]
        tagged = [i for i, s in enumerate(segments) if len(s) > 1]
        kept = sum(1 for i in tagged if tag_ids(outputs[i]) == tag_ids(segments[i]))
        empty = sum(
            1
            for i in tagged
            for node in outputs[i]
            if isinstance(node, Tag) and not plain_text(node.children).strip()
        )
        rows.append(
            {
                "tags": "through the model (protect)" if mode else "projected",
                "chrF": round(sacrebleu.corpus_chrf(texts, [references]).score, 1),
                "BLEU": round(sacrebleu.corpus_bleu(texts, [references]).score, 1),
                "segments_with_tags": len(tagged),
                "tags_kept_in_order": kept,
                "empty_tags": empty,
                "seconds": round(seconds, 1),
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--cues", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--model", default=None)
    parser.add_argument("--no-glossary", action="store_true")
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--tags",
        type=int,
        metavar="N",
        help="instead: compare projected tags with tags sent through the protection layer "
        "on N tagged FLORES dev sentences (chrF/BLEU of the text, tags kept, empty tags)",
    )
    args = parser.parse_args()

    from glossary.enforce import build_enforcer
    from translate.engine import Engine, EngineOptions
    from translate.packages import resolve_package

    engine = Engine.load(resolve_package(args.model), EngineOptions(beam_size=args.beam))
    if args.tags:
        for row in compare_tag_modes(engine, args.tags):
            print(json.dumps(row), flush=True)
        return
    enforcer = None if args.no_glossary else build_enforcer([], use_default=True)
    results = []
    for fmt, (data, plain) in (("docx", build_docx(args.pages)), ("srt", build_srt(args.cues))):
        result = measure(engine, enforcer, fmt, data, plain, args.repeat)
        results.append(result)
        print(
            f"{fmt}: {result['segments']} segments, {result['plain_sentences']} sentences; "
            f"plain lines {result['plain_seconds']} s, document {result['document_seconds']} s "
            f"(median of {args.repeat}); overhead {result['overhead']:+.1%} "
            f"({result['document_sentences_translated']} sentences sent to the model); "
            f"document layer alone {result['layer_seconds']} s = {result['layer_share']:.1%} "
            "of the plain translation",
            flush=True,
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    floor_met = all(result["overhead"] <= 0.20 for result in results)
    print(f"overhead floor (<= 20%): {'met' if floor_met else 'NOT met'}")
    sys.exit(0)


if __name__ == "__main__":
    main()
