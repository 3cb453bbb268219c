FROM	python:3.11
RUN	pip	install	flask
	RUN echo indented
ENV	A	b
  COPY  .   /app  
