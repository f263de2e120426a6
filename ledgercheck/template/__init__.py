"""Workbooks written in the canonical layout: the blank template and the rule cases' ledgers."""
