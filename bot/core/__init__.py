"""The core's own language and how one request, one tick and one conversation run."""
