from python:3.11 as builder
run pip install uv
Copy --from=builder /x /y
WorkDir /app
env A=1
Arg B=2
expose 80/tcp 443
user app:app
label a=b
maintainer me@example.com
stopsignal SIGTERM
