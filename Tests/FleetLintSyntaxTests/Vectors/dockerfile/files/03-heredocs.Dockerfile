FROM python:3.12
RUN <<EOF
pip install requests==2.31.0
echo done
EOF
RUN <<-EOT bash
	set -e
	pip install flask
	EOT
RUN python3 <<'PY'
import sys
print(sys.version)
PY
RUN <<A cat && <<"B" cat
first
A
second $HOME
B
COPY <<EOF /app/requirements.txt
flask==3.0.0
gunicorn
EOF
RUN pip install -r /app/requirements.txt
