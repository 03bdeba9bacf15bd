package dev.trainyard.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import dev.trainyard.shared.web.BodyTooLargeException;
import dev.trainyard.shared.Ids;
import dev.trainyard.shared.web.NotFoundException;
import dev.trainyard.shared.TrainyardProperties;
import dev.trainyard.shared.web.BadRequestException;
import dev.trainyard.training.JobRefusal;
import dev.trainyard.training.TabularCsv;
import dev.trainyard.training.TabularSchema;
import dev.trainyard.training.UploadedTexts;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Uploaded datasets: the text under {@code <data-dir>/datasets/<id>.txt}, its metadata in the
 * database. The client's file name is only ever a label, never part of a path.
 */
@Component
public class DatasetStore implements UploadedTexts {

    private final RowMapper<Dataset> row = (rs, i) -> new Dataset(rs.getString("id"), rs.getString("name"),
            rs.getLong("bytes"), rs.getLong("characters"), rs.getString("vocabulary"),
            rs.getTimestamp("created_at").toInstant(), schemaOf(rs.getString("tabular_schema")));

    private final JdbcTemplate jdbc;
    private final Path dir;
    private final DatasetSettings settings;
    private final Clock clock;
    private final JsonMapper json;

    DatasetStore(JdbcTemplate jdbc, TrainyardProperties properties, DatasetSettings settings, Clock clock, JsonMapper json) {
        this.json = json;
        this.jdbc = jdbc;
        this.dir = properties.dataDir().resolve("datasets");
        this.settings = settings;
        this.clock = clock;
    }

    /** Checks and stores an upload, a table when it reads as one. */
    public Dataset upload(String name, InputStream content) throws IOException {
        return upload(name, content, false);
    }

    /**
     * Checks and stores an upload. The file is complete on disk before its row commits. A file that reads as a
     * CSV gets its schema detected; one declared a table that does not read as one is refused, naming the line.
     *
     * @param table the client declared a CSV (a .csv or .tsv name, or text/csv)
     */
    public Dataset upload(String name, InputStream content, boolean table) throws IOException {
        byte[] bytes = content.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, settings.maxSize().toBytes() + 1));
        if (bytes.length > settings.maxSize().toBytes()) {
            throw new BodyTooLargeException("a dataset may be at most " + settings.maxSize().toBytes()
                    + " bytes (trainyard.datasets.max-size)");
        }
        TextCheck.Text text = TextCheck.of(bytes, settings.maxVocabulary());
        TabularSchema schema = null;
        if (table || TabularCsv.looksLikeTable(bytes)) {
            try {
                schema = TabularCsv.detect(bytes);
            } catch (JobRefusal e) {
                if (table) {
                    throw new BadRequestException("file", "not a table: " + e.getMessage());
                }
                // not declared a table: it stays a text dataset
            }
        }
        String id = Ids.newId();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, id, ".part");
        try {
            Files.write(temp, bytes);
            Files.move(temp, fileOf(id), StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        var dataset = new Dataset(id, name, bytes.length, text.characters(), text.vocabulary(), clock.instant(), schema);
        try {
            jdbc.update("insert into dataset (id, name, bytes, characters, vocabulary, created_at, tabular_schema) "
                    + "values (?, ?, ?, ?, ?, ?, ?)", id, name, dataset.bytes(), dataset.characters(), dataset.vocabulary(),
                    Timestamp.from(dataset.createdAt()), schema == null ? null : json.writeValueAsString(schema));
        } catch (RuntimeException e) {
            Files.deleteIfExists(fileOf(id));
            throw e;
        }
        return dataset;
    }

    public List<Dataset> all() {
        return jdbc.query("select * from dataset order by created_at desc", row);
    }

    public Dataset get(String id) {
        return find(id).orElseThrow(() -> new NotFoundException("dataset", id));
    }

    private Optional<Dataset> find(String id) {
        return jdbc.query("select * from dataset where id = ?", row, id).stream().findFirst();
    }

    @Override
    public Optional<Path> textFile(String datasetId) {
        return find(datasetId).map(d -> fileOf(d.id())).filter(Files::isRegularFile);
    }

    /** From the metadata, without reading the text. */
    @Override
    public Optional<Shape> shape(String datasetId) {
        return find(datasetId).map(d -> new Shape(d.characters(), d.vocabulary().codePointCount(0, d.vocabulary().length())));
    }

    @Override
    public Optional<Table> table(String datasetId) {
        return find(datasetId).filter(d -> Files.isRegularFile(fileOf(d.id()))).map(d -> new Table(fileOf(d.id()), d.schema()));
    }

    private TabularSchema schemaOf(String stored) {
        return stored == null ? null : json.readValue(stored, TabularSchema.class);
    }

    private Path fileOf(String id) {
        return dir.resolve(id + ".txt");
    }
}
