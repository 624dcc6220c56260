"""Core layer: financial years, uncertain amounts, profiles, correlation, discounting.

Nothing here imports from the layers above (model, engine, analysis, outputs).
"""
