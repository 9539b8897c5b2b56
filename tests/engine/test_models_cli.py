"""``vertaal models list | install | remove``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from translate.cli import cli
from translate.packages import bundled_package_path


def test_install_list_remove_round_trip(
    runner: CliRunner,
    tmp_path: Path,
    packages_root: Path,
    fake_package: Any,
    zip_package: Any,
    copy_package,
) -> None:
    archive = zip_package(copy_package(tmp_path / "src"), tmp_path / "x.argosmodel", "my-nl-en")
    installed = runner.invoke(cli, ["models", "install", str(archive)])
    assert installed.exit_code == 0, installed.output
    metadata = json.loads((bundled_package_path() / "metadata.json").read_text(encoding="utf-8"))
    version = metadata["package_version"]  # a copy of the bundled package
    assert (
        f"installed my-nl-en (nl→en, version {version}) at {packages_root / 'my-nl-en'}"
        in installed.stdout
    )

    listed = runner.invoke(cli, ["models", "list", "--json"])
    payload = json.loads(listed.stdout)
    rows = {row["name"]: row for row in payload["packages"]}
    assert rows["my-nl-en"]["from_code"] == "nl" and rows["my-nl-en"]["bundled"] is False
    assert rows["my-nl-en"]["size_bytes"] > 0
    assert rows["bundled"]["bundled"] is True
    assert rows["bundled"]["path"] == str(bundled_package_path())

    table = runner.invoke(cli, ["models", "list"])
    assert table.stdout.splitlines()[0].split() == ["NAME", "LANGUAGES", "VERSION", "SIZE", "PATH"]
    assert any(line.startswith("bundled (bundled)") for line in table.stdout.splitlines())

    removed = runner.invoke(cli, ["models", "remove", "my-nl-en"])
    assert removed.exit_code == 0 and not (packages_root / "my-nl-en").exists()


def test_install_directory_and_errors(
    runner: CliRunner, tmp_path: Path, packages_root: Path, fake_package: Any, copy_package
) -> None:
    source = copy_package(tmp_path / "dir-pkg")
    assert runner.invoke(cli, ["models", "install", str(source)]).exit_code == 0
    again = runner.invoke(cli, ["models", "install", str(source)])
    assert again.exit_code == 1 and "--force" in again.stderr
    assert runner.invoke(cli, ["models", "install", "--force", str(source)]).exit_code == 0

    missing = runner.invoke(cli, ["models", "install", str(tmp_path / "nope.argosmodel")])
    assert missing.exit_code == 1
    assert (
        "no such file or directory" in missing.stderr and "models install nl en" in missing.stderr
    )

    german = copy_package(tmp_path / "de-pkg", from_code="de", to_code="en")
    refused = runner.invoke(cli, ["models", "install", str(german)])
    assert refused.exit_code == 1 and "--any-pair" in refused.stderr
    assert runner.invoke(cli, ["models", "install", "--any-pair", str(german)]).exit_code == 0

    pair = runner.invoke(cli, ["models", "install", "de", "fr"])
    assert pair.exit_code == 1 and "not de→fr" in pair.stderr

    gone = runner.invoke(cli, ["models", "remove", "nope"])
    assert gone.exit_code == 1 and "no installed package named 'nope'" in gone.stderr


def test_list_warns_about_broken_directories(runner: CliRunner, packages_root: Path) -> None:
    (packages_root / "half-installed").mkdir(parents=True)
    result = runner.invoke(cli, ["models", "list"])
    assert result.exit_code == 0
    assert "half-installed: skipped (" in result.stderr
