# The portal's image: one image for web (gunicorn), worker and beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY pyproject.toml constraints.txt ./
RUN pip install --no-cache-dir --upgrade "pip>=25.1" \
    && pip install --no-cache-dir --group run -c constraints.txt

COPY . .
RUN DEBUG=0 SECRET_KEY=build-only-not-used-at-run-time DATABASE_URL=postgres://build@localhost/build REDIS_URL=redis://localhost \
    python manage.py collectstatic --no-input

RUN useradd --system --home /app portal && mkdir -p /app/media && chown portal /app/media
USER portal
EXPOSE 8000
CMD ["gunicorn", "cppcc_portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
