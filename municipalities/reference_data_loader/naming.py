"""Display names and slugs for municipalities, derived from the official GV-ISys names."""

from django.utils.text import slugify

from municipalities.models import MunicipalityKind

# slugify() would drop the umlaut dots ("Köln" → "koln"); German readers expect "koeln".
_GERMAN_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"}
)


def slugify_de(text: str) -> str:
    return slugify(text.translate(_GERMAN_TRANSLITERATION))


def short_name(official_name: str, kind: str) -> str:
    """The name people use: "Düsseldorf" for "Düsseldorf, Stadt", "Kreis Kleve" for "Kleve"."""
    # GV-ISys appends the Zusatzbezeichnung after the first comma ("Erkrath, Fundort des
    # Neanderthalers, Stadt"); the part before it is the name in everyday use.
    base = official_name.split(",", 1)[0].strip()
    if kind == MunicipalityKind.STAEDTEREGION:
        # GV-ISys writes "Städteregion"; the StädteRegion spells itself with a capital R.
        return "StädteRegion " + base.split(" ", 1)[1] if " " in base else base
    if kind == MunicipalityKind.KREIS and "kreis" not in base.lower():
        # GV-ISys lists Kreise by bare name ("Kleve"), which would be mistaken for the town;
        # names like "Hochsauerlandkreis" or "Rhein-Kreis Neuss" already say what they are.
        return f"Kreis {base}"
    return base


def unique_slugs(names_by_ags: dict[str, str]) -> dict[str, str]:
    """Slug per AGS; on a clash the unit with the smaller AGS keeps the plain slug and the
    others get their AGS appended, so the result depends on the data only, not on load order."""
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    for ags in sorted(names_by_ags):
        slug = slugify_de(names_by_ags[ags]) or ags
        if slug in taken:
            slug = f"{slug}-{ags}"
        taken.add(slug)
        slugs[ags] = slug
    return slugs
