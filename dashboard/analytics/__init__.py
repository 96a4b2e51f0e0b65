"""Pure pandas analytics: health, prioritisation, selection, capacity, compliance, review, filters.

Every function takes DataFrames with the canonical columns of ``loaders/schema.sql`` plus typed
standards from ``dashboard.standards``, returns new frames, and never reads files, the clock or the
environment: "today" is always the ``as_of`` argument.
"""
