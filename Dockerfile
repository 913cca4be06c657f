FROM node:22-slim
WORKDIR /app
# Everything first: postinstall generates the Prisma clients and the typed operations from the sources.
COPY . .
RUN npm ci --no-audit --no-fund
RUN npm run build && npm prune --omit=dev
ENV NODE_ENV=production
EXPOSE 4000
USER node
# Liveness only (/livez: the process answers). Readiness (/readyz: databases, Redis, migrations, warm-up) is for
# load balancers and compose's depends_on: an orchestrator that restarts unhealthy containers must not restart
# every API process because Redis is down.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/livez').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node directly rather than npm: npm does not pass SIGTERM on to the server.
CMD ["node", "dist/main.js"]
