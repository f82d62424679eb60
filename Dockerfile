# syntax=docker/dockerfile:1
# contrail: one image for every role. The command picks it:
#   docker run contrail worker --health-port 8080     (default: `worker`)
#   docker run contrail board --host 0.0.0.0
#   docker run contrail schedule --cron "0 3 * * *"
#   docker run contrail run --date yesterday --wait
# Node 22 LTS (BullMQ's CI covers LTS, LTS-1 and LTS-2), compiled output and production
# dependencies only, running as the unprivileged `node` user (uid 1000).

ARG NODE_IMAGE=node:22-bookworm-slim

# 1. Compile TypeScript with the full dependency set.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# 2. Production dependencies only (DuckDB's native binding for this platform included).
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# 3. Runtime: dist/, bin/, node_modules/ and package.json; nothing else.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    CONTRAIL_WAREHOUSE_DIR=/data/warehouse \
    CONTRAIL_EXPORTS_DIR=/data/exports
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
RUN mkdir -p /data/warehouse /data/exports && chown -R node:node /data
USER node
# 3000: board (Bull Board, /metrics, results pages); 8080: worker probes (--health-port).
EXPOSE 3000 8080
ENTRYPOINT ["node", "bin/contrail.js"]
CMD ["worker"]
