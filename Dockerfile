# syntax=docker/dockerfile:1
# Multi-stage: build the shaded jar with a JDK 21, run it on a JRE 21 as a non-root user.

FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:21-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin sathi
WORKDIR /app
COPY --from=build /src/target/sathi.jar /app/sathi.jar
COPY ivr-flows /app/ivr-flows
COPY config /app/config
USER sathi
ENV SATHI_PORT=8080
EXPOSE 8080
# Liveness only: readiness (/health/ready) also needs Redis and belongs to the orchestrator's probe.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${SATHI_PORT}/health/live" || exit 1
# SIGTERM (docker stop) finishes in-flight webhooks within server.shutdownGraceSeconds.
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/sathi.jar"]
CMD ["serve"]
