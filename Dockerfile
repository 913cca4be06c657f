FROM node:22-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
# Dev dependencies are kept: the server runs TypeScript through tsx, and postinstall runs prisma generate.
RUN npm ci --include=dev --no-audit --no-fund
COPY . .
EXPOSE 4000
USER node
# node directly rather than npm: npm does not pass SIGTERM on to the server.
CMD ["node", "--import", "tsx", "src/main.ts"]
