from .pullquotes import register
