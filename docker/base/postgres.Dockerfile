# Stands in for postgres:15 where it cannot be pulled: Debian's PostgreSQL 15 with an entry point
# that keeps the official image's contract as far as docker-compose.yml uses it (POSTGRES_USER,
# POSTGRES_PASSWORD, POSTGRES_DB, PGDATA, pg_isready, a volume at /var/lib/postgresql/data).
ARG DEBIAN
FROM ${DEBIAN}
# The package would create and start a cluster of its own; the entry point makes one in PGDATA.
RUN apt-get update && apt-get install -y postgresql-common \
 && sed -ri 's/#(create_main_cluster) .*$/\1 = false/' /etc/postgresql-common/createcluster.conf \
 && apt-get install -y postgresql-15 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/run/postgresql /var/lib/postgresql/data \
 && chown -R postgres:postgres /var/run/postgresql /var/lib/postgresql && chmod 2777 /var/run/postgresql
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data LANG=C.UTF-8
COPY postgres-entrypoint.sh /usr/local/bin/
VOLUME /var/lib/postgresql/data
EXPOSE 5432
# SIGINT is PostgreSQL's fast shutdown, as in the official image.
STOPSIGNAL SIGINT
ENTRYPOINT ["postgres-entrypoint.sh"]
CMD ["postgres"]
