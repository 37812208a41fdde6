# syntax=docker/dockerfile:1
# Equal Say: a small, non-root image that runs `equalsay run`.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
COPY bench ./bench
RUN python -m venv /opt/equalsay && /opt/equalsay/bin/pip install .

FROM python:3.11-slim
ENV PATH=/opt/equalsay/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DATABASE_URL=sqlite+aiosqlite:////data/equalsay.db
RUN useradd --create-home --uid 10001 equalsay && mkdir /data && chown equalsay /data
COPY --from=build /opt/equalsay /opt/equalsay
USER equalsay
WORKDIR /data
VOLUME ["/data"]
# Webhook mode listens here (WEBHOOK_PORT); polling mode needs no port.
EXPOSE 8443
ENTRYPOINT ["equalsay"]
CMD ["run"]
