"""Reading and choosing the options of a native <select> by the labels a user sees."""

from __future__ import annotations

from playwright.sync_api import Locator

UNAVAILABLE = " (недоступен)"


def option_labels(select: Locator, *, skip_empty: bool = True) -> list[str]:
    """The labels of the options, in order; the placeholder (empty value) is skipped."""
    options: list[dict[str, str]] = select.evaluate("s => [...s.options].map(o => ({value: o.value, label: o.label}))")
    return [o["label"] for o in options if o["value"] or not skip_empty]


def selected_label(select: Locator) -> str | None:
    """The chosen option's label; None when the placeholder (empty value) is chosen."""
    chosen: dict[str, str] | None = select.evaluate(
        "s => s.selectedOptions.length ? {value: s.value, label: s.selectedOptions[0].label} : null"
    )
    if chosen is None or not chosen["value"]:
        return None
    return chosen["label"]


def plain(label: str) -> str:
    """A label without the editor's " (недоступен)" mark."""
    return label.removesuffix(UNAVAILABLE)


def is_marked(label: str) -> bool:
    """The label carries the " (недоступен)" mark."""
    return label.endswith(UNAVAILABLE)


def find_label(select: Locator, wanted: str, *, prefix_ok: bool = False) -> str | None:
    """The option label a user means by ``wanted``: same text ignoring case and the unavailability mark.

    With ``prefix_ok`` a channel given by its number alone ("+7(937)000-00-03") also matches its full label
    ("+7(937)000-00-03 (Продажи)").
    """
    target = wanted.strip().casefold()
    labels = option_labels(select)
    for label in labels:
        if plain(label).casefold() == target:
            return label
    if prefix_ok:
        for label in labels:
            if plain(label).casefold().startswith(target + " ("):
                return label
    return None
