package dev.trainyard.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;

import java.time.Duration;

import dev.trainyard.support.Api;
import dev.trainyard.support.SseClient;
import dev.trainyard.tracking.RunEventLog;
import dev.trainyard.tracking.RunState;
import dev.trainyard.tracking.RunView;
import dev.trainyard.tracking.RunViews;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A stream opened without Last-Event-ID starts with the run as its view read it, and goes on from
 * the event that view was read at. A change committed in between (here forced: a state event right
 * after the view is read, as a worker's claim can land) is sent, not lost. The docker smoke test
 * caught a RUNNING that never reached a stream this way.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "trainyard.workers.count=0")
class RunStreamSnapshotTest {

    @LocalServerPort
    int port;
    @MockitoSpyBean
    RunViews views;
    @Autowired
    RunEventLog events;
    @Autowired
    TransactionTemplate transaction;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aChangeCommittedAfterTheSnapshotWasReadIsStreamed() {
        var api = new Api(port);
        var created = api.post("/api/v1/runs", "{\"project\": \"snapshot\", \"name\": \"raced\"}").json();
        String id = created.get("id").asString();
        doAnswer(read -> {
            RunView view = (RunView) read.callRealMethod();
            transaction.executeWithoutResult(tx -> events.appendState(id,
                    jdbc.queryForObject("select project_id from run where id = ?", String.class, id), RunState.FINISHED, null));
            return view;
        }).when(views).of(eq(id));

        try (var live = new SseClient(api.uri("/api/v1/runs/" + id + "/events"), null)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> live.events("state").size() >= 2);
            assertThat(live.events("state")).extracting(SseClient.Event::data)
                    .containsExactly("{\"state\":\"RUNNING\"}", "{\"state\":\"FINISHED\"}");
        }
    }
}
