from .reproductible import register  # noqa: F401
