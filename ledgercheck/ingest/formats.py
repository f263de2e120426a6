"""The workbook formats ledgercheck reads (by file name suffix)."""

READABLE = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})
