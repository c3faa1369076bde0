"""What the events app holds about a person (core.personal_data)."""

from core.personal_data import holds
from events.models import CheckIn, Participation

holds(
    Participation,
    "person",
    "verified_by",
    why="registrations, attendance and verified hours; attendance the person verified as staff",
)
holds(CheckIn, "person", "entered_by", why="check-ins and check-outs; those entered by the person as staff")
