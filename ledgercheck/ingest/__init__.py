"""Reading workbooks: the safety preflight, understanding sheets and columns, cells into typed records."""
