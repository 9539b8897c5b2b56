"""Scoring translations: sacreBLEU metrics, term accuracy, corpora and evaluation reports.

Modules (each imports sacreBLEU, the glossary or the engine only when used):

* :mod:`~translate.scoring.metrics` — BLEU, chrF, chrF++, TER behind one base class and a registry
* :mod:`~translate.scoring.terms` — WMT21 term exact-match accuracy, inflection-tolerant variant
* :mod:`~translate.scoring.quality` — length ratio and untranslated-line detection
* :mod:`~translate.scoring.corpus` — reference corpora (``corpora/<name>/``) and their validation
* :mod:`~translate.scoring.score` — ``vertaal score`` on files
* :mod:`~translate.scoring.evaluate` — ``vertaal evaluate``: translate, score, significance test
* :mod:`~translate.scoring.render`, :mod:`~translate.scoring.html_report` — text, JSON, HTML
"""
