# check=skip=JSONArgsRecommended
# syntax=docker/dockerfile:1
FROM python:3.11 AS a
FROM a
RUN \


  echo after-blank
RUN echo x \  
  y
ARG X=1 Y=2
ARG Z
