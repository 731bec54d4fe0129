"""Test helpers shared across suites: real local servers and their pytest fixtures."""
