# Ledgerport API + worker image. Build: docker build -t ledgerport .
# The same image runs the API (default) or the worker (command: node dist/server/apps/worker/src/main.js).
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NX_DAEMON=false NX_NO_CLOUD=true SCARF_ANALYTICS=false
COPY package.json package-lock.json .npmrc ./
RUN npm install --no-audit --no-fund
COPY . .
RUN npx nx run-many -t build --projects=api,worker,firm-console,client-portal --outputStyle=static \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PORT=3000 WEB_DIST_DIR=dist/apps
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD node -e "fetch('http://127.0.0.1:3000/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# Migrations run before the API starts; they are idempotent and safe to run from every replica.
CMD ["sh", "-c", "node dist/server/apps/api/src/cli.js db:setup && exec node dist/server/apps/api/src/main.js"]
