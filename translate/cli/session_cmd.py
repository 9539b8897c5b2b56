"""``vertaal models session``: pack here, run on a GPU machine (see translate.training.session)."""

from __future__ import annotations

from pathlib import Path

import click

from translate.cli.train_cmd import EXISTING_DIR, EXISTING_FILE, mono_limit_option


def _log(message: str) -> None:
    click.echo(message, err=True)


@click.group("session")
def session_group() -> None:
    """Train reverse model, back-translation and forward model in one GPU session.

    Prepare both runs here with `vertaal models train --prepare-only`, pack them
    with the English text to back-translate, carry the archive to the GPU
    machine and run it there within a time budget; export the result here with
    `vertaal models train --export-only`.

    \b
    Examples:
      vertaal models session pack work/v2/forward work/v2/reverse --mono wiki.en \\
          --mono-limit 400000 --held-out flores200/dev.en -o work/session.tar.xz
      vertaal models session run work/session.tar.xz gpu-out/ --minutes 9
    """


@session_group.command("pack")
@click.argument("forward_dir", type=EXISTING_DIR)
@click.argument("reverse_dir", type=EXISTING_DIR)
@click.option(
    "--mono", type=EXISTING_FILE, required=True, help="English sentences to back-translate."
)
@mono_limit_option
@click.option(
    "--held-out",
    "held_out",
    type=EXISTING_FILE,
    multiple=True,
    help="Drop mono sentences sharing a sentence or 6-word sequence with this file; repeatable.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The .tar.xz to write.",
)
def pack_command(
    forward_dir: Path,
    reverse_dir: Path,
    mono: Path,
    mono_limit: int,
    held_out: tuple[Path, ...],
    output: Path,
) -> None:
    """Pack two prepared runs and the tokenized English text into one archive.

    FORWARD_DIR and REVERSE_DIR come from `vertaal models train --prepare-only`
    (the reverse one with --reverse and the forward run's --sentencepiece).

    \b
    Example:
      vertaal models session pack fwd/ rev/ --mono wiki.en -o session.tar.xz
    """
    from translate.training.session import pack_session

    pack_session(forward_dir, reverse_dir, mono, mono_limit, held_out, output, _log)


@session_group.command("run")
@click.argument("archive", type=EXISTING_FILE)
@click.argument("output_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--minutes",
    type=click.FloatRange(1, 10080),
    required=True,
    help="Wall-clock budget for the whole session.",
)
@click.option(
    "--work-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("work/session"),
    show_default=True,
    help="Where the archive is unpacked and the runs train.",
)
@click.option(
    "--reverse-minutes",
    type=click.FloatRange(0.1, 10080),
    default=1.7,
    show_default=True,
    help="Training time of the reverse (en→nl) model.",
)
@click.option(
    "--backtranslate-minutes",
    type=click.FloatRange(0.1, 10080),
    default=1.2,
    show_default=True,
    help="At most this long back-translating.",
)
def run_command(
    archive: Path,
    output_dir: Path,
    minutes: float,
    work_dir: Path,
    reverse_minutes: float,
    backtranslate_minutes: float,
) -> None:
    """Reverse model, tagged back-translation, forward model, within --minutes.

    The forward model's weights, vocabulary, recipe, data card and the
    session's facts go to OUTPUT_DIR.

    \b
    Example:
      vertaal models session run session.tar.xz gpu-out/ --minutes 9
    """
    from translate.training.session import SessionPlan, run_session, unpack_session

    plan = SessionPlan(
        seconds=minutes * 60,
        reverse_seconds=reverse_minutes * 60,
        backtranslate_seconds=backtranslate_minutes * 60,
    )
    run_session(unpack_session(archive, work_dir), output_dir, plan, _log)
