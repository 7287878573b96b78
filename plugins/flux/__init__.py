from .flux import register  # noqa: F401
