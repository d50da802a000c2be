# The cumthidua bot as a container image (see README, "Operating it").
#   docker build -t cumthidua .
#   docker run -d --name cumthidua --env-file cumthidua.env -v cumthidua-data:/data \
#     -p 127.0.0.1:8080:8080 --stop-timeout 30 cumthidua
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    CUMTHIDUA_DATA_DIR=/data \
    CUMTHIDUA_WEB_HOST=0.0.0.0 \
    CUMTHIDUA_WEB_PORT=8080 \
    MPLCONFIGDIR=/tmp/matplotlib

# LibreOffice turns the drafted documents and workbooks into PDF; Liberation Serif 2 has every
# Vietnamese letter and the metrics of Times New Roman, the font the templates name.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libreoffice-writer-nogui libreoffice-calc-nogui fonts-liberation2 \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --uid 10001 --user-group --home-dir /data --no-create-home \
        --shell /usr/sbin/nologin cumthidua \
    && mkdir /data && chown cumthidua:cumthidua /data

# Installed as a package (not editable), without the development extras; the sources go.
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
COPY locales ./locales
RUN pip install --no-cache-dir /src && rm -rf /src

WORKDIR /data

USER cumthidua
VOLUME ["/data"]
EXPOSE 8080
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"]
CMD ["cumthidua", "run"]
