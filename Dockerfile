FROM node:22-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev
ENV NODE_ENV=production
EXPOSE 4000
USER node
# node directly rather than npm: npm does not pass SIGTERM on to the server.
CMD ["node", "dist/main.js"]
