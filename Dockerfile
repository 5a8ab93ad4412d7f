# syntax=docker/dockerfile:1.7
# Xin for Kubernetes: one FastAPI service (`xin serve`) with the local extra (on-device
# embeddings, uvicorn) and the AWS adapters. Read-only root filesystem friendly: everything
# written at run time goes to XIN_DATA_DIR (/var/lib/xin) and /tmp, both volumes in the chart.
# Pinned base: exact patch tag of the Debian bookworm slim image; CI resolves and records the
# digest when it pushes (replace the tag with tag@sha256:<digest> to pin harder).
ARG PYTHON_IMAGE=python:3.12.8-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /src
RUN python -m venv /opt/xin
COPY pyproject.toml requirements.lock README.md ./
COPY layers ./layers
# Dependencies come from the lock (constraints), the package itself from the source tree.
RUN /opt/xin/bin/pip install --upgrade "pip>=24" \
 && /opt/xin/bin/pip install -c requirements.lock ".[local,aws]" \
 && /opt/xin/bin/python -m compileall -q /opt/xin/lib

FROM ${PYTHON_IMAGE} AS runtime
LABEL org.opencontainers.image.title="xin" \
      org.opencontainers.image.description="Xin RAG chatbot platform (FastAPI service)" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://github.com/xin-platform/xin"
ENV PATH=/opt/xin/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    APP_ENV=production \
    XIN_DATA_DIR=/var/lib/xin \
    OMP_NUM_THREADS=1
RUN groupadd --system --gid 10001 xin \
 && useradd --system --uid 10001 --gid xin --no-create-home --home-dir /var/lib/xin xin \
 && mkdir -p /var/lib/xin && chown xin:xin /var/lib/xin
COPY --from=build /opt/xin /opt/xin
USER 10001:10001
WORKDIR /var/lib/xin
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2).status == 200 else 1)"]
ENTRYPOINT ["xin"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
