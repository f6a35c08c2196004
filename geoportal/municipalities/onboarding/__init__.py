"""Onboarding a new hromada (manage.py add_hromada): plan.py checks and writes, templates.py
reads the departments, categories, routing and layer owners it starts from."""

from geoportal.municipalities.onboarding.plan import (
    OnboardingError,
    Plan,
    Request,
    carry_out,
    plan,
)

__all__ = ["OnboardingError", "Plan", "Request", "carry_out", "plan"]
