"""The policy: its text and fields (document, fields), versions, readiness, receipts."""
