"""Locust against the inference stub, for bench/live_latency.py: each user posts one Open
Inference Protocol request (one row) at a constant throughput of RATE_PER_USER requests/s, so
USERS x RATE_PER_USER is the target rate (Locust's closest form of an open-loop schedule)."""
import json
import os

from locust import FastHttpUser, constant_throughput, task

RATE_PER_USER = float(os.environ.get("RATE_PER_USER", "10"))
BODY = json.dumps({"inputs": [{"name": "input-0", "shape": [1, 1], "datatype": "FP64", "data": [0.25]}]})


class Client(FastHttpUser):
    wait_time = constant_throughput(RATE_PER_USER)

    @task
    def infer(self):
        self.client.post("/v2/models/m/infer", data=BODY, headers={"Content-Type": "application/json"})
