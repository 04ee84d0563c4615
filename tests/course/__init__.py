"""The course tier: tests whose subject is the bundled course's own content (counts, ids, writing rules)."""
