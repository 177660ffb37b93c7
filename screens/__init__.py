"""The Textual UI: a thin caller of the core (screens -> casebook -> schema)."""
