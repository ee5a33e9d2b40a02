"""
Demo journey maps for `manage.py seed_demo`, in Dutch: a podiatrist visit (B2C,
current state) and the office-furniture purchase of the research demo (B2B).

Each map gets emotions per stage and persona, follow-up actions (some overdue,
some done with an evaluation), cards citing research findings (so the evidence
share is partial, as on a real map) and a little history. Every part is added
only when the map has none of it yet, so seeding twice changes nothing and an
older demo database gains what it lacked.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from maps.activity import change
from maps.models import (
    Action,
    ActionStatus,
    Activity,
    Card,
    Channel,
    Checkpoint,
    Emotion,
    Experience,
    Impact,
    JourneyMap,
    Lane,
    Stage,
    record,
)
from research.demo import DMU_NAME
from research.models import METHOD_KIND, Finding, Study, StudyMethod

LANES = [
    ("goals", "Doelen van de klant", "text"),
    ("touch", "Touchpoints", "touchpoints"),
    ("thoughts", "Gedachten en gevoelens", "text"),
    ("emotion", "Emotie", "emotion"),
    ("pains", "Pijnpunten", "pains"),
    ("chances", "Kansen", "opportunities"),
    ("actions", "Vervolgacties", "actions"),
]

PODIATRIST = "Bezoek aan de podotherapeut"
OFFICE = "Inkoop kantoormeubilair (huidige situatie)"

# title, type, status, scope, objective, persona names, stages:
# each stage is (title, customer goal, [(lane key, text, card fields), ...]).
MAPS = [
    (
        PODIATRIST,
        "current",
        "active",
        "Van de eerste voetklacht tot de nacontrole na zes weken.",
        "Zien waar nieuwe patiënten afhaken voordat ze een afspraak maken.",
        [],
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
        OFFICE,
        "current",
        "draft",
        "Van de eerste klachten over stoelen tot de evaluatie na een jaar.",
        "Begrijpen waarom offertes lang blijven liggen bij de beslisser.",
        ["Facilitair Frank", "Inkoper Ingrid", "Directeur Dirk"],
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
                    (
                        "pains",
                        "Levertijd van acht weken of langer",
                        {"impact": Impact.HIGH},
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


# How the customer feels per stage: {map: {persona name or None: [(score, note)]}},
# one entry per stage in stage order. The podiatrist map has no persona.
EMOTIONS = {
    PODIATRIST: {
        None: [
            (-1, "Pijn bij elke stap, weet niet wat het is"),
            (0, "Hoopvol door de reviews, twijfelt over de kosten"),
            (-2, "Drie keer gebeld voordat iemand opnam"),
            (1, "Duidelijke mail: weet wat er gaat gebeuren"),
            (2, "Eindelijk iemand die luistert en het uitlegt"),
            (-1, "Schrikt van de prijs; vergoeding onduidelijk"),
            (0, "Wennen aan de zolen, eerste week drukplekken"),
            (1, "Loopt weer zonder pijn"),
            (1, "Gerustgesteld: het werkt"),
        ]
    },
    OFFICE: {
        "Facilitair Frank": [
            (-1, "Klachten over rugpijn stapelen zich op"),
            (0, "Veel aanbod, weinig overzicht"),
            (1, "De showroom geeft vertrouwen"),
            (-2, "Wacht weken op akkoord van de directeur"),
            (-1, "Acht weken levertijd; collega's vragen waar hun stoel blijft"),
            (1, "Medewerkers zijn tevreden"),
            (1, "Wil een vaste partner"),
        ],
        "Inkoper Ingrid": [
            (0, "Nog niet betrokken"),
            (0, "Vraagt prijslijsten op"),
            (-2, "Offertes zijn niet te vergelijken"),
            (-1, "Moet de keuze verdedigen"),
            (0, "Montage volgens afspraak"),
            (-1, "Nabestellen gaat per mail en duurt lang"),
            (1, "Een raamcontract geeft rust"),
        ],
        "Directeur Dirk": [
            (-1, "Ziekteverzuim kost geld"),
            (0, "Laat het aan Frank over"),
            (-1, "Krijgt te veel opties voorgelegd"),
            (-1, "Mist een korte businesscase"),
            (0, "Merkt er weinig van"),
            (1, "Trots op het kantoor bij klantbezoek"),
            (1, "Tevreden, zolang het budget klopt"),
        ],
    },
}

# Follow-up actions: (stage, title, card text it is about or None, owner
# username, due in days from today or None, status, evaluation).
ACTIONS = {
    PODIATRIST: [
        (
            "Afspraak maken",
            "Online afspraken maken mogelijk maken",
            "Online afspraken maken",
            "alice",
            14,
            ActionStatus.IN_PROGRESS,
            "",
        ),
        (
            "Afspraak maken",
            "Telefoon ook 's middags bemensen",
            "Telefoon alleen 's ochtends bereikbaar",
            "bob",
            -5,
            ActionStatus.OPEN,
            "",
        ),
        (
            "Overweging",
            "Vergoeding per verzekeraar uitleggen op de website",
            "Vergoeding door de zorgverzekeraar duidelijk uitleggen",
            "alice",
            -20,
            ActionStatus.DONE,
            "Pagina staat sinds vorige maand live; de balie krijgt ongeveer een "
            "derde minder vragen over vergoeding.",
        ),
        (
            "Gebruik",
            "Instructiekaart voor de eerste week met zolen",
            "Eerste week drukplekken",
            "bob",
            -10,
            ActionStatus.DROPPED,
            "Vervangen door uitleg tijdens het consult; een kaart werd niet gelezen.",
        ),
        (
            "Loyaliteit",
            "Herinneringsmail voor nieuwe zolen na een jaar",
            "Herinnering voor nieuwe zolen na een jaar",
            "alice",
            45,
            ActionStatus.OPEN,
            "",
        ),
    ],
    OFFICE: [
        (
            "Beslissing",
            "Businesscase-sjabloon op één A4 voor de directeur",
            "Kant-en-klare businesscase meesturen",
            "alice",
            10,
            ActionStatus.IN_PROGRESS,
            "",
        ),
        (
            "Overweging",
            "Offertes in een vast vergelijkingsformat",
            "Offertes zijn niet te vergelijken",
            "bob",
            -3,
            ActionStatus.OPEN,
            "",
        ),
        (
            "Overweging",
            "Proefplaatsing van vijf stoelen aanbieden",
            None,
            "alice",
            -30,
            ActionStatus.DONE,
            "Drie van de vier proefklanten bestelden daarna; proefplaatsing wordt "
            "standaard in elke offerte.",
        ),
        (
            "Levering",
            "Levertijd terugbrengen naar vier weken",
            "Levertijd van acht weken of langer",
            "alice",
            -1,
            ActionStatus.OPEN,
            "",
        ),
        (
            "Gebruik",
            "Instructievideo van twee minuten bij elke stoel",
            "Niemand leest de instructie",
            "bob",
            30,
            ActionStatus.OPEN,
            "",
        ),
        (
            "Loyaliteit",
            "Evaluatiegesprek na een jaar inplannen",
            "Evaluatiegesprek na een jaar",
            "alice",
            None,
            ActionStatus.OPEN,
            "",
        ),
    ],
}

# The podiatrist practice's own research, so its map can cite findings too.
PODIATRIST_STUDY = {
    "title": "Patiëntenenquête podotherapie",
    "method": StudyMethod.QUESTIONNAIRE,
    "sample_size": 84,
    "summary": "Korte vragenlijst na het eerste consult, op papier en per mail.",
    "findings": [
        (
            "Vier op de tien nieuwe patiënten belden eerst buiten de ochtend en "
            "kregen geen gehoor.",
            "Vraag 3: 34 van 84.",
        ),
        (
            "Patiënten noemen de loopanalyse het moment waarop ze vertrouwen krijgen.",
            "Open vraag 6, 51 van 84 noemen de analyse of de uitleg.",
        ),
    ],
}

# Cards that cite findings: (start of card text, start of finding statement).
CITATIONS = {
    PODIATRIST: [
        ("Belt de praktijk", "Vier op de tien"),
        ("Telefoon alleen", "Vier op de tien"),
        ("Loopanalyse in de praktijk", "Patiënten noemen de loopanalyse"),
    ],
    OFFICE: [
        ("Zoekt 'ergonomische bureaustoel", "'Ergonomische bureaustoel zakelijk'"),
        ("Showroombezoek", "Facilitair managers laten medewerkers"),
        ("Directeur wil een businesscase", "De directeur beslist"),
        ("Montageteam op locatie", "Service na levering"),
        ("Levertijd van acht weken", "Levertijd is voor 68%"),
    ],
}

# A little history: (days ago, username or None for someone who has left,
# verb, what it is about, the field changes). "about" is "map", ("stage",
# title), ("card", text), ("emotion", stage title) or ("action", title); an
# "after" of None is the object's value now.
HISTORY = {
    PODIATRIST: [
        (12, "alice", "create", "map", []),
        (
            11,
            None,
            "update",
            ("stage", "Afspraak maken"),
            [
                ("title", "Afspraak", "Afspraak maken"),
            ],
        ),
        (11, None, "create", ("card", "Telefoon alleen"), []),
        (5, "alice", "set", ("emotion", "Afspraak maken"), [("score", -1, -2)]),
        (
            5,
            "alice",
            "cite",
            ("card", "Belt de praktijk"),
            [
                (
                    "findings",
                    [],
                    [
                        "Vier op de tien nieuwe patiënten belden eerst buiten de "
                        "ochtend en kregen geen gehoor."
                    ],
                ),
            ],
        ),
        (
            1,
            "alice",
            "status",
            ("action", "Vergoeding per verzekeraar"),
            [
                ("status", "in_progress", "done"),
            ],
        ),
    ],
    OFFICE: [
        (20, "alice", "create", "map", []),
        (19, None, "create", ("card", "Offertes zijn niet"), []),
        (
            8,
            "alice",
            "update",
            ("card", "Directeur wil"),
            [
                ("text", "Directeur wil een businesscase", None),
            ],
        ),
        (8, "alice", "create", ("action", "Businesscase-sjabloon"), []),
        (
            2,
            "alice",
            "cite",
            ("card", "Levertijd van acht weken"),
            [
                (
                    "findings",
                    [],
                    ["Levertijd is voor 68% van de respondenten een top-3-criterium."],
                ),
            ],
        ),
    ],
}


@transaction.atomic
def seed_maps(org, user) -> None:
    """Give `org` the demo maps, each part only where it is missing."""
    for spec in MAPS:
        journey_map = org.journey_maps.filter(title=spec[0]).first()
        if journey_map is None:
            journey_map = _create_map(org, user, *spec)
        title = journey_map.title
        stages = {stage.title: stage for stage in journey_map.stages.all()}
        if not journey_map.emotions.exists():
            _add_emotions(journey_map, stages, EMOTIONS[title])
        if not journey_map.actions.exists():
            _add_actions(org, journey_map, stages, ACTIONS[title])
        if not Card.findings.through.objects.filter(card__map=journey_map).exists():
            _add_citations(org, journey_map, CITATIONS[title])
        if not journey_map.activities.exists():
            _add_history(org, journey_map, stages, HISTORY[title])


def _create_map(
    org, user, title, map_type, status, scope, objective, persona_names, stages
) -> JourneyMap:
    journey_map = JourneyMap.objects.create(
        organisation=org,
        title=title,
        type=map_type,
        status=status,
        scope=scope,
        objective=objective,
        created_by=user,
        dmu=org.dmus.filter(name=DMU_NAME).first() if persona_names else None,
    )
    if persona_names:
        journey_map.personas.set(org.personas.filter(name__in=persona_names))
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
    return journey_map


def _add_emotions(journey_map, stages, curves) -> None:
    personas = {p.name: p for p in journey_map.personas.all()}
    ordered = sorted(stages.values(), key=lambda stage: stage.position)
    rows = []
    for persona_name, curve in curves.items():
        persona = personas.get(persona_name) if persona_name else None
        if persona_name and persona is None:
            continue  # the persona was removed from the map
        for stage, (score, note) in zip(ordered, curve, strict=False):
            rows.append(
                Emotion(
                    map=journey_map,
                    stage=stage,
                    persona=persona,
                    score=score,
                    note=note,
                )
            )
    Emotion.objects.bulk_create(rows)


def _members(org) -> dict:
    return {m.user.username: m.user for m in org.memberships.select_related("user")}


def _add_actions(org, journey_map, stages, specs) -> None:
    members = _members(org)
    today = timezone.localdate()
    cards = list(journey_map.cards.all())
    positions: dict = {}
    for stage_title, title, card_text, owner, due, status, evaluation in specs:
        stage = stages.get(stage_title)
        card = None
        if card_text:
            card = next((c for c in cards if c.text.startswith(card_text)), None)
        if card is not None:
            stage = next((s for s in stages.values() if s.pk == card.stage_id), stage)
        position = positions.get(stage.pk if stage else None, 0)
        positions[stage.pk if stage else None] = position + 1
        Action.objects.create(
            map=journey_map,
            stage=stage,
            card=card,
            title=title,
            owner=members.get(owner),
            due=today + timedelta(days=due) if due is not None else None,
            status=status,
            evaluation=evaluation,
            position=position,
            created_by=members.get("alice"),
        )


def _findings(org) -> list:
    """The organisation's findings, with the podiatrist study added once."""
    spec = PODIATRIST_STUDY
    if not org.studies.filter(title=spec["title"]).exists():
        study = Study.objects.create(
            organisation=org,
            title=spec["title"],
            method=spec["method"],
            kind=METHOD_KIND[spec["method"]],
            sample_size=spec["sample_size"],
            summary=spec["summary"],
            started=timezone.localdate() - timedelta(days=60),
            ended=timezone.localdate() - timedelta(days=30),
        )
        Finding.objects.bulk_create(
            Finding(study=study, statement=statement, source=source)
            for statement, source in spec["findings"]
        )
    return list(Finding.objects.filter(study__organisation=org))


def _add_citations(org, journey_map, pairs) -> None:
    findings = _findings(org)
    cards = list(journey_map.cards.all())
    for card_start, finding_start in pairs:
        card = next((c for c in cards if c.text.startswith(card_start)), None)
        finding = next(
            (f for f in findings if f.statement.startswith(finding_start)), None
        )
        if card is not None and finding is not None:
            card.findings.add(finding)


# A checkpoint the team marked in the history: (days ago, who, its name).
CHECKPOINTS = {PODIATRIST: (3, "alice", "Workshop met de balie")}


def _add_checkpoint(journey_map, user, title, created) -> None:
    checkpoint = Checkpoint(map=journey_map, title=title, created_by=user, revision=0)
    activity = record(journey_map, user, "create", checkpoint, kind="checkpoint")
    checkpoint.revision = activity.revision
    checkpoint.save()
    Checkpoint.objects.filter(pk=checkpoint.pk).update(created=created)
    Activity.objects.filter(pk=activity.pk).update(created=created)


def _add_history(org, journey_map, stages, entries) -> None:
    """A few changes in the past, so the history panel of the demo is not empty."""
    members = _members(org)
    now = timezone.now()
    mark = CHECKPOINTS.get(journey_map.title)
    for days_ago, username, verb, about, fields in entries:
        if mark is not None and days_ago < mark[0]:
            created = now - timedelta(days=mark[0])
            _add_checkpoint(journey_map, members.get(mark[1]), mark[2], created)
            mark = None
        obj = _find(journey_map, stages, about)
        if about != "map" and obj is None:
            continue  # renamed or deleted since: leave it out
        user = members.get(username) if username else None
        changes = [
            change(name, before, getattr(obj, name) if after is None else after)
            for name, before, after in fields
        ]
        label = None
        if about != "map" and about[0] == "emotion":
            label = obj.stage.title
        activity = record(journey_map, user, verb, obj, changes=changes, label=label)
        Activity.objects.filter(pk=activity.pk).update(
            created=now - timedelta(days=days_ago, hours=days_ago % 5, minutes=17)
        )


def _find(journey_map, stages, about):
    if about == "map":
        return None
    kind, text = about
    if kind == "stage":
        return stages.get(text)
    if kind == "card":
        return journey_map.cards.filter(text__startswith=text).first()
    if kind == "emotion":
        return journey_map.emotions.filter(stage=stages.get(text)).first()
    return journey_map.actions.filter(title__startswith=text).first()
