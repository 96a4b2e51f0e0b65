"""Pure plotly builders: a frame in, a ``go.Figure`` out; one module per page or concern.

Every chart uses ``theme.apply_theme`` and the colour-blind-safe ``theme.RAG_COLOURS``.
"""
