from .covers import register
