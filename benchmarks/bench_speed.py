"""Translation speed: vertaal's Engine vs argostranslate vs raw CTranslate2.

Usage:
  python benchmarks/bench_speed.py [DEVTEST.nl] [--model NAME|PATH] [--beam 4]
                                   [--limit N] [--compute-type int8] [--sweep]

All three translate the same sentences with the same package, beam size and
compute type, in one process:

* **vertaal**: ``Engine.translate_document`` on the whole file (segmentation,
  dedup, tokenization, length-sorted token batches, detokenization, layout).
* **argostranslate**: ``argostranslate.translate`` on the whole file, with the
  package installed into a temporary ``ARGOS_PACKAGES_DIR``. Its default
  sentence splitter (MiniSBD) downloads an ONNX model on first use, which is
  impossible offline, so its sentencizer is replaced by vertaal's splitter;
  everything else (per-paragraph ``translate_batch`` calls, batch size, decoding
  options) is argostranslate's own.
* **raw CTranslate2**: one ``Translator.translate_batch`` call on pre-tokenized
  lines with the engine's batch, beam and thread settings (and CTranslate2's
  default decoding limit of 256 tokens, as argostranslate): the reference no
  wrapper should fall far below. vertaal limits each sentence to about twice
  its length instead, which only matters when the model gets stuck repeating.
  Where the package decodes long sentences in pieces (``max_input_tokens`` in
  its metadata, 32 for the bundled v2), the raw call gets the same pieces
  (cut by the engine's own rule), so both sides decode the same inputs.

Prints sentences/s, the ratios (targets: vertaal ≥ 5× argostranslate and
≥ 90 % of raw CTranslate2) and how many outputs differ from argostranslate's, by
cause. ``--sweep`` also times other thread/batch settings for the engine.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO / ".." / "shared" / "data" / "flores200" / "devtest.nl"


CPU_SECONDS: dict[str, float] = {}
"""CPU time (all threads of this process) of the last timed call per system."""


def _timed(function: Any, *args: Any, name: str = "") -> tuple[Any, float]:
    started, cpu_started = time.perf_counter(), time.process_time()
    result = function(*args)
    CPU_SECONDS[name] = time.process_time() - cpu_started
    return result, time.perf_counter() - started


def bench_vertaal(package: Any, options: Any, text: str) -> tuple[str, float, Any]:
    from translate.engine import Engine

    engine = Engine(package, options)  # fresh: no cache from an earlier run
    engine.translate_sentences(["Dit is een opwarmronde."])
    result, seconds = _timed(engine.translate_document, text, name="vertaal Engine")
    return result.text, seconds, engine


def bench_raw(package: Any, options: Any, lines: list[str], engine: Any) -> float:
    import ctranslate2

    # the engine's own tokens and pieces, so both sides decode the same inputs
    tokens = [piece for pieces in engine.source_pieces(lines) for piece in pieces]
    translator = ctranslate2.Translator(
        str(package.model_dir),
        device="cpu",
        compute_type=options.compute_type,
        inter_threads=options.inter_threads,
        intra_threads=options.resolved_intra_threads(),
    )
    translator.translate_batch([tokens[0]], beam_size=options.beam_size)
    _, seconds = _timed(
        lambda: translator.translate_batch(
            tokens,
            max_batch_size=options.max_batch_tokens,
            batch_type="tokens",
            beam_size=options.beam_size,
            length_penalty=options.length_penalty,
            replace_unknowns=options.replace_unknowns,
            max_input_length=0,
        ),
        name="raw CTranslate2",
    )
    return seconds


def bench_argos(package: Any, beam: int, compute_type: str, text: str) -> tuple[str, float]:
    home = Path(tempfile.mkdtemp(prefix="bench-argos-"))
    try:
        # argostranslate reads its settings (and creates directories) at import time
        os.environ.update(
            {
                "ARGOS_PACKAGES_DIR": str(home / "packages"),
                "XDG_DATA_HOME": str(home / "data"),
                "XDG_CONFIG_HOME": str(home / "config"),
                "XDG_CACHE_HOME": str(home / "cache"),
                "ARGOS_BEAM_SIZE": str(beam),
                "ARGOS_COMPUTE_TYPE": compute_type,
            }
        )
        shutil.copytree(package.path, home / "packages" / package.path.name)
        from argostranslate import translate as argos_translate

        from translate.segment import split_sentences

        class VertaalSentencizer:
            def split_sentences(self, text: str) -> list[str]:
                return split_sentences(text) or [text]

        translation = argos_translate.get_translation_from_codes(package.from_code, package.to_code)
        translation.underlying.sentencizer = VertaalSentencizer()
        translation.underlying.translate("Dit is een opwarmronde.")
        output, seconds = _timed(translation.translate, text, name="argostranslate")
        return output, seconds
    finally:
        shutil.rmtree(home, ignore_errors=True)


def explain_differences(
    sources: list[str], ours: list[str], theirs: list[str], engine: Any
) -> dict[str, int]:
    """Count the lines where vertaal and argostranslate differ, by cause."""
    from translate.segment import split_sentences

    def split(text: str) -> list[str]:
        return split_sentences(text) or [text]

    causes: dict[str, int] = {}
    decoding: list[tuple[str, str]] = []
    for source, a, b in zip(sources, ours, theirs, strict=True):
        if a == b:
            continue
        if a.replace("_", " ") == b.replace("_", " "):
            cause = "argostranslate turns '_' into ' ' when detokenizing"
        elif " ".join(a.split()) == " ".join(b.split()):
            cause = "whitespace only (vertaal keeps a line's own leading/trailing spaces)"
        elif any(len(pieces) > 1 for pieces in engine.source_pieces(split(source))):
            cause = (
                f"a sentence longer than {engine.max_input_tokens} tokens: vertaal decodes it in "
                "pieces (the package's max_input_tokens), argostranslate whole"
            )
        else:
            decoding.append((source, b))
            cause = "different decoding result"
        causes[cause] = causes.get(cause, 0) + 1
    if decoding:
        # decoded one sentence per batch (as argostranslate does), does vertaal agree?
        agree = 0
        for source, theirs_line in decoding:
            alone = [engine.translate_sentences([s])[0] for s in split_sentences(source)]
            agree += " ".join(alone).replace("_", " ") == theirs_line.replace("_", " ")
        causes["  of which identical when vertaal decodes each sentence alone (batch padding)"] = (
            agree
        )
    return causes


def main() -> None:
    sys.path.insert(0, str(REPO))
    from translate.engine import EngineOptions
    from translate.packages import resolve_package

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", default=str(DEFAULT_SOURCE))
    parser.add_argument("--model", default=None, help="package name or path (default: best)")
    parser.add_argument("--beam", type=int, default=EngineOptions().beam_size)
    parser.add_argument("--compute-type", default=EngineOptions().compute_type)
    parser.add_argument("--limit", type=int, default=0, help="use only the first N lines")
    parser.add_argument("--sweep", action="store_true", help="also try other engine settings")
    parser.add_argument("--skip-argos", action="store_true")
    parser.add_argument("--show-diffs", type=int, default=3, help="print N differing lines")
    args = parser.parse_args()

    lines = Path(args.source).read_text(encoding="utf-8").splitlines()
    if args.limit:
        lines = lines[: args.limit]
    lines = [line for line in lines if line.strip()]
    text = "\n".join(lines) + "\n"
    package = resolve_package(args.model)
    options = dataclasses.replace(
        EngineOptions(), beam_size=args.beam, compute_type=args.compute_type
    )
    print(
        f"{len(lines)} lines from {args.source}; package {package.name} {package.package_version} "
        f"({package.path}); beam {args.beam}; compute type {args.compute_type}; "
        f"{os.cpu_count()} CPUs"
    )
    print(
        f"engine: inter_threads {options.inter_threads}, intra_threads "
        f"{options.resolved_intra_threads()}, max_batch_tokens {options.max_batch_tokens}"
    )

    ours, vertaal_seconds, engine = bench_vertaal(package, options, text)
    print(f"longest piece decoded at once: {engine.max_input_tokens} tokens (both sides)")
    raw_seconds = bench_raw(package, options, lines, engine)
    rows = [("vertaal Engine", vertaal_seconds), ("raw CTranslate2", raw_seconds)]
    theirs = None
    if not args.skip_argos:
        theirs, argos_seconds = bench_argos(package, args.beam, args.compute_type, text)
        rows.append(("argostranslate", argos_seconds))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"(load average {load:.1f}; CPU = seconds of CPU time used by all threads)")
    for name, seconds in rows:
        cpu = CPU_SECONDS.get(name, float("nan"))
        print(
            f"{name:18s} {seconds:8.2f} s wall {len(lines) / seconds:8.1f} sentences/s"
            f"   {cpu:8.2f} s CPU {len(lines) / cpu:8.1f} sentences/CPU-s"
        )
    cpu_v, cpu_r = CPU_SECONDS["vertaal Engine"], CPU_SECONDS["raw CTranslate2"]
    print(
        f"vertaal / raw CTranslate2 speed: {raw_seconds / vertaal_seconds:.1%} wall, "
        f"{cpu_r / cpu_v:.1%} CPU (target ≥ 90%)"
    )
    if theirs is not None:
        cpu_a = CPU_SECONDS["argostranslate"]
        print(
            f"vertaal / argostranslate speed: {argos_seconds / vertaal_seconds:.1f}× wall, "
            f"{cpu_a / cpu_v:.1f}× CPU (target ≥ 5×)"
        )
        ours_lines = ours.rstrip("\n").split("\n")
        their_lines = theirs.rstrip("\n").split("\n")
        differing = sum(1 for a, b in zip(ours_lines, their_lines, strict=True) if a != b)
        print(f"outputs differing from argostranslate: {differing} of {len(lines)} lines")
        causes = explain_differences(lines, ours_lines, their_lines, engine)
        for cause, count in causes.items():
            print(f"  {cause}: {count}")
        shown = [(a, b) for a, b in zip(ours_lines, their_lines, strict=True) if a != b]
        for a, b in shown[: args.show_diffs]:
            print(f"  vertaal:        {a!r}\n  argostranslate: {b!r}")
    if args.sweep:
        cores = os.cpu_count() or 1
        for inter, intra, batch in [
            (1, cores, 2048),
            (1, cores, 8192),
            (cores, 1, 512),
            (cores, 1, 1024),
            (cores, 1, 4096),
        ]:
            variant = dataclasses.replace(
                options, inter_threads=inter, intra_threads=intra, max_batch_tokens=batch
            )
            _, seconds, _ = bench_vertaal(package, variant, text)
            print(
                f"sweep inter {inter} intra {intra} batch {batch:6d}: {seconds:6.2f} s "
                f"{len(lines) / seconds:7.1f} sentences/s"
            )


if __name__ == "__main__":
    main()
