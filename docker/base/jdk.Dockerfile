# Stands in for eclipse-temurin:17-jdk where it cannot be pulled: the JRE image plus Debian's JDK.
# ca/ holds the certificate authorities the building machine adds to its own (docker/base-images).
ARG JRE
FROM ${JRE}
RUN apt-get update && apt-get install -y openjdk-17-jdk-headless && rm -rf /var/lib/apt/lists/*
COPY ca/ /usr/local/share/ca-certificates/
# Also rewrites Java's cacerts (ca-certificates-java's hook).
RUN update-ca-certificates
