"""Principals, roles, region scope, PII masking and audit (built with the access-control issue).

Until then the API has no credentials and must be bound to 127.0.0.1 only, which is the
default of `CIVGRAPH_HOST`.
"""
