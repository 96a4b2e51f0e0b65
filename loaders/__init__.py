"""Loaders: the only writers. Read PMO exports, validate every row, publish database versions."""
