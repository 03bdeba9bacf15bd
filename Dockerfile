# Trainyard: build with the Maven wrapper, run the layered jar on a glibc JRE (ND4J's natives
# crash on Alpine/musl) as a non-root user. Nothing is downloaded but Maven Central artifacts
# and the base images. Needs BuildKit (the cache mounts); no syntax directive, so the engine's
# own Dockerfile frontend is used and nothing is pulled for it.
#
# The base images are build arguments: where eclipse-temurin cannot be pulled, docker/base-images
# makes stand-ins from Debian's packages, and docker-compose.local.yml passes them:
#   docker build --build-arg JDK_IMAGE=trainyard-local/jdk:17 --build-arg JRE_IMAGE=trainyard-local/jre:17 .
ARG JDK_IMAGE=eclipse-temurin:17-jdk
ARG JRE_IMAGE=eclipse-temurin:17-jre

FROM ${JDK_IMAGE} AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
# Dependencies first, so a source change does not download them again.
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -ntp dependency:resolve dependency:resolve-plugins
COPY src src
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -ntp package -DskipTests \
 && java -Djarmode=tools -jar target/trainyard-*.jar extract --layers --launcher --destination /layers

FROM ${JRE_IMAGE}
RUN useradd --system --uid 10001 --create-home --home-dir /home/trainyard trainyard \
 && mkdir -p /data /cache/javacpp && chown -R trainyard:trainyard /data /cache
WORKDIR /app
# Least to most often changed, so image layers are reused across releases.
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
USER trainyard

# Memory, set explicitly rather than left to JavaCPP's multiples of -Xmx: the heap, JavaCPP's own
# pointer budget (maxbytes; on ND4J M2.1 it does not count ND4J's arrays) and the whole-process
# ceiling (maxphysicalbytes), which is what bounds ND4J and what each job checks before it allocates.
ENV TRAINYARD_DATA_DIR=/data \
    TRAINYARD_WORKERS_COUNT=1 \
    JAVA_HEAP=512m \
    JAVACPP_MAXBYTES=768m \
    JAVACPP_MAXPHYSICALBYTES=1600m \
    JAVA_OPTS=""
VOLUME ["/data"]
EXPOSE 8080

# bash's /dev/tcp: the JRE image has no curl, and installing one would be a download. A long start
# period: three nodes starting at once on 2 cores that other builds shared took up to 298 s
# (docker/smoke-test), and a check that succeeds ends the start period at once, so a fast start is
# not held up by it.
HEALTHCHECK --interval=10s --timeout=5s --start-period=600s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /actuator/health HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q '\"UP\"' <&3"]

# OpenMP threads per job: the container's cores shared among its workers, at least one.
ENTRYPOINT ["bash", "-c", "cores=$(nproc); workers=${TRAINYARD_WORKERS_COUNT:-1}; [ \"$workers\" -gt 0 ] || workers=1; \
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(( cores / workers > 0 ? cores / workers : 1 ))}; \
exec java -Xmx${JAVA_HEAP} -Dorg.bytedeco.javacpp.maxbytes=${JAVACPP_MAXBYTES} \
 -Dorg.bytedeco.javacpp.maxphysicalbytes=${JAVACPP_MAXPHYSICALBYTES} -Dorg.bytedeco.javacpp.cachedir=/cache/javacpp \
 ${JAVA_OPTS} org.springframework.boot.loader.launch.JarLauncher \"$@\"", "trainyard"]
