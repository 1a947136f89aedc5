"""Finding the right mentor: aspects, familiarity and the ranking."""
