"""Outer layer: files, the command line, charts. Nothing below imports from here."""
