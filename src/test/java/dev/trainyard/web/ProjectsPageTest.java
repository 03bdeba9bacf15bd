package dev.trainyard.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import com.zaxxer.hikari.HikariDataSource;
import dev.trainyard.tracking.NewRun;
import dev.trainyard.tracking.ProjectManagement;
import dev.trainyard.tracking.RunManagement;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/**
 * The projects list with many projects: every row's run count and latest activity as stored, the
 * busiest first, and the page read with a fixed number of SQL statements however many projects there are.
 * Statements are counted on the request's own thread (MockMvc serves on the test's), so the schedulers'
 * queries do not count.
 */
@SpringBootTest(properties = "trainyard.workers.count=0")
@AutoConfigureMockMvc
@Import(ProjectsPageTest.CountingPool.class)
class ProjectsPageTest {

    static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");
    static final int PROJECTS = 30;

    @Autowired
    MockMvcTester mvc;
    @Autowired
    ProjectManagement projects;
    @Autowired
    RunManagement runs;
    @Autowired
    JdbcTemplate jdbc;

    record Expected(String name, int runs, Instant lastActivity) {
    }

    @Test
    void manyProjectsShowTheirCountsAndLatestActivityFromOneQuery() {
        var expected = new ArrayList<Expected>();
        for (int i = 0; i < PROJECTS; i++) {
            String name = "many-" + i;
            projects.create(name, null);
            int count = i % 4;
            Instant latest = null;
            for (int r = 0; r < count; r++) {
                String id = runs.create(new NewRun(name, "run-" + r, null, null, null, null)).getId();
                // Run r of project i: created, started, beating and (for the first) ended at its own times.
                Instant created = T0.plusSeconds(1000L * i + 10L * r);
                Instant heartbeat = created.plusSeconds(100 + r);
                Instant ended = r == 0 ? created.plusSeconds(50) : null;
                jdbc.update("update run set created_at = ?, started_at = ?, heartbeat_at = ?, ended_at = ? where id = ?",
                        Timestamp.from(created), Timestamp.from(created.plusSeconds(1)), Timestamp.from(heartbeat),
                        ended == null ? null : Timestamp.from(ended), id);
                Instant newest = ended != null && ended.isAfter(heartbeat) ? ended : heartbeat;
                latest = latest == null || newest.isAfter(latest) ? newest : latest;
            }
            if (i % 7 == 3) {
                // A deleted run counts for nothing, however recent.
                String gone = runs.create(new NewRun(name, "gone", null, null, null, null)).getId();
                jdbc.update("update run set created_at = ?, heartbeat_at = ? where id = ?", Timestamp.from(T0.plusSeconds(999_999)),
                        Timestamp.from(T0.plusSeconds(999_999)), gone);
                runs.markDeleted(gone);
            }
            expected.add(new Expected(name, count, latest));
        }
        // An older run still beating after a newer one ended is the project's latest activity.
        projects.create("busy", null);
        String old = runs.create(new NewRun("busy", "old", null, null, null, null)).getId();
        String newer = runs.create(new NewRun("busy", "newer", null, null, null, null)).getId();
        jdbc.update("update run set created_at = ?, started_at = ?, heartbeat_at = ? where id = ?", Timestamp.from(T0),
                Timestamp.from(T0), Timestamp.from(T0.plusSeconds(500_000)), old);
        jdbc.update("update run set created_at = ?, started_at = ?, ended_at = ?, heartbeat_at = null where id = ?",
                Timestamp.from(T0.plusSeconds(10)), Timestamp.from(T0.plusSeconds(10)), Timestamp.from(T0.plusSeconds(20)), newer);
        expected.add(new Expected("busy", 2, T0.plusSeconds(500_000)));
        var hidden = projects.create("hidden", null);
        projects.markDeleted(hidden.getId());

        CountingPool.STATEMENTS.set(0);
        CountingPool.watched = Thread.currentThread();
        String page;
        try {
            page = mvc.get().uri("/projects").exchange().getResponse().getContentAsString();
        } catch (java.io.UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        } finally {
            CountingPool.watched = null;
        }
        int statements = CountingPool.STATEMENTS.get();

        var rows = new ArrayList<Expected>();
        var row = Pattern.compile("<a href=\"/projects/[^\"]+\">([^<]+)</a>.*?<td class=\"num\">(\\d+)</td>\\s*<td>(?:<time datetime=\"([^\"]+)\")?",
                Pattern.DOTALL).matcher(page);
        while (row.find()) {
            rows.add(new Expected(row.group(1), Integer.parseInt(row.group(2)), row.group(3) == null ? null : Instant.parse(row.group(3))));
        }
        List<Expected> busiestFirst = expected.stream().sorted(java.util.Comparator.comparing(Expected::lastActivity,
                java.util.Comparator.nullsLast(java.util.Comparator.reverseOrder()))).toList();
        var softly = new org.assertj.core.api.SoftAssertions();
        softly.assertThat(rows).as("rows, busiest first, projects without runs last in creation order").containsExactlyElementsOf(busiestFirst);
        softly.assertThat(page).doesNotContain(">hidden<");
        softly.assertThat(statements).as("SQL statements for /projects with %d projects", PROJECTS + 1).isEqualTo(1);
        softly.assertAll();
    }

    /** The pool, counting the statements prepared on the watched thread. */
    @TestConfiguration(proxyBeanMethods = false)
    static class CountingPool {

        static final AtomicInteger STATEMENTS = new AtomicInteger();
        static volatile Thread watched;

        @Bean
        @ConfigurationProperties("spring.datasource.hikari")
        HikariDataSource dataSource(DataSourceProperties properties) {
            return properties.initializeDataSourceBuilder().type(Counting.class).build();
        }

        public static class Counting extends HikariDataSource {

            @Override
            public Connection getConnection() throws SQLException {
                Connection target = super.getConnection();
                return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                        (proxy, method, args) -> {
                            if (Thread.currentThread() == watched && method.getName().matches("prepareStatement|prepareCall|createStatement")) {
                                STATEMENTS.incrementAndGet();
                            }
                            try {
                                return method.invoke(target, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
            }
        }
    }
}
