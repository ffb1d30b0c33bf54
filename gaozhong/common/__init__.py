"""Helpers shared by every engine and app that have no Django import: input errors, text decoding, output writing."""
