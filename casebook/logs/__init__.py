"""Log import: one parser module per format, host and identity handling, and the importer."""
