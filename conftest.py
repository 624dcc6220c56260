"""Shared test settings: wide pandas output so doctested tables print on one line."""

import pandas as pd

pd.set_option("display.width", 200)
pd.set_option("display.max_columns", 20)
