FROM alpine
COPY --from=build ["/a b", "/c"]
RUN \
    \
    echo only-escape-lines
  # indented comment \
RUN --mount=type=cache,target=/x -- echo dashdash
run ["sh", "-c", "echo \"hi\" \u00e9"]
EXPOSE 80 \
 443
