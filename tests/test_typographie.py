"""Typographie française : tables de phrases, propriétés, et un petit site.

Notation des tables : `⍽` = espace fine insécable (U+202F), `⎵` = espace
insécable (U+00A0), pour qu’on voie ce qu’on attend.
"""

import html as html_module
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
PLUGINS = ROOT / "plugins"
if str(PLUGINS) not in sys.path:
    sys.path.insert(0, str(PLUGINS))

from typographie import typographie as typo  # noqa: E402
from typographie.typographie import typographier_html, typographier_texte  # noqa: E402

FINE, INSEC = "\u202f", "\u00a0"


def show(text):
    """Chaîne lisible : ⍽ pour U+202F, ⎵ pour U+00A0."""
    return text.replace(FINE, "⍽").replace(INSEC, "⎵")


def p(text):
    return f"<p>{text}</p>"


# ---------------------------------------------------------------------------
# Tables : phrase d’entrée → phrase attendue (dans un <p>)
# ---------------------------------------------------------------------------

PONCTUATION = [
    ("Bonjour ! Ça va ? Oui ; merci.", "Bonjour⍽! Ça va⍽? Oui⍽; merci."),
    ("Bonjour! Ça va? Oui; merci.", "Bonjour⍽! Ça va⍽? Oui⍽; merci."),
    ("Deux points : voilà.", "Deux points⎵: voilà."),
    ("Deux points: voilà.", "Deux points⎵: voilà."),
    ("Espaces tapées  ?", "Espaces tapées⍽?"),
    ("Insécable tapée\u00a0?", "Insécable tapée⍽?"),
    ("Entité tapée&nbsp;?", "Entité tapée⍽?"),
    ("Déjà juste\u202f? Oui\u202f!", "Déjà juste⍽? Oui⍽!"),
    ("Quoi ?! Vraiment !!!", "Quoi⍽?! Vraiment⍽!!!"),
    ("Quoi?!", "Quoi⍽?!"),
    ("(vraiment !)", "(vraiment⍽!)"),
    ("(?)", "(?)"),
    ("? en tête de bloc", "? en tête de bloc"),
    ("Fin :", "Fin⎵:"),
    ("Il est 12:30 ou 9:05.", "Il est 12:30 ou 9:05."),
    ("Format 16:9 et std::vector.", "Format 16:9 et std::vector."),
    ("Écrivez-nous :) ou ;-) ou :D ou :'(", "Écrivez-nous :) ou ;-) ou :D ou :'("),
    ("En CSS, color: red !important", "En CSS, color⎵: red !important"),
    ("Voir page?id=3 et a!b", "Voir page?id=3 et a!b"),
    ("R&amp;D ; Q&amp;A", "R&amp;D⍽; Q&amp;A"),
    ("Un &lt;p&gt; ; un &#8212; tiret", "Un &lt;p&gt;⍽; un &#8212; tiret"),
]

GUILLEMETS = [
    ("Le « texte » et «texte»", "Le «⍽texte⍽» et «⍽texte⍽»"),
    ("«\u00a0texte\u00a0»", "«⍽texte⍽»"),
    ("&laquo;&nbsp;texte&nbsp;&raquo;", "«⍽texte⍽»"),
    ('Il a dit "bonjour".', "Il a dit «⍽bonjour⍽»."),
    ('Il a dit " bonjour ".', "Il a dit «⍽bonjour⍽»."),
    ('"Il a dit "oui" hier"', "«⍽Il a dit “oui” hier⍽»"),
    ("« Il a dit “oui” hier »", "«⍽Il a dit “oui” hier⍽»"),
    ("“Citation” anglaise tapée", "«⍽Citation⍽» anglaise tapée"),
    ("L'\"IA\" d'abord", "L’«⍽IA⍽» d’abord"),
    ('Un écran de 6,1" et 27"', 'Un écran de 6,1" et 27"'),
    ("Un &quot;droit&quot; voulu", "Un &quot;droit&quot; voulu"),
    ('Il a dit : "Quoi ?"', "Il a dit⎵: «⍽Quoi⍽?⍽»"),
]

APOSTROPHES_POINTS = [
    ("L'IA d'aujourd'hui", "L’IA d’aujourd’hui"),
    ("Et puis... rien [...]", "Et puis… rien […]"),
    ("Quatre points....", "Quatre points...."),
    ("Déjà… correct’", "Déjà… correct’"),
    ("Le mot 'bizarre' et 'très bien' ici", "Le mot ‘bizarre’ et ‘très bien’ ici"),
    ("Rock 'n' roll, les '90, l'« IA »", "Rock ’n’ roll, les ’90, l’«⍽IA⍽»"),
    ("Pommes, poires, etc... et etc… fin", "Pommes, poires, etc. et etc. fin"),
    ("Hein ? ! Quoi ?!", "Hein⍽?⍽! Quoi⍽?!"),
]

MOTS_LIES = [
    ("M. Dupont, MM. Durand, Mme Roux, Mlle Petit, Dr Martin", "M.⎵Dupont, MM.⎵Durand, Mme⎵Roux, Mlle⎵Petit, Dr⎵Martin"),
    ("le n° 5 et le n°12, N° 3", "le n°⎵5 et le n°⎵12, N°⎵3"),
    ("Au XIXe siècle, le 1er janvier, le 23 octobre 2025", "Au XIXe⎵siècle, le 1er⎵janvier, le 23⎵octobre 2025"),
    ("les 2e et 3e siècles ; 5 mais 3 maisons ; en mars", "les 2e et 3e⎵siècles⍽; 5 mais 3 maisons⍽; en mars"),
]

NOMBRES = [
    ("1500000 habitants", "1⍽500⍽000 habitants"),
    ("12345 et 123456", "12⍽345 et 123⍽456"),
    ("En 2025, 1984 et 9999", "En 2025, 1984 et 9999"),
    ("12345,678 et 3,14159", "12⍽345,678 et 3,14159"),
    ("v1.2.3, 10.0.0.1, 192.168.10.254", "v1.2.3, 10.0.0.1, 192.168.10.254"),
    ("CVE-2024-12345 et #12345 et n° 12345", "CVE-2024-12345 et #12345 et n°⎵12345"),
    ("ISO 27001 et RFC 9110", "ISO 27001 et RFC 9110"),
    ("75001 Paris et 75001 Metz", "75001 Paris et 75001 Metz"),
    ("12345 Go", "12⍽345⍽Go"),
    ("Le code 00123", "Le code 00123"),
    ("1 000 000 tapés", "1⍽000⍽000 tapés"),
    ("20% et 20 % et 20\u00a0%", "20⍽% et 20⍽% et 20⍽%"),
    ("1 000 € et 1000€ et 15 $", "1⍽000⍽€ et 1000⍽€ et 15⍽$"),
    ("1500000€", "1⍽500⍽000⍽€"),
    ("10h, 10 h et 10h30", "10⍽h, 10⍽h et 10⍽h⍽30"),
    ("De 14 h 30 à 9h05, pas 25h30 ni 114h30", "De 14⍽h⍽30 à 9⍽h⍽05, pas 25h30 ni 114h30"),
    ("3 Ko, 3Ko, 5 t de CO2 ; 2 tonnes, 3 types", "3⍽Ko, 3⍽Ko, 5⍽t de CO2⍽; 2 tonnes, 3 types"),
    ("Au 01 23 45 67 89 ou au +33 1 23 45 67 89.", "Au 01⍽23⍽45⍽67⍽89 ou au +33⍽1⍽23⍽45⍽67⍽89."),
    ("Code 1001 23 45 67 89, en 2025 45 12 30 20", "Code 1001 23 45 67 89, en 2025 45 12 30 20"),
    ("20°C, 90° et 3 Go ou 3Go", "20⍽°C, 90° et 3⍽Go ou 3⍽Go"),
    ("70 GWh, 65 W, 5 m, 45 min", "70⍽GWh, 65⍽W, 5⍽m, 45⍽min"),
    ("les années 1980s, la 4G, 5G", "les années 1980s, la 4G, 5G"),
    ("les 2 s’affrontent", "les 2 s’affrontent"),
    ("3 heures et 10 minutes", "3 heures et 10 minutes"),
]

LIENS = [
    (
        "Voir https://exemple.fr/a?b=1;c=2 !",
        "Voir https://exemple.fr/a?b=1;c=2⍽!",
    ),
    ("Site : www.exemple.fr/page:12345 ?", "Site⎵: www.exemple.fr/page:12345⍽?"),
    ("Écrire à jean.dupont@exemple.fr ?", "Écrire à jean.dupont@exemple.fr⍽?"),
    ("Le lien (https://exemple.fr/x)", "Le lien (https://exemple.fr/x)"),
    ("Tél. : mailto:a@b.fr", "Tél.⎵: mailto:a@b.fr"),
    # Une note de bas de page finit par `&#160;<a …>↩</a>` : l’entité n’est pas de l’URL.
    ("Voir https://exemple.fr/note.&#160;↩", "Voir https://exemple.fr/note.⎵↩"),
    ("&lt;https://x.fr/a&gt; ici ; https://x.fr/?a=1&amp;b=20000 !",
     "&lt;https://x.fr/a&gt; ici⍽; https://x.fr/?a=1&amp;b=20000⍽!"),
]

TABLES = PONCTUATION + GUILLEMETS + APOSTROPHES_POINTS + MOTS_LIES + NOMBRES + LIENS


@pytest.mark.parametrize("source, attendu", TABLES)
def test_phrase(source, attendu):
    assert show(typographier_html(p(source))) == show(p(attendu))


@pytest.mark.parametrize("source, attendu", TABLES)
def test_phrase_idempotente(source, attendu):
    once = typographier_html(p(source))
    assert typographier_html(once) == once


# ---------------------------------------------------------------------------
# HTML : ce qui n’est pas de la prose
# ---------------------------------------------------------------------------

HTML = [
    # code, clavier, exemples : intacts ; la ponctuation d’après, traitée
    ("<p>Lancez <code>ls -l ; echo ?</code>!</p>", "<p>Lancez <code>ls -l ; echo ?</code>⍽!</p>"),
    ("<p><kbd>Ctrl : C</kbd> ? <samp>Erreur !</samp></p>", "<p><kbd>Ctrl : C</kbd>⍽? <samp>Erreur !</samp></p>"),
    (
        '<pre><code class="language-js">a ? "b" : c; // 1500000 !\n</code></pre>',
        '<pre><code class="language-js">a ? "b" : c; // 1500000 !\n</code></pre>',
    ),
    (
        '<div class="highlight"><pre><span></span><code><span class="n">x</span> = "a" ?\n</code></pre></div>',
        '<div class="highlight"><pre><span></span><code><span class="n">x</span> = "a" ?\n</code></pre></div>',
    ),
    ("<script>if (a<b && c) { x = 'y' ; }</script><p>Oui !</p>", "<script>if (a<b && c) { x = 'y' ; }</script><p>Oui⍽!</p>"),
    ("<style>a:hover { color: red !important; }</style>", "<style>a:hover { color: red !important; }</style>"),
    ("<p>x <math><mi>a</mi><mo>:</mo></math> ?</p>", "<p>x <math><mi>a</mi><mo>:</mo></math>⍽?</p>"),
    # attributs : jamais touchés, même pleins de ponctuation
    (
        '<p><a href="https://x.fr/?q=1;r=2" title="Vraiment ? \'oui\' : 12345">Vraiment?</a></p>',
        '<p><a href="https://x.fr/?q=1;r=2" title="Vraiment ? \'oui\' : 12345">Vraiment⍽?</a></p>',
    ),
    ('<p><img alt="Quoi ? 1500000 €" src="a.png"> !</p>', '<p><img alt="Quoi ? 1500000 €" src="a.png">⍽!</p>'),
    ("<p title='a > b : \"c\"'>Texte : oui</p>", "<p title='a > b : \"c\"'>Texte⎵: oui</p>"),
    # contexte à travers les balises en ligne
    ("<p><em>Bonjour</em>!</p>", "<p><em>Bonjour</em>⍽!</p>"),
    ("<p><strong>Attention:</strong> oui</p>", "<p><strong>Attention⎵:</strong> oui</p>"),
    ("<p>Prix : <strong>1500000</strong>€</p>", "<p>Prix⎵: <strong>1⍽500⍽000</strong>⍽€</p>"),
    ('<p>"<em>Texte</em>"</p>', "<p>«⍽<em>Texte</em>⍽»</p>"),
    ('<p>Il dit <a href="/x">"oui"</a>.</p>', '<p>Il dit <a href="/x">«⍽oui⍽»</a>.</p>'),
    # un paragraphe non fermé ne déborde pas sur le suivant
    ('<p>Un "deux</p><p>trois" quatre</p>', '<p>Un «⍽deux</p><p>trois" quatre</p>'),
    # langue
    (
        '<p>Il a dit <q lang="en">"Hello there!" It\'s me: ok</q> ?</p>',
        "<p>Il a dit <q lang=\"en\">“Hello there!” It’s me: ok</q>⍽?</p>",
    ),
    (
        '<div lang="en"><p>"Why?" she asked... <span lang="fr">Pourquoi ?</span></p></div>',
        '<div lang="en"><p>“Why?” she asked… <span lang="fr">Pourquoi⍽?</span></p></div>',
    ),
    ('<p lang="de">"Warum?" fragte sie.</p>', '<p lang="de">"Warum?" fragte sie.</p>'),
    # échappatoires
    ('<p>A <span translate="no">a : b ?</span> ?</p>', '<p>A <span translate="no">a : b ?</span>⍽?</p>'),
    ('<p>A <span class="x sans-typo">a : b ?</span></p>', '<p>A <span class="x sans-typo">a : b ?</span></p>'),
    # veuves dans les titres
    ("<h2>Le retour de l’IA</h2>", "<h2>Le retour de⎵l’IA</h2>"),
    ("<h2>Le retour de <em>l’IA</em></h2>", "<h2>Le retour de⎵<em>l’IA</em></h2>"),
    ("<h2>Pourquoi l’IA ?</h2>", "<h2>Pourquoi⎵l’IA⍽?</h2>"),
    ("<h2>Un titre sans veuve</h2>", "<h2>Un titre sans veuve</h2>"),
    ("<h3>IA</h3>", "<h3>IA</h3>"),
    (
        '<h2 id="x">Le retour de l’IA<a class="headerlink" href="#x" title="Lien">¶</a></h2>',
        '<h2 id="x">Le retour de⎵l’IA<a class="headerlink" href="#x" title="Lien">¶</a></h2>',
    ),
    ("<p>Pas de veuve dans un paragraphe de l’IA</p>", "<p>Pas de veuve dans un paragraphe de l’IA</p>"),
    # commentaires, majuscules, HTML cassé
    ("<!-- a : b ? --><p>Oui?</p>", "<!-- a : b ? --><p>Oui⍽?</p>"),
    ("<P>Oui?<CODE>a ? b</CODE></P>", "<P>Oui⍽?<CODE>a ? b</CODE></P>"),
    ("<p>a < b ? et 3 <4 !</p>", "<p>a < b⍽? et 3 <4⍽!</p>"),
]


@pytest.mark.parametrize("source, attendu", HTML)
def test_html(source, attendu):
    assert show(typographier_html(source)) == show(attendu)


@pytest.mark.parametrize("source, attendu", HTML)
def test_html_idempotent(source, attendu):
    once = typographier_html(source)
    assert typographier_html(once) == once


# ---------------------------------------------------------------------------
# Textes bruts (titres)
# ---------------------------------------------------------------------------

TITRES = [
    ("Meta passe-t-il de l'open source à l'IA fermée ?", "Meta passe-t-il de l’open source à l’IA fermée⍽?"),
    ("R&D <beta> : 20% & plus", "R&D <beta>⎵: 20⍽% &⎵plus"),
    ("R&D <beta> : 20% & davantage", "R&D <beta>⎵: 20⍽% & davantage"),
    ("Le retour de l'IA", "Le retour de⎵l’IA"),
    ('"Quoi" : 12:30, v1.2.3 !', "«⍽Quoi⍽»⎵: 12:30,⎵v1.2.3⍽!"),
    ("&nbsp;? reste littéral", "&nbsp;? reste littéral"),
]


@pytest.mark.parametrize("source, attendu", TITRES)
def test_titre(source, attendu):
    assert show(typographier_texte(source)) == show(attendu)
    assert typographier_texte(typographier_texte(source)) == typographier_texte(source)


def test_titre_sans_veuves():
    assert typographier_texte("Le retour de l’IA", veuves=False) == "Le retour de l’IA"


def test_titre_anglais_et_autre_langue():
    assert typographier_texte("It's \"fine\"...", langue="en") == "It’s “fine”…"
    assert typographier_texte("Wie geht's?", langue="de") == "Wie geht's?"


def test_document_anglais():
    assert typographier_html('<p>"Hi" : it\'s <span lang="fr">oui !</span></p>', langue="en-GB") == (
        f'<p>“Hi” : it’s <span lang="fr">oui{FINE}!</span></p>'
    )


def test_balises_ignorees_en_plus():
    source = "<p><abbr>A : b</abbr> : c</p>"
    assert typographier_html(source, ignorer=["ABBR"]) == f"<p><abbr>A : b</abbr>{INSEC}: c</p>"


def test_entree_avec_sentinelles_rendue_telle_quelle():
    source = "<p>Oui ?\ufdd0</p>"
    assert typographier_html(source) == source
    assert typographier_texte("Oui ?\ufdd3") == "Oui ?\ufdd3"


@pytest.mark.parametrize("valeur", [None, "", 12])
def test_valeurs_non_textuelles(valeur):
    assert typographier_html(valeur) == valeur
    assert typographier_texte(valeur) == valeur


def test_pas_de_guillemets_anglais_fabriques():
    source = p('Il a dit "bonjour" et "au revoir", puis "c\'est fini".')
    assert not re.search("[“”]", typographier_html(source))


# ---------------------------------------------------------------------------
# Propriétés (hypothesis)
# ---------------------------------------------------------------------------

# De la « prose » dense en pièges : ponctuation, espaces de toutes sortes,
# entités, nombres, unités, URL, e-mails, émoticônes.
PROSE = st.lists(
    st.sampled_from(
        list("abcdeéèàçIAZ0123456789 \t\n;:!?\"'.,()[]%€$«»“”‘’…-–—/@#°=*")
        + ["\u00a0", "\u202f", "&amp;", "&lt;", "&gt;", "&nbsp;", "&laquo;", "&quot;",
           "12:30", " https://x.fr/a?b=1;c=2 ", " www.x.fr ", " a.b@c.fr ", " :) ",
           " ;-) ", ":'(", "1500000", "1 000", "10 h", "20%", " Go", "ISO ", "n° ", "75001 Paris"]
    ),
    max_size=30,
).map("".join)
RAW = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="<"),
    max_size=30,
)
ATTR = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20).map(
    lambda s: html_module.escape(s, quote=True)
)
CODE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30
).map(lambda s: html_module.escape(s, quote=False))


def _element(children):
    inline = st.sampled_from(["em", "strong", "a", "span", "q", "abbr", "h2", "p", "li"])
    return st.one_of(
        st.builds(
            lambda t, a, c: f'<{t} title="{a}">{"".join(c)}</{t}>',
            inline,
            ATTR,
            st.lists(children, max_size=4),
        ),
        st.builds(
            lambda a, c: f'<span lang="en" data-x="{a}">{"".join(c)}</span>',
            ATTR,
            st.lists(children, max_size=3),
        ),
    )


LEAF = st.one_of(
    PROSE,
    st.builds(
        lambda t, c: f"<{t}>{c}</{t}>",
        st.sampled_from(["code", "kbd", "samp", "var"]),
        CODE_TEXT,
    ),
    st.builds(lambda a, c: f'<pre class="{a}"><code>{c}</code></pre>', ATTR, CODE_TEXT),
    st.builds(lambda c: f"<script>{c}</script>", RAW.filter(lambda s: "</script" not in s.lower())),
    st.builds(lambda c: f"<style>{c}</style>", RAW.filter(lambda s: "</style" not in s.lower())),
    st.builds(lambda a: f'<img alt="{a}" src="x.png">', ATTR),
    st.builds(lambda a: f'<a href="https://ex.fr/{a}">lien</a>', ATTR),
)
DOCUMENT = st.recursive(LEAF, _element, max_leaves=12)
DOCUMENTS = st.lists(DOCUMENT, max_size=6).map("".join)

IGNORED = {"code", "kbd", "samp", "var", "pre", "script", "style"}


class _Untouchable(HTMLParser):
    """Relevé indépendant (html.parser) de ce qui ne doit jamais changer."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.tags = []
        self.protected = []
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append(self.get_starttag_text())  # la balise brute, octet pour octet
        if tag in IGNORED:
            self.depth += 1

    def handle_endtag(self, tag):
        self.tags.append(("/" + tag, None))
        if tag in IGNORED and self.depth:
            self.depth -= 1

    def _data(self, data):
        if self.depth:
            self.protected.append(data)

    handle_data = _data

    def handle_entityref(self, name):
        self._data(f"&{name};")

    def handle_charref(self, name):
        self._data(f"&#{name};")


def untouchable(html):
    reader = _Untouchable()
    reader.feed(html)
    reader.close()
    urls = re.findall(r"https://\S+?(?=\s|<|$)|\b\S+@\S+\.fr\b", re.sub(r"<[^>]*>", " ", html))
    return reader.tags, "".join(reader.protected), urls


PROPERTY_SETTINGS = settings(
    max_examples=300,
    deadline=None,
    database=None,  # pas de dossier .hypothesis/ dans le dépôt
    suppress_health_check=[HealthCheck.too_slow],
)


@PROPERTY_SETTINGS
@given(DOCUMENTS)
def test_propriete_code_attributs_urls_intacts(source):
    before = untouchable(source)
    after = untouchable(typographier_html(source))
    assert after == before


@PROPERTY_SETTINGS
@given(DOCUMENTS)
def test_propriete_idempotence_html(source):
    once = typographier_html(source)
    assert typographier_html(once) == once


@PROPERTY_SETTINGS
@given(PROSE)
def test_propriete_idempotence_texte(source):
    once = typographier_texte(source)
    assert typographier_texte(once) == once


@PROPERTY_SETTINGS
@given(st.text(max_size=200))
def test_propriete_ne_leve_jamais_sur_du_texte_quelconque(source):
    typographier_html(source)
    typographier_texte(source)


HTMLISH = st.lists(
    st.one_of(
        st.text(max_size=8),
        st.sampled_from(
            ["<", ">", "</", "<p>", "</p>", "<code>", "</code>", "<pre>", "<script>", "</script>",
             "<!--", "-->", "<![CDATA[", "]]>", '"', "'", "<a href=\"", "<h2>", "</h2>", "lang=en",
             '<span lang="en">', "</span>", "&", "&nbsp;", ";", "?", "«", "»", "\ufdd0", "/>"]
        ),
    ),
    max_size=40,
).map("".join)


@PROPERTY_SETTINGS
@given(HTMLISH)
def test_propriete_ne_leve_jamais_sur_du_html_casse(source):
    result = typographier_html(source)
    assert isinstance(result, str)
    assert typographier_html(result) == result


# ---------------------------------------------------------------------------
# Récepteur Pelican
# ---------------------------------------------------------------------------


def _content(**extra):
    metadata = {"title": "L'IA : quoi ?", "summary": "<p>Résumé : \"court\" !</p>"}
    content = SimpleNamespace(
        _content="<p>Texte : oui !</p>",
        title=metadata["title"],
        metadata=metadata,
        _summary=metadata["summary"],
        settings={"DEFAULT_LANG": "fr", **extra},
        lang="fr",
    )
    return content


def test_recepteur_traite_corps_titre_resume_citation():
    content = _content()
    content.pullquote = {"text": "C'est \"ouvert\" !", "cite": "Ada", "context": "en 1843 : à Londres"}
    typo.typographier_contenu(content)
    assert content._content == f"<p>Texte{INSEC}: oui{FINE}!</p>"
    # « quoi ? » est un mot court en fin de titre : lié au précédent
    assert content.title == f"L’IA{INSEC}:{INSEC}quoi{FINE}?" == content.metadata["title"]
    assert content.metadata["summary"] == f"<p>Résumé{INSEC}: «{FINE}court{FINE}»{FINE}!</p>"
    assert content._summary == content.metadata["summary"]
    assert content.pullquote == {
        "text": f"C’est «{FINE}ouvert{FINE}»{FINE}!",
        "cite": "Ada",
        "context": f"en 1843{INSEC}: à Londres",
    }


def test_recepteur_desactive():
    content = _content(TYPOGRAPHIE_ENABLED=False)
    typo.typographier_contenu(content)
    assert content._content == "<p>Texte : oui !</p>"
    assert content.title == "L'IA : quoi ?"


def test_recepteur_ignore_les_statiques():
    content = _content()
    content._content = None
    typo.typographier_contenu(content)
    assert content.title == "L'IA : quoi ?"


def test_reglages_par_defaut_et_typogrify_coupe(caplog):
    pelican = SimpleNamespace(settings={"TYPOGRIFY": True})
    typo.poser_reglages(pelican)
    assert pelican.settings["TYPOGRIFY"] is False
    assert pelican.settings["TYPOGRAPHIE_ENABLED"] is True
    assert pelican.settings["TYPOGRAPHIE_IGNORE_TAGS"] == []
    assert "TYPOGRIFY" in caplog.text


# ---------------------------------------------------------------------------
# Intégration : un petit site Pelican, page et flux Atom
# ---------------------------------------------------------------------------

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "typo_site"


def construire_site(output, cache=None):
    """Construit le site de test ; débranche ensuite nos récepteurs.

    Les signaux de Pelican sont globaux au processus : sans ce ménage, nos
    greffons resteraient branchés pour les autres tests qui construisent un
    site.
    """
    import pelican
    from pelican import Pelican
    from pelican.plugins import signals
    from pelican.settings import read_settings

    theme = Path(pelican.__file__).parent / "themes" / "simple"
    settings = read_settings(
        override={
            "PATH": str(FIXTURE / "content"),
            "OUTPUT_PATH": str(output),
            "THEME": str(theme),
            "PLUGIN_PATHS": [str(PLUGINS)],
            "PLUGINS": ["pullquotes", "typographie"],
            "SITEURL": "https://exemple.fr",
            "FEED_DOMAIN": "https://exemple.fr",
            "FEED_ALL_ATOM": "feeds/atom.xml",
            "FEED_ALL_RSS": None,
            "CATEGORY_FEED_ATOM": None,
            "TRANSLATION_FEED_ATOM": None,
            "AUTHOR_FEED_ATOM": None,
            "AUTHOR_FEED_RSS": None,
            "TIMEZONE": "Europe/Paris",
            "DEFAULT_LANG": "fr",
            "ARTICLE_URL": "{slug}/",
            "ARTICLE_SAVE_AS": "{slug}/index.html",
            "CACHE_PATH": str(cache or output.parent / "cache-inutilise"),
            "CACHE_CONTENT": cache is not None,
            "LOAD_CONTENT_CACHE": cache is not None,
        }
    )
    try:
        Pelican(settings).run()
    finally:
        import pullquotes.pullquotes as pq_module
        import typographie.typographie as typo_module

        signals.initialized.disconnect(pq_module.ajouter_extension)
        signals.content_object_init.disconnect(pq_module.exposer_citation)
        signals.initialized.disconnect(typo_module.poser_reglages)
        signals.content_object_init.disconnect(typo_module.typographier_contenu)
        signals.feed_generated.disconnect(typo_module.retablir_titres_flux)
        signals.finalized.disconnect(typo_module.enregistrer_memoire)
    return output


@pytest.fixture
def typo_site(tmp_path):
    return construire_site(tmp_path / "output")


def test_site_article_et_flux(typo_site):
    import feedparser

    page = (typo_site / "citation-et-typographie" / "index.html").read_text(encoding="utf-8")
    assert '<figure class="pullquote">' in page
    assert f"<figcaption>–{INSEC}<cite>Mark Zuckerberg</cite>, lors d’un podcast en 2024</figcaption>" in page
    assert f"Pourquoi l’IA change-t-elle{INSEC}tout{FINE}?" in page  # titre
    assert f"20{FINE}% des articles" in page
    assert f"«{FINE}fermée{FINE}»" in page
    assert "<code>a ? b : c</code>" in page
    article = page.split("<article")[1].split("</article>")[0]
    assert '"' not in re.sub(r"<[^>]*>", "", article)  # tous les guillemets tournés

    feed = feedparser.parse(str(typo_site / "feeds" / "atom.xml"))
    [entry] = feed.entries
    assert entry.title == f"Pourquoi l’IA change-t-elle{INSEC}tout{FINE}?"
    body = entry.content[0].value
    assert '<figure class="pullquote">' in body
    assert "<cite>Mark Zuckerberg</cite>" in body
    assert f"20{FINE}% des articles" in body
    assert "<code>a ? b : c</code>" in body


def test_site_a_chaud_identique(tmp_path, monkeypatch):
    """Deuxième construction : la mémoire sert, la sortie ne change pas d’un octet."""
    cache = tmp_path / "cache"
    froid = construire_site(tmp_path / "froid", cache)
    assert (cache / "typographie.pickle").is_file()

    def interdit(*args, **kwargs):
        raise AssertionError("à chaud, la passe devait venir de la mémoire")

    monkeypatch.setattr(typo, "_typographier_champs", interdit)
    chaud = construire_site(tmp_path / "chaud", cache)
    fichiers = sorted(p.relative_to(froid) for p in froid.rglob("*") if p.is_file())
    assert fichiers == sorted(p.relative_to(chaud) for p in chaud.rglob("*") if p.is_file())
    for fichier in fichiers:
        assert (froid / fichier).read_bytes() == (chaud / fichier).read_bytes(), fichier


@pytest.mark.parametrize("ordre", ["citation puis typographie", "typographie puis citation"])
def test_ordre_des_recepteurs_indifferent(ordre):
    """blinker n’ordonne pas les récepteurs : les deux ordres donnent la même chose."""
    import markdown
    from pullquotes import pullquotes as pq

    source = (
        "> L'IA \"ouverte\" : 20% du marché ? Oui !\n>\n"
        "> - et puis...\n>\n> – Mark Zuckerberg, lors d'un podcast en 2024\n"
    )
    html = markdown.markdown(source, extensions=["extra", pq.PullQuoteExtension()])
    content = SimpleNamespace(
        _content=html,
        title="Titre",
        metadata={"title": "Titre"},
        settings={"DEFAULT_LANG": "fr", **pq.DEFAULTS},
        lang="fr",
        source_path="x.md",
    )
    receivers = [pq.exposer_citation, typo.typographier_contenu]
    if ordre == "typographie puis citation":
        receivers.reverse()
    for receiver in receivers:
        receiver(content)
    assert content.pullquote == {
        "text": f"L’IA «{FINE}ouverte{FINE}»{INSEC}: 20{FINE}% du marché{FINE}? Oui{FINE}! et puis…",
        "cite": "Mark Zuckerberg",
        "context": "lors d’un podcast en 2024",
    }


def test_doctests_du_module():
    import doctest

    assert doctest.testmod(typo).failed == 0


def test_the_theme_strings_are_already_typeset():
    """The UI strings are not content: no plugin sets them, so a « : » after an ordinary
    space could start a line (the search page did at 375 px)."""
    import yaml

    strings = yaml.safe_load((PLUGINS.parent / "theme" / "i18n" / "fr.yaml").read_text("utf-8"))

    def leaves(value, key=""):
        if isinstance(value, dict):
            for name, item in value.items():
                yield from leaves(item, f"{key}.{name}".strip("."))
        elif isinstance(value, str):
            yield key, value

    # Placeholders filled with likely values: `{n} min` must be typeset as `2 min` is.
    samples = {"n": "12", "count": "3 articles", "total": "12", "date": "23\u00a0octobre 2025",
               "q": "énergie", "title": "Titre", "name": "Énergie", "sitename": "Le Blog",
               "categories": "les rubriques", "tags": "les étiquettes", "latest": "les derniers articles",
               "search": "la\u00a0recherche", "subtitle": "L’actualité qui façonne demain"}
    wrong = {key: text for key, text in leaves(strings)
             if typographier_texte(text.format_map(samples), veuves=False)
             != text.format_map(samples)}
    assert wrong == {}
