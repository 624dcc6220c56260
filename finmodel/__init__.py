"""finmodel: financial scenario modelling for UK local government.

Build an MTFP or a case for change the way a committee paper prints it, get the same
table back, then ask for the low case, the high case and a Monte Carlo of the same
model. The OCC case for change of January 2018 (002_90ddc037a457842c.txt lines
1551-1640):

>>> import finmodel as fm
>>> years = fm.Timeline("2018/19", 4)
>>> phasing = fm.Profile.increments([2, 13, 13, 5])
>>> case = fm.CostBenefitCase(
...     "OCC case for change (January 2018)", years,
...     benefits=[
...         fm.Benefit("Operating model transformation", fm.Range(21, 33), phasing),
...         fm.Benefit("Quick wins", fm.Range(8, 17), phasing),
...         fm.Benefit("Strategic sourcing & process", fm.Range(4, 8), phasing),
...     ],
...     costs=[fm.Cost("Implementation", [3, 8, 5, 1])],
... )
>>> low = fm.evaluate(case, "low")
>>> low.table(basis="incremental").round(6)
OCC case for change (January 2018) (£m; benefits incremental)  2018/19  2019/20  2020/21  2021/22  Total
Annual benefit                                                     2.0     13.0     13.0      5.0   33.0
Annual cost                                                       -3.0     -8.0     -5.0     -1.0  -17.0
Annual net benefit                                                -1.0      5.0      8.0      4.0   16.0
Cumulative net                                                    -1.0      4.0     12.0     16.0    NaN
>>> low.payback_year
'2019/20'
>>> fm.evaluate(case, "high").run_rate
58.0
>>> sim = fm.simulate(case, n=100_000, seed=2018)
>>> sim.quantiles("cumulative_net", [0.1, 0.5, 0.9]).round(1)
     2018/19  2019/20  2020/21  2021/22
q...
0.1     -0.5     10.5     40.8     81.5
0.5     -0.2     12.4     46.0     90.5
0.9     -0.0     14.4     51.3     99.6
>>> sim.probability("cumulative_net", ">=", 0, year="2019/20")
1.0

The shared-draw rule: the same amount object used twice is ONE quantity (see
:mod:`finmodel.core.amounts`).
"""

from typing import Any

from finmodel import outputs as _outputs  # noqa: F401  (plugs charts, progress and display into results)
from finmodel.analysis.policy_grid import Lever, policy_grid
from finmodel.analysis.reconcile import CheckReport, Finding, Unchecked, check
from finmodel.analysis.reverse_stress import reverse_stress, smallest_move
from finmodel.analysis.risk import risk_figures
from finmodel.analysis.sensitivity import sensitivity
from finmodel.analysis.shapley import shapley
from finmodel.analysis.sobol import sobol
from finmodel.analysis.switching import switching_values
from finmodel.analysis.targets import Condition
from finmodel.analysis.tornado import spider, tornado
from finmodel.analysis.value_for_money import value_for_money
from finmodel.core.amounts import Amount, Expr, Fixed, Leaf
from finmodel.core.correlation import correlate
from finmodel.core.delivery import DeliveryFit, fit_delivery
from finmodel.core.discount import GREEN_BOOK_SCHEDULE, discount_factors, npv
from finmodel.core.distributions import (
    PERT,
    Beta,
    Chance,
    LogNormal,
    Normal,
    Range,
    Triangular,
    Uniform,
)
from finmodel.core.errors import (
    AmountError,
    CorrelationError,
    FinmodelError,
    ModelError,
    ProfileError,
    ScenarioError,
    YearError,
)
from finmodel.core.money import format_money
from finmodel.core.optimism_bias import GREEN_BOOK_OPTIMISM_BIAS, OptimismBias, mitigation
from finmodel.core.part_year import start_delay
from finmodel.core.profiles import Profile
from finmodel.core.rag import DEFAULT_RAG, RagScale, Rated, rag
from finmodel.core.version import VERSION
from finmodel.core.years import Timeline
from finmodel.engine.convergence import simulate_until, standard_errors
from finmodel.engine.results import (
    NOT_WITHIN,
    CaseEvaluation,
    CaseSimulation,
    Evaluation,
    Provenance,
    Results,
    Simulation,
)
from finmodel.engine.run import evaluate, run_trials, simulate, simulate_many
from finmodel.engine.scenario import Scenario
from finmodel.io import (
    ScenarioFile,
    ScenarioFileError,
    bundled,
    dump,
    dumps,
    load,
    loads,
    scenarios_folder,
)
from finmodel.model.cases import CostBenefitCase
from finmodel.model.lines import (
    Benefit,
    Cost,
    Funding,
    Investment,
    Line,
    Pressure,
    Reprofile,
    Reserves,
    Saving,
)
from finmodel.model.plans import MTFP
from finmodel.model.published import PublishedRow, PublishedTable, Reproduction, Total, printed_places
from finmodel.model.reserves import ReservesBalance
from finmodel.model.rules import Cell, CommonBase, CrossTotal
from finmodel.model.statements import LineRow, Statement

__version__ = VERSION


def __getattr__(name: str) -> Any:
    """``fm.charts``: the chart functions, imported (with matplotlib) on first use."""
    if name == "charts":
        import finmodel.outputs.charts as charts

        return charts
    raise AttributeError(f"module 'finmodel' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), "charts"])

__all__ = [
    "DEFAULT_RAG",
    "GREEN_BOOK_OPTIMISM_BIAS",
    "GREEN_BOOK_SCHEDULE",
    "MTFP",
    "NOT_WITHIN",
    "PERT",
    "Amount",
    "AmountError",
    "Benefit",
    "Beta",
    "CaseEvaluation",
    "CaseSimulation",
    "Cell",
    "Chance",
    "CheckReport",
    "CommonBase",
    "Condition",
    "CorrelationError",
    "Cost",
    "CostBenefitCase",
    "CrossTotal",
    "DeliveryFit",
    "Evaluation",
    "Expr",
    "Finding",
    "FinmodelError",
    "Fixed",
    "Funding",
    "Investment",
    "Leaf",
    "Lever",
    "Line",
    "LineRow",
    "LogNormal",
    "ModelError",
    "Normal",
    "OptimismBias",
    "Pressure",
    "Profile",
    "ProfileError",
    "Provenance",
    "PublishedRow",
    "PublishedTable",
    "RagScale",
    "Range",
    "Rated",
    "Reproduction",
    "Reprofile",
    "Reserves",
    "ReservesBalance",
    "Results",
    "Saving",
    "Scenario",
    "ScenarioError",
    "ScenarioFile",
    "ScenarioFileError",
    "Simulation",
    "Statement",
    "Timeline",
    "Total",
    "Triangular",
    "Unchecked",
    "Uniform",
    "YearError",
    "bundled",
    "check",
    "correlate",
    "discount_factors",
    "dump",
    "dumps",
    "evaluate",
    "fit_delivery",
    "format_money",
    "load",
    "loads",
    "mitigation",
    "npv",
    "policy_grid",
    "printed_places",
    "rag",
    "reverse_stress",
    "risk_figures",
    "run_trials",
    "scenarios_folder",
    "sensitivity",
    "shapley",
    "simulate",
    "simulate_many",
    "simulate_until",
    "smallest_move",
    "sobol",
    "spider",
    "standard_errors",
    "start_delay",
    "switching_values",
    "tornado",
    "value_for_money",
]
