FROM node:22-slim
WORKDIR /app
# Everything first: postinstall generates the Prisma clients and the typed operations from the sources.
COPY . .
RUN npm ci --no-audit --no-fund
RUN npm run build && npm prune --omit=dev
ENV NODE_ENV=production
EXPOSE 4000
USER node
# node directly rather than npm: npm does not pass SIGTERM on to the server.
CMD ["node", "dist/main.js"]
