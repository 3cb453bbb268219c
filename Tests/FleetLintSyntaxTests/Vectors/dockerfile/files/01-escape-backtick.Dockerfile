# syntax=docker/dockerfile:1.7
# escape=`
FROM mcr.microsoft.com/windows/servercore AS win
RUN dir C:\ `
    && echo done
COPY app\ C:\app\
WORKDIR C:\app
