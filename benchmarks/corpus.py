"""Synthetic French corpus for the benchmarks, shaped like the real blog.

Why synthetic: the sample blog has twenty articles, far too few to show how a build
scales, and a real archive cannot be shipped. Each article here looks like ours: YAML
front-matter, an introduction, 3 to 5 ``##`` sections, bullet and numbered lists, a pull
quote with its « – Nom, fonction » attribution (and sometimes a plain quote), French
punctuation typed the way writers type it (straight apostrophes, ``:``, ``;``, ``?``,
« 20 % », « 1 000 € »), inline code and links to earlier articles.

The corpus is a pure function of ``(size, seed, categories)``: one ``random.Random`` and
a fixed calendar (dates spread over the twenty years before ``LAST_DAY``, never « today »),
so the same seed writes the same bytes on any machine and any day.

- 10 categories: the children of ``CATEGORY_TREE`` plus, when there are fewer than ten, a
  bench-only parent/child pair (``EXTRA_PARENT``) that the runner adds to the tree.
- About 300 tags in a Zipf distribution: the tag of rank *r* is drawn with weight
  ``1 / r``, so a few tags are on most articles and a long tail appears a few times.
- Three spellings of one corpus, same bodies and metadata: ``yaml`` (our site), ``hugo``
  (the same YAML, seconds added to dates, which Hugo requires) and ``native`` (Pelican's
  own ``Key: value`` header, for stock Pelican, which has no YAML reader without a plugin).

    python benchmarks/corpus.py OUT --size 1000 [--seed 2025] [--flavour yaml|hugo|native]
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

SIZES = (100, 1000, 5000)
DEFAULT_SEED = 2025
CATEGORY_COUNT = 10
TAG_COUNT = 300
LAST_DAY = datetime.datetime(2025, 10, 31, 18, 0)
YEARS = 20
EXTRA_PARENT = "Sciences et Espace"
EXTRA_CHILDREN = ["Spatial", "Biotechnologies", "Matériaux", "Robotique", "Santé numérique",
                  "Agriculture connectée", "Données ouvertes", "Semi-conducteurs",
                  "Télécommunications", "Éducation numérique"]

# The head of the tag distribution: names a newsroom really uses.
COMMON_TAGS = [
    "IA", "open source", "cloud", "startups", "cybersécurité", "batteries", "hydrogène",
    "nucléaire", "véhicules électriques", "régulation", "données personnelles", "RGPD",
    "souveraineté", "semi-conducteurs", "5G", "quantique", "levée de fonds", "climat",
    "solaire", "éolien", "recharge", "vélo", "rail", "ransomware", "chiffrement",
    "Europe", "Chine", "États-Unis", "Bruxelles", "modèles de langage", "robotique",
    "santé", "éducation", "emploi", "fiscalité", "réseaux électriques", "sobriété",
    "data centers", "satellites", "lanceurs",
]
# The long tail: a subject and a qualifier, e.g. « stockage thermique ».
TAIL_NOUNS = [
    "stockage", "réseau", "calcul", "capteur", "logiciel", "plateforme", "marché",
    "infrastructure", "recherche", "industrie", "transport", "production", "sécurité",
    "mobilité", "énergie", "agriculture", "finance", "identité", "cartographie",
    "maintenance", "formation", "innovation", "logistique", "santé", "télécoms",
]
TAIL_QUALIFIERS = [
    "thermique", "distribué", "embarqué", "souverain", "libre", "urbain", "rural",
    "industriel", "public", "privé", "européen", "africain", "décentralisé", "frugal",
    "prédictif", "autonome", "hybride", "bas carbone", "critique", "partagé",
]

SUBJECTS = [
    "La start-up lyonnaise", "Le gouvernement", "Bruxelles", "Le régulateur",
    "Une équipe de chercheurs", "Le groupe industriel", "La filière", "L'opérateur",
    "Le laboratoire grenoblois", "La collectivité", "Le consortium européen",
    "La direction technique", "Un fonds d'investissement", "L'association",
    "Le constructeur", "La plateforme", "L'agence nationale", "Le ministère",
]
VERBS = [
    "annonce", "prépare", "teste", "défend", "met en doute", "accélère", "finance",
    "publie", "révise", "critique", "déploie", "abandonne", "étend", "mesure", "négocie",
]
OBJECTS = [
    "un plan de {n} millions d'euros", "une nouvelle génération de {thing}",
    "le calendrier de {thing}", "une feuille de route pour {thing}",
    "un prototype de {thing}", "l'ouverture de {thing}", "les règles encadrant {thing}",
    "une étude sur {thing}", "le rachat d'un spécialiste de {thing}",
    "un partenariat autour de {thing}",
]
THINGS = [
    "l'intelligence artificielle", "la recharge rapide", "la cybersécurité",
    "l'hydrogène vert", "les petits réacteurs", "la 5G industrielle", "l'informatique quantique",
    "la mobilité partagée", "le stockage d'énergie", "la donnée publique", "l'éolien en mer",
    "la cryptographie post-quantique", "les batteries sodium-ion", "le cloud souverain",
]
COMPLEMENTS = [
    "d'ici à {year}", "malgré les réserves des élus", "sans attendre le feu vert de Paris",
    "pour environ {pct} % de son budget", "après deux ans d'expérimentation",
    "dans trois régions pilotes", "avec un coût estimé à {k} 000 €",
    "au grand dam des associations", "selon un document que nous avons consulté",
    "en s'appuyant sur des logiciels libres", "face à la concurrence américaine",
]
ASIDES = [
    "Faut-il s'en réjouir ?", "Le pari est risqué !", "Reste une question : à quel prix ?",
    "Personne ne s'attendait à un tel revirement.", "Le calendrier, lui, n'a pas bougé.",
    "Les chiffres parlent d'eux-mêmes.", "Un détail qui n'en est pas un.",
    "C'est une \"révolution\", disent ses promoteurs ; c'est surtout un pari.",
    "Le mot d'ordre : prudence.", "Encore faut-il que la demande suive !",
]
HEADINGS = [
    "Ce qui change", "Un marché en recomposition", "Les raisons d'un virage",
    "Ce que disent les chiffres", "Les limites du modèle", "Et maintenant ?",
    "Un cadre juridique encore flou", "Le point de vue des utilisateurs",
    "Une course contre la montre", "Ce qu'il faut retenir", "Des coûts sous-estimés",
    "La question de la souveraineté", "Un écosystème qui se structure",
]
LIST_ITEMS = [
    "un budget de {k} 000 € pour la première phase", "des données ouvertes et documentées",
    "une interface commune pour remplacer un fournisseur", "un audit de sécurité annuel",
    "la formation de {n} agents en {year}", "un indicateur publié chaque trimestre",
    "un comité d'éthique indépendant", "la réduction de {pct} % de la consommation",
    "une version hors ligne, utile dans les zones blanches", "le code publié sous licence libre",
]
PEOPLE = [
    "Hélène Marchetti, chercheuse en apprentissage automatique",
    "Karim Benali, directeur technique d'une PME nantaise",
    "Sophie Lefèvre, économiste de l'énergie", "Thomas Nguyen, fondateur d'une jeune pousse",
    "Claire Dubois, élue chargée du numérique", "Marc Aubert, ingénieur réseau",
    "Nadia Haddad, avocate spécialisée en protection des données",
    "Julien Moreau, responsable de la sécurité d'un hôpital",
]
QUOTES = [
    "On nous a promis une révolution ; nous avons surtout eu des réunions.",
    "Le vrai sujet n'est pas la technologie, c'est qui en garde la maîtrise.",
    "Si nous ne formons pas les équipes maintenant, nous achèterons tout à l'étranger.",
    "Chaque euro investi doit pouvoir être mesuré, sinon c'est de la communication.",
    "Nous avons appris plus en six mois de terrain qu'en trois ans de rapports.",
    "La sobriété n'est pas une contrainte : c'est un avantage compétitif.",
]
TITLES = [
    "{Thing} : {subject} {verb} {obj}", "Pourquoi {thing} inquiète les investisseurs",
    "{Thing} : ce qui va changer en {year}", "Faut-il croire aux promesses de {thing} ?",
    "Comment {thing} redessine la carte industrielle", "{Thing}, le pari risqué de l'Europe",
    "Dix questions sur {thing}", "{Thing} : l'heure des comptes",
]


@dataclass
class Article:
    """One synthetic article: its metadata and its Markdown body."""

    slug: str
    title: str
    date: datetime.datetime
    category: str
    tags: list[str]
    summary: str
    body: str
    modified: datetime.datetime | None = None
    extra: dict = field(default_factory=dict)


def ascii_slug(text: str) -> str:
    """Accents folded, lower case, words joined by dashes (« L'Été » → ``l-ete``)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def corpus_categories(tree: dict[str, list[str]], count: int = CATEGORY_COUNT):
    """The corpus's ``count`` categories and the tree a build must declare for them.

    Children of the real tree first; when they are fewer than ``count``, children of one
    bench-only parent (``EXTRA_PARENT``) fill the gap, and the returned tree has it.
    """
    children = [child for kids in tree.values() for child in kids][:count]
    extra = EXTRA_CHILDREN[: max(0, count - len(children))]
    full_tree = {parent: list(kids) for parent, kids in tree.items()}
    if extra:
        full_tree[EXTRA_PARENT] = extra
    return children + extra, full_tree


def tag_names(count: int = TAG_COUNT) -> list[str]:
    """``count`` distinct tag names (distinct slugs too), most common first."""
    names, slugs = [], set()
    tail = [f"{noun} {qualifier}" for noun in TAIL_NOUNS for qualifier in TAIL_QUALIFIERS]
    random.Random(TAG_COUNT).shuffle(tail)  # fixed order, independent of the corpus seed
    for name in COMMON_TAGS + tail:
        slug = ascii_slug(name)
        if slug not in slugs:
            names.append(name)
            slugs.add(slug)
        if len(names) == count:
            return names
    raise ValueError(f"only {len(names)} distinct tag names available, {count} asked")


def zipf_weights(count: int, exponent: float = 1.0) -> list[float]:
    """Weight of rank r (1-based) is 1 / r**exponent."""
    return [1 / (rank ** exponent) for rank in range(1, count + 1)]


CONTRACTIONS = [
    (re.compile(r"\b([Dd])e le "), r"\1u "),
    (re.compile(r"\b([Dd])e les "), r"\1es "),
    (re.compile(r"\b[Àà] le "), "au "),
    (re.compile(r"\b[Àà] les "), "aux "),
]


def contract(text: str) -> str:
    """French contractions the templates cannot know: « de le cloud » → « du cloud »."""
    for pattern, replacement in CONTRACTIONS:
        text = pattern.sub(replacement, text)
    return text


class Writer:
    """Draws sentences, paragraphs and sections from one seeded generator."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def fill(self, template: str) -> str:
        rng = self.rng
        thing = rng.choice(THINGS)
        return contract(template.format(
            n=rng.randint(2, 900), k=rng.randint(1, 99), pct=rng.randint(3, 85),
            year=rng.randint(2026, 2035), thing=thing, Thing=thing[0].upper() + thing[1:],
            subject=rng.choice(SUBJECTS).lower(), verb=rng.choice(VERBS),
            obj=self.fill(rng.choice(OBJECTS)) if "{obj}" in template else "",
        ))

    def sentence(self) -> str:
        rng = self.rng
        if rng.random() < 0.15:
            return rng.choice(ASIDES)
        text = " ".join((rng.choice(SUBJECTS), rng.choice(VERBS),
                         self.fill(rng.choice(OBJECTS)), self.fill(rng.choice(COMPLEMENTS))))
        if rng.random() < 0.12:
            text += f", avec l'outil `{rng.choice(['pelican', 'kubectl', 'openssl', 'git'])}`"
        return text + "."

    def paragraph(self, low: int = 3, high: int = 6) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(low, high)))

    def bullet_list(self, numbered: bool) -> str:
        items = [self.fill(item) for item in self.rng.sample(LIST_ITEMS, self.rng.randint(3, 5))]
        marks = [f"{n}." if numbered else "-" for n in range(1, len(items) + 1)]
        lines = [f"{mark} {item} ;" for mark, item in zip(marks, items)]
        lines[-1] = lines[-1][:-2] + "."
        return "\n".join(lines)

    def quote(self, attributed: bool) -> str:
        text = self.rng.choice(QUOTES)
        if not attributed:
            return f"> {text}"
        dash = self.rng.choice(["–", "–", "—", "--"])
        return f"> {text}\n>\n> {dash} {self.rng.choice(PEOPLE)}"

    def body(self, earlier: list[str]) -> str:
        rng = self.rng
        blocks = [self.paragraph(3, 5)]
        headings = rng.sample(HEADINGS, rng.randint(3, 5))
        quote_at = rng.randrange(len(headings))
        list_at = rng.randrange(len(headings))
        for index, heading in enumerate(headings):
            blocks.append(f"## {heading}")
            blocks.append(self.paragraph())
            if index == list_at:
                blocks.append("Les points clés :")
                blocks.append(self.bullet_list(numbered=rng.random() < 0.3))
            if index == quote_at and rng.random() < 0.85:
                blocks.append(self.quote(attributed=rng.random() < 0.85))
            blocks.append(self.paragraph())
            if index == 0 and earlier and rng.random() < 0.3:
                blocks.append(f"Nous en parlions déjà dans [un article précédent]"
                              f"({{filename}}{rng.choice(earlier)}.md).")
        return "\n\n".join(blocks) + "\n"


def make_articles(size: int, seed: int = DEFAULT_SEED,
                  categories: list[str] | None = None) -> list[Article]:
    """``size`` articles, a pure function of the arguments."""
    rng = random.Random(seed)
    writer = Writer(rng)
    categories = categories or corpus_categories({})[0]
    category_weights = zipf_weights(len(categories), exponent=0.5)
    tags = tag_names()
    weights = zipf_weights(len(tags))
    first_day = LAST_DAY - datetime.timedelta(days=365 * YEARS)
    span_minutes = int((LAST_DAY - first_day).total_seconds() // 60)
    articles, slugs = [], []
    for index in range(size):
        title = writer.fill(rng.choice(TITLES))
        slug = f"{ascii_slug(title)[:60].rstrip('-')}-{index + 1}"
        date = first_day + datetime.timedelta(minutes=rng.randrange(span_minutes))
        modified = None
        if rng.random() < 0.2:
            modified = min(LAST_DAY, date + datetime.timedelta(days=rng.randint(1, 200)))
        chosen: list[str] = []
        wanted = rng.randint(3, 6)
        while len(chosen) < wanted:
            tag = rng.choices(tags, weights)[0]
            if tag not in chosen:
                chosen.append(tag)
        articles.append(Article(
            slug=slug, title=title, date=date, modified=modified,
            category=rng.choices(categories, category_weights)[0], tags=chosen,
            summary=writer.sentence(), body=writer.body(slugs[-50:]),
        ))
        slugs.append(slug)
    return articles


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def yaml_text(article: Article, time_format: str = "%H:%M") -> str:
    """Our front-matter, dates written as writers do (``2025-10-23 09:30``)."""
    date_format = f"%Y-%m-%d {time_format}"
    lines = ["---", f"title: {_quoted(article.title)}", f"slug: {article.slug}",
             f"date: {article.date.strftime(date_format)}"]
    if article.modified:
        lines.append(f"modified: {article.modified.strftime(date_format)}")
    lines += [f"category: {article.category}",
              f"tags: [{', '.join(_quoted(tag) for tag in article.tags)}]",
              f"summary: {_quoted(article.summary)}", "---", ""]
    return "\n".join(lines) + article.body


def hugo_text(article: Article) -> str:
    """The same YAML with seconds in dates: Hugo refuses ``2025-10-23 09:30``."""
    return yaml_text(article, time_format="%H:%M:%S")


def native_text(article: Article) -> str:
    """Pelican's own ``Key: value`` header, for stock Pelican (no YAML reader)."""
    lines = [f"Title: {article.title}", f"Slug: {article.slug}",
             f"Date: {article.date:%Y-%m-%d %H:%M}"]
    if article.modified:
        lines.append(f"Modified: {article.modified:%Y-%m-%d %H:%M}")
    lines += [f"Category: {article.category}", f"Tags: {', '.join(article.tags)}",
              f"Summary: {article.summary}", ""]
    return "\n".join(lines) + "\n" + article.body


FLAVOURS = {"yaml": yaml_text, "native": native_text, "hugo": hugo_text}


def write_corpus(folder: Path, size: int, seed: int = DEFAULT_SEED,
                 categories: list[str] | None = None, flavour: str = "yaml") -> list[Path]:
    """Write the corpus as ``folder/<slug>.md`` files; return their paths."""
    render = FLAVOURS[flavour]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for article in make_articles(size, seed, categories):
        path = folder / f"{article.slug}.md"
        path.write_text(render(article), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, help="dossier où écrire les articles")
    parser.add_argument("--size", type=int, default=1000, help="nombre d’articles")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--flavour", choices=sorted(FLAVOURS), default="yaml")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from pelican.settings import read_settings

    tree = read_settings(str(Path(__file__).resolve().parent.parent / "pelicanconf.py"))
    categories, _ = corpus_categories(tree.get("CATEGORY_TREE", {}))
    paths = write_corpus(args.output, args.size, args.seed, categories, args.flavour)
    print(f"{len(paths)} articles écrits dans {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
