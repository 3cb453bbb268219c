FROM python:3.11
ONBUILD RUN pip install flask
ONBUILD COPY . /app
HEALTHCHECK --interval=30s --timeout=3s CMD curl -f http://localhost/ || exit 1
HEALTHCHECK NONE
FROBNICATE something
