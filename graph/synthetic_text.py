"""Templates for the synthetic survey's free text: mission titles, goals, challenges and support needs."""

from __future__ import annotations

import random

__all__ = [
    "COUNTRY_WEIGHTS",
    "CITIES",
    "FIRST_NAMES",
    "LAST_NAMES",
    "MISSION_TEMPLATES",
    "CHALLENGE_DETAILS",
    "RISK_DETAILS",
    "SUPPORT_DETAILS",
    "mission_title_goal",
    "challenge_text",
    "support_text",
]

#: the 40 countries of the synthetic respondents and their weights (majority Europe, USA, Australia)
COUNTRY_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("DK", 20), ("GB", 16), ("NL", 14), ("US", 14), ("SE", 12), ("DE", 10), ("AU", 10), ("FI", 8),
    ("NO", 7), ("AT", 6), ("ES", 6), ("FR", 6), ("CA", 6), ("IE", 5), ("BE", 5), ("IT", 4), ("PT", 4),
    ("NZ", 4), ("PL", 3), ("EE", 3), ("CH", 3), ("JP", 3), ("KR", 3), ("IS", 2), ("LT", 2), ("LV", 2),
    ("SI", 2), ("CZ", 2), ("GR", 2), ("CL", 2), ("MX", 2), ("ZA", 2), ("HU", 1), ("RO", 1), ("HR", 1),
    ("BR", 1), ("KE", 1), ("IL", 1), ("SG", 1), ("IN", 1),
)  # fmt: skip

CITIES: dict[str, tuple[str, ...]] = {
    "DK": ("Copenhagen", "Aarhus", "Odense"), "GB": ("Manchester", "Bristol", "Glasgow", "Leeds"),
    "NL": ("Rotterdam", "Utrecht", "Eindhoven"), "US": ("Boston", "Denver", "Pittsburgh", "Austin"),
    "SE": ("Gothenburg", "Malmö", "Umeå"), "DE": ("Leipzig", "Hamburg", "Freiburg"),
    "AU": ("Melbourne", "Adelaide", "Brisbane"), "FI": ("Tampere", "Espoo", "Oulu"),
    "NO": ("Bergen", "Trondheim"), "AT": ("Graz", "Linz"), "ES": ("Valencia", "Bilbao"),
    "FR": ("Lyon", "Nantes"), "CA": ("Montréal", "Calgary"), "IE": ("Cork", "Galway"),
    "BE": ("Ghent", "Leuven"), "IT": ("Bologna", "Turin"), "PT": ("Porto", "Braga"),
    "NZ": ("Wellington", "Christchurch"), "PL": ("Wrocław", "Gdańsk"), "EE": ("Tartu", "Tallinn"),
    "CH": ("Basel", "Lausanne"), "JP": ("Kyoto", "Fukuoka"), "KR": ("Busan", "Daejeon"),
    "IS": ("Reykjavík",), "LT": ("Vilnius", "Kaunas"), "LV": ("Riga",), "SI": ("Ljubljana",),
    "CZ": ("Brno",), "GR": ("Thessaloniki",), "CL": ("Valparaíso",), "MX": ("Monterrey",),
    "ZA": ("Cape Town",), "HU": ("Debrecen",), "RO": ("Cluj-Napoca",), "HR": ("Rijeka",),
    "BR": ("Curitiba",), "KE": ("Kisumu",), "IL": ("Haifa",), "SG": ("Singapore",), "IN": ("Pune",),
}  # fmt: skip

FIRST_NAMES = (
    "Alex", "Sam", "Robin", "Kim", "Noa", "Jamie", "Maria", "Jonas", "Aiko", "Lea", "Omar", "Freya",
    "Lucas", "Ingrid", "Mateo", "Sofia", "Ravi", "Chloé", "Ana", "Tomasz", "Eva", "Mikkel", "Hana",
    "Pedro", "Saoirse", "Niamh", "Jens", "Laila", "Oskar", "Yuna",
)  # fmt: skip
LAST_NAMES = (
    "Example", "Sample", "Placeholder", "Testperson", "Doe", "Specimen", "Mock", "Fictive", "Dummy",
    "Demo", "Probe", "Model", "Pattern", "Template", "Draft",
)  # fmt: skip

#: main challenge field -> (title template, goal template); {city} {country} {year} {pct} are filled in
MISSION_TEMPLATES: dict[str, tuple[tuple[str, str], ...]] = {
    "climate": (
        ("Climate-neutral {city} {year}", "Reach net-zero greenhouse gas emissions in {city} by {year}, "
         "with every neighbourhood taking part in the transition."),
        ("{country} adapts", "Make {pct}% of communities in {country} climate resilient by {year}."),
    ),
    "health": (
        ("Healthy lives in {city}", "Add five healthy life years for the people of {city} by {year} and "
         "halve the gap between the richest and poorest districts."),
        ("Early detection {country}", "Detect {pct}% of chronic diseases at an early stage in {country} "
         "by {year}."),
    ),
    "mental-health": (
        ("Mind matters {city}", "Halve waiting times for mental health support in {city} by {year}."),
    ),
    "youth-mental-health": (
        ("Thriving youth {country}", "A compassionate society where young people in {country} thrive and "
         "feel safe: {pct}% fewer young people feel lonely by {year}."),
        ("No young person alone in {city}", "Every young person in {city} has someone to turn to by "
         "{year}; cut youth loneliness by {pct}%."),
    ),
    "circular-society": (
        ("The irresistible circular {city}", "Make circular living the easy and attractive choice in "
         "{city}: halve household waste by {year}."),
    ),
    "circular-economy": (
        ("Circular {country} {year}", "Cut the use of primary raw materials in {country} by {pct}% by "
         "{year}."),
        ("Zero plastic waste {city}", "End plastic waste going to landfill or incineration in {city} by "
         "{year}."),
    ),
    "ethical-digitisation": (
        ("Responsible digital {country}", "Every public algorithm in {country} is transparent, explainable "
         "and audited for fairness by {year}."),
    ),
    "digital": (
        ("Digital for all in {city}", "Give {pct}% of residents of {city} the skills and access to use "
         "public digital services by {year}."),
    ),
    "energy": (
        ("Fossil-free heat {city}", "Heat every home in {city} without fossil fuels by {year}."),
        ("Green power {country}", "Produce {pct}% of the electricity in {country} from renewables by "
         "{year}."),
    ),
    "mobility": (
        ("Zero-emission transport {city}", "Make all public transport in {city} zero-emission by {year} "
         "and double cycling."),
    ),
    "cities": (
        ("Liveable {city} {year}", "Make {city} a climate-neutral, green and liveable city by {year}."),
    ),
    "inclusion": (
        ("Everyone in work {city}", "Halve long-term unemployment in {city} by {year} through joined-up "
         "services."),
    ),
    "food-agriculture": (
        ("Healthy school meals {country}", "Serve a healthy, sustainable meal to every school child in "
         "{country} by {year}."),
        ("Regenerative farming {country}", "Farm {pct}% of agricultural land in and around {country} "
         "regeneratively by {year}."),
    ),
    "oceans-water": (
        ("Clean waters {city}", "Restore good ecological status of all rivers and coastal waters around "
         "{city} by {year}."),
    ),
    "biodiversity": (
        ("Nature-positive {country}", "Reverse biodiversity loss in {country}: protect {pct}% of land "
         "and sea by {year}."),
    ),
    "education": (
        ("Every child reads {city}", "Every child in {city} leaves primary school reading fluently by "
         "{year}."),
    ),
    "ageing": (
        ("Ageing well at home {city}", "Let older people in {city} live independently at home {pct}% "
         "longer by {year}."),
    ),
    "housing": (
        ("A home for all {city}", "End rough sleeping and halve homelessness in {city} by {year}."),
    ),
    "public-sector": (
        ("Mission-ready government {country}", "Make cross-ministry mission teams the normal way of "
         "working in {country} by {year}."),
    ),
    "security": (
        ("Safe streets {city}", "Halve violent crime in {city} by {year}."),
    ),
    "economy": (
        ("Good jobs {city}", "Create {pct} thousand good green jobs in {city} by {year}."),
    ),
    "industry": (
        ("Net-zero industry cluster {city}", "Make the industrial cluster around {city} net-zero by "
         "{year}."),
    ),
    "soil": (
        ("Healthy soils {country}", "Bring {pct}% of soils in {country} to good health by {year}."),
    ),
}  # fmt: skip

CHALLENGE_DETAILS: dict[str, tuple[str, ...]] = {
    "resource-alignment": (
        "Every ministry keeps its own budget line and nobody owns the mission as a whole.",
        "Partners agree on the goal, but their money and people stay locked in existing programmes.",
        "We depend on agencies that report to different ministers and have other priorities.",
    ),
    "organisational-models": (
        "Our governance was built for single projects, not for a portfolio that crosses departments.",
        "Leaders are used to command and control; a mission needs shared leadership and new practices.",
        "Changing how units work together takes more time than the mission itself.",
    ),
    "budget-timelines": (
        "Annual budget cycles do not fit a mission that runs for ten years or more.",
        "Funding comes in one-year tranches, so we cannot commit partners to long-term work.",
        "Budget rules force us to plan every project up front, which kills adaptation.",
    ),
    "measuring-progress": (
        "We lack data to show whether the system is actually moving towards the target.",
        "Our indicators count outputs; we cannot yet measure change in the system.",
    ),
    "stakeholder-engagement": (
        "Citizens and businesses were not involved early enough and now feel it is not their mission.",
        "Keeping municipalities, companies and researchers engaged at the same time is hard.",
    ),
    "policy-coherence": (
        "Other policies pull in the opposite direction, for example subsidies that work against the goal.",
        "National, regional and local policies are not aligned around the mission.",
    ),
}

RISK_DETAILS: dict[str, tuple[str, ...]] = {
    "silos": (
        "The biggest risk is the effect of silos: departments still optimise for their own targets.",
        "We risk falling back into silos once the launch attention is gone.",
    ),
    "momentum": (
        "Keeping momentum and motivation over time is a real risk after the first enthusiastic year.",
        "Partners lose motivation when results take years to show.",
    ),
    "committed-support": (
        "There is a risk of losing committed support from the top when priorities shift.",
        "Political support is there in speeches, but committed support in practice is lacking.",
    ),
    "charismatic-individual": (
        "Too much depends on one charismatic individual rather than on infrastructure, governance and "
        "oversight.",
        "If our director leaves, the mission may stall; it rests on one person.",
    ),
    "short-termism": ("Electoral cycles push for quick wins at the expense of the long-term goal.",),
    "insufficient-funding": ("Funding is not sufficient for the scale of the change we aim for.",),
    "unclear-ownership": ("Nobody clearly owns the mission, so accountability is diffuse.",),
}

SUPPORT_DETAILS: dict[str, tuple[str, ...]] = {
    "evaluation": (
        "Help to design a monitoring and evaluation framework that captures system change, not just outputs.",
        "We need external help with evaluation: which indicators, which data, how often.",
        "Support to evaluate the portfolio as a whole and learn from it while it runs.",
    ),
    "governance": (
        "Advice on mission governance that works across ministries and breaks silos.",
        "Help to set up a governance structure where partners share decisions and accountability.",
    ),
    "portfolio": (
        "Help to build and manage a mission portfolio of interventions that reinforce each other.",
        "Tools to balance short-term projects and long-term bets in our portfolio.",
    ),
    "experimentation": (
        "Experimentation. Missions are a novel approach; we need room to iterate the framework and tools "
        "through learning.",
        "Methods for running small experiments and scaling what works.",
    ),
    "target-setting": (
        "Help to turn our ambition into a clear, measurable target.",
        "Support in defining targets and milestones partners can commit to.",
    ),
    "stakeholder-engagement": (
        "Methods to engage citizens and businesses so that they co-own the mission.",
        "Help to keep a broad coalition of stakeholders engaged over many years.",
    ),
    "funding": (
        "Advice on blending public, private and philanthropic funding for the mission.",
        "Help to make the case for multi-year funding to the ministry of finance.",
    ),
    "communication": ("Support to communicate the mission so that people understand and rally behind it.",),
    "capability-building": (
        "Training for civil servants in mission-oriented ways of working.",
        "Knowledge sharing with peers who run similar missions in other countries.",
        "Building the skills of our team to lead a mission rather than a programme.",
    ),
}

_OPENERS = (
    "Our biggest challenge is {label}.",
    "The hardest part right now is {label}.",
    "{Label} is where we struggle most.",
    "We keep running into problems with {label}.",
)
_FIELD_CONTEXT = (
    "This matters all the more in our work on {field}.",
    "In {field} this is especially visible.",
    "",
)
_SUPPORT_OPENERS = ("We would value: ", "What would help most: ", "", "Concretely: ")


def mission_title_goal(rng: random.Random, field: str, city: str, country: str, year: int) -> tuple[str, str]:
    """A plausible title and goal for a respondent's own mission in ``field``."""
    title, goal = rng.choice(MISSION_TEMPLATES[field])
    values = {"city": city, "country": country, "year": year, "pct": rng.choice((20, 25, 30, 40, 50))}
    return title.format(**values), goal.format(**values)


def challenge_text(
    rng: random.Random, challenges: list[tuple[str, str]], risks: list[str], field_label: str | None
) -> str:
    """Free text about the biggest challenge: the first challenge (code, label), a risk, the field."""
    parts: list[str] = []
    if challenges:
        code, label = challenges[0]
        opener = rng.choice(_OPENERS)
        parts.append(opener.format(label=label.lower(), Label=label))
        parts.append(rng.choice(CHALLENGE_DETAILS[code]))
    if risks:
        parts.append(rng.choice(RISK_DETAILS[rng.choice(risks)]))
    if field_label and parts:
        context = rng.choice(_FIELD_CONTEXT)
        if context:
            parts.append(context.format(field=field_label.lower()))
    return " ".join(parts)


def support_text(rng: random.Random, needs: list[str]) -> str:
    """Free text about the help needed, one sentence per need (at most two)."""
    sentences = [rng.choice(SUPPORT_DETAILS[code]) for code in needs[:2]]
    return (rng.choice(_SUPPORT_OPENERS) + " ".join(sentences)).strip()
