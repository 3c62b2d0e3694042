"""Reading and writing files: YAML case folders, JSON Schema, observations."""
