"""Page-facing data: read one database version, run the analytics, cache the result.

Pages and the report command call these functions instead of wiring db and analytics
themselves, so a number is computed one way everywhere; one module per page or concern.
"""
