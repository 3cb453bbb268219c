FROM python:3.11
RUN ["pip", "install", flask]
CMD [python app.py]
ENTRYPOINT ["unterminated
RUN [ "ok" ] trailing
CMD ["x",]
