"""Platform edges: each package verifies, parses, calls one core method and renders the result."""
