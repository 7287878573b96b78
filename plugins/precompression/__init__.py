from .precompression import register  # noqa: F401
