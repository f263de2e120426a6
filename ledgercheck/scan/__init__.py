"""Batch scan: audit many unit workbooks in a process pool and summarize them for inspectors.

discover (paths) → runner (pool of workers, each running worker.scan_file) → FileResult per workbook
→ store (rows on disk, running totals in memory) → reporters/ (table, json, xlsx, html).
"""
