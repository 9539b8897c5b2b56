"""``vertaal evaluate``: translate a reference corpus with and without the glossary and score it."""

from __future__ import annotations

from pathlib import Path

import click

from translate.cli.options import domain_option, metrics_option, no_default_glossary_option


@click.command("evaluate")
@click.argument("corpus", required=False)
@click.option(
    "-m",
    "--model",
    "models",
    multiple=True,
    metavar="NAME|PATH",
    help="Argos package to evaluate (repeatable). Default: the best installed nl→en "
    "package, else the bundled model.",
)
@click.option(
    "-g",
    "--glossary",
    "glossaries",
    type=click.Path(dir_okay=False, path_type=Path),
    multiple=True,
    help="Extra PO glossary, merged over the default one (repeatable).",
)
@no_default_glossary_option
@domain_option
@metrics_option("bleu,chrf,ter", help="Comma-separated metrics (bleu, chrf, chrf++, ter).")
@click.option(
    "--test",
    "test",
    type=click.Choice(["bs", "ar"]),
    default="bs",
    show_default=True,
    help="Significance test: paired bootstrap resampling (bs) or approximate randomization (ar).",
)
@click.option(
    "--samples",
    type=click.IntRange(0, 100_000),
    default=0,
    help="Bootstrap resamples / randomization trials (0 = sacreBLEU's 1000 / 10000; "
    "at most 100000, which already resolves p-values to 0.00001).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of the table.")
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write a self-contained HTML report to this file.",
)
@click.option(
    "--worst-first", is_flag=True, help="HTML report: list the lowest-chrF segments first."
)
@click.option("-v", "--verbose", is_flag=True, help="Also print signatures and the missed terms.")
def evaluate_command(
    corpus: str | None,
    models: tuple[str, ...],
    glossaries: tuple[Path, ...],
    no_default_glossary: bool,
    domains: tuple[str, ...],
    metrics: list[str],
    test: str,
    samples: int,
    as_json: bool,
    html_path: Path | None,
    worst_first: bool,
    verbose: bool,
) -> None:
    """Translate CORPUS with and without the glossary, score both and compare them.

    CORPUS is a corpus name (default: nos-article, the bundled NOS-style
    article with two references) or a directory holding source.nl.txt and
    ref-*.en.txt. Prints BLEU/chrF/TER, glossary term accuracy and whether the
    glossary's effect is statistically significant.

    \b
    Examples:
      vertaal evaluate
      vertaal evaluate --html report.html --worst-first
      vertaal evaluate corpora/nos-article -m bundled -m translate-nl_en-1_9 --json
    """
    from translate.scoring.corpus import load_corpus
    from translate.scoring.evaluate import evaluate_corpus
    from translate.scoring.render import render_evaluation, to_json

    loaded = load_corpus(corpus)
    evaluation = evaluate_corpus(
        loaded,
        models=list(models) or [None],
        glossary_paths=list(glossaries),
        use_default_glossary=not no_default_glossary,
        domains=domains,
        metrics=metrics,
        test=test,
        samples=samples,
        progress=lambda message: click.echo(message + " …", err=True),
    )
    if html_path is not None:
        from translate.scoring.html_report import render_html, write_html

        write_html(html_path, render_html(evaluation, worst_first=worst_first))
        click.echo(f"wrote {html_path}", err=True)
    if as_json:
        click.echo(to_json(evaluation.to_dict()))
    else:
        click.echo(render_evaluation(evaluation, verbose=verbose), nl=False)
