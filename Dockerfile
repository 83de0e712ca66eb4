# Used by docker-compose.yml (scale shape). Debian, like the development machines.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY . .
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000
EXPOSE 3000
# exec: npm, not a shell, is the process `docker stop` signals; it passes SIGTERM on to the launcher.
CMD ["sh", "-c", "npm run build && exec npm start"]
