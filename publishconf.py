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
# What rsync --delete mirrors is exactly what this build produced, without emptying the
# folder first (every file deleted and written again cost half of a publication): the
# ecriture plugin deletes, at the very end, every file this build neither wrote nor
# found already right (pages of a deleted article, stale compressed copies, a file put
# there by hand). OUTPUT_RETENTION (.git) is left alone, as Pelican would.
DELETE_OUTPUT_DIRECTORY = False
ECRITURE_SORTIE_EXACTE = True
# Production reads again only the sources that changed since the last publication.
# Pelican's content cache is kept by the stamp of the settings, plugins and their code
# (plugins/frontmatter): production and writing builds each have their own, never mixed.
# Keyed by each file's SHA-256, not its date: a file restored with its old date is read
# again. A scheduled article still goes out on its date (Pelican caches what the reader
# returns, not the article: the date is checked at every build), and a file whose reading
# warned is never cached, so --strict stops at every publication until it is fixed.
LOAD_CONTENT_CACHE = True
CACHE_CONTENT = True
CHECK_MODIFIED_METHOD = "sha256"

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
PRECOMPRESS_OVERWRITE = True  # a copy left by the last publication may be of another text

# --- Deploy (invoke publish / invoke gh-pages) -----------------------------------------
# rsync --delete acts only inside this exact folder: give the blog its own folder.
DEPLOY_RSYNC_TARGET = os.environ.get("DEPLOY_RSYNC_TARGET", "deploy@leblog.example:/var/www/leblog/")
DEPLOY_GH_PAGES_BRANCH = "gh-pages"
DEPLOY_GH_PAGES_REMOTE = "origin"
