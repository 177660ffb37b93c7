"""Logs: the format registry and a parser per format, hosts, visits, the rollup tables, the importer, history."""
