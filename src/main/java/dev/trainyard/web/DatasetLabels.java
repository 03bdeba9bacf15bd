package dev.trainyard.web;

import dev.trainyard.datasets.DatasetStore;
import dev.trainyard.shared.web.NotFoundException;
import org.springframework.stereotype.Component;

/**
 * How pages show a job's dataset: an upload by its name, with the {@code dataset:<id>} the API
 * takes beside it, rather than the id alone. Templates call it as {@code @datasetLabels}.
 */
@Component("datasetLabels")
class DatasetLabels {

    private static final String UPLOADED = "dataset:";

    private final DatasetStore datasets;

    DatasetLabels(DatasetStore datasets) {
        this.datasets = datasets;
    }

    /** "tales.txt (dataset:hfkdhj8wc1kv)" for an upload; a built-in dataset or anything else as it is. */
    public String of(Object dataset) {
        if (!(dataset instanceof String name) || !name.startsWith(UPLOADED)) {
            return dataset == null ? "" : String.valueOf(dataset);
        }
        try {
            return datasets.get(name.substring(UPLOADED.length())).name() + " (" + name + ")";
        } catch (NotFoundException deleted) {
            return name + " (deleted)";
        }
    }
}
