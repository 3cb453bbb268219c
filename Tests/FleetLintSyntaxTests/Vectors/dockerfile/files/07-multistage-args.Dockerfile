ARG PY=3.11
ARG BASE=python
FROM ${BASE}:${PY}-slim AS deps
ARG PY
RUN pip install -r requirements.txt

FROM deps AS test
RUN pytest

FROM $BASE:$PY AS final
COPY --from=deps /usr/local /usr/local
COPY --from=0 /app /app
COPY --from=nginx:latest /etc/nginx /etc/nginx
CMD ["python", "-m", "svc"]
