FROM python:3.11
RUN pip install "flask>=2.3" 'requests<3' psycopg\[binary\]
RUN pip install flask>=2.3.0
WORKDIR app
WORKDIR sub
