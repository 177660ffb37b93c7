"""The vocabulary shared by the core and the UI: enums, pydantic models, SQL migrations."""
