from .tag_pages import register  # noqa: F401
