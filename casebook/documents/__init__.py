"""Documents the casebook writes from what it knows: one model (model), Markdown and PDF renderers (render_md,
render_pdf), templates as data files (templates/), the GDPR's documents (gdpr), the registry of kinds (reports),
the kept versions (archive) and writing an export to a file (export)."""
