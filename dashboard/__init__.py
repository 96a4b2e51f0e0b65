"""PMO Lens dashboard: database reads, pure analytics, figures, components and pages."""
