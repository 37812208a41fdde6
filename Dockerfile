# syntax=docker/dockerfile:1
# Equal Say: a small, non-root image that runs `equalsay run`.
# Two stages: the build stage installs into a virtual environment and trims it (pip and
# setuptools, libraries' own test suites, matplotlib's sample data: about 54 MB of 313 MB);
# the final stage is the slim base plus that environment. README says how the size was
# measured.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
COPY bench ./bench
# The translations are compiled here, at build (never committed as binaries): the .mo files
# then ship inside the package, and the bot does not compile them at each start.
RUN python -m venv /opt/equalsay \
 && /opt/equalsay/bin/pip install babel==2.18.0 \
 && /opt/equalsay/bin/pybabel compile --statistics -D equalsay -d bot/i18n/locales \
 && /opt/equalsay/bin/pip install . \
 && /opt/equalsay/bin/pip uninstall -y pip setuptools \
 && find /opt/equalsay/lib -depth -type d -name tests -exec rm -rf {} + \
 && rm -rf /opt/equalsay/lib/python3.11/site-packages/matplotlib/mpl-data/sample_data

FROM python:3.11-slim
# /data holds the database (back it up); /keys holds the secret key the first start makes
# (back it up apart: a copy of the data and the key together unlocks who is who). The
# working folder is neither, so nothing written or read there (a .env) lands in a backup.
ENV PATH=/opt/equalsay/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DATABASE_URL=sqlite+aiosqlite:////data/equalsay.db \
    SECRET_KEY_FILE=/keys/secret_key \
    HEALTH_FILE=/tmp/equalsay.alive
RUN useradd --create-home --uid 10001 equalsay \
 && mkdir /data /keys \
 && chown equalsay /data /keys \
 && chmod 700 /keys
COPY --from=build /opt/equalsay /opt/equalsay
USER equalsay
WORKDIR /home/equalsay
VOLUME ["/data", "/keys"]
# Webhook mode listens here (WEBHOOK_PORT); polling mode needs no port.
EXPOSE 8443
# Liveness in polling and webhook mode alike: the serving bot touches HEALTH_FILE every
# 15 seconds; `equalsay health` fails once it is a minute old or gone.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["equalsay", "health"]
ENTRYPOINT ["equalsay"]
CMD ["run"]
