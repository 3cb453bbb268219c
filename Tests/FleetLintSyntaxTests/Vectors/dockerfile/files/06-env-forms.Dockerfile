FROM alpine
ENV A=1 B=2
ENV C="quoted value" D='single q'
ENV LEGACY some value with spaces
ENV E=with\ space F=x
ENV PATH=/opt/bin:$PATH
ENV G="a \"quoted\" word"
LABEL org.opencontainers.image.title="My App" version=1.0
LABEL legacy value here
