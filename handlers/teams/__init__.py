"""Microsoft Teams over botbuilder. Every botbuilder import stays inside this package:
botbuilder is archived upstream, and moving to the Microsoft 365 Agents SDK should touch
this package alone."""
