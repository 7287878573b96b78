from .fragments import register  # noqa: F401
