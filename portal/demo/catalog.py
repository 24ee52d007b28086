"""The demo models and their two-year history, as data: who trained what, and when it went live."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from sklearn.base import BaseEstimator
from sklearn.ensemble import (
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    RandomForestClassifier,
)
from sklearn.linear_model import LogisticRegression, Ridge

from portal.demo.datasets import DatasetSpec, add_weekday

DEMO_TAG = "portal.demo"


@dataclass(frozen=True)
class VersionSpec:
    """One model version: trained and registered `days_ago` days before the demo's today."""

    days_ago: int
    estimator: type[BaseEstimator]
    params: Mapping[str, Any]
    author: str  # mlflow.user of the training run
    description: str
    dropped_features: tuple[str, ...] = ()
    tags: Mapping[str, str] = field(default_factory=dict)  # override the model's tags


@dataclass(frozen=True)
class RegistryChange:
    """An alias set or moved, a legacy stage transition or a deletion of one version."""

    days_ago: int
    version: int
    kind: Literal["alias", "stage", "delete"]
    value: str = ""  # alias or stage name
    hour: int = 15  # registrations happen at 10:00; a change at 10:00 joins that moment


@dataclass(frozen=True)
class ModelSpec:
    """A registered model with its data, documentation tags, versions and registry history."""

    name: str
    slug: str  # experiment name and artifact folder: plain ASCII whatever the model name
    source_name: str  # mlflow.source.name: the training script or notebook
    dataset: DatasetSpec
    description: str
    tags: Mapping[str, str]
    versions: tuple[VersionSpec, ...]
    changes: tuple[RegistryChange, ...] = ()


def _tags(**tags: str) -> dict[str, str]:
    """Contract tags plus the marker the portal uses to label demo content."""
    return {**tags, DEMO_TAG: "true"}


_LOGISTIC = {"C": 1.0, "max_iter": 1000}
_FOREST = {"n_estimators": 60, "max_depth": 8, "min_samples_leaf": 5, "random_state": 7}
_BOOSTING = {"n_estimators": 80, "max_depth": 3, "learning_rate": 0.1, "random_state": 7}
_SERVICE_COLUMNS = (
    "online_security",
    "online_backup",
    "device_protection",
    "tech_support",
    "streaming_tv",
    "streaming_movies",
)
_WEATHER_COLUMNS = (
    "temp_min",
    "temp",
    "temp_max",
    "temp_change",
    "dew",
    "humidity",
    "pressure",
    "pressure_change",
    "wind",
    "wind_max",
    "gust",
    "gust_max",
    "percip",
    "percip_max",
    "weather_rain",
    "weather_snow",
    "weather_cloud",
    "weather_storm",
)

CUSTOMER_CHURN = ModelSpec(
    name="customer-churn",
    slug="customer-churn",
    source_name="training/churn/train.py",
    dataset=DatasetSpec("modeldata", "wa_churn", "churn", "classification", positive_class="Yes"),
    description="Predicts which private customers are likely to cancel their contract soon.",
    tags=_tags(
        owner="anna.schmidt@example.com",
        team="Customer Analytics",
        business_process="Customer retention",
        business_unit="Consumer sales",
        purpose=(
            "Flags private customers who are likely to cancel their contract in the coming "
            "months, so that the retention team can call them first."
        ),
        intended_use=(
            "Ranking the monthly call list of the retention team. An agent decides whether "
            "to call and what to offer."
        ),
        limitations=(
            "Trained on private customers only; not valid for business customers. Scores for "
            "customers in their first month are unreliable."
        ),
        data_sources="CRM customer master,Billing system,Service usage records",
        decision_mode="advisory",
        criticality="medium",
        use_case="customer-retention",
    ),
    versions=(
        VersionSpec(
            700,
            LogisticRegression,
            _LOGISTIC,
            "anna.schmidt@example.com",
            "First model: logistic regression on contract and billing data.",
            dropped_features=_SERVICE_COLUMNS,
        ),
        VersionSpec(
            420,
            RandomForestClassifier,
            _FOREST,
            "ben.okafor@example.com",
            "Random forest; adds the booked services (security, backup, streaming).",
        ),
        VersionSpec(
            90,
            GradientBoostingClassifier,
            {**_BOOSTING, "n_estimators": 100, "learning_rate": 0.08},
            "anna.schmidt@example.com",
            "Gradient boosting, retrained on this year's customers.",
            tags={
                "limitations": (
                    "Trained on private customers only; not valid for business customers. "
                    "Since this version uses booked services, customers without internet "
                    "service get less reliable scores."
                )
            },
        ),
    ),
    changes=(
        RegistryChange(690, 1, "alias", "champion"),
        RegistryChange(405, 2, "alias", "champion"),
        RegistryChange(80, 3, "alias", "champion"),
    ),
)

CREDIT_DEFAULT_RISK = ModelSpec(
    name="credit-default-risk",
    slug="credit-default-risk",
    source_name="training/credit_risk/train.py",
    dataset=DatasetSpec(
        "modeldata", "credit_data", "Status", "classification", positive_class="bad"
    ),
    description="Estimates the risk that a loan applicant will not repay; approves low risks.",
    tags=_tags(
        owner="carla.rossi@example.com",
        team="Credit Risk Modelling",
        business_process="Loan approval",
        business_unit="Retail banking",
        purpose=(
            "Estimates how likely a loan applicant is to fall behind on repayments. "
            "Applications below the risk limit are approved without manual review."
        ),
        intended_use=(
            "Automatic approval of consumer loans up to EUR 25,000. Applications near the "
            "limit or above that amount go to a credit officer."
        ),
        limitations=(
            "Not for business loans or mortgages. Applicants without a recorded income are "
            "scored with estimated values and are less reliable."
        ),
        data_sources=(
            "Loan application form,Credit bureau report,Core banking accounts,CRM customer master"
        ),
        decision_mode="automated",
        criticality="high",
        # Fairness by age: the portal bands the ages at the training sample's terciles.
        fairness_groups="Age",
    ),
    versions=(
        VersionSpec(
            650,
            LogisticRegression,
            _LOGISTIC,
            "carla.rossi@example.com",
            "Scorecard-style logistic regression without asset and debt data.",
            dropped_features=("Assets", "Debt"),
        ),
        VersionSpec(
            300,
            GradientBoostingClassifier,
            _BOOSTING,
            "david.nguyen@example.com",
            "Gradient boosting; adds assets and debt from the core banking system.",
        ),
        VersionSpec(
            30,
            RandomForestClassifier,
            {**_FOREST, "n_estimators": 100},
            "carla.rossi@example.com",
            "Random forest candidate, running as challenger next to the champion.",
        ),
    ),
    changes=(
        RegistryChange(640, 1, "alias", "champion"),
        RegistryChange(285, 2, "alias", "champion"),
        RegistryChange(30, 3, "alias", "challenger", hour=10),
    ),
)

EMPLOYEE_ATTRITION = ModelSpec(
    name="employee-attrition",
    slug="employee-attrition",
    source_name="training/attrition/train.py",
    dataset=DatasetSpec(
        "modeldata", "attrition", "Attrition", "classification", positive_class="Yes"
    ),
    description="Estimates which employees may leave within a year, for workforce planning.",
    # intended_use and limitations were never written down: a documentation gap.
    tags=_tags(
        owner="elena.petrova@example.com",
        team="People Analytics",
        business_process="Workforce planning",
        business_unit="Human resources",
        purpose=(
            "Estimates how many employees per department are likely to leave within a "
            "year, so that hiring and retention budgets can be planned."
        ),
        data_sources="HR information system,Employee survey",
        decision_mode="advisory",
        criticality="medium",
        use_case="workforce-planning",
        fairness_groups="Gender",
    ),
    # One person built every version: the knowledge to maintain it sits with her alone.
    versions=(
        VersionSpec(
            540,
            LogisticRegression,
            _LOGISTIC,
            "elena.petrova@example.com",
            "Logistic regression on HR master data and survey answers.",
        ),
        VersionSpec(
            200,
            LogisticRegression,
            {**_LOGISTIC, "C": 0.3, "class_weight": "balanced"},
            "elena.petrova@example.com",
            "Re-weighted so that more of the people who actually leave are found.",
        ),
    ),
    changes=(
        RegistryChange(530, 1, "alias", "champion"),
        RegistryChange(190, 2, "alias", "champion"),
    ),
)

TRANSIT_RIDERSHIP = ModelSpec(
    name="transit-ridership-forecast",
    slug="transit-ridership-forecast",
    source_name="training/ridership/forecast.py",
    dataset=DatasetSpec(
        "modeldata", "Chicago", "ridership", "regression", order_by="date", derive=add_weekday
    ),
    description="Forecasts daily passengers at Clark/Lake station two weeks ahead.",
    tags=_tags(
        owner="farid.haddad@example.com",
        team="Operations Research",
        business_process="Capacity planning",
        business_unit="Operations",
        purpose=(
            "Forecasts the number of passengers (in thousands per day) at Clark/Lake "
            "station two weeks ahead, so that train lengths and staff rosters can be planned."
        ),
        intended_use="Planning rosters and train lengths two weeks ahead.",
        limitations=(
            "Knows only major sports games as special events; public holidays, strikes and "
            "concerts cause large errors. Not for real-time crowd control."
        ),
        data_sources="Turnstile counts,Weather service,Sports schedules",
        decision_mode="advisory",
        criticality="low",
    ),
    versions=(
        VersionSpec(
            600,
            Ridge,
            {"alpha": 1.0},
            "farid.haddad@example.com",
            "Ridge regression on ridership two weeks earlier, weekday and sports games.",
            dropped_features=_WEATHER_COLUMNS,
        ),
        VersionSpec(
            150,
            Ridge,
            {"alpha": 1.0},
            "grace.lee@example.com",
            "Adds the weather forecast.",
        ),
    ),
    changes=(
        RegistryChange(595, 1, "alias", "production"),
        RegistryChange(140, 2, "alias", "production"),
    ),
)

PROPERTY_VALUATION = ModelSpec(
    name="property-valuation",
    slug="property-valuation",
    source_name="training/valuation/train.py",
    dataset=DatasetSpec("modeldata", "ames", "Sale_Price", "regression"),
    description="Estimates the market value of homes that secure a mortgage.",
    # Older registry habits: no team, limitations or data sources recorded.
    tags=_tags(
        owner="hannah.weber@example.com",
        business_process="Mortgage collateral valuation",
        business_unit="Retail banking",
        purpose=(
            "Estimates the market value (in US dollars) of a residential property that "
            "secures a mortgage, as a starting figure for the valuer."
        ),
        intended_use="First estimate before a valuer inspects the property.",
        decision_mode="advisory",
        criticality="high",
    ),
    versions=(
        VersionSpec(
            560,
            Ridge,
            {"alpha": 10.0},
            "hannah.weber@example.com",
            "Ridge regression on size, quality and location of the property.",
        ),
        VersionSpec(
            240,
            GradientBoostingRegressor,
            {**_BOOSTING, "n_estimators": 150},
            "ivan.horvat@example.com",
            "Gradient boosting; captures that value does not grow linearly with size.",
        ),
    ),
    # This team still promotes with the legacy stages, not with aliases.
    changes=(
        RegistryChange(550, 1, "stage", "Production"),
        RegistryChange(235, 2, "stage", "Staging"),
        RegistryChange(230, 2, "stage", "Production"),
    ),
)

BUSINESS_CHURN = ModelSpec(
    name="Kündigungsprognose Geschäftskunden",
    slug="churn-business-customers",
    source_name="training/churn_b2b/train.py",
    dataset=DatasetSpec("modeldata", "mlc_churn", "churn", "classification", positive_class="yes"),
    description="Sagt voraus, welche Geschäftskunden ihren Vertrag voraussichtlich kündigen.",
    # The process and unit stay in the shared English vocabulary so that the portal groups this
    # model with customer-churn; the team writes its prose in German.
    tags=_tags(
        owner="jonas.mueller@example.com",
        team="Vertriebsanalytik Geschäftskunden",
        business_process="Customer retention",
        business_unit="Business customers",
        purpose=(
            "Erkennt Geschäftskunden, die ihren Vertrag voraussichtlich kündigen, damit der "
            "Außendienst rechtzeitig ein Gespräch anbieten kann."
        ),
        intended_use=(
            "Priorisierung der monatlichen Besuchsliste im Außendienst. Über Angebote "
            "entscheidet die Kundenbetreuerin oder der Kundenbetreuer."
        ),
        limitations=(
            "Nur für Geschäftskunden mit Mobilfunkvertrag. Kunden mit weniger als drei Monaten "
            "Laufzeit werden unzuverlässig bewertet."
        ),
        data_sources="CRM customer master,Verbindungsdaten,Servicecenter-Tickets",
        decision_mode="advisory",
        criticality="medium",
    ),
    versions=(
        VersionSpec(
            480,
            RandomForestClassifier,
            _FOREST,
            "jonas.mueller@example.com",
            "Random Forest auf Vertrags- und Verbindungsdaten.",
        ),
        VersionSpec(
            60,
            GradientBoostingClassifier,
            _BOOSTING,
            "lena.fischer@example.com",
            "Gradient Boosting; versehentlich ohne fachliche Freigabe registriert.",
        ),
    ),
    changes=(
        RegistryChange(470, 1, "alias", "champion"),
        # Registered without sign-off and removed: MLflow keeps no trace, the portal should.
        RegistryChange(50, 2, "delete"),
    ),
)

DELIVERY_TIME = ModelSpec(
    name="delivery-time-estimate",
    slug="delivery-time-estimate",
    source_name="notebooks/delivery_time.ipynb",
    dataset=DatasetSpec("modeldata", "deliveries", "time_to_delivery", "regression"),
    description="",
    # An experiment someone registered and never documented or released.
    tags=_tags(),
    versions=(
        VersionSpec(
            20,
            GradientBoostingRegressor,
            _BOOSTING,
            "max.berger@example.com",
            "",
        ),
    ),
)

MODELS: tuple[ModelSpec, ...] = (
    CUSTOMER_CHURN,
    CREDIT_DEFAULT_RISK,
    EMPLOYEE_ATTRITION,
    TRANSIT_RIDERSHIP,
    PROPERTY_VALUATION,
    BUSINESS_CHURN,
    DELIVERY_TIME,
)
