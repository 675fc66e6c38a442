"""The programme „Kein Kind zurücklassen!“ and its phases (DESIGN.md §1, SOURCES.md S1–S9)."""

from datetime import date

PROGRAMME_SLUG = "kekiz"

PROGRAMME = {
    "name": "Kein Kind zurücklassen!",
    "short_name": "KeKiz",
    "description": (
        "Seit 2012 unterstützt das Land Nordrhein-Westfalen Kommunen beim Aufbau kommunaler "
        "Präventionsketten: Kinder und Jugendliche sollen von der Schwangerschaft und Geburt bis "
        "zum Eintritt in das Berufsleben begleitet werden, indem die vorhandenen Angebote von "
        "Gesundheitswesen, Bildung, Kinder- und Jugendhilfe und sozialen Diensten miteinander "
        "verknüpft werden. Jede teilnehmende Kommune erarbeitet ein Leitbild, baut ihre "
        "Präventionskette auf und führt ein sozialräumliches Monitoring ein. Für die Koordination "
        "kann sie bis zu 30.000 € im Jahr beantragen; das Land trägt 50 % der Kosten, den Rest "
        "die Kommune. Die Mittel stammen vom Land und aus dem Europäischen Sozialfonds.\n\n"
        "Von 2012 bis 2015 erprobten 18 Modellkommunen den Ansatz im Modellvorhaben „Kommunen in "
        "NRW beugen vor“. Mit der Landesinitiative „Für ganz NRW“ kamen 2017 22 Kommunen hinzu, "
        "insgesamt 40. Auf die Projektphase bis Ende 2018 folgte 2019 und 2020 eine freiwillige "
        "Vertiefungsphase; seitdem führen die Kommunen ihre Präventionsketten eigenständig fort."
    ),
}

# Keyed by name: the phase name is unique per programme and so identifies the row on a re-run.
PHASES = [
    {
        "name": "Modellvorhaben „Kommunen in NRW beugen vor“",
        # S1 and S9: the 18 Modellkommunen started in March 2012.
        "start_date": date(2012, 3, 1),
        "end_date": date(2015, 12, 31),
        "description": (
            "18 Modellkommunen: 15 Städte und die Kreise Düren, Unna und Warendorf erproben den "
            "Aufbau kommunaler Präventionsketten."
        ),
    },
    {
        "name": "Landesinitiative „Für ganz NRW“",
        "start_date": date(2017, 1, 1),
        "end_date": date(2018, 12, 31),
        "description": (
            "22 weitere Kommunen kommen hinzu, zusammen 40; die Projektphase läuft bis zum "
            "31.12.2018."
        ),
    },
    {
        "name": "Vertiefungsphase",
        "start_date": date(2019, 1, 1),
        "end_date": date(2020, 12, 31),
        "description": (
            "Freiwillige Vertiefungsphase; danach führen die Kommunen ihre Präventionsketten "
            "eigenständig fort."
        ),
    },
]
