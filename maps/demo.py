"""
Demo journey maps for `manage.py seed_demo`, in Dutch: a podiatrist visit (B2C,
current state) and the office-furniture purchase of the research demo (B2B).
"""

from django.db import transaction

from maps.models import Card, Channel, Experience, Impact, JourneyMap, Lane, Stage

LANES = [
    ("goals", "Doelen van de klant", "text"),
    ("touch", "Touchpoints", "touchpoints"),
    ("thoughts", "Gedachten en gevoelens", "text"),
    ("emotion", "Emotie", "emotion"),
    ("pains", "Pijnpunten", "pains"),
    ("chances", "Kansen", "opportunities"),
    ("actions", "Vervolgacties", "actions"),
]

# title, type, status, scope, objective, persona name, stages:
# each stage is (title, customer goal, [(lane key, text, card fields), ...]).
MAPS = [
    (
        "Bezoek aan de podotherapeut",
        "current",
        "active",
        "Van de eerste voetklacht tot de nacontrole na zes weken.",
        "Zien waar nieuwe patiënten afhaken voordat ze een afspraak maken.",
        None,
        [
            (
                "Bewustwording",
                "Begrijpen waar de pijn vandaan komt",
                [
                    (
                        "touch",
                        "Zoekt 'pijn onder voet' op Google",
                        {"channel": Channel.SEARCH, "online": True, "branded": False},
                    ),
                    ("thoughts", "Gaat het vanzelf over?", {}),
                    (
                        "pains",
                        "Weet niet dat een podotherapeut hierbij helpt",
                        {"impact": Impact.HIGH},
                    ),
                ],
            ),
            (
                "Overweging",
                "Een betrouwbare behandelaar vinden",
                [
                    (
                        "touch",
                        "Reviews op de website",
                        {
                            "channel": Channel.WEBSITE,
                            "online": True,
                            "branded": True,
                            "department": "Marketing",
                            "experience": Experience.POSITIVE,
                        },
                    ),
                    (
                        "chances",
                        "Vergoeding door de zorgverzekeraar duidelijk uitleggen",
                        {"impact": Impact.MEDIUM},
                    ),
                ],
            ),
            (
                "Afspraak maken",
                "Snel terecht kunnen",
                [
                    (
                        "touch",
                        "Belt de praktijk",
                        {
                            "channel": Channel.PHONE,
                            "online": False,
                            "branded": True,
                            "department": "Receptie",
                            "experience": Experience.NEGATIVE,
                            "moment_of_truth": True,
                        },
                    ),
                    (
                        "pains",
                        "Telefoon alleen 's ochtends bereikbaar",
                        {"impact": Impact.HIGH},
                    ),
                    ("chances", "Online afspraken maken", {"impact": Impact.HIGH}),
                ],
            ),
            (
                "Service voor het bezoek",
                "Weten wat er gaat gebeuren",
                [
                    (
                        "touch",
                        "Bevestigingsmail met route en wat mee te nemen",
                        {
                            "channel": Channel.EMAIL,
                            "online": True,
                            "branded": True,
                            "experience": Experience.POSITIVE,
                        },
                    ),
                ],
            ),
            (
                "Consult",
                "Serieus genomen worden",
                [
                    (
                        "touch",
                        "Loopanalyse in de praktijk",
                        {
                            "channel": Channel.SHOP,
                            "online": False,
                            "branded": True,
                            "department": "Behandelaars",
                            "experience": Experience.POSITIVE,
                            "moment_of_truth": True,
                        },
                    ),
                    ("thoughts", "Eindelijk iemand die luistert", {}),
                ],
            ),
            (
                "Aankoop steunzolen",
                "Een eerlijke prijs betalen",
                [
                    (
                        "touch",
                        "Factuur na het consult",
                        {
                            "channel": Channel.INVOICE,
                            "online": False,
                            "branded": True,
                            "department": "Administratie",
                            "experience": Experience.NEUTRAL,
                        },
                    ),
                    (
                        "pains",
                        "Onduidelijk wat de verzekeraar vergoedt",
                        {"impact": Impact.MEDIUM},
                    ),
                ],
            ),
            (
                "Gebruik",
                "Zonder pijn lopen",
                [
                    ("thoughts", "Moet wennen aan de zolen", {}),
                    ("pains", "Eerste week drukplekken", {"impact": Impact.LOW}),
                ],
            ),
            (
                "Loyaliteit",
                "Blijven lopen zoals nu",
                [
                    (
                        "chances",
                        "Herinnering voor nieuwe zolen na een jaar",
                        {"impact": Impact.MEDIUM},
                    ),
                ],
            ),
            (
                "Nacontrole",
                "Zeker weten dat het werkt",
                [
                    (
                        "touch",
                        "Herinneringsmail voor de controle",
                        {
                            "channel": Channel.EMAIL,
                            "online": True,
                            "branded": False,
                            "experience": Experience.NEUTRAL,
                        },
                    ),
                ],
            ),
        ],
    ),
    (
        "Inkoop kantoormeubilair (huidige situatie)",
        "current",
        "draft",
        "Van de eerste klachten over stoelen tot de evaluatie na een jaar.",
        "Begrijpen waarom offertes lang blijven liggen bij de beslisser.",
        "Facilitair Frank",
        [
            (
                "Behoefte",
                "Minder klachten over de werkplekken",
                [
                    ("thoughts", "Weer een collega met rugklachten", {}),
                ],
            ),
            (
                "Oriëntatie",
                "Weten wat er te koop is",
                [
                    (
                        "touch",
                        "Zoekt 'ergonomische bureaustoel zakelijk'",
                        {"channel": Channel.SEARCH, "online": True, "branded": False},
                    ),
                    (
                        "touch",
                        "Beurs Facility Management",
                        {
                            "channel": Channel.EVENT,
                            "online": False,
                            "branded": True,
                            "department": "Sales",
                        },
                    ),
                ],
            ),
            (
                "Overweging",
                "Drie leveranciers vergelijken",
                [
                    (
                        "touch",
                        "Showroombezoek",
                        {
                            "channel": Channel.SHOP,
                            "online": False,
                            "branded": True,
                            "department": "Sales",
                            "experience": Experience.POSITIVE,
                            "moment_of_truth": True,
                        },
                    ),
                    (
                        "pains",
                        "Offertes zijn niet te vergelijken",
                        {"impact": Impact.HIGH},
                    ),
                ],
            ),
            (
                "Beslissing",
                "Akkoord van de directeur",
                [
                    (
                        "pains",
                        "Directeur wil een businesscase op één A4",
                        {"impact": Impact.HIGH},
                    ),
                    (
                        "chances",
                        "Kant-en-klare businesscase meesturen",
                        {"impact": Impact.HIGH},
                    ),
                ],
            ),
            (
                "Levering",
                "Zonder gedoe geleverd en gemonteerd",
                [
                    (
                        "touch",
                        "Montageteam op locatie",
                        {
                            "channel": Channel.DELIVERY,
                            "online": False,
                            "branded": True,
                            "department": "Logistiek",
                            "experience": Experience.NEUTRAL,
                        },
                    ),
                ],
            ),
            (
                "Gebruik",
                "Medewerkers stellen de stoel goed in",
                [
                    ("pains", "Niemand leest de instructie", {"impact": Impact.MEDIUM}),
                ],
            ),
            (
                "Loyaliteit",
                "Een vaste partner voor de volgende verbouwing",
                [
                    (
                        "chances",
                        "Evaluatiegesprek na een jaar",
                        {"impact": Impact.MEDIUM},
                    ),
                ],
            ),
        ],
    ),
]


@transaction.atomic
def seed_maps(org, user) -> None:
    """Give `org` the demo maps; a map that already exists by title is left alone."""
    for title, map_type, status, scope, objective, persona_name, stages in MAPS:
        if org.journey_maps.filter(title=title).exists():
            continue
        journey_map = JourneyMap.objects.create(
            organisation=org,
            title=title,
            type=map_type,
            status=status,
            scope=scope,
            objective=objective,
            created_by=user,
        )
        if persona_name:
            journey_map.personas.set(org.personas.filter(name=persona_name))
        lanes = {
            key: Lane.objects.create(
                map=journey_map, title=lane_title, kind=kind, position=i
            )
            for i, (key, lane_title, kind) in enumerate(LANES)
        }
        for position, (stage_title, goal, cards) in enumerate(stages):
            stage = Stage.objects.create(
                map=journey_map, title=stage_title, position=position
            )
            cells = [("goals", goal, {})] + cards
            Card.objects.bulk_create(
                Card(
                    map=journey_map,
                    stage=stage,
                    lane=lanes[key],
                    text=text,
                    position=i,
                    **fields,
                )
                for i, (key, text, fields) in enumerate(cells)
            )
