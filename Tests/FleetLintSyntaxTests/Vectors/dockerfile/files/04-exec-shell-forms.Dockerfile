FROM python:3.11
RUN ["pip", "install", "flask>=2"]
RUN [ "echo", "spaced" ]
CMD ["gunicorn", "-b", ":8080", "main:app"]
ENTRYPOINT ["python", "-m", "app.main"]
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN echo "shell form"
CMD python app.py
VOLUME ["/data", "/logs"]
VOLUME /a /b
COPY ["src file", "/dst/"]
