package dev.trainyard.bench;

/** The method part of docs/BENCHMARKS.md, which every bench run writes above its figures. */
final class BenchDocs {

    static final String PREAMBLE = """
                # Trainyard benchmarks

                Figures from `dev.trainyard.bench.Bench` (`src/bench/java/dev/trainyard/bench/`). Benchmarks are not
                tests: nothing here is asserted in the test suite. Every build compiles `src/bench/java` against the test
                classpath into `target/bench-classes`, where surefire does not look.

                ## How to run

                    ./mvnw -Pbench verify -DskipTests

                The `bench` profile packages the fat jar and then, in `integration-test`, runs the bench main with the
                test classpath (in this profile the benches compile into `target/test-classes`). It starts **the packaged
                jar** (`java -jar target/trainyard-*.jar`) as a child process on a free port with a fresh data dir under
                `target/bench-data/<timestamp>/` (embedded H2 in file mode, as in production), and
                `-Dtrainyard.workers.threads-per-job=1`. The child's output goes to
                `target/bench-data/<timestamp>/server.log`. The bench rewrites the section between the markers below;
                text outside them is kept.

                Knobs (Maven `-D` properties): `bench.ingestSeconds` (20), `bench.warmupSeconds` (3),
                `bench.ingestThreads` (4), `bench.batchPoints` (10000), `bench.historyPoints` (1000000),
                `bench.historyCalls` (200), `bench.threadsPerJob` (1), `bench.serverJvmArgs`, `bench.serverProps`
                (extra `-D` for the server, space-separated), `bench.torchScript`
                (`../shared/bench/torch_reference.py`, relative to the project dir), `bench.python` (`/usr/bin/python3`),
                `bench.skip` (any of `ingest,history,train,postgres,torch`), `bench.writeDocs` (true), `bench.keepData` (false:
                the run's H2 database, about 1 GB, is deleted after the server stops; the log is kept), `bench.postgres`
                (`auto`: measure on PostgreSQL when the server answers; `true` makes a missing server an error; `false`),
                `bench.postgresUrl` (`jdbc:postgresql://127.0.0.1:5432/`; user `postgres` without a password).

                ## What is measured

                1. **Start-up**: process launch until `GET /actuator/health` answers UP (polled every 25 ms), and
                   Spring's own "Started TrainyardApplication in X seconds" line.
                2. **Batch ingest on H2**: 4 external runs; 4 client threads (JDK HttpClient) each post 10,000-point batches
                   of `loss` with increasing steps to their own run, back to back, for 20 s after a 3 s warm-up.
                   points/s = acknowledged points ÷ wall time; latency per request. Request bodies are built from
                   pre-encoded bytes; the run reports the client's CPU for that. Afterwards each run's stored count
                   (`GET /runs/{id}/metrics`) is compared with what was acknowledged, warm-up included. Target
                   ≥ 250,000 points/s.
                3. **History**: one run with a 1,000,000-point `loss` series (ingested in 10k batches), then
                   `GET /runs/{id}/metrics/loss?maxPoints=1000`: the first (cold) call on its own, then the median
                   and p95 of 200 more. Target median ≤ 50 ms.
                4. **Training**: `POST /runs {"project":"bench","job":{"model":"seed-rnn"}}` (1000 epochs), polled
                   until FINISHED; ms/epoch from endedAt − startedAt and from the median stored `epoch_ms`; the
                   greedy `POST /runs/{id}/generate {}` text must be the sentence. Then, in the same bench run and
                   after the server has stopped, `torch_reference.py seed --threads 1` (PyTorch, same machine, same
                   thread count) and the ratios Trainyard ÷ PyTorch. Target ≤ 1.0.
                5. SIGTERM to the server and the time until it exits.
                6. **Batch ingest on PostgreSQL**: after the H2 server has stopped (and before the PyTorch reference),
                   when PostgreSQL answers, the bench creates a database of its own
                   (`trainyard_bench_<timestamp>`), starts the same jar again with `SPRING_DATASOURCE_URL` pointing at it,
                   runs the same batch ingest (same threads, batches, warm-up and check of stored against acknowledged
                   points) and drops the database afterwards. The CPU of that database's backends and of PostgreSQL's
                   WAL writer, checkpointer and background writer is reported as PostgreSQL's. Target ≥ 100,000
                   points/s (issue #6).

                To profile the server during a run, pass JFR flags through, for example
                `-Dbench.serverJvmArgs="-XX:FlightRecorderOptions:stackdepth=512 -XX:StartFlightRecording=settings=profile,filename=server.jfr"`
                (the file lands in the run's data dir), or attach `jcmd <pid> JFR.start` while a phase runs.

                **Caveat:** the machine has few cores and the client runs on the same cores as the server, so the
                ingest and history figures include the client's own CPU. Other work on the machine (builds and tests)
                disturbs the figures: each run records the load average and how the CPU was split during each phase.
                """;

    private BenchDocs() {
    }
}
