# Stands in for eclipse-temurin:17-jre where it cannot be pulled: Debian's OpenJDK 17, headless.
ARG DEBIAN
FROM ${DEBIAN}
RUN apt-get update && apt-get install -y openjdk-17-jre-headless && rm -rf /var/lib/apt/lists/*
ENV LANG=C.UTF-8
CMD ["jshell"]
