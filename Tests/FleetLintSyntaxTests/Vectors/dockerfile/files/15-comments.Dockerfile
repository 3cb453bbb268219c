FROM python:3.11
RUN echo "hash # not a comment" # trailing
    # indented comment
RUN echo one \
# comment between
    two
RUN echo "a\\" \
    && echo b
