"""Pure layout factories: component trees, no callbacks, no database."""
