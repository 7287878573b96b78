"""Rules that read the built output/: links, anchors, images, placeholder text of the theme.

Why after the build: only the written pages know every address the theme produces
(navigation, tag cloud, pagination, feeds), and the ids that anchors point to.

One pass parses each HTML file once (selectolax/lexbor) and keeps only what the rules
need: its ids, its internal links, its images without alt, the placeholder text it
shows. A second pass resolves the links against the set of written files, with a cache
keyed on (folder, address) since the header and footer repeat the same links on every
page. A problem in an article's page is reported at the Markdown line that holds the
link when it can be found there; a problem coming from the theme (same link on many
pages) is reported once, with the number of pages.
"""

from __future__ import annotations

import functools
import os
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser

import _processus as processus
from frontmatter.frontmatter import display_path

from .patterns import patterns_by_rule
from .report import Finding, finding
from .rules_content import output_file
from .source import Document

LINK_SELECTOR = ("a[href], area[href], link[href], img, source, script[src], iframe[src], "
                 "video, audio, track[src], embed[src], form[action], "
                 'meta[property="og:image"], meta[name="twitter:image"]')
HIDDEN_TEXT_TAGS = ["script", "style", "code", "pre", "kbd", "samp", "template", "noscript"]
EXTERNAL_RE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
IMAGE_TAGS = {"img", "source", "meta", "video"}
TEXT_RULES = ("placeholder", "placeholder-todo")


@dataclass
class Page:
    """What the rules keep of one written HTML file."""

    rel: str
    ids: set[str] = field(default_factory=set)
    links: list[tuple[bool, str]] = field(default_factory=list)  # (is image, address)
    images_without_alt: list[str] = field(default_factory=list)
    texts: list[tuple[str, str, str]] = field(default_factory=list)  # (code, pattern, text)


def scan_page(path: Path, rel: str, known_texts: dict[str, list] | None = None) -> Page:
    """Parse one page once. `known_texts` caches the placeholder hits of each line of
    text across pages: the header, sidebar and footer are scanned once per site."""
    known_texts = {} if known_texts is None else known_texts
    tree = LexborHTMLParser(path.read_bytes().decode("utf-8", errors="replace"))
    page = Page(rel)
    for node in tree.css("[id]"):
        page.ids.add(node.attributes.get("id") or "")
    for node in tree.css("a[name]"):
        page.ids.add(node.attributes.get("name") or "")
    for node in tree.css(LINK_SELECTOR):
        _collect_links(node, page)
    tree.strip_tags(HIDDEN_TEXT_TAGS)
    body = tree.body
    if body is not None:
        for line in body.text(separator="\n").splitlines():
            line = line.strip()
            if not line:
                continue
            if line not in known_texts:
                known_texts[line] = text_hits(line)
            page.texts += known_texts[line]
    return page


def text_hits(line: str) -> list[tuple[str, str, str]]:
    rules = patterns_by_rule()
    return [(code, pattern.id, matched.strip())
            for code in TEXT_RULES for pattern, matched in rules[code].finditer(line)]


def _collect_links(node, page: Page) -> None:
    attributes = node.attributes
    tag = node.tag
    image = tag in IMAGE_TAGS
    if tag == "img" and "alt" not in attributes:
        page.images_without_alt.append(attributes.get("src") or "")
    for name in ("href", "src", "poster", "action", "content"):
        value = attributes.get(name)
        if value:
            page.links.append((image or name == "poster", value))
    srcset = attributes.get("srcset")
    if srcset:
        for candidate in srcset.split(","):
            address = candidate.strip().split(" ")[0]
            if address:
                page.links.append((True, address))


class Resolver:
    """Maps an address seen on a page to a written file, memoised per folder."""

    def __init__(self, files: set[str], siteurl: str):
        self.files = files
        self.siteurl = siteurl.rstrip("/")
        self.cache: dict[tuple[str, str], tuple[str, str | None, str] | None] = {}

    def resolve(self, folder: str, address: str):
        """None (external, nothing to check) or (status, target, fragment)."""
        # Only a relative address depends on the page's folder: /…, #…, and a full
        # address (the site's own in production, where every link is absolute) are
        # the same from every page, so each is resolved once for the whole site.
        relative = not address.startswith(("/", "#")) and not EXTERNAL_RE.match(address)
        key = (folder if relative else "", address)
        try:
            return self.cache[key]
        except KeyError:
            result = self.cache[key] = self._resolve(folder, address.strip())
            return result

    def _resolve(self, folder: str, address: str):
        if self.siteurl and address.startswith(self.siteurl):
            address = address[len(self.siteurl):] or "/"
        if not address or EXTERNAL_RE.match(address) or "{" in address:
            return None  # unresolved {filename} links are reported from the source
        parts = urlsplit(address)
        path, fragment = unquote(parts.path), unquote(parts.fragment)
        if not path:
            return ("same", None, fragment)
        target = posixpath.normpath(path.lstrip("/") if path.startswith("/")
                                    else posixpath.join(folder, path))
        if target.startswith(".."):
            return ("missing", target, fragment)
        if target == ".":
            target = ""
        candidates = ([posixpath.join(target, "index.html")] if path.endswith("/") or not target
                      else [target, posixpath.join(target, "index.html")])
        for candidate in candidates:
            if candidate in self.files:
                return ("ok", candidate, fragment)
        return ("missing", candidates[0], fragment)


MIN_PAGES_PER_PROCESS = 200  # ~2 ms a page: below this a fork is not worth it


def scan_pages(output_dir: Path, rels: list[str]) -> list[Page]:
    """Pages of one share; texts already seen in the share are not searched again."""
    known_texts: dict[str, list] = {}
    return [scan_page(output_dir / rel, rel, known_texts) for rel in rels]


def check_output(output_dir: Path, settings: dict, docs: list[Document],
                 output_of: dict[str, Document]) -> tuple[list[Finding], int]:
    """All output findings, and the number of HTML files read."""
    files = {p.relative_to(output_dir).as_posix() for p in output_dir.rglob("*") if p.is_file()}
    html_files = [rel for rel in sorted(files) if rel.endswith((".html", ".htm"))]
    processes = processus.process_count(0, len(html_files), MIN_PAGES_PER_PROCESS)
    scanned = processus.map_shares(functools.partial(scan_pages, output_dir), html_files, processes)
    by_rel = {page.rel: page for share in scanned for page in share}
    pages = {rel: by_rel[rel] for rel in html_files}  # in path order, as messages list them
    resolver = Resolver(files, settings.get("SITEURL") or "")
    found: list[Finding] = []
    shared: dict[tuple, list[str]] = defaultdict(list)  # theme problems: one finding
    details: dict[tuple, tuple[str, str, str]] = {}

    def problem(page, code, address, message, fix):
        doc = output_of.get(page.rel)
        line = doc.find_line(address, unquote(address)) if doc else None
        if doc and line:
            found.append(finding(doc.display, line, code,
                                 f"{message} (dans {display_path(str(output_dir / page.rel))})",
                                 fix))
            return
        key = (code, address, message)
        shared[key].append(page.rel)
        details[key] = (address, message, fix)

    for page in pages.values():
        folder = posixpath.dirname(page.rel)
        for is_image, address in page.links:
            resolved = resolver.resolve(folder, address)
            if resolved is None:
                continue
            status, target, fragment = resolved
            if status == "missing":
                code = "missing-image" if is_image else "broken-link"
                problem(page, code, address, f"« {address} » : {target} absent de la "
                        "construction", "corrigez l’adresse (un article est à /<slug>/) "
                        "ou ajoutez le fichier manquant")
                continue
            target = target or page.rel
            if fragment and target in pages and fragment not in pages[target].ids \
                    and not fragment.startswith(":~:"):
                problem(page, "broken-anchor", address,
                        f"ancre « #{fragment} » absente de {target}",
                        "reprenez l’ancre depuis la page construite (les intertitres ont "
                        "des ancres tirées de leur texte)")
        for source in page.images_without_alt:
            problem(page, "image-alt", source, f"image « {source} » sans attribut alt",
                    'ajoutez alt="…" (alt="" pour une image décorative du thème)')

    found += _shared_findings(output_dir, shared, details)
    found += _text_findings(output_dir, pages, docs)
    return found, len(pages)


def _shared_findings(output_dir, shared, details) -> list[Finding]:
    found = []
    for key, rels in shared.items():
        address, message, fix = details[key]
        first = rels[0]
        more = (f", et {len(rels) - 1} autre(s) page(s) : vient du thème ou des réglages"
                if len(rels) > 1 else "")
        found.append(finding(display_path(str(output_dir / first)),
                             html_line(output_dir / first, address), key[0],
                             f"{message}{more}", fix))
    return found


def _text_findings(output_dir, pages, docs) -> list[Finding]:
    """Placeholder text shown by the theme: once per text, unless the source has it."""
    sources = "\n".join("\n".join(doc.lines) for doc in docs).lower()
    seen: dict[tuple, list[str]] = defaultdict(list)
    for page in pages.values():
        for code, pattern_id, text in page.texts:
            if text.lower() not in sources:
                seen[(code, pattern_id, text)].append(page.rel)
    found = []
    for (code, pattern_id, text), rels in seen.items():
        more = f", et {len(rels) - 1} autre(s) page(s)" if len(rels) > 1 else ""
        path = output_dir / rels[0]
        found.append(finding(
            display_path(str(path)), html_line(path, text), code,
            f"texte « {text} » affiché par le thème ou la configuration [{pattern_id}]{more}",
            "remplacez-le dans theme/ (i18n/fr.yaml, templates) ou dans pelicanconf.py"))
    return found


def html_line(path: Path, needle: str) -> int:
    """Line of `needle` in a written file (only called for the rare problems)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else 1


def output_map(docs: list[Document], settings: dict) -> dict[str, Document]:
    """Written file (relative to output/) → the Markdown file it comes from."""
    mapping = {}
    for doc in docs:
        if doc.kind == "other":
            continue
        target = output_file(doc, settings)
        if target:
            mapping[posixpath.normpath(target.replace(os.sep, "/"))] = doc
    return mapping
