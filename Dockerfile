# Byzantine Generals: one image for every general and for the one-shot client.
#
#   docker build -t byzantine-generals:latest .
#   docker run --rm byzantine-generals:latest --help
#
# Needs BuildKit (the default builder since Docker 23; on older engines set DOCKER_BUILDKIT=1).
# Build arguments and secrets:
#   NODE_IMAGE   the Node.js image to build from (default: the official Node.js 20 LTS slim image)
#   npm_ca       optional secret: a CA bundle for npm behind a TLS-inspecting proxy, used only when
#                given, never stored in a layer:  --secret id=npm_ca,src=/path/to/ca.pem
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: every dependency, then esbuild compiles src/ into dist/ ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the package's `prepare` builds dist/, which needs the sources copied below.
RUN --mount=type=secret,id=npm_ca \
    if [ -f /run/secrets/npm_ca ]; then \
      export NODE_EXTRA_CA_CERTS=/run/secrets/npm_ca npm_config_cafile=/run/secrets/npm_ca; \
    fi; \
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=warn
COPY tsconfig.json generate-compose.ts ./
COPY scripts ./scripts
COPY proto ./proto
COPY src ./src
RUN npm run build

# ---- runtime: production dependencies, the compiled code and the proto, as a non-root user ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npm_ca \
    if [ -f /run/secrets/npm_ca ]; then \
      export NODE_EXTRA_CA_CERTS=/run/secrets/npm_ca npm_config_cafile=/run/secrets/npm_ca; \
    fi; \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=warn \
    && npm cache clean --force \
    && mkdir -p /app/logs && chown node:node /app/logs
COPY proto ./proto
COPY --from=build /app/dist ./dist

# A general's defaults; compose (or `docker run -e`) sets ID, TRAITOR, PEERS, ROUND_TIMEOUT_MS.
ENV PORT=50051 LOG_DIR=/app/logs
USER node
EXPOSE 50051
HEALTHCHECK --interval=10s --timeout=10s --start-period=30s --retries=3 \
  CMD ["node", "/app/dist/src/healthcheck.js"]
ENTRYPOINT ["node", "dist/src/cli.js"]
CMD ["general"]
