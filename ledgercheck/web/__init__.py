"""`ledgercheck serve`: the web page and JSON API over the same Context as the command line.

A front end like `cli`: it adds no reading or rule logic. Uploads go to a private temporary folder
(`store`), audits run in a bounded pool of worker processes (`pool`, `worker`), and pages render the same
results and reporters as `audit` (`pages`, `api`). Needs the `[web]` extra (FastAPI, uvicorn, Jinja2).
"""
