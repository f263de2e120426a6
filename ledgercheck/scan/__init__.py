"""Batch scan: audit many unit workbooks in a process pool and summarize them for inspectors.

discover (paths) → runner (a pool; each worker builds a Context from the Settings and runs worker.scan_file)
→ a FileResult per workbook → the store (findings/scan: rows on disk, running totals in memory) → reporters.
"""
