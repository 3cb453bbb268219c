FROM python:3.11
RUN pip install \
    flask==3.0.0
ENV A=1
CMD ["python", "app.py"]
