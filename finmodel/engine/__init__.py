"""Engine layer: one evaluation path for scenarios and Monte Carlo; imports core and model."""
