from .typographie import register
