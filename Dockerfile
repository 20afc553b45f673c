# Postbag in a container: built with the dev dependencies, run with production ones only.
#   docker build -t postbag . && docker run -p 3978:3978 -e DATABASE_URL=postgresql://… postbag
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm ci && npm run build && npm pack --pack-destination /tmp && mkdir /package && tar xzf /tmp/postbag-*.tgz -C /package --strip-components=1

FROM node:24-bookworm-slim
ENV NODE_ENV=production POSTBAG_DATA_DIR=/data PORT=3978
WORKDIR /app
COPY --from=build /package ./
COPY package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force \
 && mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3978)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/main.js"]
