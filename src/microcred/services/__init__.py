"""Use cases of the platform: providers, opportunities, issuance, statuses, verification and
the learner's wallet. Each takes a ``Context`` and returns domain objects (ORM rows,
results); their public forms are in ``microcred.schemas``."""
