"""
Demo research for `seed_demo`: a Dutch office-furniture supplier that sells to
mid-size firms. The content is data, so it is Dutch; some entries cite findings,
others are still assumptions, as in a real team's first weeks.
"""

from datetime import date

from django.db import transaction

from research.models import (
    DMU,
    METHOD_KIND,
    Area,
    Awareness,
    Criterion,
    DecisionCriterion,
    DMUMember,
    DMURole,
    EmpathyEntry,
    Finding,
    Market,
    NeedType,
    Persona,
    QuestionStatus,
    ResearchQuestion,
    Study,
    StudyMethod,
)

DMU_NAME = "Inkoop kantoormeubilair, middelgrote bedrijven"

PERSONAS = [
    {
        "name": "Facilitair Frank",
        "job": "Facilitair manager, 120 medewerkers",
        "description": "Regelt alles rond het kantoor en krijgt de klachten als "
        "stoelen kraken of bureaus niet verstelbaar zijn.",
        "quote": "Als het niet werkt, sta ik als eerste aan de lat.",
        "market": Market.B2B,
        "need_type": NeedType.CONCRETE,
        "awareness": Awareness.SOLUTION,
        "goals": "Een kantoor waar mensen graag werken, binnen budget.",
        "needs": "Eén leverancier die meedenkt, snel levert en service verleent.",
        "frustrations": "Lange levertijden; offertes die niet te vergelijken zijn.",
        "wishes": "Proefplaatsing op de werkvloer voordat hij beslist.",
        "behaviour": "Oriënteert online, vraagt collega-facilitair managers om "
        "tips en bezoekt één beurs per jaar.",
        "criteria": [
            (Criterion.SERVICE, 5),
            (Criterion.WARRANTY, 4),
            (Criterion.PRICE, 3),
            (Criterion.REVIEWS, 2),
        ],
        "entries": {
            Area.SAYS: [
                "We moeten iets met die rugklachten.",
                "Kunnen jullie in juni leveren?",
            ],
            Area.THINKS: ["Als dit misgaat, krijg ik het op mijn bord."],
            Area.DOES: ["Vraagt drie offertes op.", "Laat medewerkers stoelen testen."],
            Area.FEELS: ["Druk van de directie om kosten te drukken."],
            Area.PAINS: ["Levertijd van acht weken of langer."],
            Area.GAINS: ["Minder ziekteverzuim door ergonomische werkplekken."],
        },
    },
    {
        "name": "Inkoper Ingrid",
        "job": "Inkoper facilitaire zaken",
        "description": "Bewaakt budget en contractvoorwaarden.",
        "quote": "Laat me eerst de totale kosten over vijf jaar zien.",
        "market": Market.B2B,
        "need_type": NeedType.CONCRETE,
        "awareness": Awareness.PRODUCT,
        "goals": "Een goed contract met voorspelbare kosten.",
        "needs": "Heldere prijzen, raamcontract, vaste aanspreekpersoon.",
        "frustrations": "Verborgen kosten voor montage en afvoer.",
        "wishes": "Digitale bestelportal voor nabestellingen.",
        "behaviour": "Vergelijkt in een spreadsheet; beslist niet alleen.",
        "criteria": [
            (Criterion.PRICE, 5),
            (Criterion.WARRANTY, 4),
            (Criterion.SERVICE, 3),
        ],
        "entries": {
            Area.SAYS: ["Wat kost montage en afvoer van het oude meubilair?"],
            Area.THINKS: ["Deze leverancier is vast duurder dan hij lijkt."],
            Area.DOES: ["Legt offertes naast elkaar in een spreadsheet."],
            Area.FEELS: ["Onzeker over kwaliteit bij de goedkoopste optie."],
            Area.PAINS: ["Offertes met verschillende uitgangspunten."],
            Area.GAINS: ["Eén raamcontract voor alle vestigingen."],
        },
    },
    {
        "name": "Directeur Dirk",
        "job": "Algemeen directeur",
        "description": "Tekent bij grote investeringen, wil weinig details.",
        "quote": "Wat levert het ons op?",
        "market": Market.B2B,
        "need_type": NeedType.LATENT,
        "awareness": Awareness.PROBLEM,
        "goals": "Medewerkers behouden en aantrekken.",
        "needs": "Een korte businesscase.",
        "frustrations": "Te veel keuzes voorgelegd krijgen.",
        "wishes": "Een kantoor dat past bij het merk.",
        "behaviour": "Laat de voorbereiding aan anderen, beslist in één overleg.",
        "criteria": [
            (Criterion.BRAND, 4),
            (Criterion.PRICE, 3),
        ],
        "entries": {
            Area.SAYS: ["Hou het simpel: wat kost het en wat levert het op?"],
            Area.THINKS: ["Een mooi kantoor helpt bij werving."],
            Area.DOES: ["Beslist op basis van één A4'tje."],
            Area.FEELS: ["Ongeduldig bij lange trajecten."],
            Area.PAINS: [],
            Area.GAINS: ["Trots op het kantoor bij klantbezoek."],
        },
    },
]

STUDIES = [
    {
        "title": "Klantenenquête 2025",
        "method": StudyMethod.QUESTIONNAIRE,
        "started": date(2025, 3, 3),
        "ended": date(2025, 3, 21),
        "sample_size": 212,
        "summary": "Online vragenlijst onder facilitair managers en inkopers van "
        "bestaande en verloren klanten.",
        "findings": [
            (
                "Levertijd is voor 68% van de respondenten een top-3-criterium.",
                "Vraag 7: 144 van 212 noemen levertijd in hun top 3.",
            ),
            (
                "Service na levering weegt zwaarder dan prijs bij facilitair managers.",
                "Gemiddeld gewicht service 4,3 tegen prijs 3,6 (1–5).",
            ),
        ],
    },
    {
        "title": "Zoekvolume ergonomische werkplek",
        "method": StudyMethod.SEARCH_VOLUME,
        "started": date(2025, 2, 10),
        "ended": date(2025, 2, 10),
        "sample_size": None,
        "summary": "Zoekwoordenonderzoek naar termen rond rugklachten en "
        "bureaustoelen.",
        "findings": [
            (
                "'Ergonomische bureaustoel zakelijk' piekt in januari en september.",
                "Zoekwoordplanner, 12 maanden, Nederland.",
            ),
        ],
    },
    {
        "title": "Interviews facilitair managers",
        "method": StudyMethod.INTERVIEW,
        "started": date(2025, 4, 7),
        "ended": date(2025, 4, 25),
        "sample_size": 6,
        "summary": "Zes gesprekken van een uur over de laatste inrichting.",
        "findings": [
            (
                "Facilitair managers laten medewerkers stoelen testen voor ze kiezen.",
                "“We zetten er vijf neer en laten mensen een week stemmen.” (R3)",
            ),
            (
                "De directeur beslist, maar volgt bijna altijd het advies van "
                "facilitair.",
                "Vijf van de zes respondenten.",
            ),
        ],
    },
]

# (persona name, area, start of entry text) → index of finding (in order above).
CITATIONS = [
    ("Facilitair Frank", Area.PAINS, "Levertijd", 0),
    ("Facilitair Frank", Area.DOES, "Laat medewerkers", 3),
    ("Inkoper Ingrid", Area.PAINS, "Offertes", 1),
]

QUESTIONS = [
    (
        "Wanneer lopen facilitair managers tegen versleten meubilair aan?",
        "Facilitair Frank",
        None,
        QuestionStatus.OPEN,
    ),
    (
        "Hoe urgent is een nieuwe inrichting voor hen, op een schaal van 1 tot 10?",
        "Facilitair Frank",
        None,
        QuestionStatus.OPEN,
    ),
    (
        "Welke leveranciers overwegen ze naast ons?",
        "Inkoper Ingrid",
        None,
        QuestionStatus.OPEN,
    ),
    (
        "Wie beslist er uiteindelijk over de aankoop?",
        None,
        DMU_NAME,
        QuestionStatus.ANSWERED,
    ),
    (
        "Hoe zoeken ze naar een oplossing voor rugklachten op kantoor?",
        None,
        None,
        QuestionStatus.OPEN,
    ),
]


@transaction.atomic
def seed_research(org) -> None:
    """Give `org` the demo DMU, personas and research; does nothing the second time."""
    if org.dmus.filter(name=DMU_NAME).exists():
        return
    personas = {}
    for spec in PERSONAS:
        fields = {k: v for k, v in spec.items() if k not in ("criteria", "entries")}
        persona = Persona.objects.create(organisation=org, **fields)
        personas[persona.name] = persona
        DecisionCriterion.objects.bulk_create(
            DecisionCriterion(persona=persona, kind=kind, weight=weight)
            for kind, weight in spec["criteria"]
        )
        EmpathyEntry.objects.bulk_create(
            EmpathyEntry(persona=persona, area=area, text=text, position=i)
            for area, texts in spec["entries"].items()
            for i, text in enumerate(texts)
        )

    dmu = DMU.objects.create(
        organisation=org,
        name=DMU_NAME,
        market=Market.B2B,
        description="Bedrijven met 50–250 medewerkers die hun kantoor opnieuw "
        "inrichten.",
    )

    findings, studies = [], []
    for spec in STUDIES:
        study_fields = {k: v for k, v in spec.items() if k != "findings"}
        kind = METHOD_KIND[spec["method"]]
        study = Study.objects.create(organisation=org, kind=kind, **study_fields)
        studies.append(study)
        for statement, source in spec["findings"]:
            findings.append(
                Finding.objects.create(
                    study=study,
                    statement=statement,
                    source=source,
                    date=spec["ended"] or spec["started"],
                )
            )

    members = [
        (DMURole.INITIATOR, "Facilitair Frank", "Start het traject na klachten.", 3),
        (DMURole.USER, None, "Alle kantoormedewerkers; nog geen eigen persona.", None),
        (DMURole.INFLUENCER, None, "Preventiemedewerker / arbo-adviseur.", None),
        (DMURole.DECIDER, "Directeur Dirk", "Tekent boven € 25.000.", 4),
        (DMURole.BUYER, "Inkoper Ingrid", "Onderhandelt het raamcontract.", None),
    ]
    for role, persona_name, note, finding_index in members:
        member = DMUMember.objects.create(
            dmu=dmu, role=role, persona=personas.get(persona_name), note=note
        )
        if finding_index is not None:
            member.findings.add(findings[finding_index])

    for persona_name, area, start, finding_index in CITATIONS:
        entry = EmpathyEntry.objects.get(
            persona=personas[persona_name], area=area, text__startswith=start
        )
        entry.findings.add(findings[finding_index])

    questions = []
    for text, persona_name, dmu_name, status in QUESTIONS:
        questions.append(
            ResearchQuestion.objects.create(
                organisation=org,
                text=text,
                persona=personas.get(persona_name),
                dmu=dmu if dmu_name else None,
                status=status,
            )
        )
    findings[4].questions.add(questions[3])
    findings[0].questions.add(questions[1])
    survey, _search, interviews = studies
    survey.questions.add(questions[1], questions[2])
    interviews.questions.add(questions[0], questions[3])
