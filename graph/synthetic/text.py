"""Templates for the synthetic survey's free text: mission titles, goals, challenges and support needs."""

from __future__ import annotations

import random

__all__ = [
    "COUNTRY_WEIGHTS",
    "CITIES",
    "REGIONS",
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

#: regions of the synthetic respondents' countries (a regional mission names one of them)
REGIONS: dict[str, tuple[str, ...]] = {
    "DK": ("Central Denmark", "Southern Denmark", "North Jutland"),
    "GB": ("Yorkshire", "the North East", "Wales"),
    "NL": ("North Brabant", "Gelderland", "Groningen"),
    "US": ("Colorado", "Oregon", "Massachusetts"),
    "SE": ("Västra Götaland", "Skåne", "Västerbotten"),
    "DE": ("Saxony", "Baden-Württemberg", "Bremen"),
    "AU": ("Victoria", "South Australia", "Queensland"),
    "FI": ("Pirkanmaa", "Uusimaa", "North Ostrobothnia"),
    "NO": ("Vestland", "Trøndelag"),
    "AT": ("Styria", "Upper Austria"),
    "ES": ("Valencian Community", "Basque Country"),
    "FR": ("Auvergne-Rhône-Alpes", "Brittany"),
    "CA": ("Quebec", "Alberta"),
    "IE": ("Munster", "Connacht"),
    "BE": ("East Flanders", "Wallonia"),
    "IT": ("Emilia-Romagna", "Piedmont"),
    "PT": ("Norte", "Centro"),
    "NZ": ("Wellington Region", "Canterbury"),
    "PL": ("Lower Silesia", "Pomerania"),
    "EE": ("Tartu County", "Harju County"),
    "CH": ("Basel-Stadt", "Vaud"),
    "JP": ("Kyoto Prefecture", "Fukuoka Prefecture"),
    "KR": ("Busan", "Gyeonggi"),
    "IS": ("the Capital Region",),
    "LT": ("Vilnius County", "Kaunas County"),
    "LV": ("Vidzeme",),
    "SI": ("Central Slovenia",),
    "CZ": ("South Moravia",),
    "GR": ("Central Macedonia",),
    "CL": ("Valparaíso Region",),
    "MX": ("Nuevo León",),
    "ZA": ("the Western Cape",),
    "HU": ("Hajdú-Bihar",),
    "RO": ("Cluj County",),
    "HR": ("Primorje-Gorski Kotar",),
    "BR": ("Paraná",),
    "KE": ("Kisumu County",),
    "IL": ("the Haifa District",),
    "SG": ("the Central Region",),
    "IN": ("Maharashtra",),
}

#: main challenge field -> (title template, goal template); {place} (a city, region or country, as the
#: mission's level says), {year} and {pct} are filled in. The generator uses each template at most twice.
MISSION_TEMPLATES: dict[str, tuple[tuple[str, str], ...]] = {
    "climate": (
        (
            "Climate-neutral {place} {year}",
            "Reach net-zero greenhouse gas emissions in {place} by {year}, "
            "with every neighbourhood taking part in the transition.",
        ),
        ("{place} adapts", "Make {pct}% of communities in {place} climate resilient by {year}."),
        (
            "Heat-safe {place}",
            "Protect every resident of {place} from dangerous summer heat by {year}: shade, "
            "cool spaces and warnings for the most vulnerable.",
        ),
        (
            "Carbon budget {place}",
            "Keep {place} within a fair share of the 1.5 °C carbon budget and cut emissions "
            "{pct}% by {year}.",
        ),
        ("Flood-ready {place}", "No home in {place} at high flood risk without protection by {year}."),
    ),
    "health": (
        (
            "Healthy lives in {place}",
            "Add five healthy life years for the people of {place} by {year} and halve "
            "the gap between the richest and poorest districts.",
        ),
        (
            "Early detection {place}",
            "Detect {pct}% of chronic diseases at an early stage in {place} by {year}.",
        ),
        ("Active {place}", "Get {pct}% more adults in {place} moving every day by {year}."),
        (
            "Smoke-free generation {place}",
            "No child born in {place} after 2015 ever starts smoking; a smoke-free {place} by {year}.",
        ),
    ),
    "mental-health": (
        ("Mind matters {place}", "Halve waiting times for mental health support in {place} by {year}."),
        (
            "Nobody left alone in {place}",
            "Cut chronic loneliness among adults in {place} by {pct}% by {year}.",
        ),
        (
            "Mental health first {place}",
            "Every workplace in {place} with more than 50 staff has trained mental "
            "health first aiders by {year}.",
        ),
    ),
    "youth-mental-health": (
        (
            "Thriving youth {place}",
            "A compassionate society where young people in {place} thrive and feel safe: "
            "{pct}% fewer young people feel lonely by {year}.",
        ),
        (
            "No young person alone in {place}",
            "Every young person in {place} has someone to turn to by {year}; cut youth loneliness by {pct}%.",
        ),
        (
            "Calm classrooms {place}",
            "Halve school absence linked to anxiety among pupils in {place} by {year}.",
        ),
    ),
    "circular-society": (
        (
            "The irresistible circular {place}",
            "Make circular living the easy and attractive choice in {place}: "
            "halve household waste by {year}.",
        ),
        (
            "Repair and share {place}",
            "A repair café, library of things or sharing point within walking distance "
            "of every home in {place} by {year}.",
        ),
    ),
    "circular-economy": (
        ("Circular {place} {year}", "Cut the use of primary raw materials in {place} by {pct}% by {year}."),
        (
            "Zero plastic waste {place}",
            "End plastic waste going to landfill or incineration in {place} by {year}.",
        ),
        (
            "Textiles loop {place}",
            "Collect, reuse or recycle {pct}% of discarded clothing and textiles in {place} by {year}.",
        ),
        (
            "Building materials reborn {place}",
            "Reuse {pct}% of construction and demolition materials in {place} by {year}.",
        ),
    ),
    "ethical-digitisation": (
        (
            "Responsible digital {place}",
            "Every public algorithm in {place} is transparent, explainable and "
            "audited for fairness by {year}.",
        ),
        (
            "My data, my say {place}",
            "Residents of {place} control who uses their personal data in every public service by {year}.",
        ),
    ),
    "digital": (
        (
            "Digital for all in {place}",
            "Give {pct}% of residents of {place} the skills and access to use public "
            "digital services by {year}.",
        ),
        ("Connected {place}", "Bring fast broadband to every household and business in {place} by {year}."),
        (
            "One-stop public services {place}",
            "Let people in {place} do {pct}% of their dealings with government online, once, by {year}.",
        ),
    ),
    "energy": (
        ("Fossil-free heat {place}", "Heat every home in {place} without fossil fuels by {year}."),
        ("Green power {place}", "Produce {pct}% of the electricity in {place} from renewables by {year}."),
        (
            "Energy communities {place}",
            "One in three households in {place} takes part in a local energy community by {year}.",
        ),
        (
            "Warm homes, low bills {place}",
            "Insulate every poorly insulated home in {place} by {year} and end fuel poverty.",
        ),
    ),
    "mobility": (
        (
            "Zero-emission transport {place}",
            "Make all public transport in {place} zero-emission by {year} and double cycling.",
        ),
        ("Car-light {place}", "Halve car trips under five kilometres in {place} by {year}."),
        (
            "Safe streets for children {place}",
            "Every child in {place} can walk or cycle to school safely by {year}.",
        ),
    ),
    "cities": (
        ("Liveable {place} {year}", "Make {place} a climate-neutral, green and liveable place by {year}."),
        (
            "Green within five minutes {place}",
            "A park or green space within five minutes' walk of every home in {place} by {year}.",
        ),
        (
            "Lively centres {place}",
            "Bring {pct}% more people to live, work and meet in the town centres of {place} by {year}.",
        ),
    ),
    "inclusion": (
        (
            "Everyone in work {place}",
            "Halve long-term unemployment in {place} by {year} through joined-up services.",
        ),
        ("No child in poverty {place}", "Cut child poverty in {place} by {pct}% by {year}."),
        (
            "Welcome and belong {place}",
            "Newcomers to {place} find work matching their skills within two years, by {year}.",
        ),
        (
            "Disability-inclusive {place}",
            "Close half the employment gap for disabled people in {place} by {year}.",
        ),
    ),
    "food-agriculture": (
        (
            "Healthy school meals {place}",
            "Serve a healthy, sustainable meal to every school child in {place} by {year}.",
        ),
        (
            "Regenerative farming {place}",
            "Farm {pct}% of agricultural land in {place} regeneratively by {year}.",
        ),
        ("Half the food waste {place}", "Halve food waste from farm to fork in {place} by {year}."),
        ("Plant-rich plates {place}", "Make {pct}% of the protein eaten in {place} plant-based by {year}."),
    ),
    "oceans-water": (
        (
            "Clean waters {place}",
            "Restore good ecological status of all rivers and coastal waters of {place} by {year}.",
        ),
        ("Swimmable rivers {place}", "People can swim safely in every river and lake of {place} by {year}."),
        ("Water-wise {place}", "Cut drinking water use per person in {place} by {pct}% by {year}."),
    ),
    "biodiversity": (
        (
            "Nature-positive {place}",
            "Reverse biodiversity loss in {place}: protect {pct}% of land and water by {year}.",
        ),
        (
            "Pollinators return {place}",
            "Bring back wild pollinators to every field margin and park in {place} by {year}.",
        ),
        (
            "Wild corridors {place}",
            "Connect the protected areas of {place} with green and blue corridors by {year}.",
        ),
    ),
    "education": (
        (
            "Every child reads {place}",
            "Every child in {place} leaves primary school reading fluently by {year}.",
        ),
        (
            "Skills for the green jobs {place}",
            "Train {pct}% of the workforce of {place} for green jobs by {year}.",
        ),
        ("No school drop-outs {place}", "Halve early school leaving in {place} by {year}."),
    ),
    "ageing": (
        (
            "Ageing well at home {place}",
            "Let older people in {place} live independently at home {pct}% longer by {year}.",
        ),
        (
            "Age-friendly {place}",
            "Make every neighbourhood of {place} age-friendly by {year}: benches, toilets, "
            "transport and company.",
        ),
        (
            "Care close by {place}",
            "Half of the care for older people in {place} is given at home or in the "
            "neighbourhood by {year}.",
        ),
    ),
    "housing": (
        ("A home for all {place}", "End rough sleeping and halve homelessness in {place} by {year}."),
        (
            "Affordable homes {place}",
            "No household in {place} spends more than a third of its income on rent by {year}.",
        ),
        ("Healthy homes {place}", "Free every rented home in {place} from damp and mould by {year}."),
    ),
    "public-sector": (
        (
            "Mission-ready government {place}",
            "Make cross-department mission teams the normal way of working in {place} by {year}.",
        ),
        (
            "Experimenting administration {place}",
            "Every public body in {place} runs and evaluates experiments "
            "before scaling new policies by {year}.",
        ),
    ),
    "security": (
        ("Safe streets {place}", "Halve violent crime in {place} by {year}."),
        ("Safe at home {place}", "Cut domestic violence in {place} by {pct}% by {year}."),
        (
            "Ready for emergencies {place}",
            "Every household in {place} is prepared for 72 hours without power or water by {year}.",
        ),
    ),
    "economy": (
        ("Good jobs {place}", "Create {pct} thousand good green jobs in {place} by {year}."),
        (
            "Wellbeing economy {place}",
            "Measure and steer the economy of {place} by wellbeing, not only output, by {year}.",
        ),
        ("Start-up valley {place}", "Double the number of impact start-ups founded in {place} by {year}."),
    ),
    "industry": (
        ("Net-zero industry cluster {place}", "Make the industrial cluster of {place} net-zero by {year}."),
        ("Green steel {place}", "Produce fossil-free steel and cement in {place} by {year}."),
        (
            "Hydrogen valley {place}",
            "Supply industry and heavy transport in {place} with green hydrogen by {year}.",
        ),
    ),
    "soil": (
        ("Healthy soils {place}", "Bring {pct}% of soils in {place} to good health by {year}."),
        ("Living soils {place}", "Stop soil sealing and erosion in {place} by {year}."),
    ),
}

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


def mission_title_goal(
    rng: random.Random, field: str, place: str, year: int, *, template: int | None = None
) -> tuple[str, str]:
    """A plausible title and goal for a synthetic mission in ``field`` about ``place``.

    ``template`` picks one of the field's templates (by index); None picks one at random.
    """
    templates = MISSION_TEMPLATES[field]
    title, goal = templates[template] if template is not None else rng.choice(templates)
    values = {"place": place, "year": year, "pct": rng.choice((20, 25, 30, 40, 50))}
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
