# The two commands the README promises, and the benchmark.
.PHONY: demo test bench bench-history bench-canary fixtures

demo:
	@scripts/demo.sh

test:
	@scripts/test.sh

bench:
	@scripts/system-packages.sh
	@swift build -c release --product tollgate
	@scripts/python-env.sh >/dev/null && scripts/python-env.sh evidently >/dev/null && .venv/bin/python bench/run.py

# The history benchmarks: DORA and import over 1M events (SQLite and PostgreSQL) beside pandas,
# and the site over 10,000 runs beside Jinja2 + Python-Markdown; each writes its table to
# bench/*_results.md. BEFORE=path/to/an/earlier/tollgate measures that binary beside.
bench-history:
	@scripts/system-packages.sh
	@swift build -c release --product tollgate
	@scripts/python-env.sh >/dev/null && .venv/bin/python bench/dora_bench.py --events 1000000 \
		--postgres "$$(scripts/postgres.sh)" $(if $(BEFORE),--before $(BEFORE))
	@python3 bench/site_bench.py --runs 10000

# One canary look over 10M events beside a Python peer (json + running sums), and a look with
# --state after 10k new events; writes bench/canary_results.md.
bench-canary:
	@scripts/system-packages.sh
	@swift build -c release --product tollgate
	@python3 bench/canary_bench.py --events 10000000

fixtures:
	@scripts/python-env.sh >/dev/null && .venv/bin/python fixtures/make_fixtures.py
	@.venv/bin/python fixtures/make_interval_oracle.py
	@.venv/bin/python fixtures/make_latency_interval_oracle.py
	@scripts/python-env.sh evidently >/dev/null && .venv-evidently/bin/python fixtures/make_drift_oracle.py
