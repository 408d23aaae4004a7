"""Gunicorn's settings for the web container (Dockerfile, docker-compose.yml).

The access log records the path but never the query string or the referring page: a caseload
search or an API filter carries names, postcodes and dates of birth in its query string, and
logs are kept longer and read more widely than the records (docs/security.md).
"""

bind = "0.0.0.0:8000"
workers = 3
accesslog = "-"
# %(U)s is the path without its query string; no %(r)s (the request line), %(q)s or %(f)s.
access_log_format = '%(h)s %(l)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s "%(a)s"'
