"""Typed ledger records with provenance, and the indexed Ledger the engine reads."""
