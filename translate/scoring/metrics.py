"""Corpus and sentence metrics computed by sacreBLEU's Python API.

Shaped like sacreBLEU's own ``metrics`` package: one abstract base class,
:class:`Metric`, and a name → class registry, :data:`METRICS`. sacreBLEU is
imported only when a metric is first used, so importing this module is free.

Scores and signatures are sacreBLEU's: ``vertaal score`` on two files gives
the numbers ``sacrebleu REF -i HYP -m bleu chrf ter`` gives.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from translate.errors import ScoringError


@dataclass(frozen=True)
class MetricScore:
    """One corpus-level score with everything needed to reproduce it."""

    metric: str
    """Registry name, e.g. ``"chrf++"``."""
    name: str
    """sacreBLEU's display name, e.g. ``"chrF2++"``."""
    score: float
    signature: str
    """sacreBLEU's full signature, e.g. ``nrefs:2|case:mixed|eff:no|tok:13a|...``."""
    higher_is_better: bool
    details: dict[str, Any] = field(default_factory=dict)
    """Metric-specific extras (BLEU: n-gram precisions, brevity penalty, lengths)."""


class Metric(ABC):
    """A sacreBLEU metric under a stable command-line name.

    Subclasses set :attr:`name`, :attr:`label` and implement :meth:`_create`,
    which builds the sacreBLEU object (the only place sacreBLEU is imported).
    """

    name: ClassVar[str]
    """Registry key used on the command line (``--metrics bleu,chrf``)."""
    label: ClassVar[str]
    """Short column heading."""
    higher_is_better: ClassVar[bool] = True

    def __init__(self) -> None:
        self._corpus_metric: Any = None
        self._sentence_metric: Any = None

    @abstractmethod
    def _create(self, *, sentence_level: bool) -> Any:
        """Return a new sacreBLEU metric object configured like sacreBLEU's CLI defaults."""

    def sacrebleu_metric(self, *, sentence_level: bool = False) -> Any:
        """The underlying sacreBLEU object (built once per mode)."""
        if sentence_level:
            if self._sentence_metric is None:
                self._sentence_metric = self._create(sentence_level=True)
            return self._sentence_metric
        if self._corpus_metric is None:
            self._corpus_metric = self._create(sentence_level=False)
        return self._corpus_metric

    def corpus_score(
        self, hypotheses: Sequence[str], references: Sequence[Sequence[str]]
    ) -> MetricScore:
        """Score ``hypotheses`` against reference streams (``references[k][i]``: ref k, line i)."""
        metric = self.sacrebleu_metric()
        score = metric.corpus_score(list(hypotheses), [list(stream) for stream in references])
        return MetricScore(
            metric=self.name,
            name=score.name,
            score=float(score.score),
            signature=metric.get_signature().format(),
            higher_is_better=self.higher_is_better,
            details=self._details(score),
        )

    def sentence_scores(
        self, hypotheses: Sequence[str], references: Sequence[Sequence[str]]
    ) -> list[float]:
        """Per-line scores, computed as ``sacrebleu --sentence-level`` does."""
        metric = self.sacrebleu_metric(sentence_level=True)
        return [
            float(metric.sentence_score(hypothesis, [stream[i] for stream in references]).score)
            for i, hypothesis in enumerate(hypotheses)
        ]

    def sentence_signature(self) -> str:
        """sacreBLEU's signature for :meth:`sentence_scores` (valid after a call to it)."""
        return str(self.sacrebleu_metric(sentence_level=True).get_signature().format())

    def _details(self, score: Any) -> dict[str, Any]:
        return {}


MetricT = TypeVar("MetricT", bound=type[Metric])

METRICS: dict[str, type[Metric]] = {}
"""Every metric by registry name, in the order they are listed and printed."""


def register(cls: MetricT) -> MetricT:
    """Class decorator adding a :class:`Metric` subclass to :data:`METRICS`."""
    METRICS[cls.name] = cls
    return cls


@register
class Bleu(Metric):
    """BLEU with sacreBLEU's defaults (13a tokenizer, exponential smoothing)."""

    name = "bleu"
    label = "BLEU"

    def _create(self, *, sentence_level: bool) -> Any:
        from sacrebleu.metrics.bleu import BLEU

        # sacreBLEU's CLI switches effective order on for sentence-level BLEU
        return BLEU(effective_order=sentence_level)

    def _details(self, score: Any) -> dict[str, Any]:
        return {
            "precisions": [round(float(p), 4) for p in score.precisions],
            "bp": round(float(score.bp), 4),
            "ratio": round(float(score.ratio), 4),
            "hyp_len": int(score.sys_len),
            "ref_len": int(score.ref_len),
        }


@register
class Chrf(Metric):
    """chrF2: character 6-grams, beta 2, no word n-grams."""

    name = "chrf"
    label = "chrF"

    def _create(self, *, sentence_level: bool) -> Any:
        from sacrebleu.metrics.chrf import CHRF

        return CHRF()


@register
class ChrfPlusPlus(Metric):
    """chrF2++: chrF plus word uni- and bigrams (``--chrf-word-order 2``)."""

    name = "chrf++"
    label = "chrF++"

    def _create(self, *, sentence_level: bool) -> Any:
        from sacrebleu.metrics.chrf import CHRF

        return CHRF(word_order=2)


@register
class Ter(Metric):
    """Translation Edit Rate (lower is better)."""

    name = "ter"
    label = "TER"
    higher_is_better = False

    def _create(self, *, sentence_level: bool) -> Any:
        from sacrebleu.metrics.ter import TER

        return TER()


DEFAULT_METRICS: tuple[str, ...] = ("bleu", "chrf", "chrf++", "ter")


def parse_metric_names(spec: str) -> list[str]:
    """Turn ``"bleu, chrf"`` into registry names, rejecting unknown ones in one line."""
    names: list[str] = []
    for raw in spec.split(","):
        name = raw.strip().lower()
        if not name:
            continue
        if name not in METRICS:
            known = ", ".join(METRICS)
            raise ScoringError(f"unknown metric {raw.strip()!r}; choose from {known}")
        if name not in names:
            names.append(name)
    if not names:
        raise ScoringError(f"no metric given; choose from {', '.join(METRICS)}")
    return names


def create_metrics(names: Sequence[str]) -> list[Metric]:
    """Instantiate the named metrics, in the given order."""
    return [METRICS[name]() for name in parse_metric_names(",".join(names))]
