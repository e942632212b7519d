"""Measures shared by several exercises: private to the exercises package."""
