"""The ``vertaal`` command line.

The root group only knows *where* each command lives; a command's module is
imported when that command runs (or when its help is shown), so ``vertaal
--help`` and the glossary commands start without loading CTranslate2,
SentencePiece, sacrebleu or dask.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from translate import __version__
from translate.errors import VertaalError

# command name -> "module:attribute"; each module is the thin click layer over a core module
COMMANDS: dict[str, str] = {
    "translate": "translate.cli.translate_cmd:translate_command",
    "models": "translate.cli.models_cmd:models_group",
    "glossary": "translate.cli.glossary_cmd:glossary_group",
    "score": "translate.cli.score_cmd:score_command",
    "evaluate": "translate.cli.evaluate_cmd:evaluate_command",
    "batch": "translate.cli.batch_cmd:batch_command",
    "cache": "translate.cli.cache_cmd:cache_group",
    "serve": "translate.cli.serve_cmd:serve_command",
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def __init__(
        self,
        *args: Any,
        lazy_commands: dict[str, str] | None = None,
        lazy_help: dict[str, str] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})
        self.lazy_help = dict(lazy_help or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_commands:
            module_name, attribute = self.lazy_commands[cmd_name].split(":")
            command = getattr(importlib.import_module(module_name), attribute)
            if not isinstance(command, click.Command):
                raise TypeError(f"{self.lazy_commands[cmd_name]} is not a click command")
            return command
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Listing commands must not import the lazy ones (that would load every
        # heavy dependency for --help), so their summaries come from lazy_help.
        rows = [
            (
                name,
                self.lazy_help.get(name, "")
                if name in self.lazy_commands
                else self.commands[name].get_short_help_str(limit=formatter.width),
            )
            for name in self.list_commands(ctx)
        ]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


class RootGroup(LazyGroup):
    """The ``vertaal`` group: the one place that turns the core's errors into click's.

    The core raises :class:`~translate.errors.VertaalError` (message + hint)
    and knows nothing of flags; here it becomes a ``click.ClickException``,
    which click prints as one ``Error:`` line with exit status 1 (usage errors
    keep click's 2), with each setting the message names spelled as the flag
    of the command that ran.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except VertaalError as error:
            flags = command_flags(self, ctx, ctx.invoked_subcommand)
            raise click.ClickException(error.render(flags)) from error


def command_flags(group: click.Group, ctx: click.Context, name: str | None) -> dict[str, str]:
    """Setting name -> long flag over command ``name`` of ``group`` and its subcommands."""
    flags: dict[str, str] = {}
    command = group.get_command(ctx, name) if name else None
    pending: list[click.Command] = [group] if command is None else [command]
    while pending:
        current = pending.pop()
        for param in current.params:
            if isinstance(param, click.Option) and param.name and param.opts:
                flags.setdefault(param.name, max(param.opts, key=len))
        if isinstance(current, click.Group):
            for sub_name in current.list_commands(ctx):
                sub_command = current.get_command(ctx, sub_name)
                if sub_command is not None:
                    pending.append(sub_command)
    return flags


SHORT_HELP: dict[str, str] = {
    "translate": "Translate Dutch text to English (files or stdin).",
    "models": "List, install, remove and train Argos nl→en packages.",
    "glossary": "Maintain and inspect PO terminology glossaries.",
    "score": "Score translations against references (BLEU, chrF, TER, terms).",
    "evaluate": "Translate a reference corpus with and without glossary and score it.",
    "batch": "Translate whole corpora: many files and formats, resumable.",
    "cache": "Inspect or clear the translation cache.",
    "serve": "Serve a LibreTranslate-compatible API and a page for translators.",
}


@click.group(
    cls=RootGroup,
    lazy_commands=COMMANDS,
    lazy_help=SHORT_HELP,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="vertaal")
def cli() -> None:
    """vertaal: offline Dutch→English translation with enforced terminology.

    \b
    Examples:
      vertaal translate article.nl.txt -o article.en.txt
      echo "De NAVO-top begint morgen." | vertaal translate
      vertaal evaluate            # translate and score the bundled NOS article
    """


def main() -> None:
    """Console-script entry point (exit statuses: see :mod:`translate.cli.signals`)."""
    from translate.cli.signals import run_command_line

    run_command_line(cli)
