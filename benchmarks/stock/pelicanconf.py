"""Stock Pelican 4.12, the baseline of `invoke bench`: `simple` theme, no plugins.

Only what makes the baseline produce the same kinds of pages as our site: directory
URLs, the home, categories and tags paginated by 10, the site feeds and one Atom feed per
category and per tag. Nothing else differs from Pelican's defaults. PATH, OUTPUT_PATH and
CACHE_PATH are given on the command line by benchmarks/bench.py.
"""

SITENAME = "Banc d’essai"
SITEURL = ""
AUTHOR = "La rédaction"
TIMEZONE = "Europe/Paris"
DEFAULT_LANG = "fr"

THEME = "simple"
# An explicit empty list: with PLUGINS unset Pelican would load every namespace plugin
# installed in the virtualenv (sitemap, yaml_metadata…), and the baseline would not be stock.
PLUGINS = []

ARTICLE_URL = "{slug}/"
ARTICLE_SAVE_AS = "{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "categorie/{slug}/"
CATEGORY_SAVE_AS = "categorie/{slug}/index.html"
TAG_URL = "etiquette/{slug}/"
TAG_SAVE_AS = "etiquette/{slug}/index.html"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""

DEFAULT_PAGINATION = 10
PAGINATED_TEMPLATES = {"index": None, "tag": None, "category": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

FEED_DOMAIN = "http://127.0.0.1:8000"
FEED_ALL_ATOM = "feeds/atom.xml"
FEED_ALL_RSS = "feeds/rss.xml"
CATEGORY_FEED_ATOM = "feeds/categorie/{slug}.atom.xml"
TAG_FEED_ATOM = "feeds/etiquette/{slug}.atom.xml"
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
FEED_MAX_ITEMS = 20

# The warm baseline of the issue: stock Pelican with its content cache on.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
RELATIVE_URLS = False
