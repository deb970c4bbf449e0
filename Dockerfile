# syntax=docker/dockerfile:1
#
# One image for both processes:
#   API    (default)  node dist/apps/api/src/main.js     serves API_PORT (3000), GET /health
#   worker            node dist/apps/worker/src/main.js  no HTTP server; compose overrides the command
# Configuration is environment only (libs/config/config.schema.ts); see docker-compose.yml.
#
# Debian (glibc), not Alpine: @temporalio/core-bridge ships prebuilt glibc binaries.
ARG NODE_IMAGE=node:20-bookworm-slim

# --- all dependencies, dev included (TypeScript, the workflow bundler) ----------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# --- compile to dist/ and prebuild dist/workflow-bundle.js ----------------------------------
FROM deps AS build
COPY . .
RUN npm run build

# --- runtime: production dependencies and dist/ only ----------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    WORKER_WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# Owned by root and read-only for the app user: the processes write nothing to disk.
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
CMD ["node", "dist/apps/api/src/main.js"]
