-- wrk (closed loop) against the inference stub: the same one-row request Tollgate's load sends.
wrk.method = "POST"
wrk.body = '{"inputs": [{"name": "input-0", "shape": [1, 1], "datatype": "FP64", "data": [0.25]}]}'
wrk.headers["Content-Type"] = "application/json"
