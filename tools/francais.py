"""Counts and durations as the terminal says them in French: « 2 erreurs », « 6,1 s ».

One place for the build's summary (``run_pelican.py``), ``invoke check``'s and the
preview's, which had each their own copy."""

from __future__ import annotations


def plural(count: int, word: str, plural_form: str | None = None) -> str:
    """« 1 brouillon », « 2 brouillons »: 0 and 1 take the singular in French."""
    return f"{count} {word if count <= 1 else plural_form or word + 's'}"


def seconds(value: float, digits: int = 1) -> str:
    """A duration with the French decimal comma: « 6,1 »."""
    return f"{value:.{digits}f}".replace(".", ",")
