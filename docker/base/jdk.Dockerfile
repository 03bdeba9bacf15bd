# Stands in for eclipse-temurin:17-jdk where it cannot be pulled: the JRE image plus Debian's JDK.
ARG JRE
FROM ${JRE}
RUN apt-get update && apt-get install -y openjdk-17-jdk-headless && rm -rf /var/lib/apt/lists/*
