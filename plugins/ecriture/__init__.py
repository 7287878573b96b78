from .ecriture import register  # noqa: F401
