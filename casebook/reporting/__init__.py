"""The reports (policy 2.4, CAO 81 art. 10): to the board, to the consultation body, and the receipts for HR.

`figures` reads what happened in a period from the core's own tables; `board`, `evaluation` and
`receipts` make each report a Document (casebook.documents.model) that every renderer writes. They are
entries of the documents' registry (casebook.documents.reports), so `casebook report KIND` and the
Reports mode make them the same way.
"""
