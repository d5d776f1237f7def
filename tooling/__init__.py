"""Generators of the suite's documents: the checklist and the step catalogue, both from the sources."""
