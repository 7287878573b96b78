from .tableaux import register
