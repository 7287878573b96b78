from .lecture_parallele import register  # noqa: F401
