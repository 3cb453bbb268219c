FROM python:3.11
RUN --mount=type=cache,target=/root/.cache/pip --mount=type=secret,id=netrc,target=/root/.netrc pip install -r requirements.txt
COPY --chown=app:app --chmod=644 requirements.txt /app/
ADD --checksum=sha256:abc https://example.com/x.tar.gz /x
RUN --network=none echo hi
COPY --link --from=builder /a /b
RUN --mount="type=bind,source=a b,target=/c" ls
