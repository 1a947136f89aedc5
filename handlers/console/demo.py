"""Demo staff for `preceptor try`: a small hospital with mentors on a few aspects."""

DEMO_LEAD = "okafor"  # `/mentor admin report` works as Dr. Ruth Okafor

DEMO_STAFF = [
    {"id": "priya", "name": "Priya Raman", "tz": "America/New_York",
     "profile": ("role=resident; specialty=Internal Medicine; department=Medicine; "
                "site=Main campus; started=2024"),
     "offers": ""},
    {"id": "lee", "name": "Dr. Marcus Lee", "tz": "America/New_York",
     "profile": ("role=attending; specialty=Emergency Medicine; department=Emergency; "
                "site=Main campus; started=2013"),
     "offers": "POCUS, central line placement, procedural sedation"},
    {"id": "souza", "name": "Dr. Ana Souza", "tz": "America/New_York",
     "profile": ("role=fellow; specialty=Internal Medicine; department=Medicine; "
                "site=Main campus; started=2019"),
     "offers": "POCUS, ventilator management, fellowship applications"},
    {"id": "kim", "name": "Jordan Kim", "tz": "America/Chicago",
     "profile": "role=nurse; specialty=Critical Care; department=Nursing; site=North campus; started=2015",
     "offers": "difficult IV access, night shift survival, precepting"},
    {"id": "okafor", "name": "Dr. Ruth Okafor", "tz": "America/New_York",
     "profile": ("role=attending; specialty=Internal Medicine; department=Medicine; "
                "site=North campus; started=2004"),
     "offers": "breaking bad news, fellowship applications, contract negotiation"},
    {"id": "patel", "name": "Sam Patel", "tz": "America/Los_Angeles",
     "profile": "role=pharmacist; specialty=Pharmacy; department=Pharmacy; site=Main campus; started=2016",
     "offers": "antimicrobial stewardship, anticoagulation"},
    {"id": "petrova", "name": "Dr. Elena Petrova", "tz": "Europe/London",
     "profile": ("role=attending; specialty=Pediatrics; department=Pediatrics; "
                "site=North campus; started=2010"),
     "offers": "writing a manuscript, grant writing"},
    {"id": "nguyen", "name": "Chris Nguyen", "tz": "America/New_York",
     "profile": ("role=student; specialty=Internal Medicine; department=Medicine; "
                "site=Main campus; started=2026"),
     "offers": ""},
]
