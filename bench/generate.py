"""Write synthetic input folders for the benchmark: N measures and everything in proportion.

Deterministic: the same N gives the same files. Text has umlauts and "&",
as real concepts do; with ``long_titles``, titles, leads and goals are as
long as the longest seen in published concepts, full of long compounds – the
test of a layout. Usage: python bench/generate.py N OUT_DIR [--long-titles]
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import yaml

THEMES = [
    "Bildung und Sprache",
    "Arbeit & Ausbildung",
    "Gesundheit und Pflege",
    "Wohnen und Mobilität",
    "Ehrenamt & Engagement",
    "Interkulturelle Öffnung",
    "Antidiskriminierung und Teilhabe",
    "Frühe Hilfen & Familie",
]
LEADS = ["Jobcenter Goslar", "Kreisvolkshochschule", "Gesundheitsamt", "Stadt Seesen", "Stadt Bad Harzburg"]
STATUSES = ["geplant", "in Umsetzung", "umgesetzt", "bestehend", "zurückgestellt"]
PRIORITIES = ["Schwerpunkt", "Quick Win", "regulär"]
WORDS = [
    "Förderung",
    "Begleitung",
    "Sprachkurs",
    "Übergang",
    "Schule",
    "Ausbildung",
    "Beratung",
    "Netzwerk",
    "Familie",
    "Größe",
    "Qualität",
]


LONG_WORDS = [
    "Integrationslotsinnen",
    "Kreisvolkshochschule",
    "Gleichstellungsbeauftragte",
    "Migrantenselbstorganisationen",
    "Schuleingangsuntersuchung",
    "Ausbildungsbegleitung",
    "Wohnraumvermittlung",
    "Gesundheitsförderung",
    "Sprachmittlerpool",
    "Anerkennungsberatung",
]
LONG_LEADS = [
    "Landkreis Beispiel – Fachbereich Jugend, Schule und Kultur – Bildungskoordination für Neuzugewanderte",
    "Kreisvolkshochschule Beispiel gGmbH in Kooperation mit dem Jobcenter und der Agentur für Arbeit",
    "Stadt Seesen – Fachbereich Bürgerdienste, Soziales und Integration",
]


def long_title(rng: random.Random) -> str:
    words = [rng.choice(LONG_WORDS if i % 3 == 0 else WORDS) for i in range(rng.randint(10, 16))]
    return " ".join(words)


def sentence(rng: random.Random, words: int = 14) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + " & mehr."


def generate(measures: int, out: Path, *, long_titles: bool = False) -> Path:
    rng = random.Random(measures)
    theme_count = min(len(THEMES), max(3, measures // 100))
    goals_per_theme = max(2, measures // theme_count // 4)
    (out / "handlungsfelder").mkdir(parents=True, exist_ok=True)
    concept = {
        "meta": {
            "title": "Integrations- und Teilhabekonzept (Benchmark)",
            "district": f"Landkreis Beispiel {measures}",
            "issuer": "Landkreis Beispiel – Der Landrat",
            "version": "1.0",
            "status": "Entwurf",
            "date": "2024-03-01",
        },
        "foreword": {"text": sentence(rng, 60), "author": {"name": "Erika Muster", "role": "Landrätin"}},
        "starting_point": {
            "text": sentence(rng, 80),
            "key_figures": [
                {
                    "indicator": f"Kennzahl {i} für Größe & Lage",
                    "value": rng.randint(100, 99999),
                    "unit": "Personen",
                    "year": 2023,
                    "source": "Landesamt für Statistik",
                }
                for i in range(max(5, measures // 50))
            ],
        },
        "principles": [{"title": f"Leitlinie {i}", "text": sentence(rng, 30)} for i in range(6)],
        "themes": [{"include": f"handlungsfelder/{t:02d}.yaml"} for t in range(theme_count)],
        "quotes": [
            {
                "id": f"q{i}",
                "text": sentence(rng, 25),
                "person": f"Person {i}",
                "role": "Teilnehmerin",
                "consent": True,
                "themes": [f"t{i % theme_count}"],
            }
            for i in range(max(6, measures // 20))
        ],
        "monitoring": {"text": sentence(rng, 60), "steps": [sentence(rng, 10) for _ in range(5)]},
    }
    (out / "concept.yaml").write_text(
        yaml.safe_dump(concept, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    per_theme = [
        measures // theme_count + (1 if t < measures % theme_count else 0) for t in range(theme_count)
    ]
    for t, count in enumerate(per_theme):
        goals = [
            {
                "id": f"t{t}-z{g}",
                "title": long_title(rng) if long_titles else f"Ziel {g} im Feld {THEMES[t]}",
                "description": sentence(rng, 20),
                "indicators": [
                    {"name": "Teilnehmende", "baseline": "10", "target": "50", "unit": "Personen"}
                ],
            }
            for g in range(goals_per_theme)
        ]
        theme = {
            "id": f"t{t}",
            "title": THEMES[t],
            "description": sentence(rng, 50) + "\n\n" + sentence(rng, 40),
            "challenges": [sentence(rng, 12) for _ in range(3)],
            "goals": goals,
            "measures": [
                {
                    "id": f"t{t}-m{m}",
                    "title": long_title(rng) if long_titles else f"Maßnahme {m}: {sentence(rng, 5)}",
                    "description": sentence(rng, 40)
                    + "\n\n- "
                    + sentence(rng, 8)
                    + "\n- "
                    + sentence(rng, 8),
                    "goals": [f"t{t}-z{m % goals_per_theme}"],
                    "lead": rng.choice(LONG_LEADS if long_titles else LEADS),
                    "partners": rng.sample(LEADS, 2),
                    "target_groups": ["Neuzugewanderte", "Familien"],
                    "timeframe": {
                        "start": f"202{rng.randint(4, 6)}-0{rng.randint(1, 9)}-01",
                        "end": f"202{rng.randint(7, 9)}-12-31",
                        "term": "mittelfristig",
                    },
                    "priority": rng.choice(PRIORITIES),
                    "funding": {
                        "resources": "0,5 Stellen",
                        "budget": f"{rng.randint(1, 90)}.000 €",
                        "source": "Landesmittel & Eigenmittel",
                    },
                    "indicators": [{"name": "Teilnehmende", "target": "100", "unit": "Personen"}],
                    "status": rng.choice(STATUSES),
                    "area": "Landkreis Beispiel",
                    "contact": "Stabsstelle Integration",
                }
                for m in range(count)
            ],
        }
        path = out / "handlungsfelder" / f"{t:02d}.yaml"
        path.write_text(yaml.safe_dump(theme, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]), long_titles="--long-titles" in sys.argv[3:])
