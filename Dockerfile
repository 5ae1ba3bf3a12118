# syntax=docker/dockerfile:1
# Two stages: compile TypeScript with the dev dependencies, then run the compiled app with production
# dependencies only, as the image's unprivileged `node` user.

# Node 22 is the active LTS line; Node 20 reached end of life in April 2026 (docs/decisions/0015-supported-runtimes.md).
FROM node:22-bookworm-slim AS build
WORKDIR /app
# The lockfile names a local dev package (dev/viam-sdk-interop) that `npm ci` installs with the rest.
COPY package.json package-lock.json ./
COPY dev/viam-sdk-interop ./dev/viam-sdk-interop
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build

FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    DATA_DIR=/data \
    PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
# sqlite3 fetches its prebuilt binary during install, so scripts stay on.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The default SQLite store and the generated encryption key file live in /data: mount a volume there.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# The slim image has no curl; Node's own fetch does the job.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
