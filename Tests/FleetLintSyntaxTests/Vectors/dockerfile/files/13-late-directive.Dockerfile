
# escape=`
FROM python:3.11
RUN echo a \
  b
