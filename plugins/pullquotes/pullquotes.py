"""Citations mises en exergue (« pull quotes ») pour Python-Markdown et Pelican.

Un rédacteur écrit une citation comme une citation Markdown ordinaire et signe
le dernier paragraphe d’un tiret :

    > Nous sommes très favorables à l’open source.
    >
    > – Mark Zuckerberg, lors d’un podcast en 2024

et le lecteur reçoit une figure sémantique, la même dans les pages et les flux :

    <figure class="pullquote">
    <blockquote>
    <p>Nous sommes très favorables à l’open source.</p>
    </blockquote>
    <figcaption>– <cite>Mark Zuckerberg</cite>, lors d’un podcast en 2024</figcaption>
    </figure>

L’orateur est ce qui précède la première virgule de l’attribution (une virgule
à l’intérieur d’un lien ou d’une emphase ne compte pas) ; la suite reste du
texte dans la légende, après `</cite>`. Toute autre citation reste un simple
`<blockquote>`. Une attribution seule (aucun texte cité) est laissée telle
quelle : le récepteur Pelican le signale en nommant le fichier.

Processeurs enregistrés (priorités de Python-Markdown : `inline` 20,
`prettify` 10, `unescape` 0) :

| nom         | type          | priorité | pourquoi là                                      |
| ----------- | ------------- | -------- | ------------------------------------------------ |
| `pullquote` | Treeprocessor | 15       | après `inline` : l’attribution est déjà découpée |
|             |               |          | en éléments (liens, emphase), on cherche donc la |
|             |               |          | virgule hors de ceux-ci ; avant `prettify`, qui  |
|             |               |          | met ainsi en forme la figure comme le reste.     |

Côté Pelican, `register()` ajoute l’extension à `MARKDOWN["extensions"]`
(signal `initialized`) et expose la première citation de chaque contenu à
Jinja : `article.pullquote = {"text", "cite", "context"}` ou `None` (signal
`content_object_init`), pour la carte de partage et la méta-description.

Ordre avec le greffon `typographie` : les deux écoutent `content_object_init`,
et blinker ne garantit pas l’ordre des récepteurs. Ce module extrait donc le
texte brut du HTML tel qu’il est à ce moment-là, et `typographie` applique
`typographier_texte` aux champs de `content.pullquote` s’il existe déjà. La
typographie étant idempotente, le résultat est le même dans les deux ordres.
"""

from __future__ import annotations

import logging
import functools
import html as html_module
import re
import xml.etree.ElementTree as etree

import markdown
from _texte import with_markdown_extension
from markdown.treeprocessors import Treeprocessor

logger = logging.getLogger(__name__)

#: Valeurs par défaut des réglages Pelican, posées par `settings.setdefault`.
DEFAULTS = {
    # Tirets qui ouvrent une attribution (cadratin, demi-cadratin, double trait).
    "PULLQUOTE_DASHES": ["—", "–", "--"],
    # Classe CSS de la figure ; le thème la met en forme (pullquote.css).
    "PULLQUOTE_CSS_CLASS": "pullquote",
    # Texte placé dans la légende avant <cite> : le tiret reste visible dans
    # les lecteurs de flux, qui n’ont pas notre CSS. Tiret + espace insécable
    # pour qu’il ne reste jamais seul en fin de ligne.
    "PULLQUOTE_PREFIX": "–\u00a0",
}

# Formes HTML des tirets, pour reconnaître une attribution dans le HTML produit
# (un autre greffon, smarty par exemple, a pu les écrire en entités).
_DASH_ENTITIES = {
    "—": ("&mdash;", "&#8212;", "&#x2014;"),
    "–": ("&ndash;", "&#8211;", "&#x2013;"),
}


def _dash_pattern(dashes) -> str:
    """Alternative regex des tirets, les plus longs d’abord (`---` avant `--`)."""
    forms = set()
    for dash in dashes:
        forms.add(dash)
        forms.update(_DASH_ENTITIES.get(dash, ()))
    return "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))


class PullQuoteTreeprocessor(Treeprocessor):
    """Transforme les citations signées d’un tiret en `<figure>`."""

    def __init__(self, md, config):
        super().__init__(md)
        dashes = sorted(config["dashes"], key=len, reverse=True)
        self.css_class = config["css_class"]
        self.prefix = config["prefix"]
        alternation = "|".join(re.escape(d) for d in dashes)
        # Attribution en tête de paragraphe.
        self.start_re = re.compile(rf"\s*(?:{alternation})[ \t\u00a0\u202f]*")
        # Attribution sur la dernière ligne d’un paragraphe (le rédacteur a
        # oublié la ligne « > » vide) : un saut de ligne puis un tiret.
        self.line_re = re.compile(rf"\n[ \t]*(?={alternation})")
        self.after_br_re = re.compile(rf"\s*(?={alternation})")

    def run(self, root):
        # On collecte d’abord : on ne modifie pas l’arbre pendant qu’on le parcourt.
        pairs = [
            (parent, child)
            for parent in root.iter()
            for child in parent
            if child.tag == "blockquote"
        ]
        for parent, quote in pairs:
            for part in self._split_merged(parent, quote):
                self._convert(parent, part)
        return None

    def _split_merged(self, parent, quote) -> list:
        """Two quotes in a row, each signed, are two quotes.

        Python-Markdown joins `> a` / `> – A`, a blank line, then `> b` / `> – B` into
        one blockquote: without this, the reader would see both texts credited to B.
        The quote is cut after every signed paragraph that is not its last child.
        """
        children = list(quote)
        groups, current = [], []
        for i, child in enumerate(children):
            if child.tag == "p" and i < len(children) - 1:
                if current and child.text and self.start_re.match(child.text) \
                        and self._signed(child):
                    groups.append([*current, child])
                    current = []
                    continue
                split = self._split_last_line(child)
                if split is not None:
                    groups.append([*current, *split])
                    current = []
                    continue
            current.append(child)
        if not groups:
            return [quote]
        if current:
            groups.append(current)
        parts = [quote]
        for child in children:
            quote.remove(child)
        quote.extend(groups[0])
        index = list(parent).index(quote)
        for offset, group in enumerate(groups[1:], start=1):
            part = etree.Element("blockquote")
            part.text, part.tail = "\n", quote.tail
            part.extend(group)
            parent.insert(index + offset, part)
            parts.append(part)
        return parts

    # -- détection ----------------------------------------------------------

    def _attribution(self, quote):
        """Le `<p>` d’attribution (retiré de la citation), ou None.

        Renvoie None, et ne touche à rien, si la citation n’est pas signée ou
        si elle ne contient que l’attribution.
        """
        if len(quote) == 0:
            return None
        last = quote[-1]
        if last.tag != "p":
            return None
        if last.text and self.start_re.match(last.text):
            if len(quote) == 1 or not self._signed(last):
                return None  # attribution seule, ou tiret sans nom : intacte
            quote.remove(last)
            return last
        split = self._split_last_line(last)
        if split is not None:
            quote.remove(last)
            quote.append(split[0])
            return split[1]
        return None

    def _signed(self, para) -> bool:
        """Vrai si quelque chose suit le tiret (un nom, un lien…)."""
        return bool(len(para) or self.start_re.sub("", para.text or "", count=1).strip())

    def _split_last_line(self, para):
        """Coupe `texte\\n– Nom` en deux paragraphes, ou None.

        Seuls les textes au premier niveau du paragraphe comptent : un tiret
        en début de ligne à l’intérieur d’un lien ou d’une emphase n’est pas
        une attribution. Rien n’est modifié tant que la coupe n’est pas
        décidée : si ce n’est pas une attribution, le paragraphe reste intact.
        """
        children = list(para)
        segments = [(-1, para.text)] + [(i, c.tail) for i, c in enumerate(children)]
        for index, text in reversed(segments):
            if not text:
                continue
            newline = text.rfind("\n")
            if newline >= 0:
                found = self.line_re.match(text, newline)
            elif index >= 0 and children[index].tag == "br":
                # `texte  \n– Nom` : le saut de ligne est devenu un <br>.
                found = self.after_br_re.match(text)
            else:
                continue  # pas de saut de ligne ici : on remonte
            if found is None:
                return None  # la dernière ligne n’est pas signée
            before, after = text[: found.start()], text[found.end() :]
            after_children = children[index + 1 :]
            named = self.start_re.sub("", after, count=1).strip() or after_children
            quoted = before.strip() or (
                index >= 0
                and ((para.text or "").strip() or index > 0 or children[0].tag != "br")
            )
            if not (named and quoted):
                return None
            # Décidé : on construit les deux paragraphes.
            quote_p = etree.Element("p", dict(para.attrib))
            attr_p = etree.Element("p")
            attr_p.text = after
            attr_p.extend(after_children)
            quote_p.text = para.text if index >= 0 else before
            kept = children[: index + 1]
            quote_p.extend(kept)
            if kept:
                kept[-1].tail = before or None
                # Un <br> final ne sert plus à rien une fois la ligne coupée.
                if kept[-1].tag == "br" and not before.strip():
                    quote_p.remove(kept[-1])
                    if len(quote_p):
                        quote_p[-1].tail = (quote_p[-1].tail or "").rstrip() or None
                    else:
                        quote_p.text = (quote_p.text or "").rstrip() or None
            return quote_p, attr_p
        return None

    # -- construction -------------------------------------------------------

    def _convert(self, parent, quote):
        attribution = self._attribution(quote)
        if attribution is None:
            return
        index = list(parent).index(quote)
        figure = etree.Element("figure", {"class": self.css_class})
        figure.tail = quote.tail
        quote.tail = "\n"
        parent.remove(quote)
        parent.insert(index, figure)
        figure.text = "\n"
        figure.append(quote)
        figcaption = etree.SubElement(figure, "figcaption")
        figcaption.tail = "\n"
        figcaption.text = self.prefix or None
        cite = etree.SubElement(figcaption, "cite")
        self._fill(attribution, figcaption, cite)

    def _fill(self, attribution, figcaption, cite):
        """Répartit l’attribution : orateur dans `cite`, le reste après."""
        text = self.start_re.sub("", attribution.text or "", count=1)
        children = list(attribution)
        comma = text.find(",")
        if comma >= 0:
            cite.text = text[:comma].rstrip()
            cite.tail = text[comma:]
            figcaption.extend(children)
            return
        cite.text = text
        for i, child in enumerate(children):
            tail = child.tail or ""
            comma = tail.find(",")
            if comma >= 0:
                child.tail = tail[:comma].rstrip() or None
                cite.extend(children[: i + 1])
                cite.tail = tail[comma:]
                figcaption.extend(children[i + 1 :])
                return
        cite.extend(children)
        if children:
            children[-1].tail = (children[-1].tail or "").rstrip() or None
        else:
            cite.text = text.rstrip()


class PullQuoteExtension(markdown.Extension):
    """Extension Python-Markdown des citations mises en exergue."""

    def __init__(self, **kwargs):
        self.config = {
            "dashes": [
                list(DEFAULTS["PULLQUOTE_DASHES"]),
                "Tirets qui ouvrent une attribution. Défaut : `['—', '–', '--']`.",
            ],
            "css_class": [
                DEFAULTS["PULLQUOTE_CSS_CLASS"],
                "Classe CSS de la figure. Défaut : `pullquote`.",
            ],
            "prefix": [
                DEFAULTS["PULLQUOTE_PREFIX"],
                "Texte avant `<cite>` dans la légende. Défaut : tiret demi-cadratin"
                " et espace insécable.",
            ],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        md.registerExtension(self)
        md.treeprocessors.register(
            PullQuoteTreeprocessor(md, self.getConfigs()), "pullquote", 15
        )


def makeExtension(**kwargs):  # noqa: N802 (nom imposé par Python-Markdown)
    return PullQuoteExtension(**kwargs)


# ---------------------------------------------------------------------------
# Lecture du HTML produit (pour `content.pullquote` et les avertissements)
# ---------------------------------------------------------------------------

_SPACES = re.compile(r"[ \t\r\n]+")
_TAG_SPLIT = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)")
_SPACED_TAGS = frozenset({"p", "li", "br", "div", "blockquote", "ul", "ol"})


def _clean(pieces) -> str:
    return _SPACES.sub(" ", html_module.unescape("".join(pieces))).strip()


def _read_figure(fragment: str) -> dict:
    """Texte cité, orateur et contexte d’une figure (son contenu HTML).

    Un découpage balises / texte suffit : le fragment vient de Markdown, et
    on n’en veut que le texte. Plus rapide qu’HTMLParser sur chaque page.
    """
    parts = {"quote": [], "cite": [], "context": []}
    depth = {"blockquote": 0, "figcaption": 0, "cite": 0}
    cite_seen = False
    where = None
    for index, piece in enumerate(_TAG_SPLIT.split(fragment)):
        if index % 2 == 0:
            if piece and where:
                parts[where].append(piece)
            continue
        tag = _TAG_NAME.match(piece)
        if tag is None:
            continue
        closing, name = tag.group(1), tag.group(2).lower()
        if name in depth:
            if not closing:
                depth[name] += 1
            elif depth[name]:
                depth[name] -= 1
                if name == "cite" and not depth["blockquote"]:
                    cite_seen = True
        if name in _SPACED_TAGS and where:
            parts[where].append(" ")
        if depth["blockquote"]:
            where = "quote"
        elif depth["cite"]:
            where = "cite"
        elif depth["figcaption"] and cite_seen:
            where = "context"
        else:
            where = None  # le tiret avant <cite>, ou hors de la figure
    context = _clean(parts["context"])
    if context.startswith(","):
        context = context[1:].lstrip()
    return {"text": _clean(parts["quote"]), "cite": _clean(parts["cite"]), "context": context}


def _matching_end(html: str, start: int, tag: str) -> int:
    """Position juste après la balise fermante qui équilibre celle en `start`."""
    depth = 0
    for m in _tag_re(tag).finditer(html, start):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.end()
    return len(html)


@functools.lru_cache(maxsize=None)
def _tag_re(tag):
    return re.compile(rf"<(/?){tag}\b[^>]*>", re.I)


@functools.lru_cache(maxsize=None)
def _figure_re(css_class):
    return re.compile(
        rf"""<figure\b[^>]*\bclass=["'](?:[^"']*\s)?{re.escape(css_class)}(?:\s[^"']*)?["'][^>]*>"""
    )


@functools.lru_cache(maxsize=None)
def _orphan_re(dashes):
    # Une citation dont le premier paragraphe commence par un tiret : la
    # seule qui puisse n’être qu’une attribution. On vérifie ensuite qu’elle
    # ne contient que ce paragraphe.
    return re.compile(
        rf"<blockquote\b[^>]*>\s*<p\b[^>]*>\s*(?:{_dash_pattern(dashes)})", re.I
    )


_ONLY_P = re.compile(r"\s*<p\b[^>]*>(?:(?!</?p\b|</?blockquote\b).)*</p>\s*", re.S | re.I)


def extraire_citation(html: str, css_class: str = "pullquote") -> dict | None:
    """Première citation mise en exergue du HTML, en texte brut, ou None.

    >>> extraire_citation('<figure class="pullquote"><blockquote><p>Oui.</p>'
    ...     '</blockquote><figcaption>– <cite>Ada</cite>, en 1843</figcaption>'
    ...     '</figure>')
    {'text': 'Oui.', 'cite': 'Ada', 'context': 'en 1843'}
    >>> extraire_citation('<blockquote><p>Non.</p></blockquote>') is None
    True
    """
    if "<figure" not in html:
        return None
    opening = _figure_re(css_class).search(html)
    if opening is None:
        return None
    end = _matching_end(html, opening.start(), "figure")
    return _read_figure(html[opening.end() : end])


def attributions_orphelines(html: str, dashes=DEFAULTS["PULLQUOTE_DASHES"]) -> list[str]:
    """Citations qui ne contiennent qu’une attribution (texte brut de chacune).

    >>> attributions_orphelines('<blockquote>\\n<p>– Ada &amp; Co</p>\\n</blockquote>')
    ['– Ada & Co']
    >>> attributions_orphelines('<blockquote><p>Oui.</p><p>– Ada</p></blockquote>')
    []
    """
    if "<blockquote" not in html:
        return []
    found = []
    for m in _orphan_re(tuple(dashes)).finditer(html):
        start = html.index(">", m.start()) + 1
        end = _matching_end(html, m.start(), "blockquote")
        inner = html[start:end]
        inner = inner[: inner.lower().rfind("</blockquote")]
        if _ONLY_P.fullmatch(inner):
            found.append(_clean([re.sub(r"<[^>]*>", "", inner)]))
    return found


# ---------------------------------------------------------------------------
# Pelican
# ---------------------------------------------------------------------------


def ajouter_extension(pelican):
    """`initialized` : réglages par défaut, puis l’extension dans MARKDOWN.

    On remplace le dictionnaire MARKDOWN par une copie au lieu de le modifier
    en place : il peut être partagé avec la configuration par défaut de Pelican
    (deux sites construits dans le même processus, les tests par exemple).
    """
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    settings["MARKDOWN"] = with_markdown_extension(
        settings.get("MARKDOWN"),
        PullQuoteExtension(
            dashes=list(settings["PULLQUOTE_DASHES"]),
            css_class=settings["PULLQUOTE_CSS_CLASS"],
            prefix=settings["PULLQUOTE_PREFIX"],
        ),
    )


def exposer_citation(content):
    """`content_object_init` : `content.pullquote` et avertissements.

    Le HTML est déjà rendu à ce moment-là ; on n’en relit que la figure
    (quelques centaines d’octets), pas la page entière.
    """
    html = getattr(content, "_content", None)
    if not isinstance(html, str):
        return
    settings = content.settings
    css_class = settings.get("PULLQUOTE_CSS_CLASS", DEFAULTS["PULLQUOTE_CSS_CLASS"])
    dashes = tuple(settings.get("PULLQUOTE_DASHES", DEFAULTS["PULLQUOTE_DASHES"]))
    content.pullquote = extraire_citation(html, css_class)
    for attribution in attributions_orphelines(html, dashes):
        logger.warning(
            "[pullquotes] %s : attribution sans texte cité, citation laissée telle"
            " quelle : « %s »",
            content.source_path,
            attribution,
        )


def register():
    """Branche le greffon.

    `initialized` parce que l’extension doit être dans MARKDOWN avant que le
    premier lecteur ne soit créé ; `content_object_init` parce que c’est le
    premier moment où le HTML rendu et le chemin du fichier sont réunis.
    """
    from pelican import signals

    signals.initialized.connect(ajouter_extension)
    signals.content_object_init.connect(exposer_citation)
