"""Benchmark suite: data at scale, the app under gunicorn, wrk load, and reference endpoints. See README."""
