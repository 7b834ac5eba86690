"""Helpers the tests share: every test module imports them from here, never from another test."""
