from .categories import register  # noqa: F401
