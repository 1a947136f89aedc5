# syntax=docker/dockerfile:1
# A small image: the build stage installs the project into a virtual environment, the final
# stage copies only that onto a slim Python, and runs it as an unprivileged user.
FROM python:3.11-slim-bookworm AS build
WORKDIR /src
RUN python -m venv /opt/preceptor
COPY pyproject.toml README.md ./
COPY bot bot
COPY handlers handlers
COPY storage storage
RUN /opt/preceptor/bin/pip install --no-cache-dir --disable-pip-version-check .

FROM python:3.11-slim-bookworm
RUN groupadd --system --gid 10001 preceptor \
    && useradd --system --uid 10001 --gid preceptor --home-dir /var/lib/preceptor --create-home preceptor
COPY --from=build /opt/preceptor /opt/preceptor
COPY docker/entrypoint.sh /usr/local/bin/preceptor-entrypoint
ENV PATH=/opt/preceptor/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    LOG_FORMAT=json \
    DATABASE_URL=sqlite:////var/lib/preceptor/preceptor.db
USER 10001:10001
WORKDIR /var/lib/preceptor
VOLUME ["/var/lib/preceptor"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:3000/healthz', timeout=4)"]
ENTRYPOINT ["preceptor-entrypoint"]
CMD ["serve"]
