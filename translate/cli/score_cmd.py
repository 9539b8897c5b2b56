"""``vertaal score``: BLEU, chrF, chrF++, TER and term accuracy of a translation file."""

from __future__ import annotations

from pathlib import Path

import click

from translate.cli.options import domain_option, metrics_option

FILE = click.Path(dir_okay=False, path_type=Path)


@click.command("score")
@click.argument("hypothesis", type=FILE)
@click.argument("references", type=FILE, nargs=-1, required=True)
@metrics_option("bleu,chrf,chrf++,ter", help="Comma-separated metrics to compute.")
@metrics_option(None, "-m", "metrics_short", hidden=True)
@click.option("-s", "--sentence-level", is_flag=True, help="Also score every line on its own.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option(
    "--source",
    type=FILE,
    help="Dutch source file, line-aligned: adds term accuracy and untranslated-line checks.",
)
@click.option(
    "-g",
    "--glossary",
    "glossaries",
    type=FILE,
    multiple=True,
    help="PO glossary for term accuracy (repeatable; merged over the default glossary).",
)
@click.option(
    "--no-default-glossary",
    is_flag=True,
    help="Use only the --glossary files, not the bundled news glossary.",
)
@domain_option
@click.option(
    "--skip-blank-lines",
    is_flag=True,
    help="Drop blank lines from every file first (they separate paragraphs, not segments).",
)
def score_command(
    hypothesis: Path,
    references: tuple[Path, ...],
    metrics: list[str],
    metrics_short: list[str] | None,
    sentence_level: bool,
    as_json: bool,
    source: Path | None,
    glossaries: tuple[Path, ...],
    no_default_glossary: bool,
    domains: tuple[str, ...],
    skip_blank_lines: bool,
) -> None:
    """Score HYPOTHESIS against one or more REFERENCES (one segment per line).

    Scores and signatures are sacreBLEU's, identical to running
    `sacrebleu REF... -i HYPOTHESIS -m bleu chrf ter`. With --source, also
    reports how many glossary terms of the source appear in the translation
    (WMT21 exact match, and an inflection-tolerant variant).

    \b
    Examples:
      vertaal score out.en.txt corpora/nos-article/ref-a.en.txt corpora/nos-article/ref-b.en.txt
      vertaal score out.en.txt ref.en.txt --source src.nl.txt -g my-terms.po --json
    """
    from translate.scoring.render import render_score_report, to_json
    from translate.scoring.score import score_files

    if metrics_short is not None:
        # -m selects a model in translate, batch and evaluate; here it stays as a hidden alias
        click.echo("warning: `vertaal score -m` is deprecated; use --metrics", err=True)
        metrics = metrics_short
    if (glossaries or no_default_glossary or domains) and source is None:
        raise click.UsageError("--glossary, --no-default-glossary and --domain need --source")
    if no_default_glossary and not glossaries:
        raise click.UsageError("--no-default-glossary needs at least one --glossary")
    report = score_files(
        hypothesis,
        list(references),
        metrics=metrics,
        sentence_level=sentence_level,
        source_path=source,
        glossary_paths=list(glossaries),
        use_default_glossary=not no_default_glossary,
        skip_blank_lines=skip_blank_lines,
        domains=domains,
    )
    if as_json:
        click.echo(to_json(report.to_dict()))
    else:
        click.echo(render_score_report(report), nl=False)
