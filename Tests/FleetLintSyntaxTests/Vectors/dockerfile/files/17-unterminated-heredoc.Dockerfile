FROM python:3.11
COPY <<-EOF /etc/conf
	indented
		double
	EOF
RUN <<EOF
unterminated heredoc
