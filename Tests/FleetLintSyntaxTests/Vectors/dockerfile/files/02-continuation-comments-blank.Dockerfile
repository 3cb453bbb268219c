FROM python:3.11-slim
RUN apt-get update \
    # install build deps
    && apt-get install -y gcc \

    && rm -rf /var/lib/apt/lists/*
RUN pip install \
  # comment only

  flask==2.3.3
