"""Réglages de prévisualisation et de développement du blog.

Every path is absolute (anchored on this file) so the same configuration works on any
content folder given on the command line: `pelican AUTRE_DOSSIER -s pelicanconf.py`.
`publishconf.py` imports this file and only changes what production needs.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# Pelican loads each plugin alone; with plugins/ on the path they share plugins/_texte.
if str(ROOT / "plugins") not in sys.path:
    sys.path.insert(0, str(ROOT / "plugins"))

# --- Site -----------------------------------------------------------------------------
SITENAME = "Le Blog"
SITESUBTITLE = "Technologies, énergie, mobilité : l’actualité qui façonne demain"
SITEURL = ""
AUTHOR = "La rédaction"
NEWSROOM_EMAIL = "redaction@leblog.example"
DEFAULT_LANG = "fr"
TIMEZONE = "Europe/Paris"
DEFAULT_DATE_FORMAT = "%Y-%m-%d"  # templates use the Babel filters instead (see lecture_fr)

PATH = str(ROOT / "content")
OUTPUT_PATH = str(ROOT / "output")
THEME = str(ROOT / "theme")
CACHE_PATH = str(ROOT / ".cache" / "pelican")
PAGE_PATHS = ["pages"]
ARTICLE_EXCLUDES = ["pages", "etiquettes", "images"]
STATIC_PATHS = ["images"]
# Editors' backups and locks; « ._x.md », the resource fork macOS writes beside a file
# copied to a USB stick or a network share (binary: Pelican would report it as a broken article).
IGNORE_FILES = [".#*", "*~", "*.swp", "._*", "README.md"]

# --- Plugins (order matters: the text path is read → pull quotes → typography) ---------
PLUGIN_PATHS = [str(ROOT / "plugins")]
PLUGINS = [
    "frontmatter",
    "lecture_parallele",  # sources read on every core before Pelican's reading loop
    "adresses",  # source paths resolved once per content (URLs are read ~20× each)
    "pullquotes",
    "tableaux",  # table column alignment as classes (the CSP drops style attributes)
    "typographie",
    "categories",
    "lecture_fr",
    "fragments",
    "tag_pages",
    "covers",
    "feuilles",  # THEME_STYLESHEETS joined into one file: one render-blocking request
    "sommaire",  # sommaire, seo, flux, search: after typographie (final text)
    "seo",
    "flux",
    "search",
    "pelican.plugins.sitemap",
    "reproductible",  # after sitemap: dates its list pages from the content, not the clock
    "ecriture",  # last: renders the queued pages and feeds after every other generator
]

# --- Categories: the one place where the tree is declared ------------------------------
# Parent → children. An article names its child category (or a parent) in `category:`.
CATEGORY_TREE = {
    "Technologies et Avenirs": [
        "Intelligence Artificielle",
        "Cybersécurité",
        "Informatique quantique",
    ],
    "Énergie et Climat": ["Énergies renouvelables", "Nucléaire"],
    "Mobilité": ["Véhicules électriques", "Transports urbains"],
    "Économie numérique": ["Startups", "Régulation"],
}
# One colour per parent category; children get shades of it (covers, labels).
CATEGORY_COLORS = {
    "Technologies et Avenirs": "#1f3a8a",
    "Énergie et Climat": "#14532d",
    "Mobilité": "#7c2d12",
    "Économie numérique": "#581c87",
}

# --- Addresses (SPEC: stable, directory style) -----------------------------------------
ARTICLE_URL = "{slug}/"
ARTICLE_SAVE_AS = "{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
# Drafts are never written; preview (SHOW_DRAFTS) shows them at their final address.
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
CATEGORY_URL = "categorie/{slug}/"
CATEGORY_SAVE_AS = "categorie/{slug}/index.html"
CATEGORIES_URL = "categories/"
CATEGORIES_SAVE_AS = "categories/index.html"
TAG_URL = "etiquette/{slug}/"
TAG_SAVE_AS = "etiquette/{slug}/index.html"
TAGS_URL = "etiquettes/"
TAGS_SAVE_AS = "etiquettes/index.html"
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = "archives/index.html"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
INDEX_SAVE_AS = "index.html"
INDEX_URL = ""  # page 1 of the home is "/", never "/index.html" (rel="prev" of page 2)
DIRECT_TEMPLATES = ["index", "tags", "categories", "archives", "search", "notfound", "robots",
                    "partage_mastodon"]
PARTAGE_MASTODON_SAVE_AS = "partager/mastodon/index.html"  # asks for the reader's instance
ROBOTS_SAVE_AS = "robots.txt"
SEARCH_URL = "recherche/"
SEARCH_SAVE_AS = "recherche/index.html"
NOTFOUND_SAVE_AS = "404.html"
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
DEFAULT_PAGINATION = 10
PAGINATED_TEMPLATES = {"index": None, "tag": None, "category": None, "author": None}
# One slug per article: two files with the same slug are an error (see frontmatter),
# never silently merged as "translations" of each other.
ARTICLE_TRANSLATION_ID = None
PAGE_TRANSLATION_ID = None
# Apostrophes separate words in French slugs: « l’IA » → `l-ia`, not `lia`.
SLUG_REGEX_SUBSTITUTIONS = [
    (r"['’]", " "),
    (r"[^\w\s-]", ""),
    (r"(?u)\A\s*", ""),
    (r"(?u)\s*\Z", ""),
    (r"[-\s_]+", "-"),
]
TAG_REGEX_SUBSTITUTIONS = SLUG_REGEX_SUBSTITUTIONS
CATEGORY_REGEX_SUBSTITUTIONS = SLUG_REGEX_SUBSTITUTIONS

# --- Drafts and scheduled articles -----------------------------------------------------
# Not published by default; `invoke build --drafts` / `invoke livereload` show both,
# with a « Brouillon » banner.
SHOW_DRAFTS = False
WITH_FUTURE_DATES = False

# --- Feeds (relative in preview; absolute in publishconf) ------------------------------
# Feeds need absolute links; in preview they point at the local server.
FEED_DOMAIN = "http://127.0.0.1:8000"
FEED_ALL_ATOM = "feeds/atom.xml"
FEED_ALL_RSS = "feeds/rss.xml"
CATEGORY_FEED_ATOM = "feeds/categorie/{slug}.atom.xml"
CATEGORY_FEED_RSS = None
TAG_FEED_ATOM = "feeds/etiquette/{slug}.atom.xml"
TAG_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
FEED_MAX_ITEMS = 20
RSS_FEED_SUMMARY_ONLY = False

# --- Markdown and templates ------------------------------------------------------------
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.codehilite": {"css_class": "highlight", "guess_lang": False},
        # Footnotes: the back link's tooltip in French (Python-Markdown's is English).
        "markdown.extensions.extra": {
            "footnotes": {"BACKLINK_TITLE": "Revenir à l’appel de note %d"},
        },
        # Heading anchors; the sommaire plugin adds an ASCII slugify and a French aria-label.
        "markdown.extensions.toc": {
            "permalink": "#",
            "permalink_class": "headerlink",
            "permalink_title": "Lien permanent vers cette section",
        },
        "markdown.extensions.meta": {},
        # `5.` starts a list at 5 (`<ol start="5">`): a plan's steps keep their numbers;
        # a bulleted list and a numbered one that follow each other stay two lists.
        "markdown.extensions.sane_lists": {},
    },
    "output_format": "html5",
}
JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "autoescape": True,  # titles are text: « <script> » in a title stays inert
    # Pelican makes a new environment for every build: checking each template's mtime
    # at every include (the default) only cost stat() calls, 20 000 per 1000 articles.
    "auto_reload": False,
    "extensions": [],
}
# Pelican's content cache (CACHE_PATH/contenu/): a rebuild reads only the articles that
# changed. frontmatter keeps one per stamp of the settings, plugins, their code and the
# Markdown libraries (Pelican itself only looks at each file's date): a change reads
# everything again, and production (publishconf.py) keeps its own.
LOAD_CONTENT_CACHE = True
CACHE_CONTENT = True
DELETE_OUTPUT_DIRECTORY = False
OUTPUT_RETENTION = [".git"]
RELATIVE_URLS = False
SUMMARY_MAX_LENGTH = 40
DEFAULT_METADATA = {}

# --- Checks before publishing (`invoke check`, tools/check/README.md) -------------------
# Severity per rule code: "error" (blocks), "warning" or "off", e.g.
# {"typo-double-space": "off", "placeholder-todo": "warning"}. One file silences a rule
# with `check_ignore: [rule-code]` in its front-matter.
CHECK_SEVERITY = {}

# --- Theme -----------------------------------------------------------------------------
THEME_STATIC_DIR = "theme"
# The site's mark as a raster image (tools/icons.py draws it from favicon.svg): the
# publisher's logo in each article's JSON-LD.
SEO_PUBLISHER_LOGO = "theme/icons/icon-512.png"
THEME_STYLESHEETS = ["fonts", "variables", "base", "layout", "cards", "article", "pullquote", "tags", "toc", "share"]
TAG_CLOUD_MAX = 30
# Tags merged on purpose (plugins/tag_pages/README.md): {"IA": "intelligence artificielle"}.
TAG_ALIASES = {}
SITEMAP = {
    "format": "xml",
    "priorities": {"articles": 0.8, "indexes": 0.5, "pages": 0.4},
    "changefreqs": {"articles": "monthly", "indexes": "daily", "pages": "monthly"},
    "exclude": ["^404\\.html$", "^recherche/", "^partager/", "^robots\\.txt$"],
}
