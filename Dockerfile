# syntax=docker/dockerfile:1
# dasboard dashboard image: the Next.js standalone server (`output: 'standalone'`), run as
# `node server.js`. Built by `cdk deploy` from the repo root (infra/lib/dashboard.ts); see infra/README.md.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Install scripts are skipped: the only one (patch-package) patches a test-only S3 server.
RUN npm ci --ignore-scripts --no-audit --no-fund

FROM deps AS build
ENV NEXT_TELEMETRY_DISABLED=1
COPY . .
RUN npm run build && mkdir -p public

FROM ${NODE_IMAGE} AS runtime
# Repo-relative path of the deployment's dasboard config file (roles, OIDC groups); empty for none.
ARG DASBOARD_CONFIG_FILE=
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0
WORKDIR /app
COPY --from=build --chown=node:node /app/.next/standalone ./
COPY --from=build --chown=node:node /app/.next/static ./.next/static
COPY --from=build --chown=node:node /app/public ./public
# COPY needs a source that exists: without a config file it copies package.json and discards it.
COPY --from=build /app/${DASBOARD_CONFIG_FILE:-package.json} /tmp/dasboard.config.json
RUN if [ -n "$DASBOARD_CONFIG_FILE" ]; then \
      install -o node -g node -m 0444 /tmp/dasboard.config.json /app/dasboard.config.json; \
    fi \
    && rm -f /tmp/dasboard.config.json
USER node
EXPOSE 3000
# Production reads the store through Athena; the DuckDB native module is only loaded for a local folder.
CMD ["node", "server.js"]
