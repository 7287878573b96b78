"""Réglages de production : URL absolues, flux, pas de brouillons.

Used by `invoke publish` and `invoke gh-pages`; everything else comes from pelicanconf.py.
"""

import os
import sys

sys.path.append(os.path.dirname(__file__))
from pelicanconf import *  # noqa: E402,F403

# Its own folder: a publication never replaces the preview's output/ (served by a running
# `make serve`) with pages whose links point at the public address.
OUTPUT_PATH = str(ROOT / "publication")  # noqa: F405
SITEURL = os.environ.get("SITEURL", "https://leblog.example")
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False
SHOW_DRAFTS = False
WITH_FUTURE_DATES = False
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
DELETE_OUTPUT_DIRECTORY = True
# Production reads every source again and leaves the writing cache alone (its settings
# differ: a shared cache would be set aside by each build of the other kind).
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False

# --- Precompression: .gz and .br beside HTML, CSS, JS, XML (servers send them as is) --
# plugins/precompression: pelican-precompress's compressors, run after every other plugin
# (granular « compress » signal), each copy kept in CACHE_PATH by the text it compresses,
# so a publication compresses only the pages that changed. The gzip header carries no
# timestamp: two builds give the same bytes.
PLUGINS = [*PLUGINS, "precompression"]  # noqa: F405
PRECOMPRESS_GZIP = True
PRECOMPRESS_BROTLI = True
PRECOMPRESS_ZOPFLI = False
PRECOMPRESS_ZSTANDARD = False
PRECOMPRESS_MIN_SIZE = 256

# --- Deploy (invoke publish / invoke gh-pages) -----------------------------------------
# rsync --delete acts only inside this exact folder: give the blog its own folder.
DEPLOY_RSYNC_TARGET = os.environ.get("DEPLOY_RSYNC_TARGET", "deploy@leblog.example:/var/www/leblog/")
DEPLOY_GH_PAGES_BRANCH = "gh-pages"
DEPLOY_GH_PAGES_REMOTE = "origin"
