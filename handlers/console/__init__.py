"""The local workspace behind `preceptor try`: the same core, with the terminal as the platform."""
