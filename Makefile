# Front door of the Blueprint repository. Every target sets itself up: the first run creates
# .venv from requirements.lock, and the glue verifies the toolchain before Terraform runs.
#   make plan|apply|destroy|output ENV=local|staging|prod      (ENV defaults to local)
#   make test                                                  (everything CI runs)

SHELL := /bin/bash
.DEFAULT_GOAL := help

ENV ?= local
# Settings the glue reads from the environment (see the README); `make plan REHEARSE=1` works.
export ENV REHEARSE AUTO_APPROVE ALLOW_DATA_LOSS TERRAFORM_BIN BLUEPRINT_EMULATOR_PORT
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
BLUEPRINT := $(BIN)/blueprint
PYTEST := $(BIN)/python -m pytest
PYTHON_CODE := $(wildcard scripts tests lambda_src policies)

.PHONY: help setup plan apply destroy output drift package bootstrap emulator-start emulator-stop \
	test lint fmt fmt-check docs docs-check validate policy policy-code unit integration bench lock \
	clean registry registry-check registry-publish

help:  ## List the targets.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

$(INSTALLED): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

setup: $(INSTALLED)  ## Create .venv and verify the Terraform toolchain.
	$(BLUEPRINT) setup

plan: $(INSTALLED)  ## Plan ENV and save the plan.
	$(BLUEPRINT) plan $(ENV)

apply: $(INSTALLED)  ## Apply ENV (the saved plan when current).
	$(BLUEPRINT) apply $(ENV)

destroy: $(INSTALLED)  ## Destroy everything ENV manages.
	$(BLUEPRINT) destroy $(ENV)

output: $(INSTALLED)  ## Print ENV's outputs as JSON.
	$(BLUEPRINT) output $(ENV)

drift: $(INSTALLED)  ## Plan every environment; list those that drifted (exit 2 if any).
	$(BLUEPRINT) drift

package: $(INSTALLED)  ## Build the Lambda zips for ENV's runtime.
	$(BLUEPRINT) package $(ENV)

bootstrap: $(INSTALLED)  ## Create ENV's state bucket and lock table (staging, prod).
	$(BLUEPRINT) bootstrap $(ENV)

emulator-start: $(INSTALLED)  ## Start the local AWS emulator.
	$(BLUEPRINT) emulator start

emulator-stop: $(INSTALLED)  ## Stop the local AWS emulator.
	$(BLUEPRINT) emulator stop

test: lint fmt-check docs-check registry-check validate policy-code unit integration  ## All of CI.

lint: $(INSTALLED)  ## Ruff lint and format check of the Python code.
	$(BIN)/ruff check $(PYTHON_CODE)
	$(BIN)/ruff format --check $(PYTHON_CODE)

fmt: $(INSTALLED)  ## Format Python and Terraform files in place.
	$(BIN)/ruff format $(PYTHON_CODE)
	$(BIN)/terraform fmt -recursive modules envs

policy: $(INSTALLED)  ## Checkov's and the platform's checks on the code and the local plan.
	$(BLUEPRINT) policy --junit-xml build/policy-junit.xml

# In the test command the plans are checked by tests/integration/test_policy_plans.py, which
# runs its own emulator on a free port; this step needs none.
policy-code: $(INSTALLED)  ## The same checks on the code only.
	$(BLUEPRINT) policy --no-plans --junit-xml build/policy-junit.xml

REGISTRY_DIR ?= build/registry
registry: $(INSTALLED)  ## Release every module's version into a static registry (build/registry).
	$(BLUEPRINT) registry build --out $(REGISTRY_DIR)

registry-check: $(INSTALLED)  ## Fail when a module changed without the version bump it needs.
	$(BLUEPRINT) registry check

registry-publish: $(INSTALLED)  ## Upload build/registry to $BLUEPRINT_REGISTRY_BUCKET.
	$(BLUEPRINT) registry publish --out $(REGISTRY_DIR)

docs: $(INSTALLED)  ## Regenerate the inputs and outputs of every module README.
	$(BLUEPRINT) docs

docs-check: $(INSTALLED)  ## Fail when a module README is stale.
	$(BLUEPRINT) docs --check

fmt-check: $(INSTALLED)  ## Fail when a Terraform file is not formatted.
	$(BIN)/terraform fmt -check -recursive -diff modules envs

validate: $(INSTALLED)  ## terraform validate every module example and environment.
	$(BLUEPRINT) validate

unit: $(INSTALLED)  ## Tests that need nothing running.
	$(PYTEST) -m "not integration"

# Emulator tests mostly wait on the provider's waiters, so three workers share two cores well;
# each test starts its own emulator on a free port.
INTEGRATION_WORKERS ?= 3
integration: $(INSTALLED)  ## Tests that start the emulator and apply real Terraform.
	$(PYTEST) -m integration -n $(INTEGRATION_WORKERS) --dist loadfile

bench: $(INSTALLED)  ## Measure the glue and the local environment; prints a table.
	$(BIN)/python -m blueprint.bench

lock: $(INSTALLED)  ## Rewrite requirements.lock from what .venv holds.
	{ sed -n '1,2p' requirements.lock; $(BIN)/python -m pip freeze --exclude-editable; } \
		> requirements.lock.new && mv requirements.lock.new requirements.lock

clean:  ## Remove .venv, build output and Terraform working files (not local state).
	rm -rf $(VENV) .venv-checkov build .blueprint/plugin-cache
	find envs modules -name .terraform -type d -prune -exec rm -rf {} +
