"""``vertaal models``: list, install and remove Argos packages (and train, lazily)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from translate.cli import LazyGroup
from translate.errors import PackageError

_LAZY = {
    "train": "translate.cli.train_cmd:train_command",
    "session": "translate.cli.session_cmd:session_group",
}
_LAZY_HELP = {
    "train": "Train a small nl→en model and export it as an Argos package.",
    "session": "Train reverse model, back-translation and forward model in one GPU session.",
}


@click.group(
    "models",
    cls=LazyGroup,
    lazy_commands=_LAZY,
    lazy_help=_LAZY_HELP,
    context_settings={"help_option_names": ["-h", "--help"]},
)
def models_group() -> None:
    """List, install, remove and train Argos nl→en packages.

    Packages are stored where argostranslate keeps them (ARGOS_PACKAGES_DIR,
    else ~/.local/share/argos-translate/packages), so packages installed with
    argospm show up here and the other way round.

    \b
    Examples:
      vertaal models list
      vertaal models install nl en
      vertaal models remove translate-nl_en-1_9
    """


def _human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


@models_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
def list_command(as_json: bool) -> None:
    """Show installed packages and the bundled one.

    \b
    Examples:
      vertaal models list
      vertaal models list --json
    """
    from translate.packages import bundled_package, bundled_package_path, scan_packages

    packages, broken = scan_packages()
    if bundled_package_path().is_dir():
        try:
            packages.append(bundled_package())
        except PackageError as error:
            broken.append((bundled_package_path(), str(error)))
    rows: list[dict[str, Any]] = [package.to_dict() for package in packages]
    if as_json:
        payload = {
            "packages": rows,
            "broken": [{"path": str(path), "problem": problem} for path, problem in broken],
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("no packages installed; run `vertaal models install nl en`")
    table = [("NAME", "LANGUAGES", "VERSION", "SIZE", "PATH")] + [
        (
            str(row["name"]) + (" (bundled)" if row["bundled"] else ""),
            f"{row['from_code']}→{row['to_code']}",
            str(row["version"]),
            _human_size(int(row["size_bytes"])),
            str(row["path"]),
        )
        for row in rows
    ]
    if rows:
        widths = [max(len(line[i]) for line in table) for i in range(4)]
        for line in table:
            cells = [cell.ljust(width) for cell, width in zip(line, widths, strict=False)]
            click.echo("  ".join([*cells, line[4]]))
    for path, problem in broken:
        click.echo(f"warning: {path}: skipped ({problem})", err=True)


@models_group.command("install")
@click.argument("source")
@click.argument("target_language", required=False)
@click.option("--any-pair", is_flag=True, help="Allow packages for other language pairs.")
@click.option(
    "--force", "replace", is_flag=True, help="Replace an installed package of the same name."
)
@click.option(
    "--index",
    "index_url",
    metavar="URL",
    help="Package index (index.json URL); default: $ARGOS_PACKAGE_INDEX or the official one.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(1, 3600),
    default=30.0,
    show_default=True,
    help="Seconds to wait for a connection or for the next bytes of a download.",
)
@click.option(
    "--deadline",
    type=click.FloatRange(10, 86_400),
    default=3600.0,
    show_default=True,
    help="Seconds the whole package download may take.",
)
def install_command(
    source: str,
    target_language: str | None,
    any_pair: bool,
    replace: bool,
    index_url: str | None,
    timeout: float,
    deadline: float,
) -> None:
    """Install a package from a file, a directory, or the package index.

    Every package is loaded and translates a test sentence before it is
    installed; a package that fails is refused and nothing changes.

    \b
    Examples:
      vertaal models install translate-nl_en-1_9.argosmodel
      vertaal models install ./my-package-dir
      vertaal models install nl en        # download from the package index
    """
    from translate import packages

    if target_language is not None:
        click.echo(f"looking up {source}→{target_language} in the package index", err=True)
        package = packages.install_from_index(
            source,
            target_language,
            index_url=index_url,
            limits=packages.DownloadLimits(timeout=timeout, deadline=deadline),
            any_pair=any_pair,
            replace=replace,
        )
    else:
        path = Path(source)
        if path.is_dir():
            package = packages.install_package_dir(path, any_pair=any_pair, replace=replace)
        elif path.is_file():
            package = packages.install_package_file(path, any_pair=any_pair, replace=replace)
        else:
            raise PackageError(
                f"{source}: no such file or directory; to download from the package index "
                "give a language pair: `vertaal models install nl en`"
            )
    click.echo(
        f"installed {package.name} ({package.languages}, version {package.package_version}) "
        f"at {package.path}"
    )


@models_group.command("remove")
@click.argument("name")
def remove_command(name: str) -> None:
    """Uninstall the installed package NAME (see `vertaal models list`).

    \b
    Example:
      vertaal models remove translate-nl_en-1_9
    """
    from translate.packages import remove_package

    path = remove_package(name)
    click.echo(f"removed {name} ({path})")
