from .sommaire import register  # noqa: F401
