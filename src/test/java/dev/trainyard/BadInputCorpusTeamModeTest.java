package dev.trainyard;

import java.util.UUID;

import dev.trainyard.support.Api;
import dev.trainyard.support.TeamServer;
import org.springframework.boot.test.context.SpringBootTest;

/** {@link BadInputCorpusTest} on a team server, sent by a member's script with its API token. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"trainyard.workers.count=0",
        "trainyard.auth.enabled=true", "trainyard.auth.admin-username=root", "trainyard.auth.admin-password=corpus-admin-pw",
        "trainyard.runs.max-queued-jobs-per-user=1000"})
class BadInputCorpusTeamModeTest extends BadInputCorpusTest {

    @Override
    Api caller() {
        return new TeamServer(port, "root", "corpus-admin-pw").script("corpus-" + UUID.randomUUID().toString().substring(0, 8),
                "corpus-member-pw", "MEMBER");
    }
}
