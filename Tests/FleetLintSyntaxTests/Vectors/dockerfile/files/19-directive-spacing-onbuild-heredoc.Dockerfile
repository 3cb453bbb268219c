#  ESCAPE = `
# Syntax = docker/dockerfile:1
FROM alpine
ENV P=C:\\dir A="x`"y"
RUN echo a `
  `
  b
ONBUILD RUN <<EOF
echo onbuild
EOF
