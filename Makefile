# Plage libre. The two commands of the README: `make run` and `make test`.
.PHONY: run test quality bench messages

run:  ## the app with demo data on http://127.0.0.1:8000 (SQLite, no other server needed)
	bash scripts/run.sh

test:  ## the whole test suite on real PostgreSQL, Redis and Chromium (installed and started here)
	bash scripts/test.sh

quality:  ## ruff format --check, ruff check, makemigrations --check, check --deploy
	bash scripts/quality.sh

bench:  ## benchmarks at 100,000 people (PostgreSQL) and 10,000 (SQLite); writes bench/RESULTS.md
	bash scripts/bench.sh

messages:  ## compile the translations (the .mo files are committed)
	bash -c 'source scripts/lib.sh && ensure_venv requirements.txt && cd "$$ROOT" && "$$VENV/bin/python" manage.py compilemessages --ignore=.venv'
