"""The survey fields missiongraph understands (the codebook's columns) and where each lands in RDF."""

from __future__ import annotations

from dataclasses import dataclass

from ontology.namespaces import MG_NS

__all__ = ["FieldInfo", "FIELDS", "TYPES", "MISSION_LEVEL", "question_code"]

MG = MG_NS
DCT = "http://purl.org/dc/terms/"

#: value types a mapping may give a field
TYPES = ("single", "multi", "text", "integer", "email", "date", "country", "boolean", "mission")


@dataclass(frozen=True)
class FieldInfo:
    """One codebook field: its value type, scheme, the property it is recorded as, the question text."""

    type: str
    scheme: str | None = None
    property: str | None = None  # the predicate an answer becomes (None: handled specially)
    question: str | None = None  # None: not a question (ids, metadata, personal data)
    personal: bool = False


FIELDS: dict[str, FieldInfo] = {
    "respondent_id": FieldInfo("text"),
    "submitted_at": FieldInfo("date"),
    "wave_note": FieldInfo("text"),
    "name": FieldInfo("text", personal=True),
    "email": FieldInfo("email", personal=True),
    "phone": FieldInfo("text", personal=True),
    "organisation": FieldInfo("text", personal=True),
    "consent_contact": FieldInfo("boolean", personal=True),
    "country": FieldInfo("country", property=f"{DCT}spatial", question="Country you work in"),
    "sector": FieldInfo("single", "sector", f"{MG}sector", "Sector of your organisation"),
    "role": FieldInfo("single", "role", f"{MG}respondentRole", "Your role in the mission"),
    "involved": FieldInfo(
        "single",
        "answer",
        f"{MG}involvedInMissionWork",
        "Are you currently involved in mission-oriented innovation?",
    ),
    "mission_id": FieldInfo(
        "mission",
        property=f"{MG}describesMission",
        question="Which mission do you work on? (catalogue id, blank for your own)",
    ),
    "mission_title": FieldInfo("text", property=f"{DCT}title", question="Name of your mission"),
    "mission_goal": FieldInfo(
        "text", property=f"{MG}goalStatement", question="The mission's goal in one or two sentences"
    ),
    "level": FieldInfo("single", "level", f"{MG}level", "Level of government that owns the mission"),
    "target_year": FieldInfo(
        "integer", property=f"{MG}targetYear", question="Year the mission aims to reach its goal"
    ),
    "phase": FieldInfo("single", "phase", f"{MG}phase", "What phase is your mission in?"),
    "challenge_fields": FieldInfo(
        "multi", "challenge-field", f"{MG}challengeField", "Which societal fields does it address?"
    ),
    "clear_target": FieldInfo(
        "single", "answer", f"{MG}hasClearTarget", "The mission has a clearly defined target"
    ),
    "me_plan": FieldInfo(
        "single",
        "answer",
        f"{MG}hasMonitoringPlan",
        "The mission has a clear plan and process for monitoring and evaluation",
    ),
    "external_driver": FieldInfo(
        "single",
        "external-driver",
        f"{MG}mainExternalDriver",
        "What has made mission work possible — outside your organisation?",
    ),
    "internal_driver": FieldInfo(
        "single", "internal-driver", f"{MG}mainInternalDriver", "... and inside your organisation?"
    ),
    "funding_sources": FieldInfo(
        "multi", "funding-source", f"{MG}fundingSource", "Where does funding come from?"
    ),
    "risks": FieldInfo("multi", "risk", f"{MG}perceivedRisk", "The biggest risks of possibly failing"),
    "challenges": FieldInfo(
        "multi", "challenge", f"{MG}facedChallenge", "Challenges in current mission work"
    ),
    "learning_needs": FieldInfo("multi", "learning-need", f"{MG}learningNeed", "Learning forward"),
    "support_needs": FieldInfo(
        "multi", "support-need", f"{MG}supportNeed", "In what areas do you need external help?"
    ),
    "challenge_text": FieldInfo(
        "text", property=f"{MG}challengeText", question="Describe your biggest challenge"
    ),
    "support_text": FieldInfo(
        "text", property=f"{MG}supportText", question="Describe the help you would need"
    ),
}

#: answers about the mission: on the response, and copied onto the mission described
MISSION_LEVEL = (
    "phase",
    "challenge_fields",
    "funding_sources",
    "risks",
    "challenges",
    "learning_needs",
    "support_needs",
    "clear_target",
    "me_plan",
    "external_driver",
    "internal_driver",
    "level",
)


def question_code(name: str) -> str:
    """The question code of a field (``clear_target`` -> ``clear-target``)."""
    return name.replace("_", "-")
