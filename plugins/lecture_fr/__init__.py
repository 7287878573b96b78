from .lecture_fr import register  # noqa: F401
