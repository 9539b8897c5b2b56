"""``format=html``: translate the text of an HTML fragment, keep every tag.

The fragment is parsed with lxml; each text node (text and tails, outside
``script``, ``style``, ``code`` and ``pre``) is translated as a small
document, and the tree is serialized again. Tags and attributes are copied,
never translated; text is escaped on output, so a translation cannot inject
markup. This is the server's own small handler until the project's document
layer offers one for HTML fragments.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

SKIPPED_TAGS = frozenset({"script", "style", "code", "pre", "textarea"})
_WRAPPER = "vertaal-fragment"

TranslateTexts = Callable[[list[str]], Awaitable[list[str]]]


def _text_slots(element: Any, slots: list[tuple[Any, str]] | None = None) -> list[tuple[Any, str]]:
    """``(element, "text"|"tail")`` for every text node worth translating, in document order."""
    slots = [] if slots is None else slots
    is_element = isinstance(element.tag, str)  # not a comment or processing instruction
    if is_element and element.tag.lower() not in SKIPPED_TAGS:
        if element.text and element.text.strip():
            slots.append((element, "text"))
        for child in element:
            _text_slots(child, slots)
            if child.tail and child.tail.strip():
                slots.append((child, "tail"))
    return slots


async def translate_html(fragment: str, translate_texts: TranslateTexts) -> str:
    """``fragment`` with its text nodes replaced by ``translate_texts`` of them."""
    import lxml.html
    from lxml import etree

    root = lxml.html.fragment_fromstring(fragment, create_parent=_WRAPPER)
    slots = _text_slots(root)
    texts = [getattr(element, attribute) for element, attribute in slots]
    translated = await translate_texts(texts) if texts else []
    for (element, attribute), text in zip(slots, translated, strict=True):
        setattr(element, attribute, text)
    rendered: str = etree.tostring(root, encoding="unicode", method="html")
    opening, closing = f"<{_WRAPPER}>", f"</{_WRAPPER}>"
    if rendered.startswith(opening) and rendered.endswith(closing):
        rendered = rendered[len(opening) : -len(closing)]
    return rendered
