"""Documents as ``vertaal batch`` formats: one unit per segment, written as markup.

A batch job stores units and their translations as text (in its journal and
cache), so a document segment travels as markup (``De <g1>kat</g1> slaapt.``,
see :mod:`translate.documents.inline`). The job translates each unit through
its :class:`~translate.batch.formats.UnitPlan`: the segment's plain texts and
tagged phrases go through the job's cache and model like any other text, and
the tags are put back before the unit is committed. Writing reads the
document again and rebuilds it from the committed markup.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import ClassVar

from translate.batch.formats import Format, Unit, UnitPlan
from translate.documents.base import FORMATS, DocumentOptions, Extraction, check_translations
from translate.documents.inline import Nodes, from_markup, to_markup
from translate.documents.translator import plan_segment
from translate.errors import InputError, located, option


class DocumentUnits(Format):
    """A document format (:data:`translate.documents.base.FORMATS`) as a batch format."""

    document: ClassVar[str]

    def _extract(self, path: Path) -> Extraction:
        from translate.documents import extract_document

        options = DocumentOptions(
            overwrite=self.options.overwrite,
            source_lang=self.options.source_lang,
            target_lang=self.options.target_lang,
        )
        return extract_document(path, self.document, options=options)

    def read(self, path: Path) -> Iterator[Unit]:
        extraction = self._extract(path)
        for index, nodes in enumerate(extraction.segments):
            location = extraction.locations[index] if extraction.locations else ""
            line = int(location[5:]) if location.startswith("line ") else 0
            yield Unit(to_markup(nodes), line)

    def write(self, path: Path, target: Path, translations: Iterator[str]) -> None:
        extraction = self._extract(path)
        translated: list[Nodes] = []
        for index in range(len(extraction.segments)):
            markup = next(translations, None)
            if markup is None:
                raise InputError(
                    located(
                        path, None, "changed while it was being translated", "run the job again"
                    )
                )
            try:
                translated.append(from_markup(markup))
            except ValueError as error:
                where = extraction.locations[index] if extraction.locations else ""
                raise InputError(
                    located(
                        path,
                        None,
                        f"{where}: stored translation is malformed ({error})",
                        f"rerun with {option('restart')}",
                    )
                ) from None
        check_translations(str(path), extraction, translated)
        target.write_bytes(extraction.rebuild(translated))

    def plan(self, text: str) -> UnitPlan:
        plan = plan_segment(from_markup(text))

        def assemble(outputs: Sequence[str]) -> str:
            return to_markup(plan.assemble(dict(zip(plan.texts, outputs, strict=True))))

        return UnitPlan(plan.texts, plan.main, assemble)


def document_batch_formats() -> list[type[Format]]:
    """One batch format class per document format."""
    classes: list[type[Format]] = []
    for info in FORMATS.values():
        attributes = {
            "name": info.name,
            "document": info.name,
            "extensions": info.extensions,
            "description": info.description,
            "__doc__": f"{info.description} (via translate.documents)",
        }
        classes.append(type(f"{info.name.title()}DocumentUnits", (DocumentUnits,), attributes))
    return classes
