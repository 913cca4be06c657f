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
CMD ["npx", "tsx", "src/main.ts"]
