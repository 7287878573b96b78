from .adresses import register  # noqa: F401
