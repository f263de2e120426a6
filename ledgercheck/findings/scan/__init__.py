"""What a scan produces: a compact summary per workbook, the store they go to, and the report over them."""
