"""Analysis layer: questions asked of results.

Reconciliation of published tables (:mod:`~finmodel.analysis.reconcile`), and stress
testing: savings at risk (:mod:`~finmodel.analysis.risk`), one-at-a-time sensitivity
(:mod:`~finmodel.analysis.tornado`), sensitivity from a simulation
(:mod:`~finmodel.analysis.sensitivity`), variance-based indices
(:mod:`~finmodel.analysis.sobol`, :mod:`~finmodel.analysis.shapley`), reverse stress
tests (:mod:`~finmodel.analysis.reverse_stress`), policy grids
(:mod:`~finmodel.analysis.policy_grid`), switching values
(:mod:`~finmodel.analysis.switching`) and value for money
(:mod:`~finmodel.analysis.value_for_money`). Every analysis works on any model through
the engine's public verbs and returns a frozen dataclass of DataFrames.
"""
