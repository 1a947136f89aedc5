"""Vocabulary shared by the use cases: roles and their tracks, statuses, limits."""

ROLES = (
    "student", "resident", "fellow", "attending", "nurse", "np", "pa", "crna", "pharmacist",
    "other",
)

# Roles that grow along the same ladder; similarity counts a shared track, not only a shared role.
ROLE_TRACK = {
    "student": "physician", "resident": "physician", "fellow": "physician",
    "attending": "physician", "nurse": "nursing", "np": "nursing", "crna": "nursing",
    "pa": "pa", "pharmacist": "pharmacy", "other": "other",
}


class Status:
    OPEN, MATCHED, CLOSED = "open", "matched", "closed"  # learning requests
    PENDING, ACCEPTED, DECLINED, EXPIRED, WITHDRAWN = (
        "pending", "accepted", "declined", "expired", "withdrawn",
    )  # intro asks
    ACTIVE, PAUSED, WRAPPED = "active", "paused", "wrapped"  # mentorships


class Outcome:
    MET, NOT_YET, PAUSE, WRAP_UP, SILENT = "met", "not_yet", "pause", "wrap_up", "silent"


class Source:
    DECLARED, INFERRED, PROVEN = "declared", "inferred", "proven"


MAX_DETAILS = 1000
MAX_ASPECT = 80
MAX_REFLECTION = 500
MAX_CAPACITY = 10
NOT_YET_DAYS = 7
DECLINE_MEMORY_DAYS = 90
SILENT_ROUNDS_TO_PAUSE = 2
