# AxonBOS: one image runs the whole product (API, channels, jobs). Build: docker build -t axonbos .
# Run:  docker run -p 3000:3000 -e JWT_SECRET=<32+ chars> -v axon-data:/data axonbos
# Production refuses to start without JWT_SECRET. Data lives in embedded PGlite under /data unless
# DATABASE_URL points at a Postgres; give each container its own /data (PGlite has one owner).

# ---- build: every dependency, compile TypeScript to dist/ -----------------------------------------
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# ---- runtime: production dependencies and the compiled output only -------------------------------
FROM node:20-slim AS runtime
ENV NODE_ENV=production DATA_DIR=/data
WORKDIR /app
# package.json stays: its "type": "module" is what makes Node load dist/**/*.js as ES modules.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The data directory belongs to the unprivileged `node` user (uid 1000) that ships with the image; a
# new named volume copies this ownership. A bind mount must be writable by uid 1000.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
# slim has no curl: ask /healthz with Node's own fetch, on the port the app was told to use.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node is PID 1 and gets SIGTERM itself; main.ts drains requests and closes the database.
CMD ["node", "dist/src/main.js"]
