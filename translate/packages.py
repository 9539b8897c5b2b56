"""Argos Translate packages: discovery, validation, installation and the package index.

Packages live where ``argostranslate`` keeps them (``ARGOS_PACKAGES_DIR``, else
``$XDG_DATA_HOME/argos-translate/packages``), so a package installed with
``argospm`` is seen here and the other way round. The paths are computed here
rather than taken from ``argostranslate.settings``, which creates directories
as a side effect of being imported.

Installing never leaves half a package behind: an archive is unpacked into a
hidden staging directory next to the installed packages, checked (safe entry
names, no links, bounded size, a real Argos package for the right language
pair, a model that loads and translates a test sentence) and only then renamed
into place. Downloads have a connect timeout, a read timeout and an overall
deadline, and the index is validated against a JSON schema first.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import shutil
import stat
import tempfile
import time
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from translate.errors import ModelError, PackageError, option
from translate.languages import SOURCE_LANGUAGE, TARGET_LANGUAGE

OFFICIAL_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
"""The index ``argospm`` uses; ``ARGOS_PACKAGE_INDEX`` overrides it."""

MAX_UNPACKED_BYTES = 4 * 1024**3
"""Refuse archives that unpack to more than this (official packages are < 500 MB)."""

MAX_ARCHIVE_ENTRIES = 10_000
MAX_DOWNLOAD_BYTES = 4 * 1024**3
DEFAULT_TIMEOUT_S = 30.0
BUNDLED_NAME = "bundled"
STAGING_PREFIX = ".vertaal-"
SMOKE_TEST_SENTENCE = "Dit is een korte test."
"""Translated by every package before it is installed."""
_USER_AGENT = "vertaal (Argos package installer)"


@dataclass(frozen=True)
class ArgosPackage:
    """An unpacked Argos package directory (``metadata.json``, ``model/``, tokenizer)."""

    path: Path
    from_code: str
    to_code: str
    package_version: str
    name: str
    metadata: dict[str, Any] = field(compare=False, hash=False, repr=False)
    bundled: bool = False

    @property
    def model_dir(self) -> Path:
        """The CTranslate2 model directory."""
        return self.path / "model"

    @property
    def supports_placeholders(self) -> bool:
        """Whether the model was trained to copy glossary placeholders ``｟i｠``."""
        return self.metadata.get("placeholders") is True

    @property
    def target_prefix(self) -> str:
        """Token the decoder must start with (multilingual packages), or ``""``."""
        return str(self.metadata.get("target_prefix") or "")

    @property
    def tokenizer_kind(self) -> str:
        """``"sentencepiece"`` or ``"bpe"``, from the files present."""
        return "sentencepiece" if (self.path / "sentencepiece.model").is_file() else "bpe"

    @property
    def tokenizer_path(self) -> Path:
        """The SentencePiece or BPE model file."""
        if self.tokenizer_kind == "sentencepiece":
            return self.path / "sentencepiece.model"
        return self.path / "bpe.model"

    @property
    def languages(self) -> str:
        """``"nl→en"``."""
        return f"{self.from_code}→{self.to_code}"

    @property
    def is_nl_en(self) -> bool:
        """Whether this package translates Dutch into English."""
        return self.from_code == SOURCE_LANGUAGE and self.to_code == TARGET_LANGUAGE

    def size_bytes(self) -> int:
        """Total size of the package's files."""
        return sum(p.stat().st_size for p in self.path.rglob("*") if p.is_file())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record (``vertaal models list --json``)."""
        return {
            "name": self.name,
            "code": self.metadata.get("code") or f"translate-{self.from_code}_{self.to_code}",
            "from_code": self.from_code,
            "to_code": self.to_code,
            "version": self.package_version,
            "size_bytes": self.size_bytes(),
            "path": str(self.path),
            "bundled": self.bundled,
            "placeholders": self.supports_placeholders,
        }


# --------------------------------------------------------------------------- locations


def _home() -> Path:
    # argostranslate keeps snap users' data in the snap's own home
    snap_home = os.environ.get("SNAP_USER_DATA")
    if "SNAP" in os.environ and snap_home:
        return Path(snap_home)
    return Path.home()


def _argos_setting(key: str) -> str | None:
    """A setting the way argostranslate reads it: environment, then settings.json."""
    value = os.environ.get(key)
    if value is not None:
        return value
    config_home = Path(os.environ.get("XDG_CONFIG_HOME") or _home() / ".config")
    settings_file = config_home / "argos-translate" / "settings.json"
    try:
        settings = json.loads(settings_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    found = settings.get(key) if isinstance(settings, dict) else None
    return str(found) if found is not None else None


def packages_dir() -> Path:
    """Where installed packages live (shared with ``argospm``); not created here."""
    configured = _argos_setting("ARGOS_PACKAGES_DIR")
    if configured:
        return Path(configured).expanduser()
    data_home = Path(os.environ.get("XDG_DATA_HOME") or _home() / ".local" / "share")
    return data_home / "argos-translate" / "packages"


def package_index_url() -> str:
    """URL of the package index: ``ARGOS_PACKAGE_INDEX`` or the official index.

    Like argostranslate, a value that is a base URL (not ending in ``.json``)
    gets ``index.json`` appended.
    """
    configured = _argos_setting("ARGOS_PACKAGE_INDEX")
    if not configured:
        return OFFICIAL_INDEX_URL
    if configured.endswith(".json"):
        return configured
    return configured.rstrip("/") + "/index.json"


def bundled_package_path() -> Path:
    """The small nl→en package shipped inside vertaal (an unpacked directory)."""
    return Path(__file__).resolve().parent / "bundled" / "nl_en"


# --------------------------------------------------------------------------- loading


def load_package(path: Path, *, bundled: bool = False, name: str | None = None) -> ArgosPackage:
    """Read and check an unpacked package directory; :class:`PackageError` if unusable."""
    path = Path(path)
    if not path.is_dir():
        raise PackageError(f"{path}: not a package directory")
    metadata_path = path / "metadata.json"
    if not metadata_path.is_file():
        raise PackageError(f"{path}: not an Argos package (no metadata.json)")
    try:
        metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise PackageError(f"{metadata_path}: unreadable metadata ({error})") from None
    if not isinstance(metadata, dict):
        raise PackageError(f"{metadata_path}: metadata must be a JSON object")
    if not (path / "model" / "model.bin").is_file():
        raise PackageError(f"{path}: not an Argos package (no model/model.bin)")
    if not ((path / "sentencepiece.model").is_file() or (path / "bpe.model").is_file()):
        raise PackageError(
            f"{path}: not an Argos package (no sentencepiece.model or bpe.model tokenizer)"
        )
    from_code = metadata.get("from_code")
    to_code = metadata.get("to_code")
    if not isinstance(from_code, str) or not isinstance(to_code, str):
        raise PackageError(f"{metadata_path}: from_code and to_code missing")
    return ArgosPackage(
        path=path,
        from_code=from_code,
        to_code=to_code,
        package_version=str(metadata.get("package_version", "")),
        name=name or (BUNDLED_NAME if bundled else path.name),
        metadata=metadata,
        bundled=bundled,
    )


def scan_packages() -> tuple[list[ArgosPackage], list[tuple[Path, str]]]:
    """Installed packages, and ``(directory, problem)`` for directories that are not."""
    found: list[ArgosPackage] = []
    broken: list[tuple[Path, str]] = []
    root = packages_dir()
    if not root.is_dir():
        return found, broken
    for entry in sorted(root.iterdir()):
        if not entry.is_dir() or entry.name.startswith("."):
            continue
        try:
            found.append(load_package(entry))
        except PackageError as error:
            broken.append((entry, str(error)))
    return found, broken


def installed_packages() -> list[ArgosPackage]:
    """Valid packages in :func:`packages_dir` (any language pair), sorted by name."""
    return scan_packages()[0]


def bundled_package() -> ArgosPackage:
    """The bundled package; :class:`PackageError` if it is missing from this install."""
    return load_package(bundled_package_path(), bundled=True)


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


def resolve_package(
    spec: str | None, pair: tuple[str, str] | None = (SOURCE_LANGUAGE, TARGET_LANGUAGE)
) -> ArgosPackage:
    """The package to translate with, which must translate ``pair`` (``None``: any pair).

    ``spec`` ``None``: the installed package for ``pair`` with the highest
    version, else the bundled one. Otherwise ``spec`` is an installed package
    name, ``bundled``, or the path of a package directory. Every command that
    takes a model (translate, batch, evaluate) resolves it here.
    """
    package = _find_package(spec, pair)
    if pair is not None and (package.from_code, package.to_code) != pair:
        raise ModelError(
            f"{package.path}: package translates {package.languages}, not {pair[0]}→{pair[1]}",
            hint=f"choose another with {option('model')}",
        )
    return package


def _find_package(spec: str | None, pair: tuple[str, str] | None) -> ArgosPackage:
    if spec is None:
        candidates = [
            package
            for package in installed_packages()
            if pair is None or (package.from_code, package.to_code) == pair
        ]
        if candidates:
            return max(candidates, key=lambda p: (_version_key(p.package_version), p.name))
        if not bundled_package_path().is_dir():
            raise PackageError(
                "no nl→en model installed and no bundled model; run `vertaal models install nl en`"
            )
        return bundled_package()
    if spec == BUNDLED_NAME:
        return bundled_package()
    for package in installed_packages():
        if package.name == spec:
            return package
    as_path = Path(spec).expanduser()
    if as_path.exists():
        return load_package(as_path)
    raise PackageError(
        f"no installed package named {spec!r} and no such directory; see `vertaal models list`"
    )


# --------------------------------------------------------------------------- installing


def _check_pair(package: ArgosPackage, any_pair: bool, origin: object) -> None:
    if not any_pair and not package.is_nl_en:
        raise PackageError(
            f"{origin}: package translates {package.languages}, not "
            f"{SOURCE_LANGUAGE}→{TARGET_LANGUAGE}; pass {option('any_pair')} to install it anyway"
        )


@contextlib.contextmanager
def _staging_dir(root: Path) -> Iterator[Path]:
    """A hidden temporary directory inside ``root``, removed on exit unless moved away.

    Its name carries the host and process id, so staging directories that a
    killed install (SIGKILL, power loss) left behind are recognised and removed
    by the next one.
    """
    root.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_staging(root)
    owner = f"{STAGING_PREFIX}{_host_tag()}-{os.getpid()}-"
    staging = Path(tempfile.mkdtemp(prefix=owner, dir=root))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _host_tag() -> str:
    return re.sub(r"[^A-Za-z0-9]", "", platform.node())[:32] or "host"


def _remove_abandoned_staging(root: Path) -> None:
    """Remove staging directories of processes on this host that no longer run."""
    pattern = re.compile(re.escape(f"{STAGING_PREFIX}{_host_tag()}-") + r"(\d+)-")
    for entry in root.iterdir():
        found = pattern.match(entry.name)
        if found and entry.is_dir() and not _process_alive(int(found.group(1))):
            shutil.rmtree(entry, ignore_errors=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _check_translates(package_dir: Path, origin: object) -> None:
    """Load the model in ``package_dir`` and translate one sentence, or refuse the package.

    A package whose model or tokenizer is corrupt would otherwise be installed,
    become the preferred model, and make every later translation fail.
    """
    from translate.engine import Engine, EngineOptions

    package = load_package(package_dir)
    try:
        engine = Engine(package, EngineOptions(beam_size=1, inter_threads=1, intra_threads=1))
        output = engine.translate_sentences([SMOKE_TEST_SENTENCE])[0]
    except (ModelError, RuntimeError, ValueError, OSError, IndexError) as error:
        # name files inside the package, not the staging directory they sit in
        reason = str(error).replace(f"{package_dir}{os.sep}", "").splitlines()
        raise PackageError(
            f"{origin}: the model does not load or translate "
            f"({(reason[0] if reason else type(error).__name__)[:300]}); nothing was installed"
        ) from None
    if not output.strip():
        raise PackageError(
            f"{origin}: the model translated a test sentence to nothing; nothing was installed"
        )


def _move_into_place(package_dir: Path, target: Path, replace: bool, staging: Path) -> None:
    """Rename a checked package directory to its final name (atomically per directory)."""
    if target.exists():
        if not replace:
            raise PackageError(
                f"{target}: a package with this name is installed",
                hint=f"remove it first (`vertaal models remove {target.name}`) "
                f"or pass {option('replace')}",
            )
        # move the old one into the staging dir, which is deleted afterwards
        target.rename(staging / "previous")
    package_dir.rename(target)


def _entry_problem(info: zipfile.ZipInfo) -> str | None:
    """Why an archive entry must not be extracted, or ``None`` when it is safe."""
    name = info.filename
    if "\\" in name or "\x00" in name:
        return f"unsafe entry name {name!r}"
    pure = PurePosixPath(name)
    if pure.is_absolute() or re.match(r"^[A-Za-z]:", name):
        return f"entry {name!r} has an absolute path"
    if ".." in pure.parts:
        return f"entry {name!r} escapes the package directory"
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return f"entry {name!r} is a symbolic link"
    # many tools store permission bits only (file type 0), which means a plain file
    if stat.S_IFMT(mode) and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return f"entry {name!r} is not a regular file"
    return None


def _extract(archive: Path, destination: Path, max_bytes: int) -> None:
    """Unpack ``archive`` into ``destination`` after checking every entry."""
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as error:
        raise PackageError(f"{archive}: not an Argos package (not a zip file: {error})") from None
    with zf:
        entries = zf.infolist()
        if len(entries) > MAX_ARCHIVE_ENTRIES:
            raise PackageError(f"{archive}: too many entries ({len(entries)})")
        declared = 0
        for info in entries:
            problem = _entry_problem(info)
            if problem:
                raise PackageError(f"{archive}: unsafe archive: {problem}")
            declared += info.file_size
        if declared > max_bytes:
            raise PackageError(
                f"{archive}: unpacks to {declared} bytes, more than the limit of {max_bytes}"
            )
        written = 0
        for info in entries:
            target = destination.joinpath(*PurePosixPath(info.filename).parts)
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with zf.open(info) as source, target.open("wb") as sink:
                    # count real bytes: the sizes in the directory can lie
                    while chunk := source.read(1 << 20):
                        written += len(chunk)
                        if written > max_bytes:
                            raise PackageError(
                                f"{archive}: unpacks to more than the limit of {max_bytes} bytes"
                            )
                        sink.write(chunk)
            except (zipfile.BadZipFile, EOFError, OSError, RuntimeError) as error:
                raise PackageError(
                    f"{archive}: damaged archive at {info.filename!r} ({error})"
                ) from None


def _package_root(unpacked: Path, archive: Path) -> Path:
    """The package directory inside an unpacked archive (flat or one top folder)."""
    if (unpacked / "metadata.json").is_file():
        return unpacked
    children = [child for child in unpacked.iterdir() if child.name != "__MACOSX"]
    if len(children) == 1 and children[0].is_dir():
        return children[0]
    raise PackageError(f"{archive}: not an Argos package (no metadata.json)")


def install_package_file(
    archive: Path,
    *,
    any_pair: bool = False,
    replace: bool = False,
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
    name: str | None = None,
    expect_pair: tuple[str, str] | None = None,
) -> ArgosPackage:
    """Install an ``.argosmodel`` archive; returns the installed package.

    ``name`` names a flat archive's package (default: the archive's stem);
    ``expect_pair`` rejects a package for another pair than the one asked for.
    """
    archive = Path(archive)
    if not archive.is_file():
        raise PackageError(f"{archive}: no such file")
    root = packages_dir()
    with _staging_dir(root) as staging:
        unpacked = staging / "unpacked"
        unpacked.mkdir()
        _extract(archive, unpacked, max_unpacked_bytes)
        package_dir = _package_root(unpacked, archive)
        if package_dir != unpacked:
            name = package_dir.name
        name = name or archive.stem
        _check_name(name, archive)
        checked = load_package(package_dir)
        if expect_pair and (checked.from_code, checked.to_code) != expect_pair:
            raise PackageError(
                f"{archive}: expected a {expect_pair[0]}→{expect_pair[1]} package, "
                f"got {checked.languages}"
            )
        _check_pair(checked, any_pair, archive)
        _check_translates(package_dir, archive)
        _move_into_place(package_dir, root / name, replace, staging)
    return load_package(root / name)


def _check_name(name: str, origin: object) -> None:
    if not name or name.startswith(".") or name == BUNDLED_NAME or "/" in name:
        raise PackageError(f"{origin}: unusable package name {name!r}")


def install_package_dir(
    directory: Path, *, any_pair: bool = False, replace: bool = False
) -> ArgosPackage:
    """Install (copy) an unpacked package directory; returns the installed package."""
    directory = Path(directory)
    checked = load_package(directory)
    _check_pair(checked, any_pair, directory)
    for path in directory.rglob("*"):
        if path.is_symlink():
            raise PackageError(f"{directory}: unsafe package: {path} is a symbolic link")
    name = directory.resolve().name
    _check_name(name, directory)
    root = packages_dir()
    if directory.resolve().parent == root.resolve():
        raise PackageError(f"{directory}: already installed")
    with _staging_dir(root) as staging:
        copy = staging / name
        shutil.copytree(directory, copy)
        _check_translates(copy, directory)
        _move_into_place(copy, root / name, replace, staging)
    return load_package(root / name)


def remove_package(name: str) -> Path:
    """Uninstall the installed package ``name``; returns the directory it occupied."""
    if name == BUNDLED_NAME:
        raise PackageError("the bundled package cannot be removed")
    for package in installed_packages():
        if package.name == name:
            break
    else:
        raise PackageError(f"no installed package named {name!r}; see `vertaal models list`")
    with _staging_dir(packages_dir()) as staging:
        # a rename first, so the package disappears at once even if deletion is slow
        package.path.rename(staging / "removed")
    return package.path


# --------------------------------------------------------------------------- the index


INDEX_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "array",
    "maxItems": 10_000,
    "items": {
        "type": "object",
        "required": ["from_code", "to_code", "links"],
        "properties": {
            "code": {"type": "string"},
            "type": {"type": "string"},
            "from_code": {"type": "string", "minLength": 1, "maxLength": 32},
            "to_code": {"type": "string", "minLength": 1, "maxLength": 32},
            "package_version": {"type": "string", "maxLength": 64},
            "links": {
                "type": "array",
                "minItems": 1,
                "maxItems": 16,
                "items": {"type": "string", "minLength": 1, "maxLength": 4096},
            },
        },
    },
}
"""What a package index must look like (argospm's index.json); other fields are free."""

MAX_INDEX_BYTES = 64 * 1024**2
INDEX_DEADLINE_S = 120.0
"""The whole index (a few hundred kB) must arrive within this many seconds."""
DEFAULT_DEADLINE_S = 3600.0
"""A package download must finish within this many seconds (``--deadline``)."""


@dataclass(frozen=True)
class DownloadLimits:
    """How long and how much a download may take.

    ``timeout`` bounds connecting and each wait for more bytes (a stalled
    server); ``deadline`` bounds the whole transfer (a server that drips a
    byte now and then would otherwise never trip a read timeout).
    """

    timeout: float = DEFAULT_TIMEOUT_S
    deadline: float = DEFAULT_DEADLINE_S
    max_bytes: int = MAX_DOWNLOAD_BYTES


def _stream_url(
    url: str,
    sink: Callable[[bytes], object],
    limits: DownloadLimits,
    progress: Callable[[int, int | None], None] | None = None,
) -> int:
    """Feed the body of ``url`` to ``sink`` in chunks; the number of bytes received.

    Uses httpx with a connect and a read timeout, and checks the overall
    deadline after every chunk, so a dripping server is cut off at most one
    read timeout after the deadline. Every failure is one :class:`PackageError`
    naming the URL.
    """
    import httpx

    scheme = urllib.parse.urlsplit(url).scheme
    if scheme == "file":
        return _stream_file(url, sink, limits, progress)
    if scheme not in ("http", "https"):
        raise PackageError(f"{url}: unsupported URL scheme {scheme!r}")
    started = time.monotonic()
    received = _Received(url, sink, limits, progress)
    timeout = httpx.Timeout(limits.timeout, connect=limits.timeout)
    try:
        with httpx.stream(
            "GET",
            url,
            timeout=timeout,
            follow_redirects=True,
            headers={"User-Agent": _USER_AGENT},
        ) as response:
            if response.status_code != 200:
                raise PackageError(f"{url}: HTTP {response.status_code} {response.reason_phrase}")
            length = response.headers.get("Content-Length", "")
            expected = received.expected = int(length) if length.isdigit() else None
            if expected is not None and expected > limits.max_bytes:
                raise PackageError(f"{url}: download of {expected} bytes is over the limit")
            for chunk in response.iter_raw():  # as the bytes arrive: the deadline must see a drip
                received.add(chunk)
                if time.monotonic() - started > limits.deadline:
                    raise PackageError(
                        f"{url}: download not finished after {limits.deadline:g} s "
                        f"({received.count} bytes received)",
                        hint=f"try again later, or raise {option('deadline')}",
                    )
    except httpx.ConnectTimeout:
        raise PackageError(f"{url}: no connection within {limits.timeout:g} s") from None
    except httpx.TimeoutException:
        raise PackageError(
            f"{url}: the server sent nothing for {limits.timeout:g} s "
            f"({received.count} bytes received)",
            hint=f"try again later, or raise {option('timeout')}",
        ) from None
    except httpx.ConnectError as error:
        raise PackageError(f"{url}: cannot connect ({error})") from None
    except httpx.RemoteProtocolError:
        raise PackageError(
            f"{url}: download incomplete ({received.count} of {received.expected} bytes)"
        ) from None
    except httpx.HTTPError as error:
        raise PackageError(
            f"{url}: download failed after {received.count} bytes ({error})"
        ) from None
    if received.expected is not None and received.count != received.expected:
        raise PackageError(
            f"{url}: download incomplete ({received.count} of {received.expected} bytes)"
        )
    return received.count


@dataclass
class _Received:
    """Bytes of one download so far: size limit, sink and progress, for every source."""

    url: str
    sink: Callable[[bytes], object]
    limits: DownloadLimits
    progress: Callable[[int, int | None], None] | None
    expected: int | None = None
    count: int = 0

    def add(self, chunk: bytes) -> None:
        """Take one chunk: over the size limit is a :class:`PackageError`."""
        self.count += len(chunk)
        if self.count > self.limits.max_bytes:
            raise PackageError(f"{self.url}: download larger than {self.limits.max_bytes} bytes")
        self.sink(chunk)
        if self.progress:
            self.progress(self.count, self.expected)


def _stream_file(
    url: str,
    sink: Callable[[bytes], object],
    limits: DownloadLimits,
    progress: Callable[[int, int | None], None] | None,
) -> int:
    """A ``file://`` URL (a local index or mirror): read it like a download."""
    path = Path(urllib.request.url2pathname(urllib.parse.urlsplit(url).path))
    received = _Received(url, sink, limits, progress)
    try:
        received.expected = path.stat().st_size
        with path.open("rb") as source:
            while chunk := source.read(1 << 20):
                received.add(chunk)
    except OSError as error:
        raise PackageError(f"{url}: cannot read ({error.strerror})") from None
    return received.count


def fetch_index(
    url: str | None = None, *, timeout: float = DEFAULT_TIMEOUT_S
) -> list[dict[str, Any]]:
    """Download the package index and check it against :data:`INDEX_SCHEMA`.

    A malformed index (not JSON, or an entry of the wrong shape) is one
    :class:`PackageError` naming the entry and the field, before any package
    download is tried.
    """
    url = url or package_index_url()
    body = bytearray()
    limits = DownloadLimits(
        timeout=timeout,
        deadline=min(INDEX_DEADLINE_S, DEFAULT_DEADLINE_S),
        max_bytes=MAX_INDEX_BYTES,
    )
    _stream_url(url, body.extend, limits)
    try:
        index = json.loads(bytes(body))
    except ValueError:
        raise PackageError(f"{url}: the package index is not valid JSON") from None
    _validate_index(index, url)
    return list(index)


def _validate_index(index: object, url: str) -> None:
    import jsonschema

    validator = jsonschema.Draft202012Validator(INDEX_SCHEMA)
    problem = jsonschema.exceptions.best_match(validator.iter_errors(index))
    if problem is None:
        return
    where = list(problem.absolute_path)
    if where and isinstance(index, list) and isinstance(where[0], int):
        entry = index[where[0]]
        code = entry.get("code") if isinstance(entry, dict) else None
        field_path = ".".join(str(part) for part in where[1:]) or "the entry"
        label = f"entry {where[0] + 1}" + (f" ({code})" if isinstance(code, str) else "")
        raise PackageError(
            f"{url}: invalid package index: {label}: {field_path}: {problem.message}",
            hint=f"fix the index or choose another with {option('index_url')}",
        )
    raise PackageError(
        f"{url}: invalid package index: {problem.message}",
        hint=f"fix the index or choose another with {option('index_url')}",
    )


def find_in_index(
    index: list[dict[str, Any]], from_code: str, to_code: str, index_url: str = "index"
) -> dict[str, Any]:
    """The newest ``from_code→to_code`` translation package listed in ``index``."""
    matches = [
        item
        for item in index
        if item.get("from_code") == from_code
        and item.get("to_code") == to_code
        and item.get("type", "translate") == "translate"
        and item.get("links")
    ]
    if not matches:
        raise PackageError(f"{index_url}: no {from_code}→{to_code} package listed")
    return max(matches, key=lambda item: _version_key(str(item.get("package_version", ""))))


def download(
    url: str,
    destination: Path,
    *,
    limits: DownloadLimits | None = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> None:
    """Stream ``url`` into ``destination`` within ``limits``; :class:`PackageError` on failure."""
    with destination.open("wb") as sink:
        _stream_url(url, sink.write, limits or DownloadLimits(), progress)


def install_from_index(
    from_code: str = SOURCE_LANGUAGE,
    to_code: str = TARGET_LANGUAGE,
    *,
    index_url: str | None = None,
    limits: DownloadLimits | None = None,
    any_pair: bool = False,
    replace: bool = False,
    progress: Callable[[int, int | None], None] | None = None,
) -> ArgosPackage:
    """Find a package for the language pair in the index, download and install it.

    The index is checked against :data:`INDEX_SCHEMA` first; each link is
    downloaded within ``limits`` into a staging directory that is removed
    whatever happens, and the package is test-translated before it is installed.
    """
    limits = limits or DownloadLimits()
    index_url = index_url or package_index_url()
    if not any_pair and (from_code, to_code) != (SOURCE_LANGUAGE, TARGET_LANGUAGE):
        raise PackageError(
            f"vertaal translates {SOURCE_LANGUAGE}→{TARGET_LANGUAGE}, not {from_code}→{to_code}; "
            f"pass {option('any_pair')} to install it anyway"
        )
    index = fetch_index(index_url, timeout=limits.timeout)
    entry = find_in_index(index, from_code, to_code, index_url)
    links = [urllib.parse.urljoin(index_url, str(link)) for link in entry["links"]]
    root = packages_dir()
    failures: list[str] = []
    with _staging_dir(root) as staging:
        for link in links:
            stem = Path(urllib.parse.urlsplit(link).path).stem or f"translate-{from_code}_{to_code}"
            archive = staging / f"{stem}.argosmodel"
            try:
                download(link, archive, limits=limits, progress=progress)
            except PackageError as error:
                failures.append(str(error))
                continue
            return install_package_file(
                archive,
                any_pair=any_pair,
                replace=replace,
                name=stem,
                expect_pair=(from_code, to_code),
            )
    raise PackageError(failures[0] if len(failures) == 1 else "; ".join(failures))
