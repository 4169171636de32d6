# The two commands the README promises, and the benchmark.
.PHONY: demo demo-live demo-mlflow test bench bench-history bench-live bench-canary fixtures

demo:
	@scripts/demo.sh

# The live demo: MLServer's two models (fixtures/serving) gated by calling them, with an open-loop
# latency load. scripts/demo-live.sh exits with the gate's code (make turns any non-zero into 2).
demo-live:
	@scripts/demo-live.sh

# The MLflow demo: the demo's versions registered in a real mlflow server (started and stopped
# here on 127.0.0.1), gated, shown on the site, and the challenger promoted through its alias.
demo-mlflow:
	@scripts/demo-mlflow.sh

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

# The live-scoring benchmark (#11): a million rows scored through MLServer beside a Python
# client, the highest open-loop rate one core holds beside Locust, a freeze beside wrk's closed
# loop; writes bench/live_results.md. Needs wrk (Debian), taskset and two CPUs.
bench-live:
	@scripts/system-packages.sh
	@command -v wrk >/dev/null || { s=$$([ "$$(id -u)" -eq 0 ] || echo sudo); $$s apt-get update -qq && \
		$$s env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null; }
	@swift build -c release --product tollgate
	@swift build -c release --product inference-stub
	@scripts/python-env.sh serving >/dev/null && scripts/python-env.sh load >/dev/null && .venv-load/bin/python bench/live_latency.py

fixtures:
	@scripts/python-env.sh >/dev/null && .venv/bin/python fixtures/make_fixtures.py
	@.venv/bin/python fixtures/make_interval_oracle.py
	@.venv/bin/python fixtures/make_latency_interval_oracle.py
	@scripts/python-env.sh evidently >/dev/null && .venv-evidently/bin/python fixtures/make_drift_oracle.py
