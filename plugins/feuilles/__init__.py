from .feuilles import register
