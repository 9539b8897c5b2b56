"""Package discovery, validation, installation and removal (no network)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from translate.errors import PackageError
from translate.packages import (
    bundled_package_path,
    install_package_dir,
    install_package_file,
    installed_packages,
    load_package,
    package_index_url,
    packages_dir,
    remove_package,
    resolve_package,
    scan_packages,
)


def _leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


def test_packages_dir_follows_argos_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "custom"))
    assert packages_dir() == tmp_path / "custom"
    monkeypatch.delenv("ARGOS_PACKAGES_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert packages_dir() == tmp_path / "data" / "argos-translate" / "packages"
    settings = tmp_path / "config" / "argos-translate" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"ARGOS_PACKAGES_DIR": str(tmp_path / "from-file")}))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert packages_dir() == tmp_path / "from-file"


def test_index_url_accepts_a_base_url_like_argos(monkeypatch: pytest.MonkeyPatch) -> None:
    assert package_index_url().endswith("/index.json")
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "http://127.0.0.1:9/argos/")
    assert package_index_url() == "http://127.0.0.1:9/argos/index.json"
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "http://127.0.0.1:9/my-index.json")
    assert package_index_url() == "http://127.0.0.1:9/my-index.json"


def test_importing_packages_creates_no_directories(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(tmp_path / "d"),
        "XDG_CONFIG_HOME": str(tmp_path / "c"),
    }
    env.pop("ARGOS_PACKAGES_DIR", None)
    subprocess.run(
        [sys.executable, "-c", "import translate.packages as p; p.installed_packages()"],
        check=True,
        env=env,
    )
    assert not (tmp_path / "d").exists() and not (tmp_path / "c").exists()


@pytest.mark.parametrize(
    ("remove", "problem"),
    [
        ("metadata.json", "no metadata.json"),
        ("model/model.bin", "no model/model.bin"),
        ("sentencepiece.model", "no sentencepiece.model or bpe.model"),
    ],
)
def test_incomplete_directories_are_not_packages(
    tmp_path: Path, remove: str, problem: str, fake_package
) -> None:
    directory = fake_package(tmp_path / "pkg")
    (directory / remove).unlink()
    with pytest.raises(PackageError, match=problem):
        load_package(directory)


def test_install_file_then_list_and_remove(
    tmp_path: Path, packages_root: Path, fake_package, zip_package, copy_package
) -> None:
    archive = zip_package(copy_package(tmp_path / "src"), tmp_path / "x.argosmodel")
    package = install_package_file(archive)
    assert package.path == packages_root / "translate-nl_en-1_0"
    assert [p.name for p in installed_packages()] == ["translate-nl_en-1_0"]
    assert _leftovers(packages_root) == ["translate-nl_en-1_0"]
    with pytest.raises(PackageError, match="is installed"):
        install_package_file(archive)
    install_package_file(archive, replace=True)
    assert remove_package("translate-nl_en-1_0") == package.path
    assert _leftovers(packages_root) == []
    with pytest.raises(PackageError, match="no installed package named"):
        remove_package("translate-nl_en-1_0")


def test_flat_archive_is_named_after_the_file(
    tmp_path: Path, packages_root: Path, fake_package, zip_package, copy_package
) -> None:
    archive = zip_package(
        copy_package(tmp_path / "src"), tmp_path / "flat-nl-en.argosmodel", top=None
    )
    assert install_package_file(archive).name == "flat-nl-en"


def test_install_directory_copies_it(
    tmp_path: Path, packages_root: Path, fake_package, copy_package
) -> None:
    source = copy_package(tmp_path / "my-nl-en")
    package = install_package_dir(source)
    assert package.path == packages_root / "my-nl-en"
    assert source.is_dir()


def test_wrong_language_pair_needs_any_pair(
    tmp_path: Path, packages_root: Path, fake_package, zip_package, copy_package
) -> None:
    archive = zip_package(
        copy_package(tmp_path / "src", from_code="de", to_code="en"), tmp_path / "de.argosmodel"
    )
    with pytest.raises(PackageError, match=r"de→en, not nl→en; pass --any-pair"):
        install_package_file(archive)
    assert _leftovers(packages_root) == []
    assert install_package_file(archive, any_pair=True).languages == "de→en"


def _zip_with(path: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            zf.writestr(info, data)
    return path


def _symlink_entry(name: str, target: str) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target.encode()


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (("pkg/../../evil.txt", b"x"), "escapes the package directory"),
        (("/etc/evil.txt", b"x"), "absolute path"),
        (_symlink_entry("pkg/model/vocab.txt", "/etc/passwd"), "symbolic link"),
    ],
)
def test_unsafe_archives_are_refused(
    tmp_path: Path,
    packages_root: Path,
    entry: tuple[zipfile.ZipInfo | str, bytes],
    problem: str,
    fake_package,
) -> None:
    good = fake_package(tmp_path / "src")
    entries: list[tuple[zipfile.ZipInfo | str, bytes]] = [
        (f"pkg/{p.relative_to(good).as_posix()}", p.read_bytes())
        for p in good.rglob("*")
        if p.is_file()
    ]
    archive = _zip_with(tmp_path / "bad.argosmodel", [*entries, entry])
    with pytest.raises(PackageError, match=problem) as raised:
        install_package_file(archive)
    assert "\n" not in raised.value.message
    assert _leftovers(packages_root) == []
    assert not (tmp_path / "evil.txt").exists()


def test_zip_bomb_is_refused(tmp_path: Path, packages_root: Path, fake_package) -> None:
    good = fake_package(tmp_path / "src")
    archive = _zip_with(
        tmp_path / "bomb.argosmodel",
        [
            (f"pkg/{p.relative_to(good).as_posix()}", p.read_bytes())
            for p in good.rglob("*")
            if p.is_file()
        ]
        + [("pkg/padding.bin", bytes(5_000_000))],
    )
    assert archive.stat().st_size < 100_000
    with pytest.raises(PackageError, match="more than the limit"):
        install_package_file(archive, max_unpacked_bytes=1_000_000)
    assert _leftovers(packages_root) == []


def test_lying_sizes_in_the_zip_directory_are_caught(
    tmp_path: Path, packages_root: Path, fake_package
) -> None:
    good = fake_package(tmp_path / "src")
    archive = tmp_path / "liar.argosmodel"
    _zip_with(
        archive,
        [
            (f"pkg/{p.relative_to(good).as_posix()}", p.read_bytes())
            for p in good.rglob("*")
            if p.is_file()
        ]
        + [("pkg/padding.bin", bytes(3_000_000))],
    )
    # rewrite the declared size of padding.bin (central directory and local header) to 10 bytes
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo("pkg/padding.bin")
    for signature, size_offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            name_offset = 30 if signature == b"PK\x03\x04" else 46
            if (
                data[start + name_offset : start + name_offset + len(info.filename)]
                == info.filename.encode()
            ):
                data[start + size_offset : start + size_offset + 4] = (10).to_bytes(4, "little")
            start += 4
    archive.write_bytes(bytes(data))
    with pytest.raises(PackageError):
        install_package_file(archive, max_unpacked_bytes=1_000_000)
    assert _leftovers(packages_root) == []


def test_not_a_zip_and_not_a_package(tmp_path: Path, packages_root: Path) -> None:
    text = tmp_path / "notes.argosmodel"
    text.write_text("hello")
    with pytest.raises(PackageError, match="not a zip file"):
        install_package_file(text)
    empty = _zip_with(tmp_path / "empty.argosmodel", [("README.md", b"hi"), ("other.txt", b"x")])
    with pytest.raises(PackageError, match=r"no metadata\.json"):
        install_package_file(empty)
    assert _leftovers(packages_root) == []


def test_broken_installed_directories_are_reported_not_fatal(
    packages_root: Path, tmp_path: Path, fake_package
) -> None:
    (packages_root / "junk").mkdir(parents=True)
    fake_package(packages_root / "good")
    found, broken = scan_packages()
    assert [p.name for p in found] == ["good"]
    assert broken[0][0].name == "junk"


def test_resolve_prefers_installed_nl_en_with_highest_version(
    packages_root: Path, fake_package
) -> None:
    old = fake_package(packages_root / "a-old")
    new = fake_package(packages_root / "b-new")
    fake_package(packages_root / "c-german", "de", "en")
    for directory, version in ((old, "1.2"), (new, "1.10")):
        metadata = json.loads((directory / "metadata.json").read_text())
        metadata["package_version"] = version
        (directory / "metadata.json").write_text(json.dumps(metadata))
    assert resolve_package(None).name == "b-new"
    assert resolve_package("a-old").name == "a-old"
    assert resolve_package(str(old)).path == old
    with pytest.raises(PackageError, match="no installed package named 'nope'"):
        resolve_package("nope")


def test_resolve_falls_back_to_the_bundled_package(packages_root: Path) -> None:
    package = resolve_package(None)
    assert package.bundled and package.path == bundled_package_path()
    assert package.is_nl_en
    assert resolve_package("bundled") == package


def test_bundled_package_cannot_be_removed() -> None:
    with pytest.raises(PackageError, match="cannot be removed"):
        remove_package("bundled")


_ARGOS_LIST = (
    "from argostranslate import package\n"
    "print(sorted(p.package_path.name for p in package.get_installed_packages()))"
)


def test_argospm_sees_what_vertaal_installs_and_vice_versa(
    tmp_path: Path, packages_root: Path, fake_package, zip_package, copy_package
) -> None:
    install_package_file(
        zip_package(copy_package(tmp_path / "ours"), tmp_path / "ours.argosmodel", "ours")
    )
    env = {**os.environ}
    listed = subprocess.run(
        [sys.executable, "-c", _ARGOS_LIST], env=env, check=True, capture_output=True, text=True
    )
    assert listed.stdout.strip() == "['ours']"
    theirs = zip_package(
        copy_package(tmp_path / "theirs"), tmp_path / "theirs.argosmodel", "theirs"
    )
    subprocess.run(
        [
            sys.executable,
            "-c",
            f"from argostranslate import package; package.install_from_path({str(theirs)!r})",
        ],
        env=env,
        check=True,
    )
    assert sorted(p.name for p in installed_packages()) == ["ours", "theirs"]
