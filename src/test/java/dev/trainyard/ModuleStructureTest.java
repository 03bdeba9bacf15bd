package dev.trainyard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * The module boundaries, read from the bytecode alone (no Spring context): each top-level package under
 * {@code dev.trainyard} is a module, others may use only what its {@code package-info.java} exposes, and
 * the diagrams in {@code docs/modules} show the modules as they are.
 */
class ModuleStructureTest {

    static final ApplicationModules MODULES = ApplicationModules.of(TrainyardApplication.class);

    static final Path COMMITTED = Path.of("docs", "modules");

    static final Path GENERATED = Path.of("target", "spring-modulith-docs");

    @Test
    void modulesUseOnlyEachOthersApi() {
        MODULES.verify();
    }

    // The client ships as its own jar for users' programs, which have none of the server's classes.
    @Test
    void clientDependsOnNoOtherModule() {
        var client = MODULES.getModuleByName("client").orElseThrow();

        assertThat(client.getDirectDependencies(MODULES).stream()
                .map(d -> d.getSourceType().getName() + " uses " + d.getTargetType().getName())).isEmpty();
    }

    /**
     * Writes the PlantUML diagrams of all modules and of each one, and fails when the committed ones differ,
     * so that a change of structure shows in the review. {@code -Dmodules.writeDocs=true} copies the new
     * ones into {@code docs/modules}. The Documenter lists components and relations in hash order, which
     * changes from run to run, so both sides are compared (and written) with those lines sorted.
     */
    @Test
    void committedDiagramsShowTheModulesAsTheyAre() throws IOException {
        new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder(GENERATED.toString()))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml();
        Map<String, String> generated = read(GENERATED);
        assertThat(generated).containsKey("components.puml");

        if (Boolean.getBoolean("modules.writeDocs")) {
            Files.createDirectories(COMMITTED);
            try (Stream<Path> old = Files.list(COMMITTED)) {
                for (Path f : old.filter(f -> f.toString().endsWith(".puml")).toList()) {
                    Files.delete(f);
                }
            }
            for (var file : generated.entrySet()) {
                Files.writeString(COMMITTED.resolve(file.getKey()), file.getValue());
            }
        }

        assertThat(read(COMMITTED))
                .as("docs/modules is stale: run ./mvnw test -Dtest=ModuleStructureTest -Dmodules.writeDocs=true and commit it")
                .isEqualTo(generated);
    }

    private static Map<String, String> read(Path dir) throws IOException {
        var files = new TreeMap<String, String>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (Stream<Path> list = Files.list(dir)) {
            for (Path f : list.filter(f -> f.toString().endsWith(".puml")).toList()) {
                files.put(f.getFileName().toString(), sortedElements(Files.readString(f)));
            }
        }
        return files;
    }

    /** The text with each run of consecutive {@code Component(...)} or {@code Rel(...)} lines sorted. */
    static String sortedElements(String puml) {
        var out = new ArrayList<String>();
        var run = new ArrayList<String>();
        for (String line : puml.split("\n", -1)) {
            if (!run.isEmpty() && kind(line) != kind(run.get(0))) {
                out.addAll(run.stream().sorted().toList());
                run.clear();
            }
            if (kind(line) == 0) {
                out.add(line);
            } else {
                run.add(line);
            }
        }
        out.addAll(run.stream().sorted().toList());
        return String.join("\n", out);
    }

    private static int kind(String line) {
        String l = line.strip();
        return l.startsWith("Component(") ? 1 : l.startsWith("Rel(") ? 2 : 0;
    }
}
