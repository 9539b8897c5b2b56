"""The data build: corpus folders → cleaned, licence-filtered, weighted pairs and a data card.

Input is a list of folders in the layout of ``../shared/data/parallel/*``
(``NAME.nl``, ``NAME.en``, optional ``NAME.source.tsv``) or a Tatoeba-style
``*.nl-en.tsv`` file. Every pair passes the same filters, in this order, and
the data card counts what each one removed:

``empty``/``length``/``ratio``
    too short, too long, or lengths that cannot be a translation;
``same``
    Dutch identical to English (untranslated strings);
``placeholder``
    format placeholders (``%s``, ``%1``, ``$1``, ``{name}``, inline tags) that
    differ between the sides; pairs where they agree are kept, so the model
    learns to copy them;
``markup``
    escaped markup and extraction debris (``&lt;``, ``\\n``, reserved ``｟…｠``);
``language``
    a side that reads as the other language (function-word count, sentences
    of five words or more);
``flores``
    a sentence equal to, or sharing a 6-word sequence with, FLORES-200
    dev/devtest (given with ``held_out``);
``duplicate``
    a pair seen before (in any corpus), or a Dutch sentence already seen
    :data:`MAX_SOURCE_REPEATS` times.

Licences come per line: each corpus has a default licence and, where its
``source.tsv`` names repositories with other licences, overrides by source
prefix (:data:`CORPORA`). ``licences`` keeps only the licence *families* asked
for (:data:`LICENCE_FAMILIES`). Weights say how often a corpus's pairs are
drawn per epoch (fractions by seeded sampling), and the software-string share
is capped so it cannot dominate.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from translate.errors import TrainingError, located
from translate.fileio import read_text

Pair = tuple[str, str]

LICENCE_FAMILIES: dict[str, str] = {
    "public-domain": "permissive",
    "MIT": "permissive",
    "Apache-2.0": "permissive",
    "BSD-2-Clause": "permissive",
    "AFL-3.0": "permissive",
    "CC-BY-2.0-FR": "permissive",
    "CC-BY-3.0": "permissive",
    "Europarl": "permissive",
    "MPL-2.0": "weak-copyleft",
    "CC-BY-SA-3.0": "share-alike",
    "CC-BY-SA-4.0": "share-alike",
    "GFDL-1.2+": "copyleft",
    "GPL-2.0+": "copyleft",
    "GPL-3.0+": "copyleft",
    "LGPL-2.1+": "copyleft",
    "AGPL-3.0": "copyleft",
    "EUPL-1.2": "copyleft",
    "unknown": "unknown",
}
"""Licence → family. ``copyleft`` (GPL, LGPL, AGPL, EUPL, GFDL) is left out by default:
whether model weights are a work derived from such text is unsettled, and the package
should stay usable wherever Argos packages are. ``share-alike`` and MPL are kept with
attribution in the model card."""

DEFAULT_FAMILIES = ("permissive", "weak-copyleft", "share-alike")
ALL_FAMILIES = ("permissive", "weak-copyleft", "share-alike", "copyleft", "unknown")


@dataclass(frozen=True)
class CorpusPolicy:
    """How one corpus is licensed, weighted and described."""

    licence: str
    weight: float
    domain: str
    attribution: str
    overrides: tuple[tuple[str, str], ...] = ()
    """``(source.tsv prefix, licence)``: lines whose source starts with the prefix."""

    def licence_of(self, source: str) -> str:
        """Licence of a line, from its ``source.tsv`` entry."""
        for prefix, licence in self.overrides:
            if source.startswith(prefix):
                return licence
        return self.licence


_L10N = "translations by the {} contributors (per-line origin in {}.source.tsv)"
CORPORA: dict[str, CorpusPolicy] = {
    "tatoeba": CorpusPolicy(
        "CC-BY-2.0-FR",
        1.0,
        "everyday",
        "Contains sentences from Tatoeba (https://tatoeba.org), licensed under CC-BY 2.0 FR.",
    ),
    "europarl-sample": CorpusPolicy(
        "Europarl",
        4.0,
        "parliament",
        "Contains text from the Europarl corpus (Koehn, 2005), European Parliament "
        "proceedings, © European Union, source: European Parliament.",
    ),
    "libreoffice-help": CorpusPolicy(
        "MPL-2.0", 0.5, "software", "LibreOffice help (The Document Foundation), MPL-2.0."
    ),
    "mozilla-l10n": CorpusPolicy(
        "MPL-2.0", 1.0, "software", "mozilla.org and Mozilla VPN translations (Mozilla), MPL-2.0."
    ),
    "kde-docs": CorpusPolicy(
        "GFDL-1.2+", 0.6, "software", "KDE application handbooks (KDE e.V.), GFDL-1.2+."
    ),
    "manpages-l10n": CorpusPolicy(
        "GPL-3.0+", 0.3, "software", "manpages-l10n Dutch translations, GPL-3.0+."
    ),
    "gnome-l10n": CorpusPolicy(
        "GPL-2.0+",
        0.3,
        "software",
        _L10N.format("GNOME", "gnome-l10n") + "; GNOME user docs CC-BY-SA 3.0",
        (("GNOME+gnome-user-docs:", "CC-BY-SA-3.0"),),
    ),
    "kde-l10n": CorpusPolicy("GPL-2.0+", 0.2, "software", _L10N.format("KDE", "kde-l10n")),
    "desktop-l10n": CorpusPolicy(
        "GPL-2.0+", 0.2, "software", _L10N.format("MATE, Xfce and Cinnamon", "desktop-l10n")
    ),
    "wikimedia-l10n": CorpusPolicy(
        "GPL-2.0+",
        0.5,
        "software",
        _L10N.format("MediaWiki/translatewiki.net", "wikimedia-l10n"),
        (
            ("wikimedia+apps-android-wikipedia:", "Apache-2.0"),
            ("wikimedia+mediawiki-extensions-VisualEditor:", "MIT"),
            ("wikimedia+mediawiki-extensions-Echo:", "MIT"),
            ("wikimedia+mediawiki-extensions-DiscussionTools:", "MIT"),
            ("wikimedia+pywikibot-i18n:", "MIT"),
        ),
    ),
    "apps-l10n": CorpusPolicy(
        "GPL-2.0+",
        0.3,
        "software",
        _L10N.format("application", "apps-l10n"),
        (
            ("inaturalist+inaturalist:", "MIT"),
            ("commons-app+apps-android-commons:", "Apache-2.0"),
            ("covid-be-app+cwa-app-android:", "Apache-2.0"),
            ("google+blockly:", "Apache-2.0"),
            ("ether+etherpad-lite:", "Apache-2.0"),
            ("minvws+", "EUPL-1.2"),
            ("ankitects+anki-core-i18n:", "AGPL-3.0"),
        ),
    ),
    "magento-nl": CorpusPolicy(
        "AFL-3.0",
        0.2,
        "software",
        "Magento Dutch language packs (ho-nl, bezigeboefjes, webeau-nl, vmsrg); "
        "OSL-3.0/AFL-3.0 dual licence used under AFL-3.0, and BSD-2-Clause.",
        (("ho-nl+magento2-nl_NL:", "BSD-2-Clause"), ("webeau-nl+", "BSD-2-Clause")),
    ),
    "freedict-eng-nld": CorpusPolicy(
        "GPL-2.0+", 0.2, "dictionary", "FreeDict English-Dutch dictionary, GPL-2.0+."
    ),
    "bible": CorpusPolicy(
        "public-domain",
        0.2,
        "bible",
        "Statenvertaling and King James Version (public domain), via scrollmapper/bible_databases.",
    ),
    "backtranslation": CorpusPolicy(
        "CC-BY-SA-3.0",
        1.0,
        "backtranslation",
        "Synthetic Dutch (back-translated by vertaal's en→nl model) for English Wikipedia "
        "sentences, CC BY-SA 3.0.",
    ),
}
"""What is known about each corpus of ``../shared/data`` (from each folder's README.txt).
Weights keep the news-like and everyday text in front: Europarl is the only news-like
parallel text and is drawn four times; interface strings are drawn a fifth to a third."""

UNKNOWN_POLICY = CorpusPolicy("unknown", 1.0, "unknown", "")
SOFTWARE_DOMAIN = "software"
MAX_SOFTWARE_SHARE = 0.5
"""Most the software corpora may make of the weighted pairs (scaled down to fit)."""
MAX_SOURCE_REPEATS = 4
NGRAM = 6

_FORMAT = re.compile(
    r"%(?:\d+\$)?[-+ #0]*\d*(?:\.\d+)?[sdifuxXcgeEl@]|%\d+|\$\d+|\{\{?\s*\$?\w+\s*\}?\}"
    r"|</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>"
)
_DEBRIS = re.compile(r"&(?:lt|gt|amp|quot|nbsp|#\d+);|\\[ntr]|｟|｠|\ufffd|[\x00-\x08\x0b-\x1f]")
_LETTER = re.compile(r"[^\W\d_]")
_WORDS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
DUTCH_WORDS = frozenset(
    [
        "de",
        "het",
        "een",
        "en",
        "van",
        "in",
        "is",
        "dat",
        "op",
        "te",
        "zijn",
        "met",
        "voor",
        "niet",
        "aan",
        "er",
        "om",
        "ook",
        "als",
        "bij",
        "of",
        "wordt",
        "worden",
        "door",
        "naar",
        "dan",
        "maar",
        "nog",
        "wel",
        "kan",
        "uit",
        "deze",
        "dit",
        "die",
        "zich",
        "u",
        "je",
        "ik",
        "we",
        "wij",
        "zij",
        "hij",
        "geen",
        "meer",
        "al",
        "heeft",
        "hebben",
        "was",
        "waren",
        "zal",
        "zou",
        "moet",
        "kunnen",
        "over",
        "tot",
        "na",
        "onder",
        "tussen",
    ]
)
ENGLISH_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "of",
        "in",
        "is",
        "that",
        "on",
        "to",
        "be",
        "with",
        "for",
        "not",
        "at",
        "there",
        "about",
        "also",
        "as",
        "by",
        "or",
        "are",
        "was",
        "were",
        "will",
        "would",
        "should",
        "can",
        "from",
        "this",
        "these",
        "those",
        "it",
        "its",
        "you",
        "we",
        "they",
        "he",
        "she",
        "no",
        "more",
        "has",
        "have",
        "had",
        "than",
        "but",
        "which",
        "into",
        "over",
        "under",
        "between",
    ]
)


@dataclass
class CorpusReport:
    """What the data build did with one corpus (a row of the data card)."""

    name: str
    path: str
    domain: str
    weight: float = 0.0
    read: int = 0
    kept: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    licences: Counter[str] = field(default_factory=Counter)
    """Kept pairs per licence."""
    attribution: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON form for ``data-card.json``."""
        return {
            "name": self.name,
            "path": self.path,
            "domain": self.domain,
            "weight": round(self.weight, 3),
            "read": self.read,
            "kept": self.kept,
            "weighted": round(self.kept * self.weight),
            "dropped": dict(sorted(self.dropped.items())),
            "licences": dict(sorted(self.licences.items())),
            "attribution": self.attribution,
        }


@dataclass
class BuiltData:
    """Cleaned pairs with their corpus, and the report for the data card."""

    pairs: list[Pair]
    corpus_of: list[int]
    """Index into ``reports`` for each pair."""
    reports: list[CorpusReport]
    families: tuple[str, ...]

    def weighted(self, seed: int) -> list[Pair]:
        """The pairs drawn per the corpus weights (whole copies plus a seeded fraction)."""
        rng = random.Random(seed)
        drawn: list[Pair] = []
        for pair, corpus in zip(self.pairs, self.corpus_of, strict=True):
            weight = self.reports[corpus].weight
            copies = int(weight) + (1 if rng.random() < weight - int(weight) else 0)
            drawn.extend([pair] * copies)
        rng.shuffle(drawn)
        return drawn

    def card(self) -> dict[str, Any]:
        """The data card as JSON-able data."""
        corpora = [report.to_dict() for report in self.reports]
        return {
            "licence_families": list(self.families),
            "kept": sum(r.kept for r in self.reports),
            "weighted": sum(c["weighted"] for c in corpora),
            "corpora": corpora,
        }


def card_markdown(card: Mapping[str, Any]) -> str:
    """The data card as a Markdown table (for the model card and the notes)."""
    lines = [
        f"Licence families included: {', '.join(card['licence_families'])}.",
        "",
        "| corpus | domain | read | kept | weight | drawn per epoch | licences (kept pairs) |",
        "|---|---|---|---|---|---|---|",
    ]
    for corpus in card["corpora"]:
        licences = ", ".join(f"{k} {v:,}" for k, v in corpus["licences"].items()) or "–"
        lines.append(
            f"| {corpus['name']} | {corpus['domain']} | {corpus['read']:,} | {corpus['kept']:,} "
            f"| {corpus['weight']:g} | {corpus['weighted']:,} | {licences} |"
        )
    lines.append(f"| all | | | {card['kept']:,} | | {card['weighted']:,} | |")
    return "\n".join(lines) + "\n"


def normalise(text: str) -> str:
    """NFC, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _key(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower()))


def ngrams(text: str, size: int = NGRAM) -> set[tuple[str, ...]]:
    """Lower-cased word ``size``-grams of ``text``."""
    words = _WORDS.findall(text.lower())
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


@dataclass
class HeldOut:
    """Sentences that must not reach training (FLORES-200 dev and devtest)."""

    sentences: set[str] = field(default_factory=set)
    grams: set[tuple[str, ...]] = field(default_factory=set)

    @classmethod
    def from_files(cls, paths: Iterable[Path]) -> HeldOut:
        """Read one sentence per line from every file."""
        held = cls()
        for path in paths:
            for line in read_text(path, error=TrainingError).splitlines():
                held.sentences.add(_key(line))
                held.grams |= ngrams(line)
        return held

    def overlaps(self, text: str) -> bool:
        """Whether ``text`` equals a held-out sentence or shares a word 6-gram with one."""
        if not self.sentences:
            return False
        return _key(text) in self.sentences or not self.grams.isdisjoint(ngrams(text))


def _language_score(text: str) -> tuple[int, int]:
    words = [w.lower() for w in _WORDS.findall(text)]
    return sum(w in DUTCH_WORDS for w in words), sum(w in ENGLISH_WORDS for w in words)


def wrong_language(source: str, target: str) -> bool:
    """Dutch side reading as English, or English side reading as Dutch (5+ words)."""
    if len(source.split()) >= 5:
        dutch, english = _language_score(source)
        if english > dutch:
            return True
    if len(target.split()) >= 5:
        dutch, english = _language_score(target)
        if dutch > english:
            return True
    return False


def format_tokens(text: str) -> Counter[str]:
    """Format placeholders and inline tags in ``text`` (attributes ignored)."""
    return Counter(re.sub(r"\s.*(?=/?>$)", "", m) for m in _FORMAT.findall(text))


@dataclass(frozen=True)
class Limits:
    """Length limits of the filters."""

    max_chars: int = 600
    max_ratio: float = 2.5
    """Character-length ratio allowed once the longer side has 20 characters or more."""


def reject_reason(source: str, target: str, limits: Limits) -> str | None:
    """Why a (normalised) pair is dropped, or None to keep it."""
    if len(_LETTER.findall(source)) < 2 or len(_LETTER.findall(target)) < 2:
        return "empty"
    if max(len(source), len(target)) > limits.max_chars:
        return "length"
    longer, shorter = max(len(source), len(target)), min(len(source), len(target))
    if longer >= 20 and longer / shorter > limits.max_ratio:
        return "ratio"
    if source.casefold() == target.casefold():
        return "same"
    if _DEBRIS.search(source) or _DEBRIS.search(target):
        return "markup"
    if format_tokens(source) != format_tokens(target):
        return "placeholder"
    if wrong_language(source, target):
        return "language"
    return None


@dataclass(frozen=True)
class RawCorpus:
    """One corpus as read from disk."""

    name: str
    path: Path
    pairs: list[Pair]
    sources: list[str]


def read_corpus(path: Path) -> RawCorpus:
    """Read a corpus folder (``NAME.nl``/``NAME.en``/``NAME.source.tsv``) or a TSV file."""
    if path.is_file():
        lines = read_text(path, error=TrainingError).splitlines()
        pairs: list[Pair] = []
        for number, line in enumerate(lines, start=1):
            columns = line.split("\t")
            if len(columns) < 2:
                raise TrainingError(
                    located(path, number, "expected Dutch<TAB>English", "give a TSV corpus")
                )
            pairs.append((columns[0], columns[1]))
        name = "tatoeba" if "tatoeba" in str(path).lower() else path.name.split(".")[0]
        return RawCorpus(name, path, pairs, [""] * len(pairs))
    if not path.is_dir():
        raise TrainingError(f"{path}: no such corpus; give a corpus folder or a TSV file")
    dutch = sorted(path.glob("*.nl"))
    if len(dutch) != 1:
        raise TrainingError(f"{path}: expected exactly one NAME.nl file, found {len(dutch)}")
    stem = dutch[0].with_suffix("")
    english = stem.with_suffix(".en")
    nl_lines = read_text(dutch[0], error=TrainingError).splitlines()
    en_lines = read_text(english, error=TrainingError).splitlines()
    if len(nl_lines) != len(en_lines):
        raise TrainingError(
            located(english, None, f"has {len(en_lines)} lines but {dutch[0]} has {len(nl_lines)}")
        )
    source_file = stem.with_name(stem.name + ".source.tsv")
    sources = [""] * len(nl_lines)
    if source_file.exists():
        sources = read_text(source_file, error=TrainingError).splitlines()
        if len(sources) != len(nl_lines):
            raise TrainingError(
                located(source_file, None, f"has {len(sources)} lines, not {len(nl_lines)}")
            )
    return RawCorpus(path.name, path, list(zip(nl_lines, en_lines, strict=True)), sources)


@dataclass
class BuildOptions:
    """Choices of the data build."""

    families: Sequence[str] = DEFAULT_FAMILIES
    weights: Mapping[str, float] = field(default_factory=dict)
    """Per-corpus weight overrides (corpus name → weight)."""
    limits: Limits = field(default_factory=Limits)
    held_out: HeldOut = field(default_factory=HeldOut)
    max_software_share: float = MAX_SOFTWARE_SHARE


def build(paths: Sequence[Path], options: BuildOptions) -> BuiltData:
    """Read, filter and weigh every corpus in ``paths`` (in that order)."""
    unknown = set(options.families) - set(ALL_FAMILIES)
    if unknown:
        raise TrainingError(
            f"unknown licence family {sorted(unknown)[0]!r}; choose from {', '.join(ALL_FAMILIES)}"
        )
    seen_pairs: set[Pair] = set()
    source_counts: Counter[str] = Counter()
    built = BuiltData([], [], [], tuple(options.families))
    for path in paths:
        corpus = read_corpus(path)
        policy = CORPORA.get(corpus.name, UNKNOWN_POLICY)
        report = CorpusReport(
            corpus.name,
            str(path),
            policy.domain,
            options.weights.get(corpus.name, policy.weight),
            attribution=policy.attribution,
        )
        index = len(built.reports)
        built.reports.append(report)
        for (raw_source, raw_target), origin in zip(corpus.pairs, corpus.sources, strict=True):
            report.read += 1
            reason, pair, licence = _judge(
                raw_source, raw_target, origin, policy, options, seen_pairs, source_counts
            )
            if reason is not None:
                report.dropped[reason] += 1
                continue
            report.kept += 1
            report.licences[licence] += 1
            built.pairs.append(pair)
            built.corpus_of.append(index)
    _cap_software(built, options.max_software_share)
    return built


def _judge(
    raw_source: str,
    raw_target: str,
    origin: str,
    policy: CorpusPolicy,
    options: BuildOptions,
    seen_pairs: set[Pair],
    source_counts: Counter[str],
) -> tuple[str | None, Pair, str]:
    """The reason to drop one pair (None: keep), the normalised pair and its licence."""
    licence = policy.licence_of(origin)
    pair = (normalise(raw_source), normalise(raw_target))
    if LICENCE_FAMILIES.get(licence, "unknown") not in options.families:
        return "licence", pair, licence
    reason = reject_reason(*pair, options.limits)
    if reason is not None:
        return reason, pair, licence
    if options.held_out.overlaps(pair[0]) or options.held_out.overlaps(pair[1]):
        return "flores", pair, licence
    source_key = pair[0].casefold()
    if pair in seen_pairs or source_counts[source_key] >= MAX_SOURCE_REPEATS:
        return "duplicate", pair, licence
    seen_pairs.add(pair)
    source_counts[source_key] += 1
    return None, pair, licence


def add_synthetic(
    built: BuiltData, name: str, pairs: Sequence[Pair], options: BuildOptions, tag: str
) -> CorpusReport:
    """Add generated pairs (back-translation) as corpus ``name``, filtered like the rest.

    The filters see the pairs untagged; kept sources get ``tag`` in front.
    """
    policy = CORPORA.get(name, UNKNOWN_POLICY)
    report = CorpusReport(
        name,
        "(generated)",
        policy.domain,
        options.weights.get(name, policy.weight),
        attribution=policy.attribution,
    )
    index = len(built.reports)
    built.reports.append(report)
    for source, target in pairs:
        report.read += 1
        pair = (normalise(source), normalise(target))
        reason = reject_reason(*pair, options.limits)
        if reason is None and (
            options.held_out.overlaps(pair[0]) or options.held_out.overlaps(pair[1])
        ):
            reason = "flores"
        if reason is not None:
            report.dropped[reason] += 1
            continue
        report.kept += 1
        report.licences[policy.licence] += 1
        built.pairs.append((f"{tag} {pair[0]}", pair[1]))
        built.corpus_of.append(index)
    return report


def _cap_software(built: BuiltData, share: float) -> None:
    """Scale the software corpora's weights down until they make at most ``share``."""
    software = sum(r.kept * r.weight for r in built.reports if r.domain == SOFTWARE_DOMAIN)
    other = sum(r.kept * r.weight for r in built.reports if r.domain != SOFTWARE_DOMAIN)
    if software == 0 or other == 0 or software / (software + other) <= share:
        return
    factor = share * other / ((1 - share) * software)
    for report in built.reports:
        if report.domain == SOFTWARE_DOMAIN:
            report.weight *= factor


def write_outputs(built: BuiltData, directory: Path) -> None:
    """Write ``pairs.tsv`` (Dutch, English, corpus), ``data-card.json`` and ``data-card.md``."""
    from translate.training.config import write_json

    directory.mkdir(parents=True, exist_ok=True)
    lines = (
        f"{s}\t{t}\t{built.reports[c].name}\n"
        for (s, t), c in zip(built.pairs, built.corpus_of, strict=True)
    )
    (directory / "pairs.tsv").write_text("".join(lines), encoding="utf-8")
    card = built.card()
    write_json(directory / "data-card.json", card)
    (directory / "data-card.md").write_text(card_markdown(card), encoding="utf-8")
