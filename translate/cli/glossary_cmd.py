"""``vertaal glossary``: maintain and inspect PO terminology glossaries.

Read commands (list, show, lint, export, match) use the shipped news glossary
unless ``--glossary`` names another. Commands that write (add, remove,
approve, import, extract -o) require ``--glossary``/``-o``: the shipped file
lives inside the installed package and is not the place for your edits.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from glossary.store import (
    CASE_SENSITIVE,
    CLOSED_COMPOUND,
    FUZZY,
    NO_ARTICLE,
    NO_COMPOUND,
    NO_TRANSLATE,
    PLURAL_PREFIX,
    Glossary,
    GlossaryEntry,
    default_glossary_path,
    edit_glossary,
    load_glossary,
    select_domains,
)
from translate.cli.options import domain_option
from translate.errors import GlossaryError, located
from translate.fileio import atomic_write_text, read_text

_READ_HELP = "PO glossary to read (default: the shipped news glossary)."
_WRITE_HELP = "PO glossary to change (created if missing)."


def _read_option(f: Any) -> Any:
    return click.option(
        "-g",
        "--glossary",
        "glossary_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help=_READ_HELP,
    )(f)


def _write_option(f: Any) -> Any:
    return click.option(
        "-g",
        "--glossary",
        "glossary_path",
        type=click.Path(dir_okay=False, path_type=Path),
        required=True,
        help=_WRITE_HELP,
    )(f)


def _load(path: Path | None, domains: tuple[str, ...] = (), applying: bool = False) -> Glossary:
    """The glossary to read: the whole file, or only the chosen ``domains``; ``applying``
    resolves domains as translation does (a term's context-free entry first)."""
    glossary = load_glossary(path if path is not None else default_glossary_path())
    return select_domains(glossary, domains) if domains or applying else glossary


def _flags_text(entry: GlossaryEntry) -> str:
    return ", ".join(entry.flags)


@click.group(name="glossary", context_settings={"help_option_names": ["-h", "--help"]})
def glossary_group() -> None:
    """Maintain and inspect PO terminology glossaries.

    A glossary is a gettext PO file: msgid = Dutch term, msgstr = English term,
    msgctxt = domain, flags fuzzy / no-translate / case-sensitive / no-compound /
    closed-compound / no-article / plural:<English plural>.

    \b
    Examples:
      vertaal glossary list
      vertaal glossary match "De NAVO-top in Den Haag"
      vertaal glossary add "vragende partij" "asking party" -g mijn.po
      vertaal glossary lint -g mijn.po --corpus artikel.nl.txt
    """


@glossary_group.command("list")
@_read_option
@domain_option
@click.option("--fuzzy/--no-fuzzy", "fuzzy", default=None, help="Only fuzzy / only approved.")
@click.option("--json", "as_json", is_flag=True, help="Print entries as JSON.")
def list_command(
    glossary_path: Path | None, domains: tuple[str, ...], fuzzy: bool | None, as_json: bool
) -> None:
    """List the terms of a glossary.

    \b
    Examples:
      vertaal glossary list --fuzzy -g mijn.po
      vertaal glossary list --domain defence -g mijn.po
    """
    glossary = _load(glossary_path, domains)
    entries = [e for e in glossary.sorted_entries() if fuzzy is None or e.fuzzy == fuzzy]
    if as_json:
        click.echo(json.dumps([_entry_dict(e) for e in entries], ensure_ascii=False, indent=2))
        return
    width = max((len(e.source) for e in entries), default=0)
    for entry in entries:
        ctx = f" [{entry.context}]" if entry.context else ""
        flags = f"  ({_flags_text(entry)})" if entry.flags else ""
        click.echo(f"{entry.source:<{width}}  →  {entry.english}{ctx}{flags}")
    click.echo(f"{len(entries)} terms in {glossary.path}", err=True)


def _entry_dict(entry: GlossaryEntry) -> dict[str, Any]:
    return {
        "source": entry.source,
        "target": entry.english,
        "context": entry.context,
        "flags": list(entry.flags),
        "notes": entry.notes,
        "line": entry.line,
    }


@glossary_group.command("show")
@_read_option
@click.argument("term")
def show_command(glossary_path: Path | None, term: str) -> None:
    """Show everything about one term (all contexts).

    \b
    Example:
      vertaal glossary show NAVO
    """
    glossary = _load(glossary_path)
    entries = glossary.find(term)
    if not entries:
        raise GlossaryError(located(glossary.path, None, f"no term {term!r}", "see `list`"))
    for entry in entries:
        click.echo(f"term:    {entry.source}")
        click.echo(f"english: {entry.english}")
        if entry.context:
            click.echo(f"context: {entry.context}")
        if entry.flags:
            click.echo(f"flags:   {_flags_text(entry)}")
        if entry.plural:
            click.echo(f"plural:  {entry.plural}")
        if entry.notes:
            click.echo(f"notes:   {entry.notes}")
        click.echo(f"where:   {glossary.path}:{entry.line}")


@glossary_group.command("add")
@_write_option
@click.argument("source")
@click.argument("target", required=False, default="")
@click.option("-c", "--context", default=None, help="Domain (msgctxt), e.g. defence.")
@click.option("-n", "--note", default="", help="Note: definition, source, reasoning.")
@click.option("--fuzzy", is_flag=True, help="Propose only (not enforced until approved).")
@click.option("--no-translate", is_flag=True, help="Keep the term as it is (e.g. NIS).")
@click.option("--case-sensitive", is_flag=True, help="Match the exact spelling only.")
@click.option("--no-compound", is_flag=True, help="Do not match in NAVO-top style compounds.")
@click.option("--closed-compound", is_flag=True, help="Also match as head of closed compounds.")
@click.option("--no-article", is_flag=True, help="English takes no article (NATO).")
@click.option("--plural", default=None, help="Irregular English plural.")
@click.option("--replace", "replace_existing", is_flag=True, help="Overwrite an existing term.")
def add_command(
    glossary_path: Path,
    source: str,
    target: str,
    context: str | None,
    note: str,
    fuzzy: bool,
    no_translate: bool,
    case_sensitive: bool,
    no_compound: bool,
    closed_compound: bool,
    no_article: bool,
    plural: str | None,
    replace_existing: bool,
) -> None:
    """Add a term (Dutch SOURCE → English TARGET).

    \b
    Examples:
      vertaal glossary add "vragende partij" "asking party" -g mijn.po
      vertaal glossary add NIS --no-translate --case-sensitive -g mijn.po
    """
    if not target and not no_translate:
        raise click.UsageError("give an English TARGET, or --no-translate")
    flags = [
        flag
        for flag, on in (
            (FUZZY, fuzzy),
            (NO_TRANSLATE, no_translate),
            (CASE_SENSITIVE, case_sensitive),
            (NO_COMPOUND, no_compound),
            (CLOSED_COMPOUND, closed_compound),
            (NO_ARTICLE, no_article),
        )
        if on
    ]
    if plural:
        flags.append(PLURAL_PREFIX + plural)
    entry = GlossaryEntry(
        source=source.strip(),
        target=(target or source).strip(),
        context=context or None,
        flags=tuple(flags),
        notes=note,
    )
    with edit_glossary(glossary_path) as glossary:
        replaced = glossary.add(entry, replace_existing=replace_existing)
    verb = "replaced" if replaced else "added"
    click.echo(f"{verb} {entry.describe()} in {glossary_path}", err=True)


@glossary_group.command("remove")
@_write_option
@click.argument("source")
@click.option("-c", "--context", default=None, help="Only the entry with this domain.")
def remove_command(glossary_path: Path, source: str, context: str | None) -> None:
    """Remove a term (every context unless --context is given).

    \b
    Example:
      vertaal glossary remove Kiev -g mijn.po
    """
    with edit_glossary(glossary_path, create=False) as glossary:
        removed = glossary.remove(source, context)
    for entry in removed:
        click.echo(f"removed {entry.describe()} from {glossary_path}", err=True)


@glossary_group.command("approve")
@_write_option
@click.argument("sources", nargs=-1)
@click.option("--all", "approve_all", is_flag=True, help="Approve every fuzzy entry.")
def approve_command(glossary_path: Path, sources: tuple[str, ...], approve_all: bool) -> None:
    """Approve proposed (fuzzy) terms so that they are enforced.

    \b
    Examples:
      vertaal glossary approve staakt-het-vuren -g mijn.po
      vertaal glossary approve --all -g mijn.po
    """
    if not sources and not approve_all:
        raise click.UsageError("name the terms to approve, or use --all")
    from glossary.edit import approve

    with edit_glossary(glossary_path, create=False) as glossary:
        approved = approve(glossary, sources, every=approve_all)
    click.echo(f"approved {len(approved)} terms in {glossary_path}", err=True)


@glossary_group.command("lint")
@_read_option
@domain_option
@click.option(
    "--corpus",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Dutch text; warn about terms that occur nowhere in it.",
)
@click.option("--strict", is_flag=True, help="Warnings count as errors too.")
@click.option(
    "--against-default",
    is_flag=True,
    help="Also report where -g's entries replace or shadow the shipped glossary's.",
)
def lint_command(
    glossary_path: Path | None,
    domains: tuple[str, ...],
    corpus: Path | None,
    strict: bool,
    against_default: bool,
) -> None:
    """Check a glossary: duplicates, conflicts, empty targets, fuzzy and unused terms,
    and entries shadowed by others.

    Exits 1 when there are errors (or warnings, with --strict).

    \b
    Examples:
      vertaal glossary lint -g mijn.po --corpus corpora/nos-article/source.nl.txt
      vertaal glossary lint -g mijn.po --against-default
    """
    from glossary.lint import ERROR, lint_glossary, lint_overrides

    if against_default and glossary_path is None:
        raise click.UsageError("--against-default needs -g/--glossary")
    glossary = _load(glossary_path, domains)
    lines = read_text(corpus, fix="convert it to UTF-8").splitlines() if corpus else None
    issues = lint_glossary(glossary, lines)
    if against_default:
        issues += lint_overrides(_load(None, ()), glossary)
    for issue in issues:
        click.echo(issue.format())
    errors = sum(1 for i in issues if i.severity == ERROR)
    warnings = len(issues) - errors
    click.echo(
        f"{glossary.path}: {len(glossary)} terms, {errors} errors, {warnings} warnings", err=True
    )
    if errors or (strict and warnings):
        sys.exit(1)


_EXPORT_FORMAT = click.Choice(["csv", "tsv", "tbx"])
_IMPORT_FORMAT = click.Choice(["csv", "tsv", "tbx", "po"])


@glossary_group.command("import")
@_write_option
@click.argument("source_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format", "fmt", type=_IMPORT_FORMAT, default=None, help="Default: from the extension."
)
@click.option("--fuzzy", is_flag=True, help="Mark imported terms as proposed.")
@click.option("--replace", "replace_existing", is_flag=True, help="Overwrite existing terms.")
def import_command(
    glossary_path: Path, source_file: Path, fmt: str | None, fuzzy: bool, replace_existing: bool
) -> None:
    """Import terms from CSV/TSV, TBX or another PO glossary.

    CSV delimiters (comma, semicolon, tab) are detected; a header row may name
    extra columns context, flags and note. TBX keeps status, note, domain,
    part of speech and flags.

    \b
    Examples:
      vertaal glossary import deepl.csv -g mijn.po
      vertaal glossary import termbase.tbx -g mijn.po --fuzzy
      vertaal glossary import collega.po -g mijn.po --replace
    """
    from glossary.edit import merge_entries
    from glossary.interchange import import_terms

    entries = import_terms(source_file, fmt, fuzzy=fuzzy)
    with edit_glossary(glossary_path) as glossary:
        result = merge_entries(glossary, entries, replace_existing=replace_existing)
    click.echo(
        f"imported {result.added + result.replaced} terms from {source_file} into {glossary_path}"
        + (f" ({result.kept} existing kept; --replace overwrites)" if result.kept else ""),
        err=True,
    )


@glossary_group.command("export")
@_read_option
@domain_option
@click.option(
    "--format", "fmt", type=_EXPORT_FORMAT, default=None, help="Default: from -o, else csv."
)
@click.option(
    "--full",
    is_flag=True,
    help="CSV/TSV: add context, flags and note columns (lossless; DeepL/Google take two).",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="File."
)
def export_command(
    glossary_path: Path | None,
    domains: tuple[str, ...],
    fmt: str | None,
    full: bool,
    output: Path | None,
) -> None:
    """Export a glossary as CSV/TSV (for DeepL, Google) or TBX-Basic.

    Two-column CSV/TSV leaves out flags, contexts and notes (a warning says
    what); --full and TBX keep everything, so importing gives the glossary back.

    \b
    Examples:
      vertaal glossary export -o terms.csv
      vertaal glossary export --full -g mijn.po -o mijn.csv
      vertaal glossary export --format tbx -g mijn.po > mijn.tbx
    """
    from glossary.interchange import export_terms, guess_format, lost_in_two_columns

    glossary = _load(glossary_path, domains)
    fmt = fmt or (guess_format(output) if output else "csv")
    if fmt == "po":
        raise click.BadParameter("export writes csv, tsv or tbx", param_hint="--format/-o")
    text = export_terms(glossary, fmt, full=full)
    if fmt != "tbx" and not full:
        lost = lost_in_two_columns(glossary)
        if lost:
            click.echo(
                f"warning: two columns leave out: {', '.join(lost)}; --full keeps them", err=True
            )
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic_write_text(output, text, error=GlossaryError)
        click.echo(f"exported {len(glossary)} terms to {output}", err=True)


@glossary_group.command("match")
@_read_option
@domain_option
@click.argument("text", required=False)
@click.option("--fuzzy", "include_fuzzy", is_flag=True, help="Also match fuzzy entries.")
@click.option("--json", "as_json", is_flag=True, help="Print matches as JSON.")
def match_command(
    glossary_path: Path | None,
    domains: tuple[str, ...],
    text: str | None,
    include_fuzzy: bool,
    as_json: bool,
) -> None:
    """Show which glossary terms match in TEXT (or stdin) and why.

    \b
    \b
    Examples:
      vertaal glossary match "De vragende partijen op de NAVO-top"
      vertaal glossary match --domain defence -g mijn.po "Het luchtafweersysteem"
    """
    from glossary.match import find_terms

    glossary = _load(glossary_path, domains, applying=True)
    if text is None:
        text = sys.stdin.read()
    matches = find_terms(text, glossary, include_fuzzy=include_fuzzy)
    if as_json:
        rows = [
            {
                "start": m.start,
                "end": m.end,
                "text": m.text,
                "term": m.entry.source,
                "target": m.target,
                "reason": m.reason,
                "form": m.form,
            }
            for m in matches
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for m in matches:
        click.echo(f"{m.start}-{m.end}\t{m.text!r}\t→ {m.target}\t[{m.reason}]")
    click.echo(f"{len(matches)} terms matched", err=True)


@glossary_group.command("extract")
@click.argument("corpus", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_read_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Add the candidates as fuzzy entries to this PO file (default: print them).",
)
@click.option(
    "--min-count",
    type=click.IntRange(1, 1_000_000),
    default=2,
    show_default=True,
    help="Minimum occurrences (acronyms and multi-word names: 1).",
)
@click.option(
    "--top",
    type=click.IntRange(0, 100_000),
    default=50,
    show_default=True,
    help="Propose the N candidates of highest termhood (0 = all).",
)
@click.option(
    "--english/--no-english",
    default=True,
    show_default=True,
    help="Ask the model for each term's English rendering in its sentence.",
)
@click.option("--model", "model_spec", metavar="NAME|PATH", help="Installed package name or path.")
def extract_command(
    corpus: Path,
    glossary_path: Path | None,
    output: Path | None,
    min_count: int,
    top: int,
    english: bool,
    model_spec: str | None,
) -> None:
    """Propose candidate terms from a Dutch CORPUS as fuzzy entries for review.

    Finds acronyms, names, compounds (Noord-Korea, inlichtingendienst) and
    adjective-noun phrases (ballistische raketten), ranks them by termhood
    against general Dutch, and proposes each with the model's English
    rendering in context and the sentence it came from as a comment. Terms
    already in the glossary (-g, default the shipped one) are left out.

    \b
    Examples:
      vertaal glossary extract artikel.nl.txt -o voorstel.po
      vertaal glossary extract nieuws.nl.txt --top 100 --no-english
    """
    from glossary.extract import propose_terms

    known = _load(glossary_path)
    lines = read_text(corpus, fix="convert it to UTF-8").splitlines()
    translate = None
    placeholder_token = None
    if english:
        from translate.engine import Engine
        from translate.packages import resolve_package
        from translate.placeholders import placeholder

        engine = Engine.load(resolve_package(model_spec))
        translate = engine.translate_sentences
        placeholder_token = placeholder(1) if engine.supports_placeholders else None
    entries = propose_terms(
        lines,
        known,
        min_count=min_count,
        top=top,
        translate=translate,
        placeholder_token=placeholder_token,
    )
    if output is None:
        for entry in entries:
            first_note_line = entry.notes.split("\n")[0]
            click.echo(f"{entry.source}\t{entry.target}\t{first_note_line}")
    else:
        from glossary.edit import add_proposals

        with edit_glossary(output) as glossary:
            added = add_proposals(glossary, entries)
        click.echo(f"proposed {added} fuzzy terms in {output}", err=True)
