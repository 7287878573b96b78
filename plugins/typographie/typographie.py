"""Typographie française du texte rendu : une passe, consciente du HTML.

Ce que fait la passe (texte en français, hors code) :

- espace fine insécable (U+202F) avant `; ! ?` et `»`, après `«` ; espace
  insécable (U+00A0) avant `:` ; les espaces tapées avant sont remplacées,
  jamais doublées ;
- guillemets droits `"` → « … », et “ … ” à l’intérieur d’une citation ;
  apostrophe droite → ’ ; `...` → … ;
- U+202F entre les groupes de chiffres des nombres de 5 chiffres ou plus
  (`1500000` → `1 500 000`), et entre un nombre et son unité (`20 %`,
  `1 000 €`, `10 h`, `3 Go`) ;
- pas de mot court isolé en fin de titre (U+00A0 avant le dernier mot).

Ce qu’elle ne touche jamais : le contenu de `pre`, `code`, `kbd`, `samp`,
`var`, `tt`, `script`, `style`, `math`, `svg`, `textarea` (et des balises de
`TYPOGRAPHIE_IGNORE_TAGS`), les éléments `translate="no"` ou de classe
`headerlink` / `sans-typo`, les attributs, les URL et adresses e-mail écrites
dans le texte, les émoticônes (`:)`, `;-)`), les heures (`12:30`), les
versions et adresses IP (`v1.2.3`, `10.0.0.1`), les entités (`&amp;`, et
`&quot;` reste un guillemet droit voulu). Les passages `lang="en"` suivent les
règles anglaises (“quotes”, apostrophe, points de suspension), les autres
langues ne sont pas touchées.

Pourquoi une passe à nous, et pas typogrify
--------------------------------------------
Décision : typogrify n’a plus de rôle, il n’est ni utilisé ni installé, et
`TYPOGRIFY` est forcé à False (avec un avertissement) s’il est activé.

- `smartypants` fabrique des guillemets anglais “ ” et des tirets à l’anglaise
  à partir de texte français : exactement ce que le site ne doit pas publier.
- `widont` lie toujours les deux derniers mots, quelle que soit leur longueur,
  et le fait par expressions régulières sur le HTML ; on le remplace par la
  règle du mot court en fin de titre.
- `amp` et `caps` ne font qu’ajouter des `<span class="amp|caps">` décoratifs :
  le thème ne les met pas en forme (les sigles français s’écrivent en
  capitales, pas en petites capitales), ils alourdiraient chaque page et
  chaque flux pour rien.
- typogrify travaille par regex sur tout le HTML (avec `a` ignoré, le motif va
  de `<abbr>` au `</a>` suivant) et double le temps de construction. Ici, un
  découpeur sépare balises et texte, les éléments ignorés et les passages en
  d’autres langues sont délimités balise ouvrante → balise fermante (éléments
  de même nom imbriqués comptés), et chaque règle ne voit que du texte.

Comment, et pourquoi c’est rapide
---------------------------------
Les textes français d’un document sont joints en une seule chaîne, chaque
balise remplacée par un caractère sentinelle (des non-caractères Unicode,
U+FDD0…U+FDD6, réservés à cet usage interne) et chaque texte ignoré par un
autre. Les règles sont des regex précompilées appliquées une fois à cette
chaîne : elles voient le contexte à travers les balises en ligne
(`<em>mot</em> ?`) sans jamais voir une balise ni un attribut, et ne
suppriment ni n’ajoutent de sentinelle. On redécoupe ensuite sur les
sentinelles et on réintercale les balises d’origine, octet pour octet (et on
vérifie que les textes ignorés n’ont pas bougé). Chaque règle n’est lancée
que si son caractère déclencheur est présent, et chaque motif commence par
un caractère précis (voir « Règles françaises »). Une entrée qui contient
déjà ces sentinelles est rendue telle quelle.

Coût mesuré : de l’ordre de 0,6 ms par article de 7 Ko de HTML (corps,
titre, résumé), soit 8 à 9 % d’une construction Pelican sur un corpus de
1000 articles très chargé en ponctuation et en nombres.

>>> typographier_texte('Pourquoi ? Parce que : "c\\'est simple"...')
'Pourquoi\\u202f? Parce que\\xa0: «\\u202fc’est simple\\u202f»…'
>>> typographier_html('<p>Voir <code>a ? b : c</code>!</p>')
'<p>Voir <code>a ? b : c</code>\\u202f!</p>'
"""

from __future__ import annotations

import html as html_module
import logging
import re

import _memoire as memoire

logger = logging.getLogger(__name__)

NNBSP = "\u202f"  # espace fine insécable
NBSP = "\u00a0"  # espace insécable

#: Valeurs par défaut des réglages Pelican, posées par `settings.setdefault`.
DEFAULTS = {
    # Interrupteur général (le banc d’essai compare avec et sans).
    "TYPOGRAPHIE_ENABLED": True,
    # Balises ignorées EN PLUS de IGNORED_TAGS (qu’on ne peut pas retirer :
    # le code doit rester intact quoi qu’il arrive).
    "TYPOGRAPHIE_IGNORE_TAGS": [],
    # Éléments ignorés d’après leur classe (ancre de titre, échappatoire).
    "TYPOGRAPHIE_IGNORE_CLASSES": ["headerlink", "sans-typo"],
}

#: Éléments dont le contenu n’est jamais touché.
IGNORED_TAGS = frozenset(
    "pre code kbd samp var tt script style math svg textarea".split()
)

# ---------------------------------------------------------------------------
# Sentinelles
# ---------------------------------------------------------------------------
_TAG = "\ufdd0"  # balise en ligne : transparente pour le contexte
_OPAQUE = "\ufdd1"  # contenu ignoré (code, autre langue) : compte comme un mot
_ENT = "\ufdd2"  # remplace le `;` qui ferme une entité
_BLOCK = "\ufdd3"  # limite de bloc : remet à zéro le contexte
_MASK = "\ufdd4"  # URL, e-mail ou émoticône mis de côté
_HEAD_END = "\ufdd5"  # fin de titre h1…h6 (et fin de texte pour les titres)
_OBJECT = "\ufdd6"  # image, champ, objet : visible, compte comme un mot

_SENTINELS = "\ufdd0\ufdd1\ufdd2\ufdd3\ufdd4\ufdd5\ufdd6"


def _has_sentinel(text):
    """Vrai si le texte contient déjà une de nos sentinelles (entrée refusée).

    Sept recherches d’un caractère (memchr) coûtent moins qu’une classe regex.
    """
    return any(c in text for c in _SENTINELS)

# ---------------------------------------------------------------------------
# Découpage du HTML
# ---------------------------------------------------------------------------
# Une balise, comme la lit un navigateur (HTML5) : une valeur entre
# guillemets ne commence qu’après `=` et peut contenir `>` ; une balise ou
# une valeur jamais fermée court jusqu’à la fin du document (le navigateur
# l’écarte ; nous n’y touchons pas). Conséquence utile : un `<` suivi d’une
# lettre n’est jamais du texte, donc rien de ce que la passe écrit dans le
# texte ne peut changer le découpage d’une seconde passe (idempotence).
# Quantificateurs possessifs : temps linéaire, aucun retour arrière.
_ATTRS = (
    r"""(?:[^>=]++|=\s*+(?:"[^"]*+(?:"|\Z)|'[^']*+(?:'|\Z)|[^\s>]*+))*+(?:>|\Z)"""
)
# Éléments pris en un seul morceau, balises comprises : ceux à texte brut
# (leur contenu n’est pas du HTML), et `pre`, toujours ignoré, dont les
# blocs de code colorés contiennent des dizaines de <span> qu’il est inutile
# de découper (deux fois moins de morceaux sur un article technique).
_RAW_ELEMENTS = ("pre", "script", "style", "textarea", "title", "xmp")
_TOKEN_RE = re.compile(
    "("
    + "|".join(
        rf"<{name}(?=[\s/>]){_ATTRS}(?<=>).*?</{name}\s*>" for name in _RAW_ELEMENTS
    )
    + r"|<!--(?:.*?-->|.*)"  # commentaire (non fermé : jusqu’à la fin)
    r"|<!\[CDATA\[(?:.*?\]\]>|.*)"
    r"|<(?:[!?]|/(?![A-Za-z]))[^>]*+(?:>|\Z)"  # doctype, instruction, `</ x>`
    # balise : le nom, précédé de `/` pour une fermante (`p`, `/p`)
    rf"|<(/?[A-Za-z][^\s/>]*){_ATTRS}"
    ")",
    re.S | re.I,
)
_STRIDE = 3  # texte, balise, nom

_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)
_BLOCKS = frozenset(
    """address article aside blockquote body br caption dd details dialog div dl
    dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr html
    legend li main nav ol p pre section summary table tbody td tfoot th thead
    tr ul""".split()
)
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_SENTINEL = {
    **dict.fromkeys(_BLOCKS, _BLOCK),
    **dict.fromkeys((f"/{name}" for name in _BLOCKS), _BLOCK),
    **dict.fromkeys((f"/{name}" for name in _HEADINGS), _HEAD_END),
    **dict.fromkeys(("img", "input", "embed"), _OBJECT),
}
_LANG_RE = re.compile(r"""(?<![\w-])lang\s*=\s*["']?\s*([A-Za-z]*)""", re.I)
_CLASS_RE = re.compile(
    r"""(?<![\w-])class\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I
)
_TRANSLATE_NO_RE = re.compile(r"""(?<![\w-])translate\s*=\s*["']?no\b""", re.I)

# ---------------------------------------------------------------------------
# Règles françaises (sur la chaîne jointe)
# ---------------------------------------------------------------------------
# Vitesse : le moteur `re` saute très vite jusqu’au prochain caractère
# littéral (`?`, `«`, `&`), dix fois moins vite jusqu’au prochain élément
# d’une classe (`[!?]`, `\d`), et il essaie chaque position quand un motif
# commence par une assertion ou par une répétition facultative. Chaque motif
# commence donc par un caractère littéral quand c’est possible (une passe par
# signe), et n’est lancé que si ce caractère est présent. Les conditions sur
# ce qui précède sont des assertions arrière placées après ce caractère.

_SPACES = " \t\r\n\u00a0\u202f\u2009"
_SP = f"[{_SPACES}]"
# Ce qui peut suivre `!` ou `?` (pas une lettre : `?id=3`, `!important`).
_END_CHARS = rf"\s{_TAG}{_OPAQUE}{_BLOCK}{_MASK}{_HEAD_END}{_OBJECT})\]}}»”\"’…,.:;"
_END_SEMI_CHARS = rf"\s{_TAG}{_BLOCK}{_HEAD_END}"  # pas `;)` ni `a;b`
_END_COLON_CHARS = rf"\s{_TAG}{_BLOCK}{_HEAD_END}«\"“"  # pas 12:30, a:b, :)

_DECODE_RE = re.compile(
    r"&(?:nbsp|thinsp|laquo|raquo|#160|#8239|#8201|#171|#187"
    r"|#[xX]0*(?:[aA]0|202[fF]|2009|[aA][bB]|[bB][bB]));"
)
_ENTITY_RE = re.compile(r"(&#?[A-Za-z0-9]{1,31});")
# URL et e-mails : mis de côté (une sentinelle), remis à la fin. Le motif
# des e-mails commence par n’importe quelle lettre : on ne le lance que si
# le texte contient `@`.
# Une URL peut contenir `&amp;` (`?a=1&amp;b=2`), jamais une autre entité :
# `…/note.&#160;` (toute note de bas de page finit ainsi) ou `&gt;` la
# terminent, sinon le `;` de l’entité resterait dehors, pris pour un signe.
_URL_CHAR = rf"(?:[^\s<>\"«»&{_TAG}-{_OBJECT}]|&amp;)"
_URL_LAST = rf"[^\s<>\"«»&{_TAG}-{_OBJECT}.,;:!?)\]’']"
_URL = rf"(?:https?://|ftp://|www\.|mailto:){_URL_CHAR}*{_URL_LAST}"
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_MASK_ALL_RE = re.compile(f"{_URL}|{_EMAIL}")
# Cas courant (liens `https://` seulement) : motif ancré sur `://`, bien
# plus rapide ; le nom du protocole reste du texte, aucune règle n’y touche.
_MASK_URL_RE = re.compile(rf"(?<=[A-Za-z])://{_URL_CHAR}*{_URL_LAST}")
# Les émoticônes n’ont pas besoin d’être masquées : `:)`, `;-)`, `:D` ne sont
# suivis ni d’une espace ni d’une fin, les règles de `: ;` les laissent donc.
# Seule l’apostrophe de `:'(` serait touchée : on la remet.
_SMILEY_APOSTROPHE_RE = re.compile(r"([:;=])’(?=[()])")
_ELLIPSIS_RE = re.compile(r"\.\.\.(?<!\.\.\.\.)(?!\.)")

# Signes qui prennent une espace avant (`! ? ; : »`). Le motif naturel
# commencerait par les espaces qui précèdent le signe : le moteur essaierait
# chaque espace du texte. On travaille donc sur la chaîne RETOURNÉE, où le
# motif commence par le signe : signe, espaces et balises, puis le mot qui le
# précède dans l’original. Ce qui SUIT le signe (pas `?id=`, `:)`, `12:30`)
# se teste par une assertion arrière juste après lui. Remplacement par
# gabarit : les balises restent, les espaces tapées deviennent la bonne.
# (Une entité restante, `&gt;` ou `&amp;`, est un caractère visible : elle
# compte comme un mot ; les espaces en entités ont déjà été décodées.)
_NOT_BEFORE = rf"{_SPACES}{_TAG}{_BLOCK}{_HEAD_END}(\[{{«“‘!?;:"
_NOT_BEFORE_CLOSING = rf"{_SPACES}{_TAG}{_BLOCK}{_HEAD_END}«"
_REV_RUN = rf"{_SP}*({_TAG}*){_SP}*"


def _reversed_rule(sign, after, before=_NOT_BEFORE):
    """Motif (sur la chaîne retournée) de l’espace avant `sign`."""
    s = re.escape(sign)
    more = "[!?]*" if sign in "!?" else ""
    guard = rf"(?<![^{after}]{s})" if after else ""
    return re.compile(rf"({s}{guard}{more}){_REV_RUN}(?=[^{before}])")


# `»` d’abord : l’espace qu’il reçoit compte ensuite comme « ce qui suit »
# pour `a; »` (sinon la seconde passe ajouterait l’espace avant `;`).
_REV_RULES = [  # (signe, motif, espace)
    ("»", _reversed_rule("»", "", _NOT_BEFORE_CLOSING), NNBSP),
    ("!", _reversed_rule("!", _END_CHARS), NNBSP),
    ("?", _reversed_rule("?", _END_CHARS), NNBSP),
    (";", _reversed_rule(";", _END_SEMI_CHARS), NNBSP),
    (":", _reversed_rule(":", _END_COLON_CHARS), NBSP),
]
# Après `«` : l’espace fine va juste après le guillemet, avant les balises.
_AFTER_OPENING_RE = re.compile(rf"«{_SP}*({_TAG}*){_SP}*")

# Nombres, en une seule passe (un seul balayage des chiffres) :
# 1. entier de 5 chiffres ou plus, qui n’est ni un identifiant (v12345,
#    CVE-2024-12345), ni une norme (ISO 27001), ni un code postal
#    (75001 Paris), ni une partie décimale (3,14159) ;
# 2. nombre déjà tapé par groupes (`1 000 000`) : espaces → U+202F ;
# 3. chiffre suivi d’une unité ou d’un symbole, collé ou non (`20%`, `10 h`).
# Les deux premiers prennent aussi l’unité qui suit, s’il y en a une.
_SYMBOLS = ["%", "‰", "€", "$", "£", "¥", "°C", "°F", "k€", "M€", "Md€", "Mds€"]
_UNITS_LONG = (
    "km/h km² km cm mm µm nm m² m³ kg mg Go Mo Ko To Po Gbit/s Mbit/s Gb/s Mb/s "
    "Go/s Mo/s kWh MWh GWh TWh Wh kW MW GW TW mAh Ah GHz MHz kHz Hz ms µs ns "
    "min h dB kV mV Mt Gt ppm px"
).split()
# Unités d’une lettre : seulement après une espace tapée (`1980s`, `4G`,
# `2 s’affrontent` restent tels quels).
_UNITS_SHORT = "m g s t L W V".split()


def _alternatives(words):
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# Toute espace compte, y compris un saut de ligne : la règle des veuves peut
# changer une espace ordinaire en insécable, et une seconde passe doit alors
# voir la même chose que la première (idempotence).
_NUM_SPACE = f"[{_SPACES}]"
_GROUP_SPACE = f"[ \t\r\n{NBSP}]"
_UNIT_TAIL = (
    rf"{_TAG}*"
    # filtre rapide avant la longue alternative
    rf"(?={_NUM_SPACE}*[^\s\w{_TAG}]|{_NUM_SPACE}*[kKMGTPmgstLWVhµnAHdp])"
    rf"(?:{_NUM_SPACE}+(?=(?:{_alternatives(_SYMBOLS)})"
    rf"|(?:{_alternatives(_UNITS_LONG + _UNITS_SHORT)})(?![\w’']))"
    rf"|(?=(?:{_alternatives(_SYMBOLS)})|(?:{_alternatives(_UNITS_LONG)})(?![\w’'])))"
)
# Code postal : un mot capitalisé suit (`75001 Paris`), qui n’est pas une
# unité (`12345 Go` se groupe).
_POSTCODE_CITY = (
    rf"{_NUM_SPACE}+(?!(?:{_alternatives(_UNITS_LONG + _UNITS_SHORT)})(?![\w’']))"
    r"[A-ZÉÈÀ][a-zéèêàâîôûç]"
)
_NUMBER_LEFT = rf"[\w.,/#°:\\\-–@{NBSP}{NNBSP}{_OPAQUE}{_MASK}{_OBJECT}]"
# Le motif commence par `\d` hors de toute alternative (`re` ne sait sauter
# rapidement au prochain candidat que dans ce cas), puis écarte tout de
# suite les chiffres qui ne commencent pas un nombre : une tentative par
# nombre, pas par chiffre.
_NUMBER_RE = re.compile(
    rf"\d(?<!\d\d)(?:"
    rf"(?<!{_NUMBER_LEFT}\d)(?<=[1-9])(?<![A-Z][A-Z]{_GROUP_SPACE}\d)(?<![nN]°{_GROUP_SPACE}\d)"
    rf"(?P<long>\d{{4,}}+)(?!\w|[./:\-]\w|{_POSTCODE_CITY})"
    rf"(?P<long_unit>{_UNIT_TAIL})?"
    rf"|(?<!{_NUMBER_LEFT}\d)(?P<groups>\d{{0,2}}+(?:{_GROUP_SPACE}+\d{{3}})+)(?!\w|\.\d)"
    rf"(?P<groups_unit>{_UNIT_TAIL})?"
    rf"|(?P<rest>\d*+(?:[.,]\d++)*+)(?P<unit>{_UNIT_TAIL}))"
)
# Heures : `14 h 30`, `9h30` → `14 h 30` (U+202F des deux côtés du `h`) ; l’heure
# seule (`10 h`) relève des unités, `12:30` n’est pas touché.
# On cherche le `h` suivi des minutes, puis les heures juste avant : partir des
# chiffres essaierait chaque nombre du texte.
_TIME_MINUTES_RE = re.compile(rf"h{_SP}?([0-5]\d)(?![\w’'])")
_TIME_HOURS_RE = re.compile(rf"(?<![\w.,:/\-])([01]?\d|2[0-4]){_SP}?$")

# Mots qui ne se séparent pas de ce qui suit (U+00A0) : `M. Dupont`, `Mme`,
# `Dr`, `n° 5` (et `n°12`), `XIXe siècle`, `1er janvier`, `23 octobre`. Chaque
# motif commence par un caractère peu fréquent (une capitale, `°`, un chiffre),
# que `re` sait chercher vite.
_MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
_TITLE_RE = re.compile(
    rf"[MDP](?<![\w.][MDP])(?:(?<=M)(?:\.|M\.|mes?\.?|lles?\.?)|(?<=[DP])r\.?){_SP}+(?=[A-ZÀ-Þ])"
)
_NUMERO_RE = re.compile(rf"°(?<=[^\w.][nN]°){_SP}*(?=\d)")
# Pour `XIXe siècle`, on cherche le mot (rare, avec `str.find`) puis on regarde ce
# qui le précède : chercher d’abord les chiffres et les capitales serait bien plus long.
_RANK_PLURALS = ("siècle", "millénaire")
_RANK_WORDS = (*_RANK_PLURALS, *_MONTHS.split())
_RANK_BEFORE_RE = re.compile(
    rf"(?<![\w.])[\dXVICL]{{1,5}}(?:er|re|e|es|ème|èmes)?({_SP}+)$"
)
# `? !` tapé avec une espace : elle devient fine et insécable (pas de `!` seul
# en début de ligne).
_CLUSTER_SPACE_RE = re.compile(rf"([!?]){_SP}+(?=[!?](?:[{_END_CHARS}]|$))")
# `'mot'` : une paire de guillemets simples, qui s’ouvre après une espace (une
# apostrophe suit toujours une lettre) ; `rock 'n' roll` et `'90` restent
# des apostrophes.
_SINGLE_PAIR_RE = re.compile(
    rf"'(?<![^\s(\[{{—–«“{_BLOCK}{_HEAD_END}]')([^\W\d_][^'\n]{{0,80}}?[\w.!?…])'(?![\w])"
)
# Numéros de téléphone français, `01 23 45 67 89` ou `+33 1 23 45 67 89` : les espaces
# tapées deviennent fines et insécables, le numéro ne se coupe pas en fin de ligne.
_PHONE_RE = re.compile(
    rf"(?:0(?<![\w+]0)[1-9]|\+33{_SP}?[1-9](?<![\w+]\+33[1-9])(?<![\w+]\+33{_SP}[1-9]))"
    rf"(?:{_SP}\d\d){{4}}(?![\w,.]\d|\d)"
)
_ANY_SPACE_RE = re.compile(_SP)
# `etc...` : « etc. » ne prend jamais de points de suspension.
_ETC_RE = re.compile(r"etc(?<!\wetc)(?:\.\.\.|…)")
_DIGIT_RE = re.compile(r"\d")
_GROUP_SPACE_RE = re.compile(_GROUP_SPACE + "+")
_DROP_SPACES = str.maketrans("", "", _SPACES)
_WIDOW_MAX = 4  # lettres ou chiffres d’un « mot court » en fin de titre

# Guillemets droits : contexte d’ouverture et de fermeture.
_OPENING_CONTEXT = frozenset(_SPACES + _BLOCK + _HEAD_END + "([{«“‘’'—–-/")
_CLOSING_CONTEXT = frozenset(_SPACES + _BLOCK + _HEAD_END + ".,;:!?)]}»”…")
_STRAIGHT_RE = re.compile('"')
_GUILLEMETS_RE = re.compile("[«»]")
_ANY_QUOTE_RE = re.compile('["“”]')


def _spaces_before_signs(text):
    """Espace fine (insécable avant `:`) entre un mot et `! ? ; : »`.

    Les espaces déjà tapées, de n’importe quelle sorte, sont remplacées ; les
    balises en ligne entre le mot et le signe restent. Pas d’espace en début
    de texte ou de bloc, après `(` ou `«`, ni entre les signes d’un `?!`.
    """
    rev = None
    for sign, pattern, space in _REV_RULES:
        if sign in text:
            if rev is None:
                rev = text[::-1]
            rev = pattern.sub(rf"\1{space}\2", rev)
    return text if rev is None else rev[::-1]


def _number(match):
    if match.lastgroup == "unit":  # le cas courant : `20%`, `10 h`
        return match.group().translate(_DROP_SPACES) + NNBSP
    first = match.group()[0]
    long, long_unit, groups, groups_unit = match.group(
        "long", "long_unit", "groups", "groups_unit"
    )
    if long:
        digits = first + long
        head = len(digits) % 3 or 3
        number = NNBSP.join(
            [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
        )
        unit = long_unit
    else:
        number = first + _GROUP_SPACE_RE.sub(NNBSP, groups)
        unit = groups_unit
    if unit is None:
        return number
    return number + unit.translate(_DROP_SPACES) + NNBSP


def _splice(text, edits):
    """`text` avec chaque `(début, fin, remplacement)` appliqué (dans l’ordre, sans
    chevauchement) : une seule copie de la chaîne, quel que soit le nombre de retouches."""
    out = []
    last = 0
    for start, end, replacement in edits:
        out.append(text[last:start])
        out.append(replacement)
        last = end
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


def _times(text):
    """`14 h 30`, `9h30` → `14 h 30`, `9 h 30` (U+202F autour du `h`)."""
    return _splice(text, _time_edits(text))


def _time_edits(text):
    last = 0
    for minutes in _TIME_MINUTES_RE.finditer(text):
        start = minutes.start()
        hours = _TIME_HOURS_RE.search(text, max(last, start - 3), start)
        if hours:
            yield hours.end(1), minutes.end(), f"{NNBSP}h{NNBSP}{minutes.group(1)}"
            last = minutes.end()


def _bound(match):
    """`M. Dupont`, `n° 5`, `XIXe siècle` : l’espace devient insécable."""
    return match.group().rstrip(_SPACES) + NBSP


def _phone(match):
    return _ANY_SPACE_RE.sub(NNBSP, match.group())


def _bind_ranks(text):
    """`1er janvier`, `23 octobre`, `XIXe siècle` : U+00A0 avant le mot."""
    return _splice(text, _rank_edits(text))


def _rank_edits(text):
    words = []
    for word in _RANK_WORDS:
        i = text.find(word)
        while i >= 0:
            end = i + len(word)
            if word in _RANK_PLURALS and text.startswith("s", end):
                end += 1
            if end == len(text) or not (text[end].isalnum() or text[end] in "_’'"):
                words.append(i)
            i = text.find(word, end)
    last = 0
    for start in sorted(words):
        before = _RANK_BEFORE_RE.search(text, max(last, start - 16), start)
        if before:
            yield before.start(1), start, NBSP
            last = start


def _decode(match):
    return html_module.unescape(match.group())


def _widows(text):
    """Insécable avant le dernier mot d’un titre s’il est court.

    Le « dernier mot » va de la dernière espace sécable à la fin du titre ;
    une espace insécable déjà là suffit (d’où l’idempotence).
    """
    return _splice(text, _widow_edits(text))


def _widow_edits(text):
    end = text.find(_HEAD_END)
    while end >= 0:
        i = end - 1
        letters = 0
        while i >= 0 and text[i] not in " \t\r\n\u00a0" + _BLOCK + _HEAD_END:
            if text[i].isalnum():
                letters += 1
            i -= 1
        if 0 < letters <= _WIDOW_MAX and i > 0 and text[i] in " \t\r\n":
            start = i
            while start > 0 and text[start - 1] in " \t\r\n":
                start -= 1
            if start > 0 and text[start - 1] not in _SPACES + _BLOCK + _HEAD_END:
                yield start, i + 1, NBSP
        end = text.find(_HEAD_END, end + 1)


def _neighbour(text, i, step):
    """Caractère voisin en sautant les balises en ligne (None au bord)."""
    i += step
    while 0 <= i < len(text):
        if text[i] != _TAG:
            return text[i]
        i += step
    return None


def _straight_quotes(text):
    """Guillemets droits et anglais → « », “ ” dans une citation.

    La profondeur est comptée par bloc : un paragraphe sans fermeture ne
    contamine pas le suivant. Un `"` qu’on ne sait pas classer (`6,1"` :
    des pouces) est laissé tel quel plutôt que mal tourné.
    """
    out = []
    last = 0
    depth = 0
    block = -2  # début du bloc courant
    counted = 0  # « et » comptés jusqu’ici dans ce bloc
    finder = _ANY_QUOTE_RE if "“" in text or "”" in text else _STRAIGHT_RE
    for match in finder.finditer(text):
        i = match.start()
        start = max(text.rfind(_BLOCK, 0, i), text.rfind(_HEAD_END, 0, i))
        if start != block:
            block, depth, counted = start, 0, start + 1
        opened, closed = text.count("«", counted, i), text.count("»", counted, i)
        if not closed:
            depth += opened
        elif not opened:
            depth = max(0, depth - closed)
        else:  # les deux : dans l’ordre (`» «` ne fait pas 0)
            for guillemet in _GUILLEMETS_RE.finditer(text, counted, i):
                depth = depth + 1 if guillemet.group() == "«" else max(0, depth - 1)
        counted = i + 1
        c = match.group()
        if c == "“":
            opening = True
        elif c == "”":
            opening = False
        else:
            before = _neighbour(text, i, -1)
            after = _neighbour(text, i, 1)
            open_before = before is None or before in _OPENING_CONTEXT
            close_after = after is None or after in _CLOSING_CONTEXT
            if open_before and not close_after:
                opening = True
            elif not open_before and close_after:
                opening = False  # à profondeur 0 : `6,1"` (pouces), laissé
            elif open_before:  # seul entre deux espaces : `" mot "`
                opening = depth == 0
            else:  # collé des deux côtés : `a"b`
                if depth == 0:
                    continue
                opening = False
        if opening:
            replacement = "«" if depth == 0 else "“"
            depth += 1
        else:
            if depth == 0:
                continue
            replacement = "»" if depth == 1 else "”"
            depth -= 1
        if replacement != c:
            out.append(text[last:i])
            out.append(replacement)
            last = i + 1
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


def _french(text, html=True):
    """Toutes les règles françaises, sur une chaîne (sentinelles comprises).

    `html=False` pour du texte brut : `&amp;` n’y est pas une entité.
    """
    masked = []

    def keep(match):
        masked.append(match.group())
        return _MASK

    if "@" in text or "www." in text or "mailto:" in text:
        text = _MASK_ALL_RE.sub(keep, text)
    elif "://" in text:
        text = _MASK_URL_RE.sub(keep, text)
    entities = html and "&" in text
    if entities:
        # Espaces et guillemets en entités : remplacés par leur caractère,
        # pour que les règles les voient ; `;` des autres entités protégé.
        text = _DECODE_RE.sub(_decode, text)
        text = _ENTITY_RE.sub(r"\1" + _ENT, text)
    if "'" in text:
        text = _SINGLE_PAIR_RE.sub("‘\\1’", text)
        text = text.replace("'", "’")
        if "’(" in text or "’)" in text:
            text = _SMILEY_APOSTROPHE_RE.sub(r"\1'", text)  # `:'(` reste
    if "..." in text:
        text = _ELLIPSIS_RE.sub("…", text)
    if "etc" in text:
        text = _ETC_RE.sub("etc.", text)
    if '"' in text or "“" in text or "”" in text:
        text = _straight_quotes(text)
    if "«" in text:
        text = _AFTER_OPENING_RE.sub(rf"«{NNBSP}\1", text)
    text = _spaces_before_signs(text)
    if "! " in text or "? " in text or "!\xa0" in text or "?\xa0" in text:
        text = _CLUSTER_SPACE_RE.sub(rf"\1{NNBSP}", text)
    if "M" in text or "r" in text:
        text = _TITLE_RE.sub(_bound, text)
    if "°" in text:
        text = _NUMERO_RE.sub(_bound, text)
    if _DIGIT_RE.search(text):
        if "h" in text:
            text = _times(text)
        text = _PHONE_RE.sub(_phone, text)
        text = _bind_ranks(text)
        text = _NUMBER_RE.sub(_number, text)
    elif "siècle" in text or "millénaire" in text:  # `XIXe siècle`
        text = _bind_ranks(text)
    if _HEAD_END in text:
        text = _widows(text)
    if entities:
        text = text.replace(_ENT, ";")
    if masked:
        pieces = text.split(_MASK)
        text = "".join(
            piece + (masked[i] if i < len(masked) else "")
            for i, piece in enumerate(pieces)
        )
    return text


# ---------------------------------------------------------------------------
# Règles anglaises (passages lang="en")
# ---------------------------------------------------------------------------
_EN_DOUBLE_RE = re.compile(r'(^|(?<=[\s(\[{—–-]))"(?=\S)')
_EN_SINGLE_OPEN_RE = re.compile(r"(^|(?<=[\s(\[{—–-]))'(?=\w)")


def _english(text):
    """Apostrophe, “quotes” et … à l’anglaise, nœud par nœud.

    >>> _english('"It\\'s" fine...')
    '“It’s” fine…'
    """
    if '"' in text:
        text = _EN_DOUBLE_RE.sub("“", text).replace('"', "”")
    if "'" in text:
        text = _EN_SINGLE_OPEN_RE.sub("‘", text).replace("'", "’")
    if "..." in text:
        text = _ELLIPSIS_RE.sub("…", text)
    return text


def _mode(lang):
    """'fr', 'en' ou None (autre langue : on ne touche pas)."""
    lang = (lang or "").strip().lower()
    if not lang or lang.startswith("fr"):
        return "fr"
    if lang.startswith("en"):
        return "en"
    return None


# ---------------------------------------------------------------------------
# API publique
# ---------------------------------------------------------------------------


def typographier_texte(text: str, *, langue: str = "fr", veuves: bool = True) -> str:
    """Typographie d’un texte brut (titre, champ de citation…).

    Le texte n’est pas du HTML : `<` et `&` sont des caractères comme les
    autres et restent tels quels (le thème échappe les titres). `veuves`
    applique la règle du mot court final, comme pour un titre.

    >>> typographier_texte("L'IA : 20% de 1500000 € ?")
    'L’IA\\xa0: 20\\u202f% de 1\\u202f500\\u202f000\\u202f€\\u202f?'
    >>> typographier_texte("R&D <beta> : 12:30, v1.2.3, 10.0.0.1")
    'R&D <beta>\\xa0: 12:30, v1.2.3, 10.0.0.1'
    >>> typographier_texte("Le retour de l'IA")
    'Le retour de\\xa0l’IA'
    >>> typographier_texte('Il a dit "oui" à "Ouest-France"', veuves=False)
    'Il a dit «\\u202foui\\u202f» à «\\u202fOuest-France\\u202f»'
    """
    if not isinstance(text, str) or not text:
        return text
    mode = _mode(langue)
    if mode is None or _has_sentinel(text):
        return text
    if mode == "en":
        return _english(text)
    if veuves:
        return _french(text + _HEAD_END, html=False)[:-1]
    return _french(text, html=False)


def typographier_html(
    html: str,
    *,
    langue: str = "fr",
    ignorer=(),
    classes_ignorees=tuple(DEFAULTS["TYPOGRAPHIE_IGNORE_CLASSES"]),
) -> str:
    """Typographie française d’un fragment HTML (corps, résumé, flux).

    `langue` est celle du document (les `lang="…"` internes la remplacent
    localement) ; `ignorer` ajoute des balises à IGNORED_TAGS ;
    `classes_ignorees` : classes dont le contenu n’est pas touché.

    >>> typographier_html('<p>Prix : <strong>1500000</strong>€ !</p>')
    '<p>Prix\\xa0: <strong>1\\u202f500\\u202f000</strong>\\u202f€\\u202f!</p>'
    >>> typographier_html('<a href="https://x.fr/?a=1;b=2" title="Quoi?">Quoi?</a>')
    '<a href="https://x.fr/?a=1;b=2" title="Quoi?">Quoi\\u202f?</a>'
    >>> typographier_html('<p>"Il a dit <em>"oui"</em>"</p>')
    '<p>«\\u202fIl a dit <em>“oui”</em>\\u202f»</p>'
    >>> typographier_html('<p>Écrire à <a href="mailto:a@b.fr">a@b.fr</a> :)</p>')
    '<p>Écrire à <a href="mailto:a@b.fr">a@b.fr</a> :)</p>'
    >>> typographier_html('<p lang="en">"Hello" she said: "it\\'s me"</p>')
    '<p lang="en">“Hello” she said: “it’s me”</p>'
    >>> typographier_html('<h2>Le retour de <em>l’IA</em></h2>')
    '<h2>Le retour de\\xa0<em>l’IA</em></h2>'
    >>> typographier_html('<p>Rendez-vous à 12:30 : voir https://x.fr/a:b !</p>')
    '<p>Rendez-vous à 12:30\\xa0: voir https://x.fr/a:b\\u202f!</p>'
    """
    if not isinstance(html, str) or not html:
        return html
    root = _mode(langue)
    if root is None or _has_sentinel(html):
        return html
    ignored = IGNORED_TAGS.union(t.lower() for t in ignorer) if ignorer else IGNORED_TAGS
    classes = frozenset(classes_ignorees)

    parts = _TOKEN_RE.split(html)
    texts = parts[0::_STRIDE]
    tokens = parts[1::_STRIDE]
    names = [n.lower() if n else n for n in parts[2::_STRIDE]]
    modes = _text_modes(html, tokens, names, root, ignored, classes)

    # Une sentinelle par balise ; un texte hors français devient _OPAQUE :
    # un seul caractère, qui n’est pas un séparateur et reste dans sa case.
    # Sans nom : commentaire (`<!…`, transparent) ou élément pris en entier
    # (`<pre>…</pre>`, `<script>…` : une limite de bloc).
    sentinels = [
        _SENTINEL.get(name, _TAG) if name else _TAG if token[1] in "!?" else _BLOCK
        for name, token in zip(names, tokens)
    ]
    if modes is None:
        slots, hidden = texts, ()
    else:
        slots = [t if m == "fr" or not t else _OPAQUE for t, m in zip(texts, modes)]
        hidden = [i for i, m in enumerate(modes) if m != "fr" and texts[i]]
    if modes is not None and "fr" not in modes:
        pieces = slots
    else:
        woven = [None] * (len(slots) + len(sentinels))
        woven[0::2] = slots
        woven[1::2] = sentinels
        result = _french("".join(woven))
        result = result.replace(_BLOCK, _TAG).replace(_HEAD_END, _TAG)
        if _OBJECT in result:
            result = result.replace(_OBJECT, _TAG)
        pieces = result.split(_TAG)
        # Les règles n’ajoutent ni ne retirent de sentinelle, et n’écrivent
        # jamais dans la case d’un texte ignoré ; on le vérifie quand même.
        if len(pieces) != len(texts) or any(pieces[i] != _OPAQUE for i in hidden):
            logger.error("[typographie] découpage incohérent, texte laissé tel quel")
            return html
    for i in hidden:
        pieces[i] = _english(texts[i]) if modes[i] == "en" else texts[i]
    woven = [None] * (len(pieces) + len(tokens))
    woven[0::2] = pieces
    woven[1::2] = tokens
    return "".join(woven)


def _text_modes(html, tokens, names, root, ignored, classes):
    """Mode de chaque texte : "fr", "en", "skip" (ignoré) ou None (autre langue).

    Renvoie None quand tout est en `root` (cas courant sans code) ; sinon une
    liste. Seules les balises ouvrantes qui changent l’état sont examinées en
    Python ; leur fermeture est cherchée par `list.index` (en C).
    """
    hints = [h for h in ("lang", "translate", *classes) if h in html]
    if hints:
        hint_re = re.compile("|".join(re.escape(h) for h in hints))
        candidates = [
            i
            for i, name in enumerate(names)
            if name in ignored or "=" in tokens[i] and name and hint_re.search(tokens[i])
        ]
    else:
        # Cas courant : seules les balises ignorées comptent ; on trouve leurs
        # positions par `list.index`, sans boucle Python sur chaque balise.
        candidates = []
        for name in ignored.intersection(names):
            k = -1
            try:
                while True:
                    k = names.index(name, k + 1)
                    candidates.append(k)
            except ValueError:
                pass
        candidates.sort()
    if not candidates and root == "fr":
        return None
    modes = [root] * (len(tokens) + 1)
    open_regions = []  # (indice de la fermeture, mode à l’intérieur)
    for i in candidates:
        while open_regions and open_regions[-1][0] < i:
            open_regions.pop()
        current = open_regions[-1][1] if open_regions else root
        if current == "skip":
            continue
        token, name = tokens[i], names[i]
        if name[0] == "/":
            continue  # `</span lang=en>` : une fermante n’ouvre rien
        new = "skip" if name in ignored else current
        if new != "skip" and "=" in token:
            found = _LANG_RE.search(token) if "lang" in token else None
            if found:
                new = _mode(found.group(1))
            if classes and "class" in token:
                found = _CLASS_RE.search(token)
                if found and classes.intersection(
                    (found.group(1) or found.group(2) or found.group(3) or "").split()
                ):
                    new = "skip"
            if "translate" in token and _TRANSLATE_NO_RE.search(token):
                new = "skip"
        if new == current or name in _VOID or token.endswith("/>"):
            continue
        end = _closing_index(names, i)
        modes[i + 1 : end + 1] = [new] * (end - i)
        open_regions.append((end, new))
    return modes


def _closing_index(names, i):
    """Indice de la balise qui ferme celle en `i` (ou la fin : tout le reste).

    Les éléments de même nom imbriqués sont comptés ; tout se fait avec
    `list.index` et `list.count`, en C.
    """
    name = names[i]
    closing = "/" + name
    unclosed = 1
    k = i
    while True:
        try:
            end = names.index(closing, k + 1)
        except ValueError:
            return len(names)
        unclosed += names[k + 1 : end].count(name) - 1
        if unclosed <= 0:
            return end
        k = end


# ---------------------------------------------------------------------------
# Pelican
# ---------------------------------------------------------------------------


# Mémoire d’une construction à l’autre (plugins/_memoire) : avec le cache de Pelican,
# les articles sont recréés à chaque construction et `content_object_init` repasse sur
# chacun ; sans mémoire, la passe coûterait autant à chaud qu’à froid. Clé : empreinte
# du HTML reçu et des options ; toute modification de ce fichier invalide la mémoire.
_CODE_VERSION = memoire.file_version(__file__)
MEMO_NAME = "typographie"  # CACHE_PATH/typographie.pickle


def _memo_key(fields, options) -> bytes:
    """Empreinte des champs d’un contenu et des options de la passe."""
    body, *others = fields
    return memoire.text_key(body, repr((others, sorted(options.items()))))


REGLAGES_TEXTE = ("SITESUBTITLE",)  # le nom du site est une marque : tel quel

# `est-elle`, `a-t-il`, `peut-on` : un titre étroit (sur téléphone) se coupait au trait
# d’union, « est- » en fin de ligne. U+2060 (gluon de mots, invisible) après le trait
# d’union l’empêche. Seulement à l’affichage des titres (filtre `sans_coupure`) : le
# titre lui-même, que reprennent flux, partage, données structurées et recherche,
# garde les caractères tapés.
WORD_JOINER = "\u2060"
_INVERSION_RE = re.compile(
    r"(?<=\w)-(?=(?:t-\u2060?)?(?:il|elle|on|ils|elles|je|tu|nous|vous|ce)(?![\w’'-]))"
)


def sans_coupure(title) -> str:
    """Filtre Jinja : pas de coupure de ligne avant le pronom d’une inversion.

    >>> sans_coupure("L’IA ouverte est-elle finie ? A-t-il tort ?") == (
    ...     "L’IA ouverte est-\u2060elle finie ? A-\u2060t-\u2060il tort ?")
    True
    """
    if not isinstance(title, str) or "-" not in title:
        return title
    escaped = hasattr(title, "__html__")
    text = _INVERSION_RE.sub("-" + WORD_JOINER, str(title))
    return type(title)(text) if escaped else text


def poser_reglages(pelican):
    """`initialized` : réglages par défaut, typogrify coupé, mémoire chargée."""
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    filters = dict(settings.get("JINJA_FILTERS") or {})
    filters["sans_coupure"] = sans_coupure if settings["TYPOGRAPHIE_ENABLED"] else str
    settings["JINJA_FILTERS"] = filters
    if settings.get("TYPOGRIFY") and settings["TYPOGRAPHIE_ENABLED"]:
        logger.warning(
            "[typographie] TYPOGRIFY désactivé : il fabriquerait des guillemets"
            " anglais à partir du texte français (voir plugins/typographie/README.md)"
        )
        settings["TYPOGRIFY"] = False
    if settings["TYPOGRAPHIE_ENABLED"]:
        memoire.open_for_build(settings, MEMO_NAME, _CODE_VERSION)
        # Le sous-titre du site s’affiche partout (titre de l’accueil,
        # description, flux, cartes de partage) sans passer par un contenu.
        for key in REGLAGES_TEXTE:
            if isinstance(settings.get(key), str):
                settings[key] = typographier_texte(settings[key], veuves=False)


def enregistrer_memoire(pelican):
    """`finalized` : écrit la mémoire de cette construction, puis l’oublie."""
    memoire.close_for_build(pelican.settings, MEMO_NAME)


def typographier_contenu(content):
    """`content_object_init` : corps, titre, résumé et citation exposée.

    Le titre est du texte brut (le thème l’échappe) ; le résumé `summary` des
    métadonnées est du HTML rendu par Markdown. Le résumé calculé par Pelican
    à partir du corps n’existe pas encore : il sera tiré du corps déjà traité.

    Les récepteurs de `content_object_init` n’ont pas d’ordre garanti : si
    `pullquotes` est passé avant nous, `content.pullquote` est du texte non
    traité et on le traite ; sinon il sera extrait du corps déjà traité. La
    typographie étant idempotente, le résultat est le même dans les deux cas.
    """
    settings = content.settings
    if not settings.get("TYPOGRAPHIE_ENABLED", True):
        return
    body = getattr(content, "_content", None)
    if not isinstance(body, str):
        return  # fichier statique
    title = getattr(content, "title", None)
    summary = content.metadata.get("summary")
    pullquote = getattr(content, "pullquote", None)
    fields = (
        body,
        title if isinstance(title, str) else None,
        summary if isinstance(summary, str) else None,
        pullquote if isinstance(pullquote, dict) else None,
    )
    options = {
        "langue": getattr(content, "lang", None) or settings.get("DEFAULT_LANG", "fr"),
        "ignorer": tuple(settings.get("TYPOGRAPHIE_IGNORE_TAGS") or ()),
        "classes_ignorees": tuple(
            settings.get(
                "TYPOGRAPHIE_IGNORE_CLASSES", DEFAULTS["TYPOGRAPHIE_IGNORE_CLASSES"]
            )
        ),
    }
    memo = memoire.for_build(settings, MEMO_NAME)
    if memo is None:
        body, title, summary, pullquote = _typographier_champs(fields, options)
    else:
        key = _memo_key(fields, options)
        body, title, summary, pullquote = memo.get(
            key, _typographier_champs, fields, options
        )
    content._content = body
    if title is not None:
        content.title = title
        if "title" in content.metadata:
            content.metadata["title"] = title
    if summary is not None:
        content.metadata["summary"] = summary
        content._summary = summary
    if pullquote is not None:
        content.pullquote = pullquote


def _typographier_champs(fields, options):
    """La passe sur les quatre champs d’un contenu (ce que la mémoire garde)."""
    body, title, summary, pullquote = fields
    langue = options["langue"]
    body = typographier_html(body, **options)
    if title is not None:
        title = typographier_texte(title, langue=langue)
    if summary is not None:
        summary = typographier_html(summary, **options)
    if pullquote is not None:
        pullquote = {
            key: typographier_texte(value, langue=langue, veuves=False)
            if isinstance(value, str)
            else value
            for key, value in pullquote.items()
        }
    return body, title, summary, pullquote


def retablir_titres_flux(context, feed):
    """`feed_generated` : rend aux titres des flux leurs espaces insécables.

    Pelican passe chaque titre par `Markup.striptags()`, qui refait les
    espaces avec `str.split()` : U+00A0 et U+202F y comptent comme des blancs
    et redeviennent des espaces ordinaires. La typographie étant idempotente,
    on la réapplique simplement au titre de chaque entrée et du flux.
    """
    if not context.get("TYPOGRAPHIE_ENABLED", True):
        return
    langue = context.get("DEFAULT_LANG", "fr")
    if isinstance(feed.feed.get("title"), str):
        # Le nom du site (et de la rubrique) reste tel quel, sans la règle des titres.
        feed.feed["title"] = typographier_texte(feed.feed["title"], langue=langue, veuves=False)
    for item in feed.items:
        if isinstance(item.get("title"), str):
            item["title"] = typographier_texte(item["title"], langue=langue)


def register():
    """Branche le greffon.

    `initialized` pour les réglages et la mémoire ; `content_object_init`
    parce que le HTML rendu, le titre et le résumé y sont réunis une seule
    fois par contenu, avant les gabarits et les flux, qui réutilisent tous ce
    résultat ; `feed_generated` pour réparer les titres que Pelican aplatit ;
    `finalized` pour écrire la mémoire des constructions à chaud.
    """
    from pelican import signals

    signals.initialized.connect(poser_reglages)
    signals.content_object_init.connect(typographier_contenu)
    signals.feed_generated.connect(retablir_titres_flux)
    signals.finalized.connect(enregistrer_memoire)
