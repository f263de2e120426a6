"""Reporters of a scan: a ScanReport in, a table, JSON document, Excel workbook or HTML page out."""
