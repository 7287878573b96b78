"""Réglages de production : URL absolues, flux, pas de brouillons.

Used by `invoke publish` and `invoke gh-pages`; everything else comes from pelicanconf.py.
"""

import os
import sys

sys.path.append(os.path.dirname(__file__))
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SITEURL", "https://leblog.example")
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False
SHOW_DRAFTS = False
WITH_FUTURE_DATES = False
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
DELETE_OUTPUT_DIRECTORY = True
