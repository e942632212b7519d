"""Synthetic clip studio: rendered people with exact ground truth, for samples and tests."""
